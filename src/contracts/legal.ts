import { Type, type Static, type TSchema } from 'typebox';
import { appealTypes, respondentKinds } from './appeals.js';

/** 法帮新: legal questions a worker asks and a lawyer from the roster (律师库) answers within a deadline. */
export const questionStatuses = ['unassigned', 'assigned', 'needs_info', 'answered'] as const;
export type QuestionStatus = (typeof questionStatuses)[number];

export const questionRatings = ['helpful', 'not_helpful'] as const;
export type QuestionRating = (typeof questionRatings)[number];

export const messageKinds = ['question', 'answer', 'info_request', 'info_reply', 'follow_up', 'declined', 'assigned', 'reminded', 'escalated', 'rated', 'appeal'] as const;
export type MessageKind = (typeof messageKinds)[number];

/** Defaults an operator can change per city (GET/PUT /api/admin/legal/settings). */
export const LEGAL_DEFAULTS = { answerDays: 2, remindHoursBefore: 4, maxOpen: 10, followUps: 1 } as const;

const oneOf = <T extends readonly string[]>(values: T, opts: { description?: string } = {}) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
const str = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Uuid = Type.String({ format: 'uuid' });
const AreaCode = Type.String({ pattern: '^\\d{4,12}$' });
const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000_00, description: 'integer fen (分)' });
const ClientId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'generated on the device: a retry with the same clientId returns the first question' });
const TypeSchema = oneOf(appealTypes);
const When = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const QuestionAsk = Type.Object({
  clientId: ClientId,
  type: TypeSchema,
  question: str(4000, 5),
  amountFen: Type.Optional(Fen),
  employer: Type.Optional(str(100)),
  anonymous: Type.Optional(Type.Boolean({ default: false, description: 'hide who asked if the question is ever shown to the public (and from the lawyer)' })),
});
export type QuestionAsk = Static<typeof QuestionAsk>;

export const TextInput = Type.Object({ text: str(4000, 2) });
export type TextInput = Static<typeof TextInput>;

export const Decline = Type.Object({ reason: str(500, 2) });
export type Decline = Static<typeof Decline>;

export const RateInput = Type.Object({ rating: oneOf(questionRatings) });
export type RateInput = Static<typeof RateInput>;

export const AssignInput = Type.Object({ lawyerId: Uuid });
export type AssignInput = Static<typeof AssignInput>;

/** Turn an answered question into an appeal: pre-filled from the question; the respondent is needed when the question named no employer. */
export const ToAppeal = Type.Object({
  type: Type.Optional(TypeSchema),
  description: Type.Optional(str(4000, 5)),
  respondent: Type.Optional(Type.Object({ kind: oneOf(respondentKinds), name: str(100) })),
  amountClaimedFen: Type.Optional(Fen),
});
export type ToAppeal = Static<typeof ToAppeal>;

export const QuestionMessage = Type.Object({
  id: Type.Integer(),
  at: When,
  kind: oneOf(messageKinds),
  authorKind: oneOf(['worker', 'staff', 'system'] as const),
  authorName: Nullable(Type.String()),
  body: Type.String(),
});
export type QuestionMessage = Static<typeof QuestionMessage>;

export const QuestionSummary = Type.Object({
  id: Uuid,
  code: Type.String(),
  type: TypeSchema,
  status: oneOf(questionStatuses),
  excerpt: Type.String(),
  askedAt: When,
  deadlineAt: When,
  overdue: Type.Boolean(),
  needsReassign: Type.Boolean(),
  lawyerId: Nullable(Uuid),
  lawyerName: Nullable(Type.String()),
  areaCode: Type.String(),
  appealId: Nullable(Uuid),
});
export type QuestionSummary = Static<typeof QuestionSummary>;

