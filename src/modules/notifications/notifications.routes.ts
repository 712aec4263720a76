import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { IdParams, ProblemSchema } from '../../contracts/common.js';
import { NotificationPage } from '../../contracts/notifications.js';
import type { Services } from '../../server/services.js';
import { requirePrincipal } from '../../server/plugins/auth.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));

/** The signed-in person's inbox: workers and staff alike, each seeing only their own messages. */
export async function notificationsRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { notifications } = opts.services;

  app.get(
    '/me/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, with total and unread counts',
        querystring: Type.Object({
          page: Type.Integer({ minimum: 1, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          unreadOnly: Type.Boolean({ default: false }),
        }),
        response: { 200: NotificationPage, ...problems(400, 401) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const q = request.query as { page: number; pageSize: number; unreadOnly: boolean };
      return notifications.list(principal, q);
    },
  );

  app.post(
    '/me/notifications/read-all',
    { schema: { tags: ['notifications'], summary: 'Mark all my notifications read', response: { 204: Type.Null(), ...problems(401, 403) } } },
    async (request, reply) => {
      await notifications.markAllRead(requirePrincipal(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/me/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of my notifications read',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await notifications.markRead(requirePrincipal(request), (request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );
}
