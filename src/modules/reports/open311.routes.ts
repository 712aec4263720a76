import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { IdParams, ProblemSchema } from '../../contracts/common.js';
import { Open311Client, Open311ClientCreated, REPORT_DEFAULTS } from '../../contracts/reports.js';
import { errorStatus } from '../../contracts/errors.js';
import { AppError } from '../../shared/errors.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import type { ReportsModule } from './reports.module.js';
import { Open311Error, langOf, type Open311Fields } from './open311.service.js';
import { CONTENT_TYPES, render, type Open311Format, type Open311Json, type Open311ListRoot } from './open311.xml.js';

const FORMATS: readonly Open311Format[] = ['xml', 'json'];
const tags = ['open311'];

/** `<name>.<format>` → [name, format]; the spec puts the format in the path (services/001.xml). */
function splitFormat(file: string): [string, Open311Format] | undefined {
  const m = /^(.+)\.(xml|json)$/.exec(file);
  return m ? [m[1]!, m[2] as Open311Format] : undefined;
}

/** The format an error answers in: the one the path asked for, else XML (the spec's required format). */
const formatOfUrl = (url: string): Open311Format => (/\.json$/i.test(url.split('?')[0]!) ? 'json' : 'xml');

function sendList(reply: FastifyReply, format: Open311Format, list: Open311ListRoot, items: Record<string, Open311Json>[], status = 200) {
  return reply.code(status).type(CONTENT_TYPES[format]).send(render(format, { list, items }));
}
function sendObject(reply: FastifyReply, format: Open311Format, object: string, value: Record<string, Open311Json>) {
  return reply.code(200).type(CONTENT_TYPES[format]).send(render(format, { object, value }));
}
function sendError(reply: FastifyReply, format: Open311Format, status: number, description: string) {
  return sendList(reply, format, 'errors', [{ code: status, description }], status);
}

/** Query string and body fields together (body wins): the spec lets api_key and jurisdiction_id come in either. */
function fieldsOf(request: FastifyRequest, body: Open311Fields = {}): Open311Fields {
  return { ...(request.query as Open311Fields), ...body };
}

/** A JSON body's `attribute: {code: value | [values]}` in the form-encoded spelling attribute[code][]. */
function flattenJson(body: Record<string, unknown>): Open311Fields {
  const out: Open311Fields = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [code, val] of Object.entries(v as Record<string, unknown>)) out[`attribute[${code}][]`] = (Array.isArray(val) ? val : [val]).map(String);
    } else if (Array.isArray(v)) out[k] = v.map(String);
    else if (v !== null && v !== undefined && typeof v !== 'object') out[k] = String(v);
  }
  return out;
}

/** The POST body: urlencoded (the spec), multipart (with a `media` file part) or JSON. */
async function postedFields(request: FastifyRequest): Promise<{ fields: Open311Fields; media?: Buffer }> {
  if (request.isMultipart()) {
    const fields: Record<string, string[]> = {};
    let media: Buffer | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        if (part.fieldname === 'media' && buf.length > 0) media = buf;
      } else if (typeof part.value === 'string') {
        (fields[part.fieldname] ??= []).push(part.value);
      }
    }
    return { fields: fieldsOf(request, fields), ...(media ? { media } : {}) };
  }
  const body = request.body;
  if (body && typeof body === 'object') return { fields: fieldsOf(request, flattenJson(body as Record<string, unknown>)) };
  return { fields: fieldsOf(request) };
}

/**
 * Open311 GeoReport v2 at /open311/v2 (wiki.open311.org/GeoReport_v2). Its own body parsers
 * (urlencoded and multipart, scoped to this plugin) and its own error format:
 * `[{code, description}]` / `<errors><error>…` with 400, 403 or 404.
 */
