import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  MineQuery,
  NearbyQuery,
  NearbyReport,
  ReportCategory,
  ReportFeedback,
  ReportSubmit,
  REPORT_DEFAULTS,
  UploadedPhoto,
  WorkerReport,
  WorkerReportSummary,
} from '../../contracts/reports.js';
import { AppError } from '../../shared/errors.js';
import { auditContext, requireWorker } from '../../server/plugins/auth.js';
import type { ReportsModule } from './reports.module.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const id = (request: FastifyRequest) => (request.params as { id: string }).id;
const binary = (description: string) => ({ description, content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } });

/** The photo bytes as the body (raw JPEG, PNG or WebP; its content type is checked by the bytes). */
export function rawImage(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new AppError('storage.unsupported_type', 'Send the photo itself as the request body with its image/* content type', { errors: [{ field: 'body', message: 'expected image bytes' }] });
  }
  return body;
}

/** Raw image bodies for this plugin's routes only (encapsulated). */
export function acceptRawImages(app: FastifyInstance): void {
  app.addContentTypeParser(/^image\/[\w.+-]+$/i, { parseAs: 'buffer', bodyLimit: REPORT_DEFAULTS.photoMaxBytes }, (_req, body, done) => done(null, body));
}

export const PhotoParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const PhotoQuery = Type.Object({ sig: Type.Optional(Type.String({ maxLength: 64, description: 'a signed link (Open311 media_url): no sign-in needed' })) });

/** 随手拍 for workers: categories, photos, filing, nearby open reports ("me too"), my reports, feedback. */
export async function reportsRoutes(app: FastifyInstance, opts: { services: { reportsModule: ReportsModule } }) {
  const reports = opts.services.reportsModule.reports;
  const tags = ['reports'];
  acceptRawImages(app);

  app.get(
    '/reports/categories',
    { schema: { tags, summary: 'The active report categories, the rider-first short list first', response: { 200: Type.Array(ReportCategory), ...problems(401, 403) } } },
    async (request) => reports.listCategories(requireWorker(request).cityCode, { activeOnly: true }),
  );

  app.get(
    '/reports/nearby',
    {
      schema: {
        tags,
        summary: 'Open reports of a category near a point (the category’s radius and maximum), nearest first — to say "me too" instead of filing a duplicate',
        querystring: NearbyQuery,
        response: { 200: Type.Array(NearbyReport), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => reports.nearby(requireWorker(request), request.query as NearbyQuery),
  );

  app.post(
    '/reports/photos',
    {
      schema: {
        tags,
        summary: 'Upload a photo before sending the report (raw JPEG, PNG or WebP body, ≤ 8 MB)',
        description: 'Checked by content, re-encoded, EXIF and GPS stripped; the original is kept privately. Send an Idempotency-Key so a retry does not store it twice. Unused photos are deleted after 24 hours.',
        response: { 201: UploadedPhoto, ...problems(400, 401, 403, 413, 415, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await reports.uploadPhoto({ kind: 'worker', id: requireWorker(request).id }, requireWorker(request).cityCode, rawImage(request.body))),
  );

  app.get(
    '/reports/photos/:id',
    {
      schema: {
        tags,
        summary: 'A report photo’s public copy (WebP, no EXIF/GPS): for its uploader, the reporter and followers, staff in scope, or anyone with a signed link',
        params: PhotoParams,
        querystring: PhotoQuery,
        response: { 200: binary('image bytes'), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const photo = await reports.photoBytes(request.principal, id(request), (request.query as { sig?: string }).sig);
      reply.header('cache-control', photo.shareable ? 'public, max-age=86400, immutable' : 'private, max-age=3600');
      return reply.type(photo.contentType).send(photo.body);
    },
  );

  app.post(
    '/reports',
    {
      schema: {
        tags,
        summary: 'File a report (verified workers): category, location, 1–3 uploaded photos, optional description and tags',
        description:
          'Idempotent by clientId (generated on the phone): a retry returns the first report with 200; another report under the same clientId → 422 reports.client_id_conflict. 403 reports.not_verified, 429 reports.rate_limited (Retry-After), 400 reports.out_of_region, 404 reports.photo_not_found / reports.category_not_found.',
        body: ReportSubmit,
        response: { 200: WorkerReport, 201: WorkerReport, ...problems(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { report, created } = await reports.submit(requireWorker(request), request.body as ReportSubmit, auditContext(request));
      return reply.code(created ? 201 : 200).send(report);
    },
  );

  app.get(
    '/reports/mine',
    { schema: { tags, summary: 'My reports and the ones I follow, newest first', querystring: MineQuery, response: { 200: Page(WorkerReportSummary), ...problems(400, 401, 403) } } },
    async (request) => reports.mine(requireWorker(request), request.query as MineQuery),
  );

  app.get(
    '/reports/:id',
    { schema: { tags, summary: 'A report I filed or follow: public timeline, photos, deadline, points, feedback window', params: IdParams, response: { 200: WorkerReport, ...problems(400, 401, 403, 404) } } },
    async (request) => reports.workerView(requireWorker(request), id(request)),
  );

  app.post(
    '/reports/:id/follow',
    {
      schema: {
        tags,
        summary: '"Me too" (我也遇到了): follow an open report instead of filing a duplicate (verified workers)',
        params: IdParams,
        response: { 200: WorkerReport, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => reports.follow(requireWorker(request), id(request), auditContext(request)),
  );

  app.delete(
    '/reports/:id/follow',
    { schema: { tags, summary: 'Stop following a report', params: IdParams, response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } } },
    async (request, reply) => {
      await reports.unfollow(requireWorker(request), id(request), auditContext(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/reports/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Confirm or dispute the fix of my closed report within 7 days (a dispute reopens it)',
        params: IdParams,
        body: ReportFeedback,
        response: { 200: WorkerReport, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => reports.feedback(requireWorker(request), id(request), request.body as ReportFeedback, auditContext(request)),
  );
}
