import { Type, type Static, type TSchema } from 'typebox';

/**
 * Merchant certification (进管出): application with the 统一社会信用代码, review (inspection), certification,
 * complaints and warnings, suspension, reinstatement, exit. Only certified merchants are shown to workers.
 * The USCC validator is shared with the admin console's form.
 */
export { checkUscc, isValidUscc, normaliseUscc, usccCheckChar, usccProblemMessages, type UsccProblem } from '../shared/uscc.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const merchantStates = ['applied', 'reviewed', 'certified', 'rejected', 'suspended', 'exited'] as const;
export type MerchantState = (typeof merchantStates)[number];

export const merchantEventKinds = ['applied', 'reviewed', 'rejected', 'certified', 'complaint', 'warning', 'suspended', 'reinstated', 'exited'] as const;
export type MerchantEventKind = (typeof merchantEventKinds)[number];

/** What staff can do to a certification; each route is one action. */
export const merchantActions = ['review', 'certify', 'complaint', 'warning', 'suspend', 'reinstate', 'exit'] as const;
export type MerchantAction = (typeof merchantActions)[number];

/**
 * The states each action may start from. `review` moves applied → reviewed, or rejects (from applied
 * or reviewed); rejected and exited are final.
 */
export const merchantActionFrom: Record<MerchantAction, readonly MerchantState[]> = {
  review: ['applied', 'reviewed'],
  certify: ['reviewed'],
  complaint: ['applied', 'reviewed', 'certified', 'suspended'],
  warning: ['certified', 'suspended'],
  suspend: ['certified'],
  reinstate: ['suspended'],
  exit: ['applied', 'reviewed', 'certified', 'suspended'],
};

/** Warnings within this many months suspend a certified merchant automatically. */
export const WARNINGS_TO_SUSPEND = 3;
export const WARNING_WINDOW_MONTHS = 12;

const Note = (min: number, description?: string) => Type.String({ minLength: min, maxLength: 500, ...(description ? { description } : {}) });

export const MerchantApplicationInput = Type.Object({
  placeId: Type.String({ pattern: '^\\d{1,18}$', description: 'a place of type merchant' }),
  uscc: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码 (GB 32100-2015), checked by its check character' }),
  legalName: Type.String({ minLength: 2, maxLength: 100, description: 'the name on the business licence' }),
  contactName: Type.String({ minLength: 1, maxLength: 30 }),
  contactPhone: Type.String({ minLength: 7, maxLength: 20, description: 'mobile or landline (0574-…); stored encrypted, shown masked' }),
});
export type MerchantApplicationInput = Static<typeof MerchantApplicationInput>;

export const MerchantListQuery = Type.Object({
  state: Type.Optional(enumOf(merchantStates)),
  q: Type.Optional(Type.String({ maxLength: 60, description: 'merchant place name, licence name or USCC contains' })),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});
export type MerchantListQuery = Static<typeof MerchantListQuery>;

export const ReviewInput = Type.Object({
  approve: Type.Boolean({ description: 'true: inspection passed (applied → reviewed); false: rejected' }),
  note: Type.Optional(Note(0, 'inspection notes; required (2+ characters) to reject')),
});
export type ReviewInput = Static<typeof ReviewInput>;

export const NoteInput = Type.Object({ note: Note(2) });
export type NoteInput = Static<typeof NoteInput>;
export const OptionalNoteInput = Type.Object({ note: Type.Optional(Note(0)) });
export type OptionalNoteInput = Static<typeof OptionalNoteInput>;
export const ReasonInput = Type.Object({ reason: Note(2) });
export type ReasonInput = Static<typeof ReasonInput>;

export const MerchantApplication = Type.Object({
  id: Type.String(),
  placeId: Type.String(),
  placeName: Nullable(Type.String()),
  areaCode: Type.String(),
  areaName: Type.String(),
  uscc: Type.String(),
  legalName: Type.String(),
  contactNameMasked: Type.String(),
  contactPhoneMasked: Type.String(),
  state: enumOf(merchantStates),
  warnings: Type.Integer({ description: `warnings in the last ${WARNING_WINDOW_MONTHS} months that count towards suspension` }),
  complaints: Type.Integer({ description: 'complaints on record' }),
  appliedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  /** The actions the caller may take now (state and role). */
  actions: Type.Array(enumOf(merchantActions)),
});
export type MerchantApplication = Static<typeof MerchantApplication>;

export const MerchantEvent = Type.Object({
  id: Type.String(),
  kind: enumOf(merchantEventKinds),
  note: Nullable(Type.String()),
  automatic: Type.Boolean({ description: 'made by a rule (three warnings within 12 months suspend), not by a person' }),
  actorName: Type.String(),
  at: Type.String({ format: 'date-time' }),
});
export type MerchantEvent = Static<typeof MerchantEvent>;

export const MerchantApplicationDetail = Type.Object({
  ...MerchantApplication.properties,
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
  certifiedAt: Nullable(Type.String({ format: 'date-time' })),
  suspendedAt: Nullable(Type.String({ format: 'date-time' })),
  closedAt: Nullable(Type.String({ format: 'date-time', description: 'rejected or exited at' })),
  events: Type.Array(MerchantEvent, { description: 'the timeline, oldest first' }),
});
export type MerchantApplicationDetail = Static<typeof MerchantApplicationDetail>;
