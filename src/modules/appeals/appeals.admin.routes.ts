import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { IdParams, Page } from '../../contracts/common.js';
import {
  AgreementInput,
  AppealIntake,
  AppealRule,
  AppealRuleInput,
  AppealSettings,
  AppealSummary,
  AssigneeAdd,
  assigneeRoles,
  CaseAddAppeals,
  CaseClose,
  CaseCreate,
  CaseListItem,
  CaseListQuery,
  CaseMemberAdd,
  CollectiveCase,
  EvidenceQuery,
  ExportQuery,
  MetricsQuery,
  MetricsRow,
  Note,
  PaymentInput,
  Referral,
  Reopen,
  Resolve,
  ReturnVisit,
  SessionInput,
  StaffAppealView,
  StaffListQuery,
} from '../../contracts/appeals.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import { shanghaiDay } from '../../shared/shanghai-time.js';
import type { AppealsModule } from './appeals.module.js';
import { acceptEvidence, evidenceUploadSchema, idOf, problems, rawEvidence } from './appeals.routes.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const AssigneeParams = Type.Object({ id: Type.String({ format: 'uuid' }), staffId: Type.String({ format: 'uuid' }), role: Type.Unsafe<(typeof assigneeRoles)[number]>({ type: 'string', enum: [...assigneeRoles] }) });