export async function open311Routes(app: FastifyInstance, opts: { services: { reportsModule: ReportsModule } }) {
  const open311 = opts.services.reportsModule.open311;
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: REPORT_DEFAULTS.photoMaxBytes, files: 1, fields: 60, fieldSize: 64 * 1024 } });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const format = formatOfUrl(request.url);
    if (error instanceof Open311Error) return sendError(reply, format, error.status, error.message);
    if (error instanceof AppError) {
      const s = errorStatus[error.code];
      return sendError(reply, format, s === 404 ? 404 : s === 403 ? 403 : 400, error.message);
    }
    if (error.statusCode === 413) return sendError(reply, format, 400, 'The request or its media is too large');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return sendError(reply, format, 400, error.message);
    request.log.error({ err: error }, 'open311: unhandled error');
    return sendError(reply, format, 400, `General service error; please report request id ${String(request.id)}`);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, formatOfUrl(request.url), 404, `No Open311 resource at ${request.url.split('?')[0]}`));

  const lang = (request: FastifyRequest) => langOf(request.headers['accept-language']);
  const city = (request: FastifyRequest) => {
    const j = (request.query as Open311Fields).jurisdiction_id;
    return open311.resolveJurisdiction((Array.isArray(j) ? j[0] : j) || undefined);
  };

  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, { schema: { tags, summary: `Service discovery (${format})` } }, async (request, reply) =>
      sendObject(reply, format, 'discovery', await open311.discovery(lang(request))),
    );

    app.get(`/services.${format}`, { schema: { tags, summary: `Service list: the report categories (${format})` } }, async (request, reply) =>
      sendList(reply, format, 'services', await open311.services(await city(request), lang(request))),
    );

    app.get(`/requests.${format}`, { schema: { tags, summary: `Service requests: service_request_id, service_code, start_date, end_date, status, page, page_size, extensions (${format})` } }, async (request, reply) => {
      const cityCode = await city(request);
      return sendList(reply, format, 'requests', await open311.listRequests(cityCode, request.query as Open311Fields, lang(request)));
    });

    app.post(
      `/requests.${format}`,
      { config: { csrf: false }, schema: { tags, summary: `Create a service request: api_key, service_code, lat, long, … (urlencoded or multipart with a "media" file) (${format})` } },
      async (request, reply) => {
        const { fields, media } = await postedFields(request);
        return sendList(reply, format, 'requests', await open311.createRequest(fields, media, lang(request)));
      },
    );
  }

  app.get('/services/:file', { schema: { tags, summary: 'Service definition: services/<service_code>.<xml|json>' } }, async (request, reply) => {
    const parts = splitFormat((request.params as { file: string }).file);
    if (!parts) throw new Open311Error(404, 'Use services/<service_code>.xml or .json');
    return sendObject(reply, parts[1], 'service_definition', await open311.serviceDefinition(await city(request), parts[0], lang(request)));
  });

  app.get('/requests/:file', { schema: { tags, summary: 'One service request: requests/<service_request_id>.<xml|json>' } }, async (request, reply) => {
    const parts = splitFormat((request.params as { file: string }).file);
    if (!parts) throw new Open311Error(404, 'Use requests/<service_request_id>.xml or .json');
    const extensions = (request.query as Open311Fields).extensions === 'true';
    return sendList(reply, parts[1], 'requests', await open311.getRequest(await city(request), parts[0], lang(request), extensions));
  });

  app.get('/tokens/:file', { schema: { tags, summary: 'service_request_id from a token: tokens/<token>.<xml|json>' } }, async (request, reply) => {
    const parts = splitFormat((request.params as { file: string }).file);
    if (!parts) throw new Open311Error(404, 'Use tokens/<token>.xml or .json');
    return sendList(reply, parts[1], 'requests', await open311.token(await city(request), parts[0]));
  });
}

/**
 * The discovery file also at /open311/discovery.{xml,json} (the spec wants a stable URL that does not
 * change with the API version). Register with prefix '/open311'.
 */
export async function open311DiscoveryRoutes(app: FastifyInstance, opts: { services: { reportsModule: ReportsModule } }) {
  const open311 = opts.services.reportsModule.open311;
  for (const format of FORMATS) {
    app.get(`/discovery.${format}`, { schema: { tags, summary: `Service discovery (${format})` } }, async (request, reply) =>
      sendObject(reply, format, 'discovery', await open311.discovery(langOf(request.headers['accept-language']))),
    );
  }
}

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));

/** Admin: the Open311 client systems and their API keys (/api/admin/reports/open311-clients). */
export async function open311ClientsRoutes(app: FastifyInstance, opts: { services: { reportsModule: ReportsModule } }) {
  const open311 = opts.services.reportsModule.open311;
  const adminTags = ['admin', 'reports'];
  const BASE = '/admin/reports/open311-clients';

  app.get(
    BASE,
    { schema: { tags: adminTags, summary: 'Open311 client systems of my city (operators of the whole city)', response: { 200: Type.Array(Open311Client), ...problems(401, 403) } } },
    async (request) => open311.listClients(requireStaff(request)),
  );

  app.post(
    BASE,
    {
      schema: {
        tags: adminTags,
        summary: 'Add a client system; its API key is shown once',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }) }),
        response: { 201: Open311ClientCreated, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await open311.createClient(requireStaff(request), request.body as { name: string }, auditContext(request));
      return reply.code(201).send(created);
    },
  );

  app.post(
    `${BASE}/:id/disable`,
    { schema: { tags: adminTags, summary: 'Disable a client system (its key stops working)', params: IdParams, response: { 200: Open311Client, ...problems(401, 403, 404) } } },
    async (request) => open311.disableClient(requireStaff(request), (request.params as { id: string }).id, auditContext(request)),
  );
}
