import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { seedDemoCity } from '../../server/demo-seed.js';
import { seedDemoCharging } from '../charging/charging.demo-seed.js';
import { seedDemoMerchants, DEMO_APPLIED_MERCHANT } from './merchants.demo-seed.js';
import { staffClient } from '../charging/charging.test-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.services);
});
afterAll(async () => t?.close());

describe('demo seed: charging and merchants', () => {
  it('certifies most merchants (listed for workers) and leaves 白鹤阿娘面馆 applied in 白鹤街道', async () => {
    const states = await sql<{ state: string; n: number }>`select state, count(*)::int as n from merchant_certifications group by state order by state`.execute(t.services.db);
    const byState = Object.fromEntries(states.rows.map((r) => [r.state, r.n]));
    expect(byState.certified).toBeGreaterThan(20);
    expect(byState.applied).toBeGreaterThan(1);
    expect(byState.reviewed).toBeGreaterThan(0);
    const listed = await sql<{ n: number }>`select count(*)::int as n from places where type = 'merchant' and listed`.execute(t.services.db);
    expect(listed.rows[0]!.n).toBe(byState.certified);

    const handler = (await staffClient(t, 'handler', '330212011')).client;
    const queue = (await handler.get('/api/admin/merchants/applications?state=applied')).json();
    expect(queue.items.map((i: { placeName: string }) => i.placeName)).toContain(DEMO_APPLIED_MERCHANT);
  });

  it('puts swap cabinets of two operators on swap sites, with fresh heartbeats', async () => {
    const operators = await sql<{ name: string; cabinets: number }>`
      select o.name, count(c.id)::int as cabinets from charging_operators o left join swap_cabinets c on c.operator_id = o.id group by o.name order by o.name`.execute(t.services.db);
    expect(operators.rows.map((r) => r.name).sort()).toEqual(['e换电', '铁塔换电'].sort());
    expect(operators.rows.every((r) => r.cabinets > 0)).toBe(true);
    const ready = await t.services.charging.readyPlaceIds('3302');
    expect(ready.size).toBeGreaterThan(3);
    const [some] = [...ready];
    const cabinets = await t.services.charging.cabinetsForPlace(some!);
    expect(cabinets.some((c) => c.state === 'available')).toBe(true);
  });

  it('creates nothing more on the next start, and refreshes only stale demo heartbeats', async () => {
    expect(await seedDemoMerchants(t.services, '3302')).toBe(0);
    expect(await seedDemoCharging(t.services, '3302')).toBe(0);
    t.clock.advance(60 * 60_000);
    expect((await t.services.charging.readyPlaceIds('3302')).size).toBe(0);
    await seedDemoCharging(t.services, '3302');
    expect((await t.services.charging.readyPlaceIds('3302')).size).toBeGreaterThan(3);
  });
});
