import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams, ProblemSchema } from '../../contracts/common.js';
import {
  AdminReport,
  BulkInput,
  BulkResult,
  CoHandlersInput,
  ExtensionDecision,
  ExtensionInput,
  HandleInput,
  ReasonInput,
  RoutingRule,
  RoutingRuleInput,
  TriageInput,
  VerifyInput,
} from '../../contracts/reports.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import type { ReportsModule } from './reports.module.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const BASE = '/admin/reports';
const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/**
 * The staff side of the workflow: one report's detail and its actions (each answers with the fresh
 * detail, whose `actions` say what the signed-in staff member may do next), bulk actions, and the
 * routing rules. The queue, export, photos and categories are in reports.admin.routes.ts.
 */
export async function workflowRoutes(app: FastifyInstance, opts: { services: { reportsModule: ReportsModule } }) {
  const { workflow } = opts.services.reportsModule;
  const tags = ['admin', 'reports'];
  const action = (summary: string, body?: object) => ({
    schema: { tags, summary, params: IdParams, ...(body ? { body } : {}), response: { 200: AdminReport, ...problems(400, 401, 403, 404, 409) } },
  });

  // ---------------- routing rules (static paths before /:id)

  app.get(
    `${BASE}/routing-rules`,
    { schema: { tags, summary: 'Routing rules of my city (分流: category × area → department)', response: { 200: Type.Array(RoutingRule), ...problems(401, 403) } } },
    async (request) => workflow.listRules(requireStaff(request)),
  );

  app.post(
    `${BASE}/routing-rules`,
    { schema: { tags, summary: 'Add a routing rule (operators, inside their area)', body: RoutingRuleInput, response: { 201: RoutingRule, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await workflow.createRule(requireStaff(request), request.body as RoutingRuleInput, auditContext(request))),
  );

  app.put(
    `${BASE}/routing-rules/:id`,
    { schema: { tags, summary: 'Change a routing rule', params: IdParams, body: RoutingRuleInput, response: { 200: RoutingRule, ...problems(400, 401, 403, 404) } } },
    async (request) => workflow.updateRule(requireStaff(request), idOf(request), request.body as RoutingRuleInput, auditContext(request)),
  );

  app.delete(
    `${BASE}/routing-rules/:id`,
    { schema: { tags, summary: 'Delete a routing rule (reports it routed keep its id)', params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await workflow.deleteRule(requireStaff(request), idOf(request), auditContext(request));
      return reply.code(204).send();
    },
  );

  app.post(
    `${BASE}/bulk`,
    { schema: { tags, summary: 'Acknowledge or dispatch many reports; each succeeds or fails on its own', body: BulkInput, response: { 200: BulkResult, ...problems(400, 401, 403) } } },
    async (request) => workflow.bulk(requireStaff(request), request.body as BulkInput, auditContext(request)),
  );

  // ---------------- one report

  app.get(
    `${BASE}/:id`,
    { schema: { tags, summary: 'One report: timeline with private events, work orders, photos and what I may do', params: IdParams, response: { 200: AdminReport, ...problems(401, 403, 404) } } },
    async (request) => workflow.detail(requireStaff(request), idOf(request), auditContext(request)),
  );

  app.post(`${BASE}/:id/triage`, action('分流 by hand: dispatch to a department, or close as duplicate / invalid (operators)', TriageInput), async (request) =>
    workflow.triageByHand(requireStaff(request), idOf(request), request.body as TriageInput, auditContext(request)),
  );

  app.post(`${BASE}/:id/acknowledge`, action('签收: the department accepts the work order'), async (request) =>
    workflow.acknowledge(requireStaff(request), idOf(request), auditContext(request)),
  );

  app.post(`${BASE}/:id/return`, action('退回: not our jurisdiction; back to triage', ReasonInput), async (request) =>
    workflow.returnReport(requireStaff(request), idOf(request), (request.body as ReasonInput).reason, auditContext(request)),
  );

  app.post(`${BASE}/:id/extension`, action('Ask for more working days', ExtensionInput), async (request) =>
    workflow.requestExtension(requireStaff(request), idOf(request), request.body as ExtensionInput, auditContext(request)),
  );

  app.post(`${BASE}/:id/extension/decide`, action('Approve or reject an extension (operators); approved moves the deadline', ExtensionDecision), async (request) =>
    workflow.decideExtension(requireStaff(request), idOf(request), request.body as ExtensionDecision, auditContext(request)),
  );

  app.post(`${BASE}/:id/co-handlers`, action('协办: add co-handling departments (the lead department)', CoHandlersInput), async (request) =>
    workflow.addCoHandlers(requireStaff(request), idOf(request), request.body as CoHandlersInput, auditContext(request)),
  );

  app.post(`${BASE}/:id/handle`, action('处置: the result with after-photos (uploaded first to /admin/reports/photos)', HandleInput), async (request) =>
    workflow.handle(requireStaff(request), idOf(request), request.body as HandleInput, auditContext(request)),
  );

  app.post(`${BASE}/:id/verify`, action('核查: valid, invalid, duplicate (with intoId) or not fixed (operators, grid workers)', VerifyInput), async (request) =>
    workflow.verify(requireStaff(request), idOf(request), request.body as VerifyInput, auditContext(request)),
  );

  app.post(`${BASE}/:id/clawback`, action('Take the points back from a fraudulent report (city operators)', ReasonInput), async (request) =>
    workflow.clawback(requireStaff(request), idOf(request), (request.body as ReasonInput).reason, auditContext(request)),
  );
}
