import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Page, ProblemSchema } from '../../contracts/common.js';
import { AdminListQuery, AdminReportSummary, CategoryInput, ReportCategory, UploadedPhoto } from '../../contracts/reports.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import { shanghaiDay } from '../../shared/shanghai-time.js';
import { acceptRawImages, rawImage } from './reports.routes.js';
import type { ReportsModule } from './reports.module.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CategoryParams = Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }) });

/** 随手拍 for staff: the queue in scope and its export, after-photo uploads, the report categories. */
export async function reportsAdminRoutes(app: FastifyInstance, opts: { services: { reportsModule: ReportsModule } }) {
  const reports = opts.services.reportsModule.reports;
  const tags = ['admin', 'reports'];
  acceptRawImages(app);

  app.get(
    '/admin/reports',
    {
      schema: {
        tags,
        summary: 'Reports in my scope with filters (status, category, department, area, overdue, flag, campaign, text, time, map box), paged',
        description: 'Operators and grid workers see their area; handlers the reports of their departments (lead or 协办) in their area. Reporters are masked.',
        querystring: AdminListQuery,
        response: { 200: Page(AdminReportSummary), ...problems(400, 401, 403) },
      },
    },
    async (request) => reports.adminList(requireStaff(request), request.query as AdminListQuery),
  );

  app.get(
    '/admin/reports/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The filtered list as XLSX (Chinese column headers, Beijing time, at most 10 000 rows); audited',
        querystring: AdminListQuery,
        response: { 200: { description: 'the workbook', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const p = requireStaff(request);
      const body = await reports.exportXlsx(p, request.query as AdminListQuery, auditContext(request));
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="reports-${shanghaiDay(new Date())}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.post(
    '/admin/reports/photos',
    {
      schema: {
        tags,
        summary: 'Upload an after-photo (处置) before handling (raw JPEG, PNG or WebP body, ≤ 8 MB)',
        response: { 201: UploadedPhoto, ...problems(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => reply.code(201).send(await reports.uploadStaffPhoto(requireStaff(request), rawImage(request.body))),
  );

  app.get(
    '/admin/reports/categories',
    { schema: { tags, summary: 'All report categories of my city (inactive ones too)', response: { 200: Type.Array(ReportCategory), ...problems(401, 403) } } },
    async (request) => reports.adminCategories(requireStaff(request)),
  );

  app.put(
    '/admin/reports/categories/:code',
    {
      schema: {
        tags,
        summary: 'Create or change a report category (operators of the whole city): names, short list, quick tags, points rule, dedupe radius, deadline, cluster rule',
        params: CategoryParams,
        body: CategoryInput,
        response: { 200: ReportCategory, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => reports.saveCategory(requireStaff(request), (request.params as { code: string }).code, request.body as CategoryInput, auditContext(request)),
  );
}
