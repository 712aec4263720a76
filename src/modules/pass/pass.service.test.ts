// The pass service on a real database: issuing, pre-signed tokens, keys and their rotation, the trust
// bundle and JWKS, freezing, revocation (bundle bit and database at once), reissue, online verification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { checkPassToken, fromBase64Url, statusBitSet, unpackScope, webCryptoEd25519, type SignedBundle, type TrustBundle } from '../../contracts/pass.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { AuditContext } from '../audit/audit.service.js';
import { createPiiCipher } from '../../shared/pii.js';
import { AREAS, auditRows, nextIdNumber, nextPhone } from '../workers/workers.test-support.js';
import { BUNDLE_JWS_TYPE } from './pass.keys.js';
import { createPassService, type PassService } from './pass.service.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let pass: PassService;
const ctx: AuditContext = { ip: '127.0.0.1', requestId: 'test' };

const staff = (role: StaffPrincipal['role'], areaCode: string = AREAS.yinzhou): StaffPrincipal => ({
  kind: 'staff',
  id: crypto.randomUUID(),
  cityCode: '3302',
  username: `${role}-${areaCode}`,
  displayName: `${role} 测试`,
  role,
  areaCode,
  departmentIds: [],
});
const operator = staff('operator', '3302');

async function worker(status: 'approved' | 'pending' | 'unverified' = 'approved', overrides: { platform?: string; areaCode?: string } = {}): Promise<string> {
  const { id } = await t.services.workers.seedWorker({
    phone: nextPhone(),
    status,
    ...(status === 'unverified' ? {} : { name: '李小龙', idNumber: nextIdNumber(), areaCode: overrides.areaCode ?? AREAS.xiaying, industry: 'food_delivery', platform: overrides.platform ?? '美团众包' }),
  });
  return id;
}

const verifier = webCryptoEd25519();
/** What an offline scanner holding this bundle would say. */
const offline = (token: string, b: TrustBundle, nowMs = t.clock.now().getTime()) => checkPassToken(token, { bundle: b, nowMs, verify: verifier });

async function verifyBundleJws(signed: SignedBundle, keys: TrustBundle['keys']): Promise<TrustBundle> {
  const { kid, typ, alg } = decodeProtectedHeader(signed.jws);
  expect(alg).toBe('EdDSA');
  expect(typ).toBe(BUNDLE_JWS_TYPE);
  const k = keys.find((x) => x.kid === kid);
  expect(k, `bundle signed by a key the scanner knows (${kid})`).toBeDefined();
  const r = await compactVerify(signed.jws, await importJWK({ kty: 'OKP', crv: 'Ed25519', x: k!.x }, 'EdDSA'), { algorithms: ['EdDSA'] });
  return JSON.parse(new TextDecoder().decode(r.payload)) as TrustBundle;
}

beforeAll(async () => {
  t = await createTestApp();
  pass = t.services.pass;
});
afterAll(async () => t?.close());

