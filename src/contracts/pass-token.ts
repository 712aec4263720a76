/**
 * The pass token (甬爱码) and its offline verification — pure and isomorphic: the server, the scanner app
 * (browser, offline) and the tests run this same code. Signing lives on the server (jose); this file
 * only reads tokens.
 *
 * Token = "YA1." + compact JWS (header.payload.signature, base64url). Header {"alg":"EdDSA","kid":…};
 * the algorithm is pinned per kid by the trust bundle, so a token can never choose its own algorithm
 * (alg "none", HS256 … are refused before any crypto runs). Claims are one letter and carry no
 * personal data: p pseudonym, i issued-at, e expiry (seconds), n nonce, s scope bits, x status index.
 */
import { industries, type Industry } from './workers.js';

export const PASS_TOKEN_PREFIX = 'YA1.';
/** A token is valid this long after its issued-at. */
export const PASS_TTL_SECONDS = 90;
/** The worker app shows a new token this often. */
export const PASS_REFRESH_SECONDS = 30;
/** Pre-signed tokens the worker app keeps: 6 × 30 s = 3 minutes without network. */
export const PASS_PRESIGNED = 6;
/** Verifiers accept this much clock difference either way. */
export const PASS_SKEW_SECONDS = 30;
/** A trust bundle older than this gives yellow; older than the second, red. */
export const BUNDLE_AGING_HOURS = 24;
export const BUNDLE_STALE_HOURS = 72;

/** kid → algorithm. Only Ed25519 (JOSE "EdDSA") today; another (e.g. SM2) is added here and in the verifier. */
export const passAlgorithms = ['EdDSA'] as const;
export type PassAlgorithm = (typeof passAlgorithms)[number];

// ---------------------------------------------------------------- scope bits

/** Verification levels a place policy can require: 1 real-name verified, 2 城市合伙人 (city partner). */
export const passLevels = [1, 2] as const;
export type PassLevel = (typeof passLevels)[number];

/** Platforms and companies as 5-bit codes (index in this list); anything else is "other". Labels: i18n pass.platforms.<code>. */
export const passPlatforms = [
  'other', 'meituan', 'eleme', 'sf', 'jd', 'cainiao', 'zto', 'yto', 'sto', 'yunda', 'ems', 'jtexpress',
  'didi', 'caocao', 't3', 'huolala', 'kuaigou', 'dada', 'shansong', 'uu', 'douyin', 'kuaishou', 'hellobike', 'amap',
] as const;
export type PassPlatform = (typeof passPlatforms)[number];

const platformSynonyms: [PassPlatform, RegExp][] = [
  ['meituan', /美团|meituan/i], ['eleme', /饿了么|eleme|ele\.me/i], ['sf', /顺丰|\bsf\b/i], ['jd', /京东|\bjd\b/i],
  ['cainiao', /菜鸟|cainiao/i], ['zto', /中通|\bzto\b/i], ['yto', /圆通|\byto\b/i], ['sto', /申通|\bsto\b/i],
  ['yunda', /韵达|yunda/i], ['ems', /邮政|\bems\b/i], ['jtexpress', /极兔|j&t|jtexpress/i], ['didi', /滴滴|didi/i],
  ['caocao', /曹操|caocao/i], ['t3', /t3出行|\bt3\b/i], ['huolala', /货拉拉|huolala|lalamove/i], ['kuaigou', /快狗|kuaigou/i],
  ['dada', /达达|dada/i], ['shansong', /闪送|shansong/i], ['uu', /uu跑腿|\buu\b/i], ['douyin', /抖音|douyin|tiktok/i],
  ['kuaishou', /快手|kuaishou/i], ['hellobike', /哈啰|hellobike/i], ['amap', /高德|amap/i],
];

/** The platform code for a worker's free-text platform or company ("美团众包" → meituan). */
export function platformCode(text: string | null | undefined): PassPlatform {
  if (!text) return 'other';
  for (const [code, re] of platformSynonyms) if (re.test(text)) return code;
  return 'other';
}

