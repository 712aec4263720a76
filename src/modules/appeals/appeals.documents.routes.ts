import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ProblemSchema } from '../../contracts/common.js';
import { auditContext, requireStaff, requireWorker } from '../../server/plugins/auth.js';
import { appealDocumentKinds, type AppealDocument, type AppealDocumentKind } from './documents/index.js';
import type { AppealsModule } from './appeals.module.js';

const DocumentParams = Type.Object({ id: Type.String({ format: 'uuid' }), kind: Type.Union(appealDocumentKinds.map((k) => Type.Literal(k))) });
const DocumentQuery = Type.Object({
  address: Type.Optional(Type.String({ maxLength: 200, description: '住所: printed on the application (left blank to write by hand when not given)' })),
});
const pdf = { description: 'the PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
const problems = Object.fromEntries([400, 401, 403, 404, 422].map((c) => [c, ProblemSchema]));

function sendPdf(reply: FastifyReply, doc: AppealDocument) {
  // RFC 6266: an ASCII fallback, and the Chinese name for browsers that read filename*
  const ascii = `${doc.documentNumber}.pdf`.replace(/[^\w.-]/g, '_');
  return reply
    .type(doc.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
    .header('cache-control', 'no-store')
    .header('x-document-missing-characters', String(doc.missingCharacters.length))
    .send(doc.bytes);
}

/**
 * The printable applications of an appeal: 法律援助申请表, 劳动人事争议仲裁申请书 (labour types only),
 * 人民调解申请书 and, once agreed, 人民调解协议书 — for the worker and for staff who may see the appeal.
 */
export async function appealDocumentsRoutes(app: FastifyInstance, opts: { services: { appealsModule: AppealsModule } }) {
  const documents = opts.services.appealsModule.documents;
  const description =
    'legal_aid_application, arbitration_application (wage arrears, work injury, labour relation, social insurance), mediation_application, mediation_agreement (once an agreement is recorded). 422 appeals.document_unavailable names what is missing.';

  app.get(
    '/appeals/:id/documents/:kind',
    { schema: { tags: ['appeals'], summary: 'My appeal as a printable application (PDF)', description, params: DocumentParams, querystring: DocumentQuery, response: { 200: pdf, ...problems } } },
    async (request, reply) => {
      const { id, kind } = request.params as { id: string; kind: AppealDocumentKind };
      return sendPdf(reply, await documents.render(requireWorker(request), id, kind, request.query as { address?: string }, auditContext(request)));
    },
  );

  app.get(
    '/admin/appeals/:id/documents/:kind',
    { schema: { tags: ['appeals (staff)'], summary: 'An appeal as a printable application (PDF; the ID number masked)', description, params: DocumentParams, querystring: DocumentQuery, response: { 200: pdf, ...problems } } },
    async (request, reply) => {
      const { id, kind } = request.params as { id: string; kind: AppealDocumentKind };
      return sendPdf(reply, await documents.render(requireStaff(request), id, kind, request.query as { address?: string }, auditContext(request)));
    },
  );
}
