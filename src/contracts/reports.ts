import { Type, type Static, type TSchema } from 'typebox';

/**
 * 随手拍 reports: the request/response schemas of the worker routes (/api/reports/*), the admin
 * console's (/api/admin/reports/*), shared by the API and the web apps. Open311 GeoReport v2 lives at
 * /open311/v2/* with the spec's own shapes (see src/modules/reports/open311.*).
 *
 * Lifecycle (status):
 *   pending_triage ─(triage: a routing rule or a human)→ dispatched ─(签收 acknowledge)→ acknowledged
 *   dispatched|acknowledged ─(退回 return, jurisdiction)→ pending_triage
 *   acknowledged ─(处置 handle: result + after-photo)→ handled
 *   handled ─(核查 verify: valid → closed/fixed · invalid → closed/invalid · duplicate → closed/duplicate
 *             (merged into the original; its followers are told) · not_fixed → acknowledged)
 *   closed/fixed ─(reporter disputes within 7 days)→ acknowledged (reopened; once confirmed or the
 *             window ends, it stays closed)
 *   pending_triage|dispatched|acknowledged ─(operator: duplicate / invalid at triage)→ closed
 * "closed" and "fixed" differ: outcome says how it closed.
 *
 * Worker routes (signed-in worker; submitting and "me too" need a verified worker):
 *   GET  /api/reports/categories                 → ReportCategory[] (active; riderFirst first)
 *   GET  /api/reports/nearby?lon&lat&category    → NearbyReport[]  (open, same category, ≤ the category's radius, ≤ its max)
 *   POST /api/reports/photos   (raw image body, content-type image/*; Idempotency-Key) → 201 UploadedPhoto
 *   POST /api/reports          ReportSubmit (Idempotency-Key; clientId makes a retry return the first) → 201 WorkerReport
 *   GET  /api/reports/mine?status=open|closed&page → Page<WorkerReportSummary> (mine and the ones I follow)
 *   GET  /api/reports/:id                        → WorkerReport (reporter or follower)
 *   POST /api/reports/:id/follow                 → WorkerReport ("me too")
 *   DELETE /api/reports/:id/follow               → 204
 *   POST /api/reports/:id/feedback               ReportFeedback → WorkerReport (confirm / dispute within 7 days of closing)
 *
 * Admin routes (staff; scope: operators and grid workers by area, handlers by department and area):
 *   GET  /api/admin/reports?status&category&departmentId&areaCode&q&overdue&campaignId&bbox&page&pageSize&sort → Page<AdminReportSummary>
 *   GET  /api/admin/reports/export.xlsx?same filters → spreadsheet
 *   GET  /api/admin/reports/:id                  → AdminReport (timeline with private events, orders, photos)
 *   POST /api/admin/reports/:id/triage           TriageInput → AdminReport  (dispatch to a department by hand; or close as duplicate/invalid)
 *   POST /api/admin/reports/:id/acknowledge      → AdminReport   (签收)
 *   POST /api/admin/reports/:id/return           ReasonInput → AdminReport   (退回, back to triage)
 *   POST /api/admin/reports/:id/extension        ExtensionInput → AdminReport (ask for more working days)
 *   POST /api/admin/reports/:id/extension/decide ExtensionDecision → AdminReport (operator)
 *   POST /api/admin/reports/:id/co-handlers      CoHandlersInput → AdminReport (协办)
 *   POST /api/admin/reports/:id/handle           HandleInput → AdminReport   (处置: result + after-photo ids)
 *   POST /api/admin/reports/:id/verify           VerifyInput → AdminReport   (核查)
 *   POST /api/admin/reports/:id/clawback         ReasonInput → AdminReport   (points back, report flagged fraudulent)
 *   POST /api/admin/reports/bulk                 BulkInput → BulkResult       (acknowledge / dispatch many)
 *   POST /api/admin/reports/photos               (raw image body) → 201 UploadedPhoto (after-photos)
 *   GET  /api/admin/reports/categories           → ReportCategory[] (all)        PUT /api/admin/reports/categories/:code CategoryInput → ReportCategory
 *   GET  /api/admin/reports/routing-rules        → RoutingRule[]                  POST / PUT /:id / DELETE /:id  RoutingRuleInput
 *   GET  /api/admin/reports/clusters             → Cluster[]   (N reports within D metres in T days, not yet in a campaign)
 *   GET  /api/admin/reports/campaigns?status&page → Page<Campaign>   POST CampaignInput → 201 Campaign
 *   GET  /api/admin/reports/campaigns/options?reportId&q → CampaignOption[]  (open campaigns a report may join)
 *   GET  /api/admin/reports/campaigns/:id        → CampaignDetail (with `may`: what I may do with it)
 *   GET  /api/admin/reports/campaigns/:id/candidates?q → CampaignCandidate[]  (reports that could join it)
 *   POST /api/admin/reports/campaigns/:id/reports  { reportIds } → CampaignDetail
 *   POST /api/admin/reports/campaigns/:id/notes    { note } → CampaignDetail
 *   POST /api/admin/reports/campaigns/:id/close    { summary } → CampaignDetail
 *   GET  /api/admin/reports/metrics?from&to&groupBy → ReportMetrics
 *   GET  /api/admin/reports/open311-clients → Open311Client[]   POST { name } → 201 Open311ClientCreated (key shown once)   POST /:id/disable
 *   GET  /api/admin/calendar/:year → CalendarYear    PUT /api/admin/calendar/:year CalendarYearInput → CalendarYear (operator)
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const DateTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });
const Text = (min: number, max: number, description?: string) => Type.String({ minLength: min, maxLength: max, ...(description ? { description } : {}) });
const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const Id = Type.String({ minLength: 1, maxLength: 64 });

// ---------------------------------------------------------------- vocabularies

export const reportStatuses = ['pending_triage', 'dispatched', 'acknowledged', 'handled', 'closed'] as const;
export type ReportStatus = (typeof reportStatuses)[number];
export const reportOutcomes = ['fixed', 'invalid', 'duplicate'] as const;
export type ReportOutcome = (typeof reportOutcomes)[number];
export const reportSources = ['app', 'open311', 'staff'] as const;
export type ReportSource = (typeof reportSources)[number];
export const locationSources = ['device', 'map', 'address'] as const;
export type LocationSource = (typeof locationSources)[number];
export const verifyVerdicts = ['valid', 'invalid', 'duplicate', 'not_fixed'] as const;
export type VerifyVerdict = (typeof verifyVerdicts)[number];
/** Flags staff see on a report. */
export const reportFlags = ['photo_reused', 'photo_unreadable', 'fraud', 'reopened', 'overdue', 'escalated', 'map_picked', 'low_accuracy'] as const;
export type ReportFlag = (typeof reportFlags)[number];
/** The typed timeline. Public ones are shown to the reporter, followers and Open311 (as notes). */
export const reportEventTypes = [
  'submitted', // public
  'followed', // private (count only is public)
  'routed', // public: { departmentId, departmentName, ruleId | null, by: 'rule' | 'staff' }
  'triage_needed', // private: no rule matched
  'acknowledged', // public
  'returned', // public: { reason }
  'extension_requested', // private: { days, reason }
  'extension_decided', // public when approved: { approved, days, deadlineAt }
  'co_handlers_added', // private: { departmentIds }
  'handled', // public: { result, photoIds }
  'verified', // public: { verdict, note }
  'merged', // public: { intoId, intoCode }
  'duplicate_merged_in', // private: { fromId, fromCode }
  'closed', // public: { outcome, onTime }
  'confirmed', // public
  'disputed', // public: { reason }
  'reopened', // public
  'reminded', // private: { deadlineAt }
  'escalated', // private: { deadlineAt, to }
  'points_awarded', // public (reporter only): { points, outcome }
  'points_clawed_back', // private: { points, reason }
  'campaign_added', // public: { campaignId, campaignTitle }
  'note', // private: staff note
] as const;
export type ReportEventType = (typeof reportEventTypes)[number];
export const campaignStatuses = ['open', 'closed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const metricsGroupings = ['category', 'department', 'area', 'month'] as const;
export type MetricsGrouping = (typeof metricsGroupings)[number];

/** Defaults (operators change them per category). */
export const REPORT_DEFAULTS = {
  dedupeRadiusM: 250,
  dedupeMax: 5,
  deadlineWorkingDays: 5,
  maxPhotos: 3,
  maxDescription: 500,
  /** The reporter may confirm or dispute a closed report for this many days. */
  feedbackDays: 7,
  /** Per verified worker. */
  rateLimitPerHour: 10,
  rateLimitPerDay: 30,
  /** Reminder this many hours before a deadline. */
  reminderHoursBefore: 24,
  /** Hamming distance at or below which two photo hashes are the same photo. */
  phashThreshold: 6,
  photoMaxBytes: 8 * 1024 * 1024,
} as const;

const PageQueryProps = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

// ---------------------------------------------------------------- categories

export const ReportCategory = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  group: Type.String({ description: 'traffic, facility, safety, environment, rights, other' }),
  riderFirst: Type.Boolean({ description: 'on the short list shown first' }),
  sort: Type.Integer(),
  quickTags: Type.Array(Type.String()),
  pointsRule: Type.String({ description: "the points module's earning rule for a valid report" }),
  dedupeRadiusM: Type.Integer(),
  dedupeMax: Type.Integer(),
  deadlineWorkingDays: Type.Integer(),
  clusterMin: Type.Integer(),
  clusterRadiusM: Type.Integer(),
  clusterDays: Type.Integer(),
  active: Type.Boolean(),
});
export type ReportCategory = Static<typeof ReportCategory>;

