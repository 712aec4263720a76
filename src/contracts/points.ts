import { Type, type Static, type TSchema } from 'typebox';

/**
 * Points (积分), rewards (兑换) and honours (微光榜, 城市合伙人): the request/response schemas of the
 * worker routes (/api/points/*) and the admin console's (/api/admin/points/*). The ledger behind them
 * is double-entry; amounts are whole points.
 *
 * Worker routes (signed-in worker; redeem and nominate need a verified worker):
 *   GET  /api/points/me                     → PointsMe
 *   GET  /api/points/me/history?page&pageSize → HistoryPage
 *   GET  /api/points/rewards?category&page  → CataloguePage
 *   POST /api/points/rewards/:id/redeem     (Idempotency-Key header required) → 201 WorkerOrder
 *   GET  /api/points/me/orders?status&page  → Page<WorkerOrder>
 *   POST /api/points/me/orders/:id/cancel   → WorkerOrder
 *   GET  /api/points/honours?areaCode&page  → Page<HonourStory>   (approved 微光榜 stories)
 *   POST /api/points/honours                NominationInput → 201 MyNomination
 *   GET  /api/points/me/nominations         → MyNomination[]
 *   GET  /api/points/leaderboard?month&areaCode → Leaderboard
 *
 * Admin routes (staff; see PointsPermissions for who may write):
 *   GET  /api/admin/points/permissions      → PointsPermissions
 *   GET  /api/admin/points/rules            → EarningRule[]
 *   PUT  /api/admin/points/rules/:rule      EarningRuleInput → EarningRule   (:rule = the code; creates a new code too)
 *   GET  /api/admin/points/settings         → PointsSettings
 *   PUT  /api/admin/points/settings         PointsSettings → PointsSettings
 *   GET  /api/admin/points/rewards?status&q&placeId&sponsorId&page → Page<AdminReward>
 *   POST /api/admin/points/rewards          RewardInput → 201 AdminReward
 *   GET  /api/admin/points/rewards/:id      → AdminReward
 *   PATCH /api/admin/points/rewards/:id     RewardUpdate → AdminReward
 *   POST /api/admin/points/rewards/:id/status  RewardStatusInput → AdminReward
 *   POST /api/admin/points/rewards/:id/restock RestockInput → AdminReward
 *   GET  /api/admin/points/orders?status&rewardId&placeId&page → Page<AdminOrder>
 *   POST /api/admin/points/orders/:id/cancel ReasonInput → AdminOrder   (refunds, returns the unit)
 *   GET  /api/admin/points/sponsors         → Sponsor[]
 *   POST /api/admin/points/sponsors         SponsorInput → 201 Sponsor
 *   POST /api/admin/points/sponsors/:id/fund FundInput → Sponsor
 *   GET  /api/admin/points/honours?status&page → Page<AdminStory>   (pending: oldest first)
 *   POST /api/admin/points/honours          StaffNominationInput → 201 AdminStory
 *   POST /api/admin/points/honours/:id/approve ApproveInput → AdminStory
 *   POST /api/admin/points/honours/:id/reject  ReasonInput → AdminStory
 *   GET  /api/admin/points/partners?status&page → Page<Partner>
 *   POST /api/admin/points/partners/:workerId/revoke ReasonInput → Partner
 *   GET  /api/admin/points/transactions?month&kind&workerPhone&page → Page<LedgerTransaction>
 *   POST /api/admin/points/transactions/:id/clawback ReasonInput → ClawbackResult
 *   GET  /api/admin/points/summary?month    → LedgerSummary
 *   GET  /api/admin/points/ledger.xlsx?month=YYYY-MM → the month's ledger (sheets 台账 and 汇总)
 *   GET  /api/admin/points/drift            → DriftReport
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const DateTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });

/** A Shanghai calendar month, `YYYY-MM`. */
export const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';
const Month = (description = 'a month in Asia/Shanghai, YYYY-MM') => Type.String({ pattern: MONTH_PATTERN, description });

