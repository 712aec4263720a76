import type { FastifyInstance } from 'fastify';
import { ProblemSchema } from '../../contracts/common.js';
import { MapConfig, NearbyQuery, NearbyResponse, cityCentres } from '../../contracts/places.js';
import type { Services } from '../../server/services.js';
import { tilesFor } from './map-tiles.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));

/** What anyone may ask without signing in: places near a point, and how to draw the map. */
export async function placesPublicRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { nearby, config } = opts.services;

  app.get(
    '/places/nearby',
    {
      schema: {
        tags: ['places'],
        summary: 'Listed places nearest to a point, with filters',
        description:
          'k nearest (great circle) listed places: active, and merchants only when certified. `types` and `services` are comma-separated codes (a place must offer every service); `openNow` evaluates opening hours in Asia/Shanghai (unknown hours never match); `readyBattery` keeps charging sites with a ready swap battery and a heartbeat under 10 minutes old. Served from an in-memory index kept in step with the database within seconds; `source` says whether SQL answered instead.',
        querystring: NearbyQuery,
        response: { 200: NearbyResponse, ...problems(400) },
      },
    },
    // Sent pre-serialised (the same document as NearbyResponse; a test holds the two together).
    async (request, reply) => reply.type('application/json; charset=utf-8').send(await nearby.queryJson(request.query as NearbyQuery)),
  );

  const mapConfig = { tiles: tilesFor(config), center: cityCentres['3302']!, zoom: 13 };
  app.get(
    '/places/map-config',
    { schema: { tags: ['places'], summary: 'Map tiles and the starting view for the apps', response: { 200: MapConfig } } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return mapConfig;
    },
  );
}
