import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { EarnOutcome, PartnerStatus } from '../../contracts/points.js';

export interface RuleRow {
  city_code: string;
  code: string;
  title: string;
  points_per_unit: number;
  unit: string;
  daily_cap: number | null;
  monthly_cap: number | null;
  active: boolean;
  sponsor_id: string | null;
  updated_at: Date;
  updated_by: string | null;
}

export interface SettingsRow {
  city_code: string;
  settings: unknown;
  updated_at: Date;
  updated_by: string | null;
}

export interface EarningRow {
  id: string;
  city_code: string;
  worker_id: string;
  rule_code: string;
  units: number;
  requested: number;
  granted: number;
  outcome: EarnOutcome;
  reason: string;
  source_type: string | null;
  source_id: string | null;
  idempotency_key: string;
  request_hash: string;
  transaction_id: string | null;
  day: string;
  month: string;
  created_at: Date;
}

export interface MonthlyRow {
  city_code: string;
  month: string;
  worker_id: string;
  district_code: string | null;
  points: number;
}

export interface StatsRow {
  city_code: string;
  worker_id: string;
  area_code: string | null;
  lifetime_earned: number;
  approved_stories: number;
  valid_reports: number;
  updated_at: Date;
}

export interface PartnerRow {
  city_code: string;
  worker_id: string;
  area_code: string | null;
  status: PartnerStatus;
  granted_at: Date;
  stats: unknown;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

type Tables = {
  points_rules: RuleRow;
  points_settings: SettingsRow;
  points_earnings: EarningRow;
  points_monthly: MonthlyRow;
  points_worker_stats: StatsRow;
  points_partners: PartnerRow;
};

/** Earning rules, settings, the earnings log and the roll-ups (the points module's own tables). */
export function createEarningRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  const num = (v: unknown) => Number(v ?? 0);
  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    /** Serialises earn() per worker (caps are read, then written) without touching the account rows. */
    async lockWorker(workerId: string, trx: Db): Promise<void> {
      await sql`select pg_advisory_xact_lock(hashtext(${`points-earn:${workerId}`}))`.execute(trx);
    },

    /**
     * What earn() needs, read AFTER the worker's lock is held (so the caps count every committed award):
     * an earlier earning under the key, the city's rule row, and what the rule granted the worker on
     * the Shanghai day and in its month — one statement.
     */
    async readForEarn(q: { cityCode: string; key: string; workerId: string; ruleCode: string; month: string; day: string }, trx: Db) {
      const r = await sql<{ earning: EarningRow | null; rule: (Omit<RuleRow, 'updated_at'> & { updated_at: string }) | null; so_day: number; so_month: number }>`
        select
          (select row_to_json(e) from points_earnings e where e.city_code = ${q.cityCode} and e.idempotency_key = ${q.key}) as earning,
          (select row_to_json(r) from points_rules r where r.city_code = ${q.cityCode} and r.code = ${q.ruleCode}) as rule,
          coalesce(sum(g.granted) filter (where g.day = ${q.day}::date), 0)::int as so_day,
          coalesce(sum(g.granted), 0)::int as so_month
        from points_earnings g
        where g.worker_id = ${q.workerId} and g.rule_code = ${q.ruleCode} and g.month = ${q.month}`.execute(trx);
      const row = r.rows[0]!;
      const parse = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
      const rule = parse(row.rule);
      return {
        earning: parse(row.earning) ?? undefined,
        rule: rule ? ({ ...rule, updated_at: new Date(rule.updated_at) } as RuleRow) : undefined,
        soFar: { day: num(row.so_day), month: num(row.so_month) },
      };
    },

    /** The earning's row and its roll-ups (month, worker totals) in one statement; returns the totals when changed. */
    async recordEarning(
      row: EarningRow,
      monthly: { district_code: string | null; points: number } | null,
      stats: { area_code: string | null; earned: number; reports: number } | null,
      trx: Db,
    ): Promise<StatsRow | undefined> {
      const m = monthly
        ? sql`, m as (
            insert into points_monthly (city_code, month, worker_id, district_code, points)
            values (${row.city_code}, ${row.month}, ${row.worker_id}, ${monthly.district_code}, ${monthly.points})
            on conflict (city_code, month, worker_id) do update
              set points = points_monthly.points + excluded.points,
                  district_code = coalesce(excluded.district_code, points_monthly.district_code))`
        : sql``;
      const tail = stats
        ? sql`insert into points_worker_stats (city_code, worker_id, area_code, lifetime_earned, approved_stories, valid_reports, updated_at)
            values (${row.city_code}, ${row.worker_id}, ${stats.area_code}, ${stats.earned}, 0, ${stats.reports}, ${row.created_at})
            on conflict (city_code, worker_id) do update set
              lifetime_earned = points_worker_stats.lifetime_earned + excluded.lifetime_earned,
              valid_reports = points_worker_stats.valid_reports + excluded.valid_reports,
              area_code = coalesce(excluded.area_code, points_worker_stats.area_code),
              updated_at = excluded.updated_at
            returning *`
        : sql`select null as none`;
      const r = await sql<StatsRow>`
        with e as (
          insert into points_earnings (id, city_code, worker_id, rule_code, units, requested, granted, outcome, reason, source_type, source_id, idempotency_key, request_hash, transaction_id, day, month, created_at)
          values (${row.id}, ${row.city_code}, ${row.worker_id}, ${row.rule_code}, ${row.units}, ${row.requested}, ${row.granted}, ${row.outcome}, ${row.reason}, ${row.source_type}, ${row.source_id},
                  ${row.idempotency_key}, ${row.request_hash}, ${row.transaction_id}, ${row.day}::date, ${row.month}, ${row.created_at})
        ) ${m}
        ${tail}`.execute(trx);
      return stats ? r.rows[0] : undefined;
    },

