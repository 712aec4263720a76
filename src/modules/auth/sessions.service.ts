import type { Principal } from '../../contracts/auth.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { newId, randomToken, sha256Hex } from '../../shared/ids.js';
import type { SessionsRepository } from './sessions.repository.js';

export interface CreatedSession {
  token: string;
  id: string;
  csrfToken: string;
  expiresAt: Date;
  idleTimeoutSeconds: number | null;
}

export interface ResolvedSession {
  id: string;
  principal: Principal;
  csrfToken: string;
  expiresAt: Date;
  idleTimeoutSeconds: number | null;
}

/** Touch last_seen_at at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 30_000;

export function createSessionsService(deps: { repo: SessionsRepository; clock: Clock }) {
  const { repo, clock } = deps;
  return {
    async create(
      principal: Principal,
      opts: { lifetimeSeconds: number; idleTimeoutSeconds: number | null; ip?: string; userAgent?: string },
    ): Promise<CreatedSession> {
      const now = clock.now();
      const token = randomToken(32);
      const id = newId();
      const csrfToken = randomToken(24);
      const expiresAt = new Date(now.getTime() + opts.lifetimeSeconds * 1000);
      await repo.insert({
        id,
        token_hash: sha256Hex(token),
        subject_kind: principal.kind,
        subject_id: principal.id,
        principal,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        idle_timeout_seconds: opts.idleTimeoutSeconds,
        ip: opts.ip ?? null,
        user_agent: opts.userAgent?.slice(0, 300) ?? null,
      });
      return { token, id, csrfToken, expiresAt, idleTimeoutSeconds: opts.idleTimeoutSeconds };
    },

    /**
     * Resolves a cookie token. Returns undefined for an unknown token; throws auth.session_expired for
     * a session that ended by time, idleness or revocation, so the client can say why.
     */
    async resolve(token: string): Promise<ResolvedSession | undefined> {
      if (!token || token.length > 200) return undefined;
      const row = await repo.findByTokenHash(sha256Hex(token));
      if (!row) return undefined;
      const now = clock.now();
      if (row.revoked_at || row.expires_at <= now) throw new AppError('auth.session_expired', 'Your session has ended; sign in again');
      if (row.idle_timeout_seconds !== null && now.getTime() - row.last_seen_at.getTime() > row.idle_timeout_seconds * 1000) {
        await repo.revoke(row.id, now);
        throw new AppError('auth.session_expired', 'Signed out after inactivity; sign in again');
      }
      if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) await repo.touch(row.id, now);
      const principal = typeof row.principal === 'string' ? (JSON.parse(row.principal) as Principal) : row.principal;
      return {
        id: row.id,
        principal,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
        idleTimeoutSeconds: row.idle_timeout_seconds,
      };
    },

    async revoke(id: string): Promise<void> {
      await repo.revoke(id, clock.now());
    },

    /** Ends every session of a subject: after a role change, disabling an account, a revoked verification. */
    async revokeAllFor(kind: 'worker' | 'staff', subjectId: string): Promise<number> {
      return repo.revokeAllFor(kind, subjectId, clock.now());
    },

    async purgeExpired(): Promise<number> {
      return repo.deleteExpired(new Date(clock.now().getTime() - 24 * 3600 * 1000));
    },
  };
}
export type SessionsService = ReturnType<typeof createSessionsService>;
