import type { Config } from '../../server/config.js';
import type { Db } from '../../db/database.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  defaultDepartments,
  type Department,
  type DepartmentCreate,
  type DepartmentUpdate,
  type StaffAccount,
  type StaffCreate,
  type StaffListQuery,
  type StaffUpdate,
} from '../../contracts/staff.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { AREA_LEVEL, isWithin, type Area, type AreasService } from '../areas/areas.service.js';
import type { CreatedSession, SessionsService } from '../auth/sessions.service.js';
import { assertStrongPassword, hashPassword, verifyAgainstDummy, verifyPassword } from './password.js';
import { createStaffRepository, type DepartmentRow, type StaffRepository, type StaffRow } from './staff.repository.js';

/** A staff session lasts a working day at most, and ends earlier after `staffIdleMinutes` idle. */
const STAFF_SESSION_SECONDS = 12 * 3600;

/** Roles that carry departments; a handler needs at least one. */
const ROLES_WITH_DEPARTMENTS: readonly StaffRole[] = ['handler', 'mediator'];
/** Roles that work on the ground, so are scoped to a street or a community. */
const ROLES_ON_THE_GROUND: readonly StaffRole[] = ['grid_worker', 'scanner'];

/** Audit city for log-in attempts on a username that does not exist (it belongs to no city). */
const UNKNOWN_CITY = 'unknown';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LoginContext extends AuditContext {
  userAgent?: string;
  /** The session this device held before signing in again; it ends when the new one starts. */
  previousSessionId?: string;
}

export interface LoginResult {
  session: CreatedSession;
  principal: StaffPrincipal;
  areaName: string;
}

export interface SeedStaffInput {
  username: string;
  displayName: string;
  password: string;
  role: StaffRole;
  areaCode: string;
  departmentCodes?: string[];
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

const toDepartment = (r: DepartmentRow): Department => ({
  id: r.id,
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  active: r.active,
  staffCount: r.staff_count,
});

function toAccount(r: StaffRow, departmentIds: string[], areaName: string): StaffAccount {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    areaCode: r.area_code,
    areaName,
    departmentIds,
    active: r.active,
    lockedUntil: iso(r.locked_until),
    lastLoginAt: iso(r.last_login_at),
    createdAt: iso(r.created_at)!,
  };
}

function requireOperator(p: StaffPrincipal): void {
  if (p.role !== 'operator') throw forbidden('Only operators manage departments and staff accounts');
}

/** Departments are the city's, so only a city-wide operator adds or changes them. */
function requireCityOperator(p: StaffPrincipal): void {
  requireOperator(p);
  if (p.areaCode !== p.cityCode) throw forbidden('Only city-level operators manage departments');
}

function invalidRoleScope(field: string, message: string): AppError {
  return new AppError('staff.invalid_role_scope', `${field}: ${message}`, { errors: [{ field, message }] });
}

/**
 * Staff log-in (argon2id passwords, lockout, idle-limited sessions), departments, and staff accounts
 * managed by operators inside their own area scope.
 */