// ---------------------------------------------------------------- vocabularies

/** Earning rules every city has (an operator may add more codes; these have built-in defaults). */
export const earningRuleCodes = ['valid_report', 'duplicate_report', 'volunteer_hour', 'activity_attendance', 'course_completion', 'honour', 'good_deed'] as const;
export type KnownEarningRule = (typeof earningRuleCodes)[number];
/** A rule code: lower-case words joined by `_`. */
export const RULE_CODE_PATTERN = '^[a-z][a-z0-9_]{1,39}$';

/** What an award asked of a rule came to. Never an error for the caller. */
export const earnOutcomes = ['granted', 'partial', 'capped', 'inactive'] as const;
export type EarnOutcome = (typeof earnOutcomes)[number];

export const transactionKinds = ['award', 'budget', 'redeem', 'refund', 'clawback', 'expire', 'adjust'] as const;
export type TransactionKind = (typeof transactionKinds)[number];

export const rewardCategories = ['meal', 'goods', 'service', 'discount'] as const;
export type RewardCategory = (typeof rewardCategories)[number];

export const rewardStatuses = ['active', 'paused', 'ended'] as const;
export type RewardStatus = (typeof rewardStatuses)[number];

export const orderStatuses = ['awaiting_pickup', 'completed', 'cancelled', 'expired'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const storyStatuses = ['pending', 'approved', 'rejected'] as const;
export type StoryStatus = (typeof storyStatuses)[number];

export const sponsorKinds = ['merchant', 'company', 'organisation', 'individual'] as const;
export type SponsorKind = (typeof sponsorKinds)[number];

export const partnerStatuses = ['active', 'revoked'] as const;
export type PartnerStatus = (typeof partnerStatuses)[number];

/** Kinds of account in the ledger (a worker's points, a sponsor's budget, the system's issuance/redemption/expiry). */
export const accountKinds = ['worker', 'sponsor', 'system'] as const;
export type AccountKindName = (typeof accountKinds)[number];

/** Defaults used until an operator changes them. */
export const DEFAULT_PICKUP_WINDOW_DAYS = 14;
export const DEFAULT_LEADERBOARD_SIZE = 20;

const Note = (min: number, max = 500, description?: string) => Type.String({ minLength: min, maxLength: max, ...(description ? { description } : {}) });
const Source = Type.Object(
  { type: Type.String({ description: 'report, activity, course, honour, order, volunteer …' }), id: Type.String() },
  { description: 'what the movement is about' },
);

const PageQueryProps = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

// ================================================================ worker (/api/points/*)

export const PointsMe = Type.Object({
  balance: Type.Integer({ description: 'points available now' }),
  earnedThisMonth: Type.Integer({ description: 'awards this Shanghai month (redemptions not subtracted)' }),
  lifetimeEarned: Type.Integer(),
  month: Month(),
  title: Nullable(
    Type.Object(
      { code: Type.Literal('city_partner'), grantedAt: DateTime() },
      { description: '城市合伙人, while granted and not revoked' },
    ),
  ),
  rank: Nullable(
    Type.Object(
      {
        districtCode: Type.String(),
        districtName: Type.String(),
        rank: Nullable(Type.Integer({ description: 'my place in the district this month; null without awards this month' })),
        of: Type.Integer({ description: 'workers of the district with awards this month' }),
      },
      { description: 'null when the worker has no district on record (not verified yet)' },
    ),
  ),
  expiring: Nullable(
    Type.Object(
      { points: Type.Integer(), at: DateTime('when they expire') },
      { description: 'points that expire next (only when the city has an expiry rule)' },
    ),
  ),
  pendingOrders: Type.Integer({ description: 'orders awaiting pickup' }),
});
export type PointsMe = Static<typeof PointsMe>;

export const HistoryQuery = Type.Object(PageQueryProps);
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryItem = Type.Object({
  id: Type.String({ description: 'the entry id' }),
  transactionId: Type.String(),
  at: DateTime(),
  amount: Type.Integer({ description: 'positive: in; negative: out' }),
  kind: enumOf(transactionKinds),
  reason: Type.String(),
  source: Nullable(Source),
});
export type HistoryItem = Static<typeof HistoryItem>;

export const HistoryPage = Type.Object({
  balance: Type.Integer(),
  items: Type.Array(HistoryItem),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type HistoryPage = Static<typeof HistoryPage>;

const PlaceRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  areaName: Type.String({ description: 'district · street' }),
  address: Nullable(Type.String()),
});
export type RewardPlaceRef = Static<typeof PlaceRef>;

export const CatalogueQuery = Type.Object({
  category: Type.Optional(enumOf(rewardCategories)),
  ...PageQueryProps,
});
export type CatalogueQuery = Static<typeof CatalogueQuery>;

export const CatalogueReward = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  category: enumOf(rewardCategories),
  cost: Type.Integer(),
  stockLeft: Type.Integer(),
  perWorkerLimit: Nullable(Type.Integer()),
  myRemaining: Nullable(Type.Integer({ description: 'how many more I may redeem; null = no limit' })),
  affordable: Type.Boolean({ description: 'my balance covers the cost' }),
  validFrom: Nullable(DateTime()),
  validUntil: Nullable(DateTime()),
  place: Nullable(PlaceRef),
  sponsorName: Nullable(Type.String()),
});
export type CatalogueReward = Static<typeof CatalogueReward>;

