import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI 3.1 generated from the route schemas that also validate requests. */
export const openapiPlugin = fp(async (app: FastifyInstance, opts: { publicUrl: string }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '甬爱 Yong\'ai platform API',
        version: '0.1.0',
        description:
          'API of the 甬爱 platform for the new-employment groups (新就业群体) of Ningbo. Errors are application/problem+json (RFC 9457) with a stable `code`. Browser sessions use the `ya_sid` cookie; state-changing requests need the `x-csrf-token` header from GET /api/auth/session. POST requests accept an `Idempotency-Key` header.',
      },
      servers: [{ url: opts.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ya_sid' },
          chargingApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'charging operator API key (issued in the admin console, shown once)' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
