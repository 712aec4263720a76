import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { CSRF_HEADER, SESSION_COOKIE, type Principal, type StaffPrincipal, type StaffRole, type WorkerPrincipal } from '../../contracts/auth.js';
import { AppError } from '../../shared/errors.js';
import type { SessionsService } from '../../modules/auth/sessions.service.js';
import type { AuditContext } from '../../modules/audit/audit.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    sessionId?: string;
    csrfToken?: string;
    /** Set when the cookie named an ended session, so a protected route can say "session expired". */
    sessionError?: AppError;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the session cookie on every request and enforces CSRF on state-changing requests. */
export const authPlugin = fp(async (app: FastifyInstance, opts: { sessions: SessionsService }) => {
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    try {
      const s = await opts.sessions.resolve(token);
      if (s) {
        request.principal = s.principal;
        request.sessionId = s.id;
        request.csrfToken = s.csrfToken;
      }
    } catch (e) {
      if (e instanceof AppError) request.sessionError = e;
      else throw e;
    }
  });
  app.addHook('preHandler', async (request) => {
    if (SAFE.has(request.method) || !request.principal) return;
    if (request.routeOptions.config?.csrf === false) return;
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || sent !== request.csrfToken) {
      throw new AppError('request.csrf_failed', `Missing or wrong ${CSRF_HEADER} header`);
    }
  });
});

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set false on routes that authenticate without the session cookie (device API keys). */
    csrf?: boolean;
  }
}

function unauthenticated(request: FastifyRequest): never {
  throw request.sessionError ?? new AppError('auth.unauthenticated', 'Sign in first');
}

export function requireWorker(request: FastifyRequest): WorkerPrincipal {
  const p = request.principal;
  if (!p) unauthenticated(request);
  if (p.kind !== 'worker') throw new AppError('auth.forbidden', 'This is for workers');
  return p;
}

export function requireStaff(request: FastifyRequest, roles?: readonly StaffRole[]): StaffPrincipal {
  const p = request.principal;
  if (!p) unauthenticated(request);
  if (p.kind !== 'staff') throw new AppError('auth.forbidden', 'This is for staff');
  if (roles && !roles.includes(p.role)) throw new AppError('auth.forbidden', `Your role (${p.role}) may not do this`);
  return p;
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) unauthenticated(request);
  return request.principal;
}

/** Who, from where, in which request: passed to services so they can write the audit trail. */
export function auditContext(request: FastifyRequest): AuditContext {
  return { principal: request.principal, ip: request.ip, requestId: String(request.id) };
}