describe('issuing', () => {
  it('only verified workers get a pass', async () => {
    for (const s of ['unverified', 'pending'] as const) {
      await expect(pass.myPass(await worker(s))).rejects.toMatchObject({ code: 'pass.not_verified' });
    }
    await expect(pass.myPass(crypto.randomUUID())).rejects.toMatchObject({ code: 'pass.not_verified' });
  });

  it('an approved worker gets 6 tokens, 30 s apart, valid 90 s, carrying scope but no personal data', async () => {
    const id = await worker();
    const me = await pass.myPass(id);
    const nowS = Math.floor(t.clock.now().getTime() / 1000);
    expect(me).toMatchObject({ status: 'active', reason: null, nameMasked: '李**', industry: 'food_delivery', platform: 'meituan', level: 1, refreshSeconds: 30 });
    expect(me.tokens).toHaveLength(6);
    const b = (await pass.bundleFor('3302')).bundle;
    const nonces = new Set<string>();
    for (const [k, tok] of me.tokens.entries()) {
      const r = await offline(tok.token, b, (nowS + 30 * k) * 1000);
      expect(r.verdict, `token ${k}`).toBe('green');
      expect(r.claims!.i).toBe(nowS + 30 * k);
      expect(r.claims!.e).toBe(nowS + 30 * k + 90);
      expect(tok.showFrom).toBe(new Date((nowS + 30 * k) * 1000).toISOString());
      expect(tok.expiresAt).toBe(new Date((nowS + 30 * k + 90) * 1000).toISOString());
      expect(unpackScope(r.claims!.s)).toEqual({ industry: 'food_delivery', level: 1, platform: 'meituan' });
      expect(r.claims!.p).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(r.claims!.n).toMatch(/^[A-Za-z0-9_-]{12}$/);
      nonces.add(r.claims!.n);
      expect(tok.token).not.toContain(id);
      expect(tok.token.length).toBeLessThanOrEqual(262);
    }
    expect(nonces.size).toBe(6);
    // The last token still works at 3 minutes (+ skew), i.e. without network for the whole window.
    expect((await offline(me.tokens[5].token, b, (nowS + 150 + 90) * 1000)).verdict).toBe('green');
  });

  it('the pass is issued once: the same pseudonym and status index on every request', async () => {
    const id = await worker();
    const [a, b] = await Promise.all([pass.myPass(id), pass.myPass(id)]);
    const bundle = (await pass.bundleFor('3302')).bundle;
    const ca = (await offline(a.tokens[0].token, bundle)).claims!;
    const cb = (await offline(b.tokens[0].token, bundle)).claims!;
    const c = (await offline((await pass.myPass(id)).tokens[0].token, bundle)).claims!;
    expect([cb.p, c.p]).toEqual([ca.p, ca.p]);
    expect([cb.x, c.x]).toEqual([ca.x, ca.x]);
    expect(await pass.passIdsOfWorker(id)).toHaveLength(1);
  });

  it('a city partner gets level 2; the platform is coded from free text', async () => {
    const id = await worker('approved', { platform: '顺丰同城' });
    const withHonours = createPassService({
      db: t.services.db,
      clock: t.clock,
      pii: t.services.pii,
      config: t.config,
      audit: t.services.audit,
      workers: t.services.workers,
      partners: { isCityPartner: async (w) => w === id },
    });
    const me = await withHonours.myPass(id);
    expect(me).toMatchObject({ level: 2, platform: 'sf' });
    const r = await pass.verifyOnline(me.tokens[0].token);
    expect(r.check).toMatchObject({ verdict: 'green', scope: { level: 2, platform: 'sf', industry: 'food_delivery' } });
  });
});

describe('online verification', () => {
  it('green for a fresh token, with the pass it names', async () => {
    const id = await worker();
    const me = await pass.myPass(id);
    const r = await pass.verifyOnline(me.tokens[0].token);
    expect(r.check).toMatchObject({ verdict: 'green', reason: 'ok', grants: [] });
    expect(r.pass).toMatchObject({ workerId: id, cityCode: '3302', status: 'active' });
    expect((await pass.passesByIds([r.pass!.id])).get(r.pass!.id)).toEqual(r.pass);
  });

  it('skew at the boundaries, expiry after 2 minutes, refusals of other cities and unknown kids', async () => {
    const me = await pass.myPass(await worker());
    const { i, e } = (await pass.verifyOnline(me.tokens[1].token)).check.claims!;
    expect((await pass.verifyOnline(me.tokens[1].token, { nowMs: (i - 30) * 1000 })).check.verdict).toBe('green');
    expect((await pass.verifyOnline(me.tokens[1].token, { nowMs: (i - 30) * 1000 - 1 })).check.reason).toBe('not_yet_valid');
    expect((await pass.verifyOnline(me.tokens[1].token, { nowMs: (e + 30) * 1000 })).check.verdict).toBe('green');
    expect((await pass.verifyOnline(me.tokens[1].token, { nowMs: (e + 30) * 1000 + 1 })).check.reason).toBe('expired');
    expect((await pass.verifyOnline(me.tokens[0].token, { cityCode: '3301' })).check.reason).toBe('unknown_kid');
    const parts = me.tokens[0].token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'aaaaaaaa' })).toString('base64url');
    expect((await pass.verifyOnline([parts[0], header, parts[2], parts[3]].join('.'))).check.reason).toBe('unknown_kid');
    expect((await pass.verifyOnline('YA1.x.y.z')).check.reason).toBe('malformed');
  });
});

