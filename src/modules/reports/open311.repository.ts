import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';

export interface Open311ClientsTable {
  id: string;
  city_code: string;
  name: string;
  api_key_hash: string;
  api_key_prefix: string;
  active: boolean;
  created_at: Date;
  created_by: string | null;
  last_used_at: Date | null;
}
export type Open311ClientRow = Selectable<Open311ClientsTable>;

type Tables = { open311_clients: Open311ClientsTable };

/** A report as Open311 shows it: public facts only (never the reporter, contact, flags or points). */
export interface Open311RequestRow {
  id: string;
  code: string;
  category_code: string;
  name_zh: string | null;
  name_en: string | null;
  description: string;
  status: string;
  outcome: string | null;
  address: string;
  area_code: string;
  lon: number;
  lat: number;
  department_id: string | null;
  deadline_at: Date | null;
  submitted_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  photo_id: string | null;
  /** The latest public event: what status_notes says. */
  last_type: string | null;
  last_data: Record<string, unknown> | null;
}

export interface Open311EventRow {
  report_id: string;
  at: Date;
  type: string;
  data: Record<string, unknown>;
}

export interface Open311RequestFilter {
  cityCode: string;
  /** Report codes; when given, every other filter is ignored (the spec: it "overrides all other arguments"). */
  codes?: string[];
  categoryCodes?: string[];
  from?: Date;
  to?: Date;
  /** open: anything not closed. */
  statuses?: ('open' | 'closed')[];
  limit: number;
  offset: number;
}

/** Events a reporter sees that are not for the public at large. */
export const OPEN311_HIDDEN_EVENTS = ['points_awarded'] as const;

const parseJson = (v: unknown): Record<string, unknown> | null => (v == null ? null : typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>));

/**
 * Open311's SQL: its own client table, and read-only views of the reports tables (the module's tables;
 * capture and workflow write them).
 */
export function createOpen311Repository(database: Db) {
  const on = () => database.withTables<Tables>();

  async function requests(where: RawBuilder<unknown>, page: { limit: number; offset: number }): Promise<Open311RequestRow[]> {
    const r = await sql<Open311RequestRow>`
      select r.id::text as id, r.code, r.category_code, c.name_zh, c.name_en, r.description, r.status, r.outcome,
             r.address, r.area_code, r.lon, r.lat, r.department_id::text as department_id, r.deadline_at,
             r.submitted_at, r.updated_at, r.closed_at,
             ph.id::text as photo_id, ev.type as last_type, ev.data as last_data
      from reports r
      left join report_categories c on c.city_code = r.city_code and c.code = r.category_code
      left join lateral (
        select p.id from report_photos p
        where p.report_id = r.id and p.kind = 'before' order by p.sort, p.created_at, p.id limit 1
      ) ph on true
      left join lateral (
        select e.type, e.data from report_events e
        where e.report_id = r.id and e.public and e.type <> all(${sql.val([...OPEN311_HIDDEN_EVENTS])}::text[])
        order by e.id desc limit 1
      ) ev on true
      where ${where}
      order by r.submitted_at desc, r.code desc
      limit ${page.limit} offset ${page.offset}`.execute(database);
    return r.rows.map((row) => ({ ...row, last_data: parseJson(row.last_data) }));
  }

  return {
    // ---- clients ----

    async insertClient(row: Open311ClientRow): Promise<Open311ClientRow> {
      return on().insertInto('open311_clients').values(row).returningAll().executeTakeFirstOrThrow();
    },

    async listClients(cityCode: string): Promise<Open311ClientRow[]> {
      return on().selectFrom('open311_clients').selectAll().where('city_code', '=', cityCode).orderBy('created_at', 'desc').orderBy('id').execute();
    },

    async disableClient(cityCode: string, id: string): Promise<Open311ClientRow | undefined> {
      return on().updateTable('open311_clients').set({ active: false }).where('city_code', '=', cityCode).where('id', '=', id).returningAll().executeTakeFirst();
    },

    async clientByKeyHash(hash: string): Promise<Open311ClientRow | undefined> {
      return on().selectFrom('open311_clients').selectAll().where('api_key_hash', '=', hash).executeTakeFirst();
    },

    async touchClient(id: string, at: Date): Promise<void> {
      await on().updateTable('open311_clients').set({ last_used_at: at }).where('id', '=', id).execute();
    },

    // ---- services (the categories) ----

    /** When the service list or a definition last changed (discovery's changeset). */
    async categoriesChangedAt(cityCode: string): Promise<Date | null> {
      const r = await sql<{ at: Date | null }>`select max(updated_at) as at from report_categories where city_code = ${cityCode}`.execute(database);
      return r.rows[0]?.at ?? null;
    },

    // ---- requests ----

    async listRequests(f: Open311RequestFilter): Promise<Open311RequestRow[]> {
      const conds = [sql`r.city_code = ${f.cityCode}`];
      if (f.codes) {
        conds.push(sql`r.code = any(${sql.val(f.codes)}::text[])`);
      } else {
        if (f.categoryCodes?.length) conds.push(sql`r.category_code = any(${sql.val(f.categoryCodes)}::text[])`);
        if (f.from) conds.push(sql`r.submitted_at >= ${f.from}`);
        if (f.to) conds.push(sql`r.submitted_at <= ${f.to}`);
        const st = new Set(f.statuses ?? []);
        if (st.size === 1) conds.push(st.has('closed') ? sql`r.status = 'closed'` : sql`r.status <> 'closed'`);
      }
      return requests(sql.join(conds, sql` and `), f);
    },

    async requestByCode(cityCode: string, code: string): Promise<Open311RequestRow | undefined> {
      return (await requests(sql`r.city_code = ${cityCode} and r.code = ${code}`, { limit: 1, offset: 0 }))[0];
    },

    async codeById(cityCode: string, id: string): Promise<string | undefined> {
      const r = await sql<{ code: string }>`select code from reports where city_code = ${cityCode} and id = ${id}::uuid`.execute(database);
      return r.rows[0]?.code;
    },

    /** Public events of these reports, oldest first (extensions=true: the status history as notes). */
    async publicEvents(reportIds: string[]): Promise<Open311EventRow[]> {
      if (reportIds.length === 0) return [];
      const r = await sql<Open311EventRow>`
        select report_id::text as report_id, at, type, data from report_events
        where report_id = any(${sql.val(reportIds)}::uuid[]) and public and type <> all(${sql.val([...OPEN311_HIDDEN_EVENTS])}::text[])
        order by report_id, id`.execute(database);
      return r.rows.map((row) => ({ ...row, data: parseJson(row.data) ?? {} }));
    },

  };
}
export type Open311Repository = ReturnType<typeof createOpen311Repository>;
