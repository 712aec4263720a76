import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SessionInfo } from '../../contracts/auth.js';
import { ProblemSchema } from '../../contracts/common.js';
import type { Services } from '../../server/services.js';
import { requirePrincipal } from '../../server/plugins/auth.js';
import { clearSessionCookie } from './session-cookie.js';

export async function authRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { sessions, areas } = opts.services;

  app.get(
    '/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in subject and the CSRF token for state-changing requests',
        response: { 200: SessionInfo, 401: ProblemSchema },
      },
    },
    async (request) => {
      const p = requirePrincipal(request);
      const s = await sessions.resolve(request.cookies.ya_sid!);
      const info: SessionInfo = {
        kind: p.kind,
        id: p.id,
        csrfToken: request.csrfToken!,
        expiresAt: s!.expiresAt.toISOString(),
        idleTimeoutSeconds: s!.idleTimeoutSeconds,
      };
      if (p.kind === 'staff') {
        const area = await areas.find(p.areaCode);
        info.staff = {
          username: p.username,
          displayName: p.displayName,
          role: p.role,
          areaCode: p.areaCode,
          areaName: area?.name ?? p.areaCode,
          departmentIds: p.departmentIds,
        };
      }
      return info;
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the current session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      if (request.sessionId) await sessions.revoke(request.sessionId);
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );
}
