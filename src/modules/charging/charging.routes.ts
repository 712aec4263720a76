import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Page, ProblemSchema } from '../../contracts/common.js';
import {
  AdminCabinet,
  API_KEY_HEADER,
  CabinetListQuery,
  CabinetUpsert,
  ChargingOperator,
  ExternalIdParams,
  HeartbeatBatch,
  HeartbeatBatchResult,
  MAX_HEARTBEATS_PER_BATCH,
  OperatorCabinet,
  OperatorCreate,
  OperatorWithKey,
} from '../../contracts/charging.js';
import { IDEMPOTENCY_HEADER } from '../../contracts/auth.js';
import type { Services } from '../../server/services.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import { sha256Hex } from '../../shared/ids.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const OperatorIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Rate limits count per API key (a hash of it), or per address when none is sent. */
const perKey = (request: FastifyRequest) => {
  const key = request.headers[API_KEY_HEADER];
  return typeof key === 'string' && key ? `charging:${sha256Hex(key).slice(0, 24)}` : `charging-ip:${request.ip}`;
};

/**
 * A response holding a new API key must not be kept anywhere: the idempotency store would save it in
 * clear, so these routes ignore Idempotency-Key (a retried create meets the unique name; a retried
 * rotation just issues the newest key).
 */
const dropIdempotencyKey = async (request: FastifyRequest) => {
  delete request.headers[IDEMPOTENCY_HEADER];
};

const apiDescription = `Authenticate with the operator's key in the \`X-Api-Key\` header (issued by the city in the admin console, shown once).
A cabinet whose last heartbeat is older than the stale limit (10 minutes by default) is shown to riders as "unknown", never as available:
send a heartbeat at least every few minutes. Rate-limited per key.`;

export async function chargingRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { charging } = opts.services;

  // ---------------- operator / device API (X-Api-Key, no session, no CSRF) ----------------

  app.put(
    '/charging/v1/cabinets/:externalId',
    {
      config: { csrf: false, rateLimit: { max: 3000, timeWindow: '1 minute', keyGenerator: perKey } },
      schema: {
        tags: ['charging operator API'],
        summary: 'Register or update a swap cabinet (换电柜) and record a heartbeat',
        description: `${apiDescription}\n\nCreates the cabinet on first use (201), updates it afterwards (200). \`readyBatteries\` may not exceed \`slots\`; \`placeId\` must be a charging site of the operator's city.`,
        security: [{ chargingApiKey: [] }],
        params: ExternalIdParams,
        body: CabinetUpsert,
        response: { 200: OperatorCabinet, 201: OperatorCabinet, ...problems(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const op = await charging.authenticate(request.headers[API_KEY_HEADER] as string | undefined);
      const { externalId } = request.params as ExternalIdParams;
      const { cabinet, created } = await charging.upsertCabinet(op, externalId, request.body as CabinetUpsert, auditContext(request));
      return reply.code(created ? 201 : 200).send(cabinet);
    },
  );

  app.post(
    '/charging/v1/heartbeats',
    {
      config: { csrf: false, rateLimit: { max: 300, timeWindow: '1 minute', keyGenerator: perKey } },
      schema: {
        tags: ['charging operator API'],
        summary: `Heartbeats of many registered cabinets at once (≤ ${MAX_HEARTBEATS_PER_BATCH})`,
        description: `${apiDescription}\n\nItems naming an unknown cabinet, or with more ready batteries than slots, are reported in \`errors\` by position; the others are applied.`,
        security: [{ chargingApiKey: [] }],
        body: HeartbeatBatch,
        response: { 200: HeartbeatBatchResult, ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const op = await charging.authenticate(request.headers[API_KEY_HEADER] as string | undefined);
      return charging.recordHeartbeats(op, request.body as HeartbeatBatch);
    },
  );

  // ---------------- admin console (operators only) ----------------

  app.get(
    '/admin/charging/operators',
    { schema: { tags: ['admin'], summary: 'Charging operators of my city', response: { 200: Type.Array(ChargingOperator), ...problems(401, 403) } } },
    async (request) => charging.listOperators(requireStaff(request, ['operator'])),
  );

  app.post(
    '/admin/charging/operators',
    {
      onRequest: dropIdempotencyKey,
      schema: {
        tags: ['admin'],
        summary: 'Add a charging operator; the response carries its API key, shown this once',
        body: OperatorCreate,
        response: { 201: OperatorWithKey, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const p = requireStaff(request, ['operator']);
      return reply.code(201).send(await charging.createOperator(p, request.body as OperatorCreate, auditContext(request)));
    },
  );

  app.post(
    '/admin/charging/operators/:id/rotate-key',
    {
      onRequest: dropIdempotencyKey,
      schema: {
        tags: ['admin'],
        summary: 'Issue a new API key (shown this once); the old one stops working at once',
        params: OperatorIdParams,
        response: { 200: OperatorWithKey, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => charging.rotateKey(requireStaff(request, ['operator']), (request.params as { id: string }).id, auditContext(request)),
  );

  app.post(
    '/admin/charging/operators/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable an operator: its key stops working; its cabinets turn unknown when their heartbeats go stale',
        params: OperatorIdParams,
        response: { 200: ChargingOperator, ...problems(401, 403, 404) },
      },
    },
    async (request) => charging.disableOperator(requireStaff(request, ['operator']), (request.params as { id: string }).id, auditContext(request)),
  );

  app.get(
    '/admin/charging/cabinets',
    {
      schema: {
        tags: ['admin'],
        summary: 'Swap cabinets of my city with their live state (stale heartbeat → unknown)',
        querystring: CabinetListQuery,
        response: { 200: Page(AdminCabinet), ...problems(400, 401, 403) },
      },
    },
    async (request) => charging.listCabinets(requireStaff(request, ['operator']), request.query as CabinetListQuery),
  );
}
