import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Page, ProblemSchema } from '../../contracts/common.js';
import {
  AdminPlace,
  AdminPlaceListQuery,
  Friendliness,
  ImportResult,
  ImportRowError,
  PlaceDetail,
  PlaceExportQuery,
  PlaceHistoryItem,
  PlaceIdParams,
  PlaceImportQuery,
  PlaceInput,
  PlacePhoto,
  PlacePhotoParams,
  PlaceTemplateQuery,
  PlaceUpdate,
  PublicPhotoParams,
  RatingInput,
  ServiceCircleQuery,
  ServiceCircleReport,
  StatusChange,
  WorstRated,
  WorstRatedQuery,
  type PlaceFileFormat,
} from '../../contracts/places.js';
import type { Services } from '../../server/services.js';
import { auditContext, requireStaff, requireWorker } from '../../server/plugins/auth.js';
import { AppError } from '../../shared/errors.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));

/** Photos and spreadsheets arrive as raw bodies, up to 8 MB. */
const RAW_BODY_LIMIT = 8 * 1024 * 1024;
const spreadsheetTypes = [
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];
const fileTypes: Record<PlaceFileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A 400 whose body lists every bad row of an import. */
const ImportProblem = Type.Object(
  { ...ProblemSchema.properties, rowErrors: Type.Optional(Type.Array(ImportRowError)) },
  { description: 'RFC 9457 problem details; places.import_invalid carries rowErrors (row 1 is the header)' },
);

const fileResponse = (description: string) => ({
  description,
  content: {
    'text/csv': { schema: { type: 'string' } },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
  },
});

