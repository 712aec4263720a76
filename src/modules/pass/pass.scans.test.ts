import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import { SCAN_CONSENT_VERSION } from '../../contracts/pass.js';
import type { Industry } from '../../contracts/workers.js';
import { authPlugin } from '../../server/plugins/auth.js';
import { errorsPlugin } from '../../server/plugins/errors.js';
import { AREAS, auditActions, insertPlace } from '../charging/charging.test-support.js';
import { nextIdNumber, nextPhone } from '../workers/workers.test-support.js';
import { registerPassJobs } from './pass.jobs.js';
import { passScansRoutes } from './pass.scans.routes.js';
import { createPassScansService, maskScannerName, shanghaiMonth, type PassRewards, type PassScansService, type PassStaffDirectory } from './pass.scans.service.js';

// ---------------------------------------------------------------- fixture
// The scans service and routes as the app wires them; until services.ts/app.ts wire them, the same
// service is built here over the test app's services and its routes are served by a small Fastify
// instance with the real error and session plugins.

let t: TestApp;
let scans: PassScansService;
let api: FastifyInstance;
let ownApi: FastifyInstance | undefined;

function staffDirectory(): PassStaffDirectory {
  const staff = t.services.staff as unknown as Partial<PassStaffDirectory>;
  if (typeof staff.scannerAccounts === 'function') return t.services.staff as unknown as PassStaffDirectory;
  const lister: StaffPrincipal = { kind: 'staff', id: crypto.randomUUID(), cityCode: '3302', username: 'fixture', displayName: 'fixture', role: 'operator', areaCode: '3302', departmentIds: [] };
  return {
    getStaffNames: (ids) => t.services.staff.getStaffNames(ids),
    async scannerAccounts(cityCode, areaPrefix) {
      const page = await t.services.staff.listStaff({ ...lister, cityCode, areaCode: cityCode }, { role: 'scanner', areaCode: areaPrefix, page: 1, pageSize: 100 });
      return page.items.map((a) => ({ id: a.id, username: a.username, displayName: a.displayName, areaCode: a.areaCode, active: a.active }));
    },
  };
}

function buildScans(rewards?: PassRewards): PassScansService {
  const s = t.services;
  return createPassScansService({ db: s.db, clock: t.clock, audit: s.audit, areas: s.areas, places: s.places, workers: s.workers, staff: staffDirectory(), pass: s.pass, rewards });
}

async function serve(service: PassScansService): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: true } } });
  await app.register(errorsPlugin);
  await app.register(cookie);
  await app.register(authPlugin, { sessions: t.services.sessions });
  await app.register(passScansRoutes, { prefix: '/api', services: { passScans: service } });
  await app.ready();
  return app;
}

async function staffAs(role: StaffRole, areaCode: string, opts: { id?: string; displayName?: string } = {}): Promise<Client & { principal: StaffPrincipal }> {
  const principal: StaffPrincipal = {
    kind: 'staff',
    id: opts.id ?? crypto.randomUUID(),
    cityCode: '3302',
    username: `${role}-${crypto.randomBytes(4).toString('hex')}`,
    displayName: opts.displayName ?? `${role} ${areaCode}`,
    role,
    areaCode,
    departmentIds: [],
  };
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 400 * 86400, idleTimeoutSeconds: null });
  const client = new Client(api);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return Object.assign(client, { principal });
}

/** A real scanner account (staff table) with a session. */
async function scannerAccount(areaCode: string, displayName: string) {
  const username = `scan${crypto.randomBytes(4).toString('hex')}`;
  const id = await t.services.staff.seedStaff({ username, displayName, password: 'Scanner@2026x', role: 'scanner', areaCode });
  return staffAs('scanner', areaCode, { id, displayName });
}

async function workerAs(workerId: string): Promise<Client> {
  const created = await t.services.sessions.create({ kind: 'worker', id: workerId, cityCode: '3302' }, { lifetimeSeconds: 400 * 86400, idleTimeoutSeconds: null });
  const client = new Client(api);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return client;
}

