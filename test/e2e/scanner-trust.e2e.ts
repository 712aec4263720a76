// The scanner app's trust-bundle rules (web/scanner/pass/trust.ts), run in Node on the same code the
// browser runs: a new bundle must be signed by a key the scanner already trusts and must not go back in
// version. No browser needed; it lives beside the scanner journeys because it tests the scanner app.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CompactSign } from 'jose';
import type { TrustBundle, TrustKey } from '../../src/contracts/pass-token.js';
import { nobleEd25519 } from '../../src/contracts/pass-ed25519.js';
import { acceptBundle, BundleRejected, verifyBundleJws, type StoredTrust } from '../../web/scanner/pass/trust.js';

function issuerKey(kid: string, status: TrustKey['status']) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { key: { kid, alg: 'EdDSA', x: publicKey.export({ format: 'jwk' }).x!, status } as TrustKey, privateKey };
}

function bundle(version: number, keys: TrustKey[], city = '3302'): TrustBundle {
  return { v: 1, city, version, issuedAt: Date.now(), keys, status: { size: 8, bits: 'AA' }, reasons: {} };
}

const sign = (b: TrustBundle, kid: string, privateKey: crypto.KeyObject) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(b))).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'ya-bundle+jws' }).sign(privateKey);

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const clock = { offsetMs: 0, fetchedAt: Date.now() };

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BundleRejected) return e.reason;
    throw e;
  }
  return 'accepted';
}

describe('scanner trust bundle: what a scanner accepts', () => {
  const active = issuerKey('activeaa', 'active');
  const next = issuerKey('nextkeyb', 'next');
  const stranger = issuerKey('strangec', 'active');

  it('takes the first bundle when it verifies with one of its own keys, and reads the signed payload', async () => {
    const b = bundle(3, [active.key, next.key]);
    const first = await acceptBundle('3302', await sign(b, 'activeaa', active.privateKey), undefined, nobleEd25519, clock);
    expect(first.bundle).toEqual(b);
    // Self-signed by a key it does not list: refused even as a first bundle.
    expect(await rejection(acceptBundle('3302', await sign(bundle(3, [next.key]), 'activeaa', active.privateKey), undefined, nobleEd25519, clock))).toBe('untrusted_key');
  });

  it('follows a key rotation announced in advance (the next key signs the next bundle) and refuses a stranger', async () => {
    const previous: StoredTrust = { jws: '', bundle: bundle(3, [active.key, next.key]), ...clock };
    const rotated = bundle(4, [{ ...next.key, status: 'active' }, { ...active.key, status: 'retired' }]);
    const taken = await acceptBundle('3302', await sign(rotated, 'nextkeyb', next.privateKey), previous, nobleEd25519, clock);
    expect(taken.bundle.version).toBe(4);
    // A bundle listing the attacker's key, signed by it: not a key this scanner trusts.
    const forged = bundle(5, [stranger.key]);
    expect(await rejection(acceptBundle('3302', await sign(forged, 'strangec', stranger.privateKey), previous, nobleEd25519, clock))).toBe('untrusted_key');
    // The attacker reusing a trusted kid with their own key: the signature fails.
    expect(await rejection(acceptBundle('3302', await sign(bundle(5, [active.key]), 'activeaa', stranger.privateKey), previous, nobleEd25519, clock))).toBe('bad_signature');
  });

  it('refuses a bundle older than the one it holds (it could un-revoke a pass) and one of another city', async () => {
    const previous: StoredTrust = { jws: '', bundle: bundle(7, [active.key]), ...clock };
    expect(await rejection(acceptBundle('3302', await sign(bundle(6, [active.key]), 'activeaa', active.privateKey), previous, nobleEd25519, clock))).toBe('version_backwards');
    expect((await acceptBundle('3302', await sign(bundle(7, [active.key]), 'activeaa', active.privateKey), previous, nobleEd25519, clock)).bundle.version).toBe(7);
    expect(await rejection(acceptBundle('3302', await sign(bundle(8, [active.key], '3301'), 'activeaa', active.privateKey), previous, nobleEd25519, clock))).toBe('wrong_city');
  });

  it('refuses a tampered payload, alg none, HS256 and garbage', async () => {
    const trusted = [active.key];
    const jws = await sign(bundle(3, trusted), 'activeaa', active.privateKey);
    const [h, , s] = jws.split('.');
    const tampered = `${h}.${b64(JSON.stringify({ ...bundle(3, trusted), reasons: { '1': 'fraud' } }))}.${s}`;
    expect(await rejection(verifyBundleJws(tampered, trusted, nobleEd25519))).toBe('bad_signature');
    const payload = b64(JSON.stringify(bundle(3, trusted)));
    // alg none (with or without a signature): the trusted key pins EdDSA.
    expect(await rejection(verifyBundleJws(`${b64(JSON.stringify({ alg: 'none', kid: 'activeaa' }))}.${payload}.`, trusted, nobleEd25519))).toBe('untrusted_key');
    expect(await rejection(verifyBundleJws(`${b64(JSON.stringify({ alg: 'none', kid: 'activeaa' }))}.${payload}.${s}`, trusted, nobleEd25519))).toBe('untrusted_key');
    // HS256 with the public key bytes as the secret: the key pins EdDSA, so no HMAC is ever computed.
    const secret = Buffer.from(active.key.x, 'base64url');
    const hsHeader = b64(JSON.stringify({ alg: 'HS256', kid: 'activeaa' }));
    const mac = crypto.createHmac('sha256', secret).update(`${hsHeader}.${payload}`).digest('base64url');
    expect(await rejection(verifyBundleJws(`${hsHeader}.${payload}.${mac}`, trusted, nobleEd25519))).toBe('untrusted_key');
    expect(await rejection(verifyBundleJws('not.a.jws', trusted, nobleEd25519))).toBe('malformed');
    expect(await rejection(verifyBundleJws('two.parts', trusted, nobleEd25519))).toBe('malformed');
  });
});
