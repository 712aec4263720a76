import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ReportEventType, ReportOutcome, ReportStatus } from '../../contracts/reports.js';

/** The columns of `reports` the workflow reads and writes. */
export interface WfReportRow {
  id: string;
  city_code: string;
  code: string;
  source: 'app' | 'open311' | 'staff';
  reporter_worker_id: string | null;
  open311_client_id: string | null;
  contact_enc: string | null;
  category_code: string;
  description: string;
  tags: string[];
  lon: number;
  lat: number;
  accuracy_m: number | null;
  location_source: 'device' | 'map' | 'address';
  address: string;
  area_code: string;
  status: ReportStatus;
  outcome: ReportOutcome | null;
  merged_into: string | null;
  campaign_id: string | null;
  department_id: string | null;
  street_code: string | null;
  routing_rule_id: string | null;
  deadline_at: Date | null;
  flags: string[];
  follower_count: number;
  submitted_at: Date;
  handled_at: Date | null;
  closed_at: Date | null;
  closed_on_time: boolean | null;
  feedback: 'confirmed' | 'disputed' | null;
  feedback_deadline: Date | null;
  reopen_count: number;
  points_granted: number;
  points_transaction_id: string | null;
  clawed_back_at: Date | null;
  updated_at: Date;
  version: number;
}

export type OrderStatus = 'dispatched' | 'acknowledged' | 'returned' | 'handled' | 'superseded';

export interface OrderRow {
  id: string;
  report_id: string;
  city_code: string;
  department_id: string;
  street_code: string | null;
  co_department_ids: string[];
  status: OrderStatus;
  current: boolean;
  dispatched_at: Date;
  dispatched_by: string;
  deadline_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  returned_at: Date | null;
  returned_by: string | null;
  return_reason: string | null;
  extension_days: number | null;
  extension_reason: string | null;
  extension_status: 'pending' | 'approved' | 'rejected' | null;
  extension_requested_by: string | null;
  handled_at: Date | null;
  handled_by: string | null;
  result: string | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
}

export interface EventRow {
  id: number;
  report_id: string;
  at: Date;
  type: ReportEventType;
  actor_kind: 'worker' | 'staff' | 'system' | 'open311';
  actor_id: string | null;
  public: boolean;
  data: Record<string, unknown>;
}