async function approvedWorker(industry: Industry = 'food_delivery'): Promise<string> {
  const r = await t.services.workers.seedWorker({ phone: nextPhone(), name: '张小明', idNumber: nextIdNumber(), industry, platform: '美团众包', station: '白鹤驿站', areaCode: AREAS.baihe, status: 'approved' });
  return r.id;
}

/** The worker's current tokens (issued now by the fake clock). */
async function tokens(workerId: string): Promise<string[]> {
  return (await t.services.pass.myPass(workerId)).tokens.map((x) => x.token);
}

const verify = (c: Client, token: string, placeId: string, eventId: string = crypto.randomUUID()) => c.post('/api/scanner/verify', { token, placeId, eventId });

async function verified(c: Client, token: string, placeId: string, eventId?: string) {
  const res = await verify(c, token, placeId, eventId);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const count = async (table: string, where = sql`true`) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(t.services.db)).rows[0].n;

async function consent(workerId: string, granted: boolean) {
  const w = await workerAs(workerId);
  const res = await w.request({ method: 'PUT', url: '/api/pass/me/consent', payload: { granted, version: SCAN_CONSENT_VERSION } });
  expect(res.statusCode, res.body).toBe(200);
  return w;
}

let operator: Awaited<ReturnType<typeof staffAs>>;
let handler: Awaited<ReturnType<typeof staffAs>>;

beforeAll(async () => {
  t = await createTestApp();
  await t.services.pass.ensureKeys('3302');
  const wired = (t.services as unknown as { passScans?: PassScansService }).passScans;
  scans = wired ?? buildScans();
  if (wired) api = t.app;
  else api = ownApi = await serve(scans);
  operator = await staffAs('operator', AREAS.city, { displayName: '社会工作部 王主任' });
  handler = await staffAs('handler', AREAS.baihe, { displayName: '白鹤街道 陈科长' });
});
afterAll(async () => {
  await ownApi?.close();
  await t?.close();
});

// ---------------------------------------------------------------- pure rules

