import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type { CampaignStatus, MetricsGrouping, ReportOutcome, ReportSource, ReportStatus } from '../../contracts/reports.js';

/** Which reports a staff member may see (see reports.access.ts reportScope). */
export interface ReportScopeFilter {
  cityCode: string;
  areaPrefix: string;
  /** Handlers: their departments, as lead or co-handler of the current work order; null = any. */
  departmentIds: string[] | null;
}

export interface ClusterCategoryRow {
  code: string;
  name_zh: string;
  cluster_min: number;
  cluster_radius_m: number;
  cluster_days: number;
}

export interface ClusterCandidateRow {
  id: string;
  category_code: string;
  lon: number;
  lat: number;
  area_code: string;
  submitted_at: Date;
}

export interface CampaignRow {
  id: string;
  city_code: string;
  code: string;
  title: string;
  category_code: string;
  area_code: string;
  description: string;
  owner_staff_id: string;
  deadline: string;
  status: CampaignStatus;
  summary: string | null;
  center_lon: number | null;
  center_lat: number | null;
  created_at: Date;
  created_by: string;
  closed_at: Date | null;
  closed_by: string | null;
  /** Working days before the deadline the owner is reminded (0: on the day). */
  remind_working_days: number;
  /** Set once the owner was reminded of the deadline / once the 督办 messages went (the jobs' state). */
  reminded_at: Date | null;
  escalated_at: Date | null;
}

export type CampaignWithCounts = CampaignRow & { report_count: number; closed_report_count: number };

export interface CampaignNoteRow {
  id: string;
  campaign_id: string;
  at: Date;
  staff_id: string;
  note: string;
}

/** The columns of an AdminReportSummary, with the first before-photo. */
export interface ReportSummaryRow {
  id: string;
  code: string;
  category_code: string;
  description: string;
  status: ReportStatus;
  outcome: ReportOutcome | null;
  source: ReportSource;
  lon: number;
  lat: number;
  address: string;
  area_code: string;
  department_id: string | null;
  deadline_at: Date | null;
  flags: string[];
  follower_count: number;
  submitted_at: Date;
  closed_at: Date | null;
  reporter_worker_id: string | null;
  campaign_id: string | null;
  first_photo_id: string | null;
}

export interface ScopedReportRow {
  id: string;
  category_code: string;
  lon: number;
  lat: number;
  city_code: string;
  area_code: string;
  department_id: string | null;
  co_department_ids: string[];
  campaign_id: string | null;
}

export type CandidateRow = ReportSummaryRow & { distance_m: number | null };

export interface MetricsAggregateRow {
  key: string | null;
  received: number;
  closed: number;
  valid: number;
  median_hours: number | null;
  closed_on_time: number;
  on_time_known: number;
}

type Tables = {
  report_campaigns: CampaignRow;
  report_campaign_notes: CampaignNoteRow;
};

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const likePrefix = (prefix: string) => `${likeEscape(prefix)}%`;

/** The staff scope as a condition on `reports r` (handlers: lead or co-handler of the current order). */
function scopeCondition(s: ReportScopeFilter): RawBuilder<boolean> {
  const area = sql`r.city_code = ${s.cityCode} and r.area_code like ${likePrefix(s.areaPrefix)}`;
  if (s.departmentIds === null) return sql<boolean>`(${area})`;
  return sql<boolean>`(${area} and (r.department_id = any(${s.departmentIds}::uuid[]) or exists (
      select 1 from report_orders o where o.report_id = r.id and o.current and o.co_department_ids && ${s.departmentIds}::uuid[])))`;
}

const METRICS_KEY: Record<MetricsGrouping, RawBuilder<string | null>> = {
  category: sql`r.category_code`,
  department: sql`r.department_id::text`,
  // streets (街道/乡镇) are the 9-digit prefix; a report placed only at district or city level keeps its code
  area: sql`substr(r.area_code, 1, 9)`,
  month: sql`to_char((r.submitted_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`,
};

