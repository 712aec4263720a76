// STUB
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../server/services.js';
export async function staffRoutes(_app: FastifyInstance, _opts: { services: Services }) {}
