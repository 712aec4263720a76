import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createPiiCipher } from '../../shared/pii.js';
import { makeDemoIdNumber } from '../../server/demo-seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('PII key rotation', () => {
  it('re-encrypts every field and recomputes blind indexes under the new key, all at once', async () => {
    const idNumber = makeDemoIdNumber('19900101', '123');
    await t.services.workers.seedWorker({ phone: '13900003333', name: '王小明', idNumber, industry: 'food_delivery', platform: '美团', station: '白鹤站', areaCode: '330212011', status: 'approved' });
    await t.services.workers.requestLoginCode({ phone: '13900003333', ip: '10.1.1.1' });
    const next = createPiiCipher(crypto.randomBytes(64));

    expect(await t.services.workers.rotatePiiKey(next)).toEqual({ workers: 1, verifications: 1 });

    const w = (await sql<{ phone_enc: string; phone_hash: string; name_enc: string; id_number_enc: string; id_number_hash: string }>`select phone_enc, phone_hash, name_enc, id_number_enc, id_number_hash from workers`.execute(t.services.db)).rows[0];
    expect(next.decrypt(w.phone_enc)).toBe('13900003333');
    expect(next.decrypt(w.name_enc)).toBe('王小明');
    expect(next.decrypt(w.id_number_enc)).toBe(idNumber);
    expect(w.phone_hash).toBe(next.blindIndex('13900003333'));
    expect(w.id_number_hash).toBe(next.blindIndex(idNumber));
    expect(() => t.services.pii.decrypt(w.phone_enc)).toThrow();
    const v = (await sql<{ id_number_enc: string; id_number_hash: string }>`select id_number_enc, id_number_hash from worker_verifications`.execute(t.services.db)).rows[0];
    expect(next.decrypt(v.id_number_enc)).toBe(idNumber);
    expect(v.id_number_hash).toBe(next.blindIndex(idNumber));
    const codes = await sql<{ n: number }>`select count(*)::int as n from sms_codes`.execute(t.services.db);
    expect(codes.rows[0].n).toBe(0);
  });
});
