import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Client } from '../../../test/helpers/app.js';
import { cabinetState } from './charging.service.js';
import { AREAS, auditActions, insertPlace, staffClient } from './charging.test-support.js';

let t: TestApp;
let admin: Client;
const places: Record<string, string> = {};

const put = (key: string | undefined, externalId: string, payload: unknown) =>
  t.app.inject({ method: 'PUT', url: `/api/charging/v1/cabinets/${externalId}`, headers: key ? { 'x-api-key': key } : {}, payload: payload as object });
const beat = (key: string, cabinets: unknown[]) => t.app.inject({ method: 'POST', url: '/api/charging/v1/heartbeats', headers: { 'x-api-key': key }, payload: { cabinets } });

/** Charging sites with a ready battery near the test places, as the rider app asks for them. */
async function nearbyReady(): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url: '/api/places/nearby?lon=121.56&lat=29.85&types=charging&readyBattery=true&radiusM=20000&limit=100' });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { id: string }[]).map((i) => i.id);
}

async function createOperator(name: string): Promise<{ id: string; key: string }> {
  const res = await admin.post('/api/admin/charging/operators', { name });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().operator.id, key: res.json().apiKey };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = (await staffClient(t, 'operator', AREAS.city)).client;
  places.siteA = await insertPlace(t, { type: 'charging', name: '白鹤换电站A' });
  places.siteB = await insertPlace(t, { type: 'charging', name: '白鹤换电站B' });
  places.siteC = await insertPlace(t, { type: 'charging', name: '下应换电站', areaCode: AREAS.xiaying });
  places.station = await insertPlace(t, { type: 'station', name: '白鹤驿站' });
});
afterAll(async () => t?.close());

describe('cabinetState (pure)', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const ago = (min: number) => new Date(now.getTime() - min * 60_000);
  it('is available, empty or offline only on a fresh heartbeat, unknown otherwise', () => {
    expect(cabinetState({ online: true, readyBatteries: 3, lastHeartbeatAt: ago(1) }, now, 10)).toBe('available');
    expect(cabinetState({ online: true, readyBatteries: 0, lastHeartbeatAt: ago(1) }, now, 10)).toBe('empty');
    expect(cabinetState({ online: false, readyBatteries: 3, lastHeartbeatAt: ago(1) }, now, 10)).toBe('offline');
    expect(cabinetState({ online: true, readyBatteries: 3, lastHeartbeatAt: ago(10) }, now, 10)).toBe('available');
    expect(cabinetState({ online: true, readyBatteries: 3, lastHeartbeatAt: ago(10.01) }, now, 10)).toBe('unknown');
    expect(cabinetState({ online: false, readyBatteries: 0, lastHeartbeatAt: ago(60) }, now, 10)).toBe('unknown');
    expect(cabinetState({ online: true, readyBatteries: 3, lastHeartbeatAt: null }, now, 10)).toBe('unknown');
  });
});

