/**
 * The trust bundle on the scanner: issuer keys + revocation bits, as a compact JWS signed by an issuer
 * key. A new bundle is accepted only when its signature verifies with a key of the bundle trusted
 * before it (so a network attacker cannot swap the keys) and its version does not go backwards (so an
 * old bundle cannot un-revoke a pass). The very first bundle of a city is trusted because it came over
 * the signed-in HTTPS session; it must still verify with one of its own keys.
 */
import {
  fromBase64Url,
  passAlgorithms,
  type Ed25519Verify,
  type TrustBundle,
  type TrustKey,
} from '../../../src/contracts/pass-token'; // relative (not @contracts): its test runs this file in Node
import { readJson, removeKey, writeJson } from './storage';

export interface StoredTrust {
  jws: string;
  bundle: TrustBundle;
  /** Server clock − local clock (ms), measured when the bundle was fetched. */
  offsetMs: number;
  /** Local time (ms) of the fetch. */
  fetchedAt: number;
}

export type BundleRejection = 'malformed' | 'untrusted_key' | 'bad_signature' | 'version_backwards' | 'wrong_city';

export class BundleRejected extends Error {
  constructor(readonly reason: BundleRejection) {
    super(`trust bundle rejected: ${reason}`);
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function parsePart(part: string): unknown {
  const bytes = fromBase64Url(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(utf8Decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

function isBundle(v: unknown): v is TrustBundle {
  if (!v || typeof v !== 'object') return false;
  const b = v as Partial<TrustBundle>;
  return (
    b.v === 1 &&
    typeof b.city === 'string' &&
    Number.isSafeInteger(b.version) &&
    Number.isSafeInteger(b.issuedAt) &&
    Array.isArray(b.keys) &&
    b.keys.every((k) => k && typeof k.kid === 'string' && typeof k.x === 'string' && typeof k.alg === 'string') &&
    !!b.status &&
    typeof b.status.bits === 'string' &&
    Number.isSafeInteger(b.status.size) &&
    !!b.reasons &&
    typeof b.reasons === 'object'
  );
}

/**
 * Verifies a bundle JWS with the given trusted keys and returns the bundle from its payload (never the
 * unsigned copy that travels beside it). Only algorithms we know run, and the key pins the algorithm.
 */
export async function verifyBundleJws(jws: string, trusted: readonly TrustKey[] | 'self', verify: Ed25519Verify): Promise<TrustBundle> {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new BundleRejected('malformed');
  const header = parsePart(parts[0]) as { alg?: unknown; kid?: unknown } | undefined;
  const payload = parsePart(parts[1]);
  const signature = fromBase64Url(parts[2]);
  if (!header || typeof header.kid !== 'string' || typeof header.alg !== 'string' || !signature || !isBundle(payload)) throw new BundleRejected('malformed');
  const keys = trusted === 'self' ? payload.keys : trusted;
  const key = keys.find((k) => k.kid === header.kid);
  if (!key || key.alg !== header.alg || !(passAlgorithms as readonly string[]).includes(header.alg)) throw new BundleRejected('untrusted_key');
  const raw = fromBase64Url(key.x);
  let ok = false;
  try {
    ok = !!raw && raw.length === 32 && signature.length === 64 && (await verify(raw, utf8.encode(`${parts[0]}.${parts[1]}`), signature));
  } catch {
    ok = false;
  }
  if (!ok) throw new BundleRejected('bad_signature');
  return payload;
}

/** Stored per city (the first four digits of the scanner account's area code: GB/T 2260 city). */
const storageKey = (city: string) => `trust.${city}`;

export function loadTrust(city: string): StoredTrust | undefined {
  const t = readJson<StoredTrust>(storageKey(city));
  return t && isBundle(t.bundle) && typeof t.jws === 'string' && Number.isFinite(t.offsetMs) ? t : undefined;
}

export function forgetTrust(city: string) {
  removeKey(storageKey(city));
}

/**
 * Accepts a freshly fetched bundle on top of what this scanner trusted before (or as the first one),
 * stores it, and returns it. Throws BundleRejected and keeps the previous bundle otherwise.
 */
export async function acceptBundle(
  city: string,
  jws: string,
  previous: StoredTrust | undefined,
  verify: Ed25519Verify,
  clock: { offsetMs: number; fetchedAt: number },
): Promise<StoredTrust> {
  const bundle = await verifyBundleJws(jws, previous ? previous.bundle.keys : 'self', verify);
  if (previous && bundle.city !== previous.bundle.city) throw new BundleRejected('wrong_city');
  if (previous && bundle.version < previous.bundle.version) throw new BundleRejected('version_backwards');
  const stored: StoredTrust = { jws, bundle, offsetMs: clock.offsetMs, fetchedAt: clock.fetchedAt };
  writeJson(storageKey(city), stored);
  return stored;
}
