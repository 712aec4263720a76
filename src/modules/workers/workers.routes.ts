// STUB
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../server/services.js';
export async function workersRoutes(_app: FastifyInstance, _opts: { services: Services }) {}
