import { sql, type ColumnType, type RawBuilder, type Generated, type GeneratedAlways, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { LocationSource, ReportEventType, ReportOutcome, ReportSource, ReportStatus } from '../../contracts/reports.js';

/** jsonb: read as the value, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export interface ReportCategoriesTable {
  city_code: string;
  code: string;
  name_zh: string;
  name_en: string;
  grp: string;
  rider_first: boolean;
  sort: number;
  quick_tags: string[];
  points_rule: string;
  dedupe_radius_m: number;
  dedupe_max: number;
  deadline_working_days: number;
  cluster_min: number;
  cluster_radius_m: number;
  cluster_days: number;
  active: boolean;
  updated_at: Date;
  updated_by: string | null;
}

export interface ReportsTable {
  id: string;
  city_code: string;
  code: string;
  source: ReportSource;
  reporter_worker_id: string | null;
  client_id: string | null;
  open311_client_id: string | null;
  contact_enc: string | null;
  category_code: string;
  description: string;
  tags: string[];
  lon: number;
  lat: number;
  accuracy_m: number | null;
  location_source: LocationSource;
  address: string;
  area_code: string;
  area_source: 'nearest_place' | 'worker' | 'city' | 'staff';
  status: ReportStatus;
  outcome: ReportOutcome | null;
  merged_into: string | null;
  campaign_id: string | null;
  department_id: string | null;
  street_code: string | null;
  routing_rule_id: string | null;
  deadline_at: Date | null;
  flags: string[];
  follower_count: Generated<number>;
  submitted_at: Date;
  handled_at: Date | null;
  closed_at: Date | null;
  closed_on_time: boolean | null;
  feedback: 'confirmed' | 'disputed' | null;
  feedback_deadline: Date | null;
  reopen_count: Generated<number>;
  points_granted: Generated<number>;
  points_transaction_id: string | null;
  clawed_back_at: Date | null;
  updated_at: Date;
  version: Generated<number>;
}

export interface ReportPhotosTable {
  id: string;
  city_code: string;
  report_id: string | null;
  uploader_kind: 'worker' | 'staff' | 'open311';
  uploader_id: string;
  kind: 'before' | 'after';
  sort: number;
  public_key: string;
  private_key: string;
  width: number;
  height: number;
  /** 64-bit perceptual hash (hex), made with the public copy: null until then, and for a photo that cannot be decoded. */
  phash: string | null;
  created_at: Date;
  /** When the public copy was made (or found impossible); null until then (see reports.service publishPhoto). */
  processed_at: Date | null;
}

export interface ReportFollowersTable {
  report_id: string;
  worker_id: string;
  via: 'me_too' | 'merged';
  created_at: Date;
}

export interface ReportEventsTable {
  id: GeneratedAlways<number>;
  report_id: string;
  at: Date;
  type: ReportEventType;
  actor_kind: 'worker' | 'staff' | 'system' | 'open311';
  actor_id: string | null;
  public: boolean;
  data: Json<Record<string, unknown>>;
}

/** Read-only here: the workflow owns work orders; capture reads the current one for scope. */
interface ReportOrdersTable {
  report_id: string;
  current: boolean;
  co_department_ids: string[];
}

/** Read-only here: the campaign a report belongs to (title on the worker's view). */
interface ReportCampaignsTable {
  id: string;
  title: string;
}

type Tables = {
  report_categories: ReportCategoriesTable;
  reports: ReportsTable;
  report_photos: ReportPhotosTable;
  report_followers: ReportFollowersTable;
  report_events: ReportEventsTable;
  report_orders: ReportOrdersTable;
  report_campaigns: ReportCampaignsTable;
};

export type CategoryRow = Selectable<ReportCategoriesTable>;
export type ReportDbRow = Selectable<ReportsTable>;
export type NewReportRow = Insertable<ReportsTable>;
export type PhotoRow = Selectable<ReportPhotosTable>;
export type EventRow = Selectable<ReportEventsTable>;

/** A photo as submit checks it (submitContext). */
export type SubmitPhoto = Pick<PhotoRow, 'id' | 'report_id' | 'uploader_kind' | 'uploader_id' | 'city_code'>;
/** An attached photo as flagFromPhoto reads it. */
export type AttachedPhoto = Pick<PhotoRow, 'id' | 'report_id' | 'city_code' | 'created_at' | 'phash' | 'processed_at'>;
/** A photo as the worker's view shows it (reportForWorker). */
export type ViewPhoto = Pick<PhotoRow, 'id' | 'kind' | 'width' | 'height'>;

