import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

export const webApps = ['worker', 'admin', 'scanner'] as const;

/**
 * Serves the built web apps (vite build → dist/web): hashed assets with long caching, and each app's
 * index.html for its client-side routes (/worker/*, /admin/*, /scanner/*).
 */
export const webPlugin = fp(async (app: FastifyInstance, opts: { dist: string }) => {
  const built = fs.existsSync(path.join(opts.dist, 'index.html'));
  if (!built) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('The web apps are not built yet: run `npm run build:web` (npm start does this for you).'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: opts.dist,
    prefix: '/',
    index: ['index.html'],
    wildcard: false,
    setHeaders(res, file) {
      if (file.includes(`${path.sep}assets${path.sep}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
      else res.header('cache-control', 'no-cache');
    },
  });
  for (const name of webApps) {
    const index = path.join(name, 'index.html');
    const send = (_req: unknown, reply: import('fastify').FastifyReply) => reply.header('cache-control', 'no-cache').sendFile(index);
    app.get(`/${name}`, { schema: { hide: true } }, send);
    app.get(`/${name}/*`, { schema: { hide: true } }, (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      const file = path.join(opts.dist, name, rel);
      if (rel && file.startsWith(path.join(opts.dist, name)) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        return reply.sendFile(path.join(name, rel));
      }
      return send(req, reply);
    });
  }
});