    // ---------------- rules and settings

    async rules(cityCode: string): Promise<RuleRow[]> {
      return on().selectFrom('points_rules').selectAll().where('city_code', '=', cityCode).orderBy('code').execute();
    },
    async rule(cityCode: string, code: string, trx?: Db): Promise<RuleRow | undefined> {
      return on(trx).selectFrom('points_rules').selectAll().where('city_code', '=', cityCode).where('code', '=', code).executeTakeFirst();
    },
    async upsertRule(row: RuleRow): Promise<void> {
      await on()
        .insertInto('points_rules')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['city_code', 'code']).doUpdateSet({
            title: row.title,
            points_per_unit: row.points_per_unit,
            unit: row.unit,
            daily_cap: row.daily_cap,
            monthly_cap: row.monthly_cap,
            active: row.active,
            sponsor_id: row.sponsor_id,
            updated_at: row.updated_at,
            updated_by: row.updated_by,
          }),
        )
        .execute();
    },
    async settings(cityCode: string): Promise<SettingsRow | undefined> {
      return on().selectFrom('points_settings').selectAll().where('city_code', '=', cityCode).executeTakeFirst();
    },
    async cities(): Promise<string[]> {
      const r = await sql<{ city_code: string }>`select distinct city_code from points_accounts`.execute(database);
      return r.rows.map((x) => x.city_code);
    },
    async saveSettings(row: SettingsRow): Promise<void> {
      const settings = JSON.stringify(row.settings);
      await sql`
        insert into points_settings (city_code, settings, updated_at, updated_by)
        values (${row.city_code}, ${settings}::jsonb, ${row.updated_at}, ${row.updated_by})
        on conflict (city_code) do update set settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`.execute(database);
    },

    // ---------------- the earnings log

    async earningByKey(cityCode: string, key: string, trx?: Db): Promise<EarningRow | undefined> {
      return on(trx).selectFrom('points_earnings').selectAll().where('city_code', '=', cityCode).where('idempotency_key', '=', key).executeTakeFirst();
    },
    async insertEarning(row: EarningRow, trx: Db): Promise<void> {
      await on(trx).insertInto('points_earnings').values(row).execute();
    },

    // ---------------- roll-ups

    async addMonthly(row: MonthlyRow, trx: Db): Promise<void> {
      await sql`
        insert into points_monthly (city_code, month, worker_id, district_code, points)
        values (${row.city_code}, ${row.month}, ${row.worker_id}, ${row.district_code}, ${row.points})
        on conflict (city_code, month, worker_id) do update
          set points = points_monthly.points + excluded.points,
              district_code = coalesce(excluded.district_code, points_monthly.district_code)`.execute(trx);
    },
    async monthlyOf(cityCode: string, month: string, workerId: string): Promise<MonthlyRow | undefined> {
      return on().selectFrom('points_monthly').selectAll().where('city_code', '=', cityCode).where('month', '=', month).where('worker_id', '=', workerId).executeTakeFirst();
    },
    async leaderboard(cityCode: string, month: string, districtCode: string, limit: number): Promise<MonthlyRow[]> {
      return on()
        .selectFrom('points_monthly')
        .selectAll()
        .where('city_code', '=', cityCode)
        .where('month', '=', month)
        .where('district_code', '=', districtCode)
        .where('points', '>', 0)
        .orderBy('points', 'desc')
        .orderBy('worker_id')
        .limit(limit)
        .execute();
    },
    /** Workers of the district with more points that month (rank = this + 1), and how many took part. */
    async rankOf(cityCode: string, month: string, districtCode: string, points: number): Promise<{ above: number; participants: number }> {
      const r = await sql<{ above: number; participants: number }>`
        select count(*) filter (where points > ${points})::int as above, count(*)::int as participants
        from points_monthly where city_code = ${cityCode} and month = ${month} and district_code = ${districtCode} and points > 0`.execute(database);
      return { above: num(r.rows[0]?.above), participants: num(r.rows[0]?.participants) };
    },

    /** Adds to a worker's running totals and returns them. */
    async addStats(
      row: { city_code: string; worker_id: string; area_code: string | null; earned: number; stories: number; reports: number; at: Date },
      trx: Db,
    ): Promise<StatsRow> {
      const r = await sql<StatsRow>`
        insert into points_worker_stats (city_code, worker_id, area_code, lifetime_earned, approved_stories, valid_reports, updated_at)
        values (${row.city_code}, ${row.worker_id}, ${row.area_code}, ${row.earned}, ${row.stories}, ${row.reports}, ${row.at})
        on conflict (city_code, worker_id) do update set
          lifetime_earned = points_worker_stats.lifetime_earned + excluded.lifetime_earned,
          approved_stories = points_worker_stats.approved_stories + excluded.approved_stories,
          valid_reports = points_worker_stats.valid_reports + excluded.valid_reports,
          area_code = coalesce(excluded.area_code, points_worker_stats.area_code),
          updated_at = excluded.updated_at
        returning *`.execute(trx);
      return r.rows[0]!;
    },
    async statsOf(cityCode: string, workerId: string): Promise<StatsRow | undefined> {
      return on().selectFrom('points_worker_stats').selectAll().where('city_code', '=', cityCode).where('worker_id', '=', workerId).executeTakeFirst();
    },
    async statsMany(cityCode: string, workerIds: string[]): Promise<StatsRow[]> {
      if (!workerIds.length) return [];
      return on().selectFrom('points_worker_stats').selectAll().where('city_code', '=', cityCode).where('worker_id', 'in', workerIds).execute();
    },
    /** Workers meeting the thresholds who hold no title row yet (granted or revoked). */
    async partnerCandidates(cityCode: string, t: { points: number; stories: number; reports: number }, limit: number): Promise<StatsRow[]> {
      const r = await sql<StatsRow>`
        select s.* from points_worker_stats s
        where s.city_code = ${cityCode} and s.lifetime_earned >= ${t.points} and s.approved_stories >= ${t.stories} and s.valid_reports >= ${t.reports}
          and not exists (select 1 from points_partners p where p.city_code = s.city_code and p.worker_id = s.worker_id)
        order by s.worker_id limit ${limit}`.execute(database);
      return r.rows;
    },

    // ---------------- 城市合伙人

    /** Grants the title unless the worker has (or had) it; true when this call granted it. */
    async grantPartner(row: PartnerRow, trx?: Db): Promise<boolean> {
      const r = await sql`
        insert into points_partners (city_code, worker_id, area_code, status, granted_at, stats)
        values (${row.city_code}, ${row.worker_id}, ${row.area_code}, 'active', ${row.granted_at}, ${JSON.stringify(row.stats)}::jsonb)
        on conflict (city_code, worker_id) do nothing`.execute(trx ?? database);
      return Number(r.numAffectedRows ?? 0) > 0;
    },
    async partner(cityCode: string, workerId: string, trx?: Db): Promise<PartnerRow | undefined> {
      let q = on(trx).selectFrom('points_partners').selectAll().where('city_code', '=', cityCode).where('worker_id', '=', workerId);
      if (trx) q = q.forUpdate();
      return q.executeTakeFirst();
    },
    async partnerAnyCity(workerId: string): Promise<PartnerRow | undefined> {
      return on().selectFrom('points_partners').selectAll().where('worker_id', '=', workerId).executeTakeFirst();
    },
    async activePartners(cityCode: string, workerIds: string[]): Promise<Set<string>> {
      if (!workerIds.length) return new Set();
      const rows = await on().selectFrom('points_partners').select('worker_id').where('city_code', '=', cityCode).where('status', '=', 'active').where('worker_id', 'in', workerIds).execute();
      return new Set(rows.map((r) => r.worker_id));
    },
    async revokePartner(cityCode: string, workerId: string, patch: { revoked_at: Date; revoked_by: string; revoke_reason: string }, trx: Db): Promise<void> {
      await on(trx).updateTable('points_partners').set({ status: 'revoked', ...patch }).where('city_code', '=', cityCode).where('worker_id', '=', workerId).execute();
    },
    async partners(cityCode: string, q: { status?: PartnerStatus; areaPrefix: string; limit: number; offset: number }): Promise<{ rows: PartnerRow[]; total: number }> {
      let base = on().selectFrom('points_partners').where('city_code', '=', cityCode);
      if (q.status) base = base.where('status', '=', q.status);
      if (q.areaPrefix !== cityCode) base = base.where('area_code', 'like', `${q.areaPrefix}%`);
      const rows = await base.selectAll().orderBy('granted_at', 'desc').orderBy('worker_id').limit(q.limit).offset(q.offset).execute();
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return { rows, total: num(total?.n) };
    },
  };
}
export type EarningRepository = ReturnType<typeof createEarningRepository>;
