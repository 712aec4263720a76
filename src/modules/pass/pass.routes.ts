import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ProblemSchema } from '../../contracts/common.js';
import { AdminPass, Jwks, MyPass, PassKeyItem, RevokeInput, SignedBundle } from '../../contracts/pass.js';
import type { StaffRole } from '../../contracts/auth.js';
import { auditContext, requireStaff, requireWorker } from '../../server/plugins/auth.js';
import type { PassService } from './pass.service.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));

/** Accounts that scan passes: they fetch the trust bundle. */
export const SCANNING_ROLES: readonly StaffRole[] = ['scanner', 'operator', 'handler', 'grid_worker'];

const AdminPassQuery = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 20, description: 'exact mobile number (blind index)' })),
  workerId: Type.Optional(Type.String({ format: 'uuid' })),
});
const WorkerParams = Type.Object({ workerId: Type.String({ format: 'uuid' }) });
const RotateInput = Type.Object({
  force: Type.Optional(Type.Boolean({ description: 'skip the 25 h publication wait (a compromised key): scanners that have not refreshed refuse new tokens until they do' })),
});

/** The issuer keys at the well-known address (registered at the root, not under /api): anyone can verify a pass without our code. */
export async function passWellKnownRoutes(app: FastifyInstance, opts: { services: { pass: PassService } }) {
  const { pass } = opts.services;
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['public'],
        summary: 'Pass issuer keys (RFC 7517): next, active and recently retired Ed25519 keys of every city',
        response: { 200: Jwks },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      reply.header('access-control-allow-origin', '*');
      reply.header('cross-origin-resource-policy', 'cross-origin');
      return pass.jwks();
    },
  );
}

/** The worker's pass, the scanners' trust bundle, and pass and key administration. */
export async function passRoutes(app: FastifyInstance, opts: { services: { pass: PassService } }) {
  const { pass } = opts.services;

  // ---------------- worker app ----------------

  app.get(
    '/pass/me',
    {
      schema: {
        tags: ['worker'],
        summary: 'My pass with 6 pre-signed tokens (one per 30 s: 3 minutes without network); issued on first use',
        description: 'Only for verified workers (403 pass.not_verified). Frozen or revoked: no tokens.',
        response: { 200: MyPass, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const me = requireWorker(request);
      reply.header('cache-control', 'no-store');
      return pass.myPass(me.id);
    },
  );

  for (const [path, summary, run] of [
    ['freeze', 'Freeze my pass (e.g. a lost phone): refused everywhere until I unfreeze it', pass.freeze],
    ['unfreeze', 'Unfreeze my pass', pass.unfreeze],
  ] as const) {
    app.post(
      `/pass/me/${path}`,
      { schema: { tags: ['worker'], summary, response: { 200: MyPass, ...problems(401, 403, 404, 409) } } },
      async (request, reply) => {
        const me = requireWorker(request);
        reply.header('cache-control', 'no-store');
        return run(me.id, auditContext(request));
      },
    );
  }

  // ---------------- scanners ----------------

  app.get(
    '/pass/bundle',
    {
      schema: {
        tags: ['scanner'],
        summary: 'The city’s signed trust bundle: issuer keys, revocation status list, server time, version',
        description: 'Verify `jws` with a key of the bundle you trusted before (the first one: this HTTPS response), and never accept a lower version.',
        response: { 200: SignedBundle, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const p = requireStaff(request, SCANNING_ROLES);
      reply.header('cache-control', 'no-store');
      return pass.bundleFor(p.cityCode);
    },
  );

  // ---------------- admin ----------------

  app.get(
    '/admin/passes',
    {
      schema: {
        tags: ['admin'],
        summary: 'A worker’s pass, found by phone number or worker id (within my area)',
        querystring: AdminPassQuery,
        response: { 200: AdminPass, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => pass.adminFind(requireStaff(request), request.query as { phone?: string; workerId?: string }, auditContext(request)),
  );

  app.post(
    '/admin/passes/:workerId/revoke',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a worker’s pass with a reason: online scanners refuse it at once, offline ones at their next bundle refresh',
        params: WorkerParams,
        body: RevokeInput,
        response: { 200: AdminPass, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => pass.revoke(requireStaff(request), (request.params as { workerId: string }).workerId, request.body as RevokeInput, auditContext(request)),
  );

  app.post(
    '/admin/passes/:workerId/reissue',
    {
      schema: {
        tags: ['admin'],
        summary: 'Issue a new pass (new pseudonym and status index) after a revocation',
        params: WorkerParams,
        response: { 200: AdminPass, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => pass.reissue(requireStaff(request), (request.params as { workerId: string }).workerId, auditContext(request)),
  );

  app.get(
    '/admin/pass/keys',
    { schema: { tags: ['admin'], summary: 'The city’s pass signing keys (operators)', response: { 200: Type.Array(PassKeyItem), ...problems(401, 403) } } },
    async (request) => pass.listKeys(requireStaff(request)),
  );

  app.post(
    '/admin/pass/keys/rotate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Rotate the signing key: next → active, active → retired (published 7 more days), a new next',
        description: 'Refused (409 pass.key_not_ready) until the next key has been published for 25 h, unless force. City-wide operators only.',
        body: RotateInput,
        response: { 200: Type.Array(PassKeyItem), ...problems(400, 401, 403, 409) },
      },
    },
    async (request) => pass.rotateKeys(requireStaff(request), (request.body as { force?: boolean } | undefined) ?? {}, auditContext(request)),
  );
}