export const CataloguePage = Type.Object({
  balance: Type.Integer(),
  items: Type.Array(CatalogueReward),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type CataloguePage = Static<typeof CataloguePage>;

export const RewardIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const WorkerOrder = Type.Object({
  id: Type.String(),
  reward: Type.Object({ id: Type.String(), title: Type.String(), category: enumOf(rewardCategories) }),
  cost: Type.Integer(),
  status: enumOf(orderStatuses),
  createdAt: DateTime(),
  completedAt: Nullable(DateTime()),
  closedReason: Nullable(Type.String({ description: 'why it was cancelled or expired' })),
  pickup: Nullable(
    Type.Object(
      {
        place: Nullable(PlaceRef),
        code: Type.String({ description: 'a short code the merchant can read back; the pickup itself is completed by scanning the pass' }),
        deadline: DateTime('not picked up by then → expired and refunded'),
      },
      { description: 'while awaiting pickup' },
    ),
  ),
  canCancel: Type.Boolean(),
});
export type WorkerOrder = Static<typeof WorkerOrder>;

export const WorkerOrdersQuery = Type.Object({
  status: Type.Optional(enumOf(orderStatuses)),
  ...PageQueryProps,
});
export type WorkerOrdersQuery = Static<typeof WorkerOrdersQuery>;

export const HonoursQuery = Type.Object({
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$', description: 'stories of workers in this area' })),
  ...PageQueryProps,
});
export type HonoursQuery = Static<typeof HonoursQuery>;

export const HonourStory = Type.Object({
  id: Type.String(),
  title: Type.String(),
  story: Type.String(),
  workerNameMasked: Type.String({ description: '张* (or a masked phone when no name is on record)' }),
  areaName: Nullable(Type.String()),
  points: Type.Integer({ description: 'points the honour earned' }),
  approvedAt: DateTime(),
  cityPartner: Type.Boolean({ description: 'the worker holds the 城市合伙人 title' }),
});
export type HonourStory = Static<typeof HonourStory>;

export const NominationInput = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 60 }),
  story: Type.String({ minLength: 10, maxLength: 2000, description: 'what happened, where and when' }),
  workerPhone: Type.Optional(Type.String({ minLength: 11, maxLength: 20, description: 'the worker who did the good deed; omitted = myself' })),
});
export type NominationInput = Static<typeof NominationInput>;

export const MyNomination = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: enumOf(storyStatuses),
  workerNameMasked: Type.String(),
  createdAt: DateTime(),
});
export type MyNomination = Static<typeof MyNomination>;