export interface SubmitContext {
  priorId: string | null;
  category: CategoryRow | null;
  /** The worker's reports' submitted times of the last day, oldest first. */
  recent: Date[];
  photos: SubmitPhoto[];
}

/** A report with its current work order's co-handling departments (for scope checks). */
export type ScopedReportRow = ReportDbRow & { co_department_ids: string[] | null };

export interface AdminListFilter {
  cityCode: string;
  areaPrefix: string;
  /** Handlers: lead or co-handling department of the current order must be one of these. */
  departmentIds: string[] | null;
  status?: ReportStatus;
  category?: string;
  departmentId?: string;
  areaCode?: string;
  campaignId?: string;
  q?: string;
  overdue?: boolean;
  flag?: string;
  from?: Date;
  to?: Date;
  bbox?: [number, number, number, number];
  sort: 'submitted_desc' | 'submitted_asc' | 'deadline_asc';
  now: Date;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every SQL statement of capture: categories, reports as filed, photos, followers, the timeline. */
/** The one-bit masks of a 16-bit band, and 0 (the band itself). */
const BAND_FLIPS = [0, ...Array.from({ length: 16 }, (_, k) => 1 << k)];
/** The banded lookup finds every hash within this many bits (four bands: one of them differs in ≤ 1 bit). */
export const PHASH_BANDED_MAX_DISTANCE = 7;

/**
 * SQL: the attached photos (id, report_id, kind, created_at) of the city since `since`, not of
 * `exceptReportId`, within `maxDistance` bits of `hash`. Multi-index hashing over the four 16-bit bands
 * of migration 0026: index lookups of each band's value and its one-bit neighbours, then the full
 * distance on those candidates only. The one lookup both the reused-photo flag and its check use.
 */
function photosNear(hash: string, q: { cityCode: string; since: Date; maxDistance: number; exceptReportId: string | null }): RawBuilder<unknown> {
  if (q.maxDistance > PHASH_BANDED_MAX_DISTANCE) throw new Error(`phash: the banded lookup finds distances up to ${PHASH_BANDED_MAX_DISTANCE}, not ${q.maxDistance}`);
  const band = (i: number) => sql`array(select ('x' || substr(${hash}::text, ${i * 4 + 1}, 4))::bit(16)::integer # f.m from unnest(${BAND_FLIPS}::integer[]) as f(m))`;
  return sql`select p.id, p.report_id, p.kind, p.created_at from report_photos p
    where (p.ph0 = any(${band(0)}) or p.ph1 = any(${band(1)}) or p.ph2 = any(${band(2)}) or p.ph3 = any(${band(3)}))
      and p.report_id is not null and p.city_code = ${q.cityCode} and p.created_at >= ${q.since}
      and (${q.exceptReportId}::uuid is null or p.report_id <> ${q.exceptReportId}::uuid)
      and bit_count(('x' || p.phash)::bit(64) # ('x' || ${hash}::text)::bit(64)) <= ${q.maxDistance}`;
}

export function createReportsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();

