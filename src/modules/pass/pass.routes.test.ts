// The pass routes through inject(): who may call what, validation, error bodies, headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { PASS_TOKEN_PREFIX, type Jwks, type MyPass, type SignedBundle } from '../../contracts/pass.js';
import { AREAS, auditRows, nextIdNumber, nextPhone, staffClient, workerClient } from '../workers/workers.test-support.js';

let t: TestApp;
let operator: Client;
let districtOperator: Client;
let handler: Client;
let otherHandler: Client;
let scanner: Client;

/** A verified worker, signed in through the real SMS log-in. */
async function verifiedWorker(): Promise<{ client: Client; id: string; phone: string }> {
  const phone = nextPhone();
  const { id } = await t.services.workers.seedWorker({ phone, status: 'approved', name: '王小二', idNumber: nextIdNumber(), areaCode: AREAS.xiaying, industry: 'express_courier', platform: '中通快递' });
  return { client: await workerClient(t, phone), id, phone };
}

const expectProblem = (res: { statusCode: number; body: string; json(): { code: string } }, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code).toBe(code);
};

beforeAll(async () => {
  t = await createTestApp();
  operator = (await staffClient(t, 'operator', '3302', '社会工作部 王主任')).client;
  districtOperator = (await staffClient(t, 'operator', AREAS.yinzhou)).client;
  handler = (await staffClient(t, 'handler', AREAS.xiaying, '下应街道 陈科长')).client;
  otherHandler = (await staffClient(t, 'handler', AREAS.zhonggongmiao)).client;
  scanner = (await staffClient(t, 'scanner', AREAS.xiaying, '门岗 赵师傅')).client;
});
afterAll(async () => t?.close());

describe('GET /.well-known/jwks.json', () => {
  it('is public, cacheable for 5 minutes, and lists Ed25519 JWKs', async () => {
    await t.services.pass.ensureKeys('3302');
    const res = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const jwks = res.json() as Jwks;
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
    for (const k of jwks.keys) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    }
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await t.app.inject({ method: 'GET', url: '/api/.well-known/jwks.json' })).statusCode).toBe(404);
  });

  it('the pass routes are in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const path of ['/.well-known/jwks.json', '/api/pass/me', '/api/pass/me/freeze', '/api/pass/bundle', '/api/admin/passes', '/api/admin/passes/{workerId}/revoke', '/api/admin/pass/keys/rotate']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});

describe('the worker’s pass', () => {
  it('needs a signed-in worker who is verified', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/pass/me' }), 401, 'auth.unauthenticated');
    expectProblem(await operator.get('/api/pass/me'), 403, 'auth.forbidden');
    const unverified = await workerClient(t);
    expectProblem(await unverified.get('/api/pass/me'), 403, 'pass.not_verified');
    expectProblem(await unverified.post('/api/pass/me/freeze'), 403, 'pass.not_verified');
  });

  it('GET /api/pass/me: 6 tokens, never cached; tokens verify against the JWKS', async () => {
    const w = await verifiedWorker();
    const res = await w.client.get('/api/pass/me');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const me = res.json() as MyPass;
    expect(me).toMatchObject({ status: 'active', industry: 'express_courier', platform: 'zto', level: 1, nameMasked: '王**', refreshSeconds: 30 });
    expect(me.tokens).toHaveLength(6);
    const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as Jwks;
    const jws = me.tokens[0].token.slice(PASS_TOKEN_PREFIX.length);
    const jwk = jwks.keys.find((k) => k.kid === decodeProtectedHeader(jws).kid)!;
    const r = await compactVerify(jws, await importJWK(jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
    expect(Object.keys(JSON.parse(new TextDecoder().decode(r.payload)))).toEqual(['p', 'i', 'e', 'n', 's', 'x']);
  });

  it('freeze and unfreeze need the CSRF token and return the pass', async () => {
    const w = await verifiedWorker();
    expectProblem(await w.client.post('/api/pass/me/freeze'), 404, 'pass.not_found');
    await w.client.get('/api/pass/me');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/pass/me/freeze', headers: { cookie: w.client.cookie! } });
    expectProblem(noCsrf, 403, 'request.csrf_failed');
    const frozen = await w.client.post('/api/pass/me/freeze');
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect(frozen.json()).toMatchObject({ status: 'frozen', reason: 'frozen', tokens: [] });
    expect((await w.client.get('/api/pass/me')).json()).toMatchObject({ status: 'frozen' });
    const back = await w.client.post('/api/pass/me/unfreeze');
    expect(back.json()).toMatchObject({ status: 'active', reason: null });
    expect(back.json().tokens).toHaveLength(6);
  });
});

describe('GET /api/pass/bundle', () => {
  it('for scanning accounts only; the JWS verifies with a published key', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/pass/bundle' }), 401, 'auth.unauthenticated');
    const w = await verifiedWorker();
    expectProblem(await w.client.get('/api/pass/bundle'), 403, 'auth.forbidden');
    const reviewer = (await staffClient(t, 'reviewer', AREAS.yinzhou)).client;
    expectProblem(await reviewer.get('/api/pass/bundle'), 403, 'auth.forbidden');
    for (const c of [scanner, operator, handler]) {
      const res = await c.get('/api/pass/bundle');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const signed = res.json() as SignedBundle;
      expect(signed.bundle).toMatchObject({ v: 1, city: '3302', status: { size: 131072 } });
      const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as Jwks;
      const header = decodeProtectedHeader(signed.jws);
      expect(header).toMatchObject({ alg: 'EdDSA', typ: 'ya-bundle+jws' });
      const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
      const r = await compactVerify(signed.jws, await importJWK(jwk, 'EdDSA'), { algorithms: ['EdDSA'] });
      expect(JSON.parse(new TextDecoder().decode(r.payload))).toEqual(signed.bundle);
    }
  });
});

describe('admin: passes', () => {
  it('find by phone or worker id, within scope; validation', async () => {
    const w = await verifiedWorker();
    await w.client.get('/api/pass/me');
    const byPhone = await handler.get(`/api/admin/passes?phone=${w.phone}`);
    expect(byPhone.statusCode, byPhone.body).toBe(200);
    expect(byPhone.json()).toMatchObject({ workerId: w.id, status: 'active', nameMasked: '王**', areaCode: AREAS.xiaying });
    expect(byPhone.json().phoneMasked).toBe(`${w.phone.slice(0, 3)}****${w.phone.slice(-4)}`);
    expect((await operator.get(`/api/admin/passes?workerId=${w.id}`)).json()).toMatchObject({ workerId: w.id });
    expectProblem(await otherHandler.get(`/api/admin/passes?workerId=${w.id}`), 403, 'areas.out_of_scope');
    expectProblem(await otherHandler.get(`/api/admin/passes?phone=${w.phone}`), 404, 'workers.not_found');
    expectProblem(await scanner.get(`/api/admin/passes?workerId=${w.id}`), 403, 'auth.forbidden');
    expectProblem(await operator.get('/api/admin/passes?workerId=nope'), 400, 'request.invalid');
    expectProblem(await operator.get('/api/admin/passes'), 400, 'request.invalid');
    expectProblem(await w.client.get(`/api/admin/passes?workerId=${w.id}`), 403, 'auth.forbidden');
  });

  it('revoke with a reason and a note (audited), then reissue', async () => {
    const w = await verifiedWorker();
    const me = (await w.client.get('/api/pass/me')).json() as MyPass;
    const url = `/api/admin/passes/${w.id}/revoke`;
    expectProblem(await handler.post(url, { reason: 'lost_phone' }), 400, 'request.invalid');
    expectProblem(await handler.post(url, { reason: 'stolen', note: '手机被盗' }), 400, 'request.invalid');
    expectProblem(await handler.post(url, { reason: 'frozen', note: '不能用冻结作为注销原因' }), 400, 'request.invalid');
    expectProblem(await otherHandler.post(url, { reason: 'lost_phone', note: '手机丢失' }), 403, 'areas.out_of_scope');
    expectProblem(await handler.post(`/api/admin/passes/not-a-uuid/revoke`, { reason: 'lost_phone', note: '手机丢失' }), 400, 'request.invalid');
    const res = await handler.post(url, { reason: 'lost_phone', note: '手机丢失，本人来电' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'revoked', reason: 'lost_phone', note: '手机丢失，本人来电', changedBy: expect.any(String), changedAt: expect.any(String) });
    expectProblem(await handler.post(url, { reason: 'other', note: '再来一次' }), 409, 'pass.already_revoked');
    expect((await w.client.get('/api/pass/me')).json()).toMatchObject({ status: 'revoked', reason: 'lost_phone', tokens: [] });
    const online = await t.services.pass.verifyOnline(me.tokens[0].token);
    expect(online.check).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'lost_phone' });
    const audit = (await auditRows(t, 'pass.revoke')).find((a) => a.detail.workerId === w.id)!;
    expect(audit).toMatchObject({ actor_kind: 'staff', target_kind: 'pass', outcome: 'success' });

    const re = await handler.post(`/api/admin/passes/${w.id}/reissue`);
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toMatchObject({ status: 'active', reason: null });
    expectProblem(await handler.post(`/api/admin/passes/${w.id}/reissue`), 409, 'request.conflict');
    expect((await w.client.get('/api/pass/me')).json().tokens).toHaveLength(6);
    expect((await auditRows(t, 'pass.reissue')).some((a) => a.detail.workerId === w.id)).toBe(true);
  });
});

