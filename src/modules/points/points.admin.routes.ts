import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IDEMPOTENCY_HEADER } from '../../contracts/auth.js';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  AdminHonoursQuery,
  AdminOrder,
  AdminOrdersQuery,
  AdminPartnersQuery,
  AdminReward,
  AdminRewardsQuery,
  AdminStory,
  ApproveInput,
  ClawbackResult,
  DriftReport,
  EarningRule,
  EarningRuleInput,
  FundInput,
  LedgerExportQuery,
  LedgerSummary,
  LedgerTransaction,
  MonthQuery,
  Partner,
  PointsPermissions,
  PointsSettings,
  ReasonInput,
  RestockInput,
  RewardInput,
  RewardStatusInput,
  RewardUpdate,
  RuleParams,
  Sponsor,
  SponsorInput,
  StaffNominationInput,
  TransactionIdParams,
  TransactionsQuery,
  WorkerIdParams,
} from '../../contracts/points.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import { permissionsOf } from './points.access.js';
import type { PointsModule } from './points.module.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const BASE = '/admin/points';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/**
 * The points section of the admin console. Operators of the whole city configure rules, settings and
 * sponsor budgets and keep the ledger; operators act on rewards, orders, stories and titles in their
 * area; every staff member reads within their area and may nominate a worker for the 微光榜.
 */
