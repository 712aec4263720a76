import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { SessionInfo } from '../../contracts/auth.js';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  Department,
  DepartmentCreate,
  DepartmentUpdate,
  PasswordChange,
  PasswordReset,
  StaffAccount,
  StaffCreate,
  StaffListQuery,
  StaffLoginRequest,
  StaffUpdate,
} from '../../contracts/staff.js';
import type { Services } from '../../server/services.js';
import { auditContext, requireStaff } from '../../server/plugins/auth.js';
import { setSessionCookie } from '../auth/session-cookie.js';
import type { LoginContext } from './staff.service.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));

const loginContext = (request: FastifyRequest): LoginContext => ({
  ...auditContext(request),
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
  previousSessionId: request.sessionId,
});

export async function staffRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { staff, config } = opts.services;

  // ---- log-in and own password -----------------------------------------------------------------

  app.post(
    '/staff/auth/login',
    {
      // Signing in does not use the current session, so a stale cookie must not block it.
      config: { csrf: false, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['staff'],
        summary: 'Staff log-in with username and password (every staff role, the scanner too); sets the session cookie',
        body: StaffLoginRequest,
        response: { 200: SessionInfo, ...problems(400, 401, 403, 423, 429) },
      },
    },
    async (request, reply) => {
      const { session, principal, areaName } = await staff.login(request.body as StaffLoginRequest, loginContext(request));
      setSessionCookie(reply, session, config.cookieSecure);
      const info: SessionInfo = {
        kind: 'staff',
        id: principal.id,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
        idleTimeoutSeconds: session.idleTimeoutSeconds,
        staff: {
          username: principal.username,
          displayName: principal.displayName,
          role: principal.role,
          areaCode: principal.areaCode,
          areaName,
          departmentIds: principal.departmentIds,
        },
      };
      return info;
    },
  );

  app.post(
    '/staff/me/password',
    {
      schema: {
        tags: ['staff'],
        summary: 'Change your own password; ends your other sessions and renews this one (new cookie and CSRF token)',
        body: PasswordChange,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 423) },
      },
    },
    async (request, reply) => {
      const principal = requireStaff(request);
      const session = await staff.changePassword(principal, request.body as Static<typeof PasswordChange>, loginContext(request));
      setSessionCookie(reply, session, config.cookieSecure);
      return reply.code(204).send();
    },
  );

  // ---- departments -----------------------------------------------------------------------------

  app.get(
    '/admin/departments',
    {
      schema: {
        tags: ['staff'],
        summary: 'Departments of your city with their number of active staff (any staff)',
        response: { 200: Type.Array(Department), ...problems(401, 403) },
      },
    },
    async (request) => staff.listDepartments(requireStaff(request)),
  );

  app.post(
    '/admin/departments',
    {
      schema: {
        tags: ['staff'],
        summary: 'Add a department (operators)',
        body: DepartmentCreate,
        response: { 201: Department, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const d = await staff.createDepartment(requireStaff(request), request.body as DepartmentCreate, auditContext(request));
      return reply.code(201).send(d);
    },
  );

  app.patch(
    '/admin/departments/:id',
    {
      schema: {
        tags: ['staff'],
        summary: 'Rename, deactivate or reactivate a department (operators)',
        params: IdParams,
        body: DepartmentUpdate,
        response: { 200: Department, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return staff.updateDepartment(requireStaff(request), id, request.body as DepartmentUpdate, auditContext(request));
    },
  );

  // ---- staff accounts (operators, inside their own area) ---------------------------------------

  app.get(
    '/admin/staff',
    {
      schema: {
        tags: ['staff'],
        summary: 'Staff accounts inside your area',
        querystring: StaffListQuery,
        response: { 200: Page(StaffAccount), ...problems(400, 401, 403) },
      },
    },
    async (request) => staff.listStaff(requireStaff(request), request.query as StaffListQuery),
  );

  app.get(
    '/admin/staff/:id',
    {
      schema: {
        tags: ['staff'],
        summary: 'One staff account inside your area',
        params: IdParams,
        response: { 200: StaffAccount, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => staff.getStaff(requireStaff(request), (request.params as { id: string }).id),
  );

  app.post(
    '/admin/staff',
    {
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account inside your area',
        body: StaffCreate,
        response: { 201: StaffAccount, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const account = await staff.createStaff(requireStaff(request), request.body as StaffCreate, auditContext(request));
      return reply.code(201).send(account);
    },
  );

  app.patch(
    '/admin/staff/:id',
    {
      schema: {
        tags: ['staff'],
        summary: 'Edit a staff account; a change of role, area, departments or active state ends its sessions',
        params: IdParams,
        body: StaffUpdate,
        response: { 200: StaffAccount, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return staff.updateStaff(requireStaff(request), id, request.body as StaffUpdate, auditContext(request));
    },
  );

  app.post(
    '/admin/staff/:id/password',
    {
      schema: {
        tags: ['staff'],
        summary: "Reset an account's password; clears its lock and ends its sessions",
        params: IdParams,
        body: PasswordReset,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      await staff.resetPassword(requireStaff(request), id, (request.body as { password: string }).password, auditContext(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/admin/staff/:id/unlock',
    {
      schema: {
        tags: ['staff'],
        summary: 'Lift the log-in lock of an account',
        params: IdParams,
        response: { 200: StaffAccount, ...problems(401, 403, 404) },
      },
    },
    async (request) => staff.unlockStaff(requireStaff(request), (request.params as { id: string }).id, auditContext(request)),
  );
}