function sendFile(reply: FastifyReply, body: Buffer, format: PlaceFileFormat, basename: string) {
  return reply
    .type(fileTypes[format])
    .header('content-disposition', `attachment; filename="${basename}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

function rawBody(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new AppError('storage.unsupported_type', 'Send the file itself as the request body with its content type', { errors: [{ field: 'body', message: 'expected file bytes' }] });
  }
  return body;
}

const id = (request: { params: unknown }) => (request.params as { id: string }).id;

/**
 * Places: the public place page and photos, worker ratings, and the admin registry (list, create, edit,
 * lifecycle, photos, import/export, worst-rated, service circle). Nearby search is in places.public.routes.
 */
export async function placesRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { places, workers } = opts.services;

  // Raw bodies for this plugin's routes only (encapsulated): images and spreadsheets as Buffers.
  app.addContentTypeParser(/^image\/[\w.+-]+$/i, { parseAs: 'buffer', bodyLimit: RAW_BODY_LIMIT }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(spreadsheetTypes, { parseAs: 'buffer', bodyLimit: RAW_BODY_LIMIT }, (_req, body, done) => done(null, body));

  // ---------------- public ----------------

  app.get(
    '/places/:id',
    {
      schema: {
        tags: ['places'],
        summary: 'A place page: services, hours and open now, access rules, photos, friendliness, live cabinets',
        description: 'Only listed places (active; merchants also certified).',
        params: PlaceIdParams,
        response: { 200: PlaceDetail, ...problems(400, 404) },
      },
    },
    async (request) => places.placeDetail(id(request)),
  );

  app.get(
    '/places/photos/:photoId',
    {
      schema: {
        tags: ['places'],
        summary: 'A place photo: the re-encoded public copy (WebP, no EXIF/GPS)',
        params: PublicPhotoParams,
        response: { 200: { description: 'image bytes', content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const photo = await places.publicPhoto((request.params as { photoId: string }).photoId, request.principal);
      // A photo id's bytes never change: listed ones may be cached anywhere.
      reply.header('cache-control', photo.listed ? 'public, max-age=86400, immutable' : 'private, no-store');
      return reply.type(photo.contentType).send(photo.body);
    },
  );

  // ---------------- worker ----------------

  app.post(
    '/worker/places/:id/ratings',
    {
      schema: {
        tags: ['worker'],
        summary: 'Rate a compound or building after a delivery (verified workers; one a day, the latest counts)',
        params: PlaceIdParams,
        body: RatingInput,
        response: { 200: Friendliness, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = requireWorker(request);
      const worker = await workers.getWorkerSummary(p.id);
      return places.ratePlace({ id: p.id, cityCode: p.cityCode, verified: worker?.verificationStatus === 'approved' }, id(request), request.body as RatingInput);
    },
  );

  // ---------------- admin: registry ----------------

  app.get(
    '/admin/places',
    {
      schema: {
        tags: ['admin'],
        summary: 'Places in my area: search by name or address, filter by type, status, area',
        querystring: AdminPlaceListQuery,
        response: { 200: Page(AdminPlace), ...problems(400, 401, 403) },
      },
    },
    async (request) => places.listPlaces(requireStaff(request), request.query as AdminPlaceListQuery),
  );

  app.post(
    '/admin/places',
    {
      schema: {
        tags: ['admin'],
        summary: 'Register a place (as a draft)',
        description: 'Coordinates may be given in GCJ-02 or BD-09 (crs); they are stored as WGS-84, rounded to 7 decimals.',
        body: PlaceInput,
        response: { 201: AdminPlace, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await places.registerPlace(requireStaff(request), request.body as PlaceInput, auditContext(request))),
  );

  app.get(
    '/admin/places/worst-rated',
    {
      schema: {
        tags: ['admin'],
        summary: 'Compounds and buildings with the lowest friendliness in my area (3 or more recent ratings)',
        querystring: WorstRatedQuery,
        response: { 200: Type.Array(WorstRated), ...problems(400, 401, 403) },
      },
    },
    async (request) => places.worstRated(requireStaff(request), request.query as WorstRatedQuery),
  );

  app.get(
    '/admin/places/import-template',
    {
      schema: {
        tags: ['admin'],
        summary: 'The import template: the columns and one example row (XLSX: with a sheet explaining the codes)',
        querystring: PlaceTemplateQuery,
        response: { 200: fileResponse('the template'), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      requireStaff(request);
      const { format } = request.query as { format: PlaceFileFormat };
      return sendFile(reply, await places.importTemplate(format), format, 'places-template');
    },
  );

  app.post(
    '/admin/places/import',
    {
      bodyLimit: RAW_BODY_LIMIT,
      schema: {
        tags: ['admin'],
        summary: 'Import places from a CSV or XLSX file (raw body): all rows or none',
        description:
          'Send the file as the body (text/csv or the XLSX content type). Columns by importColumns (English or Chinese headers). ' +
          'Every row is checked; any problem → 400 places.import_invalid with rowErrors and nothing imported. dryRun=true only checks.',
        querystring: PlaceImportQuery,
        response: { 200: ImportResult, 400: ImportProblem, ...problems(401, 403, 413, 415) },
      },
    },
    async (request) => places.importPlaces(requireStaff(request), rawBody(request.body), request.query as PlaceImportQuery, auditContext(request)),
  );

  app.get(
    '/admin/places/export',
    {
      schema: {
        tags: ['admin'],
        summary: 'Export the places matching the list filters (CSV with BOM, or XLSX; the import’s columns)',
        querystring: PlaceExportQuery,
        response: { 200: fileResponse('the places'), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const q = request.query as PlaceExportQuery;
      return sendFile(reply, await places.exportPlaces(requireStaff(request), q), q.format, 'places');
    },
  );

  app.get(
    '/admin/places/:id',
    { schema: { tags: ['admin'], summary: 'One place', params: PlaceIdParams, response: { 200: AdminPlace, ...problems(400, 401, 403, 404) } } },
    async (request) => places.getPlace(requireStaff(request), id(request)),
  );

  app.get(
    '/admin/places/:id/history',
    {
      schema: { tags: ['admin'], summary: 'Status history of a place, oldest first', params: PlaceIdParams, response: { 200: Type.Array(PlaceHistoryItem), ...problems(400, 401, 403, 404) } },
    },
    async (request) => places.statusHistory(requireStaff(request), id(request)),
  );

  app.patch(
    '/admin/places/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Edit a place; send the version you read (stale → 409 places.version_conflict)',
        params: PlaceIdParams,
        body: PlaceUpdate,
        response: { 200: AdminPlace, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => places.editPlace(requireStaff(request), id(request), request.body as PlaceUpdate, auditContext(request)),
  );

  app.post(
    '/admin/places/:id/status',
    {
      schema: {
        tags: ['admin'],
        summary: 'Move a place through its lifecycle (draft → active → suspended → active | closed) with a reason',
        params: PlaceIdParams,
        body: StatusChange,
        response: { 200: AdminPlace, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => places.changeStatus(requireStaff(request), id(request), request.body as StatusChange, auditContext(request)),
  );

  app.post(
    '/admin/places/:id/photos',
    {
      bodyLimit: RAW_BODY_LIMIT,
      schema: {
        tags: ['admin'],
        summary: 'Add a photo (raw JPEG, PNG or WebP body, ≤ 8 MB; at most 6 per place)',
        description: 'Checked by content; EXIF (GPS included) is removed from the public copy, which is re-encoded as WebP (≤ 1600 px).',
        params: PlaceIdParams,
        response: { 201: PlacePhoto, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => reply.code(201).send(await places.addPhoto(requireStaff(request), id(request), rawBody(request.body), auditContext(request))),
  );

  app.delete(
    '/admin/places/:id/photos/:photoId',
    { schema: { tags: ['admin'], summary: 'Remove a photo', params: PlacePhotoParams, response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } } },
    async (request, reply) => {
      const { photoId } = request.params as { id: string; photoId: string };
      await places.removePhoto(requireStaff(request), id(request), photoId, auditContext(request));
      return reply.code(204).send();
    },
  );

  // ---------------- admin: reports ----------------

  app.get(
    '/admin/service-circle',
    {
      schema: {
        tags: ['admin'],
        summary: '15-minute service circle: share of compounds with a station within reach, per child area, and the gaps',
        querystring: ServiceCircleQuery,
        response: { 200: ServiceCircleReport, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => places.serviceCircle(requireStaff(request), request.query as ServiceCircleQuery),
  );
}