export const CategoryInput = Type.Object({
  nameZh: Text(1, 40),
  nameEn: Text(1, 80),
  group: Text(1, 20),
  riderFirst: Type.Boolean(),
  sort: Type.Integer({ minimum: 0, maximum: 10000 }),
  quickTags: Type.Array(Text(1, 20), { maxItems: 12 }),
  pointsRule: Code,
  dedupeRadiusM: Type.Integer({ minimum: 10, maximum: 5000 }),
  dedupeMax: Type.Integer({ minimum: 0, maximum: 20 }),
  deadlineWorkingDays: Type.Integer({ minimum: 1, maximum: 60 }),
  clusterMin: Type.Integer({ minimum: 2, maximum: 100 }),
  clusterRadiusM: Type.Integer({ minimum: 10, maximum: 10000 }),
  clusterDays: Type.Integer({ minimum: 1, maximum: 365 }),
  active: Type.Boolean(),
});
export type CategoryInput = Static<typeof CategoryInput>;

// ---------------------------------------------------------------- capture (worker)

export const NearbyQuery = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  category: Code,
});
export type NearbyQuery = Static<typeof NearbyQuery>;

export const NearbyReport = Type.Object({
  id: Type.String(),
  code: Type.String(),
  category: Type.String(),
  description: Type.String(),
  distanceM: Type.Integer(),
  status: enumOf(reportStatuses),
  submittedAt: DateTime(),
  followerCount: Type.Integer(),
  photoUrl: Nullable(Type.String({ description: 'the first public photo' })),
  following: Type.Boolean({ description: 'the asking worker reported or follows it' }),
});
export type NearbyReport = Static<typeof NearbyReport>;

