import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { StaffRole } from '../../contracts/auth.js';

export interface DepartmentsTable {
  id: string;
  city_code: string;
  code: string;
  name_zh: string;
  name_en: string;
  active: boolean;
  created_at: import('kysely').Generated<Date>;
  updated_at: import('kysely').Generated<Date>;
}

export interface StaffTable {
  id: string;
  city_code: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: StaffRole;
  area_code: string;
  active: boolean;
  failed_logins: import('kysely').Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: import('kysely').Generated<Date>;
  updated_at: import('kysely').Generated<Date>;
}

export interface StaffDepartmentsTable {
  staff_id: string;
  department_id: string;
}

type Tables = {
  departments: DepartmentsTable;
  staff: StaffTable;
  staff_departments: StaffDepartmentsTable;
};

export type DepartmentRow = Selectable<DepartmentsTable> & { staff_count: number };
export type StaffRow = Selectable<StaffTable>;

export interface StaffFilter {
  cityCode: string;
  /** Accounts whose area lies inside this code (prefix). */
  areaPrefix: string;
  q?: string;
  role?: StaffRole;
  limit: number;
  offset: number;
}

const likeEscape = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/** Every SQL statement on departments, staff and staff_departments. Pass a transaction to join it. */
export function createStaffRepository(database: Db) {
  const db = database.withTables<Tables>();

  /** Departments with the number of active accounts that belong to them. */
  const departmentsWithCount = () =>
    db
      .selectFrom('departments as d')
      .select(['d.id', 'd.city_code', 'd.code', 'd.name_zh', 'd.name_en', 'd.active', 'd.created_at', 'd.updated_at'])
      .select((eb) =>
        eb
          .selectFrom('staff_departments as sd')
          .innerJoin('staff as s', 's.id', 'sd.staff_id')
          .whereRef('sd.department_id', '=', 'd.id')
          .where('s.active', '=', true)
          .select(sql<number>`count(*)::int`.as('n'))
          .as('staff_count'),
      );

  return {
    // ---- departments -------------------------------------------------------------------------
    async listDepartments(cityCode: string): Promise<DepartmentRow[]> {
      const rows = await departmentsWithCount().where('d.city_code', '=', cityCode).orderBy('d.code').execute();
      return rows.map((r) => ({ ...r, staff_count: Number(r.staff_count ?? 0) }));
    },

    /** Ids and names only (no member counts): what names a department in a view or a message. */
    async departmentNames(cityCode: string): Promise<{ id: string; name_zh: string; name_en: string }[]> {
      return db.selectFrom('departments').select(['id', 'name_zh', 'name_en']).where('city_code', '=', cityCode).execute();
    },

    /** Active accounts of an area prefix (and role) with their department ids, in one statement. */
    async activeAccounts(f: { cityCode: string; areaPrefix: string; role?: StaffRow['role'] }): Promise<(StaffRow & { department_ids: string[] })[]> {
      let q = db
        .selectFrom('staff as s')
        .selectAll('s')
        .select(sql<string[]>`coalesce((select array_agg(sd.department_id order by sd.department_id) from staff_departments sd where sd.staff_id = s.id), '{}')`.as('department_ids'))
        .where('s.city_code', '=', f.cityCode)
        .where('s.area_code', 'like', `${likeEscape(f.areaPrefix)}%`)
        .where('s.active', '=', true);
      if (f.role) q = q.where('s.role', '=', f.role);
      return q.orderBy('s.username').execute();
    },

    async getDepartment(cityCode: string, id: string): Promise<DepartmentRow | undefined> {
      const r = await departmentsWithCount().where('d.city_code', '=', cityCode).where('d.id', '=', id).executeTakeFirst();
      return r && { ...r, staff_count: Number(r.staff_count ?? 0) };
    },

    async findDepartmentsByIds(cityCode: string, ids: string[]) {
      if (ids.length === 0) return [];
      return db.selectFrom('departments').select(['id', 'code', 'active']).where('city_code', '=', cityCode).where('id', 'in', ids).execute();
    },

    async findDepartmentsByCodes(cityCode: string, codes: string[]) {
      if (codes.length === 0) return [];
      return db.selectFrom('departments').select(['id', 'code', 'active']).where('city_code', '=', cityCode).where('code', 'in', codes).execute();
    },

    /** Inserts unless (city, code) exists; returns the ids actually inserted. */
    async insertDepartments(rows: Insertable<DepartmentsTable>[]): Promise<string[]> {
      if (rows.length === 0) return [];
      const r = await db
        .insertInto('departments')
        .values(rows)
        .onConflict((oc) => oc.columns(['city_code', 'code']).doNothing())
        .returning('id')
        .execute();
      return r.map((x) => x.id);
    },

    async updateDepartment(cityCode: string, id: string, patch: Updateable<DepartmentsTable>, at: Date): Promise<boolean> {
      const r = await db
        .updateTable('departments')
        .set({ ...patch, updated_at: at })
        .where('city_code', '=', cityCode)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    // ---- staff -------------------------------------------------------------------------------
    async findStaffByUsername(username: string): Promise<StaffRow | undefined> {
      return db.selectFrom('staff').selectAll().where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
    },

    async getStaff(id: string): Promise<StaffRow | undefined> {
      return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async listStaff(f: StaffFilter): Promise<{ rows: StaffRow[]; total: number }> {
      let q = db
        .selectFrom('staff')
        .where('city_code', '=', f.cityCode)
        .where('area_code', 'like', `${likeEscape(f.areaPrefix)}%`);
      if (f.role) q = q.where('role', '=', f.role);
      if (f.q) {
        const pattern = `%${likeEscape(f.q.toLowerCase())}%`;
        q = q.where((eb) => eb.or([eb(sql`lower(username)`, 'like', pattern), eb(sql`lower(display_name)`, 'like', pattern)]));
      }
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('username').limit(f.limit).offset(f.offset).execute(),
        q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },

    /** Inserts the account unless the username (case-insensitive) is taken; false when taken. */
    async insertStaff(row: Insertable<StaffTable>): Promise<boolean> {
      const r = await db.insertInto('staff').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
      return r !== undefined;
    },

    async updateStaff(id: string, patch: Updateable<StaffTable>, at: Date): Promise<void> {
      await db.updateTable('staff').set({ ...patch, updated_at: at }).where('id', '=', id).execute();
    },

    /**
     * Counts one failed log-in. On reaching `maxFailures` the account is locked until `lockUntil` and
     * the counter starts again. Returns the lock, if this failure set one.
     */
    async recordLoginFailure(id: string, maxFailures: number, lockUntil: Date, at: Date): Promise<Date | null> {
      const r = await sql<{ locked_until: Date | null; locked_now: boolean }>`
        update staff set
          failed_logins = case when failed_logins + 1 >= ${maxFailures} then 0 else failed_logins + 1 end,
          locked_until = case when failed_logins + 1 >= ${maxFailures} then ${lockUntil}::timestamptz else locked_until end,
          updated_at = ${at}
        where id = ${id}
        returning locked_until, (failed_logins = 0) as locked_now`.execute(db);
      const row = r.rows[0];
      return row?.locked_now ? row.locked_until : null;
    },

    async recordLoginSuccess(id: string, at: Date): Promise<void> {
      await db.updateTable('staff').set({ failed_logins: 0, locked_until: null, last_login_at: at }).where('id', '=', id).execute();
    },

    async departmentIdsOf(staffIds: string[]): Promise<Map<string, string[]>> {
      const map = new Map<string, string[]>(staffIds.map((id) => [id, []]));
      if (staffIds.length === 0) return map;
      const rows = await db
        .selectFrom('staff_departments')
        .select(['staff_id', 'department_id'])
        .where('staff_id', 'in', staffIds)
        .orderBy('department_id')
        .execute();
      for (const r of rows) map.get(r.staff_id)!.push(r.department_id);
      return map;
    },

    async setDepartments(staffId: string, departmentIds: string[]): Promise<void> {
      await db.deleteFrom('staff_departments').where('staff_id', '=', staffId).execute();
      if (departmentIds.length > 0) {
        await db.insertInto('staff_departments').values(departmentIds.map((department_id) => ({ staff_id: staffId, department_id }))).execute();
      }
    },

    async displayNames(ids: string[]): Promise<{ id: string; display_name: string }[]> {
      if (ids.length === 0) return [];
      return db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', ids).execute();
    },
  };
}
export type StaffRepository = ReturnType<typeof createStaffRepository>;
