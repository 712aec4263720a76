import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { cityBounds } from '../../contracts/places.js';
import { buildDemoPlaces, seedDemoPlaces } from './places.demo-seed.js';
import { draftIssues } from './places.rules.js';
import { staffClient } from '../workers/workers.test-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

interface Row {
  id: number;
  type: string;
  name: string;
  area_code: string;
  lon: number;
  lat: number;
  services: string[];
  status: string;
  certified: boolean;
  score: number | null;
}

describe('demo places', () => {
  it('seeds Ningbo once, deterministically, with valid places in real communities', async () => {
    const inserted = await seedDemoPlaces(t.services, '3302');
    expect(inserted).toBeGreaterThanOrEqual(400);
    expect(inserted).toBeLessThanOrEqual(600);
    expect(await seedDemoPlaces(t.services, '3302')).toBe(0); // not twice

    const rows = (await sql<Row>`select id, type, name, area_code, lon, lat, services, status, certified, score from places order by id`.execute(t.services.db)).rows;
    expect(rows).toHaveLength(inserted);
    const communities = new Set((await sql<{ code: string }>`select code from areas where level = 5`.execute(t.services.db)).rows.map((r) => r.code));
    const [minLon, minLat, maxLon, maxLat] = cityBounds['3302'];
    for (const r of rows) {
      expect(communities.has(r.area_code), r.name).toBe(true);
      expect(r.lon >= minLon && r.lon <= maxLon && r.lat >= minLat && r.lat <= maxLat, r.name).toBe(true);
    }
    expect(new Set(rows.map((r) => r.type)).size).toBe(13);
    expect(rows.filter((r) => r.type === 'merchant').every((r) => !r.certified)).toBe(true);
    expect(rows.some((r) => r.score !== null)).toBe(true);

    // the demo handler's street: stations with a microwave, compounds and a merchant near 121.57, 29.86
    const baihe = rows.filter((r) => r.area_code.startsWith('330212011') && r.status === 'active');
    const near = (r: Row) => Math.abs(r.lon - 121.57) < 0.02 && Math.abs(r.lat - 29.86) < 0.02;
    expect(baihe.filter((r) => r.type === 'station' && r.services.includes('microwave') && near(r)).length).toBeGreaterThanOrEqual(3);
    expect(baihe.filter((r) => r.type === 'compound' && near(r)).length).toBeGreaterThanOrEqual(3);
    expect(baihe.filter((r) => r.type === 'merchant').length).toBeGreaterThanOrEqual(1);
    expect(rows.find((r) => r.name === '白鹤街道骑手驿站')).toMatchObject({ type: 'station', status: 'active' });

    // the demo staff see them in their scope
    const handler = (await staffClient(t, 'handler', '330212011')).client;
    expect((await handler.get('/api/admin/places?type=station')).json().total).toBeGreaterThanOrEqual(4);
    const grid = (await staffClient(t, 'grid_worker', '330212011001')).client;
    expect((await grid.get('/api/admin/places')).json().total).toBeGreaterThanOrEqual(3);
  });

  it('builds the same valid places from the same areas every time', async () => {
    const areas = (await sql<{ code: string; name: string; level: number; parent_code: string | null }>`select code, name, level, parent_code from areas`.execute(t.services.db)).rows.map(
      (a) => ({ code: a.code, name: a.name, level: a.level, parentCode: a.parent_code }),
    );
    const a = buildDemoPlaces('3302', areas);
    expect(JSON.stringify(buildDemoPlaces('3302', [...areas].reverse()))).toBe(JSON.stringify(a));
    for (const p of a) expect(draftIssues(p, '3302'), p.name).toEqual([]);
    expect(new Set(a.map((p) => p.name)).size).toBe(a.length);
    expect(buildDemoPlaces('3301', areas)).toEqual([]);
  });
});