describe('freeze, revoke, reissue', () => {
  it('freezing sets the status bit (reason frozen) and bumps the version; unfreezing clears it', async () => {
    const id = await worker();
    const me = await pass.myPass(id);
    const before = (await pass.bundleFor('3302')).bundle;
    const x = (await offline(me.tokens[0].token, before)).claims!.x;
    const frozen = await pass.freeze(id, ctx);
    expect(frozen).toMatchObject({ status: 'frozen', reason: 'frozen', tokens: [] });
    const during = (await pass.bundleFor('3302')).bundle;
    expect(during.version).toBeGreaterThan(before.version);
    expect(statusBitSet(fromBase64Url(during.status.bits)!, x)).toBe(true);
    expect(during.reasons[String(x)]).toBe('frozen');
    expect(await offline(me.tokens[0].token, during)).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'frozen' });
    expect((await pass.verifyOnline(me.tokens[0].token)).check).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'frozen' });
    expect(await pass.freeze(id, ctx)).toMatchObject({ status: 'frozen' }); // again: no change

    const back = await pass.unfreeze(id, ctx);
    expect(back).toMatchObject({ status: 'active', reason: null });
    expect(back.tokens).toHaveLength(6);
    const after = (await pass.bundleFor('3302')).bundle;
    expect(after.version).toBeGreaterThan(during.version);
    expect(statusBitSet(fromBase64Url(after.status.bits)!, x)).toBe(false);
    expect((await pass.verifyOnline(back.tokens[0].token)).check.verdict).toBe('green');
    expect((await auditRows(t, 'pass.freeze')).length).toBeGreaterThanOrEqual(1);
  });

  it('freezing needs a pass; a revoked pass cannot be frozen or unfrozen', async () => {
    await expect(pass.freeze(await worker(), ctx)).rejects.toMatchObject({ code: 'pass.not_found' });
    const id = await worker();
    await pass.myPass(id);
    await pass.revoke(operator, id, { reason: 'fraud', note: '冒用他人身份' }, ctx);
    await expect(pass.freeze(id, ctx)).rejects.toMatchObject({ code: 'pass.already_revoked' });
    await expect(pass.unfreeze(id, ctx)).rejects.toMatchObject({ code: 'pass.already_revoked' });
  });

  it('revoked: red at once online (database), and in every bundle from now on (status bit with the reason)', async () => {
    const id = await worker();
    const me = await pass.myPass(id);
    const oldBundle = (await pass.bundleFor('3302')).bundle;
    const revoked = await pass.revoke(staff('handler', AREAS.xiaying), id, { reason: 'lost_phone', note: '手机丢失，本人来电' }, ctx);
    expect(revoked).toMatchObject({ workerId: id, status: 'revoked', reason: 'lost_phone', note: '手机丢失，本人来电', changedBy: expect.any(String) });
    // An offline scanner with yesterday's bundle still says green …
    expect((await offline(me.tokens[0].token, oldBundle)).verdict).toBe('green');
    // … online it is red at once, with the reason.
    const online = await pass.verifyOnline(me.tokens[0].token);
    expect(online.check).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'lost_phone' });
    expect(online.pass).toMatchObject({ workerId: id, status: 'revoked' });
    // The next bundle carries the bit.
    const next = (await pass.bundleFor('3302')).bundle;
    expect(next.version).toBeGreaterThan(oldBundle.version);
    expect(await offline(me.tokens[0].token, next)).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'lost_phone' });
    // The worker sees why; no tokens.
    expect(await pass.myPass(id)).toMatchObject({ status: 'revoked', reason: 'lost_phone', note: '手机丢失，本人来电', tokens: [] });
    await expect(pass.revoke(operator, id, { reason: 'other', note: '再次注销' }, ctx)).rejects.toMatchObject({ code: 'pass.already_revoked' });
    expect((await auditRows(t, 'pass.revoke')).some((a) => a.detail.workerId === id && a.detail.reason === 'lost_phone')).toBe(true);
  });

  it('revoking a pass never opened records it revoked: the worker does not get one by asking', async () => {
    const id = await worker();
    expect(await pass.revoke(operator, id, { reason: 'verification_withdrawn', note: '材料造假' }, ctx)).toMatchObject({ status: 'revoked' });
    expect(await pass.myPass(id)).toMatchObject({ status: 'revoked', reason: 'verification_withdrawn', tokens: [] });
  });

  it('reissue: a new pseudonym and index; old tokens stay refused, new ones work', async () => {
    const id = await worker();
    const old = await pass.myPass(id);
    const oldClaims = (await pass.verifyOnline(old.tokens[0].token)).check.claims!;
    await expect(pass.reissue(operator, id, ctx)).rejects.toMatchObject({ code: 'request.conflict' });
    await pass.revoke(operator, id, { reason: 'lost_phone', note: '手机丢失' }, ctx);
    const re = await pass.reissue(operator, id, ctx);
    expect(re).toMatchObject({ status: 'active', reason: null, changedBy: operator.id });
    const fresh = await pass.myPass(id);
    const freshCheck = await pass.verifyOnline(fresh.tokens[0].token);
    expect(freshCheck.check.verdict).toBe('green');
    expect(freshCheck.check.claims!.p).not.toBe(oldClaims.p);
    expect(freshCheck.check.claims!.x).not.toBe(oldClaims.x);
    expect((await pass.verifyOnline(old.tokens[0].token)).check).toMatchObject({ verdict: 'red', reason: 'revoked' });
    expect(await pass.passIdsOfWorker(id)).toHaveLength(2);
  });

  it('staff see passes only in their scope and by role', async () => {
    const id = await worker('approved', { areaCode: AREAS.xiaying });
    await pass.myPass(id);
    await expect(pass.adminFind(staff('handler', AREAS.zhonggongmiao), { workerId: id }, ctx)).rejects.toMatchObject({ code: 'areas.out_of_scope' });
    await expect(pass.adminFind(staff('scanner', AREAS.xiaying), { workerId: id }, ctx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(pass.revoke(staff('grid_worker', AREAS.xiayingCommunity), id, { reason: 'other', note: '测试' }, ctx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(pass.adminFind({ ...operator, cityCode: '3301', areaCode: '3301' }, { workerId: id }, ctx)).rejects.toMatchObject({ code: 'workers.not_found' });
    const found = await pass.adminFind(staff('handler', AREAS.xiaying), { workerId: id }, ctx);
    expect(found).toMatchObject({ workerId: id, status: 'active', nameMasked: '李**', phoneMasked: expect.stringMatching(/^\d{3}\*{4}\d{4}$/), changedBy: null });
    expect((await auditRows(t, 'pass.read')).some((a) => a.target_id === id)).toBe(true);
  });
});

describe('keys and the trust bundle', () => {
  it('every city gets an active and a next key; the JWKS and the bundle publish both', async () => {
    const keys = await pass.listKeys(operator);
    expect(keys.map((k) => k.status).sort()).toEqual(['active', 'next']);
    for (const k of keys) expect(k.kid).toMatch(/^[a-z2-7]{8}$/);
    const jwks = await pass.jwks();
    for (const k of keys) expect(jwks.keys.find((j) => j.kid === k.kid)).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    const signed = await pass.bundleFor('3302');
    expect(signed.bundle.keys.map((k) => k.status).sort()).toEqual(['active', 'next']);
    expect(await verifyBundleJws(signed, signed.bundle.keys)).toEqual(signed.bundle);
    await expect(pass.listKeys(staff('handler'))).rejects.toMatchObject({ code: 'auth.forbidden' });
  });

  it('the bundle is cached per version and re-signed at most once a minute (issuedAt stays fresh)', async () => {
    const a = await pass.bundleFor('3302');
    t.clock.advance(30_000);
    const b = await pass.bundleFor('3302');
    expect(b.jws).toBe(a.jws);
    t.clock.advance(31_000);
    const c = await pass.bundleFor('3302');
    expect(c.bundle.version).toBe(a.bundle.version);
    expect(c.bundle.issuedAt).toBe(t.clock.now().getTime());
    expect(c.bundle.status.bits).toBe(a.bundle.status.bits);
    expect(c.bundle.status.size).toBe(131072);
  });

  it('status bits are exactly the frozen and revoked passes', async () => {
    const ids = await Promise.all([worker(), worker(), worker(), worker()]);
    const xs: number[] = [];
    for (const id of ids) xs.push((await pass.verifyOnline((await pass.myPass(id)).tokens[0].token)).check.claims!.x);
    await pass.freeze(ids[0], ctx);
    await pass.revoke(operator, ids[1], { reason: 'fraud', note: '刷单作弊' }, ctx);
    const b = (await pass.bundleFor('3302')).bundle;
    const bits = fromBase64Url(b.status.bits)!;
    expect(xs.map((x) => statusBitSet(bits, x))).toEqual([true, true, false, false]);
    expect(b.reasons[String(xs[0])]).toBe('frozen');
    expect(b.reasons[String(xs[1])]).toBe('fraud');
    let set = 0;
    for (let i = 0; i < b.status.size; i++) if (statusBitSet(bits, i)) set++;
    expect(set).toBe(Object.keys(b.reasons).length);
  });

  it('rotation: refused before the next key has been published 25 h; the next key was published before first use; old tokens still verify', async () => {
    const id = await worker();
    const keysBefore = await pass.listKeys(operator);
    const next = keysBefore.find((k) => k.status === 'next')!;
    const oldActive = keysBefore.find((k) => k.status === 'active')!;
    const oldToken = (await pass.myPass(id)).tokens[0].token;
    const jwksBefore = await pass.jwks();
    const bundleBefore = await pass.bundleFor('3302');
    expect(jwksBefore.keys.map((k) => k.kid)).toContain(next.kid);
    expect(bundleBefore.bundle.keys.map((k) => k.kid)).toContain(next.kid);

    // Published less than 25 h ago (the test clock started when the keys were made).
    const ageMs = t.clock.now().getTime() - new Date(next.createdAt).getTime();
    if (ageMs < 25 * HOUR) {
      await expect(pass.rotateKeys(operator, {}, ctx)).rejects.toMatchObject({ code: 'pass.key_not_ready' });
      t.clock.advance(25 * HOUR - ageMs - 1000);
      await expect(pass.rotateKeys(operator, {}, ctx)).rejects.toMatchObject({ code: 'pass.key_not_ready' });
      t.clock.advance(1000);
    }
    await expect(pass.rotateKeys(staff('operator', AREAS.yinzhou), {}, ctx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    const after = await pass.rotateKeys(operator, {}, ctx);
    expect(after.find((k) => k.kid === next.kid)?.status).toBe('active');
    expect(after.find((k) => k.kid === oldActive.kid)?.status).toBe('retired');
    expect(after.filter((k) => k.status === 'next')).toHaveLength(1);

    // New tokens are signed by the key scanners already had in the bundle before the rotation.
    const newToken = (await pass.myPass(id)).tokens[0].token;
    expect(decodeProtectedHeader(newToken.slice(4)).kid).toBe(next.kid);
    // (that bundle is 25 h old by now: accepted, yellow for its age — not unknown_kid)
    expect(await offline(newToken, bundleBefore.bundle)).toMatchObject({ verdict: 'yellow', reason: 'bundle_aging' });
    // A scanner that refreshed trusts the new bundle through a key of the old one; old tokens still verify.
    const bundleAfter = await pass.bundleFor('3302');
    await verifyBundleJws(bundleAfter, bundleBefore.bundle.keys);
    expect(bundleAfter.bundle.keys.find((k) => k.kid === oldActive.kid)?.status).toBe('retired');
    const oldTokenNow = await pass.verifyOnline(oldToken, { nowMs: t.clock.now().getTime() });
    expect(oldTokenNow.check.reason).toBe('expired'); // 25 h later it has expired, of course …
    const { i } = oldTokenNow.check.claims!;
    expect((await pass.verifyOnline(oldToken, { nowMs: i * 1000 })).check.verdict).toBe('green'); // … but its key still verifies it
    expect((await auditRows(t, 'pass.keys.rotate')).filter((a) => a.outcome === 'success')).toHaveLength(1);
  });

  it('retired keys stay published 7 days; forced rotation skips the wait', async () => {
    const before = await pass.listKeys(operator);
    const next = before.find((k) => k.status === 'next')!;
    const forced = await pass.rotateKeys(operator, { force: true }, ctx);
    expect(forced.find((k) => k.kid === next.kid)?.status).toBe('active');
    const retired = forced.filter((k) => k.status === 'retired');
    expect(retired.length).toBeGreaterThanOrEqual(2);
    expect((await pass.jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining(retired.map((k) => k.kid)));
    t.clock.advance(7 * DAY + 1000);
    const published = (await pass.jwks()).keys.map((k) => k.kid);
    for (const k of retired) expect(published).not.toContain(k.kid);
    expect((await pass.bundleFor('3302')).bundle.keys.map((k) => k.status).sort()).toEqual(['active', 'next']);
  });

  it('rotateIfDue rotates once the active key is PASS_KEY_ROTATION_DAYS old, and not before', async () => {
    expect(await pass.rotateIfDue()).toEqual({ rotated: [], notReady: [] });
    const active = (await pass.listKeys(operator)).find((k) => k.status === 'active')!;
    t.clock.set(new Date(new Date(active.activatedAt!).getTime() + 30 * DAY - 1000));
    expect((await pass.rotateIfDue()).rotated).toEqual([]);
    t.clock.advance(1000);
    expect((await pass.rotateIfDue()).rotated).toEqual(['3302']);
    expect((await pass.rotateIfDue()).rotated).toEqual([]);
    const now = (await pass.listKeys(operator)).find((k) => k.status === 'active')!;
    expect(now.kid).not.toBe(active.kid);
    // Tokens from the freshly rotated key verify.
    const me = await pass.myPass(await worker());
    expect((await pass.verifyOnline(me.tokens[0].token)).check.verdict).toBe('green');
  });

  it('a second process sees the rotation through the state version and signs with the new key', async () => {
    const other = createPassService({ db: t.services.db, clock: t.clock, pii: t.services.pii, config: t.config, audit: t.services.audit, workers: t.services.workers });
    const id = await worker();
    const warm = await other.myPass(id);
    await pass.rotateKeys(operator, { force: true }, ctx);
    const active = (await pass.listKeys(operator)).find((k) => k.status === 'active')!;
    const me = await other.myPass(id);
    expect(decodeProtectedHeader(me.tokens[0].token.slice(4)).kid).toBe(active.kid);
    expect(decodeProtectedHeader(warm.tokens[0].token.slice(4)).kid).not.toBe(active.kid);
    expect((await other.bundleFor('3302')).bundle.version).toBe((await pass.bundleFor('3302')).bundle.version);
    expect((await other.verifyOnline(me.tokens[0].token)).check.verdict).toBe('green');
  });

  it('private keys are stored encrypted and follow a PII key rotation', async () => {
    const next = createPiiCipher(Buffer.alloc(64, 7));
    const r = await pass.rotatePiiKey(next);
    expect(r.passKeys).toBeGreaterThanOrEqual(2);
    const rotated = createPassService({ db: t.services.db, clock: t.clock, pii: next, config: t.config, audit: t.services.audit, workers: t.services.workers });
    const bundle = await rotated.bundleFor('3302');
    expect(bundle.bundle.keys.length).toBeGreaterThanOrEqual(2);
    // Restore, so the rest of this file's app keeps working.
    await rotated.rotatePiiKey(t.services.pii);
  });
});
