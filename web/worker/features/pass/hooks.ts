import { useEffect, useState } from 'react';

/** Date.now(), re-read every `everyMs` (aligned to the second so the clock ticks with the real one). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const n = Date.now();
      setNow(n);
      timer = setTimeout(tick, everyMs - (n % everyMs) + 5);
    };
    timer = setTimeout(tick, everyMs - (Date.now() % everyMs) + 5);
    return () => clearTimeout(timer);
  }, [everyMs]);
  return now;
}

/** navigator.onLine, kept up to date by the browser's online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

interface WakeLockSentinelLike {
  release(): Promise<void>;
  addEventListener(type: 'release', fn: () => void): void;
}
type WakeLockNavigator = Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinelLike> } };

/**
 * Keeps the screen on while the pass is shown (Screen Wake Lock). The browser drops the lock when the
 * page is hidden, so it is asked for again when the page comes back. Where unsupported (older WeChat
 * browsers) or refused (battery saver), nothing happens.
 */
export function useWakeLock(active: boolean) {
  useEffect(() => {
    const wl = (navigator as WakeLockNavigator).wakeLock;
    if (!active || !wl) return;
    let sentinel: WakeLockSentinelLike | undefined;
    let stopped = false;
    const acquire = () => {
      if (document.visibilityState !== 'visible' || sentinel) return;
      wl.request('screen').then(
        (s) => {
          if (stopped) {
            void s.release().catch(() => undefined);
            return;
          }
          sentinel = s;
          s.addEventListener('release', () => {
            if (sentinel === s) sentinel = undefined;
          });
        },
        () => undefined,
      );
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') acquire();
    };
    acquire();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      document.removeEventListener('visibilitychange', onVisibility);
      void sentinel?.release().catch(() => undefined);
      sentinel = undefined;
    };
  }, [active]);
}