export interface PassScope {
  industry: Industry | null;
  level: PassLevel;
  platform: PassPlatform;
}

/** bits 0–3: industry index + 1 (0 unknown) · bits 4–5: level · bits 6–10: platform index. */
export function packScope(s: PassScope): number {
  const ind = s.industry ? industries.indexOf(s.industry) + 1 : 0;
  const plat = Math.max(0, passPlatforms.indexOf(s.platform));
  return (ind & 0xf) | ((s.level & 0x3) << 4) | ((plat & 0x1f) << 6);
}

export function unpackScope(bits: number): PassScope {
  const ind = bits & 0xf;
  const level = (bits >> 4) & 0x3;
  const plat = (bits >> 6) & 0x1f;
  return {
    industry: ind >= 1 && ind <= industries.length ? industries[ind - 1] : null,
    level: (level >= 2 ? 2 : 1) as PassLevel,
    platform: passPlatforms[plat] ?? 'other',
  };
}

// ---------------------------------------------------------------- trust bundle

export const revocationReasons = ['lost_phone', 'fraud', 'verification_withdrawn', 'frozen', 'other'] as const;
export type RevocationReason = (typeof revocationReasons)[number];

export interface TrustKey {
  kid: string;
  alg: PassAlgorithm;
  /** Ed25519 public key, raw 32 bytes, base64url (the JWK "x"). */
  x: string;
  /** 'next': published, not yet signing; 'active': signing; 'retired': verifying tokens signed before rotation. */
  status: 'next' | 'active' | 'retired';
}

/** What a scanner needs to verify offline. Distributed as a compact JWS signed by an issuer key. */
export interface TrustBundle {
  v: 1;
  city: string;
  /** Monotonic: bumped by every key or status change. */
  version: number;
  /** Server time when the bundle was made (ms since epoch): its age, and the scanner's clock offset. */
  issuedAt: number;
  keys: TrustKey[];
  /** Revocation status list: bit i set = the pass with status index i is refused. base64url of the bytes, bit i = byte i>>3, bit (i & 7) from the most significant. */
  status: { size: number; bits: string };
  /** Why each set bit is set (status index → reason), so the scanner can say why. */
  reasons: Record<string, RevocationReason>;
}

// ---------------------------------------------------------------- place policy

/** What a scan can grant at a place. */
export const passGrants = ['entry', 'elevator', 'checkin', 'discount', 'activity_checkin', 'reward_pickup'] as const;
export type PassGrant = (typeof passGrants)[number];

export interface PassPolicyRule {
  grant: PassGrant;
  /** Industries granted; empty = every industry. */
  industries: Industry[];
  minLevel: PassLevel;
  /** Free text shown to the guard, e.g. "3号楼货梯 7:00–22:00". */
  note?: string | null;
}

/** The grants a policy gives a holder of this scope. */
export function grantsFor(policy: readonly PassPolicyRule[], scope: PassScope): PassGrant[] {
  const out: PassGrant[] = [];
  for (const r of policy) {
    if (scope.level < r.minLevel) continue;
    if (r.industries.length > 0 && (!scope.industry || !r.industries.includes(scope.industry))) continue;
    if (!out.includes(r.grant)) out.push(r.grant);
  }
  return out;
}

// ---------------------------------------------------------------- decoding

export interface PassClaims {
  p: string;
  i: number;
  e: number;
  n: string;
  s: number;
  x: number;
}

