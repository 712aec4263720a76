import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { auditRows, countRows, nextIp, nextPhone } from './workers.test-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ SMS_PER_PHONE_PER_HOUR: '3', SMS_PER_IP_PER_HOUR: '4' });
});
afterAll(async () => t?.close());

const sendCode = (phone: string, ip = nextIp()) =>
  t.app.inject({ method: 'POST', url: '/api/worker/auth/sms-code', payload: { phone }, headers: { 'x-forwarded-for': ip } });
const login = (client: Client, phone: string, code: string) => client.post('/api/worker/auth/login', { phone, code });
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('POST /api/worker/auth/sms-code', () => {
  it('sends a 6-digit code and stores only its hash', async () => {
    const phone = nextPhone();
    const res = await sendCode(phone);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ sentTo: `${phone.slice(0, 3)}****${phone.slice(7)}`, expiresInSeconds: 300, resendAfterSeconds: 60 });
    const msg = t.sms.sent.at(-1)!;
    expect(msg).toMatchObject({ phone, template: 'login_code' });
    expect(msg.params.code).toMatch(/^\d{6}$/);
    const rows = await sql<Record<string, unknown>>`select * from sms_codes`.execute(t.services.db);
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain(phone);
    expect(dump).not.toContain(msg.params.code);
  });

  it('accepts the number as people type it and sends to the normalised number', async () => {
    const phone = nextPhone();
    const typed = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
    expect((await sendCode(typed)).statusCode).toBe(202);
    expect(t.sms.sent.at(-1)!.phone).toBe(phone);
  });

  it('refuses an invalid phone with 400 naming the field, and writes nothing', async () => {
    const before = await countRows(t, 'sms_codes');
    const sent = t.sms.sent.length;
    for (const phone of ['12345678901', '+85213812348000', '1381234800x']) {
      const res = await sendCode(phone);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'workers.invalid_phone', errors: [{ field: 'phone' }] });
      expect(res.body).not.toContain(phone);
    }
    expect(await countRows(t, 'sms_codes')).toBe(before);
    expect(t.sms.sent.length).toBe(sent);
  });

  it('rejects a body without a phone through schema validation', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/worker/auth/sms-code', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ field: 'phone' }] });
  });

  it('waits 60 s between codes to one phone', async () => {
    const phone = nextPhone();
    expect((await sendCode(phone)).statusCode).toBe(202);
    t.clock.advance(20_000);
    const res = await sendCode(phone);
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ code: 'sms.rate_limited' });
    expect(res.headers['retry-after']).toBe('40');
    t.clock.advance(40_000);
    expect((await sendCode(phone)).statusCode).toBe(202);
  });

  it('limits codes per phone per hour (configured 3)', async () => {
    const phone = nextPhone();
    for (let i = 0; i < 3; i++) {
      expect((await sendCode(phone)).statusCode).toBe(202);
      t.clock.advance(61_000);
    }
    const res = await sendCode(phone);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('sms.rate_limited');
    // the first code was sent 183 s ago: the window frees up 3600 - 183 s later
    expect(Number(res.headers['retry-after'])).toBe(3600 - 183);
    const sent = await countRows(t, 'sms_codes');
    t.clock.advance((3600 - 183) * 1000 + 1);
    expect((await sendCode(phone)).statusCode).toBe(202);
    expect(await countRows(t, 'sms_codes')).toBe(sent + 1);
  });

  it('limits codes per IP per hour (configured 4), whatever the phones', async () => {
    const ip = nextIp();
    for (let i = 0; i < 4; i++) expect((await sendCode(nextPhone(), ip)).statusCode).toBe(202);
    const res = await sendCode(nextPhone(), ip);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('sms.rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // another network is not affected
    expect((await sendCode(nextPhone(), nextIp())).statusCode).toBe(202);
  });

  it('holds the per-phone limit under concurrent requests (counted in the database)', async () => {
    const phone = nextPhone();
    const results = await Promise.all([0, 1, 2, 3].map(() => sendCode(phone)));
    expect(results.filter((r) => r.statusCode === 202)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(3);
  });
});

