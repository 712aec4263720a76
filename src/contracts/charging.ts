import { Type, type Static, type TSchema } from 'typebox';

/**
 * Charging (充换电): the operator/device API that pushes swap-cabinet (换电柜) state, and the admin
 * screens for operators and their cabinets. The public view of a cabinet is `CabinetStatus` in places.ts.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

/** available: online, fresh heartbeat, a battery ready · empty: online, fresh, none ready · offline: the fresh heartbeat says offline · unknown: no heartbeat within the stale limit. */
export const cabinetStates = ['available', 'empty', 'offline', 'unknown'] as const;
export type CabinetState = (typeof cabinetStates)[number];

export const API_KEY_HEADER = 'x-api-key';
/** Keys look like `yk_<43 base64url characters>`; the first 8 characters are shown to recognise one. */
export const API_KEY_PREFIX = 'yk_';
export const MAX_HEARTBEATS_PER_BATCH = 500;
export const MAX_SLOTS = 1000;

// ---- operator API (X-Api-Key) ----

export const ExternalIdParams = Type.Object({
  externalId: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', description: 'the operator’s own id of the cabinet (letters, digits . _ : -)' }),
});
export type ExternalIdParams = Static<typeof ExternalIdParams>;

export const CabinetUpsert = Type.Object({
  placeId: Type.String({ pattern: '^\\d{1,18}$', description: 'id of the charging site (a place of type charging in the operator’s city)' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'shown to riders; default: the external id' })),
  slots: Type.Integer({ minimum: 1, maximum: MAX_SLOTS, description: 'battery slots in the cabinet' }),
  readyBatteries: Type.Integer({ minimum: 0, maximum: MAX_SLOTS, description: 'charged batteries ready to swap; at most `slots`' }),
  online: Type.Boolean(),
});
export type CabinetUpsert = Static<typeof CabinetUpsert>;

export const Heartbeat = Type.Object({
  externalId: ExternalIdParams.properties.externalId,
  slots: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SLOTS, description: 'only when it changed' })),
  readyBatteries: Type.Integer({ minimum: 0, maximum: MAX_SLOTS }),
  online: Type.Boolean(),
});
export type Heartbeat = Static<typeof Heartbeat>;

export const HeartbeatBatch = Type.Object({
  cabinets: Type.Array(Heartbeat, { minItems: 1, maxItems: MAX_HEARTBEATS_PER_BATCH }),
});
export type HeartbeatBatch = Static<typeof HeartbeatBatch>;

export const HeartbeatItemError = Type.Object({
  index: Type.Integer({ description: '0-based position in `cabinets`' }),
  externalId: Type.String(),
  code: Type.String({ description: 'charging.cabinet_not_found (register it first with PUT /cabinets/{externalId}) or request.invalid' }),
  message: Type.String(),
});
export type HeartbeatItemError = Static<typeof HeartbeatItemError>;

export const HeartbeatBatchResult = Type.Object({
  applied: Type.Integer({ description: 'heartbeats recorded' }),
  errors: Type.Array(HeartbeatItemError, { description: 'the items not applied; the others were' }),
  receivedAt: Type.String({ format: 'date-time' }),
});
export type HeartbeatBatchResult = Static<typeof HeartbeatBatchResult>;

/** A cabinet as its operator sees it after a write. */
export const OperatorCabinet = Type.Object({
  externalId: Type.String(),
  placeId: Type.String(),
  name: Type.String(),
  slots: Type.Integer(),
  readyBatteries: Type.Integer(),
  online: Type.Boolean(),
  state: enumOf(cabinetStates),
  lastHeartbeatAt: Type.String({ format: 'date-time' }),
});
export type OperatorCabinet = Static<typeof OperatorCabinet>;

// ---- admin ----

export const ChargingOperator = Type.Object({
  id: Type.String(),
  name: Type.String(),
  keyPrefix: Type.String({ description: 'first 8 characters of the current key' }),
  disabled: Type.Boolean(),
  disabledAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  rotatedAt: Nullable(Type.String({ format: 'date-time' })),
  cabinets: Type.Integer({ description: 'cabinets registered by this operator' }),
});
export type ChargingOperator = Static<typeof ChargingOperator>;

export const OperatorCreate = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 60, description: 'brand, e.g. 铁塔换电' }),
});
export type OperatorCreate = Static<typeof OperatorCreate>;

/** The only time a key is shown: after create and rotate. It cannot be read again. */
export const OperatorWithKey = Type.Object({
  operator: ChargingOperator,
  apiKey: Type.String({ description: 'send as the X-Api-Key header; shown once, stored only as a hash' }),
});
export type OperatorWithKey = Static<typeof OperatorWithKey>;

export const CabinetListQuery = Type.Object({
  state: Type.Optional(enumOf(cabinetStates)),
  placeId: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
  operatorId: Type.Optional(Type.String({ format: 'uuid' })),
  q: Type.Optional(Type.String({ maxLength: 60, description: 'cabinet name or external id contains' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});
export type CabinetListQuery = Static<typeof CabinetListQuery>;

export const AdminCabinet = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  name: Type.String(),
  placeId: Type.String(),
  placeName: Nullable(Type.String()),
  operatorId: Type.String(),
  operatorName: Type.String(),
  slots: Type.Integer(),
  readyBatteries: Nullable(Type.Integer({ description: 'null when the state is unknown' })),
  reportedReadyBatteries: Type.Integer({ description: 'as last reported, however old' }),
  online: Type.Boolean({ description: 'as last reported' }),
  state: enumOf(cabinetStates),
  lastHeartbeatAt: Nullable(Type.String({ format: 'date-time' })),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AdminCabinet = Static<typeof AdminCabinet>;
