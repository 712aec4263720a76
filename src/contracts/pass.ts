import { Type, type Static, type TSchema } from 'typebox';
import { industries } from './workers.js';
import { passGrants, passPlatforms, passReasons, revocationReasons } from './pass-token.js';

export * from './pass-token.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = <T extends readonly string[]>(values: T, description?: string) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const DateTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });

export const passStatuses = ['active', 'frozen', 'revoked'] as const;
export type PassStatus = (typeof passStatuses)[number];
/** Version of the separate consent to keep scan records (movement trail); bump when its text changes (i18n pass.consent.*). */
export const SCAN_CONSENT_VERSION = '2026-11-23';
/** Scan records are deleted this many days after the scan. */
export const SCAN_RETENTION_DAYS = 180;

// ---------------------------------------------------------------- public

export const Jwk = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String(),
  kid: Type.String(),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
});
export const Jwks = Type.Object({ keys: Type.Array(Jwk) }, { description: 'RFC 7517 key set: every key that signs passes or may still verify one' });
export type Jwks = Static<typeof Jwks>;

export const TrustKeySchema = Type.Object({ kid: Type.String(), alg: Type.Literal('EdDSA'), x: Type.String(), status: Enum(['next', 'active', 'retired'] as const) });
export const TrustBundleSchema = Type.Object({
  v: Type.Literal(1),
  city: Type.String(),
  version: Type.Integer(),
  issuedAt: Type.Integer({ description: 'server time, ms since epoch' }),
  keys: Type.Array(TrustKeySchema),
  status: Type.Object({ size: Type.Integer(), bits: Type.String({ description: 'base64url bitstring; bit i = byte i>>3, most significant bit first' }) }),
  reasons: Type.Record(Type.String(), Enum(revocationReasons)),
});
export const SignedBundle = Type.Object({
  jws: Type.String({ description: 'compact JWS (EdDSA, typ "ya-bundle+jws") whose payload is the bundle JSON, signed by an active issuer key' }),
  bundle: TrustBundleSchema,
});
export type SignedBundle = Static<typeof SignedBundle>;

// ---------------------------------------------------------------- worker

export const PassToken = Type.Object({
  token: Type.String(),
  /** When the app should start showing it (its issued-at). */
  showFrom: DateTime(),
  expiresAt: DateTime(),
});
export const MyPass = Type.Object({
  status: Enum(passStatuses),
  /** Why it is frozen or revoked. */
  reason: Nullable(Enum(revocationReasons)),
  note: Nullable(Type.String()),
  nameMasked: Nullable(Type.String()),
  industry: Nullable(Enum(industries)),
  platform: Enum(passPlatforms),
  level: Type.Integer({ minimum: 1, maximum: 2 }),
  /** Pre-signed tokens, one per 30 s slot from now; empty unless active. */
  tokens: Type.Array(PassToken),
  serverTime: DateTime(),
  refreshSeconds: Type.Integer(),
});
export type MyPass = Static<typeof MyPass>;

export const ScanConsent = Type.Object({
  granted: Type.Boolean(),
  version: Type.String({ description: 'the consent text version the answer refers to' }),
  currentVersion: Type.String(),
  answeredAt: Nullable(DateTime()),
});
export type ScanConsent = Static<typeof ScanConsent>;
export const ScanConsentInput = Type.Object({ granted: Type.Boolean(), version: Type.String({ maxLength: 20 }) });
export type ScanConsentInput = Static<typeof ScanConsentInput>;

/** One scan of the worker's own pass, as the worker sees it. */
export const MyScan = Type.Object({
  id: Type.String(),
  scannedAt: DateTime(),
  placeId: Nullable(Type.String()),
  placeName: Nullable(Type.String()),
  placeType: Nullable(Type.String()),
  scannerName: Type.String({ description: 'the scanning account, masked, e.g. 门岗 王*' }),
  verdict: Enum(['green', 'yellow', 'red'] as const),
  reason: Enum(passReasons),
  grants: Type.Array(Enum(passGrants)),
  /** What the scanner's screen showed about the worker. */
  shown: Type.Array(Type.String({ description: 'nameMasked | industry | platform | level | secondsLeft' })),
  offline: Type.Boolean(),
});
export type MyScan = Static<typeof MyScan>;

// ---------------------------------------------------------------- scanner

export const ScannerPlace = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  areaName: Nullable(Type.String()),
  policy: Type.Array(
    Type.Object({
      grant: Enum(passGrants),
      industries: Type.Array(Enum(industries)),
      minLevel: Type.Integer({ minimum: 1, maximum: 2 }),
      note: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    }),
  ),
});
export type ScannerPlace = Static<typeof ScannerPlace>;
export const ScannerContext = Type.Object({
  places: Type.Array(ScannerPlace, { description: 'places this scanner account may scan for (operators: none bound → they pick any place id)' }),
  serverTime: DateTime(),
});
export type ScannerContext = Static<typeof ScannerContext>;

export const ScanVerifyInput = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 1024 }),
  placeId: Type.String({ pattern: '^\\d+$' }),
  /** Client-generated id of this scan: a retry is the same scan. */
  eventId: Type.String({ format: 'uuid' }),
});
export type ScanVerifyInput = Static<typeof ScanVerifyInput>;

