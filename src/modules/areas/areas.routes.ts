import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AreaSchema, ProblemSchema } from '../../contracts/common.js';
import type { Services } from '../../server/services.js';

export const DEMO_CITY = '3302';

export async function areasRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { areas } = opts.services;
  const CodeParams = Type.Object({ code: Type.String({ pattern: '^\\d{2,12}$' }) });

  app.get(
    '/areas',
    {
      schema: {
        tags: ['areas'],
        summary: 'Search areas (districts, streets, communities) of a city by name',
        querystring: Type.Object({
          city: Type.String({ pattern: '^\\d{4}$', default: DEMO_CITY }),
          q: Type.String({ minLength: 1, maxLength: 40 }),
          limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
        }),
        response: { 200: Type.Array(AreaSchema) },
      },
    },
    async (request) => {
      const { city, q, limit } = request.query as { city: string; q: string; limit: number };
      return areas.search(city, q, limit);
    },
  );

  app.get(
    '/areas/:code',
    { schema: { tags: ['areas'], summary: 'One area with its path from the city', params: CodeParams, response: { 200: Type.Object({ area: AreaSchema, path: Type.Array(AreaSchema) }), 404: ProblemSchema } } },
    async (request) => {
      const { code } = request.params as { code: string };
      return { area: await areas.get(code), path: await areas.path(code) };
    },
  );

  app.get(
    '/areas/:code/children',
    { schema: { tags: ['areas'], summary: 'The areas directly inside an area', params: CodeParams, response: { 200: Type.Array(AreaSchema), 404: ProblemSchema } } },
    async (request) => areas.children((request.params as { code: string }).code),
  );
}