/** 诉求 for staff: intake (hotline, walk-in), the queue, the workflow, mediation, cases, rules, settings, metrics. */
export async function appealsAdminRoutes(app: FastifyInstance, opts: { services: { appealsModule: AppealsModule } }) {
  const appeals = opts.services.appealsModule.appeals;
  const tags = ['appeals (staff)'];
  acceptEvidence(app);
  const view = { 200: StaffAppealView, ...problems(400, 401, 403, 404, 409) };

  app.post(
    '/admin/appeals',
    {
      schema: {
        tags,
        summary: 'Record an appeal for a caller (12345 hotline agent) or a walk-in (service-centre staff), by phone number',
        description: 'Linked to the worker registered with that phone, if any (later sign-ins are linked by a job). Idempotent by clientId or Idempotency-Key.',
        body: AppealIntake,
        response: { 200: StaffAppealView, 201: StaffAppealView, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { appeal, created } = await appeals.intake(requireStaff(request), request.body as AppealIntake, auditContext(request));
      return reply.code(created ? 201 : 200).send(appeal);
    },
  );

  app.get(
    '/admin/appeals',
    { schema: { tags, summary: 'Appeals I may see (assigned, task force, recorded by me, or in my area as supervisor), with filters; masked contact', querystring: StaffListQuery, response: { 200: Page(AppealSummary), ...problems(400, 401, 403) } } },
    async (request) => appeals.staffList(requireStaff(request), request.query as StaffListQuery, auditContext(request)),
  );

  app.get('/admin/appeals/metrics', { schema: { tags, summary: 'Received, closed, on time, satisfaction, recovered — by type, department, area or month (operators)', querystring: MetricsQuery, response: { 200: Type.Array(MetricsRow), ...problems(400, 401, 403) } } }, async (request) =>
    appeals.metrics(requireStaff(request), request.query as MetricsQuery),
  );

  app.get('/admin/appeals/settings', { schema: { tags, summary: 'Deadlines: acknowledge hours, resolve working days per type, reminder windows', response: { 200: AppealSettings, ...problems(401, 403) } } }, async (request) =>
    appeals.getSettings(requireStaff(request)),
  );
  app.put('/admin/appeals/settings', { schema: { tags, summary: 'Set the deadlines (city operators); applies to appeals filed afterwards', body: AppealSettings, response: { 200: AppealSettings, ...problems(400, 401, 403) } } }, async (request) =>
    appeals.putSettings(requireStaff(request), request.body as AppealSettings, auditContext(request)),
  );

  app.get('/admin/appeals/rules', { schema: { tags, summary: '"1+2+3" assignment rules (operators)', response: { 200: Type.Array(AppealRule), ...problems(401, 403) } } }, async (request) => appeals.listRules(requireStaff(request)));
  app.post('/admin/appeals/rules', { schema: { tags, summary: 'Add an assignment rule: type × area prefix → station head, street officer, industry officer', body: AppealRuleInput, response: { 201: AppealRule, ...problems(400, 401, 403, 404) } } }, async (request, reply) =>
    reply.code(201).send(await appeals.createRule(requireStaff(request), request.body as AppealRuleInput, auditContext(request))),
  );
  app.put('/admin/appeals/rules/:id', { schema: { tags, summary: 'Change an assignment rule', params: IdParams, body: AppealRuleInput, response: { 200: AppealRule, ...problems(400, 401, 403, 404) } } }, async (request) =>
    appeals.updateRule(requireStaff(request), idOf(request), request.body as AppealRuleInput, auditContext(request)),
  );

  app.post('/admin/appeals/cases', { schema: { tags, summary: 'Group appeals against one respondent into a collective case (专班) with a task force', body: CaseCreate, response: { 201: CollectiveCase, ...problems(400, 401, 403, 404, 409) } } }, async (request, reply) =>
    reply.code(201).send(await appeals.createCase(requireStaff(request), request.body as CaseCreate, auditContext(request))),
  );
  app.get('/admin/appeals/cases', { schema: { tags, summary: 'Collective cases I may see (task force member, creator, or operator over the area): open first, with counts and amounts', querystring: CaseListQuery, response: { 200: Page(CaseListItem), ...problems(400, 401, 403) } } }, async (request) =>
    appeals.listCases(requireStaff(request), request.query as CaseListQuery),
  );
  app.delete('/admin/appeals/cases/:id/appeals/:appealId', { schema: { tags, summary: 'Take an appeal added by mistake out of the case (it keeps its own record)', params: Type.Object({ id: Type.String({ format: 'uuid' }), appealId: Type.String({ format: 'uuid' }) }), response: { 200: CollectiveCase, ...problems(400, 401, 403, 404, 409) } } }, async (request) => {
    const { id, appealId } = request.params as { id: string; appealId: string };
    return appeals.removeFromCase(requireStaff(request), id, appealId, auditContext(request));
  });
  app.post('/admin/appeals/cases/:id/members', { schema: { tags, summary: 'Add a person to the task force', params: IdParams, body: CaseMemberAdd, response: { 200: CollectiveCase, ...problems(400, 401, 403, 404, 409) } } }, async (request) =>
    appeals.addCaseMember(requireStaff(request), idOf(request), request.body as CaseMemberAdd, auditContext(request)),
  );
  app.delete('/admin/appeals/cases/:id/members/:staffId', { schema: { tags, summary: 'Take a person off the task force (not the lead)', params: Type.Object({ id: Type.String({ format: 'uuid' }), staffId: Type.String({ format: 'uuid' }) }), response: { 200: CollectiveCase, ...problems(400, 401, 403, 404, 409) } } }, async (request) => {
    const { id, staffId } = request.params as { id: string; staffId: string };
    return appeals.removeCaseMember(requireStaff(request), id, staffId, auditContext(request));
  });
  app.post('/admin/appeals/cases/:id/close', { schema: { tags, summary: 'Close the case with a summary (member appeals keep their own state and outcome)', params: IdParams, body: CaseClose, response: { 200: CollectiveCase, ...problems(400, 401, 403, 404, 409) } } }, async (request) =>
    appeals.closeCase(requireStaff(request), idOf(request), request.body as CaseClose, auditContext(request)),
  );
  app.get(
    '/admin/appeals/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The queue with its filters as XLSX (contacts masked, Beijing time); more than 5 000 rows is refused with appeals.export_too_large; audited',
        querystring: ExportQuery,
        response: { 200: { description: 'the workbook', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { body } = await appeals.exportXlsx(requireStaff(request), request.query as ExportQuery, auditContext(request));
      return reply.type(XLSX).header('content-disposition', `attachment; filename="appeals-${shanghaiDay(new Date())}.xlsx"`).header('cache-control', 'no-store').send(body);
    },
  );

  app.get('/admin/appeals/cases/:id', { schema: { tags, summary: 'A collective case: task force, member appeals, totals', params: IdParams, response: { 200: CollectiveCase, ...problems(400, 401, 403, 404) } } }, async (request) =>
    appeals.getCase(requireStaff(request), idOf(request), auditContext(request)),
  );
  app.post('/admin/appeals/cases/:id/appeals', { schema: { tags, summary: 'Add appeals to a collective case', params: IdParams, body: CaseAddAppeals, response: { 200: CollectiveCase, ...problems(400, 401, 403, 404, 409) } } }, async (request) =>
    appeals.addToCase(requireStaff(request), idOf(request), request.body as CaseAddAppeals, auditContext(request)),
  );

  app.get('/admin/appeals/:id', { schema: { tags, summary: 'One appeal in full (audited)', params: IdParams, response: { 200: StaffAppealView, ...problems(400, 401, 403, 404) } } }, async (request) =>
    appeals.staffView(requireStaff(request), idOf(request), auditContext(request)),
  );

  const action = (path: string, summary: string, run: (id: string, request: Parameters<typeof requireStaff>[0]) => Promise<unknown>, body?: object) =>
    app.post(`/admin/appeals/:id/${path}`, { schema: { tags, summary, params: IdParams, ...(body ? { body } : {}), response: view } }, async (request) => run(idOf(request), request));

  action('acknowledge', '签收: acknowledge the appeal', (id, r) => appeals.acknowledge(requireStaff(r), id, auditContext(r)));
  action('start', 'Start handling', (id, r) => appeals.start(requireStaff(r), id, auditContext(r)));
  action('mediation/start', 'Start mediation', (id, r) => appeals.startMediation(requireStaff(r), id, auditContext(r)));
  action('mediation/end', 'End mediation without resolving (back to handling)', (id, r) => appeals.endMediation(requireStaff(r), id, (r.body as Note) ?? {}, auditContext(r)), Note);
  action('mediation/sessions', 'Record a mediation session (time, place, participants, notes)', (id, r) => appeals.addSession(requireStaff(r), id, r.body as SessionInput, auditContext(r)), SessionInput);
  action('mediation/agreement', 'Record the mediation agreement: instalments with due dates (fen)', (id, r) => appeals.setAgreement(requireStaff(r), id, r.body as AgreementInput, auditContext(r)), AgreementInput);
  action('payments', 'Record a payment received (fen); the recovered amount follows', (id, r) => appeals.addPayment(requireStaff(r), id, r.body as PaymentInput, auditContext(r)), PaymentInput);
  action('resolve', 'Resolve with an outcome and a summary', (id, r) => appeals.resolve(requireStaff(r), id, r.body as Resolve, auditContext(r)), Resolve);
  action('refer', 'Refer to labour arbitration or a court, with its reference (resolves the appeal)', (id, r) => appeals.refer(requireStaff(r), id, r.body as Referral, auditContext(r)), Referral);
  action('return-visit', '回访 by phone or app: satisfaction (+ reason); closes the appeal', (id, r) => appeals.returnVisit(requireStaff(r), id, r.body as ReturnVisit, auditContext(r)), ReturnVisit);
  action('reopen', 'Reopen a closed appeal rated dissatisfied (once)', (id, r) => appeals.reopenByStaff(requireStaff(r), id, r.body as Reopen, auditContext(r)), Reopen);
  action('notes', 'An internal note on the timeline', (id, r) => appeals.addNote(requireStaff(r), id, (r.body as Note).note ?? '', auditContext(r)), Note);
  action('assignees', 'Add a lead or collaborator (grid worker, community police, union social worker, lawyer, mediator)', (id, r) => appeals.addAssignee(requireStaff(r), id, r.body as AssigneeAdd, auditContext(r)), AssigneeAdd);

  app.delete('/admin/appeals/:id/assignees/:staffId/:role', { schema: { tags, summary: 'Remove an assignee', params: AssigneeParams, response: view } }, async (request) => {
    const { id, staffId, role } = request.params as { id: string; staffId: string; role: (typeof assigneeRoles)[number] };
    return appeals.removeAssignee(requireStaff(request), id, staffId, role, auditContext(request));
  });

  app.post('/admin/appeals/:id/evidence', { schema: evidenceUploadSchema(tags) }, async (request, reply) =>
    reply.code(201).send(await appeals.addEvidence(requireStaff(request), idOf(request), rawEvidence(request.body), request.query as EvidenceQuery, auditContext(request))),
  );
  app.get('/admin/appeals/:id/evidence/:evidenceId', { schema: { tags, summary: 'Download an evidence file (audited)', params: Type.Object({ id: Type.String({ format: 'uuid' }), evidenceId: Type.String({ format: 'uuid' }) }), response: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 401, 403, 404) } } }, async (request, reply) => {
    const { id, evidenceId } = request.params as { id: string; evidenceId: string };
    const file = await appeals.evidenceFile(requireStaff(request), id, evidenceId, auditContext(request));
    reply.header('cache-control', 'private, no-store').header('x-content-sha256', file.sha256).header('x-content-type-options', 'nosniff');
    return reply.type(file.contentType).send(file.body);
  });
}