export const LeaderboardQuery = Type.Object({
  month: Type.Optional(Month('default: this month')),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'a district; default: my district' })),
});
export type LeaderboardQuery = Static<typeof LeaderboardQuery>;

export const LeaderboardEntry = Type.Object({
  rank: Type.Integer({ description: 'equal points share a rank (1, 2, 2, 4)' }),
  nameMasked: Type.String(),
  points: Type.Integer(),
  me: Type.Boolean(),
  cityPartner: Type.Boolean(),
});
export type LeaderboardEntry = Static<typeof LeaderboardEntry>;

export const Leaderboard = Type.Object({
  month: Month(),
  district: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  items: Type.Array(LeaderboardEntry),
  me: Type.Object({ rank: Nullable(Type.Integer()), points: Type.Integer() }),
  participants: Type.Integer({ description: 'workers of the district with awards that month' }),
});
export type Leaderboard = Static<typeof Leaderboard>;

// ================================================================ admin (/api/admin/points/*)

export const EarningRule = Type.Object({
  code: Type.String({ pattern: RULE_CODE_PATTERN }),
  title: Type.String({ description: 'shown in history reasons when the caller gives none' }),
  pointsPerUnit: Type.Integer({ minimum: 0 }),
  unit: Type.String({ description: 'what one unit is: 次 (a report), 小时 (an hour) …' }),
  dailyCap: Nullable(Type.Integer({ minimum: 1, description: 'per worker per Shanghai day; null = none' })),
  monthlyCap: Nullable(Type.Integer({ minimum: 1, description: 'per worker per Shanghai month; null = none' })),
  active: Type.Boolean(),
  sponsor: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'awards come from this sponsor’s budget while it lasts' })),
  builtIn: Type.Boolean({ description: 'one of the built-in codes' }),
  customised: Type.Boolean({ description: 'changed from the built-in default' }),
  updatedAt: Nullable(DateTime()),
});
export type EarningRule = Static<typeof EarningRule>;

export const RuleCodeParams = Type.Object({ code: Type.String({ pattern: RULE_CODE_PATTERN }) });
/** The path parameter of PUT /api/admin/points/rules/:rule (the rule's code). */
export const RuleParams = Type.Object({ rule: Type.String({ minLength: 1, maxLength: 40, description: `the rule code (${RULE_CODE_PATTERN}; checked by the service)` }) });

export const EarningRuleInput = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 40 }),
  pointsPerUnit: Type.Integer({ minimum: 0, maximum: 100_000 }),
  unit: Type.String({ minLength: 1, maxLength: 10 }),
  dailyCap: Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  monthlyCap: Nullable(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  active: Type.Boolean(),
  sponsorId: Nullable(Type.String({ format: 'uuid' })),
});
export type EarningRuleInput = Static<typeof EarningRuleInput>;

export const PartnerThresholds = Type.Object({
  enabled: Type.Boolean(),
  minLifetimePoints: Type.Integer({ minimum: 0, description: 'points ever awarded' }),
  minApprovedStories: Type.Integer({ minimum: 0, description: 'approved 微光榜 stories' }),
  minValidReports: Type.Integer({ minimum: 0, description: 'valid 随手拍 reports' }),
});
export type PartnerThresholds = Static<typeof PartnerThresholds>;

export const PointsSettings = Type.Object({
  expiry: Type.Object({
    enabled: Type.Boolean({ description: 'off by default' }),
    months: Type.Integer({ minimum: 1, maximum: 120, description: 'points expire this many months after the end of the month they were earned' }),
  }),
  pickupWindowDays: Type.Integer({ minimum: 1, maximum: 365, description: 'an order not picked up within this many days (or past the reward’s validity) expires and is refunded' }),
  leaderboardSize: Type.Integer({ minimum: 3, maximum: 100 }),
  partner: PartnerThresholds,
});
export type PointsSettings = Static<typeof PointsSettings>;