  function adminWhere(f: AdminListFilter) {
    const parts = [sql`r.city_code = ${f.cityCode}`, sql`r.area_code like ${likeEscape(f.areaPrefix) + '%'}`];
    if (f.departmentIds) {
      const ids = f.departmentIds.length ? f.departmentIds : ['00000000-0000-0000-0000-000000000000'];
      parts.push(sql`(r.department_id = any(${ids}::uuid[]) or coalesce(o.co_department_ids, '{}') && ${ids}::uuid[])`);
    }
    if (f.status) parts.push(sql`r.status = ${f.status}`);
    if (f.category) parts.push(sql`r.category_code = ${f.category}`);
    if (f.departmentId) parts.push(sql`r.department_id::text = ${f.departmentId}`);
    if (f.areaCode) parts.push(sql`r.area_code like ${likeEscape(f.areaCode) + '%'}`);
    if (f.campaignId) parts.push(sql`r.campaign_id::text = ${f.campaignId}`);
    if (f.q) {
      const like = `%${likeEscape(f.q)}%`;
      parts.push(sql`(r.code ilike ${like} or r.description ilike ${like} or r.address ilike ${like})`);
    }
    const overdue = sql`(r.deadline_at < ${f.now} and r.status in ('dispatched', 'acknowledged'))`;
    if (f.overdue === true || f.flag === 'overdue') parts.push(sql`(${overdue} or 'overdue' = any(r.flags))`);
    else if (f.overdue === false) parts.push(sql`not ${overdue}`);
    if (f.flag && f.flag !== 'overdue') parts.push(sql`${f.flag} = any(r.flags)`);
    if (f.from) parts.push(sql`r.submitted_at >= ${f.from}`);
    if (f.to) parts.push(sql`r.submitted_at <= ${f.to}`);
    if (f.bbox) {
      const [minLon, minLat, maxLon, maxLat] = f.bbox;
      parts.push(sql`r.lon between ${minLon} and ${maxLon} and r.lat between ${minLat} and ${maxLat}`);
    }
    return sql.join(parts, sql` and `);
  }

  const orderBy = (sort: AdminListFilter['sort']) =>
    sort === 'submitted_asc' ? sql`r.submitted_at asc, r.id` : sort === 'deadline_asc' ? sql`r.deadline_at asc nulls last, r.submitted_at desc, r.id` : sql`r.submitted_at desc, r.id`;

  return {
    transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
      return database.transaction().execute(fn);
    },

    // ---------------- categories ----------------

    async categories(cityCode: string, trx?: Db): Promise<CategoryRow[]> {
      return on(trx).selectFrom('report_categories').selectAll().where('city_code', '=', cityCode).orderBy('sort').orderBy('code').execute();
    },

    async category(cityCode: string, code: string, trx?: Db): Promise<CategoryRow | undefined> {
      return on(trx).selectFrom('report_categories').selectAll().where('city_code', '=', cityCode).where('code', '=', code).executeTakeFirst();
    },

    /** Inserts the missing defaults; never overwrites an operator's changes. */
    async insertCategoriesIfMissing(rows: CategoryRow[]): Promise<void> {
      if (!rows.length) return;
      await on().insertInto('report_categories').values(rows).onConflict((oc) => oc.columns(['city_code', 'code']).doNothing()).execute();
    },