export function createStaffService(deps: {
  db: Db;
  sessions: Pick<SessionsService, 'create' | 'revoke' | 'revokeAllFor'>;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'get' | 'find' | 'names' | 'path'>;
  clock: Clock;
  config: Pick<Config, 'staffIdleMinutes' | 'loginMaxFailures' | 'loginLockMinutes'>;
}) {
  const { db, sessions, audit, areas, clock, config } = deps;
  const repo = createStaffRepository(db);
  const inTransaction = <T>(work: (r: StaffRepository) => Promise<T>): Promise<T> =>
    db.transaction().execute((trx) => work(createStaffRepository(trx)));

  async function areaNameOf(code: string): Promise<string> {
    return (await areas.find(code))?.name ?? code;
  }

  async function accountOf(r: StaffRow, r2: StaffRepository = repo): Promise<StaffAccount> {
    const departmentIds = (await r2.departmentIdsOf([r.id])).get(r.id) ?? [];
    return toAccount(r, departmentIds, await areaNameOf(r.area_code));
  }

  /** The account if it exists in the operator's city and inside their area; otherwise staff.not_found. */
  async function staffInScope(operator: StaffPrincipal, id: string, r: StaffRepository = repo): Promise<StaffRow> {
    const row = await r.getStaff(id);
    if (!row || row.city_code !== operator.cityCode || !isWithin(operator.areaCode, row.area_code)) {
      throw new AppError('staff.not_found', 'No such staff account in your area');
    }
    return row;
  }

  /** The city an area belongs to (the level-2 ancestor). */
  async function cityOf(area: Area): Promise<string> {
    if (area.level === AREA_LEVEL.city) return area.code;
    const path = await areas.path(area.code);
    return path.find((a) => a.level === AREA_LEVEL.city)?.code ?? path[0].code;
  }

  /** Checks role, area and departments together; departments must exist in the city and be active. */
  async function checkRoleScope(
    r: StaffRepository,
    cityCode: string,
    s: { role: StaffRole; area: Area; departmentIds: string[] },
  ): Promise<void> {
    if (ROLES_ON_THE_GROUND.includes(s.role) && s.area.level < AREA_LEVEL.street) {
      throw invalidRoleScope('areaCode', `a ${s.role} is scoped to a street or a community`);
    }
    if (!ROLES_WITH_DEPARTMENTS.includes(s.role) && s.departmentIds.length > 0) {
      throw invalidRoleScope('departmentIds', `a ${s.role} has no departments`);
    }
    if (s.role === 'handler' && s.departmentIds.length === 0) {
      throw invalidRoleScope('departmentIds', 'a handler belongs to at least one department');
    }
    const found = await r.findDepartmentsByIds(cityCode, s.departmentIds);
    const usable = new Set(found.filter((d) => d.active).map((d) => d.id));
    const bad = s.departmentIds.find((id) => !usable.has(id));
    if (bad) throw invalidRoleScope('departmentIds', `department ${bad} does not exist or is not active`);
  }

  /** The area, which must exist and lie inside the operator's scope. */
  async function areaInScope(operator: StaffPrincipal, code: string): Promise<Area> {
    const area = await areas.get(code);
    if (!isWithin(operator.areaCode, area.code)) {
      throw new AppError('areas.out_of_scope', `Area ${code} is outside your area ${operator.areaCode}`, {
        errors: [{ field: 'areaCode', message: 'outside your area' }],
      });
    }
    return area;
  }

  async function principalOf(row: StaffRow, r: StaffRepository = repo): Promise<StaffPrincipal> {
    const departmentIds = (await r.departmentIdsOf([row.id])).get(row.id) ?? [];
    return {
      kind: 'staff',
      id: row.id,
      cityCode: row.city_code,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      areaCode: row.area_code,
      departmentIds,
    };
  }

  const lockedError = (until: Date, now: Date) => {
    const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new AppError('auth.account_locked', `Too many failed log-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`, {
      retryAfterSeconds,
    });
  };

  /** Counts a wrong password; returns the lock error when this failure locked the account. */
  async function countFailure(row: StaffRow, now: Date): Promise<AppError | undefined> {
    const lockUntil = new Date(now.getTime() + config.loginLockMinutes * 60_000);
    const locked = await repo.recordLoginFailure(row.id, config.loginMaxFailures, lockUntil, now);
    return locked ? lockedError(new Date(locked), now) : undefined;
  }

  async function createDepartments(cityCode: string, items: readonly DepartmentCreate[], r: StaffRepository = repo) {
    return r.insertDepartments(
      items.map((d) => ({ id: newId(), city_code: cityCode, code: d.code, name_zh: d.nameZh, name_en: d.nameEn, active: true })),
    );
  }

  return {
    // ---- log-in and own password ---------------------------------------------------------------

    /**
     * Password log-in for every staff role (the scanner too). Unknown user and wrong password fail
     * alike; `loginMaxFailures` consecutive failures lock the account for `loginLockMinutes`.
     */
    async login(input: { username: string; password: string }, ctx: LoginContext): Promise<LoginResult> {
      const anon: AuditContext = { ip: ctx.ip, requestId: ctx.requestId };
      const username = input.username.trim();
      const row = await repo.findStaffByUsername(username);
      const attempt = (cityCode: string, outcome: 'success' | 'failure' | 'denied', reason?: string, c = anon) =>
        audit.record(c, {
          cityCode,
          action: 'staff.login',
          targetKind: 'staff',
          targetId: row?.id,
          outcome,
          detail: { username: username.slice(0, 60), ...(reason ? { reason } : {}) },
        });

      if (!row) {
        await verifyAgainstDummy(input.password);
        await attempt(UNKNOWN_CITY, 'failure', 'unknown_user');
        throw new AppError('auth.invalid_credentials', 'Wrong username or password');
      }
      const now = clock.now();
      if (row.locked_until && new Date(row.locked_until) > now) {
        await attempt(row.city_code, 'denied', 'locked');
        throw lockedError(new Date(row.locked_until), now);
      }
      if (!(await verifyPassword(row.password_hash, input.password))) {
        const locked = await countFailure(row, now);
        await attempt(row.city_code, 'failure', locked ? 'wrong_password_locked' : 'wrong_password');
        throw locked ?? new AppError('auth.invalid_credentials', 'Wrong username or password');
      }
      if (!row.active) {
        await attempt(row.city_code, 'denied', 'disabled');
        throw new AppError('auth.account_disabled', 'This account is disabled; ask an operator');
      }
      await repo.recordLoginSuccess(row.id, now);
      if (ctx.previousSessionId) await sessions.revoke(ctx.previousSessionId);
      const principal = await principalOf(row);
      const session = await sessions.create(principal, {
        lifetimeSeconds: STAFF_SESSION_SECONDS,
        idleTimeoutSeconds: config.staffIdleMinutes * 60,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      await attempt(row.city_code, 'success', undefined, { ...anon, principal });
      return { session, principal, areaName: await areaNameOf(row.area_code) };
    },

    /**
     * Changes the signed-in user's password and ends all their sessions; returns a fresh session
     * for this device. A wrong current password counts towards the lockout.
     */
    async changePassword(
      principal: StaffPrincipal,
      input: { currentPassword: string; newPassword: string },
      ctx: LoginContext,
    ): Promise<CreatedSession> {
      const row = await repo.getStaff(principal.id);
      if (!row || !row.active) throw new AppError('auth.session_expired', 'This account is no longer active; sign in again');
      const now = clock.now();
      const record = (outcome: 'success' | 'failure', reason?: string) =>
        audit.record(ctx, { cityCode: row.city_code, action: 'staff.password_change', targetKind: 'staff', targetId: row.id, outcome, detail: reason ? { reason } : {} });
      if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
        const locked = await countFailure(row, now);
        await record('failure', 'wrong_current_password');
        if (locked) {
          await sessions.revokeAllFor('staff', row.id);
          throw locked;
        }
        throw new AppError('staff.wrong_password', 'The current password is wrong', {
          errors: [{ field: 'currentPassword', message: 'is wrong' }],
        });
      }
      assertStrongPassword(input.newPassword, 'newPassword');
      if (input.newPassword === input.currentPassword) {
        throw new AppError('staff.weak_password', 'newPassword must differ from the current one', {
          errors: [{ field: 'newPassword', message: 'must differ from the current password' }],
        });
      }
      await repo.updateStaff(row.id, { password_hash: await hashPassword(input.newPassword), failed_logins: 0, locked_until: null }, now);
      await sessions.revokeAllFor('staff', row.id);
      const session = await sessions.create(await principalOf(row), {
        lifetimeSeconds: STAFF_SESSION_SECONDS,
        idleTimeoutSeconds: config.staffIdleMinutes * 60,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      await record('success');
      return session;
    },

    // ---- departments ---------------------------------------------------------------------------

    /** Every department of the staff member's city, active or not; any staff may list them. */
    async listDepartments(principal: StaffPrincipal): Promise<Department[]> {
      return (await repo.listDepartments(principal.cityCode)).map(toDepartment);
    },

    async createDepartment(principal: StaffPrincipal, input: DepartmentCreate, ctx: AuditContext): Promise<Department> {
      requireCityOperator(principal);
      const [id] = await createDepartments(principal.cityCode, [input]);
      if (!id) {
        throw new AppError('departments.code_taken', `Department code ${input.code} is taken`, { errors: [{ field: 'code', message: 'is taken' }] });
      }
      await audit.record(ctx, { cityCode: principal.cityCode, action: 'departments.create', targetKind: 'department', targetId: id, detail: { code: input.code } });
      return toDepartment((await repo.getDepartment(principal.cityCode, id))!);
    },

    async updateDepartment(principal: StaffPrincipal, id: string, patch: DepartmentUpdate, ctx: AuditContext): Promise<Department> {
      requireCityOperator(principal);
      const changed = await repo.updateDepartment(
        principal.cityCode,
        id,
        { name_zh: patch.nameZh, name_en: patch.nameEn, active: patch.active },
        clock.now(),
      );
      if (!changed) throw new AppError('departments.not_found', 'No such department');
      await audit.record(ctx, { cityCode: principal.cityCode, action: 'departments.update', targetKind: 'department', targetId: id, detail: { ...patch } });
      return toDepartment((await repo.getDepartment(principal.cityCode, id))!);
    },

    /** Inserts the default departments of a city that are missing. Idempotent; returns how many were added. */
    async ensureDefaultDepartments(cityCode: string): Promise<number> {
      return (await createDepartments(cityCode, defaultDepartments)).length;
    },

    // ---- staff accounts ------------------------------------------------------------------------

    /** Accounts inside the operator's area, optionally narrowed by text, role and a sub-area. */
    async listStaff(principal: StaffPrincipal, query: StaffListQuery): Promise<PageOf<StaffAccount>> {
      requireOperator(principal);
      const empty = { items: [], total: 0, page: query.page, pageSize: query.pageSize };
      let areaPrefix = principal.areaCode;
      if (query.areaCode) {
        if (isWithin(principal.areaCode, query.areaCode)) areaPrefix = query.areaCode;
        else if (!isWithin(query.areaCode, principal.areaCode)) return empty;
      }
      const { rows, total } = await repo.listStaff({
        cityCode: principal.cityCode,
        areaPrefix,
        q: query.q?.trim() || undefined,
        role: query.role,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      const [departmentIds, names] = await Promise.all([
        repo.departmentIdsOf(rows.map((r) => r.id)),
        areas.names(rows.map((r) => r.area_code)),
      ]);
      return {
        items: rows.map((r) => toAccount(r, departmentIds.get(r.id) ?? [], names.get(r.area_code) ?? r.area_code)),
        total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    async getStaff(principal: StaffPrincipal, id: string): Promise<StaffAccount> {
      requireOperator(principal);
      return accountOf(await staffInScope(principal, id));
    },

    async createStaff(principal: StaffPrincipal, input: StaffCreate, ctx: AuditContext): Promise<StaffAccount> {
      requireOperator(principal);
      assertStrongPassword(input.password, 'password');
      const area = await areaInScope(principal, input.areaCode);
      const departmentIds = [...new Set(input.departmentIds ?? [])];
      const passwordHash = await hashPassword(input.password);
      const id = newId();
      const account = await inTransaction(async (r) => {
        await checkRoleScope(r, principal.cityCode, { role: input.role, area, departmentIds });
        const inserted = await r.insertStaff({
          id,
          city_code: principal.cityCode,
          username: input.username,
          display_name: input.displayName.trim(),
          password_hash: passwordHash,
          role: input.role,
          area_code: area.code,
          active: true,
        });
        if (!inserted) {
          throw new AppError('staff.username_taken', `Username ${input.username} is taken`, { errors: [{ field: 'username', message: 'is taken' }] });
        }
        await r.setDepartments(id, departmentIds);
        return toAccount((await r.getStaff(id))!, departmentIds.sort(), area.name);
      });
      await audit.record(ctx, {
        cityCode: principal.cityCode,
        action: 'staff.create',
        targetKind: 'staff',
        targetId: id,
        detail: { username: account.username, role: account.role, areaCode: account.areaCode, departmentIds },
      });
      return account;
    },

    /**
     * Edits an account in the operator's area. A change of role, area, departments or active state
     * ends the account's sessions, so its next request runs with the new rights.
     */
    async updateStaff(principal: StaffPrincipal, id: string, patch: StaffUpdate, ctx: AuditContext): Promise<StaffAccount> {
      requireOperator(principal);
      if (id === principal.id && patch.active === false) {
        throw new AppError('staff.cannot_disable_self', 'You cannot disable your own account');
      }
      const before = await staffInScope(principal, id);
      const area = patch.areaCode !== undefined ? await areaInScope(principal, patch.areaCode) : await areas.get(before.area_code);
      const now = clock.now();
      const { account, rightsChanged, changes } = await inTransaction(async (r) => {
        const current = (await r.departmentIdsOf([id])).get(id) ?? [];
        const role = patch.role ?? before.role;
        const departmentIds = patch.departmentIds ? [...new Set(patch.departmentIds)].sort() : current;
        await checkRoleScope(r, principal.cityCode, { role, area, departmentIds });
        const changes: Record<string, unknown> = {};
        if (patch.displayName !== undefined && patch.displayName.trim() !== before.display_name) changes.displayName = patch.displayName.trim();
        if (role !== before.role) changes.role = role;
        if (area.code !== before.area_code) changes.areaCode = area.code;
        if (patch.active !== undefined && patch.active !== before.active) changes.active = patch.active;
        if (departmentIds.join() !== [...current].sort().join()) changes.departmentIds = departmentIds;
        await r.updateStaff(
          id,
          { display_name: patch.displayName?.trim(), role: patch.role, area_code: patch.areaCode, active: patch.active },
          now,
        );
        if (patch.departmentIds) await r.setDepartments(id, departmentIds);
        const rightsChanged = ['role', 'areaCode', 'active', 'departmentIds'].some((k) => k in changes);
        return { account: toAccount((await r.getStaff(id))!, departmentIds, area.name), rightsChanged, changes };
      });
      if (rightsChanged) await sessions.revokeAllFor('staff', id);
      await audit.record(ctx, { cityCode: principal.cityCode, action: 'staff.update', targetKind: 'staff', targetId: id, detail: { changes, sessionsRevoked: rightsChanged } });
      return account;
    },

    /** Sets a new password chosen by the operator, clears any lock and ends the account's sessions. */
    async resetPassword(principal: StaffPrincipal, id: string, password: string, ctx: AuditContext): Promise<void> {
      requireOperator(principal);
      const row = await staffInScope(principal, id);
      assertStrongPassword(password, 'password');
      await repo.updateStaff(row.id, { password_hash: await hashPassword(password), failed_logins: 0, locked_until: null }, clock.now());
      await sessions.revokeAllFor('staff', row.id);
      await audit.record(ctx, { cityCode: principal.cityCode, action: 'staff.password_reset', targetKind: 'staff', targetId: row.id });
    },

    /** Lifts a log-in lock before it runs out. */
    async unlockStaff(principal: StaffPrincipal, id: string, ctx: AuditContext): Promise<StaffAccount> {
      requireOperator(principal);
      const row = await staffInScope(principal, id);
      await repo.updateStaff(row.id, { failed_logins: 0, locked_until: null }, clock.now());
      await audit.record(ctx, { cityCode: principal.cityCode, action: 'staff.unlock', targetKind: 'staff', targetId: row.id });
      return accountOf((await repo.getStaff(row.id))!);
    },

    // ---- for the demo seed and other modules ------------------------------------------------

    /**
     * Creates an account unless the username exists (then returns the existing id unchanged).
     * Applies the same password and role/scope rules as an operator would meet.
     */
    async seedStaff(input: SeedStaffInput): Promise<string> {
      const existing = await repo.findStaffByUsername(input.username);
      if (existing) return existing.id;
      assertStrongPassword(input.password, 'password');
      const area = await areas.get(input.areaCode);
      const cityCode = await cityOf(area);
      const passwordHash = await hashPassword(input.password);
      return inTransaction(async (r) => {
        const codes = input.departmentCodes ?? [];
        const found = await r.findDepartmentsByCodes(cityCode, codes);
        const missing = codes.filter((c) => !found.some((d) => d.code === c));
        if (missing.length > 0) throw invalidRoleScope('departmentCodes', `unknown departments ${missing.join(', ')}`);
        const departmentIds = found.map((d) => d.id);
        await checkRoleScope(r, cityCode, { role: input.role, area, departmentIds });
        const id = newId();
        const inserted = await r.insertStaff({
          id,
          city_code: cityCode,
          username: input.username,
          display_name: input.displayName,
          password_hash: passwordHash,
          role: input.role,
          area_code: area.code,
          active: true,
        });
        if (!inserted) return (await r.findStaffByUsername(input.username))!.id;
        await r.setDepartments(id, departmentIds);
        return id;
      });
    },

    /** Display names by account id, for other modules' lists (unknown ids are left out). */
    async getStaffNames(ids: string[]): Promise<Map<string, string>> {
      const rows = await repo.displayNames([...new Set(ids.filter((id) => UUID.test(id)))]);
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },

    /** The city's departments for other modules (routing, dispatch, names on screens); no permission check. */
    async departmentsOf(cityCode: string): Promise<{ id: string; code: string; nameZh: string; nameEn: string; active: boolean }[]> {
      const rows = await repo.listDepartments(cityCode);
      return rows.map((r) => ({ id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, active: r.active }));
    },

    /** The city's department names by id, in Chinese or (falling back to Chinese) English. */
    async departmentNames(cityCode: string, lang: 'zh' | 'en' = 'zh'): Promise<Map<string, string>> {
      const rows = await repo.departmentNames(cityCode);
      return new Map(rows.map((r) => [r.id, lang === 'en' ? r.name_en || r.name_zh : r.name_zh]));
    },

    /**
     * Active accounts inside an area (prefix), optionally of one role and/or one department: who gets a
     * reminder, an escalation (督办) or a new work order. Callers check their own permissions.
     */
    async accountsFor(
      cityCode: string,
      q: { areaPrefix: string; role?: StaffRole; departmentId?: string },
    ): Promise<{ id: string; username: string; displayName: string; role: StaffRole; areaCode: string; departmentIds: string[] }[]> {
      const rows = await repo.activeAccounts({ cityCode, areaPrefix: q.areaPrefix, role: q.role });
      return rows
        .map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, areaCode: r.area_code, departmentIds: r.department_ids }))
        .filter((a) => !q.departmentId || a.departmentIds.includes(q.departmentId));
    },

    /** Accounts with role scanner inside an area (the pass module binds them to places); callers check their own role. */
    async scannerAccounts(cityCode: string, areaPrefix: string): Promise<{ id: string; username: string; displayName: string; areaCode: string; active: boolean }[]> {
      const { rows } = await repo.listStaff({ cityCode, areaPrefix, role: 'scanner', limit: 1000, offset: 0 });
      return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, areaCode: r.area_code, active: r.active }));
    },
  };
}
export type StaffService = ReturnType<typeof createStaffService>;