describe('helpers', () => {
  it('months are Shanghai months; scanner names keep their post and mask the person', () => {
    expect(shanghaiMonth(new Date('2026-11-30T15:59:59.999Z'))).toBe('2026-11');
    expect(shanghaiMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(shanghaiMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
    expect(maskScannerName('门岗 王师傅')).toBe('门岗 王**');
    expect(maskScannerName('王师傅')).toBe('王**');
    expect(maskScannerName(undefined)).toBe('*');
  });
});

// ---------------------------------------------------------------- consent and history

describe('consent and the worker’s history', () => {
  it('keeps no scan record without consent; the history is empty and says so', async () => {
    const workerId = await approvedWorker();
    const station = await insertPlace(t, { type: 'station', name: '白鹤驿站一号' });
    const [token] = await tokens(workerId);
    const before = await count('pass_scans');
    const r = await verified(operator, token, station);
    expect(r).toMatchObject({ verdict: 'green', reason: 'ok', grants: ['checkin'], nameMasked: '张**', industry: 'food_delivery', platform: 'meituan', level: 1, cloneSuspected: false });
    expect(await count('pass_scans')).toBe(before);
    expect(await count('pass_sightings', sql`place_id = ${station}::bigint`)).toBe(1); // the sighting is kept whatever the consent (a day)

    const w = await workerAs(workerId);
    const history = await w.get('/api/pass/me/scans');
    expect(history.statusCode).toBe(200);
    expect(history.json()).toMatchObject({ items: [], total: 0, consent: { granted: false, currentVersion: SCAN_CONSENT_VERSION, answeredAt: null } });
    expect((await w.get('/api/pass/me/consent')).json()).toEqual({ granted: false, version: SCAN_CONSENT_VERSION, currentVersion: SCAN_CONSENT_VERSION, answeredAt: null });
  });

  it('refuses consent to an old text version (400 pass.consent_version_mismatch) and stores nothing', async () => {
    const workerId = await approvedWorker();
    const w = await workerAs(workerId);
    const res = await w.request({ method: 'PUT', url: '/api/pass/me/consent', payload: { granted: true, version: '2020-01-01' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'pass.consent_version_mismatch', errors: [{ field: 'version' }] });
    expect(await count('pass_scan_consents', sql`worker_id = ${workerId}`)).toBe(0);
  });

  it('with consent: records who scanned, where, the outcome and what was shown; pseudonymised; withdrawing deletes them at once', async () => {
    const workerId = await approvedWorker();
    const w = await consent(workerId, true);
    const consentNow = (await w.get('/api/pass/me/consent')).json();
    expect(consentNow).toMatchObject({ granted: true, version: SCAN_CONSENT_VERSION, answeredAt: t.clock.now().toISOString() });

    const gate = await insertPlace(t, { type: 'compound', name: '白鹤花园' });
    const guard = await scannerAccount(AREAS.baihe, '门岗 王师傅');
    expect((await handler.request({ method: 'PUT', url: `/api/admin/pass/scanners/${guard.principal.id}`, payload: { placeIds: [gate] } })).statusCode).toBe(200);

    const [first, second] = await tokens(workerId);
    const green = await verified(guard, first, gate);
    expect(green).toMatchObject({ verdict: 'green', grants: ['entry'] });
    t.clock.advance(60_000);
    // an expired token is a red scan of the same pass: recorded too, without the holder's details
    t.clock.advance(5 * 60_000);
    const red = await verified(guard, second, gate);
    expect(red).toMatchObject({ verdict: 'red', reason: 'expired', nameMasked: null, industry: null, grants: [] });

    const page = (await w.get('/api/pass/me/scans?page=1&pageSize=10')).json();
    expect(page.total).toBe(2);
    expect(page.consent.granted).toBe(true);
    expect(page.items[0]).toMatchObject({ placeId: gate, placeName: '白鹤花园', placeType: 'compound', scannerName: '门岗 王**', verdict: 'red', reason: 'expired', grants: [], offline: false });
    expect(page.items[0].shown).toEqual(['secondsLeft']);
    expect(page.items[1]).toMatchObject({ placeName: '白鹤花园', scannerName: '门岗 王**', verdict: 'green', reason: 'ok', grants: ['entry'], shown: ['nameMasked', 'industry', 'platform', 'level', 'secondsLeft'] });
    // pseudonymised: the record points at the pass, and holds no worker id
    const rows = await sql<Record<string, unknown>>`select * from pass_scans where id = ${page.items[1].id}`.execute(t.services.db);
    expect(JSON.stringify(rows.rows)).not.toContain(workerId);
    // paging
    const p2 = (await w.get('/api/pass/me/scans?page=2&pageSize=1')).json();
    expect(p2).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(p2.items.map((i: { id: string }) => i.id)).toEqual([page.items[1].id]);

    const withdrawn = await w.request({ method: 'PUT', url: '/api/pass/me/consent', payload: { granted: false, version: SCAN_CONSENT_VERSION } });
    expect(withdrawn.json()).toMatchObject({ granted: false });
    const passIds = await t.services.pass.passIdsOfWorker(workerId);
    expect(await count('pass_scans', sql`pass_id in (${sql.join(passIds)})`)).toBe(0);
    expect((await w.get('/api/pass/me/scans')).json()).toMatchObject({ items: [], total: 0, consent: { granted: false } });
    const audited = (await auditActions(t, 'pass.consent.')).filter((a) => a.target_id === workerId);
    expect(audited.map((a) => a.action)).toEqual(['pass.consent.grant', 'pass.consent.withdraw']);
    expect(audited[1].detail).toMatchObject({ deletedScans: 2 });

    // and nothing more is kept after withdrawal
    const [later] = await tokens(workerId);
    await verified(guard, later, gate);
    expect(await count('pass_scans', sql`pass_id in (${sql.join(passIds)})`)).toBe(0);
  });

  it('worker routes need a worker; scanner and admin routes need staff', async () => {
    expect((await api.inject({ method: 'GET', url: '/api/pass/me/scans' })).statusCode).toBe(401);
    expect((await api.inject({ method: 'GET', url: '/api/scanner/context' })).statusCode).toBe(401);
    expect((await operator.get('/api/pass/me/consent')).statusCode).toBe(403);
    const w = await workerAs(await approvedWorker());
    const res = await w.post('/api/scanner/verify', { token: 'YA1.x.y.z', placeId: '1', eventId: crypto.randomUUID() });
    expect(res.statusCode).toBe(403);
    expect((await w.get('/api/admin/pass/alerts')).statusCode).toBe(403);
    const reviewer = await staffAs('reviewer', AREAS.city);
    expect((await reviewer.get('/api/scanner/context')).json().code).toBe('auth.forbidden');
    // validation names the field
    const bad = await operator.post('/api/scanner/verify', { token: '', placeId: 'abc', eventId: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['eventId', 'placeId', 'token']);
  });
});

// ---------------------------------------------------------------- verification at a place

describe('online verification', () => {
  it('a malformed or forged token is red and leaves no trace', async () => {
    const station = await insertPlace(t, { type: 'station', name: '白鹤驿站二号' });
    const before = await count('pass_sightings');
    expect(await verified(operator, 'hello', station)).toMatchObject({ verdict: 'red', reason: 'malformed', grants: [], nameMasked: null, cloneSuspected: false, pickups: [] });
    const [token] = await tokens(await approvedWorker());
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await verified(operator, forged, station)).reason).toBe('bad_signature');
    expect(await count('pass_sightings')).toBe(before);
  });

  it('a pass revoked or frozen a moment ago is red at once, with the reason', async () => {
    const workerId = await approvedWorker();
    const station = await insertPlace(t, { type: 'station', name: '白鹤驿站三号' });
    const [a, b] = await tokens(workerId);
    const w = await workerAs(workerId);
    // freeze through the pass service (the worker's own action)
    await t.services.pass.freeze(workerId, { principal: { kind: 'worker', id: workerId, cityCode: '3302' } });
    expect(await verified(operator, a, station)).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'frozen', nameMasked: null });
    await t.services.pass.unfreeze(workerId, { principal: { kind: 'worker', id: workerId, cityCode: '3302' } });
    await t.services.pass.revoke(operator.principal, workerId, { reason: 'lost_phone', note: '手机丢失' }, {});
    expect(await verified(operator, b, station)).toMatchObject({ verdict: 'red', reason: 'revoked', revocation: 'lost_phone' });
    expect(w).toBeTruthy();
  });

  it('one discount per token per merchant: the second scan is red replayed; a retry of the first is the same scan', async () => {
    const workerId = await approvedWorker();
    const shop = await insertPlace(t, { type: 'merchant', name: '爱心面馆', certified: true });
    const otherShop = await insertPlace(t, { type: 'merchant', name: '爱心包子铺', certified: true });
    const [token, next] = await tokens(workerId);
    const eventId = crypto.randomUUID();
    const first = await verified(handler, token, shop, eventId);
    expect(first).toMatchObject({ verdict: 'green', grants: ['discount', 'reward_pickup'], cloneSuspected: false });
    const again = await verified(handler, token, shop);
    expect(again).toMatchObject({ verdict: 'red', reason: 'replayed', grants: [], nameMasked: null });
    const retry = await verified(handler, token, shop, eventId);
    expect(retry).toMatchObject({ verdict: 'green', reason: 'ok', grants: ['discount', 'reward_pickup'] });
    // the next token of the same pass is a new use
    expect((await verified(handler, next, shop)).verdict).toBe('green');
    // another merchant: green, but the same token at two places is a probable copy
    expect(await verified(handler, token, otherShop)).toMatchObject({ verdict: 'green', cloneSuspected: true });
  });

  it('scans of one token at the same moment: one discount per merchant, one clone alert naming both places', async () => {
    const workerId = await approvedWorker();
    const shop = await insertPlace(t, { type: 'merchant', name: '并发面馆', certified: true });
    const [token, next] = await tokens(workerId);
    const results = await Promise.all([0, 1, 2, 3].map(() => verified(handler, token, shop)));
    expect(results.filter((r) => r.verdict === 'green')).toHaveLength(1);
    expect(results.filter((r) => r.reason === 'replayed')).toHaveLength(3);

    const a = await insertPlace(t, { type: 'compound', name: '并发小区' });
    const b = await insertPlace(t, { type: 'compound', name: '并发二区' });
    const both = await Promise.all([verified(operator, next, a), verified(operator, next, b)]);
    expect(both.map((r) => r.verdict)).toEqual(['green', 'green']);
    expect(both.filter((r) => r.cloneSuspected)).toHaveLength(1);
    const alerts = (await scans.listAlerts(operator.principal, { page: 1, pageSize: 100 }, {})).items.filter((x) => x.workerId === workerId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].places.map((p) => p.id).sort()).toEqual([a, b].sort());
  });

  it('a place without a discount does not refuse a second scan of the same token', async () => {
    const [token] = await tokens(await approvedWorker());
    const gate = await insertPlace(t, { type: 'compound', name: '白鹤新村' });
    expect((await verified(operator, token, gate)).verdict).toBe('green');
    expect(await verified(operator, token, gate)).toMatchObject({ verdict: 'green', cloneSuspected: false });
  });

  it('a token seen at two places opens one clone alert; staff list it (masked) and close it; a third place opens it again', async () => {
    const workerId = await approvedWorker();
    const a = await insertPlace(t, { type: 'compound', name: '丹顶鹤小区' });
    const b = await insertPlace(t, { type: 'building', name: '白鹤大厦' });
    const c = await insertPlace(t, { type: 'station', name: '白鹤驿站四号' });
    const [token] = await tokens(workerId);
    expect((await verified(operator, token, a)).cloneSuspected).toBe(false);
    t.clock.advance(20_000);
    expect(await verified(operator, token, b)).toMatchObject({ verdict: 'green', grants: ['elevator', 'entry'], cloneSuspected: true });
    const nonceAlerts = await sql<{ id: string; sightings: unknown }>`select id, sightings from pass_alerts where status = 'open'`.execute(t.services.db);
    expect(nonceAlerts.rows.length).toBeGreaterThanOrEqual(1);

    const list = await handler.get('/api/admin/pass/alerts?status=open');
    expect(list.statusCode, list.body).toBe(200);
    const alert = list.json().items.find((x: { workerId: string }) => x.workerId === workerId);
    expect(alert).toMatchObject({ kind: 'clone', nameMasked: '张**', status: 'open', places: [{ id: a, name: '丹顶鹤小区' }, { id: b, name: '白鹤大厦' }] });
    // another street's handler does not see it
    const other = await staffAs('handler', AREAS.xiaying);
    expect((await other.get('/api/admin/pass/alerts')).json().items.some((x: { id: string }) => x.id === alert.id)).toBe(false);
    expect((await other.post(`/api/admin/pass/alerts/${alert.id}/close`)).statusCode).toBe(404);

    const closed = await handler.post(`/api/admin/pass/alerts/${alert.id}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
    expect((await handler.get('/api/admin/pass/alerts?status=open')).json().items.some((x: { id: string }) => x.id === alert.id)).toBe(false);
    expect((await auditActions(t, 'pass.alert.close')).some((r) => r.target_id === alert.id)).toBe(true);
    expect((await auditActions(t, 'pass.alerts.list')).length).toBeGreaterThan(0);

    await verified(operator, token, c);
    const reopened = (await handler.get('/api/admin/pass/alerts?status=open')).json().items.find((x: { id: string }) => x.id === alert.id);
    expect(reopened.places.map((p: { id: string }) => p.id)).toEqual([a, b, c]);
  });
});

// ---------------------------------------------------------------- offline uploads

describe('offline uploads', () => {
  it('are idempotent by event id, detect copies across online and offline scans, and drop places the account may not scan for', async () => {
    const workerId = await approvedWorker();
    await consent(workerId, true);
    const gate = await insertPlace(t, { type: 'compound', name: '白鹤东苑' });
    const elevator = await insertPlace(t, { type: 'building', name: '白鹤商务楼' });
    const elsewhere = await insertPlace(t, { type: 'compound', name: '下应小区', areaCode: AREAS.xiaying });
    const guard = await scannerAccount(AREAS.baihe, '门岗 李师傅');
    await handler.request({ method: 'PUT', url: `/api/admin/pass/scanners/${guard.principal.id}`, payload: { placeIds: [gate, elevator] } });
    const [token, other] = await tokens(workerId);

    // online at the gate
    await verified(guard, token, gate);
    // offline at the elevator and the gate, uploaded 10 minutes later
    const scannedAt = t.clock.now().toISOString();
    const ev = (id: string, tok: string, placeId: string, verdict: 'green' | 'red' = 'green') => ({
      id,
      token: tok,
      placeId,
      scannedAt,
      verdict,
      reason: verdict === 'green' ? 'ok' : 'expired',
      grants: verdict === 'green' ? ['entry'] : [],
      shown: ['industry', 'platform', 'level', 'secondsLeft', 'bogus'],
    });
    const events = [ev(crypto.randomUUID(), token, elevator), ev(crypto.randomUUID(), other, gate), ev(crypto.randomUUID(), other, elsewhere), ev(crypto.randomUUID(), 'YA1.bad', gate, 'red')];
    t.clock.advance(10 * 60_000);
    const up = await guard.post('/api/scanner/scans', { events });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toEqual({ accepted: 3, duplicates: 0, clones: 1 });
    const again = await guard.post('/api/scanner/scans', { events: events.slice(0, 2) });
    expect(again.json()).toEqual({ accepted: 0, duplicates: 2, clones: 0 });

    const passIds = await t.services.pass.passIdsOfWorker(workerId);
    const stored = await sql<{ id: string; offline: boolean; shown: string[]; place_id: number }>`
      select id, offline, shown, place_id from pass_scans where pass_id in (${sql.join(passIds)}) order by received_at`.execute(t.services.db);
    expect(stored.rows.length).toBe(3); // online gate + offline elevator + offline gate; nothing for the place out of reach
    expect(stored.rows.filter((r) => r.offline).length).toBe(2);
    expect(stored.rows.find((r) => r.id === events[0].id)!.shown).toEqual(['industry', 'platform', 'level', 'secondsLeft']);
    expect(stored.rows.some((r) => String(r.place_id) === elsewhere)).toBe(false);
    // the clone alert names both places
    const alerts = await scans.listAlerts(operator.principal, { status: 'open', page: 1, pageSize: 100 }, {});
    const mine = alerts.items.find((x) => x.workerId === workerId)!;
    expect(mine.places.map((p) => p.id).sort()).toEqual([gate, elevator].sort());

    // the worker's history shows the offline scans, scanned at the scan time
    const w = await workerAs(workerId);
    const history = (await w.get('/api/pass/me/scans')).json();
    expect(history.items.filter((i: { offline: boolean }) => i.offline).map((i: { scannedAt: string }) => i.scannedAt)).toEqual([scannedAt, scannedAt]);
  });

  it('validates the batch', async () => {
    const res = await operator.post('/api/scanner/scans', { events: [] });
    expect(res.statusCode).toBe(400);
    const res2 = await operator.post('/api/scanner/scans', { events: [{ id: 'x', token: 't', placeId: '1', scannedAt: 'yesterday', verdict: 'blue', reason: 'ok', grants: [], shown: [] }] });
    expect(res2.statusCode).toBe(400);
  });
});

// ---------------------------------------------------------------- station visits

describe('station visits', () => {
  it('count once per sighting, online or uploaded, by Shanghai month and street', async () => {
    const station = await insertPlace(t, { type: 'station', name: '白鹤月末驿站' });
    const otherStreet = await insertPlace(t, { type: 'station', name: '下应驿站', areaCode: AREAS.xiaying });
    const shop = await insertPlace(t, { type: 'merchant', name: '月末面馆', certified: true });
    // 23:59:59 in Shanghai on the last day of November
    t.clock.set(new Date('2026-11-30T15:59:59Z'));
    const workerId = await approvedWorker();
    const [tok1] = await tokens(workerId);
    await verified(operator, tok1, station);
    await verified(operator, tok1, station); // the same token again: one sighting, one visit
    await verified(operator, tok1, shop); // not a station
    await verified(operator, tok1, otherStreet);
    // one second later it is December in Shanghai
    t.clock.set(new Date('2026-11-30T16:00:00Z'));
    const [tok2] = await tokens(workerId);
    await verified(operator, tok2, station);
    // an offline check-in made on 30 November, uploaded in December
    t.clock.set(new Date('2026-11-30T15:00:00Z'));
    const [tok3] = await tokens(workerId);
    const offlineAt = t.clock.now().toISOString();
    t.clock.set(new Date('2026-12-01T01:00:00Z'));
    const up = await operator.post('/api/scanner/scans', { events: [{ id: crypto.randomUUID(), token: tok3, placeId: station, scannedAt: offlineAt, verdict: 'green', reason: 'ok', grants: ['checkin'], shown: [] }] });
    expect(up.json()).toMatchObject({ accepted: 1 });

    const nov = await handler.get('/api/admin/pass/visits?month=2026-11');
    expect(nov.statusCode, nov.body).toBe(200);
    const report = nov.json();
    expect(report.month).toBe('2026-11');
    // the handler sees their street only (other tests of this file counted visits at other 白鹤 stations too)
    expect(report.byStation.find((s: { placeId: string }) => s.placeId === station)).toEqual({ placeId: station, name: '白鹤月末驿站', areaCode: AREAS.baihe, visits: 2 });
    expect(report.byStation.some((s: { placeId: string }) => s.placeId === otherStreet)).toBe(false);
    expect(report.byStreet.map((s: { areaCode: string; areaName: string }) => [s.areaCode, s.areaName])).toEqual([[AREAS.baihe, '白鹤街道']]);
    const sum = (rows: { visits: number }[]) => rows.reduce((n, r) => n + r.visits, 0);
    expect(report.total).toBe(sum(report.byStation));
    expect(report.byStreet[0].visits).toBe(report.total);
    expect(report.byMonth).toHaveLength(12);
    expect(report.byMonth[0].month).toBe('2025-12');
    expect(report.byMonth.at(-1)).toEqual({ month: '2026-11', visits: report.total });

    const city = (await operator.get('/api/admin/pass/visits?month=2026-11')).json();
    expect(city.total).toBe(report.total + 1);
    expect(city.byStreet.find((s: { areaCode: string }) => s.areaCode === AREAS.xiaying)).toEqual({ areaCode: AREAS.xiaying, areaName: '下应街道', visits: 1 });
    const dec = (await operator.get(`/api/admin/pass/visits?month=2026-12&areaCode=${AREAS.baihe}`)).json();
    expect(dec).toMatchObject({ month: '2026-12', total: 1, byStation: [{ placeId: station, visits: 1 }] });
    // default month: the current Shanghai month
    expect((await operator.get('/api/admin/pass/visits')).json().month).toBe('2026-12');

    expect((await handler.get(`/api/admin/pass/visits?areaCode=${AREAS.xiaying}`)).json().code).toBe('areas.out_of_scope');
    expect((await handler.get('/api/admin/pass/visits?month=2026-13')).statusCode).toBe(400);
    const grid = await staffAs('grid_worker', AREAS.baiheCommunity);
    expect((await grid.get('/api/admin/pass/visits')).statusCode).toBe(403);
  });
});

// ---------------------------------------------------------------- reward pickups

describe('reward pickups', () => {
  it('lists the orders waiting at a merchant and hands one over to the holder of a valid pass (rewards faked against the narrow interface)', async () => {
    const workerId = await approvedWorker();
    const shop = await insertPlace(t, { type: 'merchant', name: '兑换面馆', certified: true });
    const orderId = crypto.randomUUID();
    const completed: { orderId: string; placeId: string; scannedBy: string; workerId?: string }[] = [];
    const rewards: PassRewards = {
      async pendingOrdersAt(w, placeId) {
        return w === workerId && placeId === shop && completed.length === 0 ? [{ orderId, title: '爱心午餐一份', cost: 50, createdAt: new Date('2026-11-20T04:00:00Z') }] : [];
      },
      async completePickup(id, by) {
        completed.push({ orderId: id, ...by });
        return { status: 'completed' };
      },
    };
    const withRewards = buildScans(rewards);
    const merchant = await staffAs('handler', AREAS.baihe);
    const [token] = await tokens(workerId);
    const r = await withRewards.verify(merchant.principal, { token, placeId: shop, eventId: crypto.randomUUID() });
    expect(r.pickups).toEqual([{ orderId, title: '爱心午餐一份', cost: 50, createdAt: '2026-11-20T04:00:00.000Z' }]);

    await expect(withRewards.pickup(merchant.principal, { token, placeId: shop, orderId: crypto.randomUUID() }, {})).rejects.toMatchObject({ code: 'pass.order_not_here' });
    await expect(withRewards.pickup(merchant.principal, { token: 'YA1.bad', placeId: shop, orderId }, {})).rejects.toMatchObject({ code: 'pass.token_rejected' });
    const station = await insertPlace(t, { type: 'station', name: '不兑换的驿站' });
    await expect(withRewards.pickup(merchant.principal, { token, placeId: station, orderId }, {})).rejects.toMatchObject({ code: 'pass.order_not_here' });

    expect(await withRewards.pickup(merchant.principal, { token, placeId: shop, orderId }, { principal: merchant.principal })).toEqual({ orderId, status: 'completed' });
    expect(completed).toEqual([{ orderId, placeId: shop, scannedBy: merchant.principal.id, workerId }]);
    expect((await auditActions(t, 'pass.pickup')).some((a) => a.target_id === orderId)).toBe(true);

    // without a rewards service nothing is listed and nothing can be handed over
    const bare = buildScans();
    const [next] = await tokens(workerId);
    expect((await bare.verify(merchant.principal, { token: next, placeId: shop, eventId: crypto.randomUUID() })).pickups).toEqual([]);
    await expect(bare.pickup(merchant.principal, { token: next, placeId: shop, orderId }, {})).rejects.toMatchObject({ code: 'pass.order_not_here' });
  });

  it('the pickup route validates its body', async () => {
    const res = await operator.post('/api/scanner/pickups', { token: 'x', placeId: '1', orderId: 'not-a-uuid' });
    expect(res.statusCode).toBe(400);
  });
});

// ---------------------------------------------------------------- retention (durable job)

describe('retention', () => {
  it('the daily job deletes scan records after 180 days and sightings after a day', async () => {
    const workerId = await approvedWorker();
    await consent(workerId, true);
    const gate = await insertPlace(t, { type: 'compound', name: '白鹤留存小区' });
    const [token] = await tokens(workerId);
    await verified(operator, token, gate);
    const passIds = await t.services.pass.passIdsOfWorker(workerId);
    const mine = sql`pass_id in (${sql.join(passIds)})`;
    expect(await count('pass_scans', mine)).toBe(1);
    expect(await count('pass_sightings', mine)).toBe(1);

    registerPassJobs(t.services.jobs, { pass: t.services.pass, passScans: scans });
    await t.services.jobs.runDue(); // first run: nothing old yet
    expect(await count('pass_scans', mine)).toBe(1);
    expect(await count('pass_sightings', mine)).toBe(1);

    t.clock.advance(25 * 3600_000);
    await t.services.jobs.runDue();
    expect(await count('pass_sightings', mine)).toBe(0);
    expect(await count('pass_scans', mine)).toBe(1);

    t.clock.advance(178 * 24 * 3600_000);
    await t.services.jobs.runDue();
    expect(await count('pass_scans', mine)).toBe(1); // 179 days old

    t.clock.advance(2 * 24 * 3600_000);
    await t.services.jobs.runDue();
    expect(await count('pass_scans', mine)).toBe(0);
    const kinds = await sql<{ kind: string }>`select distinct kind from jobs where kind like 'pass.%'`.execute(t.services.db);
    expect(kinds.rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['pass.retention', 'pass.rotate_keys']));
  });
});