    async upsertCategory(row: CategoryRow): Promise<CategoryRow> {
      const { city_code: _c, code: _k, ...rest } = row;
      return on()
        .insertInto('report_categories')
        .values(row)
        .onConflict((oc) => oc.columns(['city_code', 'code']).doUpdateSet(rest))
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    // ---------------- photos ----------------

    async insertPhoto(row: PhotoRow): Promise<void> {
      await on().insertInto('report_photos').values(row).execute();
    },

    /** Photos whose public copy is not made yet, oldest first. */
    async unprocessedPhotos(limit: number): Promise<PhotoRow[]> {
      return on().selectFrom('report_photos').selectAll().where('processed_at', 'is', null).orderBy('created_at').limit(limit).execute();
    },

    /**
     * Records a photo's public copy (its size and perceptual hash), or with `phash` null that it cannot be
     * decoded. Returns the report it is attached to, if any, whose photo flags are then to be reviewed.
     */
    async markPhotoProcessed(id: string, done: { width: number; height: number; phash: string | null }, at: Date): Promise<string | null> {
      const r = await on().updateTable('report_photos').set({ processed_at: at, width: done.width, height: done.height, phash: done.phash }).where('id', '=', id).returning('report_id').executeTakeFirst();
      return r?.report_id ?? null;
    },

    /**
     * Flags the reports one photo of a report calls for, in one statement, once both its hash (or its
     * failed decode) and its attachment are known — run after each of the two writes, so whichever
     * commits last sees both. A hashed photo within `maxDistance` bits of a photo of another report of the
     * city since `since` makes the later of the two photos' reports photo_reused (the copy, not the
     * original, whichever was hashed first); a photo that could not be decoded makes its report
     * photo_unreadable. Returns the reports flagged.
     */
    async flagFromPhoto(photo: Pick<PhotoRow, 'id' | 'report_id' | 'city_code' | 'created_at' | 'phash' | 'processed_at'>, since: Date, maxDistance: number): Promise<string[]> {
      if (!photo.report_id || !photo.processed_at) return [];
      if (photo.phash === null) {
        const r = await sql<{ id: string }>`update reports set flags = flags || '{photo_unreadable}'::text[]
          where id = ${photo.report_id}::uuid and not 'photo_unreadable' = any(flags) returning id`.execute(database);
        return r.rows.map((x) => x.id);
      }
      const r = await sql<{ id: string }>`
        with matches as (
          select m.report_id, m.kind, (m.created_at, m.id) < (${photo.created_at}::timestamptz, ${photo.id}::uuid) as earlier
          from (${photosNear(photo.phash, { cityCode: photo.city_code, since, maxDistance, exceptReportId: photo.report_id })}) as m
        ), due as (
          select ${photo.report_id}::uuid as id where exists (select 1 from matches where earlier)
          union
          select report_id from matches where not earlier and kind = 'before'
        )
        update reports set flags = reports.flags || '{photo_reused}'::text[]
        from due where reports.id = due.id and not 'photo_reused' = any(reports.flags)
        returning reports.id`.execute(database);
      return r.rows.map((x) => x.id);
    },

    async photo(id: string, trx?: Db): Promise<PhotoRow | undefined> {
      return on(trx).selectFrom('report_photos').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async photosByIds(ids: string[], trx?: Db): Promise<PhotoRow[]> {
      if (!ids.length) return [];
      return on(trx).selectFrom('report_photos').selectAll().where('id', 'in', ids).execute();
    },

    async photosOfReports(reportIds: string[], trx?: Db): Promise<PhotoRow[]> {
      if (!reportIds.length) return [];
      return on(trx)
        .selectFrom('report_photos')
        .selectAll()
        .where('report_id', 'in', reportIds)
        .orderBy('report_id')
        .orderBy(sql`kind = 'after'`)
        .orderBy('sort')
        .orderBy('created_at')
        .execute();
    },

    /** Attaches unattached photos of this uploader (in this order); returns how many were attached. */
    async attachPhotos(reportId: string, ids: string[], kind: 'before' | 'after', uploader: { kind: string; id: string }, cityCode: string, trx: Db): Promise<number> {
      let attached = 0;
      const base = await sql<{ n: number }>`select coalesce(max(sort) + 1, 0)::int as n from report_photos where report_id = ${reportId}`.execute(trx);
      let sort = base.rows[0]?.n ?? 0;
      for (const id of ids) {
        const r = await on(trx)
          .updateTable('report_photos')
          .set({ report_id: reportId, kind, sort: sort++ })
          .where('id', '=', id)
          .where('report_id', 'is', null)
          .where('uploader_kind', '=', uploader.kind as PhotoRow['uploader_kind'])
          .where('uploader_id', '=', uploader.id)
          .where('city_code', '=', cityCode)
          .executeTakeFirst();
        attached += Number(r.numUpdatedRows);
      }
      return attached;
    },

    async uploadsSince(uploaderKind: PhotoRow['uploader_kind'], uploaderId: string, since: Date): Promise<number> {
      const r = await on()
        .selectFrom('report_photos')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('uploader_kind', '=', uploaderKind)
        .where('uploader_id', '=', uploaderId)
        .where('created_at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Whether a hash is within `maxDistance` bits of a photo of another report (same city, since): flagFromPhoto's lookup. */
    async phashReused(cityCode: string, hash: string, since: Date, maxDistance: number, exceptReportId: string | null): Promise<boolean> {
      const r = await sql<{ hit: boolean }>`select exists (${photosNear(hash, { cityCode, since, maxDistance, exceptReportId })}) as hit`.execute(database);
      return r.rows[0]?.hit === true;
    },

    async unattachedPhotosBefore(before: Date, limit: number): Promise<PhotoRow[]> {
      return on().selectFrom('report_photos').selectAll().where('report_id', 'is', null).where('created_at', '<', before).orderBy('created_at').limit(limit).execute();
    },

    /** Deletes unattached photos by id (one attached meanwhile is kept); returns the deleted ones. */
    async deleteUnattachedPhotos(ids: string[]): Promise<PhotoRow[]> {
      if (!ids.length) return [];
      return on().deleteFrom('report_photos').where('id', 'in', ids).where('report_id', 'is', null).returningAll().execute();
    },

    // ---------------- reports ----------------

    /**
     * What submit checks, in one round trip: a prior report under the clientId, the category, the worker's
     * reports of the last day (rate limits) and the named photos. (Whether a photo was reused is known
     * once its hash is made, after the upload is acknowledged: flagFromPhoto.)
     */
    async submitContext(q: { workerId: string; clientId: string; cityCode: string; category: string; photoIds: string[]; daySince: Date }): Promise<SubmitContext> {
      const ids = q.photoIds;
      const r = await sql<{ prior_id: string | null; category: CategoryRow | null; recent: Date[]; photos: SubmitPhoto[] }>`
        select
          (select id from reports where reporter_worker_id = ${q.workerId}::uuid and client_id = ${q.clientId}) as prior_id,
          (select to_jsonb(c) from report_categories c where c.city_code = ${q.cityCode} and c.code = ${q.category}) as category,
          array(select submitted_at from reports where reporter_worker_id = ${q.workerId}::uuid and submitted_at >= ${q.daySince} order by submitted_at) as recent,
          coalesce((
            select jsonb_agg(jsonb_build_object('id', p.id, 'report_id', p.report_id, 'uploader_kind', p.uploader_kind, 'uploader_id', p.uploader_id, 'city_code', p.city_code))
            from report_photos p where p.id = any(${ids}::uuid[])), '[]'::jsonb) as photos`.execute(database);
      const row = r.rows[0]!;
      return { priorId: row.prior_id, category: row.category, recent: row.recent.map((d) => new Date(d)), photos: row.photos };
    },

    /**
     * Files a report in one statement: inserts it (its code from the sequence), attaches the photos (in
     * this order, only unused ones of this uploader in this city) and writes its first event. Returns the
     * stored row and how many photos were attached: the caller, in a transaction, rolls back when that
     * is not all of them.
     */
    async insertSubmitted(
      row: Omit<NewReportRow, 'code'>,
      codePrefix: string,
      photoIds: string[],
      uploader: { kind: string; id: string },
      event: { type: ReportEventType; actor_kind: EventRow['actor_kind']; actor_id: string | null; public: boolean; data: Record<string, unknown> },
      trx: Db,
    ): Promise<{ report: ReportDbRow; attached: number; /** of them, those already decoded (see flagFromPhoto) */ processed: AttachedPhoto[] }> {
      const cols = Object.keys(row) as (keyof typeof row)[];
      const r = await sql<ReportDbRow & { attached_count: number; processed_: (Omit<AttachedPhoto, 'created_at' | 'processed_at'> & { created_at: string; processed_at: string })[] }>`
        with attached as (
          update report_photos set report_id = ${row.id}::uuid, kind = 'before', sort = array_position(${photoIds}::uuid[], id) - 1
          where id = any(${photoIds}::uuid[]) and report_id is null and uploader_kind = ${uploader.kind} and uploader_id = ${uploader.id} and city_code = ${row.city_code}
          returning id, city_code, report_id, created_at, phash, processed_at
        ), inserted as (
          insert into reports (${sql.join(cols.map((c) => sql.ref(c)))}, code)
          values (${sql.join(cols.map((c) => sql`${row[c]}`))}, ${codePrefix} || lpad((nextval('reports_code_seq') % 100000)::text, 5, '0'))
          returning *
        ), submitted as (
          insert into report_events (report_id, at, type, actor_kind, actor_id, public, data)
          select id, submitted_at, ${event.type}, ${event.actor_kind}, ${event.actor_id}, ${event.public}, ${JSON.stringify(event.data)}::jsonb from inserted
        )
        select inserted.*, (select count(*)::int from attached) as attached_count,
          coalesce((select jsonb_agg(to_jsonb(a)) from attached a where processed_at is not null), '[]'::jsonb) as processed_ from inserted`.execute(trx);
      const { attached_count, processed_, ...report } = r.rows[0]!;
      const processed = processed_.map((p) => ({ ...p, created_at: new Date(p.created_at), processed_at: new Date(p.processed_at) }));
      return { report: report as ReportDbRow, attached: attached_count, processed };
    },

    /**
     * The worker's view of a report in one round trip: the row, whether the worker follows it, its
     * public timeline (oldest first) and its photos (before, then after).
     */
    async reportForWorker(id: string, workerId: string): Promise<{ row: ReportDbRow; following: boolean; events: EventRow[]; photos: ViewPhoto[] } | undefined> {
      const r = await sql<ReportDbRow & { following_: boolean; events_: (Omit<EventRow, 'at'> & { at: string })[]; photos_: ViewPhoto[] }>`
        select r.*,
          exists (select 1 from report_followers f where f.report_id = r.id and f.worker_id = ${workerId}::uuid) as following_,
          coalesce((select jsonb_agg(to_jsonb(e) order by e.at, e.id) from report_events e where e.report_id = r.id and e.public), '[]'::jsonb) as events_,
          coalesce((
            select jsonb_agg(jsonb_build_object('id', p.id, 'kind', p.kind, 'width', p.width, 'height', p.height) order by p.kind = 'after', p.sort, p.created_at)
            from report_photos p where p.report_id = r.id), '[]'::jsonb) as photos_
        from reports r where r.id = ${id}::uuid`.execute(database);
      const found = r.rows[0];
      if (!found) return undefined;
      const { following_, events_, photos_, ...row } = found;
      return { row: row as ReportDbRow, following: following_, events: events_.map((e) => ({ ...e, id: Number(e.id), at: new Date(e.at) })), photos: photos_ };
    },

    async nextCodeNumber(trx: Db): Promise<number> {
      const r = await sql<{ n: number }>`select (nextval('reports_code_seq') % 100000)::int as n`.execute(trx);
      return r.rows[0]!.n;
    },

    async insertReport(row: NewReportRow, trx: Db): Promise<void> {
      await on(trx).insertInto('reports').values(row).execute();
    },

    async report(id: string, trx?: Db): Promise<ReportDbRow | undefined> {
      return on(trx).selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async reportsByIds(ids: string[], trx?: Db): Promise<ReportDbRow[]> {
      if (!ids.length) return [];
      return on(trx).selectFrom('reports').selectAll().where('id', 'in', ids).execute();
    },

    async reportWithScope(id: string, trx?: Db): Promise<ScopedReportRow | undefined> {
      const r = await sql<ScopedReportRow>`
        select r.*, o.co_department_ids from reports r
        left join report_orders o on o.report_id = r.id and o.current
        where r.id = ${id}::uuid`.execute(trx ?? database);
      return r.rows[0];
    },

    async reportByClientId(workerId: string, clientId: string, trx?: Db): Promise<ReportDbRow | undefined> {
      return on(trx).selectFrom('reports').selectAll().where('reporter_worker_id', '=', workerId).where('client_id', '=', clientId).executeTakeFirst();
    },

    /** The worker's reports filed since `since`, oldest first (submitted times only). */
    async submittedSince(workerId: string, since: Date): Promise<Date[]> {
      const rows = await on()
        .selectFrom('reports')
        .select('submitted_at')
        .where('reporter_worker_id', '=', workerId)
        .where('submitted_at', '>=', since)
        .orderBy('submitted_at')
        .execute();
      return rows.map((r) => r.submitted_at);
    },

    async campaignTitle(id: string): Promise<string | undefined> {
      const r = await on().selectFrom('report_campaigns').select('title').where('id', '=', id).executeTakeFirst();
      return r?.title;
    },

    /** Open reports of a category near a point, nearest first (earth_box narrows by the GiST index). */
    async nearbyOpen(q: { cityCode: string; category: string; lon: number; lat: number; radiusM: number; limit: number; workerId: string }) {
      const r = await sql<ReportDbRow & { distance_m: number; following: boolean }>`
        select r.*, earth_distance(ll_to_earth(r.lat, r.lon), ll_to_earth(${q.lat}, ${q.lon})) as distance_m,
               (r.reporter_worker_id = ${q.workerId}::uuid
                or exists (select 1 from report_followers f where f.report_id = r.id and f.worker_id = ${q.workerId}::uuid)) as following
        from reports r
        where r.city_code = ${q.cityCode} and r.category_code = ${q.category} and r.status <> 'closed'
          and earth_box(ll_to_earth(${q.lat}, ${q.lon}), ${q.radiusM}) @> ll_to_earth(r.lat, r.lon)
          and earth_distance(ll_to_earth(r.lat, r.lon), ll_to_earth(${q.lat}, ${q.lon})) <= ${q.radiusM}
        order by distance_m, r.submitted_at desc
        limit ${q.limit}`.execute(database);
      return r.rows;
    },

    /** The worker's own reports and the ones they follow. */
    async mine(workerId: string, status: 'open' | 'closed' | undefined, limit: number, offset: number): Promise<{ rows: (ReportDbRow & { mine: boolean })[]; total: number }> {
      const statusSql = status === 'open' ? sql`and r.status <> 'closed'` : status === 'closed' ? sql`and r.status = 'closed'` : sql``;
      const from = sql`
        from reports r
        where (r.reporter_worker_id = ${workerId}::uuid
               or exists (select 1 from report_followers f where f.report_id = r.id and f.worker_id = ${workerId}::uuid))
        ${statusSql}`;
      const [rows, total] = await Promise.all([
        sql<ReportDbRow & { mine: boolean }>`select r.*, coalesce(r.reporter_worker_id = ${workerId}::uuid, false) as mine ${from} order by r.submitted_at desc, r.id limit ${limit} offset ${offset}`.execute(database),
        sql<{ n: number }>`select count(*)::int as n ${from}`.execute(database),
      ]);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    async adminList(f: AdminListFilter, limit: number, offset: number): Promise<{ rows: ReportDbRow[]; total: number }> {
      const where = adminWhere(f);
      const from = sql`from reports r left join report_orders o on o.report_id = r.id and o.current where ${where}`;
      const rows = await sql<ReportDbRow>`select r.* ${from} order by ${orderBy(f.sort)} limit ${limit} offset ${offset}`.execute(database);
      const total = await sql<{ n: number }>`select count(*)::int as n ${from}`.execute(database);
      return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
    },

    // ---------------- followers ----------------

    async isFollower(reportId: string, workerId: string, trx?: Db): Promise<boolean> {
      const r = await on(trx).selectFrom('report_followers').select('worker_id').where('report_id', '=', reportId).where('worker_id', '=', workerId).executeTakeFirst();
      return !!r;
    },

    /** Adds a follower once; bumps the report's count. True when newly added. */
    async addFollower(reportId: string, workerId: string, via: 'me_too' | 'merged', at: Date, trx: Db): Promise<boolean> {
      const ins = await on(trx)
        .insertInto('report_followers')
        .values({ report_id: reportId, worker_id: workerId, via, created_at: at })
        .onConflict((oc) => oc.columns(['report_id', 'worker_id']).doNothing())
        .executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await sql`update reports set follower_count = follower_count + 1, updated_at = ${at} where id = ${reportId}`.execute(trx);
      return true;
    },

    async removeFollower(reportId: string, workerId: string, at: Date, trx: Db): Promise<boolean> {
      const del = await on(trx).deleteFrom('report_followers').where('report_id', '=', reportId).where('worker_id', '=', workerId).executeTakeFirst();
      if (Number(del.numDeletedRows) === 0) return false;
      await sql`update reports set follower_count = greatest(follower_count - 1, 0), updated_at = ${at} where id = ${reportId}`.execute(trx);
      return true;
    },

    // ---------------- timeline ----------------

    async insertEvent(e: { report_id: string; at: Date; type: ReportEventType; actor_kind: EventRow['actor_kind']; actor_id: string | null; public: boolean; data: Record<string, unknown> }, trx?: Db): Promise<void> {
      await on(trx).insertInto('report_events').values({ ...e, data: JSON.stringify(e.data) }).execute();
    },

    async events(reportId: string, publicOnly: boolean): Promise<EventRow[]> {
      let q = on().selectFrom('report_events').selectAll().where('report_id', '=', reportId);
      if (publicOnly) q = q.where('public', '=', true);
      return q.orderBy('at').orderBy('id').execute();
    },

    // ---------------- key rotation ----------------
    async contacts(trx: Db): Promise<{ id: string; contact_enc: string }[]> {
      const rows = await on(trx).selectFrom('reports').select(['id', 'contact_enc']).where('contact_enc', 'is not', null).execute();
      return rows as { id: string; contact_enc: string }[];
    },
    async setContact(id: string, contactEnc: string, trx: Db): Promise<void> {
      await on(trx).updateTable('reports').set({ contact_enc: contactEnc }).where('id', '=', id).execute();
    },
  };
}
export type ReportsRepository = ReturnType<typeof createReportsRepository>;
