import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { seedDemoCity } from '../../server/demo-seed.js';
import { DEMO_MEAL_TITLE, DEMO_POINTS_WORKER_PHONE, DEMO_SPONSOR, seedPointsDemo } from './points.demo-seed.js';
import type { PointsModule } from './points.module.js';
import { workerAccount } from './points.service.js';
import { AREAS, CITY, expectNoDrift, pointsOf, staffClient } from './points.test-support.js';

let t: TestApp;
let m: PointsModule;
const seedServices = () => t.services;

beforeAll(async () => {
  t = await createTestApp();
  m = pointsOf(t);
  await seedDemoCity(t.services);
});
afterAll(() => t.close());

describe('demo seed: points', () => {
  it('gives the demo rider points for a 10元爱心餐 at a certified 鄞州区 merchant, and a sponsor with a budget', async () => {
    const rider = (await seedServices().workers.findWorkerByPhone(CITY, DEMO_POINTS_WORKER_PHONE))!;
    const balance = await m.points.balanceOf(CITY, workerAccount(rider.id));
    const catalogue = await m.rewards.catalogue({ id: rider.id, cityCode: CITY }, { page: 1, pageSize: 20 });
    expect(catalogue.items).toHaveLength(6);
    const meal = catalogue.items.find((r) => r.title === DEMO_MEAL_TITLE)!;
    expect(meal).toMatchObject({ category: 'meal', affordable: true, sponsorName: DEMO_SPONSOR });
    expect(meal.place?.areaName).toContain('鄞州区');
    expect(balance).toBeGreaterThanOrEqual(meal.cost);
    const operator = (await staffClient(t, 'operator', AREAS.city)).principal;
    const [sponsor] = await m.sponsors.list(operator);
    expect(sponsor).toMatchObject({ name: DEMO_SPONSOR, funded: 20_000 });
    expect(sponsor!.awarded).toBeGreaterThan(0); // the 好人好事 rule draws on it
    const order = await m.rewards.redeem({ cityCode: CITY, workerId: rider.id, rewardId: meal.id, idempotencyKey: 'demo-meal' });
    expect(order.status).toBe('awaiting_pickup');
  });

  it('shows approved 微光榜 stories with masked names, and seeds nothing twice', async () => {
    const wall = await m.honours.publicStories(CITY, { page: 1, pageSize: 20 });
    expect(wall.items.length).toBe(3);
    expect(wall.items.map((s) => s.workerNameMasked)).toContain('周**');
    expect(await seedPointsDemo(seedServices(), CITY)).toEqual({ rewards: 0, stories: 0 });
    await expectNoDrift(t);
  });
});
