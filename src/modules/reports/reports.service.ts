import type { PiiCipher } from '../../shared/pii.js';
import ExcelJS from 'exceljs';
import type { Db } from '../../db/database.js';
import type { StaffPrincipal, WorkerPrincipal, Principal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import { cityBounds } from '../../contracts/places.js';
import {
  REPORT_DEFAULTS,
  type AdminListQuery,
  type AdminReportSummary,
  type CategoryInput,
  type LocationSource,
  type MineQuery,
  type NearbyQuery,
  type NearbyReport,
  type ReportCategory,
  type ReportEvent,
  type ReportEventType,
  type ReportFeedback,
  type ReportOutcome,
  type ReportPhoto,
  type ReportSource,
  type ReportStatus,
  type ReportSubmit,
  type UploadedPhoto,
  type WorkerReport,
  type WorkerReportSummary,
} from '../../contracts/reports.js';
import { AppError, invalid } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { maskName, maskPhone } from '../../shared/mask.js';
import { fitInside, inspectImage, prepareImage, type PreparedImage } from '../../platform/images/images.js';
import type { AuditContext } from '../audit/audit.service.js';
import { shanghaiDateTime, shanghaiDay } from '../../shared/shanghai-time.js';
import { byRiderFirst, DEFAULT_CATEGORIES, defaultCategory } from './categories.js';
import { photoKeys, photoPath, REPORT_PHOTO_LIMITS } from './photos.js';
import { phashOfSample } from '../../platform/images/phash.js';
import { canSeeReport, reportScope, REPORT_STAFF_ROLES } from './reports.access.js';
import type { ReportsModuleDeps } from './reports.module.js';
import { createReportsRepository, type AttachedPhoto, type CategoryRow, type EventRow, type PhotoRow, type ReportDbRow } from './reports.repository.js';

/** What capture hands to the workflow (bound late by reports.module.ts). */
export interface ReportsHooks {
  /**
   * A new report was stored (committed): route it (分流). `stored` is its row as just inserted, so the
   * workflow need not read it back, nor its category (`category`, as read by the submit) when given.
   * Errors are logged, never lose the report.
   */
  submitted(reportId: string, stored?: ReportDbRow, category?: Pick<CategoryRow, 'code' | 'name_zh' | 'points_rule' | 'deadline_working_days'>): Promise<void>;
  /** The reporter confirms or disputes a closed report. */
  feedback(worker: WorkerPrincipal, reportId: string, input: ReportFeedback, ctx: AuditContext): Promise<void>;
}

/** A report row as inserted (the database fills the code's sequence, counters and version). */
type NewReportRow = Omit<ReportDbRow, 'code' | 'follower_count' | 'reopen_count' | 'points_granted' | 'version'>;
type WorkflowColumns =
  | 'status' | 'outcome' | 'merged_into' | 'campaign_id' | 'department_id' | 'street_code' | 'routing_rule_id' | 'deadline_at' | 'handled_at'
  | 'closed_at' | 'closed_on_time' | 'feedback' | 'feedback_deadline' | 'points_transaction_id' | 'clawed_back_at' | 'updated_at';

export type PhotoUploader = { kind: 'worker' | 'staff' | 'open311'; id: string };

/** A report as stored, camelCase (for the workflow, campaigns and Open311). */
export interface ReportRow {
  id: string;
  cityCode: string;
  code: string;
  source: ReportSource;
  reporterWorkerId: string | null;
  clientId: string | null;
  open311ClientId: string | null;
  contactEnc: string | null;
  categoryCode: string;
  description: string;
  tags: string[];
  lon: number;
  lat: number;
  accuracyM: number | null;
  locationSource: LocationSource;
  address: string;
  areaCode: string;
  areaSource: 'nearest_place' | 'worker' | 'city' | 'staff';
  status: ReportStatus;
  outcome: ReportOutcome | null;
  mergedInto: string | null;
  campaignId: string | null;
  departmentId: string | null;
  streetCode: string | null;
  routingRuleId: string | null;
  deadlineAt: Date | null;
  flags: string[];
  followerCount: number;
  submittedAt: Date;
  handledAt: Date | null;
  closedAt: Date | null;
  closedOnTime: boolean | null;
  feedback: 'confirmed' | 'disputed' | null;
  feedbackDeadline: Date | null;
  reopenCount: number;
  pointsGranted: number;
  pointsTransactionId: string | null;
  clawedBackAt: Date | null;
  updatedAt: Date;
  version: number;
}

export interface ExternalReportInput {
  cityCode: string;
  open311ClientId: string;
  category: string;
  lon: number;
  lat: number;
  address?: string;
  description: string;
  contact?: { firstName?: string; lastName?: string; email?: string; phone?: string; deviceId?: string; accountId?: string };
  photo?: Buffer;
  /** Quick tags (Open311 attribute values), already checked by the caller. */
  tags?: string[];
  /** Default 'device' (the client sent lat/long); 'address' when it geocoded an address. */
  locationSource?: 'device' | 'address';
}

export interface ReportEventInput {
  reportId: string;
  type: ReportEventType;
  actorKind: 'worker' | 'staff' | 'system' | 'open311';
  actorId: string | null;
  public: boolean;
  data?: Record<string, unknown>;
  at?: Date;
}


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (s: string) => UUID.test(s);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const HOUR = 3600_000;
/** Photos are compared with other reports' photos of this many days back. */
const PHASH_WINDOW_DAYS = 90;
/** A location farther than this from every place is given the worker's (or the city's) area. */
const NEAREST_PLACE_MAX_M = 2000;
/** Accuracy worse than this many metres is flagged for staff. */
const LOW_ACCURACY_M = 100;
const MAX_EXTERNAL_DESCRIPTION = 4000;
const MAX_EXPORT_ROWS = 10_000;
/** Uploads per hour per uploader: enough photos for every report the rate limit allows. */
const PHOTO_UPLOADS_PER_HOUR = REPORT_DEFAULTS.maxPhotos * REPORT_DEFAULTS.rateLimitPerHour * 2;
/** The photos sweep waits while uploads are arriving (in flight, or one finished this recently) … */
const SWEEP_QUIET_MS = 1_000;
/** … unless the photo has waited this long for its public copy (the bound under continuous load). */
const SWEEP_MAX_DEFER_MS = 60_000;

export const STATUS_LABELS_ZH: Record<ReportStatus, string> = {
  pending_triage: '待分流',
  dispatched: '已交办',
  acknowledged: '已签收',
  handled: '已处置',
  closed: '已办结',
};
export const OUTCOME_LABELS_ZH: Record<ReportOutcome, string> = { fixed: '已解决', invalid: '无效', duplicate: '重复' };
const SOURCE_LABELS_ZH: Record<ReportSource, string> = { app: '骑手随手拍', open311: 'Open311', staff: '工作人员' };
const FLAG_LABELS_ZH: Record<string, string> = {
  photo_reused: '照片重复使用',
  photo_unreadable: '照片无法读取',
  fraud: '虚假上报',
  reopened: '已重新办理',
  overdue: '超期',
  escalated: '已督办',
  map_picked: '地图选点',
  low_accuracy: '定位精度低',
};
export const EXPORT_COLUMNS = ['编号', '类别', '状态', '办结结果', '来源', '问题描述', '地址', '所属区域', '经度', '纬度', '责任部门', '办理期限', '是否超期', '标记', '附议人数', '上报人', '上报时间', '办结时间'] as const;

/** Collapses CRLF/CR to LF and trims (Open311 clients and phones send both). */
const normaliseText = (s: string | undefined) => (s ?? '').replace(/\r\n?/g, '\n').trim();

export function toReportRow(r: ReportDbRow): ReportRow {
  return {
    id: r.id,
    cityCode: r.city_code,
    code: r.code,
    source: r.source,
    reporterWorkerId: r.reporter_worker_id,
    clientId: r.client_id,
    open311ClientId: r.open311_client_id,
    contactEnc: r.contact_enc,
    categoryCode: r.category_code,
    description: r.description,
    tags: r.tags,
    lon: r.lon,
    lat: r.lat,
    accuracyM: r.accuracy_m,
    locationSource: r.location_source,
    address: r.address,
    areaCode: r.area_code,
    areaSource: r.area_source,
    status: r.status,
    outcome: r.outcome,
    mergedInto: r.merged_into,
    campaignId: r.campaign_id,
    departmentId: r.department_id,
    streetCode: r.street_code,
    routingRuleId: r.routing_rule_id,
    deadlineAt: r.deadline_at,
    flags: r.flags,
    followerCount: r.follower_count,
    submittedAt: r.submitted_at,
    handledAt: r.handled_at,
    closedAt: r.closed_at,
    closedOnTime: r.closed_on_time,
    feedback: r.feedback,
    feedbackDeadline: r.feedback_deadline,
    reopenCount: r.reopen_count,
    pointsGranted: r.points_granted,
    pointsTransactionId: r.points_transaction_id,
    clawedBackAt: r.clawed_back_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

const toCategory = (r: CategoryRow): ReportCategory => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  group: r.grp,
  riderFirst: r.rider_first,
  sort: r.sort,
  quickTags: r.quick_tags,
  pointsRule: r.points_rule,
  dedupeRadiusM: r.dedupe_radius_m,
  dedupeMax: r.dedupe_max,
  deadlineWorkingDays: r.deadline_working_days,
  clusterMin: r.cluster_min,
  clusterRadiusM: r.cluster_radius_m,
  clusterDays: r.cluster_days,
  active: r.active,
});

function categoryRow(cityCode: string, code: string, c: ReportCategory | CategoryInput, at: Date, by: string | null): CategoryRow {
  return {
    city_code: cityCode,
    code,
    name_zh: c.nameZh,
    name_en: c.nameEn,
    grp: c.group,
    rider_first: c.riderFirst,
    sort: c.sort,
    quick_tags: [...new Set(c.quickTags.map((t) => t.trim()).filter(Boolean))],
    points_rule: c.pointsRule,
    dedupe_radius_m: c.dedupeRadiusM,
    dedupe_max: c.dedupeMax,
    deadline_working_days: c.deadlineWorkingDays,
    cluster_min: c.clusterMin,
    cluster_radius_m: c.clusterRadiusM,
    cluster_days: c.clusterDays,
    active: c.active,
    updated_at: at,
    updated_by: by,
  };
}

const isOverdue = (r: { deadline_at: Date | null; status: ReportStatus }, now: Date) =>
  r.deadline_at !== null && r.deadline_at < now && (r.status === 'dispatched' || r.status === 'acknowledged');

function inRegion(cityCode: string, lon: number, lat: number): boolean {
  const b = cityBounds[cityCode];
  if (!b) return Number.isFinite(lon) && Number.isFinite(lat);
  return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/**
 * Capture (随手拍): the taxonomy, photos, filing a report (once per clientId, rate-limited, flagged),
 * "me too", the reporter's view and feedback, the staff list and its export, and what the workflow,
 * campaigns and Open311 need from the reports as filed. Status changes after filing are the workflow's.
 */
export function createReportsService(deps: ReportsModuleDeps & { hooks: ReportsHooks }) {
  const { db, clock, pii, storage, audit, areas, staff, workers, places, nearby, earning, hooks } = deps;
  const repo = createReportsRepository(db);
  const seededCities = new Set<string>();
  /** Uploads in this process, so the photos sweep can leave the cores to a burst (wall time, not the clock). */
  const uploads = { inFlight: 0, lastAt: -Infinity };
  const uploadsArriving = () => uploads.inFlight > 0 || performance.now() - uploads.lastAt < SWEEP_QUIET_MS;

  // ---------------- shared helpers ----------------

  async function ensureDefaultCategories(cityCode: string): Promise<void> {
    if (seededCities.has(cityCode)) return;
    const at = clock.now();
    await repo.insertCategoriesIfMissing(DEFAULT_CATEGORIES.map((d, i) => categoryRow(cityCode, d.code, defaultCategory(d, i), at, null)));
    seededCities.add(cityCode);
  }

  const categoryNotFound = (code: string) => new AppError('reports.category_not_found', `No active report category "${code}"`, { errors: [{ field: 'category', message: 'unknown or inactive' }] });

  async function activeCategory(cityCode: string, code: string): Promise<ReportCategory> {
    await ensureDefaultCategories(cityCode);
    const row = await repo.category(cityCode, code);
    if (!row || !row.active) throw categoryNotFound(code);
    return toCategory(row);
  }

  /** The worker, if verified (实名认证); else reports.not_verified. */
  async function requireVerified(workerId: string): Promise<{ areaCode: string | null }> {
    const w = await workers.getWorkerSummary(workerId);
    if (w?.verificationStatus !== 'approved') throw new AppError('reports.not_verified', 'Verify your identity (实名认证) before filing reports');
    return w;
  }

  function assertInRegion(cityCode: string, lon: number, lat: number): void {
    if (!inRegion(cityCode, lon, lat)) {
      throw new AppError('reports.out_of_region', 'The location is outside the city', { errors: [{ field: 'lon', message: 'outside the city' }, { field: 'lat', message: 'outside the city' }] });
    }
  }

  /** The report's area: the nearest place's (within 2 km), else the worker's, else the city. */
  async function areaOf(cityCode: string, lon: number, lat: number, workerAreaCode: string | null): Promise<{ code: string; source: 'nearest_place' | 'worker' | 'city' }> {
    const [hit] = await nearby.nearest(cityCode, lon, lat, { k: 1, maxDistanceM: NEAREST_PLACE_MAX_M });
    if (hit) {
      const place = await places.lookup(hit.id);
      if (place && place.cityCode === cityCode) return { code: place.areaCode, source: 'nearest_place' };
    }
    if (workerAreaCode?.startsWith(cityCode)) return { code: workerAreaCode, source: 'worker' };
    return { code: cityCode, source: 'city' };
  }

  function reportCode(at: Date, n: number): string {
    return `SP${shanghaiDay(at).slice(2).replace(/-/g, '')}${String(n).padStart(5, '0')}`;
  }

  function photoPublicUrl(photoId: string, opts: { signed?: boolean } = {}): string {
    return opts.signed ? `${photoPath(photoId)}?sig=${photoSignature(photoId)}` : photoPath(photoId);
  }
  const photoSignature = (photoId: string) => pii.blindIndex(`report-photo:${photoId}`).slice(0, 32);

  const toReportPhoto = (p: PhotoRow): ReportPhoto => ({ id: p.id, kind: p.kind, url: photoPath(p.id), width: p.width, height: p.height });

  async function photoUrls(reportIds: string[], trx?: Db): Promise<Map<string, ReportPhoto[]>> {
    const out = new Map<string, ReportPhoto[]>();
    for (const p of await repo.photosOfReports([...new Set(reportIds)], trx)) {
      const list = out.get(p.report_id!) ?? [];
      list.push(toReportPhoto(p));
      out.set(p.report_id!, list);
    }
    return out;
  }

  const firstPhotoUrl = (photos: ReportPhoto[] | undefined) => photos?.find((p) => p.kind === 'before')?.url ?? null;
  const signedFirst = (photos: ReportPhoto[] | undefined) => {
    const first = photos?.find((p) => p.kind === 'before');
    return first ? photoPublicUrl(first.id, { signed: true }) : null;
  };

  async function loadPhotos(uploader: PhotoUploader, cityCode: string, ids: string[], trx?: Db): Promise<PhotoRow[]> {
    if (new Set(ids).size !== ids.length) throw invalid('photoIds', 'each photo once');
    return checkPhotos(uploader, cityCode, ids, ids.every(isUuid) ? await repo.photosByIds(ids, trx) : []);
  }

  /** The photos in `ids` order, each an unused one of this uploader in this city; else reports.photo_not_found. */
  function checkPhotos<P extends Pick<PhotoRow, 'id' | 'report_id' | 'uploader_kind' | 'uploader_id' | 'city_code'>>(uploader: PhotoUploader, cityCode: string, ids: string[], rows: P[]): P[] {
    if (new Set(ids).size !== ids.length) throw invalid('photoIds', 'each photo once');
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids.map((id) => byId.get(id));
    const bad = ordered.findIndex((p) => !p || p.report_id !== null || p.uploader_kind !== uploader.kind || p.uploader_id !== uploader.id || p.city_code !== cityCode);
    if (bad >= 0) {
      throw new AppError('reports.photo_not_found', 'Upload the photos first; each may be used in one report', { errors: [{ field: `photoIds/${bad}`, message: 'not an unused photo of yours' }] });
    }
    return ordered as P[];
  }

  async function attachPhotos(reportId: string, photoIds: string[], kind: 'before' | 'after', uploader: PhotoUploader, trx?: Db): Promise<void> {
    const run = async (t: Db) => {
      const report = await repo.report(reportId, t);
      if (!report) throw new AppError('reports.not_found', 'No such report');
      await loadPhotos(uploader, report.city_code, photoIds, t);
      const n = await repo.attachPhotos(reportId, photoIds, kind, uploader, report.city_code, t);
      if (n !== photoIds.length) throw new AppError('reports.photo_not_found', 'A photo was used meanwhile; upload it again');
    };
    if (trx) await run(trx);
    else await repo.transaction(run);
  }

  async function addEvent(trx: Db, e: ReportEventInput): Promise<void> {
    await repo.insertEvent({ report_id: e.reportId, at: e.at ?? clock.now(), type: e.type, actor_kind: e.actorKind, actor_id: e.actorId, public: e.public, data: e.data ?? {} }, trx);
  }

  // ---------------- the reporter's view ----------------

  /** Reporter, follower, or neither (then the worker may not see it). */
  async function relation(row: ReportDbRow, workerId: string): Promise<'reporter' | 'follower' | null> {
    if (row.reporter_worker_id === workerId) return 'reporter';
    return (await repo.isFollower(row.id, workerId)) ? 'follower' : null;
  }

  /** The report, its public timeline and photos, if the worker filed or follows it (one round trip). */
  async function loadForWorker(worker: WorkerPrincipal, id: string): Promise<{ row: ReportDbRow; as: 'reporter' | 'follower'; events: EventRow[]; photos: ReportPhoto[] }> {
    const found = isUuid(id) ? await repo.reportForWorker(id, worker.id) : undefined;
    const as = found && found.row.city_code === worker.cityCode ? (found.row.reporter_worker_id === worker.id ? 'reporter' : found.following ? 'follower' : null) : null;
    if (!found || !as) throw new AppError('reports.not_found', 'No such report of yours');
    return { row: found.row, as, events: found.events, photos: found.photos.map((p) => ({ id: p.id, kind: p.kind, url: photoPath(p.id), width: p.width, height: p.height })) };
  }

  async function visibleToWorker(worker: WorkerPrincipal, id: string): Promise<{ row: ReportDbRow; as: 'reporter' | 'follower' }> {
    const row = isUuid(id) ? await repo.report(id) : undefined;
    const as = row && row.city_code === worker.cityCode ? await relation(row, worker.id) : null;
    if (!row || !as) throw new AppError('reports.not_found', 'No such report of yours');
    return { row, as };
  }

  function canFeedback(row: ReportDbRow, as: 'reporter' | 'follower', now: Date): boolean {
    return as === 'reporter' && row.status === 'closed' && row.outcome === 'fixed' && row.feedback === null && row.feedback_deadline !== null && now < row.feedback_deadline;
  }

  /** A public event as the reporter and followers see it: staff appear as their department. */
  function workerEvent(e: EventRow, deptName: string | null): ReportEvent {
    const data = { ...(e.data ?? {}) };
    delete data.ruleId;
    const named = typeof data.departmentName === 'string' ? data.departmentName : null;
    const name = e.actor_kind === 'staff' ? (named ?? (['acknowledged', 'handled', 'extension_decided'].includes(e.type) ? deptName : null)) : null;
    return { id: String(e.id), at: e.at.toISOString(), type: e.type, actor: { kind: e.actor_kind, name }, public: e.public, data };
  }

  function workerSummary(row: ReportDbRow, mine: boolean, photos: ReportPhoto[] | undefined): WorkerReportSummary {
    return {
      id: row.id,
      code: row.code,
      category: row.category_code,
      description: row.description,
      status: row.status,
      outcome: row.outcome,
      mine,
      submittedAt: row.submitted_at.toISOString(),
      deadlineAt: iso(row.deadline_at),
      photoUrl: firstPhotoUrl(photos),
      address: row.address,
      pointsGranted: mine ? row.points_granted : 0,
    };
  }

  async function buildWorkerView(row: ReportDbRow, as: 'reporter' | 'follower', loaded?: { events: EventRow[]; photos: ReportPhoto[] }): Promise<WorkerReport> {
    const [photos, events, depts, areaNames, merged, campaignTitle] = await Promise.all([
      loaded ? new Map([[row.id, loaded.photos]]) : photoUrls([row.id]),
      loaded ? loaded.events : repo.events(row.id, true),
      // department names only name a department's events (none before the report is routed)
      row.department_id ? staff.departmentNames(row.city_code) : new Map<string, string>(),
      areas.names([row.area_code]),
      row.merged_into ? repo.report(row.merged_into) : Promise.resolve(undefined),
      row.campaign_id ? repo.campaignTitle(row.campaign_id) : Promise.resolve(undefined),
    ]);
    const deptName = row.department_id ? (depts.get(row.department_id) ?? null) : null;
    const timeline = events.filter((e) => as === 'reporter' || e.type !== 'points_awarded').map((e) => workerEvent(e, deptName));
    const list = photos.get(row.id) ?? [];
    return {
      ...workerSummary(row, as === 'reporter', list),
      lon: row.lon,
      lat: row.lat,
      locationSource: row.location_source,
      tags: row.tags,
      departmentName: deptName,
      areaCode: row.area_code,
      areaName: areaNames.get(row.area_code) ?? '',
      followerCount: row.follower_count,
      photos: list,
      timeline,
      mergedInto: merged ? { id: merged.id, code: merged.code } : null,
      feedback: row.feedback,
      feedbackDeadline: iso(row.feedback_deadline),
      canFeedback: canFeedback(row, as, clock.now()),
      campaign: row.campaign_id && campaignTitle !== undefined ? { id: row.campaign_id, title: campaignTitle } : null,
    };
  }

  async function workerView(worker: WorkerPrincipal, id: string): Promise<WorkerReport> {
    const { row, as, events, photos } = await loadForWorker(worker, id);
    return buildWorkerView(row, as, { events, photos });
  }

  // ---------------- staff summaries ----------------

  async function reporterMasked(rows: ReportRow[] | ReportDbRow[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const byWorker = new Map<string, string | null>();
    for (const raw of rows) {
      const r = 'city_code' in raw ? toReportRow(raw) : raw;
      if (r.reporterWorkerId) {
        if (!byWorker.has(r.reporterWorkerId)) {
          const w = await workers.getWorkerSummary(r.reporterWorkerId);
          byWorker.set(r.reporterWorkerId, w ? (w.nameMasked ?? w.phoneMasked) : null);
        }
        out.set(r.id, byWorker.get(r.reporterWorkerId) ?? null);
      } else if (r.contactEnc) {
        out.set(r.id, maskedContact(r.contactEnc));
      } else {
        out.set(r.id, null);
      }
    }
    return out;
  }

  function maskedContact(contactEnc: string): string | null {
    try {
      const c = JSON.parse(pii.decrypt(contactEnc)) as ExternalReportInput['contact'] & object;
      const name = [c.lastName, c.firstName].filter(Boolean).join('');
      if (name) return maskName(name);
      if (c.phone) return maskPhone(c.phone);
      if (c.email) return maskEmail(c.email);
      return null;
    } catch {
      return null;
    }
  }

  async function toAdminSummaries(input: ReportRow[] | ReportDbRow[]): Promise<AdminReportSummary[]> {
    if (!input.length) return [];
    const rows = input.map((r) => ('city_code' in r ? r : null));
    const ids = input.map((r) => r.id);
    const cities = [...new Set(input.map((r) => ('city_code' in r ? r.city_code : r.cityCode)))];
    const areaCodes = input.map((r) => ('city_code' in r ? r.area_code : r.areaCode));
    const [photos, names, masks, ...deptMaps] = await Promise.all([photoUrls(ids), areas.names(areaCodes), reporterMasked(input), ...cities.map((c) => staff.departmentNames(c))]);
    const depts = new Map(deptMaps.flatMap((m) => [...m]));
    const now = clock.now();
    return input.map((raw, i) => {
      const r = rows[i] ? toReportRow(rows[i]!) : (raw as ReportRow);
      return {
        id: r.id,
        code: r.code,
        category: r.categoryCode,
        description: r.description,
        status: r.status,
        outcome: r.outcome,
        source: r.source,
        lon: r.lon,
        lat: r.lat,
        address: r.address,
        areaCode: r.areaCode,
        areaName: names.get(r.areaCode) ?? '',
        departmentId: r.departmentId,
        departmentName: r.departmentId ? (depts.get(r.departmentId) ?? null) : null,
        deadlineAt: iso(r.deadlineAt),
        overdue: isOverdue({ deadline_at: r.deadlineAt, status: r.status }, now),
        flags: r.flags,
        followerCount: r.followerCount,
        submittedAt: r.submittedAt.toISOString(),
        closedAt: iso(r.closedAt),
        reporterMasked: masks.get(r.id) ?? null,
        photoUrl: firstPhotoUrl(photos.get(r.id)),
        campaignId: r.campaignId,
      };
    });
  }

  function adminFilter(p: StaffPrincipal, q: AdminListQuery) {
    const scope = reportScope(p);
    const bbox = q.bbox ? (q.bbox.split(',').map(Number) as [number, number, number, number]) : undefined;
    if (bbox && (bbox.some((v) => !Number.isFinite(v)) || bbox[0] > bbox[2] || bbox[1] > bbox[3])) throw invalid('bbox', 'minLon,minLat,maxLon,maxLat');
    return {
      ...scope,
      status: q.status,
      category: q.category,
      departmentId: q.departmentId,
      areaCode: q.areaCode,
      campaignId: q.campaignId,
      q: q.q?.trim() || undefined,
      overdue: q.overdue,
      flag: q.flag,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      bbox,
      sort: q.sort ?? 'submitted_desc',
      now: clock.now(),
    } as const;
  }

  function requireCityOperator(p: StaffPrincipal): void {
    if (p.role !== 'operator' || p.areaCode !== p.cityCode) throw new AppError('auth.forbidden', 'Only operators of the whole city change the report categories');
  }

  /** Same content as an earlier submit with this clientId (a retry), or a conflicting reuse of it. */
  async function sameSubmission(row: ReportDbRow, input: ReportSubmit): Promise<boolean> {
    const photos = (await repo.photosOfReports([row.id])).filter((p) => p.kind === 'before').map((p) => p.id);
    const tags = [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))];
    return (
      row.category_code === input.category &&
      row.lon === input.lon &&
      row.lat === input.lat &&
      row.location_source === input.locationSource &&
      row.description === normaliseText(input.description) &&
      JSON.stringify(row.tags) === JSON.stringify(tags) &&
      JSON.stringify(photos) === JSON.stringify(input.photoIds)
    );
  }

  async function existingForClientId(worker: WorkerPrincipal, input: ReportSubmit): Promise<{ report: WorkerReport; created: false } | undefined> {
    const prior = await repo.reportByClientId(worker.id, input.clientId);
    if (!prior) return undefined;
    if (!(await sameSubmission(prior, input))) {
      throw new AppError('reports.client_id_conflict', 'This clientId was already used for a different report');
    }
    return { report: await buildWorkerView(prior, 'reporter'), created: false };
  }

  /** Throws reports.rate_limited when the worker's reports of the last day (oldest first) reach a limit. */
  function rateLimitOf(day: Date[], now: Date): void {
    const hour = day.filter((d) => d.getTime() >= now.getTime() - HOUR);
    const limited = (window: Date[], limit: number, spanMs: number, what: string) => {
      if (window.length < limit) return;
      const freesAt = window[window.length - limit]!.getTime() + spanMs;
      const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000));
      throw new AppError('reports.rate_limited', `At most ${limit} reports ${what}; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`, { retryAfterSeconds });
    };
    limited(hour, REPORT_DEFAULTS.rateLimitPerHour, HOUR, 'an hour');
    limited(day, REPORT_DEFAULTS.rateLimitPerDay, 24 * HOUR, 'a day');
  }

  /** A new report's row: what the submitter said, and the workflow's columns at their start. */
  function newReportRow(r: Omit<NewReportRow, WorkflowColumns>): NewReportRow {
    return {
      ...r,
      status: 'pending_triage',
      outcome: null,
      merged_into: null,
      campaign_id: null,
      department_id: null,
      street_code: null,
      routing_rule_id: null,
      deadline_at: null,
      handled_at: null,
      closed_at: null,
      closed_on_time: null,
      feedback: null,
      feedback_deadline: null,
      points_transaction_id: null,
      clawed_back_at: null,
      updated_at: r.submitted_at,
    };
  }

  /**
   * Inserts the report, attaches its photos and writes 'submitted' — one statement, in a transaction
   * that is rolled back when a photo was used meanwhile. Returns the row as stored.
   */
  async function insertWithPhotos(row: NewReportRow, photoIds: string[], uploader: PhotoUploader, actor: { kind: 'worker' | 'open311'; id: string }): Promise<ReportDbRow> {
    const codePrefix = reportCode(row.submitted_at, 0).slice(0, -5);
    const { report, processed } = await repo.transaction(async (trx) => {
      const done = await repo.insertSubmitted(row, codePrefix, photoIds, uploader, { type: 'submitted', actor_kind: actor.kind, actor_id: actor.id, public: true, data: { source: row.source } }, trx);
      if (done.attached !== photoIds.length) throw new AppError('reports.photo_not_found', 'A photo was used meanwhile; upload it again');
      return done;
    });
    // photos decoded already (the others are reviewed by publishPhoto when they are)
    for (const photo of processed) await reviewPhoto(photo);
    return report;
  }

  /** Hands a committed report (its row as stored) to the workflow; its failure leaves it pending for the triage job. */
  async function handOver(stored: ReportDbRow, category?: CategoryRow): Promise<void> {
    try {
      await hooks.submitted(stored.id, stored, category);
    } catch (e) {
      console.error(`reports: triage of ${stored.id} failed; the triage job will retry`, e);
    }
  }

  /**
   * Checks a photo without decoding it (type by its bytes, size, pixels, whole: inspectImage) and stores
   * the original privately: then it is acknowledged. The one decode comes after, in publishPhoto — by the
   * photos sweep, or on first view, whichever comes first — and makes the public copy (upright,
   * ≤ 1280 px, no EXIF/GPS) and the perceptual hash, so a burst of reports is not held up by decoding.
   */
  async function storePhoto(uploader: PhotoUploader, cityCode: string, body: Buffer): Promise<PhotoRow> {
    const image = await inspectImage(body, REPORT_PHOTO_LIMITS);
    const id = newId();
    const keys = photoKeys(cityCode, id, image.extension, 'jpg');
    await storage.put(keys.originalKey, body, image.contentType);
    const size = fitInside(image.width, image.height, REPORT_PHOTO_LIMITS.publicMaxSide);
    const row: PhotoRow = {
      id,
      city_code: cityCode,
      report_id: null,
      uploader_kind: uploader.kind,
      uploader_id: uploader.id,
      kind: 'before',
      sort: 0,
      public_key: keys.publicKey,
      private_key: keys.originalKey,
      width: size.width,
      height: size.height,
      phash: null,
      created_at: clock.now(),
      processed_at: null,
    };
    try {
      await repo.insertPhoto(row);
    } catch (e) {
      await storage.delete(keys.originalKey);
      throw e;
    }
    return row;
  }

  /** Flags what an attached, decoded (or undecodable) photo shows: photo_reused, photo_unreadable (see flagFromPhoto). */
  async function reviewPhoto(photo: AttachedPhoto): Promise<void> {
    await repo.flagFromPhoto(photo, new Date(clock.now().getTime() - PHASH_WINDOW_DAYS * 24 * HOUR), REPORT_DEFAULTS.phashThreshold);
  }

  /**
   * Decodes a photo's stored original once: its public copy and its perceptual hash (idempotent: a second
   * run rewrites the same copy). False when there is none to make: the original was purged, or it cannot
   * be decoded — recorded as such (no public copy, no hash, never retried; its report is flagged
   * photo_unreadable). Errors of the disk or the database are thrown, and the next sweep retries.
   */
  async function publishPhoto(photo: PhotoRow): Promise<boolean> {
    const original = await storage.get(photo.private_key);
    if (!original) return false; // purged meanwhile
    let image: PreparedImage;
    try {
      image = await prepareImage(original.body, REPORT_PHOTO_LIMITS);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // whole (inspectImage) yet it cannot be decoded: a damaged file
      const at = clock.now();
      const reportId = await repo.markPhotoProcessed(photo.id, { width: photo.width, height: photo.height, phash: null }, at);
      if (photo.kind === 'before') await reviewPhoto({ ...photo, report_id: reportId, phash: null, processed_at: at });
      console.error(`reports: photo ${photo.id} cannot be decoded (${e.code}); it has no public copy`);
      return false;
    }
    await storage.put(photo.public_key, image.public.body, image.public.contentType);
    const phash = phashOfSample(image.phashSample!);
    const at = clock.now();
    const reportId = await repo.markPhotoProcessed(photo.id, { width: image.public.width, height: image.public.height, phash }, at);
    if (photo.kind === 'before') await reviewPhoto({ ...photo, report_id: reportId, phash, processed_at: at });
    return true;
  }

  /** Checks, re-encodes (EXIF/GPS stripped) and stores a photo, unattached until a report uses it. */
  async function uploadPhoto(uploader: PhotoUploader, cityCode: string, body: Buffer): Promise<UploadedPhoto> {
    uploads.inFlight++;
    try {
      return await checkAndStore(uploader, cityCode, body);
    } finally {
      uploads.inFlight--;
      uploads.lastAt = performance.now();
    }
  }

  async function checkAndStore(uploader: PhotoUploader, cityCode: string, body: Buffer): Promise<UploadedPhoto> {
    const recent = await repo.uploadsSince(uploader.kind, uploader.id, new Date(clock.now().getTime() - HOUR));
    if (uploader.kind === 'worker' && recent >= PHOTO_UPLOADS_PER_HOUR) {
      throw new AppError('reports.rate_limited', `At most ${PHOTO_UPLOADS_PER_HOUR} photos an hour`, { retryAfterSeconds: 600 });
    }
    const row = await storePhoto(uploader, cityCode, body);
    return { id: row.id, url: photoPath(row.id), width: row.width, height: row.height };
  }

  return {
    // ---------------- categories ----------------

    ensureDefaultCategories,

    /** Re-encrypts Open311 reporters' contacts under the next PII key (npm run pii:rotate). */
    async rotatePiiKey(next: PiiCipher): Promise<{ contacts: number }> {
      return repo.transaction(async (trx) => {
        const rows = await repo.contacts(trx);
        for (const r of rows) await repo.setContact(r.id, next.encrypt(pii.decrypt(r.contact_enc)), trx);
        return { contacts: rows.length };
      });
    },

    async listCategories(cityCode: string, opts: { activeOnly?: boolean } = {}): Promise<ReportCategory[]> {
      await ensureDefaultCategories(cityCode);
      const all = (await repo.categories(cityCode)).map(toCategory);
      return opts.activeOnly ? all.filter((c) => c.active).sort(byRiderFirst) : all;
    },

    async categoryOf(cityCode: string, code: string, trx?: Db): Promise<ReportCategory | null> {
      if (!trx) await ensureDefaultCategories(cityCode);
      const row = await repo.category(cityCode, code, trx);
      return row ? toCategory(row) : null;
    },

    async adminCategories(p: StaffPrincipal): Promise<ReportCategory[]> {
      await ensureDefaultCategories(p.cityCode);
      return (await repo.categories(p.cityCode)).map(toCategory);
    },

    async saveCategory(p: StaffPrincipal, code: string, input: CategoryInput, ctx: AuditContext): Promise<ReportCategory> {
      requireCityOperator(p);
      if (!/^[a-z][a-z0-9_]{1,39}$/.test(code)) throw invalid('code', 'lower-case letters, digits and _ (2–40)');
      const rules = await earning.listRules(p.cityCode);
      if (!rules.some((r) => r.code === input.pointsRule)) {
        throw new AppError('reports.points_rule_not_found', `No earning rule "${input.pointsRule}"`, { errors: [{ field: 'pointsRule', message: 'not an earning rule' }] });
      }
      await ensureDefaultCategories(p.cityCode);
      const before = await repo.category(p.cityCode, code);
      const saved = toCategory(await repo.upsertCategory(categoryRow(p.cityCode, code, input, clock.now(), p.id)));
      await audit.record(ctx, { cityCode: p.cityCode, action: before ? 'reports.category_updated' : 'reports.category_created', targetKind: 'report_category', targetId: code, detail: { ...input } });
      return saved;
    },

    // ---------------- photos ----------------

    uploadPhoto,

    /** The worker app's upload: a signed-in worker (verification is checked when the report is sent). */
    async uploadWorkerPhoto(worker: WorkerPrincipal, body: Buffer): Promise<UploadedPhoto> {
      return uploadPhoto({ kind: 'worker', id: worker.id }, worker.cityCode, body);
    },

    /** Staff upload after-photos (处置). */
    async uploadStaffPhoto(p: StaffPrincipal, body: Buffer): Promise<UploadedPhoto> {
      reportScope(p);
      return uploadPhoto({ kind: 'staff', id: p.id }, p.cityCode, body);
    },

    /**
     * A photo's public copy. Visible to its uploader; once attached, to the report's reporter and
     * followers and to staff in scope; with a valid signature (Open311 media_url) to anyone.
     */
    async photoBytes(viewer: Principal | undefined, photoId: string, sig?: string): Promise<{ body: Buffer; contentType: string; shareable: boolean }> {
      const notFound = () => new AppError('reports.photo_not_found', 'No such photo');
      const photo = isUuid(photoId) ? await repo.photo(photoId) : undefined;
      if (!photo) throw notFound();
      const signed = sig !== undefined && sig === photoSignature(photo.id);
      let may = signed || (viewer !== undefined && viewer.kind === photo.uploader_kind && viewer.id === photo.uploader_id);
      if (!may && viewer && photo.report_id) {
        const r = await repo.reportWithScope(photo.report_id);
        if (r && viewer.kind === 'worker') may = r.city_code === viewer.cityCode && (await relation(r, viewer.id)) !== null;
        if (r && viewer.kind === 'staff') may = canSeeReport(viewer, { cityCode: r.city_code, areaCode: r.area_code, departmentId: r.department_id, coDepartmentIds: r.co_department_ids ?? [] });
      }
      if (!may) throw notFound();
      if (!photo.processed_at) await publishPhoto(photo);
      const stored = await storage.get(photo.public_key);
      if (!stored) throw notFound();
      return { body: stored.body, contentType: stored.contentType, shareable: signed };
    },

    photoPublicUrl,
    photoUrls,
    attachPhotos,

    /**
     * Makes the public copies still missing, oldest first; returns how many. The photos sweep passes
     * `yieldToUploads`: while uploads are arriving in this process it only makes the copies that have
     * waited SWEEP_MAX_DEFER_MS, so a burst of reports gets the cores and the backlog drains after it
     * (a copy someone asks for meanwhile is made on that first view).
     */
    async publishPendingPhotos(limit = 50, opts: { yieldToUploads?: boolean } = {}): Promise<number> {
      let done = 0;
      const pending = await repo.unprocessedPhotos(limit);
      const mayWait = (photo: PhotoRow) => opts.yieldToUploads === true && uploadsArriving() && clock.now().getTime() - photo.created_at.getTime() < SWEEP_MAX_DEFER_MS;
      // two at a time: one per core of the smallest machine we run on; libvips threads the rest
      const worker = async () => {
        for (let photo = pending.shift(); photo; photo = pending.shift()) {
          if (mayWait(photo)) return; // oldest first: the rest are younger still
          await publishOne(photo);
        }
      };
      const publishOne = async (photo: PhotoRow) => {
        try {
          if (await publishPhoto(photo)) done++;
        } catch (e) {
          // the disk or the database: the next sweep retries
          console.error(`reports: public copy of photo ${photo.id} failed; the next sweep retries`, e);
        }
      };
      await Promise.all([worker(), worker()]);
      return done;
    },

    /** Deletes photos nobody attached within `olderThanHours` (both copies). */
    async purgeUnattachedPhotos(olderThanHours = 24): Promise<number> {
      const before = new Date(clock.now().getTime() - olderThanHours * HOUR);
      let purged = 0;
      for (;;) {
        const batch = await repo.unattachedPhotosBefore(before, 200);
        if (!batch.length) break;
        const deleted = await repo.deleteUnattachedPhotos(batch.map((p) => p.id));
        for (const p of deleted) await Promise.all([storage.delete(p.public_key), storage.delete(p.private_key)]);
        purged += deleted.length;
        if (batch.length < 200 || deleted.length === 0) break;
      }
      return purged;
    },

    // ---------------- reports for the workflow, campaigns, Open311 ----------------

    async getReport(id: string, trx?: Db): Promise<ReportRow | null> {
      const r = isUuid(id) ? await repo.report(id, trx) : undefined;
      return r ? toReportRow(r) : null;
    },

    addEvent,

    /** The report a worker filed under a clientId (the demo seed's idempotence). */
    async reportIdForClient(workerId: string, clientId: string): Promise<string | null> {
      return (await repo.reportByClientId(workerId, clientId))?.id ?? null;
    },

    async addFollower(trx: Db, reportId: string, workerId: string, via: 'me_too' | 'merged'): Promise<boolean> {
      return repo.addFollower(reportId, workerId, via, clock.now(), trx);
    },

    reporterMasked,
    toAdminSummaries,

    // ---------------- capture (worker) ----------------

    requireVerified,

    /** Files a report. A retry with the same clientId returns the first report (`created: false`). */
    async submit(worker: WorkerPrincipal, input: ReportSubmit, ctx: AuditContext): Promise<{ report: WorkerReport; created: boolean }> {
      const verified = await requireVerified(worker.id);
      await ensureDefaultCategories(worker.cityCode);
      const now = clock.now();
      // one round trip for what the checks below read (on PGlite every statement runs on the event loop)
      const found = await repo.submitContext({
        workerId: worker.id,
        clientId: input.clientId,
        cityCode: worker.cityCode,
        category: input.category,
        photoIds: input.photoIds.every(isUuid) ? input.photoIds : [],
        daySince: new Date(now.getTime() - 24 * HOUR),
      });
      if (found.priorId) {
        const retry = await existingForClientId(worker, input);
        if (retry) return retry;
      }

      if (!found.category || !found.category.active) throw categoryNotFound(input.category);
      const category = toCategory(found.category);
      assertInRegion(worker.cityCode, input.lon, input.lat);
      const description = normaliseText(input.description);
      if (description.length > REPORT_DEFAULTS.maxDescription) throw invalid('description', `at most ${REPORT_DEFAULTS.maxDescription} characters`);
      if (input.photoIds.length > REPORT_DEFAULTS.maxPhotos) throw invalid('photoIds', `at most ${REPORT_DEFAULTS.maxPhotos} photos`);
      rateLimitOf(found.recent, now);
      const uploader: PhotoUploader = { kind: 'worker', id: worker.id };
      checkPhotos(uploader, worker.cityCode, input.photoIds, found.photos);

      const area = await areaOf(worker.cityCode, input.lon, input.lat, verified.areaCode);
      const flags: string[] = [];
      if (input.locationSource === 'map') flags.push('map_picked');
      if (input.accuracyM != null && input.accuracyM > LOW_ACCURACY_M) flags.push('low_accuracy');

      const id = newId();
      let stored: ReportDbRow;
      try {
        stored = await insertWithPhotos(
          newReportRow({
            id,
            city_code: worker.cityCode,
            source: 'app',
            reporter_worker_id: worker.id,
            client_id: input.clientId,
            open311_client_id: null,
            contact_enc: null,
            category_code: category.code,
            description,
            tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))],
            lon: input.lon,
            lat: input.lat,
            accuracy_m: input.accuracyM ?? null,
            location_source: input.locationSource,
            address: normaliseText(input.address),
            area_code: area.code,
            area_source: area.source,
            flags,
            submitted_at: now,
          }),
          input.photoIds,
          uploader,
          { kind: 'worker', id: worker.id },
        );
      } catch (e) {
        // Two retries raced: the other one stored it.
        if ((e as { code?: string }).code === '23505') {
          const retried = await existingForClientId(worker, input);
          if (retried) return retried;
        }
        throw e;
      }
      await audit.record(ctx, { cityCode: worker.cityCode, action: 'reports.submitted', targetKind: 'report', targetId: id, detail: { category: category.code, areaCode: area.code, flags, photos: input.photoIds.length } });
      await handOver(stored, found.category);
      return { report: await workerView(worker, id), created: true };
    },

    /** A report from an Open311 client system. The token is the report id (it exists at once). */
    async submitExternal(input: ExternalReportInput): Promise<{ id: string; code: string; token: string }> {
      const category = await activeCategory(input.cityCode, input.category);
      assertInRegion(input.cityCode, input.lon, input.lat);
      const description = normaliseText(input.description);
      if (description.length > MAX_EXTERNAL_DESCRIPTION) throw invalid('description', `at most ${MAX_EXTERNAL_DESCRIPTION} characters`);
      const uploader: PhotoUploader = { kind: 'open311', id: input.open311ClientId };
      const photo = input.photo ? await storePhoto(uploader, input.cityCode, input.photo) : undefined;
      const contact = Object.fromEntries(Object.entries(input.contact ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
      const now = clock.now();
      const area = await areaOf(input.cityCode, input.lon, input.lat, null);
      const flags: string[] = [];
      const id = newId();
      const stored = await insertWithPhotos(
        newReportRow({
          id,
          city_code: input.cityCode,
          source: 'open311',
          reporter_worker_id: null,
          client_id: null,
          open311_client_id: input.open311ClientId,
          contact_enc: Object.keys(contact).length ? pii.encrypt(JSON.stringify(contact)) : null,
          category_code: category.code,
          description,
          tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))].slice(0, 6),
          lon: input.lon,
          lat: input.lat,
          accuracy_m: null,
          location_source: input.locationSource ?? 'device',
          address: normaliseText(input.address),
          area_code: area.code,
          area_source: area.source,
          flags,
          submitted_at: now,
        }),
        photo ? [photo.id] : [],
        uploader,
        { kind: 'open311', id: input.open311ClientId },
      );
      await audit.record({}, { cityCode: input.cityCode, action: 'reports.submitted', targetKind: 'report', targetId: id, detail: { source: 'open311', clientId: input.open311ClientId, category: category.code } });
      await handOver(stored);
      return { id, code: stored.code, token: id };
    },

    /** Open reports of the category near the point, nearest first, so the rider can say "me too". */
    async nearby(worker: WorkerPrincipal, q: NearbyQuery): Promise<NearbyReport[]> {
      const category = await activeCategory(worker.cityCode, q.category);
      if (category.dedupeMax === 0) return [];
      const rows = await repo.nearbyOpen({ cityCode: worker.cityCode, category: category.code, lon: q.lon, lat: q.lat, radiusM: category.dedupeRadiusM, limit: category.dedupeMax, workerId: worker.id });
      const photos = await photoUrls(rows.map((r) => r.id));
      return rows.map((r) => ({
        id: r.id,
        code: r.code,
        category: r.category_code,
        description: r.description,
        distanceM: Math.round(r.distance_m),
        status: r.status,
        submittedAt: r.submitted_at.toISOString(),
        followerCount: r.follower_count,
        // signed: the asking rider is usually neither reporter nor follower yet, and must see it to decide "me too"
        photoUrl: signedFirst(photos.get(r.id)),
        following: r.following,
      }));
    },

    /** "Me too": follow an open report instead of filing a duplicate. Following twice is a no-op. */
    async follow(worker: WorkerPrincipal, id: string, ctx: AuditContext): Promise<WorkerReport> {
      await requireVerified(worker.id);
      const row = isUuid(id) ? await repo.report(id) : undefined;
      if (!row || row.city_code !== worker.cityCode) throw new AppError('reports.not_found', 'No such report');
      if (row.reporter_worker_id === worker.id) throw invalid('id', 'this is your own report');
      if (row.status === 'closed') throw new AppError('reports.invalid_state', 'This report is closed');
      const added = await repo.transaction(async (trx) => {
        const fresh = await repo.addFollower(row.id, worker.id, 'me_too', clock.now(), trx);
        if (fresh) await addEvent(trx, { reportId: row.id, type: 'followed', actorKind: 'worker', actorId: worker.id, public: false });
        return fresh;
      });
      if (added) await audit.record(ctx, { cityCode: row.city_code, action: 'reports.followed', targetKind: 'report', targetId: row.id });
      return workerView(worker, row.id);
    },

    async unfollow(worker: WorkerPrincipal, id: string, ctx: AuditContext): Promise<void> {
      const row = isUuid(id) ? await repo.report(id) : undefined;
      if (!row || row.city_code !== worker.cityCode) throw new AppError('reports.not_found', 'No such report');
      const removed = await repo.transaction((trx) => repo.removeFollower(row.id, worker.id, clock.now(), trx));
      if (removed) await audit.record(ctx, { cityCode: row.city_code, action: 'reports.unfollowed', targetKind: 'report', targetId: row.id });
    },

    workerView,

    /** Mine and the ones I follow, newest first. */
    async mine(worker: WorkerPrincipal, q: MineQuery): Promise<PageOf<WorkerReportSummary>> {
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const { rows, total } = await repo.mine(worker.id, q.status, pageSize, (page - 1) * pageSize);
      const photos = await photoUrls(rows.map((r) => r.id));
      return { items: rows.map((r) => workerSummary(r, r.mine, photos.get(r.id))), total, page, pageSize };
    },

    /** The reporter confirms or disputes the fix within the window; the workflow acts on it. */
    async feedback(worker: WorkerPrincipal, id: string, input: ReportFeedback, ctx: AuditContext): Promise<WorkerReport> {
      const { row, as } = await visibleToWorker(worker, id);
      if (!canFeedback(row, as, clock.now())) throw new AppError('reports.feedback_closed', 'Feedback is possible only on your fixed report, once, within 7 days of closing');
      if (input.feedback === 'disputed' && !normaliseText(input.reason)) throw new AppError('reports.reason_required', 'Say why it is not fixed', { errors: [{ field: 'reason', message: 'required when disputing' }] });
      await hooks.feedback(worker, row.id, { feedback: input.feedback, reason: normaliseText(input.reason) || undefined }, ctx);
      return workerView(worker, row.id);
    },

    // ---------------- staff list and export ----------------

    async adminList(p: StaffPrincipal, q: AdminListQuery): Promise<PageOf<AdminReportSummary>> {
      const f = adminFilter(p, q);
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const { rows, total } = await repo.adminList(f, pageSize, (page - 1) * pageSize);
      return { items: await toAdminSummaries(rows), total, page, pageSize };
    },

    /** The filtered list as XLSX (at most 10 000 rows; masked reporters), audited. */
    async exportXlsx(p: StaffPrincipal, q: AdminListQuery, ctx: AuditContext): Promise<Buffer> {
      const f = adminFilter(p, q);
      const categories = new Map((await repo.categories(p.cityCode)).map((c) => [c.code, c.name_zh]));
      const workbook = new ExcelJS.Workbook();
      workbook.created = clock.now();
      const sheet = workbook.addWorksheet('随手拍');
      const widths = [18, 12, 8, 8, 10, 40, 30, 16, 12, 12, 20, 18, 8, 20, 8, 10, 18, 18];
      sheet.columns = EXPORT_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: widths[i] }));
      sheet.getRow(1).font = { bold: true };
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
      let rows = 0;
      for (let offset = 0; offset < MAX_EXPORT_ROWS; offset += 500) {
        const batch = await repo.adminList(f, Math.min(500, MAX_EXPORT_ROWS - offset), offset);
        const items = await toAdminSummaries(batch.rows);
        for (const s of items) {
          const values = [
            s.code,
            categories.get(s.category) ?? s.category,
            STATUS_LABELS_ZH[s.status],
            s.outcome ? OUTCOME_LABELS_ZH[s.outcome] : '',
            SOURCE_LABELS_ZH[s.source],
            s.description,
            s.address,
            s.areaName || s.areaCode,
            s.lon,
            s.lat,
            s.departmentName ?? '',
            s.deadlineAt ? shanghaiDateTime(new Date(s.deadlineAt)) : '',
            s.overdue ? '是' : '否',
            s.flags.map((fl) => FLAG_LABELS_ZH[fl] ?? fl).join('、'),
            s.followerCount,
            s.reporterMasked ?? '',
            shanghaiDateTime(new Date(s.submittedAt)),
            s.closedAt ? shanghaiDateTime(new Date(s.closedAt)) : '',
          ];
          sheet.addRow(Object.fromEntries(values.map((v, i) => [`c${i}`, v])));
        }
        rows += items.length;
        if (batch.rows.length < 500) break;
      }
      await audit.record(ctx, { cityCode: p.cityCode, action: 'reports.exported', targetKind: 'reports', detail: { rows, filter: { ...q } } });
      return Buffer.from(await workbook.xlsx.writeBuffer());
    },

    /** Who may use the staff screens at all (the list, photos, categories). */
    isReportStaff: (p: StaffPrincipal) => (REPORT_STAFF_ROLES as readonly string[]).includes(p.role),
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;