export const UploadedPhoto = Type.Object({
  id: Type.String({ description: 'pass it in ReportSubmit.photoIds / HandleInput.photoIds' }),
  url: Type.String({ description: 'the public copy (EXIF and GPS stripped)' }),
  width: Type.Integer(),
  height: Type.Integer(),
});
export type UploadedPhoto = Static<typeof UploadedPhoto>;

export const ReportSubmit = Type.Object({
  clientId: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'generated on the phone; a retry with the same id returns the first report' }),
  category: Code,
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  accuracyM: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100000 }))),
  locationSource: enumOf(['device', 'map'] as const),
  address: Type.Optional(Text(0, 200)),
  description: Type.Optional(Text(0, 500)),
  tags: Type.Optional(Type.Array(Text(1, 20), { maxItems: 6 })),
  photoIds: Type.Array(Id, { minItems: 1, maxItems: 3 }),
  capturedAt: Type.Optional(DateTime('when the phone captured it (queued offline); informational')),
});
export type ReportSubmit = Static<typeof ReportSubmit>;

export const ReportPhoto = Type.Object({ id: Type.String(), kind: enumOf(['before', 'after'] as const), url: Type.String(), width: Type.Integer(), height: Type.Integer() });
export type ReportPhoto = Static<typeof ReportPhoto>;

