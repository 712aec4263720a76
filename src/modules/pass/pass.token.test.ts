// The pass token and its verifier, without a database: golden vectors with a fixed key, the QR round
// trip, and every way a token must be refused (checkPassToken is what scanners run offline).
import { describe, expect, it, vi } from 'vitest';
import QRCode from 'qrcode';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { CompactSign, compactVerify, importJWK } from 'jose';
import {
  PASS_TOKEN_PREFIX,
  checkPassToken,
  decodePassToken,
  fromBase64Url,
  memoryReplayCache,
  packScope,
  toBase64Url,
  unpackScope,
  webCryptoEd25519,
  type Ed25519Verify,
  type PassClaims,
  type TrustBundle,
} from '../../contracts/pass-token.js';
import { nobleEd25519, pickEd25519 } from '../../contracts/pass-ed25519.js';
import { createSigner, encodeClaims, newKid, nodeEd25519, passKeyFromSeed, publicJwk } from './pass.keys.js';

// RFC 8032 §7.1 TEST 1 secret key: its public key is the well-known 11qYAYKx… .
const SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const KID = 'goldkey2';
const GOLDEN_CLAIMS: PassClaims = {
  p: 'AAECAwQFBgcICQoL', // bytes 0..11
  i: 1795392000, // 2026-11-23T00:00:00Z
  e: 1795392090,
  n: 'bm9uY2UteWEx', // "nonce-ya1"
  s: 81, // food_delivery, level 1, meituan
  x: 4242,
};
const GOLDEN_TOKEN =
  'YA1.eyJhbGciOiJFZERTQSIsImtpZCI6ImdvbGRrZXkyIn0' +
  '.eyJwIjoiQUFFQ0F3UUZCZ2NJQ1FvTCIsImkiOjE3OTUzOTIwMDAsImUiOjE3OTUzOTIwOTAsIm4iOiJibTl1WTJVdGVXRXgiLCJzIjo4MSwieCI6NDI0Mn0' +
  '.ucJOCbK7q0W71s4uieWsxhxZ-9CuNA0F_CYQV28gcUT1rCXDa3uujXs26dKGel9r46kSU9XGlV7nGwWqepK9Aw';

const key = passKeyFromSeed(SEED, KID);
const signerP = createSigner(KID, key.privateKeyDer);
const sign = async (claims: Partial<PassClaims> = {}) => (await signerP).signToken({ ...GOLDEN_CLAIMS, ...claims });

const I_MS = GOLDEN_CLAIMS.i * 1000;
const E_MS = GOLDEN_CLAIMS.e * 1000;

function bundle(overrides: Partial<TrustBundle> = {}, revoked: Record<number, 'lost_phone' | 'fraud' | 'frozen'> = {}): TrustBundle {
  const size = 131072; // the default PASS_STATUS_LIST_SIZE
  const bits = new Uint8Array(size >> 3);
  for (const i of Object.keys(revoked).map(Number)) bits[i >> 3] |= 0x80 >> (i & 7);
  return {
    v: 1,
    city: '3302',
    version: 7,
    issuedAt: I_MS,
    keys: [{ kid: KID, alg: 'EdDSA', x: key.publicKey, status: 'active' }],
    status: { size, bits: toBase64Url(bits) },
    reasons: Object.fromEntries(Object.entries(revoked).map(([i, r]) => [i, r])),
    ...overrides,
  };
}

const engines: [string, Ed25519Verify][] = [
  ['WebCrypto', webCryptoEd25519()],
  ['noble (pure JS)', nobleEd25519],
  ['node:crypto', nodeEd25519()],
];
const verify = webCryptoEd25519();
const check = (token: string, o: Partial<Parameters<typeof checkPassToken>[1]> = {}) => checkPassToken(token, { bundle: bundle(), nowMs: I_MS + 5000, verify, ...o });

/** Re-encodes one part of a token (0 header, 1 payload), keeping the others. */
function withPart(token: string, part: 0 | 1, json: unknown): string {
  const parts = token.slice(PASS_TOKEN_PREFIX.length).split('.');
  parts[part] = Buffer.from(JSON.stringify(json)).toString('base64url');
  return PASS_TOKEN_PREFIX + parts.join('.');
}

