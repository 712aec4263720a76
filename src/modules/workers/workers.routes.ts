import type { FastifyInstance } from 'fastify';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  AdminWorker,
  ConsentRequest,
  RejectRequest,
  SmsCodeRequest,
  SmsCodeResponse,
  UnmaskRequest,
  UnmaskResponse,
  VerificationItem,
  VerificationListQuery,
  VerificationRequest,
  WorkerListQuery,
  WorkerLoginRequest,
  WorkerMe,
} from '../../contracts/workers.js';
import type { Services } from '../../server/services.js';
import { auditContext, requireStaff, requireWorker } from '../../server/plugins/auth.js';
import { setSessionCookie } from '../auth/session-cookie.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const userAgent = (h: string | string[] | undefined) => (typeof h === 'string' ? h : undefined);

/** Worker log-in and self-service under /api/worker, verification review and worker records under /api/admin. */
export async function workersRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { workers, config } = opts.services;

  // ---------------- worker app ----------------

  app.post(
    '/worker/auth/sms-code',
    {
      schema: {
        tags: ['worker'],
        summary: 'Send a log-in code by SMS',
        description: 'Limited per phone (also 60 s between codes) and per IP; a 429 carries Retry-After.',
        body: SmsCodeRequest,
        response: { 202: SmsCodeResponse, ...problems(400, 429) },
      },
    },
    async (request, reply) => {
      const { phone } = request.body as SmsCodeRequest;
      return reply.code(202).send(await workers.requestLoginCode({ phone, ip: request.ip }));
    },
  );

  app.post(
    '/worker/auth/login',
    {
      // A log-in replaces whatever session the cookie named; no CSRF token can exist yet.
      config: { csrf: false },
      schema: {
        tags: ['worker'],
        summary: 'Log in with the SMS code; the first log-in creates the account',
        body: WorkerLoginRequest,
        response: { 200: WorkerMe, ...problems(400, 429) },
      },
    },
    async (request, reply) => {
      const { phone, code } = request.body as WorkerLoginRequest;
      const { me, session } = await workers.loginWithCode(
        { phone, code, ip: request.ip, userAgent: userAgent(request.headers['user-agent']) },
        auditContext(request),
      );
      setSessionCookie(reply, session, config.cookieSecure);
      return me;
    },
  );

  app.get(
    '/worker/me',
    { schema: { tags: ['worker'], summary: 'My profile: masked personal data, verification and consent state', response: { 200: WorkerMe, ...problems(401, 403) } } },
    async (request) => workers.getMe(requireWorker(request).id),
  );

  app.post(
    '/worker/me/consents',
    {
      schema: {
        tags: ['worker'],
        summary: 'Accept the current privacy notice',
        body: ConsentRequest,
        response: { 200: WorkerMe, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const p = requireWorker(request);
      return workers.acceptConsent(p.id, request.body as ConsentRequest, { userAgent: userAgent(request.headers['user-agent']) }, auditContext(request));
    },
  );

  app.post(
    '/worker/me/consents/privacy/withdraw',
    { schema: { tags: ['worker'], summary: 'Withdraw consent to the privacy notice', response: { 200: WorkerMe, ...problems(401, 403) } } },
    async (request) => workers.withdrawConsent(requireWorker(request).id, 'privacy', auditContext(request)),
  );

  app.post(
    '/worker/me/verification',
    {
      schema: {
        tags: ['worker'],
        summary: 'Submit real-name verification (name, 身份证 number, industry, platform, station, area)',
        description: 'Send an Idempotency-Key: a retried submission returns the first response.',
        body: VerificationRequest,
        response: { 201: WorkerMe, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const p = requireWorker(request);
      return reply.code(201).send(await workers.submitVerification(p.id, request.body as VerificationRequest, auditContext(request)));
    },
  );

  // ---------------- admin console ----------------

  app.get(
    '/admin/verifications',
    {
      schema: {
        tags: ['admin'],
        summary: 'The verification queue in my area (pending, oldest first)',
        querystring: VerificationListQuery,
        response: { 200: Page(VerificationItem), ...problems(401, 403) },
      },
    },
    async (request) => workers.listVerifications(requireStaff(request), request.query as VerificationListQuery, auditContext(request)),
  );

  app.get(
    '/admin/verifications/:id',
    { schema: { tags: ['admin'], summary: 'One verification (masked)', params: IdParams, response: { 200: VerificationItem, ...problems(401, 403, 404) } } },
    async (request) => workers.getVerification(requireStaff(request), (request.params as { id: string }).id, auditContext(request)),
  );

  app.post(
    '/admin/verifications/:id/approve',
    { schema: { tags: ['admin'], summary: 'Approve a pending verification', params: IdParams, response: { 200: VerificationItem, ...problems(401, 403, 404, 409) } } },
    async (request) => workers.approveVerification(requireStaff(request), (request.params as { id: string }).id, auditContext(request)),
  );

  app.post(
    '/admin/verifications/:id/reject',
    {
      schema: {
        tags: ['admin'],
        summary: 'Reject a pending verification with a reason the worker will see',
        params: IdParams,
        body: RejectRequest,
        response: { 200: VerificationItem, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      workers.rejectVerification(requireStaff(request), (request.params as { id: string }).id, request.body as RejectRequest, auditContext(request)),
  );

  app.get(
    '/admin/workers',
    {
      schema: {
        tags: ['admin'],
        summary: 'Workers in my area (masked)',
        querystring: WorkerListQuery,
        response: { 200: Page(AdminWorker), ...problems(400, 401, 403) },
      },
    },
    async (request) => workers.listWorkers(requireStaff(request), request.query as WorkerListQuery, auditContext(request)),
  );

  app.get(
    '/admin/workers/:id',
    { schema: { tags: ['admin'], summary: 'One worker (masked)', params: IdParams, response: { 200: AdminWorker, ...problems(401, 403, 404) } } },
    async (request) => workers.getWorker(requireStaff(request), (request.params as { id: string }).id, auditContext(request)),
  );

  app.post(
    '/admin/workers/:id/unmask',
    {
      schema: {
        tags: ['admin'],
        summary: 'See one personal field in clear, stating why (operators and reviewers; audited)',
        params: IdParams,
        body: UnmaskRequest,
        response: { 200: UnmaskResponse, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      workers.unmaskWorker(requireStaff(request), (request.params as { id: string }).id, request.body as UnmaskRequest, auditContext(request)),
  );
}
