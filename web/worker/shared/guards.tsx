import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { onUnauthenticated } from '@ui/api';
import { ErrorState, PageSkeleton } from './states';
import { sessionKey, useSession } from './session';

/** Where to go back to after signing in: the current in-app path (never an outside URL). */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Screens behind sign-in: without a worker session, go to /signin and come back afterwards. */
export function RequireWorker() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSkeleton />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** Any 401 (session ended, idle timeout) forgets the person's data and sends them to sign in. */
export function UnauthenticatedRedirect() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(
    () =>
      onUnauthenticated(() => {
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
        queryClient.setQueryData(sessionKey, null);
        if (location.pathname !== '/signin') {
          const next = location.pathname + location.search;
          navigate(next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`, { replace: true });
        }
      }),
    [queryClient, navigate, location],
  );
  return null;
}
