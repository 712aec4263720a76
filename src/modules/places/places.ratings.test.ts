import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type Client, type TestApp } from '../../../test/helpers/app.js';
import type { PlaceInput, RatingInput } from '../../contracts/places.js';
import { friendlinessOf } from './places.rules.js';
import { nextIdNumber, nextPhone, staffClient, workerClient } from '../workers/workers.test-support.js';

let t: TestApp;
let handler: Client;
const riders: Client[] = [];
let unverified: Client;

const BAIHE = '330212011';
const DANDINGHE = '330212011001';

beforeAll(async () => {
  t = await createTestApp();
  handler = (await staffClient(t, 'handler', BAIHE)).client;
  for (let i = 0; i < 4; i += 1) {
    const phone = nextPhone();
    await t.services.workers.seedWorker({ phone, status: 'approved', name: `骑手${i}号`, idNumber: nextIdNumber(), areaCode: BAIHE });
    riders.push(await workerClient(t, phone));
  }
  const phone = nextPhone();
  await t.services.workers.seedWorker({ phone, status: 'pending', name: '待审核', idNumber: nextIdNumber(), areaCode: BAIHE });
  unverified = await workerClient(t, phone);
});
afterAll(async () => t?.close());

let seq = 0;
/** A place made by a fresh staff session (staff sessions idle out when the fake clock moves on). */
async function activePlace(overrides: Partial<PlaceInput> = {}, activate = true): Promise<string> {
  handler = (await staffClient(t, 'handler', BAIHE)).client;
  const res = await handler.post('/api/admin/places', {
    type: 'compound',
    name: `评分小区${++seq}`,
    areaCode: DANDINGHE,
    address: '宁波市鄞州区百丈东路1号',
    lon: 121.57 + seq * 0.001,
    lat: 29.86,
    services: [],
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  if (activate) expect((await handler.post(`/api/admin/places/${id}/status`, { to: 'active', reason: '核实上线' })).statusCode).toBe(200);
  return id;
}

const rate = (client: Client, id: string, body: RatingInput) => client.post(`/api/worker/places/${id}/ratings`, body);
const BEST: RatingInput = { entryMinutes: 'lt2', letIn: true, parking: 'easy' };
const WORST: RatingInput = { entryMinutes: 'gt10', letIn: false, parking: 'none' };

async function stored(id: string) {
  const r = await sql<{ score: number | null; score_count: number; change_seq: number }>`select score, score_count, change_seq from places where id = ${id}`.execute(t.services.db);
  return r.rows[0];
}

describe('friendliness formula', () => {
  it('weighs let in ½, entry time 0.3 and parking 0.2', () => {
    expect(friendlinessOf([])).toBeNull();
    expect(friendlinessOf([{ entry_minutes: 'lt2', let_in: true, parking: 'easy' }])).toEqual({ score: 100, ratings: 1, letInRate: 1, typicalEntry: 'lt2' });
    expect(friendlinessOf([{ entry_minutes: '5to10', let_in: true, parking: 'hard' }])!.score).toBe(Math.round(100 * (0.5 + 0.3 * 0.35 + 0.2 * 0.4)));
    const mixed = friendlinessOf([
      { entry_minutes: '2to5', let_in: true, parking: 'easy' },
      { entry_minutes: '2to5', let_in: false, parking: 'none' },
      { entry_minutes: 'gt10', let_in: true, parking: 'hard' },
    ])!;
    expect(mixed).toEqual({ score: Math.round(100 * (0.5 * (2 / 3) + 0.3 * (1.4 / 3) + 0.2 * (1.4 / 3))), ratings: 3, letInRate: 0.667, typicalEntry: '2to5' });
  });
});

describe('POST /api/worker/places/:id/ratings', () => {
  it('stores the score on the place; the same day replaces, the next day adds', async () => {
    const id = await activePlace();
    const before = await stored(id);
    const first = await rate(riders[0], id, BEST);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ score: 100, ratings: 1, letInRate: 1, typicalEntry: 'lt2' });
    const after = await stored(id);
    expect(after).toMatchObject({ score: 100, score_count: 1 });
    expect(after.change_seq).toBeGreaterThan(before.change_seq); // the nearby index picks the score up

    const sameDay = await rate(riders[0], id, WORST);
    expect(sameDay.json()).toEqual({ score: 0, ratings: 1, letInRate: 0, typicalEntry: 'gt10' });

    t.clock.advance(24 * 3600_000);
    const nextDay = await rate(riders[0], id, BEST);
    expect(nextDay.json()).toMatchObject({ score: 50, ratings: 2, letInRate: 0.5 });
    expect(await stored(id)).toMatchObject({ score: 50, score_count: 2 });

    const page = (await t.app.inject(`/api/places/${id}`)).json();
    expect(page.friendliness).toMatchObject({ score: 50, ratings: 2 });

  });

  it('counts the last 180 days only', async () => {
    const id = await activePlace();
    const old = new Date(t.clock.now().getTime() - 181 * 86400_000);
    await sql`insert into place_ratings (id, place_id, city_code, worker_id, day, entry_minutes, let_in, parking, created_at)
      values (gen_random_uuid(), ${id}, '3302', gen_random_uuid(), ${old.toISOString().slice(0, 10)}, 'gt10', false, 'none', ${old})`.execute(t.services.db);
    expect((await rate(riders[1], id, BEST)).json()).toMatchObject({ score: 100, ratings: 1 });
  });

  it('counts a Shanghai day, not a UTC day', async () => {
    const id = await activePlace();
    // 15:30Z and 16:30Z of one UTC day fall on two Shanghai days (23:30, then 00:30 the next day)
    const utcDay = t.clock.now().toISOString().slice(0, 10);
    t.clock.set(new Date(`${utcDay}T15:30:00Z`));
    await rate(riders[2], id, BEST);
    t.clock.set(new Date(`${utcDay}T16:30:00Z`));
    expect((await rate(riders[2], id, WORST)).json().ratings).toBe(2);
    t.clock.set(new Date(`${utcDay}T17:30:00Z`));
    expect((await rate(riders[2], id, WORST)).json().ratings).toBe(2);
  });

  it('refuses unverified workers (403), places other than compounds and buildings (409), unlisted places (404), staff (403)', async () => {
    const compound = await activePlace();
    const refused = await rate(unverified, compound, BEST);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('places.worker_not_verified');

    const station = await activePlace({ type: 'station', services: ['rest'] });
    const notAllowed = await rate(riders[0], station, BEST);
    expect(notAllowed.statusCode).toBe(409);
    expect(notAllowed.json().code).toBe('places.rating_not_allowed');

    const building = await activePlace({ type: 'building', services: ['delivery_elevator'], access: { mode: 'pass', policy: '凭码' } });
    expect((await rate(riders[0], building, BEST)).statusCode).toBe(200);

    const draft = await activePlace({}, false);
    expect((await rate(riders[0], draft, BEST)).statusCode).toBe(404);
    expect((await rate(handler, compound, BEST)).statusCode).toBe(403);
    expect((await rate(riders[0], compound, { entryMinutes: 'forever', letIn: true, parking: 'easy' } as never)).statusCode).toBe(400);
    expect(await stored(compound)).toMatchObject({ score: null, score_count: 0 });
  });
});