export const ReportEvent = Type.Object({
  id: Type.String(),
  at: DateTime(),
  type: enumOf(reportEventTypes),
  actor: Type.Object({ kind: enumOf(['worker', 'staff', 'system', 'open311'] as const), name: Nullable(Type.String({ description: 'masked for workers; department or staff display name' })) }),
  public: Type.Boolean(),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type ReportEvent = Static<typeof ReportEvent>;

export const WorkerReportSummary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  category: Type.String(),
  description: Type.String(),
  status: enumOf(reportStatuses),
  outcome: Nullable(enumOf(reportOutcomes)),
  mine: Type.Boolean({ description: 'false: one I follow ("me too")' }),
  submittedAt: DateTime(),
  deadlineAt: Nullable(DateTime()),
  photoUrl: Nullable(Type.String()),
  address: Type.String(),
  pointsGranted: Type.Integer(),
});
export type WorkerReportSummary = Static<typeof WorkerReportSummary>;

export const WorkerReport = Type.Object({
  ...WorkerReportSummary.properties,
  lon: Type.Number(),
  lat: Type.Number(),
  locationSource: enumOf(locationSources),
  tags: Type.Array(Type.String()),
  departmentName: Nullable(Type.String()),
  areaCode: Type.String(),
  areaName: Type.String(),
  followerCount: Type.Integer(),
  photos: Type.Array(ReportPhoto),
  timeline: Type.Array(ReportEvent, { description: 'public events, oldest first' }),
  mergedInto: Nullable(Type.Object({ id: Type.String(), code: Type.String() })),
  feedback: Nullable(enumOf(['confirmed', 'disputed'] as const)),
  feedbackDeadline: Nullable(DateTime('the reporter may confirm or dispute until then')),
  canFeedback: Type.Boolean(),
  campaign: Nullable(Type.Object({ id: Type.String(), title: Type.String() })),
});
export type WorkerReport = Static<typeof WorkerReport>;

export const ReportFeedback = Type.Object({
  feedback: enumOf(['confirmed', 'disputed'] as const),
  reason: Type.Optional(Text(0, 500, 'required when disputing')),
});
export type ReportFeedback = Static<typeof ReportFeedback>;

export const MineQuery = Type.Object({ status: Type.Optional(enumOf(['open', 'closed'] as const)), ...PageQueryProps });
export type MineQuery = Static<typeof MineQuery>;

// ---------------------------------------------------------------- admin

export const AdminListQuery = Type.Object({
  status: Type.Optional(enumOf(reportStatuses)),
  category: Type.Optional(Code),
  departmentId: Type.Optional(Type.String()),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
  campaignId: Type.Optional(Type.String()),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'code, description or address' })),
  overdue: Type.Optional(Type.Boolean()),
  flag: Type.Optional(enumOf(reportFlags)),
  from: Type.Optional(DateTime()),
  to: Type.Optional(DateTime()),
  bbox: Type.Optional(Type.String({ pattern: '^-?[\\d.]+,-?[\\d.]+,-?[\\d.]+,-?[\\d.]+$', description: 'minLon,minLat,maxLon,maxLat (map view)' })),
  sort: Type.Optional(enumOf(['submitted_desc', 'submitted_asc', 'deadline_asc'] as const)),
  ...PageQueryProps,
});
export type AdminListQuery = Static<typeof AdminListQuery>;

