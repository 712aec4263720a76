import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from '../../contracts/auth.js';
import type { CreatedSession } from './sessions.service.js';

/** Sets the HttpOnly, SameSite=Lax session cookie for a session just created by a log-in. */
export function setSessionCookie(reply: FastifyReply, session: CreatedSession, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