export interface RuleRow {
  id: string;
  city_code: string;
  category_code: string | null;
  area_prefix: string;
  department_id: string;
  street_code: string | null;
  priority: number;
  active: boolean;
  note: string;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

export interface CategoryFacts {
  code: string;
  name_zh: string;
  points_rule: string;
  deadline_working_days: number;
}

export interface PhotoRow {
  id: string;
  report_id: string;
  kind: 'before' | 'after';
  sort: number;
  width: number;
  height: number;
}

type Tables = {
  reports: WfReportRow;
  report_orders: OrderRow;
  report_events: Omit<EventRow, 'id'> & { id?: number };
  report_routing_rules: RuleRow;
  report_categories: CategoryFacts & { city_code: string };
  report_photos: PhotoRow & { city_code: string };
};

export type ReportPatch = Partial<Omit<WfReportRow, 'id' | 'city_code' | 'code' | 'version' | 'updated_at'>>;
export type OrderPatch = Partial<Omit<OrderRow, 'id' | 'report_id' | 'city_code'>>;
export type NewEvent = Omit<EventRow, 'id'>;

/** Where a work order still runs against its deadline. */
const OPEN_ORDER = ['dispatched', 'acknowledged'] as const;

/**
 * The workflow's statements over the reports tables: the report's state, its work orders, the
 * timeline and the routing rules. Capture (reports.repository.ts) inserts reports; every status
 * change after that happens here.
 */
export function createWorkflowRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  const jsonData = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : ((v ?? {}) as Record<string, unknown>));

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    async report(id: string, trx?: Db, opts: { forUpdate?: boolean } = {}): Promise<WfReportRow | undefined> {
      let q = on(trx).selectFrom('reports').selectAll().where('id', '=', id);
      if (opts.forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    async reportsByIds(ids: string[], trx?: Db): Promise<WfReportRow[]> {
      if (!ids.length) return [];
      return on(trx).selectFrom('reports').selectAll().where('id', 'in', ids).execute();
    },

    /** Compare-and-set on `version`: false when someone changed the report since it was read. */
    async updateReport(id: string, version: number, patch: ReportPatch, now: Date, trx: Db): Promise<boolean> {
      const r = await on(trx)
        .updateTable('reports')
        .set({ ...patch, updated_at: now, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * updateReport and insertEvents in one statement: the events are written only when the
     * compare-and-set matched. False when someone changed the report since it was read.
     */
    async updateReportWithEvents(id: string, version: number, patch: ReportPatch, now: Date, events: NewEvent[]): Promise<boolean> {
      const r = await on()
        .with('changed', (db) => db.updateTable('reports').set({ ...patch, updated_at: now, version: version + 1 }).where('id', '=', id).where('version', '=', version).returning('id'))
        .insertInto('report_events')
        .columns(['report_id', 'at', 'type', 'actor_kind', 'actor_id', 'public', 'data'])
        .expression(
          sql`select (e.j->>'report_id')::uuid, (e.j->>'at')::timestamptz, e.j->>'type', e.j->>'actor_kind', e.j->>'actor_id', (e.j->>'public')::boolean, e.j->'data'
              from changed, jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(j, n)
              order by e.n`,
        )
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === events.length;
    },

    /**
     * updateReport, a new work order and its events in one statement (one round trip, atomic on its own):
     * the order and the events are written only when the compare-and-set matched.
     */
    async updateReportWithNewOrder(id: string, version: number, patch: ReportPatch, now: Date, order: OrderRow, events: NewEvent[]): Promise<boolean> {
      const r = await sql<{ n: number }>`
        with changed as (
          update reports set ${sql.join(Object.entries({ ...patch, updated_at: now, version: version + 1 }).filter(([, v]) => v !== undefined).map(([k, v]) => sql`${sql.ref(k)} = ${v}`))}
          where id = ${id}::uuid and version = ${version}
          returning id
        ), ordered as (
          insert into report_orders select (jsonb_populate_record(null::report_orders, ${JSON.stringify(order)}::jsonb)).* from changed
          returning id
        ), evented as (
          insert into report_events (report_id, at, type, actor_kind, actor_id, public, data)
          select (e.j->>'report_id')::uuid, (e.j->>'at')::timestamptz, e.j->>'type', e.j->>'actor_kind', e.j->>'actor_id', (e.j->>'public')::boolean, e.j->'data'
          from changed, jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(j, n)
          order by e.n
          returning id
        )
        select (select count(*)::int from changed) + (select count(*)::int from ordered) as n`.execute(database);
      return Number(r.rows[0]!.n) === 2;
    },

    /** Adds a flag once (keeps the others); bumps the version. */
    async addFlag(id: string, flag: string, now: Date, trx?: Db): Promise<void> {
      await sql`
        update reports set flags = array_append(flags, ${flag}::text), updated_at = ${now}, version = version + 1
        where id = ${id} and not (${flag}::text = any(flags))`.execute(trx ?? database);
    },

    async currentOrder(reportId: string, trx?: Db): Promise<OrderRow | undefined> {
      return on(trx).selectFrom('report_orders').selectAll().where('report_id', '=', reportId).where('current', '=', true).executeTakeFirst();
    },

    /** Current first, then newest first. */
    async orders(reportId: string, trx?: Db): Promise<OrderRow[]> {
      return on(trx).selectFrom('report_orders').selectAll().where('report_id', '=', reportId).orderBy('current', 'desc').orderBy('dispatched_at', 'desc').execute();
    },

    async currentOrders(reportIds: string[], trx?: Db): Promise<OrderRow[]> {
      if (!reportIds.length) return [];
      return on(trx).selectFrom('report_orders').selectAll().where('report_id', 'in', reportIds).where('current', '=', true).execute();
    },

    /** Departments that returned the report (退回): routing never sends it back to them. */
    async returnedDepartments(reportId: string, trx?: Db): Promise<string[]> {
      const rows = await on(trx).selectFrom('report_orders').select('department_id').distinct().where('report_id', '=', reportId).where('status', '=', 'returned').execute();
      return rows.map((r) => r.department_id);
    },

    async insertOrder(row: OrderRow, trx: Db): Promise<void> {
      await on(trx).insertInto('report_orders').values(row).execute();
    },

    async updateOrder(id: string, patch: OrderPatch, trx?: Db): Promise<void> {
      await on(trx).updateTable('report_orders').set(patch).where('id', '=', id).execute();
    },

    async insertEvents(events: NewEvent[], trx: Db): Promise<void> {
      if (!events.length) return;
      await on(trx)
        .insertInto('report_events')
        .values(events.map((e) => ({ ...e, data: JSON.stringify(e.data) as unknown as Record<string, unknown> })))
        .execute();
    },

    async events(reportId: string, trx?: Db): Promise<EventRow[]> {
      const rows = await on(trx).selectFrom('report_events').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
      return rows.map((r) => ({ ...(r as EventRow), id: Number(r.id), data: jsonData(r.data) }));
    },

    /** Whether triage already decided (routed, or asked a human) — the safety net skips those. */
    async hasTriageDecision(reportId: string, trx?: Db): Promise<boolean> {
      const r = await on(trx).selectFrom('report_events').select('id').where('report_id', '=', reportId).where('type', 'in', ['routed', 'triage_needed']).limit(1).executeTakeFirst();
      return r !== undefined;
    },

    /** Reports waiting for triage that no triage ever looked at (the submit hook failed or never ran). */
    async undecided(submittedBefore: Date, limit: number): Promise<string[]> {
      const r = await sql<{ id: string }>`
        select r.id from reports r
        where r.status = 'pending_triage' and r.submitted_at <= ${submittedBefore}
          and not exists (select 1 from report_events e where e.report_id = r.id and e.type in ('routed', 'triage_needed'))
        order by r.submitted_at
        limit ${limit}`.execute(database);
      return r.rows.map((x) => x.id);
    },

    /** Running orders whose deadline is within the window and that were not reminded yet. */
    async dueForReminder(now: Date, until: Date, limit: number): Promise<OrderRow[]> {
      return on()
        .selectFrom('report_orders')
        .selectAll()
        .where('current', '=', true)
        .where('status', 'in', OPEN_ORDER)
        .where('reminded_at', 'is', null)
        .where('deadline_at', '>', now)
        .where('deadline_at', '<=', until)
        .orderBy('deadline_at')
        .limit(limit)
        .execute();
    },

    /** Running orders past their deadline and not escalated yet. */
    async dueForEscalation(now: Date, limit: number): Promise<OrderRow[]> {
      return on()
        .selectFrom('report_orders')
        .selectAll()
        .where('current', '=', true)
        .where('status', 'in', OPEN_ORDER)
        .where('escalated_at', 'is', null)
        .where('deadline_at', '<', now)
        .orderBy('deadline_at')
        .limit(limit)
        .execute();
    },

    /** Marks an order once; false when another runner marked it first. */
    async markOrder(id: string, column: 'reminded_at' | 'escalated_at', now: Date, trx: Db): Promise<boolean> {
      const r = await on(trx).updateTable('report_orders').set({ [column]: now }).where('id', '=', id).where(column, 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async followers(reportId: string, trx?: Db): Promise<string[]> {
      const r = await sql<{ worker_id: string }>`select worker_id from report_followers where report_id = ${reportId}`.execute(trx ?? database);
      return r.rows.map((x) => x.worker_id);
    },

    /** A follower ("me too", or the reporter of a merged duplicate); true when new (the count goes up). */
    async addFollower(reportId: string, workerId: string, via: 'me_too' | 'merged', now: Date, trx: Db): Promise<boolean> {
      const r = await sql<{ worker_id: string }>`
        insert into report_followers (report_id, worker_id, via, created_at) values (${reportId}, ${workerId}, ${via}, ${now})
        on conflict do nothing returning worker_id`.execute(trx);
      if (!r.rows.length) return false;
      await sql`update reports set follower_count = follower_count + 1 where id = ${reportId}`.execute(trx);
      return true;
    },

    /** Reports merged into this one. */
    async duplicatesOf(reportId: string, trx?: Db): Promise<{ id: string; code: string }[]> {
      return on(trx).selectFrom('reports').select(['id', 'code']).where('merged_into', '=', reportId).orderBy('submitted_at').execute();
    },

    async category(cityCode: string, code: string, trx?: Db): Promise<CategoryFacts | undefined> {
      return on(trx).selectFrom('report_categories').select(['code', 'name_zh', 'points_rule', 'deadline_working_days']).where('city_code', '=', cityCode).where('code', '=', code).executeTakeFirst();
    },

    async photos(reportId: string, trx?: Db): Promise<PhotoRow[]> {
      return on(trx).selectFrom('report_photos').select(['id', 'report_id', 'kind', 'sort', 'width', 'height']).where('report_id', '=', reportId).orderBy('kind', 'desc').orderBy('sort').execute();
    },

    // ---------------------------------------------------------------- routing rules

    async rules(cityCode: string, opts: { activeOnly?: boolean } = {}, trx?: Db): Promise<RuleRow[]> {
      let q = on(trx).selectFrom('report_routing_rules').selectAll().where('city_code', '=', cityCode);
      if (opts.activeOnly) q = q.where('active', '=', true);
      return q.orderBy('area_prefix').orderBy('category_code').orderBy('priority', 'desc').execute();
    },

    async rule(id: string, trx?: Db): Promise<RuleRow | undefined> {
      return on(trx).selectFrom('report_routing_rules').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async insertRule(row: RuleRow, trx?: Db): Promise<void> {
      await on(trx).insertInto('report_routing_rules').values(row).execute();
    },

    async updateRule(id: string, patch: Partial<Omit<RuleRow, 'id' | 'city_code' | 'created_at'>>, trx?: Db): Promise<void> {
      await on(trx).updateTable('report_routing_rules').set(patch).where('id', '=', id).execute();
    },

    async deleteRule(id: string, trx?: Db): Promise<void> {
      await on(trx).deleteFrom('report_routing_rules').where('id', '=', id).execute();
    },
  };
}
export type WorkflowRepository = ReturnType<typeof createWorkflowRepository>;