describe('GET /api/admin/places/worst-rated', () => {
  it('lists places with 3 or more ratings in my area, lowest score first', async () => {
    t.clock.advance(24 * 3600_000);
    const good = await activePlace({ name: '友好小区' });
    const bad = await activePlace({ name: '进门难小区' });
    const few = await activePlace({ name: '评分太少小区' });
    for (const r of riders.slice(0, 3)) {
      await rate(r, good, BEST);
      await rate(r, bad, { entryMinutes: '5to10', letIn: false, parking: 'hard' });
    }
    await rate(riders[0], few, WORST);
    await rate(riders[1], few, WORST);

    handler = (await staffClient(t, 'handler', BAIHE)).client;
    const res = await handler.get('/api/admin/places/worst-rated');
    expect(res.statusCode, res.body).toBe(200);
    const names = res.json().map((w: { name: string }) => w.name);
    expect(names.indexOf('进门难小区')).toBeLessThan(names.indexOf('友好小区'));
    expect(names).not.toContain('评分太少小区');
    expect(res.json().find((w: { name: string }) => w.name === '进门难小区')).toMatchObject({
      id: bad,
      type: 'compound',
      areaName: '鄞州区 白鹤街道 丹顶鹤社区',
      friendliness: { score: Math.round(100 * (0.3 * 0.35 + 0.2 * 0.4)), ratings: 3, letInRate: 0, typicalEntry: '5to10' },
    });

    const elsewhere = (await staffClient(t, 'handler', '330212001')).client;
    expect((await elsewhere.get('/api/admin/places/worst-rated')).json()).toEqual([]);
    expect((await elsewhere.get(`/api/admin/places/worst-rated?areaCode=${BAIHE}`)).statusCode).toBe(403);
  });
});