export const AdminReportSummary = Type.Object({
  id: Type.String(),
  code: Type.String(),
  category: Type.String(),
  description: Type.String(),
  status: enumOf(reportStatuses),
  outcome: Nullable(enumOf(reportOutcomes)),
  source: enumOf(reportSources),
  lon: Type.Number(),
  lat: Type.Number(),
  address: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  departmentId: Nullable(Type.String()),
  departmentName: Nullable(Type.String()),
  deadlineAt: Nullable(DateTime()),
  overdue: Type.Boolean(),
  flags: Type.Array(Type.String()),
  followerCount: Type.Integer(),
  submittedAt: DateTime(),
  closedAt: Nullable(DateTime()),
  reporterMasked: Nullable(Type.String({ description: 'masked name or phone; never in full' })),
  photoUrl: Nullable(Type.String()),
  campaignId: Nullable(Type.String()),
});
export type AdminReportSummary = Static<typeof AdminReportSummary>;

export const WorkOrder = Type.Object({
  id: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  streetCode: Nullable(Type.String()),
  streetName: Nullable(Type.String()),
  coDepartments: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  status: enumOf(['dispatched', 'acknowledged', 'returned', 'handled', 'superseded'] as const),
  current: Type.Boolean(),
  dispatchedAt: DateTime(),
  deadlineAt: DateTime(),
  acknowledgedAt: Nullable(DateTime()),
  returnedAt: Nullable(DateTime()),
  returnReason: Nullable(Type.String()),
  extension: Nullable(Type.Object({ days: Type.Integer(), reason: Type.String(), status: enumOf(['pending', 'approved', 'rejected'] as const) })),
  handledAt: Nullable(DateTime()),
  result: Nullable(Type.String()),
});
export type WorkOrder = Static<typeof WorkOrder>;

export const AdminReport = Type.Object({
  ...AdminReportSummary.properties,
  tags: Type.Array(Type.String()),
  accuracyM: Nullable(Type.Number()),
  locationSource: enumOf(locationSources),
  photos: Type.Array(ReportPhoto),
  timeline: Type.Array(ReportEvent, { description: 'all events, oldest first' }),
  orders: Type.Array(WorkOrder, { description: 'current first' }),
  mergedInto: Nullable(Type.Object({ id: Type.String(), code: Type.String() })),
  duplicates: Type.Array(Type.Object({ id: Type.String(), code: Type.String() })),
  feedback: Nullable(enumOf(['confirmed', 'disputed'] as const)),
  pointsGranted: Type.Integer(),
  clawedBack: Type.Boolean(),
  routingRuleId: Nullable(Type.String()),
  /** What the signed-in staff member may do now (the screens show only these buttons). */
  actions: Type.Array(enumOf(['triage', 'acknowledge', 'return', 'extension', 'decide_extension', 'co_handlers', 'handle', 'verify', 'clawback'] as const)),
});
export type AdminReport = Static<typeof AdminReport>;

export const TriageInput = Type.Union([
  Type.Object({ action: Type.Literal('dispatch'), departmentId: Type.String(), streetCode: Type.Optional(Nullable(Type.String())), category: Type.Optional(Code), note: Type.Optional(Text(0, 500)) }),
  Type.Object({ action: Type.Literal('duplicate'), intoId: Type.String(), note: Type.Optional(Text(0, 500)) }),
  Type.Object({ action: Type.Literal('invalid'), note: Text(1, 500) }),
]);
export type TriageInput = Static<typeof TriageInput>;

export const ReasonInput = Type.Object({ reason: Text(2, 500) });
export type ReasonInput = Static<typeof ReasonInput>;
export const ExtensionInput = Type.Object({ days: Type.Integer({ minimum: 1, maximum: 30 }), reason: Text(2, 500) });
export type ExtensionInput = Static<typeof ExtensionInput>;
export const ExtensionDecision = Type.Object({ approved: Type.Boolean(), note: Type.Optional(Text(0, 500)) });
export type ExtensionDecision = Static<typeof ExtensionDecision>;
export const CoHandlersInput = Type.Object({ departmentIds: Type.Array(Type.String(), { minItems: 1, maxItems: 10 }) });
export type CoHandlersInput = Static<typeof CoHandlersInput>;
export const HandleInput = Type.Object({ result: Text(2, 1000), photoIds: Type.Array(Id, { minItems: 1, maxItems: 3, description: 'after-photos' }) });
export type HandleInput = Static<typeof HandleInput>;
export const VerifyInput = Type.Object({
  verdict: enumOf(verifyVerdicts),
  note: Type.Optional(Text(0, 500)),
  intoId: Type.Optional(Type.String({ description: 'the original, for duplicate' })),
});
export type VerifyInput = Static<typeof VerifyInput>;
export const BulkInput = Type.Object({
  action: enumOf(['acknowledge', 'dispatch'] as const),
  reportIds: Type.Array(Type.String(), { minItems: 1, maxItems: 100 }),
  departmentId: Type.Optional(Type.String({ description: 'for dispatch' })),
});
export type BulkInput = Static<typeof BulkInput>;
export const BulkResult = Type.Object({
  done: Type.Array(Type.String()),
  failed: Type.Array(Type.Object({ id: Type.String(), code: Type.String() })),
});
export type BulkResult = Static<typeof BulkResult>;

