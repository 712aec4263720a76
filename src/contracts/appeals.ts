import { Type, type Static } from 'typebox';

/** 诉求 appeals: wage arrears, work injury, disputes … filed from the app, the 12345 hotline or at a service centre. */
export const appealTypes = [
  'wage_arrears',
  'work_injury',
  'labour_relation',
  'social_insurance',
  'traffic_compensation',
  'predatory_rental',
  'housing',
  'household_registration',
  'legal_question',
  'other',
] as const;
export type AppealType = (typeof appealTypes)[number];

export const appealChannels = ['app', 'hotline', 'walk_in'] as const;
export type AppealChannel = (typeof appealChannels)[number];

export const respondentKinds = ['company', 'agency', 'platform', 'station', 'other'] as const;
export type RespondentKind = (typeof respondentKinds)[number];

export const appealStatuses = ['submitted', 'acknowledged', 'in_progress', 'mediating', 'resolved', 'closed'] as const;
export type AppealStatus = (typeof appealStatuses)[number];

export const appealOutcomes = ['recovered', 'agreement', 'referred', 'answered', 'not_supported', 'withdrawn'] as const;
export type AppealOutcome = (typeof appealOutcomes)[number];

export const satisfactionLevels = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof satisfactionLevels)[number];

/** "1+2+3" leads (from the rules) and collaborators (added by staff). */
export const leadRoles = ['station_head', 'street_officer', 'industry_officer'] as const;
export const collaboratorRoles = ['grid_worker', 'community_police', 'union_social_worker', 'lawyer', 'mediator'] as const;
export const assigneeRoles = [...leadRoles, ...collaboratorRoles] as const;
export type AssigneeRole = (typeof assigneeRoles)[number];

export const evidenceKinds = ['screenshot', 'photo', 'schedule', 'attendance', 'contract', 'payslip', 'document', 'other'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export const appealEventTypes = [
  'submitted',
  'linked',
  'assigned',
  'unassigned',
  'acknowledged',
  'started',
  'mediation_started',
  'mediation_ended',
  'mediation_session',
  'agreement',
  'payment',
  'referred',
  'resolved',
  'return_visit',
  'rated',
  'closed',
  'reopened',
  'evidence_added',
  'case_joined',
  'case_left',
  'case_closed',
  'note',
  'ack_reminded',
  'resolve_reminded',
  'ack_escalated',
  'resolve_escalated',
] as const;
export type AppealEventType = (typeof appealEventTypes)[number];

/** Defaults an operator can change per city (GET/PUT /api/admin/appeals/settings). */
export const APPEAL_DEFAULTS = {
  ackHours: 24,
  ackRemindHoursBefore: 4,
  resolveRemindHoursBefore: 24,
  resolveDays: {
    wage_arrears: 10,
    work_injury: 20,
    labour_relation: 15,
    social_insurance: 15,
    traffic_compensation: 20,
    predatory_rental: 10,
    housing: 15,
    household_registration: 10,
    legal_question: 3,
    other: 10,
  } satisfies Record<AppealType, number>,
  evidenceMaxBytes: 10 * 1024 * 1024,
  evidencePerAppeal: 30,
  reopenLimit: 1,
} as const;

/** A string from a fixed list (static type = the list's union; one `enum` keyword in the schema). */
const oneOf = <T extends readonly string[]>(values: T, opts: { description?: string } = {}) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });

const str = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Uuid = Type.String({ format: 'uuid' });
const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000_00, description: 'integer fen (分)' });
const PositiveFen = Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: 'integer fen (分)' });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });
const AreaCode = Type.String({ pattern: '^\\d{4,12}$' });
const Uscc = Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', description: 'unified social credit code' });
const ClientId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'generated on the device: a retry with the same clientId returns the first appeal' });

export const Respondent = Type.Object({
  kind: oneOf(respondentKinds),
  name: str(100),
  uscc: Type.Optional(Uscc),
});
export type Respondent = Static<typeof Respondent>;

const TypeSchema = oneOf(appealTypes);
const StatusSchema = oneOf(appealStatuses);

/** Filed by a verified worker in the app. */
export const AppealSubmit = Type.Object({
  clientId: ClientId,
  type: TypeSchema,
  description: str(4000, 5),
  respondent: Respondent,
  amountClaimedFen: Type.Optional(Fen),
  areaCode: Type.Optional(AreaCode),
});
export type AppealSubmit = Static<typeof AppealSubmit>;