export const PendingPickup = Type.Object({ orderId: Type.String(), title: Type.String(), cost: Type.Integer(), createdAt: DateTime() });
export const ScanVerifyResult = Type.Object({
  verdict: Enum(['green', 'yellow', 'red'] as const),
  reason: Enum(passReasons),
  revocation: Nullable(Enum(revocationReasons)),
  grants: Type.Array(Enum(passGrants)),
  nameMasked: Nullable(Type.String()),
  industry: Nullable(Enum(industries)),
  platform: Nullable(Enum(passPlatforms)),
  level: Nullable(Type.Integer()),
  secondsLeft: Nullable(Type.Integer()),
  /** The same token was already seen at another place: a probable copy (flagged for staff). */
  cloneSuspected: Type.Boolean(),
  /** Points orders waiting to be picked up at this place (when the policy grants reward_pickup). */
  pickups: Type.Array(PendingPickup),
});
export type ScanVerifyResult = Static<typeof ScanVerifyResult>;

export const OfflineScan = Type.Object({
  id: Type.String({ format: 'uuid' }),
  token: Type.String({ minLength: 1, maxLength: 1024 }),
  placeId: Type.String({ pattern: '^\\d+$' }),
  scannedAt: DateTime(),
  verdict: Enum(['green', 'yellow', 'red'] as const),
  reason: Enum(passReasons),
  grants: Type.Array(Enum(passGrants)),
  shown: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 }),
});
export type OfflineScan = Static<typeof OfflineScan>;
export const OfflineScanUpload = Type.Object({ events: Type.Array(OfflineScan, { minItems: 1, maxItems: 500 }) });
export type OfflineScanUpload = Static<typeof OfflineScanUpload>;
export const OfflineScanUploadResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer({ description: 'events already uploaded (retries)' }),
  clones: Type.Integer({ description: 'events whose token was also seen at another place' }),
});

export const PickupInput = Type.Object({ token: Type.String({ minLength: 1, maxLength: 1024 }), placeId: Type.String({ pattern: '^\\d+$' }), orderId: Type.String({ format: 'uuid' }) });
export type PickupInput = Static<typeof PickupInput>;

// ---------------------------------------------------------------- admin

export const AdminPass = Type.Object({
  workerId: Type.String(),
  phoneMasked: Type.String(),
  nameMasked: Nullable(Type.String()),
  areaCode: Nullable(Type.String()),
  status: Nullable(Enum(passStatuses, 'null: no pass issued yet')),
  reason: Nullable(Enum(revocationReasons)),
  note: Nullable(Type.String()),
  issuedAt: Nullable(DateTime()),
  changedAt: Nullable(DateTime()),
  changedBy: Nullable(Type.String()),
});
export type AdminPass = Static<typeof AdminPass>;
export const RevokeInput = Type.Object({
  reason: Enum(['lost_phone', 'fraud', 'verification_withdrawn', 'other'] as const),
  note: Type.String({ minLength: 2, maxLength: 200 }),
});
export type RevokeInput = Static<typeof RevokeInput>;

export const PassKeyItem = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  status: Enum(['next', 'active', 'retired', 'revoked'] as const),
  createdAt: DateTime(),
  activatedAt: Nullable(DateTime()),
  retiredAt: Nullable(DateTime()),
});
export type PassKeyItem = Static<typeof PassKeyItem>;

export const PolicyInput = Type.Object({ rules: Type.Array(ScannerPlace.properties.policy.items, { maxItems: 20 }) });
export type PolicyInput = Static<typeof PolicyInput>;
export const ScannerBindingInput = Type.Object({ placeIds: Type.Array(Type.String({ pattern: '^\\d+$' }), { maxItems: 50 }) });
export type ScannerBindingInput = Static<typeof ScannerBindingInput>;

export const PassAlert = Type.Object({
  id: Type.String(),
  kind: Enum(['clone'] as const),
  workerId: Type.String(),
  nameMasked: Nullable(Type.String()),
  places: Type.Array(Type.Object({ id: Type.String(), name: Nullable(Type.String()), scannedAt: DateTime() })),
  detectedAt: DateTime(),
  status: Enum(['open', 'closed'] as const),
});
export type PassAlert = Static<typeof PassAlert>;

export const VisitsQuery = Type.Object({
  month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'Shanghai month; default this month' })),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{4,12}$' })),
});
export type VisitsQuery = Static<typeof VisitsQuery>;
export const VisitsReport = Type.Object({
  month: Type.String(),
  total: Type.Integer(),
  byStreet: Type.Array(Type.Object({ areaCode: Type.String(), areaName: Type.String(), visits: Type.Integer() })),
  byStation: Type.Array(Type.Object({ placeId: Type.String(), name: Type.String(), areaCode: Type.String(), visits: Type.Integer() })),
  byMonth: Type.Array(Type.Object({ month: Type.String(), visits: Type.Integer() }), { description: 'the last 12 months in scope' }),
});
export type VisitsReport = Static<typeof VisitsReport>;

// ---------------------------------------------------------------- scan side: responses (added with the scans module)

/** A place's pass policy as staff edit it; isDefault = the place has none of its own (the default for its type applies). */
export const PassPolicyView = Type.Object({
  placeId: Type.String(),
  rules: PolicyInput.properties.rules,
  isDefault: Type.Boolean(),
});
export type PassPolicyView = Static<typeof PassPolicyView>;

/** A scanner account (staff role scanner) in the caller's area and the places it scans for. */
export const ScannerAccount = Type.Object({
  staffId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  areaCode: Type.String(),
  areaName: Type.String(),
  active: Type.Boolean(),
  places: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), type: Type.String() })),
});
export type ScannerAccount = Static<typeof ScannerAccount>;

/** GET /api/pass/me/scans: a page of the worker's scan history, with the consent it depends on (no consent → empty). */
export const MyScansPage = Type.Object({
  items: Type.Array(MyScan),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  consent: ScanConsent,
});
export type MyScansPage = Static<typeof MyScansPage>;

export const AlertListQuery = Type.Object({
  status: Type.Optional(Enum(['open', 'closed'] as const)),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
export type AlertListQuery = Static<typeof AlertListQuery>;