export async function pointsAdminRoutes(app: FastifyInstance, opts: { services: { pointsModule: PointsModule } }) {
  const { earning, rewards, sponsors, honours, ledger } = opts.services.pointsModule;
  const tags = ['admin', 'points'];

  app.get(
    `${BASE}/permissions`,
    { schema: { tags, summary: 'What I may do in the points section', response: { 200: PointsPermissions, ...problems(401, 403) } } },
    async (request) => permissionsOf(requireStaff(request)),
  );

  // ---------------- rules and settings

  app.get(
    `${BASE}/rules`,
    { schema: { tags, summary: 'Earning rules of my city (built-in ones with their defaults until changed)', response: { 200: Type.Array(EarningRule), ...problems(401, 403) } } },
    async (request) => earning.listRules(requireStaff(request).cityCode),
  );

  app.put(
    `${BASE}/rules/:rule`,
    {
      schema: {
        tags,
        summary: 'Set an earning rule: points per unit, daily and monthly caps per worker, active, sponsor (a new code adds a rule)',
        params: RuleParams,
        body: EarningRuleInput,
        response: { 200: EarningRule, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => earning.saveRule(requireStaff(request), (request.params as { rule: string }).rule, request.body as EarningRuleInput, auditContext(request)),
  );

  app.get(
    `${BASE}/settings`,
    { schema: { tags, summary: 'Expiry rule, pickup window, leaderboard size and 城市合伙人 thresholds', response: { 200: PointsSettings, ...problems(401, 403) } } },
    async (request) => earning.settingsOf(requireStaff(request).cityCode),
  );

  app.put(
    `${BASE}/settings`,
    { schema: { tags, summary: 'Change the points settings of my city', body: PointsSettings, response: { 200: PointsSettings, ...problems(400, 401, 403) } } },
    async (request) => earning.saveSettings(requireStaff(request), request.body as PointsSettings, auditContext(request)),
  );

  // ---------------- rewards and orders

  app.get(
    `${BASE}/rewards`,
    { schema: { tags, summary: 'The rewards catalogue in my area', querystring: AdminRewardsQuery, response: { 200: Page(AdminReward), ...problems(400, 401, 403) } } },
    async (request) => rewards.adminList(requireStaff(request), request.query as AdminRewardsQuery),
  );

  app.post(
    `${BASE}/rewards`,
    { schema: { tags, summary: 'Offer a reward (operators): picked up at a merchant place, with stock, a per-worker limit and validity', body: RewardInput, response: { 201: AdminReward, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await rewards.adminCreate(requireStaff(request), request.body as RewardInput, auditContext(request))),
  );

  app.get(
    `${BASE}/rewards/:id`,
    { schema: { tags, summary: 'One reward with its order counts', params: IdParams, response: { 200: AdminReward, ...problems(401, 403, 404) } } },
    async (request) => rewards.adminGet(requireStaff(request), idOf(request)),
  );

  app.patch(
    `${BASE}/rewards/:id`,
    { schema: { tags, summary: 'Edit a reward (orders already placed keep their cost)', params: IdParams, body: RewardUpdate, response: { 200: AdminReward, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => rewards.adminUpdate(requireStaff(request), idOf(request), request.body as RewardUpdate, auditContext(request)),
  );

  app.post(
    `${BASE}/rewards/:id/status`,
    { schema: { tags, summary: 'Pause, resume or end a reward (ended is final)', params: IdParams, body: RewardStatusInput, response: { 200: AdminReward, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => rewards.setStatus(requireStaff(request), idOf(request), (request.body as RewardStatusInput).status, auditContext(request)),
  );

  app.post(
    `${BASE}/rewards/:id/restock`,
    { schema: { tags, summary: 'Add units of stock', params: IdParams, body: RestockInput, response: { 200: AdminReward, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => rewards.restock(requireStaff(request), idOf(request), (request.body as RestockInput).quantity, auditContext(request)),
  );

  app.get(
    `${BASE}/orders`,
    { schema: { tags, summary: 'Redemption orders in my area (masked workers)', querystring: AdminOrdersQuery, response: { 200: Page(AdminOrder), ...problems(400, 401, 403) } } },
    async (request) => rewards.adminOrders(requireStaff(request), request.query as AdminOrdersQuery, auditContext(request)),
  );

  app.post(
    `${BASE}/orders/:id/cancel`,
    { schema: { tags, summary: 'Cancel an order awaiting pickup (operators): refunds the points, returns the unit', params: IdParams, body: ReasonInput, response: { 200: AdminOrder, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => rewards.adminCancelOrder(requireStaff(request), idOf(request), (request.body as ReasonInput).reason, auditContext(request)),
  );

  // ---------------- sponsors and budgets

  app.get(
    `${BASE}/sponsors`,
    { schema: { tags, summary: 'Sponsors with their budget: funded, awarded, left', response: { 200: Type.Array(Sponsor), ...problems(401, 403) } } },
    async (request) => sponsors.list(requireStaff(request)),
  );

  app.post(
    `${BASE}/sponsors`,
    { schema: { tags, summary: 'Register a sponsor (operators of the city); the contact is stored encrypted', body: SponsorInput, response: { 201: Sponsor, ...problems(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.code(201).send(await sponsors.create(requireStaff(request), request.body as SponsorInput, auditContext(request))),
  );

  app.post(
    `${BASE}/sponsors/:id/fund`,
    {
      schema: {
        tags,
        summary: 'Fund a sponsor’s budget (a budget transaction from issuance)',
        description: 'Send an Idempotency-Key header so a retried funding is one funding.',
        params: IdParams,
        body: FundInput,
        response: { 200: Sponsor, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const key = request.headers[IDEMPOTENCY_HEADER];
      return sponsors.fund(requireStaff(request), idOf(request), request.body as FundInput, auditContext(request), typeof key === 'string' && key ? key : undefined);
    },
  );

  // ---------------- 微光榜 and 城市合伙人

  app.get(
    `${BASE}/honours`,
    { schema: { tags, summary: '微光榜 stories in my area (pending: oldest first)', querystring: AdminHonoursQuery, response: { 200: Page(AdminStory), ...problems(400, 401, 403) } } },
    async (request) => honours.adminList(requireStaff(request), request.query as AdminHonoursQuery),
  );

  app.post(
    `${BASE}/honours`,
    { schema: { tags, summary: 'Nominate a worker in my area for the 微光榜', body: StaffNominationInput, response: { 201: AdminStory, ...problems(400, 401, 403, 404) } } },
    async (request, reply) => reply.code(201).send(await honours.nominateByStaff(requireStaff(request), request.body as StaffNominationInput, auditContext(request))),
  );

  app.post(
    `${BASE}/honours/:id/approve`,
    { schema: { tags, summary: 'Approve a story (operators): awards the honour rule’s points once and shows it publicly', params: IdParams, body: ApproveInput, response: { 200: AdminStory, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => honours.approve(requireStaff(request), idOf(request), (request.body as ApproveInput | undefined)?.note, auditContext(request)),
  );

  app.post(
    `${BASE}/honours/:id/reject`,
    { schema: { tags, summary: 'Reject a story with a reason (operators)', params: IdParams, body: ReasonInput, response: { 200: AdminStory, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => honours.reject(requireStaff(request), idOf(request), (request.body as ReasonInput).reason, auditContext(request)),
  );

  app.get(
    `${BASE}/partners`,
    { schema: { tags, summary: '城市合伙人 in my area', querystring: AdminPartnersQuery, response: { 200: Page(Partner), ...problems(400, 401, 403) } } },
    async (request) => earning.listPartners(requireStaff(request), request.query as AdminPartnersQuery),
  );

  app.post(
    `${BASE}/partners/:workerId/revoke`,
    { schema: { tags, summary: 'Revoke a 城市合伙人 title with a reason (operators); it is not granted again automatically', params: WorkerIdParams, body: ReasonInput, response: { 200: Partner, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => earning.revokePartner(requireStaff(request), (request.params as { workerId: string }).workerId, (request.body as ReasonInput).reason, auditContext(request)),
  );

  // ---------------- the ledger (operators of the whole city)

  app.get(
    `${BASE}/transactions`,
    { schema: { tags, summary: 'Ledger transactions, newest first (filters: month, kind, worker phone)', querystring: TransactionsQuery, response: { 200: Page(LedgerTransaction), ...problems(400, 401, 403) } } },
    async (request) => ledger.listTransactions(requireStaff(request), request.query as TransactionsQuery, auditContext(request)),
  );

  app.post(
    `${BASE}/transactions/:id/clawback`,
    { schema: { tags, summary: 'Claw an award back with a reason (never below zero; the rest is the shortfall)', params: TransactionIdParams, body: ReasonInput, response: { 200: ClawbackResult, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => ledger.clawback(requireStaff(request), idOf(request), (request.body as ReasonInput).reason, auditContext(request)),
  );

  app.get(
    `${BASE}/summary`,
    { schema: { tags, summary: 'Totals of a month: issued, budgeted, redeemed, refunded, clawed back, expired, balances', querystring: MonthQuery, response: { 200: LedgerSummary, ...problems(400, 401, 403) } } },
    async (request) => ledger.monthSummary(requireStaff(request), (request.query as MonthQuery).month),
  );

  app.get(
    `${BASE}/ledger.xlsx`,
    {
      schema: {
        tags,
        summary: 'The month’s ledger as XLSX: sheet 台账 (time in Beijing time, transaction, kind, reason, source, account, points) and 汇总 (totals, drift check)',
        querystring: LedgerExportQuery,
        response: { 200: { description: 'the workbook', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { month } = request.query as LedgerExportQuery;
      const body = await ledger.exportMonth(requireStaff(request), month, auditContext(request));
      return reply.type(XLSX).header('content-disposition', `attachment; filename="points-ledger-${month}.xlsx"`).header('cache-control', 'no-store').send(body);
    },
  );

  app.get(
    `${BASE}/drift`,
    { schema: { tags, summary: 'Drift check: every balance recomputed from its entries, every transaction sums to zero', response: { 200: DriftReport, ...problems(401, 403) } } },
    async (request) => ledger.drift(requireStaff(request)),
  );
}