export const RoutingRule = Type.Object({
  id: Type.String(),
  category: Nullable(Type.String({ description: 'null: any category' })),
  areaPrefix: Type.String(),
  areaName: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  streetCode: Nullable(Type.String()),
  priority: Type.Integer(),
  active: Type.Boolean(),
  note: Type.String(),
  updatedAt: DateTime(),
});
export type RoutingRule = Static<typeof RoutingRule>;
export const RoutingRuleInput = Type.Object({
  category: Nullable(Code),
  areaPrefix: Type.String({ pattern: '^\\d{4,12}$' }),
  departmentId: Type.String(),
  streetCode: Type.Optional(Nullable(Type.String({ pattern: '^\\d{9}$' }))),
  priority: Type.Integer({ minimum: 0, maximum: 1000 }),
  active: Type.Boolean(),
  note: Type.Optional(Text(0, 200)),
});
export type RoutingRuleInput = Static<typeof RoutingRuleInput>;

// ---------------------------------------------------------------- campaigns (专项治理)

export const Cluster = Type.Object({
  key: Type.String({ description: 'stable for the same set of reports' }),
  category: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  centerLon: Type.Number(),
  centerLat: Type.Number(),
  radiusM: Type.Integer(),
  days: Type.Integer(),
  reportIds: Type.Array(Type.String()),
  count: Type.Integer(),
  firstAt: DateTime(),
  lastAt: DateTime(),
});
export type Cluster = Static<typeof Cluster>;

export const Campaign = Type.Object({
  id: Type.String(),
  code: Type.String(),
  title: Type.String(),
  category: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  description: Type.String(),
  owner: Type.Object({ id: Type.String(), name: Type.String() }),
  deadline: Type.String({ format: 'date' }),
  status: enumOf(campaignStatuses),
  overdue: Type.Boolean(),
  reportCount: Type.Integer(),
  closedReportCount: Type.Integer(),
  summary: Nullable(Type.String()),
  remindWorkingDays: Type.Integer({ description: 'the owner is reminded this many working days before the deadline (0: on the day)' }),
  createdAt: DateTime(),
  closedAt: Nullable(DateTime()),
});
export type Campaign = Static<typeof Campaign>;
/** Defaults of a new campaign. */
export const CAMPAIGN_DEFAULTS = { remindWorkingDays: 1 } as const;
export const CampaignPermissions = Type.Object(
  {
    close: Type.Boolean({ description: 'the owner (whatever their role) or an operator over its area, while open' }),
    addReports: Type.Boolean({ description: 'operators over its area, while open' }),
    note: Type.Boolean({ description: 'the owner, operators and grid workers over its area, while open' }),
  },
  { description: 'what the signed-in staff member may do with the campaign now (the screens show only these)' },
);
export type CampaignPermissions = Static<typeof CampaignPermissions>;
export const CampaignDetail = Type.Object({
  ...Campaign.properties,
  reports: Type.Array(AdminReportSummary),
  notes: Type.Array(Type.Object({ id: Type.String(), at: DateTime(), staffName: Type.String(), note: Type.String() })),
  may: CampaignPermissions,
});
export type CampaignDetail = Static<typeof CampaignDetail>;
export const CampaignInput = Type.Object({
  title: Text(2, 80),
  category: Code,
  areaCode: Type.String({ pattern: '^\\d{4,12}$' }),
  description: Type.Optional(Text(0, 1000)),
  ownerStaffId: Type.String(),
  deadline: Type.String({ format: 'date' }),
  remindWorkingDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, description: `default ${CAMPAIGN_DEFAULTS.remindWorkingDays}` })),
  reportIds: Type.Array(Type.String(), { maxItems: 500 }),
});
export type CampaignInput = Static<typeof CampaignInput>;
/** An open report that could join a campaign: its category, in or near its area, in no campaign yet. */
export const CampaignCandidate = Type.Object({
  ...AdminReportSummary.properties,
  distanceM: Nullable(Type.Number({ description: "metres from the campaign's centre (null: the campaign has none)" })),
});
export type CampaignCandidate = Static<typeof CampaignCandidate>;
export const CampaignCandidatesQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50, description: 'code, description or address' })),
});
export type CampaignCandidatesQuery = Static<typeof CampaignCandidatesQuery>;
/** An open campaign a report could join (its category, one I may add reports to), nearest first. */
export const CampaignOption = Type.Object({
  ...Campaign.properties,
  coversReport: Type.Boolean({ description: "the report lies inside the campaign's area" }),
  distanceM: Nullable(Type.Number({ description: "metres from the report to the campaign's centre" })),
});
export type CampaignOption = Static<typeof CampaignOption>;
export const CampaignOptionsQuery = Type.Object({
  reportId: Type.String(),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'title or code' })),
});
export type CampaignOptionsQuery = Static<typeof CampaignOptionsQuery>;

