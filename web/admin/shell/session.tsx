import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SessionInfo, StaffRole } from '@contracts/auth';
import { api, loadSession, logout, onUnauthenticated } from '@ui/api';

export type StaffSession = SessionInfo & { staff: NonNullable<SessionInfo['staff']> };

/** The console's sections; the side menu and the routes show only those the role may use. */
export type Section = 'verifications' | 'workers' | 'places' | 'merchants' | 'charging' | 'points' | 'reports' | 'appeals' | 'pass' | 'departments' | 'staff' | 'audit' | 'account' | 'legal' | 'library';

const sectionsByRole: Record<StaffRole, Section[]> = {
  operator: ['verifications', 'workers', 'places', 'merchants', 'charging', 'points', 'reports', 'appeals', 'legal', 'pass', 'departments', 'staff', 'audit', 'library', 'account'],
  reviewer: ['verifications', 'workers', 'pass', 'account'],
  handler: ['workers', 'reports', 'appeals', 'places', 'merchants', 'points', 'pass', 'account'],
  grid_worker: ['workers', 'reports', 'appeals', 'places', 'pass', 'account'],
  hotline_agent: ['appeals', 'legal', 'workers', 'account'],
  mediator: ['appeals', 'legal', 'workers', 'library', 'account'],
  scanner: ['account'],
  lawyer: ['legal', 'account'],
};

export function sectionsFor(role: string): Section[] {
  return sectionsByRole[role as StaffRole] ?? ['account'];
}

/** Only these roles may see plaintext personal data (and every look is audited). */
export function mayUnmask(role: string): boolean {
  return role === 'operator' || role === 'reviewer';
}

/** Why the person is on the sign-in screen, shown above the form. */
export type SignedOutReason = 'expired' | 'signedOut' | undefined;

interface SessionState {
  session: StaffSession | undefined;
  status: 'loading' | 'signedOut' | 'signedIn' | 'error';
  reason: SignedOutReason;
  /** Signs in and returns the sections the account may use. */
  signIn(username: string, password: string): Promise<Section[]>;
  signOut(reason?: SignedOutReason): Promise<void>;
  /** Keeps the server session alive (GET /api/auth/session refreshes its idle timer). */
  refresh(): Promise<void>;
  retry(): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<StaffSession | undefined>();
  const [status, setStatus] = useState<SessionState['status']>('loading');
  const [reason, setReason] = useState<SignedOutReason>();
  const [attempt, setAttempt] = useState(0);

  const accept = useCallback((s: SessionInfo | undefined) => {
    if (s && s.kind === 'staff' && s.staff) {
      setSession(s as StaffSession);
      setStatus('signedIn');
      setReason(undefined);
    } else {
      setSession(undefined);
      setStatus('signedOut');
    }
  }, []);

  useEffect(() => {
    let live = true;
    loadSession().then(
      (s) => live && accept(s),
      () => live && setStatus('error'),
    );
    return () => {
      live = false;
    };
  }, [accept, attempt]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        queryClient.clear();
        setSession(undefined);
        setReason('expired');
        setStatus('signedOut');
      }),
    [queryClient],
  );

  const value = useMemo<SessionState>(
    () => ({
      session,
      status,
      reason,
      async signIn(username, password) {
        await api.post('/api/staff/auth/login', { username, password }, { quiet401: true });
        queryClient.clear();
        const s = await loadSession();
        accept(s);
        return s?.staff ? sectionsFor(s.staff.role) : [];
      },
      async signOut(why = 'signedOut') {
        try {
          await logout();
        } catch {
          // Signed out locally either way; the server session ends by its idle timeout.
        }
        queryClient.clear();
        setSession(undefined);
        setReason(why);
        setStatus('signedOut');
      },
      async refresh() {
        const s = await loadSession();
        if (!s) {
          queryClient.clear();
          setReason('expired');
        }
        accept(s);
      },
      retry() {
        setStatus('loading');
        setAttempt((n) => n + 1);
      },
    }),
    [session, status, reason, queryClient, accept],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in staff member; only for screens rendered inside the signed-in layout. */
export function useStaff(): StaffSession['staff'] {
  const { session } = useSession();
  if (!session) throw new Error('useStaff while signed out');
  return session.staff;
}
