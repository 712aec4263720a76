import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import client from 'prom-client';
import { Type } from 'typebox';
import type { Db } from '../../db/database.js';
import { ping } from '../../db/database.js';
import { migrationsApplied } from '../../db/migrate.js';

/** /healthz (process up), /readyz (database reachable, migrations applied), Prometheus /metrics. */
export const observabilityPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.decorate('metrics', registry);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
  });

  const Status = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.Boolean())) });
  app.get('/healthz', { schema: { tags: ['operations'], response: { 200: Status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['operations'], response: { 200: Status, 503: Status } } }, async (_req, reply) => {
    const database = await ping(opts.db);
    const migrations = database && (await migrationsApplied(opts.db));
    const ok = database && migrations;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks: { database, migrations } });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    metrics: client.Registry;
  }
}
