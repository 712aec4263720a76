import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { SessionInfo } from '@contracts/auth';
import { loadSession, logout } from '@ui/api';
import { clearPassCache } from '../features/pass/pass-cache';

export const sessionKey = ['session'] as const;

/** The signed-in worker's session, or null. A staff session on the same origin counts as signed out here. */
export async function fetchWorkerSession(): Promise<SessionInfo | null> {
  const s = await loadSession();
  return s?.kind === 'worker' ? s : null;
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchWorkerSession, staleTime: Infinity });
}

/** Ends the session and forgets everything cached about the person. */
export async function signOut(queryClient: QueryClient) {
  try {
    await logout();
  } finally {
    queryClient.clear();
    // a shared phone must not show the previous worker's pass codes offline
    clearPassCache();
    queryClient.setQueryData(sessionKey, null);
  }
}