describe('POST /api/worker/auth/login', () => {
  it('logs in with the code, creates the worker once, sets a 30-day session cookie', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    const client = new Client(t.app);
    const workersBefore = await countRows(t, 'workers');
    const res = await login(client, phone, t.sms.lastCodeFor(phone)!);
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me).toMatchObject({
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}`,
      verificationStatus: 'unverified',
      nameMasked: null,
      latestVerification: null,
      consent: { currentVersion: expect.any(String), acceptedVersion: null, needsConsent: true },
    });
    const cookie = res.cookies.find((c) => c.name === 'ya_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    // cookie dates have one-second precision
    expect(Math.abs(new Date(cookie.expires!).getTime() - (t.clock.now().getTime() + 30 * 86_400_000))).toBeLessThan(1000);
    expect(await countRows(t, 'workers')).toBe(workersBefore + 1);

    // the session works
    const again = await client.get('/api/worker/me');
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(me.id);
    const session = (await client.get('/api/auth/session')).json();
    expect(session).toMatchObject({ kind: 'worker', id: me.id, idleTimeoutSeconds: null });

    // a second log-in finds the same worker
    t.clock.advance(61_000);
    await sendCode(phone);
    const second = await login(new Client(t.app), `0086${phone}`, t.sms.lastCodeFor(phone)!);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(me.id);
    expect(await countRows(t, 'workers')).toBe(workersBefore + 1);

    const logins = (await auditRows(t, 'workers.login')).filter((r) => r.target_id === me.id);
    expect(logins).toHaveLength(2);
    expect(logins[0]).toMatchObject({ actor_kind: 'worker', actor_id: me.id, outcome: 'success' });
    expect((await auditRows(t, 'workers.create')).filter((r) => r.target_id === me.id)).toHaveLength(1);
  });

  it('uses a code once', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    const code = t.sms.lastCodeFor(phone)!;
    expect((await login(new Client(t.app), phone, code)).statusCode).toBe(200);
    const reuse = await login(new Client(t.app), phone, code);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().code).toBe('sms.code_invalid');
    expect(reuse.cookies.find((c) => c.name === 'ya_sid')).toBeUndefined();
  });

  it('lets only one of two concurrent log-ins with the same code through', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    const code = t.sms.lastCodeFor(phone)!;
    const [a, b] = await Promise.all([login(new Client(t.app), phone, code), login(new Client(t.app), phone, code)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 400]);
  });

  it('refuses an expired code (after 5 minutes)', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    const code = t.sms.lastCodeFor(phone)!;
    t.clock.advance(300_000);
    const res = await login(new Client(t.app), phone, code);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('sms.code_expired');
  });

  it('accepts a code just before it expires', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    t.clock.advance(299_000);
    expect((await login(new Client(t.app), phone, t.sms.lastCodeFor(phone)!)).statusCode).toBe(200);
  });

  it('burns a code after 5 wrong attempts, even for the right code afterwards', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    const code = t.sms.lastCodeFor(phone)!;
    const client = new Client(t.app);
    for (let i = 1; i <= 4; i++) {
      const r = await login(client, phone, wrong(code));
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('sms.code_invalid');
    }
    const fifth = await login(client, phone, wrong(code));
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().code).toBe('sms.too_many_attempts');
    const right = await login(client, phone, code);
    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe('sms.too_many_attempts');
    // a new code works
    t.clock.advance(61_000);
    await sendCode(phone);
    expect((await login(client, phone, t.sms.lastCodeFor(phone)!)).statusCode).toBe(200);
  });

  it('checks only the latest code sent to the phone', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    const first = t.sms.lastCodeFor(phone)!;
    t.clock.advance(61_000);
    await sendCode(phone);
    const second = t.sms.lastCodeFor(phone)!;
    if (first !== second) expect((await login(new Client(t.app), phone, first)).json().code).toBe('sms.code_invalid');
    expect((await login(new Client(t.app), phone, second)).statusCode).toBe(200);
  });

  it('says code_invalid when no code was ever sent, and audits the failure without the phone', async () => {
    const phone = nextPhone();
    const res = await login(new Client(t.app), phone, '123456');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('sms.code_invalid');
    const failures = await auditRows(t, 'workers.login');
    const last = failures.at(-1)!;
    expect(last).toMatchObject({ outcome: 'failure', actor_kind: 'anonymous', detail: { reason: 'sms.code_invalid' } });
    expect(JSON.stringify(failures)).not.toContain(phone);
  });

  it('validates the login body', async () => {
    const bad = await new Client(t.app).post('/api/worker/auth/login', { phone: nextPhone(), code: '12ab56' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'request.invalid', errors: [{ field: 'code' }] });
    const phone = await new Client(t.app).post('/api/worker/auth/login', { phone: '10000000000', code: '123456' });
    expect(phone.json()).toMatchObject({ code: 'workers.invalid_phone', errors: [{ field: 'phone' }] });
  });

  it('keeps phones encrypted at rest', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    await login(new Client(t.app), phone, t.sms.lastCodeFor(phone)!);
    const rows = await sql<{ phone_enc: string; phone_hash: string }>`select phone_enc, phone_hash from workers`.execute(t.services.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain(phone);
    expect(dump).not.toContain(phone.slice(3));
    for (const r of rows.rows) expect(r.phone_enc).toMatch(/^v1\./);
  });
});

describe('worker routes need a worker session', () => {
  it('answers 401 without a session', async () => {
    const anon = await t.app.inject('/api/worker/me');
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('auth.unauthenticated');
  });

  it('refuses state changes without the CSRF token', async () => {
    const phone = nextPhone();
    await sendCode(phone);
    const client = new Client(t.app);
    await login(client, phone, t.sms.lastCodeFor(phone)!);
    client.csrf = undefined;
    const res = await client.post('/api/worker/me/consents/privacy/withdraw');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('request.csrf_failed');
  });
});

describe('when the SMS gateway fails', () => {
  it('answers 503 sms.send_failed and does not count the code against the limits', async () => {
    const failing = { send: async () => { throw new Error('gateway down'); } };
    const f = await createTestApp({}, { sms: failing });
    try {
      for (let i = 0; i < 7; i++) {
        const res = await f.app.inject({ method: 'POST', url: '/api/worker/auth/sms-code', payload: { phone: '13900007777' } });
        expect(res.statusCode).toBe(503);
        expect(res.json().code).toBe('sms.send_failed');
      }
      const rows = await sql<{ n: number }>`select count(*)::int as n from sms_codes`.execute(f.services.db);
      expect(rows.rows[0].n).toBe(0);
    } finally {
      await f.close();
    }
  });
});
