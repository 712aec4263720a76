import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { NearbyResponse } from '../../contracts/places.js';

/** Inserts a listed place straight into the table (the registry's own rules are tested elsewhere). */
async function insertPlace(t: TestApp, p: { type: string; name: string; lon: number; lat: number; services?: string[]; hours?: string | null; status?: string; certified?: boolean }) {
  const now = t.clock.now();
  const r = await sql<{ id: string }>`
    insert into places (city_code, area_code, type, name, address, lon, lat, services, hours, status, certified, created_at, updated_at)
    values ('3302', '330212011', ${p.type}, ${p.name}, '测试地址', ${p.lon}, ${p.lat}, ${p.services ?? []}::text[], ${p.hours ?? null}, ${p.status ?? 'active'}, ${p.certified ?? false}, ${now}, ${now})
    returning id`.execute(t.services.db);
  return String(r.rows[0]!.id);
}

const get = async (t: TestApp, query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/places/nearby?${query}` });
  return { status: res.statusCode, body: res.json() as NearbyResponse & { code?: string; errors?: { field: string }[] } };
};

describe('nearby places', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp({ PLACES_INDEX_SYNC_MS: '100' });
    ids.near = await insertPlace(t, { type: 'station', name: '近驿站', lon: 121.571, lat: 29.861, services: ['microwave', 'water'], hours: 'Mo-Su 08:00-22:00' });
    ids.far = await insertPlace(t, { type: 'station', name: '远驿站', lon: 121.6, lat: 29.88, services: ['microwave'], hours: '24/7' });
    ids.closed = await insertPlace(t, { type: 'station', name: '夜间驿站', lon: 121.5705, lat: 29.8605, services: ['microwave'], hours: 'Mo-Su 20:00-23:00' });
    ids.noMicro = await insertPlace(t, { type: 'station', name: '无微波炉驿站', lon: 121.5701, lat: 29.8601, services: ['water'], hours: '24/7' });
    ids.merchant = await insertPlace(t, { type: 'merchant', name: '未认证商家', lon: 121.5702, lat: 29.8602 });
    ids.certified = await insertPlace(t, { type: 'merchant', name: '认证商家', lon: 121.5703, lat: 29.8603, certified: true });
    ids.charging = await insertPlace(t, { type: 'charging', name: '换电站', lon: 121.5704, lat: 29.8604, services: ['battery_swap'], hours: '24/7' });
    ids.draft = await insertPlace(t, { type: 'station', name: '草稿驿站', lon: 121.5700, lat: 29.8600, status: 'draft' });
    await t.services.nearby.refresh();
  });
  afterAll(() => t.close());

  it('finds the nearest open station with a microwave, nearest first, from the index', async () => {
    // the fake clock says 10:00 in Ningbo
    const { status, body } = await get(t, 'lon=121.57&lat=29.86&types=station&services=microwave&openNow=true&limit=5');
    expect(status).toBe(200);
    expect(body.source).toBe('index');
    expect(body.items.map((i) => i.name)).toEqual(['近驿站', '远驿站']);
    expect(body.items[0]!.openState).toMatchObject({ open: true, alwaysOpen: false });
    expect(body.items[0]!.openState.nextChange).toBe('2026-11-23T14:00:00.000Z'); // closes 22:00 Shanghai
    expect(body.items[1]!.openState.alwaysOpen).toBe(true);
    expect(body.items[0]!.distanceM).toBeLessThan(body.items[1]!.distanceM!);
  });

  it('shows only listed places: no drafts, no uncertified merchants', async () => {
    const { body } = await get(t, 'lon=121.57&lat=29.86&limit=50');
    const names = body.items.map((i) => i.name);
    expect(names).toContain('认证商家');
    expect(names).not.toContain('未认证商家');
    expect(names).not.toContain('草稿驿站');
  });

  it('gives the same answer from SQL (the source of truth)', async () => {
    const query = { lon: 121.57, lat: 29.86, limit: 10, types: 'station', services: 'microwave', openNow: true };
    const fromIndex = await t.services.nearby.query(query);
    const fromSql = await t.services.nearby.query(query, { forceSql: true });
    expect(fromSql.source).toBe('sql');
    expect(fromSql.items.map((i) => i.id)).toEqual(fromIndex.items.map((i) => i.id));
  });

  it('follows the table: a change made behind its back is visible within seconds', async () => {
    const id = await insertPlace(t, { type: 'clinic', name: '新诊所', lon: 121.5699, lat: 29.8599, hours: '24/7' });
    const deadline = Date.now() + 5000;
    let found = false;
    while (!found && Date.now() < deadline) {
      const { body } = await get(t, 'lon=121.57&lat=29.86&types=clinic');
      found = body.items.some((i) => i.id === id);
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toBe(true);
    await sql`update places set status = 'suspended' where id = ${id}::bigint`.execute(t.services.db);
    await t.services.nearby.refresh();
    const { body } = await get(t, 'lon=121.57&lat=29.86&types=clinic');
    expect(body.items.some((i) => i.id === id)).toBe(false);
  });

  it('writes the same document pre-serialised as the schema serialiser would', async () => {
    const query = { lon: 121.57, lat: 29.86, limit: 20 };
    const fromObjects = await t.services.nearby.query(query);
    expect(fromObjects.items.length).toBeGreaterThan(3);
    expect(fromObjects.items.find((i) => i.type === 'charging')).toMatchObject({ readyBatteries: null });
    expect(JSON.parse(await t.services.nearby.queryJson(query))).toEqual(fromObjects);
    const res = await t.app.inject({ method: 'GET', url: '/api/places/nearby?lon=121.57&lat=29.86&limit=20' });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(fromObjects);
  });

  it('refuses bad input with the field named', async () => {
    expect((await get(t, 'lon=200&lat=29.86')).status).toBe(400);
    const outside = await get(t, 'lon=116.4&lat=39.9');
    expect(outside.status).toBe(400);
    expect(outside.body.code).toBe('places.out_of_region');
    const badType = await get(t, 'lon=121.57&lat=29.86&types=station,spaceport');
    expect(badType.status).toBe(400);
    expect(badType.body.errors?.[0]?.field).toBe('types');
    const badService = await get(t, 'lon=121.57&lat=29.86&services=teleport');
    expect(badService.body.errors?.[0]?.field).toBe('services');
  });

  it('serves the map configuration', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/places/map-config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ tiles: { crs: 'WGS84' }, center: { lon: 121.5547 } });
  });
});