/** Recorded by a hotline agent (12345, key 4) or at a service centre (walk-in) for a caller. */
export const AppealIntake = Type.Object({
  clientId: Type.Optional(ClientId),
  channel: Type.Union([Type.Literal('hotline'), Type.Literal('walk_in')]),
  callerPhone: Type.String({ minLength: 11, maxLength: 20 }),
  callerName: Type.Optional(str(50)),
  type: TypeSchema,
  description: str(4000, 5),
  respondent: Respondent,
  amountClaimedFen: Type.Optional(Fen),
  areaCode: AreaCode,
});
export type AppealIntake = Static<typeof AppealIntake>;

export const AppealEvent = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  type: Type.String(),
  actorKind: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const Evidence = Type.Object({
  id: Uuid,
  kind: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  note: Type.String(),
  takenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  uploadedAt: Type.String({ format: 'date-time' }),
  uploaderKind: Type.String(),
  uploadedBy: Type.Union([Type.String(), Type.Null()], { description: 'staff side: the display name of the staff member who added it (null: the worker)' }),
  url: Type.String(),
});
export type Evidence = Static<typeof Evidence>;

export const EvidenceQuery = Type.Object({
  kind: oneOf(evidenceKinds),
  note: Type.Optional(Type.String({ maxLength: 200 })),
  takenAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type EvidenceQuery = Static<typeof EvidenceQuery>;

export const EvidenceParams = Type.Object({ id: Uuid, evidenceId: Uuid });

const Deadlines = Type.Object({
  acknowledgeBy: Type.String({ format: 'date-time' }),
  resolveBy: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean({ description: 'past the deadline of the current step' }),
});

export const Assignee = Type.Object({
  staffId: Uuid,
  role: Type.String(),
  displayName: Type.String(),
  addedAt: Type.String({ format: 'date-time' }),
});

const Agreement = Type.Object({
  totalFen: Type.Integer(),
  instalments: Type.Array(Type.Object({ dueDate: Type.String(), amountFen: Type.Integer() })),
  terms: Type.String(),
  signedOn: Type.String(),
});

export const MediationSession = Type.Object({
  id: Uuid,
  heldAt: Type.String({ format: 'date-time' }),
  place: Type.String(),
  participants: Type.Array(Type.String()),
  notes: Type.String(),
});

const Payment = Type.Object({ id: Uuid, amountFen: Type.Integer(), paidOn: Type.String(), note: Type.String() });

/** What the worker (and every viewer) sees. */
export const AppealView = Type.Object({
  id: Uuid,
  code: Type.String(),
  type: Type.String(),
  channel: Type.String(),
  status: StatusSchema,
  description: Type.String(),
  respondent: Type.Object({ kind: Type.String(), name: Type.String(), uscc: Type.Union([Type.String(), Type.Null()]) }),
  amountClaimedFen: Type.Integer(),
  recoveredFen: Type.Integer(),
  areaCode: Type.String(),
  areaName: Type.String({ description: 'the area’s name (the code when unknown)' }),
  submittedAt: Type.String({ format: 'date-time' }),
  deadlines: Deadlines,
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
  referral: Type.Union([Type.Object({ kind: Type.String(), reference: Type.String() }), Type.Null()]),
  satisfaction: Type.Union([Type.String(), Type.Null()]),
  satisfactionReason: Type.Union([Type.String(), Type.Null()]),
  canRate: Type.Boolean(),
  canReopen: Type.Boolean(),
  caseId: Type.Union([Uuid, Type.Null()]),
  assignees: Type.Array(Assignee),
  evidence: Type.Array(Evidence),
  mediation: Type.Object({ sessions: Type.Array(MediationSession), agreement: Type.Union([Agreement, Type.Null()]), payments: Type.Array(Payment) }),
  timeline: Type.Array(AppealEvent),
});
export type AppealView = Static<typeof AppealView>;

/** Staff also see the (audited) contact and internal events. */
export const StaffAppealView = Type.Object({
    ...AppealView.properties,
    workerId: Type.Union([Uuid, Type.Null()]),
    contact: Type.Object({ phoneMasked: Type.Union([Type.String(), Type.Null()]), nameMasked: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]) }),
    departmentId: Type.Union([Uuid, Type.Null()]),
    recordedBy: Type.Union([Uuid, Type.Null()]),
    reopenCount: Type.Integer(),
    version: Type.Integer(),
});
export type StaffAppealView = Static<typeof StaffAppealView>;

