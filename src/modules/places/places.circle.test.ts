import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type Client, type TestApp } from '../../../test/helpers/app.js';
import type { PlaceInput, ServiceCircleReport } from '../../contracts/places.js';
import { circleReachM, createServiceCircle } from './places.circle.js';
import { createPlacesRepository } from './places.repository.js';
import { distanceM } from './places.rules.js';
import { staffClient } from '../workers/workers.test-support.js';

let t: TestApp;
let operator: Client;
const ids: Record<string, string> = {};

const DANDINGHE = '330212011001';
const DANFENG = '330212011002';
const XIAYING_COMMUNITY = '330212001005';

/**
 * A station S in 丹顶鹤; compounds A (丹顶鹤, ~150 m from S), C (丹凤, ~1 km), B (丹凤, ~4.8 km) and
 * D (下应, ~7 km); a draft compound and a draft station that must not count.
 */
beforeAll(async () => {
  t = await createTestApp();
  operator = (await staffClient(t, 'operator', '3302')).client;
  const add = async (key: string, input: Partial<PlaceInput>, active = true) => {
    const res = await operator.post('/api/admin/places', { name: key, address: '地址', services: [], areaCode: DANDINGHE, type: 'compound', ...input });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
    if (active) await operator.post(`/api/admin/places/${ids[key]}/status`, { to: 'active', reason: '上线' });
  };
  await add('S', { type: 'station', lon: 121.57, lat: 29.861, services: ['rest'] });
  await add('A', { lon: 121.571, lat: 29.862 });
  await add('B', { lon: 121.62, lat: 29.86, areaCode: DANFENG });
  await add('C', { lon: 121.58, lat: 29.865, areaCode: DANFENG });
  await add('D', { lon: 121.6, lat: 29.8, areaCode: XIAYING_COMMUNITY });
  await add('E', { lon: 121.65, lat: 29.9 }, false);
  await add('S2', { type: 'station', lon: 121.621, lat: 29.86, services: ['rest'] }, false);
});
afterAll(async () => t?.close());

/** The k nearest listed places by brute force: the oracle the index must match. */
async function bruteNearest(cityCode: string, lon: number, lat: number, opts: { types?: string[]; k: number; maxDistanceM?: number }) {
  const rows = await sql<{ id: number; type: string; lon: number; lat: number }>`select id, type, lon, lat from places where city_code = ${cityCode} and listed`.execute(t.services.db);
  return rows.rows
    .filter((r) => !opts.types || opts.types.includes(r.type))
    .map((r) => ({ id: String(r.id), distanceM: distanceM(lon, lat, r.lon, r.lat) }))
    .filter((h) => opts.maxDistanceM === undefined || h.distanceM <= opts.maxDistanceM)
    .sort((a, b) => a.distanceM - b.distanceM)
    .slice(0, opts.k);
}

function expectFixtureReports(district: ServiceCircleReport, street: ServiceCircleReport, community: ServiceCircleReport) {
  expect(district).toMatchObject({ areaCode: '330212', areaName: '鄞州区', reachM: 2885, compounds: 4, covered: 2, share: 0.5 });
  expect(district.rows).toHaveLength(25);
  expect(district.rows.find((r) => r.areaCode === '330212011')).toEqual({ areaCode: '330212011', areaName: '白鹤街道', compounds: 3, covered: 2, share: 0.6667 });
  expect(district.rows.find((r) => r.areaCode === '330212001')).toMatchObject({ compounds: 1, covered: 0, share: 0 });
  expect(district.rows.find((r) => r.areaCode === '330212002')).toMatchObject({ compounds: 0, covered: 0, share: 0 });
  expect(district.gaps.map((g) => g.id)).toEqual([ids.D, ids.B]);
  expect(district.gaps[1].nearestStationM).toBeGreaterThan(4700);
  expect(district.gaps[1].nearestStationM).toBeLessThan(4900);

  expect(street).toMatchObject({ compounds: 3, covered: 2 });
  expect(street.rows).toHaveLength(11);
  expect(street.rows.find((r) => r.areaCode === DANDINGHE)).toMatchObject({ compounds: 1, covered: 1, share: 1 });
  expect(street.rows.find((r) => r.areaCode === DANFENG)).toMatchObject({ compounds: 2, covered: 1, share: 0.5 });
  expect(street.gaps).toEqual([{ id: ids.B, name: 'B', lon: 121.62, lat: 29.86, nearestStationM: district.gaps[1].nearestStationM }]);

  expect(community.rows).toEqual([{ areaCode: DANFENG, areaName: '丹凤社区', compounds: 2, covered: 1, share: 0.5 }]);
}

describe('15-minute service circle', () => {
  it('reach is speed × time ÷ detour', () => {
    expect(circleReachM({ circleSpeedKmh: 15, circleMinutes: 15, circleDetour: 1.3 })).toBe(2885);
    expect(circleReachM({ circleSpeedKmh: 12, circleMinutes: 10, circleDetour: 1 })).toBe(2000);
  });

  it('counts covered compounds per child area and lists the gaps farthest first (brute-force nearest)', async () => {
    const circle = createServiceCircle({ repo: createPlacesRepository(t.services.db), areas: t.services.areas, nearby: { nearest: bruteNearest }, config: t.config });
    expectFixtureReports(await circle.report('3302', '330212'), await circle.report('3302', '330212011'), await circle.report('3302', DANFENG));
  });

  it('GET /api/admin/service-circle gives the same numbers through the nearby index', async () => {
    const live = await t.services.nearby.nearest('3302', 121.57, 29.861, { types: ['station'], k: 1 });
    expect(live).toHaveLength(1);
    const get = async (areaCode: string) => {
      const res = await operator.get(`/api/admin/service-circle?areaCode=${areaCode}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as ServiceCircleReport;
    };
    expectFixtureReports(await get('330212'), await get('330212011'), await get(DANFENG));
  });

  it('is scope-checked, defaults to my own area and refuses unknown areas', async () => {
    const grid = (await staffClient(t, 'grid_worker', DANDINGHE)).client;
    const mine = await grid.get('/api/admin/service-circle');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ areaCode: DANDINGHE, compounds: 1, rows: [{ areaCode: DANDINGHE, compounds: 1 }] });
    const wider = await grid.get('/api/admin/service-circle?areaCode=330212011');
    expect(wider.statusCode).toBe(403);
    expect(wider.json().code).toBe('areas.out_of_scope');
    expect((await operator.get('/api/admin/service-circle?areaCode=330212011999')).json().code).toBe('areas.not_found');
    const scanner = (await staffClient(t, 'scanner', '330212011')).client;
    expect((await scanner.get('/api/admin/service-circle')).statusCode).toBe(403);
  });
});