export const QuestionView = Type.Object({
  ...QuestionSummary.properties,
  question: Type.String(),
  amountFen: Nullable(Type.Integer()),
  employer: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  lawFirm: Nullable(Type.String()),
  firstAnsweredAt: Nullable(When),
  answeredOnTime: Nullable(Type.Boolean()),
  rating: Nullable(oneOf(questionRatings)),
  canReply: Type.Boolean(),
  canFollowUp: Type.Boolean(),
  canRate: Type.Boolean(),
  canTurnIntoAppeal: Type.Boolean(),
  messages: Type.Array(QuestionMessage),
});
export type QuestionView = Static<typeof QuestionView>;

/** What staff see: the worker masked (nothing at all for an anonymous question, except to operators). */
export const StaffQuestionView = Type.Object({
  ...QuestionView.properties,
  worker: Type.Object({ phoneMasked: Nullable(Type.String()), nameMasked: Nullable(Type.String()) }),
  declinedBy: Type.Array(Uuid),
  canAnswer: Type.Boolean(),
  canAssign: Type.Boolean(),
});
export type StaffQuestionView = Static<typeof StaffQuestionView>;

export const MineQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type MineQuery = Static<typeof MineQuery>;

export const StaffQuestionsQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  scope: Type.Optional(oneOf(['mine', 'unassigned', 'all'] as const, { description: 'mine: assigned to me (default for lawyers); unassigned and all: operators' })),
  status: Type.Optional(oneOf(questionStatuses)),
  type: Type.Optional(TypeSchema),
  overdue: Type.Optional(Type.Boolean()),
  needsReassign: Type.Optional(Type.Boolean()),
});
export type StaffQuestionsQuery = Static<typeof StaffQuestionsQuery>;

export const LawyerInput = Type.Object({
  lawFirm: str(100, 2),
  specialities: Type.Array(TypeSchema, { minItems: 1, maxItems: appealTypes.length, uniqueItems: true }),
  areas: Type.Array(AreaCode, { minItems: 1, maxItems: 50, uniqueItems: true }),
  active: Type.Boolean(),
  maxOpen: Type.Integer({ minimum: 1, maximum: 500 }),
});
export type LawyerInput = Static<typeof LawyerInput>;

export const Lawyer = Type.Object({
  staffId: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  areaCode: Type.String(),
  profile: Nullable(
    Type.Object({
      lawFirm: Type.String(),
      specialities: Type.Array(TypeSchema),
      areas: Type.Array(Type.String()),
      active: Type.Boolean(),
      maxOpen: Type.Integer(),
      updatedAt: When,
    }),
  ),
  openQuestions: Type.Integer(),
});
export type Lawyer = Static<typeof Lawyer>;

export const StaffIdParams = Type.Object({ staffId: Uuid });

export const LegalSettings = Type.Object({
  answerDays: Type.Integer({ minimum: 1, maximum: 30, description: 'working days to answer (Asia/Shanghai work calendar)' }),
  remindHoursBefore: Type.Integer({ minimum: 0, maximum: 240 }),
});
export type LegalSettings = Static<typeof LegalSettings>;

export const LegalMetricsQuery = Type.Object({
  from: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'first month (Asia/Shanghai), YYYY-MM' })),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'last month (Asia/Shanghai), YYYY-MM' })),
  areaCode: Type.Optional(AreaCode),
});
export type LegalMetricsQuery = Static<typeof LegalMetricsQuery>;

export const LegalMetricsRow = Type.Object({
  month: Type.String({ description: 'YYYY-MM (Asia/Shanghai) of asking' }),
  type: TypeSchema,
  received: Type.Integer(),
  answered: Type.Integer(),
  answeredOnTime: Type.Integer(),
  medianHoursToAnswer: Nullable(Type.Number()),
});
export type LegalMetricsRow = Static<typeof LegalMetricsRow>;

export const ToAppealResult = Type.Object({ appealId: Uuid, created: Type.Boolean(), question: QuestionView });
export type ToAppealResult = Static<typeof ToAppealResult>;