describe('operators and their API keys (admin)', () => {
  it('creates an operator with a key shown once, stored only as a hash', async () => {
    const res = await admin.post('/api/admin/charging/operators', { name: '铁塔换电' }, 'idem-key-is-ignored');
    expect(res.statusCode).toBe(201);
    const { operator, apiKey } = res.json();
    expect(apiKey).toMatch(/^yk_[A-Za-z0-9_-]{43}$/);
    expect(operator).toMatchObject({ name: '铁塔换电', keyPrefix: apiKey.slice(0, 8), disabled: false, cabinets: 0, rotatedAt: null });
    const stored = await sql<{ api_key_hash: string }>`select api_key_hash from charging_operators where id = ${operator.id}`.execute(t.services.db);
    expect(stored.rows[0]!.api_key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(apiKey);
    // the one-time key is nowhere else either (no idempotent replay store)
    const idem = await sql<{ n: number }>`select count(*)::int as n from idempotency_keys where response_body::text like ${`%${apiKey}%`}`.execute(t.services.db);
    expect(idem.rows[0]!.n).toBe(0);
    const list = await admin.get('/api/admin/charging/operators');
    expect(list.json().map((o: { name: string }) => o.name)).toContain('铁塔换电');
    expect(list.body).not.toContain(apiKey);
    expect((await auditActions(t, 'charging.operator.create')).at(-1)).toMatchObject({ target_id: operator.id, detail: { name: '铁塔换电' } });
  });

  it('refuses a duplicate name (any case) and a too-short one', async () => {
    await createOperator('E换电');
    const dup = await admin.post('/api/admin/charging/operators', { name: 'e换电' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'charging.operator_name_taken', errors: [{ field: 'name' }] });
    const short = await admin.post('/api/admin/charging/operators', { name: ' ' });
    expect(short.statusCode).toBe(400);
  });

  it('is for city-wide operators only', async () => {
    const handler = (await staffClient(t, 'handler', AREAS.baihe)).client;
    expect((await handler.get('/api/admin/charging/operators')).statusCode).toBe(403);
    expect((await handler.get('/api/admin/charging/cabinets')).statusCode).toBe(403);
    const district = (await staffClient(t, 'operator', AREAS.yinzhou)).client;
    expect((await district.get('/api/admin/charging/operators')).statusCode).toBe(200);
    const create = await district.post('/api/admin/charging/operators', { name: '区级换电' });
    expect(create.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/charging/operators' })).statusCode).toBe(401);
  });
});

describe('operator API', () => {
  let op: { id: string; key: string };
  beforeAll(async () => {
    op = await createOperator('小哥换电');
  });

  it('registers a cabinet (201), updates it (200), and reports its live state', async () => {
    const created = await put(op.key, 'BH-0001', { placeId: places.siteA, name: '1号柜', slots: 12, readyBatteries: 5, online: true });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ externalId: 'BH-0001', placeId: places.siteA, name: '1号柜', slots: 12, readyBatteries: 5, online: true, state: 'available' });
    expect(created.json().lastHeartbeatAt).toBe(t.clock.now().toISOString());

    t.clock.advance(60_000);
    const updated = await put(op.key, 'BH-0001', { placeId: places.siteA, slots: 12, readyBatteries: 0, online: true });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: '1号柜', readyBatteries: 0, state: 'empty', lastHeartbeatAt: t.clock.now().toISOString() });

    const cabinets = await t.services.charging.cabinetsForPlace(places.siteA);
    expect(cabinets).toEqual([
      { id: expect.any(String), name: '1号柜', operatorName: '小哥换电', slots: 12, readyBatteries: 0, state: 'empty', lastHeartbeatAt: t.clock.now().toISOString() },
    ]);
    expect((await auditActions(t, 'charging.cabinet.register')).filter((a) => a.detail.externalId === 'BH-0001')).toHaveLength(1);
  });

  it('answers 401 charging.invalid_api_key to a missing, wrong or malformed key', async () => {
    const body = { placeId: places.siteA, slots: 10, readyBatteries: 1, online: true };
    for (const key of [undefined, 'nope', `yk_${'A'.repeat(43)}`, op.key.slice(0, -1) + (op.key.endsWith('A') ? 'B' : 'A')]) {
      const res = await put(key, 'BH-9999', body);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('charging.invalid_api_key');
    }
    expect((await t.services.charging.cabinetsForPlace(places.siteA)).map((c) => c.name)).not.toContain('BH-9999');
  });

  it('refuses more ready batteries than slots (400, field named) and changes nothing', async () => {
    const res = await put(op.key, 'BH-0002', { placeId: places.siteA, slots: 8, readyBatteries: 9, online: true });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ field: 'readyBatteries' }] });
    const n = await sql<{ n: number }>`select count(*)::int as n from swap_cabinets where external_id = 'BH-0002'`.execute(t.services.db);
    expect(n.rows[0]!.n).toBe(0);
    const bad = await put(op.key, 'BH-0002', { placeId: places.siteA, slots: 0, readyBatteries: 0, online: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('slots');
    const badId = await put(op.key, 'bad%20id', { placeId: places.siteA, slots: 8, readyBatteries: 1, online: true });
    expect(badId.statusCode).toBe(400);
  });

  it('accepts only charging sites: a station or an unknown place → 400 charging.place_not_charging', async () => {
    for (const placeId of [places.station, '999999999']) {
      const res = await put(op.key, 'BH-0003', { placeId, slots: 8, readyBatteries: 1, online: true });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'charging.place_not_charging', errors: [{ field: 'placeId' }] });
    }
  });

  it('shows a cabinet as unknown, never available, once its heartbeat is over 10 minutes old', async () => {
    expect((await put(op.key, 'BH-0010', { placeId: places.siteB, name: '2号柜', slots: 10, readyBatteries: 4, online: true })).statusCode).toBe(201);
    expect(await t.services.charging.readyBatteries([places.siteB])).toEqual(new Map([[places.siteB, 4]]));
    expect((await t.services.charging.readyPlaceIds('3302')).has(places.siteB)).toBe(true);
    // riders asking for a ready battery find the site
    await t.services.nearby.refresh();
    expect(await nearbyReady()).toContain(places.siteB);

    t.clock.advance(10 * 60_000 + 1000);
    const [cabinet] = await t.services.charging.cabinetsForPlace(places.siteB);
    expect(cabinet).toMatchObject({ state: 'unknown', readyBatteries: null });
    expect(await t.services.charging.readyBatteries([places.siteB, places.station])).toEqual(new Map([[places.siteB, null], [places.station, null]]));
    expect((await t.services.charging.readyPlaceIds('3302')).has(places.siteB)).toBe(false);
    expect(await nearbyReady()).not.toContain(places.siteB);

    const unknown = await admin.get(`/api/admin/charging/cabinets?state=unknown&placeId=${places.siteB}`);
    expect(unknown.json()).toMatchObject({ total: 1, items: [{ externalId: 'BH-0010', state: 'unknown', readyBatteries: null, reportedReadyBatteries: 4, placeName: '白鹤换电站B' }] });
    expect((await admin.get(`/api/admin/charging/cabinets?state=available&placeId=${places.siteB}`)).json().total).toBe(0);

    // a new heartbeat makes it available again
    const again = await beat(op.key, [{ externalId: 'BH-0010', readyBatteries: 2, online: true }]);
    expect(again.json()).toMatchObject({ applied: 1, errors: [] });
    expect((await t.services.charging.cabinetsForPlace(places.siteB))[0]).toMatchObject({ state: 'available', readyBatteries: 2 });
  });

  it('applies a batch of heartbeats and reports the unknown cabinet and the impossible count by position', async () => {
    await put(op.key, 'BH-0020', { placeId: places.siteC, slots: 6, readyBatteries: 1, online: true });
    await put(op.key, 'BH-0021', { placeId: places.siteC, slots: 6, readyBatteries: 1, online: true });
    t.clock.advance(30_000);
    const res = await beat(op.key, [
      { externalId: 'BH-0020', readyBatteries: 6, online: true },
      { externalId: 'NOT-REGISTERED', readyBatteries: 1, online: true },
      { externalId: 'BH-0021', slots: 8, readyBatteries: 0, online: false },
      { externalId: 'BH-0001', readyBatteries: 13, online: true },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      applied: 2,
      errors: [
        { index: 1, externalId: 'NOT-REGISTERED', code: 'charging.cabinet_not_found', message: expect.any(String) },
        { index: 3, externalId: 'BH-0001', code: 'request.invalid', message: expect.stringContaining('12') },
      ],
      receivedAt: t.clock.now().toISOString(),
    });
    const siteC = await t.services.charging.cabinetsForPlace(places.siteC);
    const byName = Object.fromEntries(siteC.map((c) => [c.name, c]));
    expect(byName['BH-0020']).toMatchObject({ slots: 6, readyBatteries: 6, state: 'available', lastHeartbeatAt: t.clock.now().toISOString() });
    expect(byName['BH-0021']).toMatchObject({ slots: 8, readyBatteries: 0, state: 'offline' });
    // an offline cabinet's batteries do not count as ready; its fresh heartbeat makes the sum known
    expect((await t.services.charging.readyBatteries([places.siteC])).get(places.siteC)).toBe(6);

    const tooMany = await beat(op.key, Array.from({ length: 501 }, (_, i) => ({ externalId: `X-${i}`, readyBatteries: 0, online: true })));
    expect(tooMany.statusCode).toBe(400);
    const empty = await beat(op.key, []);
    expect(empty.statusCode).toBe(400);
  });

  it('keeps the ready set for up to 5 s, and drops it at once on this process’s own writes', async () => {
    await put(op.key, 'BH-0030', { placeId: places.siteA, slots: 10, readyBatteries: 3, online: true });
    expect((await t.services.charging.readyPlaceIds('3302')).has(places.siteA)).toBe(true);
    // another process empties every cabinet of site A
    await sql`update swap_cabinets set ready_batteries = 0 where place_id = ${places.siteA}::bigint`.execute(t.services.db);
    t.clock.advance(2000);
    expect((await t.services.charging.readyPlaceIds('3302')).has(places.siteA)).toBe(true);
    t.clock.advance(3500);
    expect((await t.services.charging.readyPlaceIds('3302')).has(places.siteA)).toBe(false);
    await put(op.key, 'BH-0030', { placeId: places.siteA, slots: 10, readyBatteries: 1, online: true });
    expect((await t.services.charging.readyPlaceIds('3302')).has(places.siteA)).toBe(true);
  });

  it('rotating a key stops the old one at once; disabling stops the new one', async () => {
    const rotated = await admin.post(`/api/admin/charging/operators/${op.id}/rotate-key`);
    expect(rotated.statusCode).toBe(200);
    const newKey = rotated.json().apiKey as string;
    expect(newKey).not.toBe(op.key);
    expect(rotated.json().operator).toMatchObject({ keyPrefix: newKey.slice(0, 8), rotatedAt: t.clock.now().toISOString() });
    const body = { placeId: places.siteA, slots: 10, readyBatteries: 1, online: true };
    expect((await put(op.key, 'BH-0030', body)).statusCode).toBe(401);
    expect((await put(newKey, 'BH-0030', body)).statusCode).toBe(200);

    const disabled = await admin.post(`/api/admin/charging/operators/${op.id}/disable`);
    expect(disabled.json()).toMatchObject({ disabled: true, disabledAt: t.clock.now().toISOString() });
    expect((await put(newKey, 'BH-0030', body)).json().code).toBe('charging.invalid_api_key');
    expect((await beat(newKey, [{ externalId: 'BH-0030', readyBatteries: 1, online: true }])).statusCode).toBe(401);
    expect((await admin.post(`/api/admin/charging/operators/${op.id}/rotate-key`)).statusCode).toBe(409);
    expect((await admin.post('/api/admin/charging/operators/00000000-0000-4000-8000-000000000000/disable')).statusCode).toBe(404);
    const actions = (await auditActions(t, 'charging.operator')).filter((a) => a.target_id === op.id).map((a) => a.action);
    expect(actions).toEqual(['charging.operator.create', 'charging.operator.rotate_key', 'charging.operator.disable']);
  });

  it('lists cabinets with filters, search and pagination', async () => {
    const all = await admin.get('/api/admin/charging/cabinets?pageSize=2&page=1');
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(2);
    expect(all.json().total).toBeGreaterThanOrEqual(5);
    const search = await admin.get('/api/admin/charging/cabinets?q=2号');
    expect(search.json().items.map((c: { name: string }) => c.name)).toEqual(['2号柜']);
    const byOperator = await admin.get(`/api/admin/charging/cabinets?operatorId=${op.id}&pageSize=100`);
    expect(byOperator.json().items.every((c: { operatorName: string }) => c.operatorName === '小哥换电')).toBe(true);
    const offline = await admin.get('/api/admin/charging/cabinets?state=offline');
    expect(offline.json().items.map((c: { externalId: string }) => c.externalId)).toEqual(['BH-0021']);
    const bad = await admin.get('/api/admin/charging/cabinets?state=broken');
    expect(bad.statusCode).toBe(400);
  });
});

describe('rate limits', () => {
  it('counts heartbeat batches per key: the 301st in a minute is 429, another key is not affected', async () => {
    const keyA = `yk_${'a'.repeat(43)}`;
    const keyB = `yk_${'b'.repeat(43)}`;
    const send = (key: string) => beat(key, [{ externalId: 'X-1', readyBatteries: 0, online: true }]);
    for (let i = 0; i < 300; i++) expect((await send(keyA)).statusCode).toBe(401);
    const limited = await send(keyA);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('request.rate_limited');
    expect((await send(keyB)).statusCode).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the operator API with its X-Api-Key security scheme', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.chargingApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    expect(doc.paths['/api/charging/v1/cabinets/{externalId}'].put.security).toEqual([{ chargingApiKey: [] }]);
    expect(doc.paths['/api/charging/v1/heartbeats'].post.security).toEqual([{ chargingApiKey: [] }]);
  });
});