describe('golden vectors (fixed Ed25519 seed, fixed claims)', () => {
  it('the key is RFC 8032 test 1 and the kid is 8 lowercase base32 characters', () => {
    expect(key.publicKey).toBe('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo');
    for (let n = 0; n < 50; n++) expect(newKid()).toMatch(/^[a-z2-7]{8}$/);
  });

  it('signing gives exactly the golden token: header {"alg":"EdDSA","kid"}, claims in the order p,i,e,n,s,x', async () => {
    expect(await sign()).toBe(GOLDEN_TOKEN);
    const [h, p] = GOLDEN_TOKEN.slice(4).split('.');
    expect(Buffer.from(h, 'base64url').toString()).toBe('{"alg":"EdDSA","kid":"goldkey2"}');
    expect(Buffer.from(p, 'base64url').toString()).toBe('{"p":"AAECAwQFBgcICQoL","i":1795392000,"e":1795392090,"n":"bm9uY2UteWEx","s":81,"x":4242}');
    expect(new TextDecoder().decode(encodeClaims(GOLDEN_CLAIMS))).toBe(Buffer.from(p, 'base64url').toString());
    expect(unpackScope(GOLDEN_CLAIMS.s)).toEqual({ industry: 'food_delivery', level: 1, platform: 'meituan' });
    expect(packScope({ industry: 'food_delivery', level: 1, platform: 'meituan' })).toBe(81);
  });

  it.each(engines)('%s accepts the golden token', async (_name, engine) => {
    const r = await checkPassToken(GOLDEN_TOKEN, { bundle: bundle(), nowMs: I_MS, verify: engine });
    expect(r).toMatchObject({ verdict: 'green', reason: 'ok', kid: KID, claims: GOLDEN_CLAIMS, secondsLeft: 120 });
  });

  it('pickEd25519 finds WebCrypto in Node, and noble when forced', async () => {
    expect((await pickEd25519()).engine).toBe('webcrypto');
    expect((await pickEd25519('noble')).engine).toBe('noble');
  });

  it('anyone can verify it with jose and the published JWK (without our code)', async () => {
    const jwk = publicJwk(KID, key.publicKey);
    const r = await compactVerify(GOLDEN_TOKEN.slice(PASS_TOKEN_PREFIX.length), await importJWK(jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
    expect(JSON.parse(new TextDecoder().decode(r.payload))).toEqual(GOLDEN_CLAIMS);
  });
});

describe('QR code', () => {
  it('round trip: token → PNG (level M, quiet zone) → pixels (sharp) → jsQR → verify', async () => {
    const token = await sign({ x: 131071, s: 2047 });
    const png = await QRCode.toBuffer(token, { errorCorrectionLevel: 'M', type: 'png', margin: 4, scale: 4 });
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const decoded = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
    expect(decoded?.data).toBe(token);
    expect((await check(decoded!.data)).verdict).toBe('green');
  });

  it('a worst-case token (largest index, every scope bit, 10-digit times) fits QR version 12 at level M', async () => {
    const worst = await sign({ i: 9_999_999_909, e: 9_999_999_999, s: 0x7ff, x: (1 << 24) - 1, p: 'A'.repeat(16), n: 'A'.repeat(12) });
    const qr = QRCode.create(worst, { errorCorrectionLevel: 'M' });
    expect(worst.length).toBeLessThanOrEqual(262);
    expect(qr.version).toBeLessThanOrEqual(12);
    expect(QRCode.create(GOLDEN_TOKEN, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(12);
  });
});

describe('refusals', () => {
  it('a tampered payload is bad_signature', async () => {
    const token = withPart(GOLDEN_TOKEN, 1, { ...GOLDEN_CLAIMS, x: 1 });
    expect(await check(token)).toMatchObject({ verdict: 'red', reason: 'bad_signature' });
  });

  it.each(engines)('a tampered signature is bad_signature (%s)', async (_name, engine) => {
    const parts = GOLDEN_TOKEN.split('.');
    const sig = fromBase64Url(parts[3])!;
    sig[10] ^= 0x01;
    const token = [...parts.slice(0, 3), toBase64Url(sig)].join('.');
    expect(await check(token, { verify: engine })).toMatchObject({ verdict: 'red', reason: 'bad_signature' });
  });

  it('an unknown kid is refused; so is a kid the bundle does not carry', async () => {
    expect(await check(withPart(GOLDEN_TOKEN, 0, { alg: 'EdDSA', kid: 'zzzzzzzz' }))).toMatchObject({ verdict: 'red', reason: 'unknown_kid' });
    expect(await check(GOLDEN_TOKEN, { bundle: bundle({ keys: [] }) })).toMatchObject({ verdict: 'red', reason: 'unknown_kid' });
  });

  it('alg "none" is refused before any crypto runs', async () => {
    const spy = vi.fn(verify);
    const unsigned = withPart(GOLDEN_TOKEN, 0, { alg: 'none', kid: KID });
    expect(await check(unsigned, { verify: spy })).toMatchObject({ verdict: 'red', reason: 'alg_not_allowed' });
    const noSignature = unsigned.split('.').slice(0, 3).join('.') + '.';
    expect(await check(noSignature, { verify: spy })).toMatchObject({ verdict: 'red', reason: 'malformed' });
    expect(spy).not.toHaveBeenCalled();
  });

  it('HS256 signed with the public key bytes as the HMAC secret is refused (key confusion)', async () => {
    const spy = vi.fn(verify);
    const secret = fromBase64Url(key.publicKey)!;
    const jws = await new CompactSign(encodeClaims(GOLDEN_CLAIMS)).setProtectedHeader({ alg: 'HS256', kid: KID }).sign(secret);
    const r = await check(PASS_TOKEN_PREFIX + jws, { verify: spy });
    expect(r).toMatchObject({ verdict: 'red', reason: 'alg_not_allowed' });
    expect(spy).not.toHaveBeenCalled();
    // jose with the algorithm pinned refuses it too.
    await expect(compactVerify(jws, await importJWK(publicJwk(KID, key.publicKey), 'EdDSA'), { algorithms: ['EdDSA'] })).rejects.toThrow();
  });

  it('a token without the version prefix, or of a future version, is refused', async () => {
    expect(await check(GOLDEN_TOKEN.slice(4))).toMatchObject({ verdict: 'red', reason: 'malformed' });
    expect(await check('YA2.' + GOLDEN_TOKEN.slice(4))).toMatchObject({ verdict: 'red', reason: 'unsupported_version' });
    expect(await check('not a token')).toMatchObject({ verdict: 'red', reason: 'malformed' });
    expect(decodePassToken(GOLDEN_TOKEN)).toMatchObject({ header: { alg: 'EdDSA', kid: KID }, claims: GOLDEN_CLAIMS });
  });

  it('skew exactly at the boundaries: i−30 s valid, 1 ms earlier not; e+30 s valid, 1 ms later not', async () => {
    expect(await check(GOLDEN_TOKEN, { nowMs: I_MS - 30_000 })).toMatchObject({ verdict: 'green' });
    expect(await check(GOLDEN_TOKEN, { nowMs: I_MS - 30_001 })).toMatchObject({ verdict: 'red', reason: 'not_yet_valid' });
    expect(await check(GOLDEN_TOKEN, { nowMs: E_MS + 30_000 })).toMatchObject({ verdict: 'green', secondsLeft: 0 });
    expect(await check(GOLDEN_TOKEN, { nowMs: E_MS + 30_001 })).toMatchObject({ verdict: 'red', reason: 'expired' });
  });

  it('expired 2 minutes after showing: a screenshot stops working', async () => {
    expect(await check(GOLDEN_TOKEN, { nowMs: I_MS + 121_000 })).toMatchObject({ verdict: 'red', reason: 'expired' });
  });

  it('a set status bit is revoked, with the reason', async () => {
    const r = await check(GOLDEN_TOKEN, { bundle: bundle({}, { 4242: 'lost_phone', 7: 'fraud' }) });
    expect(r).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'lost_phone' });
    expect(await check(GOLDEN_TOKEN, { bundle: bundle({}, { 4241: 'fraud', 4243: 'fraud' }) })).toMatchObject({ verdict: 'green' });
  });

  it('a stale bundle: over 24 h yellow, over 72 h red; no bundle red', async () => {
    const now = I_MS + 5000;
    expect(await check(GOLDEN_TOKEN, { nowMs: now, bundle: bundle({ issuedAt: now - 24 * 3600_000 }) })).toMatchObject({ verdict: 'green' });
    expect(await check(GOLDEN_TOKEN, { nowMs: now, bundle: bundle({ issuedAt: now - 24 * 3600_000 - 1 }) })).toMatchObject({ verdict: 'yellow', reason: 'bundle_aging' });
    expect(await check(GOLDEN_TOKEN, { nowMs: now, bundle: bundle({ issuedAt: now - 72 * 3600_000 }) })).toMatchObject({ verdict: 'yellow' });
    expect(await check(GOLDEN_TOKEN, { nowMs: now, bundle: bundle({ issuedAt: now - 72 * 3600_000 - 1 }) })).toMatchObject({ verdict: 'red', reason: 'bundle_stale' });
    expect(await check(GOLDEN_TOKEN, { bundle: undefined })).toMatchObject({ verdict: 'red', reason: 'no_bundle' });
  });

  it('replay: the same nonce twice at one scanner is red the second time', async () => {
    const replay = memoryReplayCache();
    expect(await check(GOLDEN_TOKEN, { replay })).toMatchObject({ verdict: 'green' });
    expect(await check(GOLDEN_TOKEN, { replay })).toMatchObject({ verdict: 'red', reason: 'replayed' });
    expect(await check(await sign({ n: 'b3RoZXJub25j' }), { replay })).toMatchObject({ verdict: 'green' });
  });

  it('a place policy grants by industry and level; nothing granted is red', async () => {
    const policy = [
      { grant: 'entry' as const, industries: [], minLevel: 1 as const },
      { grant: 'elevator' as const, industries: ['express_courier' as const], minLevel: 1 as const },
      { grant: 'discount' as const, industries: [], minLevel: 2 as const },
    ];
    expect(await check(GOLDEN_TOKEN, { policy })).toMatchObject({ verdict: 'green', grants: ['entry'] });
    expect(await check(GOLDEN_TOKEN, { policy: policy.slice(1) })).toMatchObject({ verdict: 'red', reason: 'not_granted' });
  });
});
