import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('housekeeping jobs', () => {
  it('purge ended sessions, old idempotency records and SMS codes on their schedule', async () => {
    const s = await t.services.sessions.create({ kind: 'worker', id: crypto.randomUUID(), cityCode: '3302' }, { lifetimeSeconds: 60, idleTimeoutSeconds: null });
    await t.services.workers.requestLoginCode({ phone: '13900002222', ip: '10.0.0.1' });
    await sql`insert into idempotency_keys (scope, key, request_hash, status_code, response_body, created_at) values ('ip:1', 'k1', 'h', 200, '{}'::jsonb, ${t.clock.now()})`.execute(t.services.db);

    const recipient = { cityCode: '3302', recipientKind: 'worker' as const, recipientId: crypto.randomUUID(), kind: 'verification.approved' };
    await t.services.notifications.notify(recipient);

    await t.services.jobs.runDue(); // seeds the recurring jobs; nothing is old yet
    const count = async (table: string) => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.services.db)).rows[0].n;
    expect(await count('sessions')).toBe(1);

    t.clock.advance(8 * 24 * 3600 * 1000);
    await t.services.jobs.runDue();
    expect(await count('sessions')).toBe(0);
    expect(await count('sms_codes')).toBe(0);
    expect(await count('idempotency_keys')).toBe(0);
    expect(await count('notifications')).toBe(1); // unread, and younger than a year

    t.clock.advance(360 * 24 * 3600 * 1000);
    await t.services.jobs.runDue();
    expect(await count('notifications')).toBe(0);
    expect(s.id).toBeTruthy();
  });
});