export const DEFAULT_SETTINGS: PointsSettings = {
  expiry: { enabled: false, months: 12 },
  pickupWindowDays: DEFAULT_PICKUP_WINDOW_DAYS,
  leaderboardSize: DEFAULT_LEADERBOARD_SIZE,
  partner: { enabled: true, minLifetimePoints: 1000, minApprovedStories: 1, minValidReports: 10 },
};

export const AdminRewardsQuery = Type.Object({
  status: Type.Optional(enumOf(rewardStatuses)),
  q: Type.Optional(Type.String({ maxLength: 60, description: 'title contains' })),
  placeId: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
  sponsorId: Type.Optional(Type.String({ format: 'uuid' })),
  ...PageQueryProps,
});
export type AdminRewardsQuery = Static<typeof AdminRewardsQuery>;

export const RewardInput = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 60 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  category: enumOf(rewardCategories),
  cost: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  stock: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  perWorkerLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  validFrom: Type.Optional(Nullable(DateTime())),
  validUntil: Type.Optional(Nullable(DateTime())),
  placeId: Type.Optional(Nullable(Type.String({ pattern: '^\\d{1,18}$', description: 'where it is picked up: a merchant (or station) place' }))),
  sponsorId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
});
export type RewardInput = Static<typeof RewardInput>;

/** Editable after creation (stock changes through restock). */
export const RewardUpdate = Type.Object({
  title: Type.Optional(Type.String({ minLength: 2, maxLength: 60 })),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  category: Type.Optional(enumOf(rewardCategories)),
  cost: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'orders already placed keep their cost' })),
  perWorkerLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  validFrom: Type.Optional(Nullable(DateTime())),
  validUntil: Type.Optional(Nullable(DateTime())),
  placeId: Type.Optional(Nullable(Type.String({ pattern: '^\\d{1,18}$' }))),
  sponsorId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
});
export type RewardUpdate = Static<typeof RewardUpdate>;

export const RewardStatusInput = Type.Object({ status: enumOf(rewardStatuses, 'active ↔ paused; ended is final') });
export type RewardStatusInput = Static<typeof RewardStatusInput>;

export const RestockInput = Type.Object({ quantity: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'units added' }) });
export type RestockInput = Static<typeof RestockInput>;

export const AdminReward = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  category: enumOf(rewardCategories),
  cost: Type.Integer(),
  stock: Type.Integer({ description: 'units left' }),
  perWorkerLimit: Nullable(Type.Integer()),
  validFrom: Nullable(DateTime()),
  validUntil: Nullable(DateTime()),
  place: Nullable(PlaceRef),
  sponsor: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  status: enumOf(rewardStatuses),
  areaCode: Type.String(),
  orders: Type.Object({ awaitingPickup: Type.Integer(), completed: Type.Integer(), cancelled: Type.Integer(), expired: Type.Integer() }),
  createdAt: DateTime(),
  updatedAt: DateTime(),
});
export type AdminReward = Static<typeof AdminReward>;

export const AdminOrdersQuery = Type.Object({
  status: Type.Optional(enumOf(orderStatuses)),
  rewardId: Type.Optional(Type.String({ format: 'uuid' })),
  placeId: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
  ...PageQueryProps,
});
export type AdminOrdersQuery = Static<typeof AdminOrdersQuery>;

export const AdminOrder = Type.Object({
  id: Type.String(),
  reward: Type.Object({ id: Type.String(), title: Type.String() }),
  place: Nullable(PlaceRef),
  workerNameMasked: Type.String(),
  workerPhoneMasked: Type.String(),
  cost: Type.Integer(),
  status: enumOf(orderStatuses),
  createdAt: DateTime(),
  completedAt: Nullable(DateTime()),
  pickupDeadline: Nullable(DateTime()),
  closedReason: Nullable(Type.String()),
  completedBy: Nullable(Type.String({ description: 'who scanned the pass' })),
});
export type AdminOrder = Static<typeof AdminOrder>;

