import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  LIBRARY_EDITOR_ROLES,
  LibraryAdminQuery,
  LibraryAdminSummary,
  LibraryAdminView,
  LibraryCreate,
  LibraryDraftSave,
  LibraryQuery,
  LibraryRevisionContent,
  LibraryRevisionParams,
  LibraryRevisionSummary,
  LibrarySummary,
  LibraryTransition,
  LibraryView,
} from '../../contracts/library.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import type { LibraryService } from './library.service.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
const pdf = { description: 'the PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
const CityQuery = Type.Object({ city: Type.Optional(Type.String({ pattern: '^\\d{4}$' })) });

/** The public's city: a signed-in reader's own, else ?city=, else Ningbo (the only city served today). */
const readerOf = (request: FastifyRequest) => ({ cityCode: request.principal?.cityCode ?? (request.query as { city?: string }).city ?? '3302' });

/** 典型案例与示范文本 for readers: published entries only, open to anyone (no sign-in needed). */
export async function libraryRoutes(app: FastifyInstance, opts: { services: { library: LibraryService } }) {
  const library = opts.services.library;
  const tags = ['library'];

  app.get(
    '/library',
    { schema: { tags, summary: 'Published typical cases and model contracts: keyword in title or summary, kind, appeal type', querystring: LibraryQuery, response: { 200: Page(LibrarySummary), ...problems(400) } } },
    async (request) => library.list(readerOf(request), request.query as LibraryQuery),
  );

  app.get(
    '/library/:id',
    { schema: { tags, summary: 'A published entry (structured text: headings and paragraphs)', params: IdParams, querystring: CityQuery, response: { 200: LibraryView, ...problems(400, 404) } } },
    async (request) => library.view(readerOf(request), idOf(request)),
  );

  app.get(
    '/library/:id/contract.pdf',
    { schema: { tags, summary: 'A published model contract as a printable PDF', params: IdParams, querystring: CityQuery, response: { 200: pdf, ...problems(400, 404, 409) } } },
    async (request, reply) => {
      const doc = await library.contractPdf(readerOf(request), idOf(request));
      const ascii = `${doc.documentNumber}.pdf`.replace(/[^\w.-]/g, '_');
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
        .header('cache-control', 'no-store')
        .send(doc.bytes);
    },
  );
}

/** The library for its editors (operators of any scope, mediators): drafts, publishing, archiving, revision history. */
export async function libraryAdminRoutes(app: FastifyInstance, opts: { services: { library: LibraryService } }) {
  const library = opts.services.library;
  const tags = ['library (staff)'];
  const editor = (request: FastifyRequest) => requireStaff(request, LIBRARY_EDITOR_ROLES);

  app.get(
    '/admin/library',
    { schema: { tags, summary: 'Every entry of my city (any status), newest change first', querystring: LibraryAdminQuery, response: { 200: Page(LibraryAdminSummary), ...problems(400, 401, 403) } } },
    async (request) => library.adminList(editor(request), request.query as LibraryAdminQuery),
  );

  app.post(
    '/admin/library',
    { schema: { tags, summary: 'Create an entry (a draft): the typicalCase or modelContract body per kind', body: LibraryCreate, response: { 201: LibraryAdminView, ...problems(400, 401, 403) } } },
    async (request, reply) => reply.code(201).send(await library.create(editor(request), request.body as LibraryCreate, auditContext(request))),
  );

  app.get(
    '/admin/library/:id',
    { schema: { tags, summary: 'An entry: its published revision and its draft', params: IdParams, response: { 200: LibraryAdminView, ...problems(400, 401, 403, 404) } } },
    async (request) => library.adminView(editor(request), idOf(request)),
  );

  app.put(
    '/admin/library/:id/draft',
    {
      schema: {
        tags,
        summary: 'Save the draft (opens a new revision when the entry has none; readers keep seeing the published one)',
        params: IdParams,
        body: LibraryDraftSave,
        response: { 200: LibraryAdminView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => library.saveDraft(editor(request), idOf(request), request.body as LibraryDraftSave, auditContext(request)),
  );

  app.post(
    '/admin/library/:id/publish',
    { schema: { tags, summary: 'Publish the draft (or an archived entry again)', params: IdParams, body: LibraryTransition, response: { 200: LibraryAdminView, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => library.publish(editor(request), idOf(request), (request.body as LibraryTransition) ?? {}, auditContext(request)),
  );

  app.post(
    '/admin/library/:id/discard-draft',
    { schema: { tags, summary: 'Discard the draft of changes to a published entry (kept in the history as discarded)', params: IdParams, body: LibraryTransition, response: { 200: LibraryAdminView, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => library.discardDraft(editor(request), idOf(request), (request.body as LibraryTransition) ?? {}, auditContext(request)),
  );

  app.post(
    '/admin/library/:id/archive',
    { schema: { tags, summary: 'Archive: readers no longer see it; revisions are kept', params: IdParams, body: LibraryTransition, response: { 200: LibraryAdminView, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => library.archive(editor(request), idOf(request), (request.body as LibraryTransition) ?? {}, auditContext(request)),
  );

  app.get(
    '/admin/library/:id/revisions',
    { schema: { tags, summary: 'Revision history, newest first', params: IdParams, response: { 200: Type.Array(LibraryRevisionSummary), ...problems(400, 401, 403, 404) } } },
    async (request) => library.revisions(editor(request), idOf(request)),
  );

  app.get(
    '/admin/library/:id/revisions/:number',
    { schema: { tags, summary: 'One revision in full', params: LibraryRevisionParams, response: { 200: LibraryRevisionContent, ...problems(400, 401, 403, 404) } } },
    async (request) => {
      const { id, number } = request.params as { id: string; number: number };
      return library.revision(editor(request), id, number);
    },
  );
}