/**
 * Campaigns (专项治理), the cluster candidates and the metrics. Reads the capture and workflow tables
 * (reports, report_orders, report_categories) — one module — and owns report_campaigns and its notes.
 */
export function createCampaignsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  const run = async <R>(query: RawBuilder<R>, trx?: Db): Promise<R[]> => (await query.execute(trx ?? database)).rows;

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    // ---------------- clusters

    async clusterCategories(cityCode: string): Promise<ClusterCategoryRow[]> {
      return run(sql<ClusterCategoryRow>`
        select code, name_zh, cluster_min, cluster_radius_m, cluster_days
        from report_categories where city_code = ${cityCode} and active order by sort, code`);
    },

    /**
     * Reports that may form a cluster: in scope, of an active category, submitted within that
     * category's cluster window, not closed as invalid or duplicate, in no campaign yet.
     */
    async clusterCandidates(scope: ReportScopeFilter, now: Date, limit: number): Promise<ClusterCandidateRow[]> {
      return run(sql<ClusterCandidateRow>`
        select r.id, r.category_code, r.lon, r.lat, r.area_code, r.submitted_at
        from reports r
        join report_categories c on c.city_code = r.city_code and c.code = r.category_code and c.active
        where ${scopeCondition(scope)}
          and r.campaign_id is null
          and r.merged_into is null
          and (r.outcome is null or r.outcome = 'fixed')
          and r.submitted_at >= ${now}::timestamptz - make_interval(days => c.cluster_days)
          and r.submitted_at <= ${now}::timestamptz
        order by r.submitted_at, r.id
        limit ${limit}`);
    },

    /** Names of the city's categories (inactive ones too: old reports keep theirs). */
    async categoryNames(cityCode: string): Promise<Map<string, string>> {
      const rows = await run(sql<{ code: string; name_zh: string }>`select code, name_zh from report_categories where city_code = ${cityCode}`);
      return new Map(rows.map((r) => [r.code, r.name_zh]));
    },

    // ---------------- campaigns

    async insertCampaign(row: CampaignRow, trx: Db): Promise<void> {
      await on(trx).insertInto('report_campaigns').values(row).execute();
    },

    async codesLike(prefix: string, trx: Db): Promise<number> {
      const r = await run(sql<{ n: number }>`select count(*)::int as n from report_campaigns where code like ${likePrefix(prefix)}`, trx);
      return r[0]?.n ?? 0;
    },

    async campaign(id: string, trx?: Db): Promise<CampaignWithCounts | undefined> {
      const rows = await run(
        sql<CampaignWithCounts>`
          select ${CAMPAIGN_COLUMNS}, ${COUNTS}
          from report_campaigns c where c.id = ${id}`,
        trx,
      );
      return rows[0] ? fixCampaign(rows[0]) : undefined;
    },

    async lockCampaign(id: string, trx: Db): Promise<CampaignRow | undefined> {
      const rows = await run(sql<CampaignRow>`select ${CAMPAIGN_COLUMNS} from report_campaigns c where c.id = ${id} for update`, trx);
      return rows[0] ? (fixCampaign({ ...rows[0], report_count: 0, closed_report_count: 0 }) as CampaignRow) : undefined;
    },

    /** Campaigns inside the area, or covering it (a district campaign shows to its streets' staff), and the ones I own. */
    async listCampaigns(q: { cityCode: string; areaCode: string; ownerStaffId: string; status?: CampaignStatus; limit: number; offset: number }): Promise<{ rows: CampaignWithCounts[]; total: number }> {
      const where = sql`c.city_code = ${q.cityCode}
        and (c.area_code like ${likePrefix(q.areaCode)} or ${q.areaCode} like c.area_code || '%' or c.owner_staff_id::text = ${q.ownerStaffId})
        ${q.status ? sql`and c.status = ${q.status}` : sql``}`;
      const rows = await run(sql<CampaignWithCounts>`
        select ${CAMPAIGN_COLUMNS}, ${COUNTS}
        from report_campaigns c where ${where}
        order by (c.status = 'open') desc, c.deadline, c.created_at desc, c.id
        limit ${q.limit} offset ${q.offset}`);
      const total = await run(sql<{ n: number }>`select count(*)::int as n from report_campaigns c where ${where}`);
      return { rows: rows.map(fixCampaign), total: total[0]?.n ?? 0 };
    },

    /**
     * Open campaigns of a category in the city, inside `areaPrefix` (the ones its operators may add
     * reports to), matching q (title or code), nearest to the point first.
     */
    async openCampaignsFor(q: { cityCode: string; areaPrefix: string; category: string; q?: string; lon: number; lat: number; limit: number }): Promise<(CampaignWithCounts & { distance_m: number | null })[]> {
      const text = q.q?.trim();
      const rows = await run(sql<CampaignWithCounts & { distance_m: number | null }>`
        select ${CAMPAIGN_COLUMNS}, ${COUNTS},
               case when c.center_lat is null then null
                    else earth_distance(ll_to_earth(c.center_lat, c.center_lon), ll_to_earth(${q.lat}, ${q.lon})) end as distance_m
        from report_campaigns c
        where c.city_code = ${q.cityCode} and c.status = 'open' and c.category_code = ${q.category}
          and c.area_code like ${likePrefix(q.areaPrefix)}
          ${text ? sql`and (c.title ilike ${`%${likeEscape(text)}%`} or c.code ilike ${`%${likeEscape(text)}%`})` : sql``}
        order by distance_m nulls last, c.deadline, c.id
        limit ${q.limit}`);
      return rows.map((r) => ({ ...fixCampaign(r), distance_m: r.distance_m === null ? null : Number(r.distance_m) }));
    },

    async closeCampaign(id: string, summary: string, at: Date, by: string, trx: Db): Promise<void> {
      await on(trx).updateTable('report_campaigns').set({ status: 'closed', summary, closed_at: at, closed_by: by }).where('id', '=', id).execute();
    },

    async insertNote(row: CampaignNoteRow, trx: Db): Promise<void> {
      await on(trx).insertInto('report_campaign_notes').values(row).execute();
    },

    async notes(campaignId: string): Promise<CampaignNoteRow[]> {
      return on().selectFrom('report_campaign_notes').selectAll().where('campaign_id', '=', campaignId).orderBy('at').orderBy('id').execute();
    },

    // ---------------- deadlines (jobs)

    /**
     * Open campaigns not yet reminded whose deadline (from `today`, a Shanghai day) may be within their
     * reminder window: remind_working_days working days are at most twice as many calendar days plus
     * the longest holiday run, so the window is checked on the calendar by the caller.
     */
    async dueForReminder(today: string, limit: number): Promise<CampaignWithCounts[]> {
      const rows = await run(sql<CampaignWithCounts>`
        select ${CAMPAIGN_COLUMNS}, ${COUNTS} from report_campaigns c
        where c.status = 'open' and c.reminded_at is null
          and c.deadline >= ${today}::date and c.deadline <= ${today}::date + (c.remind_working_days * 2 + 14)
        order by c.deadline, c.id
        limit ${limit}`);
      return rows.map(fixCampaign);
    },

    /** Open campaigns past their deadline (before `today`, a Shanghai day) whose 督办 has not gone yet. */
    async dueForEscalation(today: string, limit: number): Promise<CampaignWithCounts[]> {
      const rows = await run(sql<CampaignWithCounts>`
        select ${CAMPAIGN_COLUMNS}, ${COUNTS} from report_campaigns c
        where c.status = 'open' and c.escalated_at is null and c.deadline < ${today}::date
        order by c.deadline, c.id
        limit ${limit}`);
      return rows.map(fixCampaign);
    },

    /** Marks an open campaign once; false when another runner marked it first or it was closed meanwhile. */
    async markCampaign(id: string, column: 'reminded_at' | 'escalated_at', now: Date, trx: Db): Promise<boolean> {
      const r = await on(trx).updateTable('report_campaigns').set({ [column]: now }).where('id', '=', id).where('status', '=', 'open').where(column, 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    // ---------------- the campaign's reports

    /**
     * Reports that could join a campaign: in the staff member's scope, of the category, not closed,
     * not merged, in no campaign; inside the campaign's area or within `radiusM` of its centre;
     * matching q (code, description, address); nearest to the centre first.
     */
    async candidates(q: {
      scope: ReportScopeFilter;
      category: string;
      areaCode: string;
      center: { lon: number; lat: number } | null;
      radiusM: number;
      q?: string;
      limit: number;
    }): Promise<CandidateRow[]> {
      const text = q.q?.trim();
      const c = q.center;
      const distance = c ? sql<number>`earth_distance(ll_to_earth(r.lat, r.lon), ll_to_earth(${c.lat}, ${c.lon}))` : sql<null>`null::float8`;
      const place = c
        ? sql`(r.area_code like ${likePrefix(q.areaCode)} or (earth_box(ll_to_earth(${c.lat}, ${c.lon}), ${q.radiusM}) @> ll_to_earth(r.lat, r.lon)
              and earth_distance(ll_to_earth(r.lat, r.lon), ll_to_earth(${c.lat}, ${c.lon})) <= ${q.radiusM}))`
        : sql`r.area_code like ${likePrefix(q.areaCode)}`;
      const rows = await run(sql<CandidateRow>`
        select r.id, r.code, r.category_code, r.description, r.status, r.outcome, r.source, r.lon, r.lat, r.address,
               r.area_code, r.department_id::text as department_id, r.deadline_at, r.flags, r.follower_count,
               r.submitted_at, r.closed_at, r.reporter_worker_id::text as reporter_worker_id, r.campaign_id::text as campaign_id,
               (select p.id::text from report_photos p where p.report_id = r.id and p.kind = 'before' order by p.sort, p.created_at limit 1) as first_photo_id,
               ${distance} as distance_m
        from reports r
        where ${scopeCondition(q.scope)}
          and r.category_code = ${q.category}
          and r.campaign_id is null and r.merged_into is null and r.status <> 'closed'
          and ${place}
          ${text ? sql`and (r.code ilike ${`%${likeEscape(text)}%`} or r.description ilike ${`%${likeEscape(text)}%`} or r.address ilike ${`%${likeEscape(text)}%`})` : sql``}
        order by distance_m nulls last, r.submitted_at desc, r.id
        limit ${q.limit}`);
      return rows.map((r) => ({ ...r, distance_m: r.distance_m === null ? null : Number(r.distance_m) }));
    },

    async reportsForScopeCheck(ids: string[], trx?: Db): Promise<ScopedReportRow[]> {
      return run(
        sql<ScopedReportRow>`
          select r.id, r.category_code, r.lon, r.lat, r.city_code, r.area_code, r.department_id::text as department_id, r.campaign_id::text as campaign_id,
                 coalesce((select o.co_department_ids::text[] from report_orders o where o.report_id = r.id and o.current), '{}') as co_department_ids
          from reports r where r.id = any(${ids}::uuid[])`,
        trx,
      );
    },

    /** Puts the reports into the campaign; returns the ids that were in no campaign (the others are left). */
    async attachReports(campaignId: string, ids: string[], at: Date, trx: Db): Promise<string[]> {
      const rows = await run(
        sql<{ id: string }>`
          update reports set campaign_id = ${campaignId}, updated_at = ${at}
          where id = any(${ids}::uuid[]) and campaign_id is null
          returning id`,
        trx,
      );
      return rows.map((r) => r.id);
    },

    async insertEvents(
      events: { reportId: string; at: Date; actorId: string; data: Record<string, unknown> }[],
      type: 'campaign_added',
      trx: Db,
    ): Promise<void> {
      for (const e of events) {
        await sql`insert into report_events (report_id, at, type, actor_kind, actor_id, public, data)
          values (${e.reportId}, ${e.at}, ${type}, 'staff', ${e.actorId}, true, ${JSON.stringify(e.data)}::jsonb)`.execute(trx);
      }
    },

    async campaignReports(campaignId: string, scope: ReportScopeFilter | null): Promise<ReportSummaryRow[]> {
      return run(sql<ReportSummaryRow>`
        select r.id, r.code, r.category_code, r.description, r.status, r.outcome, r.source, r.lon, r.lat, r.address,
               r.area_code, r.department_id::text as department_id, r.deadline_at, r.flags, r.follower_count,
               r.submitted_at, r.closed_at, r.reporter_worker_id::text as reporter_worker_id, r.campaign_id::text as campaign_id,
               (select p.id::text from report_photos p where p.report_id = r.id and p.kind = 'before' order by p.sort, p.created_at limit 1) as first_photo_id
        from reports r
        where r.campaign_id = ${campaignId} ${scope ? sql`and ${scopeCondition(scope)}` : sql``}
        order by r.submitted_at desc, r.id`);
    },

    // ---------------- metrics

    /**
     * Reports submitted in [from, to) in the area, grouped (or one total row when groupBy is null):
     * the closing figures are of those reports (a cohort by submission), so a month's row does not
     * change meaning as older reports close.
     */
    async metrics(q: { cityCode: string; areaPrefix: string; from: Date; to: Date; groupBy: MetricsGrouping | null }): Promise<MetricsAggregateRow[]> {
      const key = q.groupBy ? METRICS_KEY[q.groupBy] : sql<null>`null::text`;
      return run(sql<MetricsAggregateRow>`
        select ${key} as key,
               count(*)::int as received,
               count(*) filter (where r.status = 'closed')::int as closed,
               count(*) filter (where r.status = 'closed' and r.outcome = 'fixed')::int as valid,
               percentile_cont(0.5) within group (order by extract(epoch from (r.closed_at - r.submitted_at)) / 3600.0)
                 filter (where r.status = 'closed' and r.closed_at is not null) as median_hours,
               count(*) filter (where r.status = 'closed' and r.closed_on_time)::int as closed_on_time,
               count(*) filter (where r.status = 'closed' and r.closed_on_time is not null)::int as on_time_known
        from reports r
        where r.city_code = ${q.cityCode} and r.area_code like ${likePrefix(q.areaPrefix)}
          and r.submitted_at >= ${q.from} and r.submitted_at < ${q.to}
        ${q.groupBy ? sql`group by 1` : sql``}`);
    },
  };
}

const CAMPAIGN_COLUMNS = sql`c.id::text as id, c.city_code, c.code, c.title, c.category_code, c.area_code, c.description,
  c.owner_staff_id::text as owner_staff_id, to_char(c.deadline, 'YYYY-MM-DD') as deadline, c.status, c.summary,
  c.center_lon, c.center_lat, c.created_at, c.created_by::text as created_by, c.closed_at, c.closed_by::text as closed_by,
  c.remind_working_days, c.reminded_at, c.escalated_at`;
const COUNTS = sql`(select count(*)::int from reports r where r.campaign_id = c.id) as report_count,
  (select count(*)::int from reports r where r.campaign_id = c.id and r.status = 'closed') as closed_report_count`;

const fixCampaign = (c: CampaignWithCounts): CampaignWithCounts => ({
  ...c,
  center_lon: c.center_lon === null ? null : Number(c.center_lon),
  center_lat: c.center_lat === null ? null : Number(c.center_lat),
});