export const AppealSummary = Type.Object({
  id: Uuid,
  code: Type.String(),
  type: Type.String(),
  channel: Type.String(),
  status: StatusSchema,
  respondentName: Type.String(),
  amountClaimedFen: Type.Integer(),
  recoveredFen: Type.Integer(),
  areaCode: Type.String(),
  areaName: Type.String({ description: 'the area’s name (the code when unknown)' }),
  submittedAt: Type.String({ format: 'date-time' }),
  deadlines: Deadlines,
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  nameMasked: Type.Union([Type.String(), Type.Null()]),
  caseId: Type.Union([Uuid, Type.Null()]),
});
export type AppealSummary = Static<typeof AppealSummary>;

export const MineQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type MineQuery = Static<typeof MineQuery>;

export const StaffListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  status: Type.Optional(StatusSchema),
  type: Type.Optional(TypeSchema),
  channel: Type.Optional(oneOf(appealChannels)),
  areaCode: Type.Optional(AreaCode),
  caseId: Type.Optional(Uuid),
  overdue: Type.Optional(Type.Boolean()),
  mine: Type.Optional(Type.Boolean({ description: 'only appeals I am assigned to' })),
  q: Type.Optional(Type.String({ maxLength: 40, description: 'appeal code or respondent name' })),
});
export type StaffListQuery = Static<typeof StaffListQuery>;

/** The staff queue's filters, for the XLSX export (at most APPEAL_EXPORT_MAX_ROWS rows). */
export const ExportQuery = Type.Omit(StaffListQuery, ['page', 'pageSize']);
export type ExportQuery = Static<typeof ExportQuery>;
export const APPEAL_EXPORT_MAX_ROWS = 5000;

export const Note = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) });
export type Note = Static<typeof Note>;

export const AssigneeAdd = Type.Object({ staffId: Uuid, role: oneOf(assigneeRoles) });
export type AssigneeAdd = Static<typeof AssigneeAdd>;

export const Resolve = Type.Object({
  outcome: oneOf(['recovered', 'agreement', 'answered', 'not_supported', 'withdrawn'] as const),
  resolution: str(4000, 2),
});
export type Resolve = Static<typeof Resolve>;

export const Referral = Type.Object({
  kind: Type.Union([Type.Literal('arbitration'), Type.Literal('court')]),
  reference: str(100),
  resolution: str(4000, 2),
});
export type Referral = Static<typeof Referral>;

