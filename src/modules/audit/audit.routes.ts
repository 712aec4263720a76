import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Page, ProblemSchema } from '../../contracts/common.js';
import type { Services } from '../../server/services.js';
import { requireStaff } from '../../server/plugins/auth.js';

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorKind: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorLabel: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetKind: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export async function auditRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { audit } = opts.services;
  app.get(
    '/admin/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit trail of the city (operators only), newest first',
        querystring: Type.Object({
          page: Type.Integer({ minimum: 1, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          actorId: Type.Optional(Type.String({ format: 'uuid' })),
          action: Type.Optional(Type.String({ maxLength: 80 })),
          targetKind: Type.Optional(Type.String({ maxLength: 40 })),
          targetId: Type.Optional(Type.String({ maxLength: 80 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: Page(AuditEntry), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const principal = requireStaff(request);
      const q = request.query as { page: number; pageSize: number; actorId?: string; action?: string; targetKind?: string; targetId?: string; from?: string; to?: string };
      const { items, total } = await audit.list(principal, {
        actorId: q.actorId,
        action: q.action,
        targetKind: q.targetKind,
        targetId: q.targetId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return {
        items: items.map((r) => ({
          id: Number(r.id),
          at: new Date(r.at as unknown as string).toISOString(),
          actorKind: r.actor_kind,
          actorId: r.actor_id,
          actorLabel: r.actor_label,
          action: r.action,
          targetKind: r.target_kind,
          targetId: r.target_id,
          outcome: r.outcome,
          ip: r.ip,
          requestId: r.request_id,
          detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>,
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );
}
