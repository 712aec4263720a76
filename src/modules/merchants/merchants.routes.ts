import type { FastifyInstance } from 'fastify';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  MerchantApplication,
  MerchantApplicationDetail,
  MerchantApplicationInput,
  MerchantListQuery,
  NoteInput,
  OptionalNoteInput,
  ReasonInput,
  ReviewInput,
} from '../../contracts/merchants.js';
import type { Services } from '../../server/services.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const BASE = '/admin/merchants/applications';

/** Merchant certification (进管出) in the admin console: operators act on everything in scope; street handlers record applications, complaints and warnings. */
export async function merchantsRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { merchants } = opts.services;
  const idOf = (params: unknown) => (params as { id: string }).id;

  app.get(
    BASE,
    {
      schema: {
        tags: ['admin'],
        summary: 'Merchant certifications in my area, by state (applied and reviewed: oldest first)',
        querystring: MerchantListQuery,
        response: { 200: Page(MerchantApplication), ...problems(400, 401, 403) },
      },
    },
    async (request) => merchants.list(requireStaff(request), request.query as MerchantListQuery, auditContext(request)),
  );

  app.post(
    BASE,
    {
      schema: {
        tags: ['admin'],
        summary: 'Record a merchant’s application (统一社会信用代码 checked by its GB 32100 check character)',
        body: MerchantApplicationInput,
        response: { 201: MerchantApplicationDetail, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await merchants.apply(requireStaff(request), request.body as MerchantApplicationInput, auditContext(request))),
  );

  app.get(
    `${BASE}/:id`,
    { schema: { tags: ['admin'], summary: 'One certification with its timeline', params: IdParams, response: { 200: MerchantApplicationDetail, ...problems(401, 403, 404) } } },
    async (request) => merchants.get(requireStaff(request), idOf(request.params), auditContext(request)),
  );

  const step = (path: string, summary: string, body: typeof ReviewInput | typeof NoteInput | typeof OptionalNoteInput | typeof ReasonInput | undefined, run: (request: Parameters<typeof requireStaff>[0]) => Promise<unknown>) =>
    app.post(
      `${BASE}/:id/${path}`,
      {
        schema: {
          tags: ['admin'],
          summary,
          description: 'A step the current state does not allow → 409 merchants.invalid_transition.',
          params: IdParams,
          ...(body ? { body } : {}),
          response: { 200: MerchantApplicationDetail, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => run(request),
    );

  step('review', 'Review (inspection): approve → reviewed, or reject with a note', ReviewInput, (r) =>
    merchants.review(requireStaff(r), idOf(r.params), r.body as ReviewInput, auditContext(r)),
  );
  step('certify', 'Certify a reviewed merchant: it appears to workers', OptionalNoteInput, (r) =>
    merchants.certify(requireStaff(r), idOf(r.params), (r.body as OptionalNoteInput | undefined) ?? {}, auditContext(r)),
  );
  step('complaints', 'Record a complaint', NoteInput, (r) => merchants.complaint(requireStaff(r), idOf(r.params), (r.body as NoteInput).note, auditContext(r)));
  step('warnings', 'Record a warning; the third within 12 months suspends a certified merchant', NoteInput, (r) =>
    merchants.warning(requireStaff(r), idOf(r.params), (r.body as NoteInput).note, auditContext(r)),
  );
  step('suspend', 'Suspend a certified merchant: hidden from workers', ReasonInput, (r) =>
    merchants.suspend(requireStaff(r), idOf(r.params), (r.body as ReasonInput).reason, auditContext(r)),
  );
  step('reinstate', 'Reinstate a suspended merchant: shown again; its warnings start afresh', NoteInput, (r) =>
    merchants.reinstate(requireStaff(r), idOf(r.params), (r.body as NoteInput).note, auditContext(r)),
  );
  step('exit', 'Exit: the certification ends for good (the merchant may apply again)', ReasonInput, (r) =>
    merchants.exit(requireStaff(r), idOf(r.params), (r.body as ReasonInput).reason, auditContext(r)),
  );
}