export const ReasonInput = Type.Object({ reason: Note(2, 200) });
export type ReasonInput = Static<typeof ReasonInput>;

export const SponsorInput = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 60, description: 'merchant or company name' }),
  kind: enumOf(sponsorKinds),
  contactName: Type.String({ minLength: 1, maxLength: 30, description: 'stored encrypted, shown masked' }),
  contactPhone: Type.String({ minLength: 7, maxLength: 20, description: 'mobile or landline; stored encrypted, shown masked' }),
  placeId: Type.Optional(Nullable(Type.String({ pattern: '^\\d{1,18}$', description: 'the sponsor’s own place, if a merchant' }))),
});
export type SponsorInput = Static<typeof SponsorInput>;

export const Sponsor = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: enumOf(sponsorKinds),
  contactNameMasked: Type.String(),
  contactPhoneMasked: Type.String(),
  placeId: Nullable(Type.String()),
  balance: Type.Integer({ description: 'budget left' }),
  funded: Type.Integer({ description: 'budget ever funded' }),
  awarded: Type.Integer({ description: 'awarded from the budget' }),
  createdAt: DateTime(),
});
export type Sponsor = Static<typeof Sponsor>;

export const FundInput = Type.Object({
  amount: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
  note: Note(2, 200, 'e.g. the sponsorship agreement'),
});
export type FundInput = Static<typeof FundInput>;

export const AdminHonoursQuery = Type.Object({
  status: Type.Optional(enumOf(storyStatuses)),
  ...PageQueryProps,
});
export type AdminHonoursQuery = Static<typeof AdminHonoursQuery>;

export const StaffNominationInput = Type.Object({
  workerPhone: Type.String({ minLength: 11, maxLength: 20 }),
  title: Type.String({ minLength: 2, maxLength: 60 }),
  story: Type.String({ minLength: 10, maxLength: 2000 }),
});
export type StaffNominationInput = Static<typeof StaffNominationInput>;

export const ApproveInput = Type.Object({ note: Type.Optional(Note(0, 200)) });
export type ApproveInput = Static<typeof ApproveInput>;

export const AdminStory = Type.Object({
  id: Type.String(),
  title: Type.String(),
  story: Type.String(),
  workerId: Type.String(),
  workerNameMasked: Type.String(),
  workerPhoneMasked: Type.String(),
  areaCode: Nullable(Type.String()),
  areaName: Nullable(Type.String()),
  nominatedBy: Type.Object({
    kind: Type.Union([Type.Literal('staff'), Type.Literal('worker')]),
    label: Type.String({ description: 'staff display name, or the nominating worker’s masked phone (本人 when self-nominated)' }),
  }),
  status: enumOf(storyStatuses),
  decisionNote: Nullable(Type.String({ description: 'the rejection reason, or a note on approval' })),
  decidedBy: Nullable(Type.String()),
  points: Nullable(Type.Integer({ description: 'awarded on approval' })),
  createdAt: DateTime(),
  decidedAt: Nullable(DateTime()),
});
export type AdminStory = Static<typeof AdminStory>;

export const AdminPartnersQuery = Type.Object({
  status: Type.Optional(enumOf(partnerStatuses)),
  ...PageQueryProps,
});
export type AdminPartnersQuery = Static<typeof AdminPartnersQuery>;

export const WorkerIdParams = Type.Object({ workerId: Type.String({ format: 'uuid' }) });

export const Partner = Type.Object({
  workerId: Type.String(),
  workerNameMasked: Type.String(),
  workerPhoneMasked: Type.String(),
  areaName: Nullable(Type.String()),
  status: enumOf(partnerStatuses),
  grantedAt: DateTime(),
  revokedAt: Nullable(DateTime()),
  revokeReason: Nullable(Type.String()),
  stats: Type.Object({ lifetimePoints: Type.Integer(), approvedStories: Type.Integer(), validReports: Type.Integer() }),
});
export type Partner = Static<typeof Partner>;

