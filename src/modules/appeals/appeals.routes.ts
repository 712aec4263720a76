import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import { APPEAL_DEFAULTS, AppealSubmit, AppealSummary, AppealView, Evidence, EvidenceParams, EvidenceQuery, MineQuery, Rating, Reopen } from '../../contracts/appeals.js';
import { AppError } from '../../shared/errors.js';
import { auditContext, requirePrincipal, requireWorker } from '../../server/plugins/auth.js';
import type { AppealsModule } from './appeals.module.js';

export const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
export const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
const binary = { description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };

/** Evidence bodies (JPEG, PNG, WebP, PDF) as raw bytes, for this plugin's routes only; the type is checked by content. */
export function acceptEvidence(app: FastifyInstance): void {
  app.addContentTypeParser(/^(image\/[\w.+-]+|application\/pdf|application\/octet-stream)$/i, { parseAs: 'buffer', bodyLimit: APPEAL_DEFAULTS.evidenceMaxBytes }, (_req, body, done) => done(null, body));
}

export function rawEvidence(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new AppError('storage.unsupported_type', 'Send the file itself as the request body (image/jpeg, image/png, image/webp or application/pdf)', { errors: [{ field: 'body', message: 'expected file bytes' }] });
  }
  return body;
}

export const evidenceUploadSchema = (tags: string[]) => ({
  tags,
  summary: 'Add a file to the evidence locker (raw JPEG, PNG, WebP or PDF body, ≤ 10 MB; kind, note and time in the query)',
  description: 'Checked by content; kept as sent with its SHA-256. Send an Idempotency-Key so a retry does not store it twice.',
  params: IdParams,
  querystring: EvidenceQuery,
  response: { 201: Evidence, ...problems(400, 401, 403, 404, 409, 413, 415) },
});

/** 诉求 for workers: file, list mine, follow the clock, keep evidence, rate, reopen once. */
export async function appealsRoutes(app: FastifyInstance, opts: { services: { appealsModule: AppealsModule } }) {
  const appeals = opts.services.appealsModule.appeals;
  const tags = ['appeals'];
  acceptEvidence(app);

  app.post(
    '/appeals',
    {
      schema: {
        tags,
        summary: 'File an appeal (verified workers): type, what happened, against whom, amount claimed (fen)',
        description: 'Idempotent by clientId: a retry returns the first appeal with 200; another appeal under the same clientId → 422 appeals.client_id_conflict.',
        body: AppealSubmit,
        response: { 200: AppealView, 201: AppealView, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { appeal, created } = await appeals.submit(requireWorker(request), request.body as AppealSubmit, auditContext(request));
      return reply.code(created ? 201 : 200).send(appeal);
    },
  );

  app.get(
    '/appeals/mine',
    { schema: { tags, summary: 'My appeals (filed in the app, or by phone with my number), newest first', querystring: MineQuery, response: { 200: Page(AppealSummary), ...problems(400, 401, 403) } } },
    async (request) => appeals.mine(requireWorker(request), request.query as MineQuery),
  );

  app.get(
    '/appeals/:id',
    { schema: { tags, summary: 'One of my appeals: deadlines, people, evidence, mediation, timeline', params: IdParams, response: { 200: AppealView, ...problems(400, 401, 403, 404) } } },
    async (request) => appeals.workerView(requireWorker(request), idOf(request)),
  );

  app.post('/appeals/:id/evidence', { schema: evidenceUploadSchema(tags) }, async (request, reply) =>
    reply.code(201).send(await appeals.addEvidence(requireWorker(request), idOf(request), rawEvidence(request.body), request.query as EvidenceQuery, auditContext(request))),
  );

  app.get(
    '/appeals/:id/evidence/:evidenceId',
    { schema: { tags, summary: 'Download an evidence file of my appeal', params: EvidenceParams, response: { 200: binary, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => {
      const p = requirePrincipal(request);
      const { id, evidenceId } = request.params as { id: string; evidenceId: string };
      const file = await appeals.evidenceFile(p, id, evidenceId, auditContext(request));
      reply.header('cache-control', 'private, no-store').header('x-content-sha256', file.sha256).header('x-content-type-options', 'nosniff');
      return reply.type(file.contentType).send(file.body);
    },
  );

  app.post(
    '/appeals/:id/rating',
    { schema: { tags, summary: 'Rate a resolved appeal (satisfied / basically satisfied / dissatisfied + reason); this closes it', params: IdParams, body: Rating, response: { 200: AppealView, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => appeals.rate(requireWorker(request), idOf(request), request.body as Rating, auditContext(request)),
  );

  app.post(
    '/appeals/:id/reopen',
    { schema: { tags, summary: 'Reopen a closed appeal I rated dissatisfied (once)', params: IdParams, body: Reopen, response: { 200: AppealView, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => {
      const w = requireWorker(request);
      await appeals.reopen(w, idOf(request), request.body as Reopen, auditContext(request));
      return appeals.workerView(w, idOf(request));
    },
  );
}