export interface DecodedToken {
  header: { alg: string; kid: string };
  claims: PassClaims;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

export const passReasons = [
  'ok', 'bundle_aging', // green / yellow
  'no_bundle', 'malformed', 'unsupported_version', 'alg_not_allowed', 'unknown_kid', 'bad_signature',
  'expired', 'not_yet_valid', 'revoked', 'bundle_stale', 'replayed', 'not_granted',
] as const;
export type PassReason = (typeof passReasons)[number];
export type PassVerdict = 'green' | 'yellow' | 'red';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX['+'.charCodeAt(0)] = 62;
B64_INDEX['/'.charCodeAt(0)] = 63;

/** base64url (or base64, padding optional) → bytes; undefined when not base64. */
export function fromBase64Url(s: string): Uint8Array | undefined {
  const clean = s.replace(/=+$/, '');
  if (clean.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buf = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) return undefined;
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buf >> bits) & 0xff;
    }
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    s += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '');
  }
  return s;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(utf8Decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isB64Str = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max && /^[A-Za-z0-9_-]+$/.test(v);

/** Parses a token without verifying it. Returns the reason when it is not a well-formed pass token. */
export function decodePassToken(token: string): DecodedToken | { error: 'malformed' | 'unsupported_version' } {
  const t = token.trim();
  if (!t.startsWith(PASS_TOKEN_PREFIX)) return { error: /^YA\d+\./.test(t) ? 'unsupported_version' : 'malformed' };
  const jws = t.slice(PASS_TOKEN_PREFIX.length);
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return { error: 'malformed' };
  const header = parseJson(fromBase64Url(parts[0])) as Record<string, unknown> | undefined;
  const claims = parseJson(fromBase64Url(parts[1])) as Record<string, unknown> | undefined;
  const signature = fromBase64Url(parts[2]);
  if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object' || !signature) return { error: 'malformed' };
  if (typeof header.alg !== 'string' || typeof header.kid !== 'string') return { error: 'malformed' };
  if (!isB64Str(claims.p, 8, 64) || !isInt(claims.i) || !isInt(claims.e) || !isB64Str(claims.n, 8, 64) || !isInt(claims.s) || !isInt(claims.x) || claims.x < 0) {
    return { error: 'malformed' };
  }
  return {
    header: { alg: header.alg, kid: header.kid },
    claims: { p: claims.p, i: claims.i, e: claims.e, n: claims.n, s: claims.s, x: claims.x } as PassClaims,
    signingInput: utf8.encode(`${parts[0]}.${parts[1]}`),
    signature,
  };
}

/** Is status index i set in the bundle's bitstring? */
export function statusBitSet(bits: Uint8Array, index: number): boolean {
  const byte = bits[index >> 3];
  return byte !== undefined && ((byte >> (7 - (index & 7))) & 1) === 1;
}

// ---------------------------------------------------------------- verification

/** Verifies an Ed25519 signature. WebCrypto where the browser has it; a pure-JS fallback otherwise. */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/** Remembers nonces this verifier has accepted, until their token expires. */
export interface ReplayCache {
  has(nonce: string): boolean;
  add(nonce: string, expiresAtMs: number): void;
}

export function memoryReplayCache(): ReplayCache & { prune(nowMs: number): void; size(): number } {
  const seen = new Map<string, number>();
  return {
    has: (n) => seen.has(n),
    add: (n, exp) => void seen.set(n, exp),
    prune(now) {
      for (const [n, exp] of seen) if (exp < now) seen.delete(n);
    },
    size: () => seen.size,
  };
}

export interface PassCheck {
  verdict: PassVerdict;
  reason: PassReason;
  /** The revocation reason when reason = revoked. */
  revocation?: RevocationReason;
  claims?: PassClaims;
  scope?: PassScope;
  grants: PassGrant[];
  /** Seconds until the token stops being accepted (expiry + skew), when it was readable. */
  secondsLeft?: number;
  kid?: string;
}

export interface VerifyOptions {
  /** The current trust bundle; undefined → red no_bundle. */
  bundle: TrustBundle | undefined;
  /** Decoded status bits of the bundle (decode once per bundle, not per scan). */
  statusBits?: Uint8Array;
  /** Now, in ms since the epoch, on the server's clock (scanners correct their clock by the bundle's offset). */
  nowMs: number;
  verify: Ed25519Verify;
  /** The place policy; undefined = only check the token (grants empty, never not_granted). */
  policy?: readonly PassPolicyRule[];
  /** When given: a replayed nonce is red; an accepted one is added. */
  replay?: ReplayCache;
}

const keyCache = new WeakMap<TrustBundle, Map<string, { key: TrustKey; raw: Uint8Array | undefined }>>();

function keysOf(bundle: TrustBundle) {
  let m = keyCache.get(bundle);
  if (!m) {
    m = new Map(bundle.keys.map((k) => [k.kid, { key: k, raw: fromBase64Url(k.x) }]));
    keyCache.set(bundle, m);
  }
  return m;
}

/**
 * Checks a pass token against a trust bundle and (optionally) a place policy, in this order:
 * format → algorithm pinned by kid → signature → time window (±skew, boundaries inclusive) →
 * revocation → replay → policy → bundle age. Red stops at the first failure; yellow means valid but
 * the bundle is aging (revocations may be up to its age late).
 */
export async function checkPassToken(token: string, o: VerifyOptions): Promise<PassCheck> {
  const red = (reason: PassReason, extra: Partial<PassCheck> = {}): PassCheck => ({ verdict: 'red', reason, grants: [], ...extra });
  if (!o.bundle) return red('no_bundle');
  const ageMs = o.nowMs - o.bundle.issuedAt;
  if (ageMs > BUNDLE_STALE_HOURS * 3600_000) return red('bundle_stale');

  const d = decodePassToken(token);
  if ('error' in d) return red(d.error);
  const entry = keysOf(o.bundle).get(d.header.kid);
  if (!entry || !entry.raw || entry.raw.length !== 32) return red('unknown_kid', { kid: d.header.kid });
  // The bundle pins the algorithm of each key; the token's header must agree, and only known algorithms run.
  if (d.header.alg !== entry.key.alg || !(passAlgorithms as readonly string[]).includes(d.header.alg)) return red('alg_not_allowed', { kid: d.header.kid });
  if (d.signature.length !== 64) return red('bad_signature', { kid: d.header.kid });
  let ok = false;
  try {
    ok = await o.verify(entry.raw, d.signingInput, d.signature);
  } catch {
    ok = false;
  }
  if (!ok) return red('bad_signature', { kid: d.header.kid });

  const c = d.claims;
  const scope = unpackScope(c.s);
  const base = { claims: c, scope, kid: d.header.kid };
  const endMs = (c.e + PASS_SKEW_SECONDS) * 1000;
  const secondsLeft = Math.max(0, Math.floor((endMs - o.nowMs) / 1000));
  if (o.nowMs > endMs) return red('expired', { ...base, secondsLeft: 0 });
  if (o.nowMs < (c.i - PASS_SKEW_SECONDS) * 1000) return red('not_yet_valid', { ...base, secondsLeft });

  const bits = o.statusBits ?? fromBase64Url(o.bundle.status.bits) ?? new Uint8Array(0);
  if (statusBitSet(bits, c.x)) return red('revoked', { ...base, secondsLeft, revocation: o.bundle.reasons[String(c.x)] ?? 'other' });

  if (o.replay?.has(c.n)) return red('replayed', { ...base, secondsLeft });

  const grants = o.policy ? grantsFor(o.policy, scope) : [];
  if (o.policy && grants.length === 0) return red('not_granted', { ...base, secondsLeft });

  o.replay?.add(c.n, endMs);
  const aging = ageMs > BUNDLE_AGING_HOURS * 3600_000;
  return { verdict: aging ? 'yellow' : 'green', reason: aging ? 'bundle_aging' : 'ok', grants, secondsLeft, ...base };
}

/** Ed25519 through WebCrypto (keys imported once per public key). Throws if the runtime lacks it. */
export function webCryptoEd25519(subtle: SubtleCrypto = globalThis.crypto.subtle): Ed25519Verify {
  const imported = new Map<string, Promise<CryptoKey>>();
  return async (pk, msg, sig) => {
    const id = toBase64Url(pk);
    let key = imported.get(id);
    if (!key) {
      key = subtle.importKey('raw', pk as BufferSource, { name: 'Ed25519' }, false, ['verify']);
      imported.set(id, key);
    }
    return subtle.verify({ name: 'Ed25519' }, await key, sig as BufferSource, msg as BufferSource);
  };
}