// ---------------------------------------------------------------- metrics (dashboard)

export const MetricsQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'Shanghai date, inclusive; default: 12 months back' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Shanghai date, inclusive; default: today' })),
  groupBy: enumOf(metricsGroupings),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
});
export type MetricsQuery = Static<typeof MetricsQuery>;
export const MetricsRow = Type.Object({
  key: Type.String(),
  label: Type.String(),
  received: Type.Integer(),
  closed: Type.Integer(),
  valid: Type.Integer(),
  validShare: Nullable(Type.Number({ description: '0..1 of closed' })),
  medianHoursToClose: Nullable(Type.Number()),
  closedOnTime: Type.Integer(),
  onTimeShare: Nullable(Type.Number({ description: '0..1 of closed with a deadline' })),
});
export type MetricsRow = Static<typeof MetricsRow>;
export const ReportMetrics = Type.Object({ groupBy: enumOf(metricsGroupings), from: Type.String(), to: Type.String(), rows: Type.Array(MetricsRow), total: MetricsRow });
export type ReportMetrics = Static<typeof ReportMetrics>;

// ---------------------------------------------------------------- Open311 clients, calendar

export const Open311Client = Type.Object({ id: Type.String(), name: Type.String(), keyPrefix: Type.String(), active: Type.Boolean(), createdAt: DateTime(), lastUsedAt: Nullable(DateTime()) });
export type Open311Client = Static<typeof Open311Client>;
export const Open311ClientCreated = Type.Object({ ...Open311Client.properties, apiKey: Type.String({ description: 'shown once' }) });
export type Open311ClientCreated = Static<typeof Open311ClientCreated>;

export const CalendarDay = Type.Object({ date: Type.String({ format: 'date' }), kind: enumOf(['holiday', 'workday'] as const), name: Type.String() });
export type CalendarDay = Static<typeof CalendarDay>;
export const CalendarYear = Type.Object({
  year: Type.Integer(),
  source: enumOf(['bundled', 'operator', 'weekends_only'] as const, 'weekends_only: nobody has loaded this year yet — deadlines count only weekends as days off'),
  days: Type.Array(CalendarDay, { description: 'the exceptions: holidays on weekdays and make-up working days (调休) on weekends' }),
  loadedAt: Nullable(DateTime()),
});
export type CalendarYear = Static<typeof CalendarYear>;
export const CalendarYearInput = Type.Object({ days: Type.Array(CalendarDay, { maxItems: 120 }) });
export type CalendarYearInput = Static<typeof CalendarYearInput>;
