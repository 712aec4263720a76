import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import helmet from '@fastify/helmet';
import type { Config } from './config.js';
import { buildServices, type AppDeps, type Services } from './services.js';
import { registerHousekeeping } from './housekeeping.js';
import { errorsPlugin, sendProblem } from './plugins/errors.js';
import { authPlugin } from './plugins/auth.js';
import { idempotencyPlugin } from './plugins/idempotency.js';
import { openapiPlugin } from './plugins/openapi.js';
import { observabilityPlugin } from './plugins/observability.js';
import { webPlugin } from './plugins/web.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { areasRoutes } from '../modules/areas/areas.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { notificationsRoutes } from '../modules/notifications/notifications.routes.js';
import { workersRoutes } from '../modules/workers/workers.routes.js';
import { staffRoutes } from '../modules/staff/staff.routes.js';
import { placesPublicRoutes } from '../modules/places/places.public.routes.js';
import { placesRoutes } from '../modules/places/places.routes.js';
import { chargingRoutes } from '../modules/charging/charging.routes.js';
import { merchantsRoutes } from '../modules/merchants/merchants.routes.js';
import { pointsRoutes } from '../modules/points/points.routes.js';
import { pointsAdminRoutes } from '../modules/points/points.admin.routes.js';
import { passRoutes, passWellKnownRoutes } from '../modules/pass/pass.routes.js';
import { passScansRoutes } from '../modules/pass/pass.scans.routes.js';
import { calendarRoutes } from '../platform/calendar/calendar.routes.js';
import { reportsRoutes } from '../modules/reports/reports.routes.js';
import { reportsAdminRoutes } from '../modules/reports/reports.admin.routes.js';
import { workflowRoutes } from '../modules/reports/workflow.routes.js';
import { campaignsRoutes } from '../modules/reports/campaigns.routes.js';
import { open311ClientsRoutes, open311DiscoveryRoutes, open311Routes } from '../modules/reports/open311.routes.js';
import { tileOrigins } from '../modules/places/map-tiles.js';
import { appealsRoutes } from '../modules/appeals/appeals.routes.js';
import { appealsAdminRoutes } from '../modules/appeals/appeals.admin.routes.js';
import { appealDocumentsRoutes } from '../modules/appeals/appeals.documents.routes.js';
import { legalAdminRoutes, legalRoutes } from '../modules/legal/legal.routes.js';
import { libraryAdminRoutes, libraryRoutes } from '../modules/library/library.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/**
 * The whole platform as one Fastify instance. `npm start` listens on it; tests drive it with inject().
 * Load order: infrastructure (errors, cookies, observability, OpenAPI, auth, idempotency) → modules → web.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // Query strings can carry personal data (a searched phone number): log the path only.
            serializers: {
              req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ method: req.method, url: req.url.split('?')[0], ip: req.ip, id: req.id }),
            },
          },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    },
    requestIdHeader: false,
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: true } },
  });

  const services = buildServices(config, deps);
  registerHousekeeping(services);
  app.decorate('services', services);
  // The nearby index loads before the first request and stops following the table on close.
  app.addHook('onReady', async () => services.nearby.start());
  app.addHook('onClose', async () => services.nearby.stop());
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(cookie);
  // Security headers. The apps load only their own scripts; antd and antd-mobile inject styles at run
  // time ('unsafe-inline' styles). Images may also come from the configured map-tile host.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...tileOrigins(config)],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Served over plain http in development; HTTPS deployments set HSTS at the TLS terminator too.
    strictTransportSecurity: config.cookieSecure,
  });
  await app.register(rateLimit, { global: false });
  await app.register(observabilityPlugin, { db: services.db });
  await app.register(openapiPlugin, { publicUrl: config.publicUrl });
  await app.register(authPlugin, { sessions: services.sessions });
  await app.register(idempotencyPlugin, { db: services.db });

  await app.register(
    async (api) => {
      await api.register(authRoutes, { services });
      await api.register(areasRoutes, { services });
      await api.register(auditRoutes, { services });
      await api.register(notificationsRoutes, { services });
      await api.register(workersRoutes, { services });
      await api.register(staffRoutes, { services });
      await api.register(placesPublicRoutes, { services });
      await api.register(placesRoutes, { services });
      await api.register(chargingRoutes, { services });
      await api.register(merchantsRoutes, { services });
      await api.register(pointsRoutes, { services });
      await api.register(pointsAdminRoutes, { services });
      await api.register(passRoutes, { services });
      await api.register(passScansRoutes, { services });
      await api.register(calendarRoutes, { services });
      await api.register(reportsRoutes, { services });
      await api.register(reportsAdminRoutes, { services });
      await api.register(workflowRoutes, { services });
      await api.register(campaignsRoutes, { services });
      await api.register(open311ClientsRoutes, { services });
      await api.register(appealsRoutes, { services });
      await api.register(appealsAdminRoutes, { services });
      await api.register(appealDocumentsRoutes, { services });
      await api.register(legalRoutes, { services });
      await api.register(legalAdminRoutes, { services });
      await api.register(libraryRoutes, { services });
      await api.register(libraryAdminRoutes, { services });
    },
    { prefix: '/api' },
  );

  // Public issuer keys at the root: /.well-known/jwks.json.
  await app.register(passWellKnownRoutes, { services });
  // Open311 GeoReport v2 at /open311/v2 (its own body parsers and error format, scoped to it)
  await app.register(open311Routes, { services, prefix: '/open311/v2' });
  await app.register(open311DiscoveryRoutes, { services, prefix: '/open311' });

  await app.register(webPlugin, { dist: config.webDist });

  // Unknown routes: a problem body, and rate-limited so scanning the API for routes is slow.
  app.setNotFoundHandler(
    { preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute' }) },
    (request, reply) => sendProblem(reply, request, 'request.not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );

  return app;
}
