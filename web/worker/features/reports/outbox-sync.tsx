import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';

/**
 * Mounted once by the app: sends reports filed offline at start, whenever the network comes back, and
 * every minute while the app is open (a rate limit or a busy server clears by itself). The outbox code
 * loads only here, after the first screen.
 */
export function ReportOutboxSync() {
  const queryClient = useQueryClient();
  useEffect(() => {
    let stopped = false;
    let unsubscribe: (() => void) | undefined;
    const outbox = import('./outbox').then((m) => {
      if (!stopped) unsubscribe = m.onReportSent(() => void queryClient.invalidateQueries({ queryKey: ['reports'] }));
      return m;
    });
    const sync = () => void outbox.then((m) => (stopped ? undefined : m.syncOutbox()));
    sync();
    window.addEventListener('online', sync);
    const timer = window.setInterval(sync, 60_000);
    return () => {
      stopped = true;
      unsubscribe?.();
      window.removeEventListener('online', sync);
      window.clearInterval(timer);
    };
  }, [queryClient]);
  return null;
}
