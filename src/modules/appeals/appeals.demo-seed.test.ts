import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { seedDemoCity } from '../../server/demo-seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('appeals demo seed', () => {
  it('files the demo appeals once, assigned by the 白鹤 rule, one mediated and rated', async () => {
    await seedDemoCity(t.services);
    await seedDemoCity(t.services);
    const rows = await sql<{ type: string; status: string; channel: string; recovered_fen: number; satisfaction: string | null; n: number }>`
      select a.type, a.status, a.channel, a.recovered_fen::int as recovered_fen, a.satisfaction,
        (select count(*)::int from appeal_assignees x where x.appeal_id = a.id and x.removed_at is null) as n
      from appeals a order by a.type`.execute(t.services.db);
    expect(rows.rows).toEqual([
      { type: 'predatory_rental', status: 'closed', channel: 'app', recovered_fen: 150_000, satisfaction: 'satisfied', n: 3 },
      { type: 'wage_arrears', status: 'submitted', channel: 'app', recovered_fen: 0, satisfaction: null, n: 3 },
      { type: 'work_injury', status: 'submitted', channel: 'hotline', recovered_fen: 0, satisfaction: null, n: 3 },
    ]);
  });
});
