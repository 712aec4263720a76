import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { seedDemoCity } from '../../server/demo-seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('legal demo seed', () => {
  it('puts the demo lawyer on the roster and asks the demo rider’s two questions once, one answered', async () => {
    const first = await seedDemoCity(t.services);
    await seedDemoCity(t.services);
    expect(first.logins.find((l) => l.username === 'lawyer')).toMatchObject({ app: 'admin', role: 'lawyer' });
    const rows = await sql<{ type: string; status: string; answers: number }>`
      select q.type, q.status, (select count(*)::int from legal_messages m where m.question_id = q.id and m.kind = 'answer') as answers
      from legal_questions q order by q.type`.execute(t.services.db);
    expect(rows.rows).toEqual([
      { type: 'labour_relation', status: 'answered', answers: 1 },
      { type: 'predatory_rental', status: 'assigned', answers: 0 },
    ]);
  });
});