export const TransactionsQuery = Type.Object({
  month: Type.Optional(Month()),
  kind: Type.Optional(enumOf(transactionKinds)),
  workerPhone: Type.Optional(Type.String({ minLength: 11, maxLength: 20, description: 'movements of this worker' })),
  ...PageQueryProps,
});
export type TransactionsQuery = Static<typeof TransactionsQuery>;

export const LedgerEntry = Type.Object({
  account: Type.Object({
    kind: enumOf(accountKinds),
    id: Type.String(),
    label: Type.String({ description: 'masked worker, sponsor name, or the system purpose (issuance, redemption, expiry)' }),
  }),
  amount: Type.Integer(),
});
export type LedgerEntry = Static<typeof LedgerEntry>;

export const LedgerTransaction = Type.Object({
  id: Type.String(),
  at: DateTime(),
  kind: enumOf(transactionKinds),
  reason: Type.String(),
  source: Nullable(Source),
  amount: Type.Integer({ description: 'points moved (the sum of the positive entries)' }),
  entries: Type.Array(LedgerEntry),
  createdBy: Nullable(Type.String()),
  reverses: Nullable(Type.String({ description: 'the transaction this one reverses' })),
  reversedBy: Nullable(Type.String()),
  canClawBack: Type.Boolean({ description: 'an award not yet reversed' }),
});
export type LedgerTransaction = Static<typeof LedgerTransaction>;

export const TransactionIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ClawbackResult = Type.Object({
  transactionId: Type.String({ description: 'the clawback transaction' }),
  clawedBack: Type.Integer(),
  shortfall: Type.Integer({ description: 'points the worker no longer had (never taken below zero)' }),
});
export type ClawbackResult = Static<typeof ClawbackResult>;

export const LedgerExportQuery = Type.Object({ month: Month() });
export type LedgerExportQuery = Static<typeof LedgerExportQuery>;

export const MonthQuery = Type.Object({ month: Type.Optional(Month('default: this month')) });
export type MonthQuery = Static<typeof MonthQuery>;

/** Totals of one month (also the export's summary sheet). */
export const LedgerSummary = Type.Object({
  month: Month(),
  issued: Type.Integer({ description: 'awarded to workers' }),
  budgeted: Type.Integer({ description: 'funded into sponsor budgets' }),
  redeemed: Type.Integer({ description: 'spent on rewards, net of refunds' }),
  refunded: Type.Integer(),
  clawedBack: Type.Integer(),
  expired: Type.Integer(),
  transactions: Type.Integer(),
  /** Balances at the end of the month (or now, for the current month). */
  workerBalances: Type.Integer({ description: 'points held by workers' }),
  sponsorBalances: Type.Integer({ description: 'budget left with sponsors' }),
});
export type LedgerSummary = Static<typeof LedgerSummary>;

export const DriftReport = Type.Object({
  ok: Type.Boolean({ description: 'every stored balance equals the sum of its entries and every transaction sums to zero' }),
  accounts: Type.Array(Type.Object({ id: Type.String(), stored: Type.Integer(), computed: Type.Integer() })),
  unbalancedTransactions: Type.Array(Type.Object({ id: Type.String(), total: Type.Integer() })),
  checkedAccounts: Type.Integer(),
  checkedEntries: Type.Integer(),
  checkedAt: DateTime(),
});
export type DriftReport = Static<typeof DriftReport>;

/** What the admin console may do in the points section (drives which tabs and buttons show). */
export const PointsPermissions = Type.Object({
  configure: Type.Boolean({ description: 'rules, settings, sponsors, ledger (an operator of the whole city)' }),
  manageRewards: Type.Boolean({ description: 'catalogue, orders (operators in scope)' }),
  decideHonours: Type.Boolean({ description: 'approve/reject stories, revoke partners (operators in scope)' }),
  nominate: Type.Boolean({ description: 'any staff, for workers in scope' }),
  readLedger: Type.Boolean(),
});
export type PointsPermissions = Static<typeof PointsPermissions>;