export const ReturnVisit = Type.Object({
  method: Type.Union([Type.Literal('phone'), Type.Literal('app')]),
  satisfaction: oneOf(satisfactionLevels),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type ReturnVisit = Static<typeof ReturnVisit>;

export const Rating = Type.Object({
  satisfaction: oneOf(satisfactionLevels),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type Rating = Static<typeof Rating>;

export const Reopen = Type.Object({ reason: str(1000, 2) });
export type Reopen = Static<typeof Reopen>;

export const SessionInput = Type.Object({
  heldAt: Type.String({ format: 'date-time' }),
  place: str(200),
  participants: Type.Array(str(100), { minItems: 1, maxItems: 30 }),
  notes: Type.Optional(Type.String({ maxLength: 8000 })),
});
export type SessionInput = Static<typeof SessionInput>;

export const AgreementInput = Type.Object({
  instalments: Type.Array(Type.Object({ dueDate: DateOnly, amountFen: PositiveFen }), { minItems: 1, maxItems: 36 }),
  terms: Type.Optional(Type.String({ maxLength: 8000 })),
  signedOn: DateOnly,
});
export type AgreementInput = Static<typeof AgreementInput>;

export const PaymentInput = Type.Object({ amountFen: PositiveFen, paidOn: DateOnly, note: Type.Optional(Type.String({ maxLength: 500 })) });
export type PaymentInput = Static<typeof PaymentInput>;

export const AppealRule = Type.Object({
  id: Uuid,
  type: Type.Union([TypeSchema, Type.Null()]),
  areaPrefix: Type.String(),
  stationHeadId: Type.Union([Uuid, Type.Null()]),
  streetOfficerId: Type.Union([Uuid, Type.Null()]),
  industryOfficerId: Type.Union([Uuid, Type.Null()]),
  departmentId: Type.Union([Uuid, Type.Null()]),
  priority: Type.Integer(),
  active: Type.Boolean(),
  note: Type.String(),
  names: Type.Record(Type.String(), Type.String(), { description: 'staff id → display name, for the people on the rule' }),
});
export type AppealRule = Static<typeof AppealRule>;

export const AppealRuleInput = Type.Object({
  type: Type.Optional(Type.Union([TypeSchema, Type.Null()])),
  areaPrefix: AreaCode,
  stationHeadId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  streetOfficerId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  industryOfficerId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  departmentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
  active: Type.Optional(Type.Boolean()),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});
export type AppealRuleInput = Static<typeof AppealRuleInput>;

export const AppealSettings = Type.Object({
  ackHours: Type.Integer({ minimum: 1, maximum: 720 }),
  ackRemindHoursBefore: Type.Integer({ minimum: 0, maximum: 720 }),
  resolveRemindHoursBefore: Type.Integer({ minimum: 0, maximum: 720 }),
  resolveDays: Type.Object(Object.fromEntries(appealTypes.map((t) => [t, Type.Integer({ minimum: 1, maximum: 120 })])) as Record<AppealType, ReturnType<typeof Type.Integer>>),
});
export type AppealSettings = Static<typeof AppealSettings>;

export const CaseCreate = Type.Object({
  title: str(200),
  appealIds: Type.Array(Uuid, { minItems: 2, maxItems: 500 }),
  leadStaffId: Uuid,
  members: Type.Optional(Type.Array(Type.Object({ staffId: Uuid, role: oneOf(assigneeRoles) }), { maxItems: 50 })),
});
export type CaseCreate = Static<typeof CaseCreate>;

export const CaseAddAppeals = Type.Object({ appealIds: Type.Array(Uuid, { minItems: 1, maxItems: 500 }) });
export type CaseAddAppeals = Static<typeof CaseAddAppeals>;

export const CollectiveCase = Type.Object({
  id: Uuid,
  code: Type.String(),
  title: Type.String(),
  respondentName: Type.String(),
  respondentUscc: Type.Union([Type.String(), Type.Null()]),
  areaCode: Type.String(),
  leadStaffId: Uuid,
  status: Type.String(),
  members: Type.Array(Type.Object({ staffId: Uuid, role: Type.String(), displayName: Type.String() })),
  appeals: Type.Array(AppealSummary),
  amountClaimedFen: Type.Integer(),
  recoveredFen: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  summary: Type.Union([Type.String(), Type.Null()]),
});
export type CollectiveCase = Static<typeof CollectiveCase>;

export const caseStatuses = ['open', 'closed'] as const;

export const CaseListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  status: Type.Optional(oneOf(caseStatuses)),
  q: Type.Optional(Type.String({ maxLength: 40, description: 'case code, title or respondent name' })),
});
export type CaseListQuery = Static<typeof CaseListQuery>;

export const CaseListItem = Type.Object({
  id: Uuid,
  code: Type.String(),
  title: Type.String(),
  respondentName: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  status: oneOf(caseStatuses),
  leadStaffId: Uuid,
  leadName: Type.String(),
  appealCount: Type.Integer(),
  amountClaimedFen: Type.Integer(),
  recoveredFen: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type CaseListItem = Static<typeof CaseListItem>;

export const CaseMemberAdd = Type.Object({ staffId: Uuid, role: oneOf(assigneeRoles) });
export type CaseMemberAdd = Static<typeof CaseMemberAdd>;

export const CaseClose = Type.Object({ summary: str(4000, 2) });
export type CaseClose = Static<typeof CaseClose>;

export const metricDimensions = ['type', 'department', 'area', 'month'] as const;
export const MetricsQuery = Type.Object({
  by: oneOf(metricDimensions),
  from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'first month (Asia/Shanghai), YYYY-MM' })),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'last month (Asia/Shanghai), YYYY-MM' })),
  areaCode: Type.Optional(AreaCode),
  areaLevel: Type.Optional(Type.Union([Type.Literal(6), Type.Literal(9), Type.Literal(12)], { description: 'by=area: group by district (6), street (9) or community (12)' })),
});
export type MetricsQuery = Static<typeof MetricsQuery>;

export const MetricsRow = Type.Object({
  key: Type.Union([Type.String(), Type.Null()]),
  received: Type.Integer(),
  closed: Type.Integer(),
  closedOnTime: Type.Integer(),
  rated: Type.Integer(),
  satisfied: Type.Integer({ description: 'satisfied + basically satisfied' }),
  satisfactionRate: Type.Union([Type.Number(), Type.Null()]),
  recoveredFen: Type.Integer(),
});
export type MetricsRow = Static<typeof MetricsRow>;
