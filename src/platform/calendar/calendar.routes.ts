import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ProblemSchema } from '../../contracts/common.js';
import { CalendarYear, CalendarYearInput } from '../../contracts/reports.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import type { WorkCalendar } from './calendar.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

/** The working-day calendar page of the admin console: any staff member reads, an operator of the whole city loads a year. */
export async function calendarRoutes(app: FastifyInstance, opts: { services: { calendar: WorkCalendar } }) {
  const { calendar } = opts.services;
  const tags = ['admin', 'calendar'];

  app.get(
    '/admin/calendar/:year',
    {
      schema: {
        tags,
        summary: "A year's working-day calendar: holidays and make-up working days (调休), and where it comes from",
        params: YearParams,
        response: { 200: CalendarYear, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      requireStaff(request);
      return calendar.year((request.params as { year: number }).year);
    },
  );

  app.put(
    '/admin/calendar/:year',
    {
      schema: {
        tags,
        summary: "Load a year's holidays and make-up working days (replaces that year, bundled or loaded before); operators of the whole city",
        params: YearParams,
        body: CalendarYearInput,
        response: { 200: CalendarYear, ...problems(400, 401, 403) },
      },
    },
    async (request) =>
      calendar.loadYear(requireStaff(request), (request.params as { year: number }).year, request.body as CalendarYearInput, auditContext(request)),
  );
}
