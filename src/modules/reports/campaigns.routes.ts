import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  Campaign,
  CampaignCandidate,
  CampaignCandidatesQuery,
  CampaignDetail,
  CampaignInput,
  CampaignOption,
  CampaignOptionsQuery,
  Cluster,
  MetricsQuery,
  ReportMetrics,
  campaignStatuses,
} from '../../contracts/reports.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import type { ReportsModule } from './reports.module.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const BASE = '/admin/reports';

// Request shapes the contracts name only in passing ({ reportIds } / { note } / { summary }).
const CampaignsQuery = Type.Object({
  status: Type.Optional(Type.Unsafe<(typeof campaignStatuses)[number]>({ type: 'string', enum: [...campaignStatuses] })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
const CampaignReportsInput = Type.Object({ reportIds: Type.Array(Type.String(), { minItems: 1, maxItems: 500 }) });
const CampaignNoteInput = Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) });
const CampaignCloseInput = Type.Object({ summary: Type.String({ minLength: 2, maxLength: 2000, description: 'what was done: 解决一类难题、完善一套机制' }) });

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** 专项治理: clusters of reports, the campaigns made of them, and the reports metrics. */
export async function campaignsRoutes(app: FastifyInstance, opts: { services: { reportsModule: ReportsModule } }) {
  const { campaigns } = opts.services.reportsModule;
  const tags = ['admin', 'reports'];

  app.get(
    `${BASE}/clusters`,
    {
      schema: {
        tags,
        summary: "Clusters in my scope: a category's reports, N within D metres in T days (per category), not yet in a campaign",
        response: { 200: Type.Array(Cluster), ...problems(401, 403) },
      },
    },
    async (request) => campaigns.clusters(requireStaff(request)),
  );

  app.get(
    `${BASE}/campaigns`,
    { schema: { tags, summary: 'Campaigns in or covering my area, open ones first', querystring: CampaignsQuery, response: { 200: Page(Campaign), ...problems(400, 401, 403) } } },
    async (request) => campaigns.list(requireStaff(request), request.query as Static<typeof CampaignsQuery>),
  );

  app.post(
    `${BASE}/campaigns`,
    {
      schema: {
        tags,
        summary: 'Open a campaign (operators): owner, deadline and the reports it groups (usually a cluster)',
        body: CampaignInput,
        response: { 201: CampaignDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await campaigns.create(requireStaff(request), request.body as CampaignInput, auditContext(request));
      return reply.code(201).send(created);
    },
  );

  app.get(
    `${BASE}/campaigns/options`,
    {
      schema: {
        tags,
        summary: "Open campaigns a report may join (operators): the report's category, inside my area, the ones holding the report first, then the nearest",
        querystring: CampaignOptionsQuery,
        response: { 200: Type.Array(CampaignOption), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query as CampaignOptionsQuery;
      return campaigns.options(requireStaff(request), q.reportId, { q: q.q });
    },
  );

  app.get(
    `${BASE}/campaigns/:id/candidates`,
    {
      schema: {
        tags,
        summary: "Reports that could join an open campaign (operators): open, its category, in its area or near its centre, in no campaign; nearest first",
        params: IdParams,
        querystring: CampaignCandidatesQuery,
        response: { 200: Type.Array(CampaignCandidate), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => campaigns.candidates(requireStaff(request), idOf(request), request.query as CampaignCandidatesQuery),
  );

  app.get(
    `${BASE}/campaigns/:id`,
    { schema: { tags, summary: 'A campaign with its reports (those in my scope; all of them for its owner), progress notes and what I may do with it', params: IdParams, response: { 200: CampaignDetail, ...problems(401, 403, 404) } } },
    async (request) => campaigns.detail(requireStaff(request), idOf(request)),
  );

  app.post(
    `${BASE}/campaigns/:id/reports`,
    {
      schema: { tags, summary: 'Add reports to an open campaign (operators)', params: IdParams, body: CampaignReportsInput, response: { 200: CampaignDetail, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => campaigns.addReports(requireStaff(request), idOf(request), (request.body as Static<typeof CampaignReportsInput>).reportIds, auditContext(request)),
  );

  app.post(
    `${BASE}/campaigns/:id/notes`,
    {
      schema: {
        tags,
        summary: 'Add a progress note (the owner, operators and grid workers in scope)',
        params: IdParams,
        body: CampaignNoteInput,
        response: { 200: CampaignDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => campaigns.addNote(requireStaff(request), idOf(request), (request.body as Static<typeof CampaignNoteInput>).note, auditContext(request)),
  );

  app.post(
    `${BASE}/campaigns/:id/close`,
    {
      schema: { tags, summary: 'Close a campaign with its summary (the owner or an operator)', params: IdParams, body: CampaignCloseInput, response: { 200: CampaignDetail, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => campaigns.close(requireStaff(request), idOf(request), (request.body as Static<typeof CampaignCloseInput>).summary, auditContext(request)),
  );

  app.get(
    `${BASE}/metrics`,
    {
      schema: {
        tags,
        summary: 'Received, valid share, median hours to close and share closed on time, per category, department, street or month (operators and grid workers)',
        querystring: MetricsQuery,
        response: { 200: ReportMetrics, ...problems(400, 401, 403) },
      },
    },
    async (request) => campaigns.metricsFor(requireStaff(request), request.query as MetricsQuery),
  );
}