describe('admin: keys', () => {
  it('operators list keys; only a city-wide operator rotates, and not before the next key is ready unless forced', async () => {
    expectProblem(await handler.get('/api/admin/pass/keys'), 403, 'auth.forbidden');
    const list = await operator.get('/api/admin/pass/keys');
    expect(list.statusCode, list.body).toBe(200);
    const keys = list.json() as { kid: string; status: string }[];
    expect(keys.map((k) => k.status).sort()).toEqual(['active', 'next']);
    expectProblem(await handler.post('/api/admin/pass/keys/rotate', {}), 403, 'auth.forbidden');
    expectProblem(await districtOperator.post('/api/admin/pass/keys/rotate', {}), 403, 'auth.forbidden');
    const refused = await operator.post('/api/admin/pass/keys/rotate', {});
    expectProblem(refused, 409, 'pass.key_not_ready');
    expect(refused.json().detail).toContain(keys.find((k) => k.status === 'next')!.kid);
    expectProblem(await operator.post('/api/admin/pass/keys/rotate', { force: false }), 409, 'pass.key_not_ready');
    expectProblem(await operator.post('/api/admin/pass/keys/rotate', { force: 'yes' }), 400, 'request.invalid');
    const forced = await operator.post('/api/admin/pass/keys/rotate', { force: true });
    expect(forced.statusCode, forced.body).toBe(200);
    const after = forced.json() as { kid: string; status: string }[];
    expect(after.find((k) => k.kid === keys.find((x) => x.status === 'next')!.kid)?.status).toBe('active');
    expect(after.map((k) => k.status).sort()).toEqual(['active', 'next', 'retired']);
    const audits = await auditRows(t, 'pass.keys.rotate');
    expect(audits.map((a) => a.outcome)).toEqual(['failure', 'failure', 'success']);
  });
});
