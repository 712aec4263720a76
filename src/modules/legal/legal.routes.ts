import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  AssignInput,
  Decline,
  Lawyer,
  LawyerInput,
  LegalMetricsQuery,
  LegalMetricsRow,
  LegalSettings,
  MineQuery,
  QuestionAsk,
  QuestionSummary,
  QuestionView,
  RateInput,
  StaffIdParams,
  StaffQuestionView,
  StaffQuestionsQuery,
  TextInput,
  ToAppeal,
  ToAppealResult,
} from '../../contracts/legal.js';
import { auditContext, requireStaff, requireWorker } from '../../server/plugins/auth.js';
import type { LegalModule } from './legal.module.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** 法帮新 for workers: ask a lawyer, follow the answer clock, reply, follow up once, rate, turn into an appeal. */
export async function legalRoutes(app: FastifyInstance, opts: { services: { legalModule: LegalModule } }) {
  const legal = opts.services.legalModule.legal;
  const tags = ['legal'];
  const one = { 200: QuestionView, ...problems(400, 401, 403, 404, 409) };

  app.post(
    '/legal/questions',
    {
      schema: {
        tags,
        summary: 'Ask a lawyer (verified workers): topic, question, optional amount and employer, anonymous flag',
        description: 'Assigned at once to a matching roster lawyer, else queued for an operator. Idempotent by clientId: a retry returns the first question with 200.',
        body: QuestionAsk,
        response: { 200: QuestionView, 201: QuestionView, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { question, created } = await legal.ask(requireWorker(request), request.body as QuestionAsk, auditContext(request));
      return reply.code(created ? 201 : 200).send(question);
    },
  );

  app.get(
    '/legal/questions/mine',
    { schema: { tags, summary: 'My questions, newest first, with the answer clock', querystring: MineQuery, response: { 200: Page(QuestionSummary), ...problems(400, 401, 403) } } },
    async (request) => legal.mine(requireWorker(request), request.query as MineQuery),
  );

  app.get('/legal/questions/:id', { schema: { tags, summary: 'One of my questions with its thread', params: IdParams, response: one } }, async (request) =>
    legal.workerView(requireWorker(request), idOf(request)),
  );

  app.post(
    '/legal/questions/:id/reply',
    { schema: { tags, summary: 'Give the lawyer the information asked for', params: IdParams, body: TextInput, response: one } },
    async (request) => legal.reply(requireWorker(request), idOf(request), (request.body as TextInput).text, auditContext(request)),
  );

  app.post(
    '/legal/questions/:id/follow-up',
    { schema: { tags, summary: 'Ask one follow-up question after the answer', params: IdParams, body: TextInput, response: one } },
    async (request) => legal.followUp(requireWorker(request), idOf(request), (request.body as TextInput).text, auditContext(request)),
  );

  app.post(
    '/legal/questions/:id/rating',
    { schema: { tags, summary: 'Rate the answer: helpful or not helpful', params: IdParams, body: RateInput, response: one } },
    async (request) => legal.rate(requireWorker(request), idOf(request), request.body as RateInput, auditContext(request)),
  );

  app.post(
    '/legal/questions/:id/appeal',
    {
      schema: {
        tags,
        summary: 'Turn the answered question into an appeal (pre-filled with its type and facts); exactly once',
        description: 'A retry returns the same appeal (created: false). The respondent is needed when the question named no employer.',
        params: IdParams,
        body: ToAppeal,
        response: { 200: ToAppealResult, 201: ToAppealResult, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const r = await legal.toAppeal(requireWorker(request), idOf(request), request.body as ToAppeal, auditContext(request));
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );
}

/** 法帮新 for staff: the lawyer's queue and answers, the operators' queue, roster, settings and metrics. */
export async function legalAdminRoutes(app: FastifyInstance, opts: { services: { legalModule: LegalModule } }) {
  const legal = opts.services.legalModule.legal;
  const tags = ['legal (staff)'];
  const one = { 200: StaffQuestionView, ...problems(400, 401, 403, 404, 409) };

  app.get(
    '/admin/legal/questions',
    { schema: { tags, summary: 'Questions: mine (lawyers), all or unassigned (operators, in their scope); by deadline', querystring: StaffQuestionsQuery, response: { 200: Page(QuestionSummary), ...problems(400, 401, 403) } } },
    async (request) => legal.staffList(requireStaff(request), request.query as StaffQuestionsQuery),
  );

  app.get('/admin/legal/questions/:id', { schema: { tags, summary: 'One question (the worker masked); the read is audited', params: IdParams, response: one } }, async (request) =>
    legal.staffGet(requireStaff(request), idOf(request), auditContext(request)),
  );

  app.post('/admin/legal/questions/:id/answer', { schema: { tags, summary: 'Answer (the assigned lawyer)', params: IdParams, body: TextInput, response: one } }, async (request) =>
    legal.answer(requireStaff(request), idOf(request), (request.body as TextInput).text, auditContext(request)),
  );

  app.post('/admin/legal/questions/:id/request-info', { schema: { tags, summary: 'Ask the worker for more information (the assigned lawyer)', params: IdParams, body: TextInput, response: one } }, async (request) =>
    legal.requestInfo(requireStaff(request), idOf(request), (request.body as TextInput).text, auditContext(request)),
  );

  app.post(
    '/admin/legal/questions/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline with a reason: the next matching lawyer gets it, else the operators’ queue',
        params: IdParams,
        body: Decline,
        response: { 200: Type.Object({ ok: Type.Literal(true), lawyerId: Type.Union([Type.String(), Type.Null()]) }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => legal.decline(requireStaff(request), idOf(request), request.body as Decline, auditContext(request)),
  );

  app.post('/admin/legal/questions/:id/assign', { schema: { tags, summary: 'Assign or reassign to a roster lawyer (operators)', params: IdParams, body: AssignInput, response: one } }, async (request) =>
    legal.assign(requireStaff(request), idOf(request), (request.body as AssignInput).lawyerId, auditContext(request)),
  );

  app.get('/admin/legal/lawyers', { schema: { tags, summary: 'The roster (律师库): lawyer accounts in scope with their profiles (operators)', response: { 200: Type.Array(Lawyer), ...problems(401, 403) } } }, async (request) =>
    legal.lawyers(requireStaff(request)),
  );

  app.put(
    '/admin/legal/lawyers/:staffId',
    { schema: { tags, summary: 'Set a lawyer’s roster profile: firm, specialities, areas, active, maximum open questions (operators)', params: StaffIdParams, body: LawyerInput, response: { 200: Lawyer, ...problems(400, 401, 403, 404) } } },
    async (request) => legal.putLawyer(requireStaff(request), (request.params as { staffId: string }).staffId, request.body as LawyerInput, auditContext(request)),
  );

  app.get('/admin/legal/settings', { schema: { tags, summary: 'Answer deadline (working days) and reminder lead', response: { 200: LegalSettings, ...problems(401, 403) } } }, async (request) =>
    legal.getSettings(requireStaff(request)),
  );

  app.put('/admin/legal/settings', { schema: { tags, summary: 'Change the answer deadline and reminder lead (city operators)', body: LegalSettings, response: { 200: LegalSettings, ...problems(400, 401, 403) } } }, async (request) =>
    legal.putSettings(requireStaff(request), request.body as LegalSettings, auditContext(request)),
  );

  app.get(
    '/admin/legal/metrics',
    { schema: { tags, summary: 'Received, answered, answered on time, median hours to answer — per month and type (for the dashboard)', querystring: LegalMetricsQuery, response: { 200: Type.Array(LegalMetricsRow), ...problems(400, 401, 403) } } },
    async (request) => legal.metrics(requireStaff(request), request.query as LegalMetricsQuery),
  );
}
