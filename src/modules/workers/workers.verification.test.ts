import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { PRIVACY_NOTICE_VERSION } from '../../contracts/workers.js';
import { idNumberCheckChar } from '../../shared/id-number.js';
import {
  AREAS,
  auditRows,
  consentedWorker,
  countRows,
  nextIdNumber,
  staffClient,
  verificationBody,
  workerClient,
} from './workers.test-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const snapshot = async () => ({
  verifications: await countRows(t, 'worker_verifications'),
  workers: await sql<{ s: string }>`select string_agg(id || verification_status || coalesce(area_code, '-'), ',' order by id) as s from workers`.execute(t.services.db).then((r) => r.rows[0].s),
});

describe('consent to the privacy notice', () => {
  it('records a versioned consent with IP and user agent, and can be withdrawn', async () => {
    const w = await workerClient(t);
    const accepted = await w.request({
      method: 'POST',
      url: '/api/worker/me/consents',
      payload: { kind: 'privacy', version: PRIVACY_NOTICE_VERSION },
      headers: { 'user-agent': 'MicroMessenger/8.0', 'x-forwarded-for': '10.1.2.3' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().consent).toMatchObject({ currentVersion: PRIVACY_NOTICE_VERSION, acceptedVersion: PRIVACY_NOTICE_VERSION, needsConsent: false, acceptedAt: t.clock.now().toISOString() });
    const id = accepted.json().id;
    const rows = await sql<{ version: string; ip: string; user_agent: string; withdrawn_at: Date | null }>`
      select version, ip, user_agent, withdrawn_at from worker_consents where worker_id = ${id}`.execute(t.services.db);
    expect(rows.rows).toEqual([{ version: PRIVACY_NOTICE_VERSION, ip: '10.1.2.3', user_agent: 'MicroMessenger/8.0', withdrawn_at: null }]);

    // accepting again does not pile up rows
    await w.post('/api/worker/me/consents', { kind: 'privacy', version: PRIVACY_NOTICE_VERSION });
    expect((await sql`select 1 from worker_consents where worker_id = ${id}`.execute(t.services.db)).rows).toHaveLength(1);

    const withdrawn = await w.post('/api/worker/me/consents/privacy/withdraw');
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().consent).toMatchObject({ acceptedVersion: null, needsConsent: true });
    const after = await sql<{ withdrawn_at: Date | null }>`select withdrawn_at from worker_consents where worker_id = ${id}`.execute(t.services.db);
    expect(after.rows[0].withdrawn_at).not.toBeNull();

    const audit = (await auditRows(t, 'workers.consent.accept')).filter((r) => r.target_id === id);
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ kind: 'privacy', version: PRIVACY_NOTICE_VERSION });
    expect((await auditRows(t, 'workers.consent.withdraw')).filter((r) => r.target_id === id)).toHaveLength(1);
  });

  it('refuses an outdated version, naming the field', async () => {
    const w = await workerClient(t);
    const before = await countRows(t, 'worker_consents');
    const res = await w.post('/api/worker/me/consents', { kind: 'privacy', version: '2020-01-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ field: 'version' }] });
    expect(await countRows(t, 'worker_consents')).toBe(before);
  });

  it('refuses unknown consent kinds by schema', async () => {
    const w = await workerClient(t);
    const res = await w.post('/api/worker/me/consents', { kind: 'marketing', version: PRIVACY_NOTICE_VERSION });
    expect(res.statusCode).toBe(400);
  });
});

describe('POST /api/worker/me/verification', () => {
  it('requires consent first (403) and changes nothing', async () => {
    const w = await workerClient(t);
    const before = await snapshot();
    const res = await w.post('/api/worker/me/verification', verificationBody());
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('workers.consent_required');
    expect(await snapshot()).toEqual(before);
  });

  it('requires consent again after it was withdrawn', async () => {
    const w = await consentedWorker(t);
    await w.post('/api/worker/me/consents/privacy/withdraw');
    const res = await w.post('/api/worker/me/verification', verificationBody());
    expect(res.json().code).toBe('workers.consent_required');
  });

  it('stores an encrypted submission, sets the worker pending, and shows it masked', async () => {
    const w = await consentedWorker(t);
    const body = verificationBody({ name: '欧阳娜娜', areaCode: AREAS.xiayingCommunity, idNumber: '330212199003071239' });
    const res = await w.post('/api/worker/me/verification', body);
    expect(res.statusCode).toBe(201);
    const me = res.json();
    expect(me).toMatchObject({
      verificationStatus: 'pending',
      nameMasked: '欧***',
      idNumberMasked: '330***********1239',
      industry: 'food_delivery',
      platform: '美团',
      station: '下应驿站',
      areaCode: AREAS.xiayingCommunity,
      latestVerification: { status: 'pending', reason: null, reviewedAt: null },
    });
    expect(me.areaName).toMatch(/^鄞州区 · 下应街道 · 东兴社区/);
    expect(res.body).not.toContain('欧阳娜娜');
    expect(res.body).not.toContain('330212199003071239');

    const rows = await sql<Record<string, unknown>>`select * from worker_verifications where worker_id = ${me.id}`.execute(t.services.db);
    expect(rows.rows).toHaveLength(1);
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain('欧阳娜娜');
    expect(dump).not.toContain('330212199003071239');
    expect(dump).not.toContain('19900307');
    expect(rows.rows[0].name_enc).toMatch(/^v1\./);

    const audit = (await auditRows(t, 'workers.verification.submit')).find((r) => r.detail.workerId === me.id)!;
    expect(audit).toMatchObject({ actor_kind: 'worker', actor_id: me.id, target_kind: 'worker_verification', target_id: me.latestVerification.id });
    expect(JSON.stringify(audit)).not.toContain('欧阳娜娜');
    expect(JSON.stringify(audit)).not.toContain('330212199003071239');

    const again = (await w.get('/api/worker/me')).json();
    expect(again).toEqual(me);
  });

  it('accepts a lowercase x and stores the number normalised', async () => {
    const w = await consentedWorker(t);
    const first17 = '33021219880808123';
    const check = idNumberCheckChar(first17);
    const res = await w.post('/api/worker/me/verification', verificationBody({ idNumber: first17 + check.toLowerCase() }));
    expect(res.statusCode).toBe(201);
    expect(res.json().idNumberMasked).toBe(`330***********123${check}`);
  });

  it.each([
    ['a bad checksum', { idNumber: '330212199003071238' }, 'workers.invalid_id_number', 'idNumber'],
    ['letters', { idNumber: '33021219900307123A' }, 'workers.invalid_id_number', 'idNumber'],
    ['an impossible birth date', { idNumber: '33021219900230123' + idNumberCheckChar('33021219900230123') }, 'workers.invalid_id_number', 'idNumber'],
    ['a 15-year-old', { idNumber: '33020320111123001' + idNumberCheckChar('33020320111123001') }, 'workers.underage', 'idNumber'],
    ['a district instead of a street', { areaCode: '330212' }, 'request.invalid', 'areaCode'],
    ['an unknown street', { areaCode: '330212999' }, 'areas.not_found', 'areaCode'],
    ['a blank name', { name: '   ' }, 'request.invalid', 'name'],
  ])('refuses %s with a field error and changes nothing', async (_label, override, code, field) => {
    const w = await consentedWorker(t);
    const before = await snapshot();
    const res = await w.post('/api/worker/me/verification', verificationBody(override));
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code, errors: [{ field }] });
    expect(await snapshot()).toEqual(before);
    expect((await w.get('/api/worker/me')).json().verificationStatus).toBe('unverified');
  });

  it('refuses schema-invalid bodies (unknown industry, area outside Ningbo)', async () => {
    const w = await consentedWorker(t);
    const bad = await w.post('/api/worker/me/verification', { ...verificationBody(), industry: 'astronaut' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('industry');
    const outside = await w.post('/api/worker/me/verification', verificationBody({ areaCode: '110105001' }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].field).toBe('areaCode');
  });

  it('allows one pending submission at a time (409)', async () => {
    const w = await consentedWorker(t);
    expect((await w.post('/api/worker/me/verification', verificationBody())).statusCode).toBe(201);
    const before = await snapshot();
    const second = await w.post('/api/worker/me/verification', verificationBody());
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('workers.verification_pending');
    expect(await snapshot()).toEqual(before);
  });

  it('keeps one pending row when two submissions race', async () => {
    const w = await consentedWorker(t);
    const [a, b] = await Promise.all([w.post('/api/worker/me/verification', verificationBody()), w.post('/api/worker/me/verification', verificationBody())]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const id = (a.statusCode === 201 ? a : b).json().id;
    expect((await sql`select 1 from worker_verifications where worker_id = ${id}`.execute(t.services.db)).rows).toHaveLength(1);
  });

  it('refuses an ID number another worker already submitted (409)', async () => {
    const idNumber = nextIdNumber();
    const first = await consentedWorker(t);
    expect((await first.post('/api/worker/me/verification', verificationBody({ idNumber }))).statusCode).toBe(201);
    const second = await consentedWorker(t);
    const before = await snapshot();
    const res = await second.post('/api/worker/me/verification', verificationBody({ idNumber: ` ${idNumber.toLowerCase()} `.trim() }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'workers.id_number_taken', errors: [{ field: 'idNumber' }] });
    expect(res.body).not.toContain(idNumber);
    expect(await snapshot()).toEqual(before);
  });

  it('replays a retried submission with the same Idempotency-Key and creates one row', async () => {
    const w = await consentedWorker(t);
    const body = verificationBody();
    const first = await w.post('/api/worker/me/verification', body, 'verif-retry-1');
    const second = await w.post('/api/worker/me/verification', body, 'verif-retry-1');
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const id = first.json().id;
    expect((await sql`select 1 from worker_verifications where worker_id = ${id}`.execute(t.services.db)).rows).toHaveLength(1);
    // the same key with another body is refused
    const other = await w.post('/api/worker/me/verification', verificationBody(), 'verif-retry-1');
    expect(other.statusCode).toBe(422);
  });
});

describe('review: approve and reject', () => {
  it('an approved worker sees the result, gets notified, and cannot resubmit', async () => {
    const notified: unknown[] = [];
    const original = t.services.notifications.notify;
    t.services.notifications.notify = async (input) => {
      notified.push(input);
      return 'notification-id';
    };
    try {
      const w = await consentedWorker(t);
      const submitted = (await w.post('/api/worker/me/verification', verificationBody({ name: '王小明' }))).json();
      const { client: reviewer, principal } = await staffClient(t, 'reviewer', AREAS.yinzhou, 'rev-yinzhou');

      const queue = (await reviewer.get('/api/admin/verifications')).json();
      const item = queue.items.find((i: { workerId: string }) => i.workerId === submitted.id);
      expect(item).toMatchObject({ status: 'pending', nameMasked: '王**', phoneMasked: `${w.phone.slice(0, 3)}****${w.phone.slice(7)}`, areaName: '鄞州区 · 下应街道' });

      const approved = await reviewer.post(`/api/admin/verifications/${item.id}/approve`);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved', reviewedBy: 'rev-yinzhou', reviewedAt: t.clock.now().toISOString() });

      const me = (await w.get('/api/worker/me')).json();
      expect(me).toMatchObject({
        verificationStatus: 'approved',
        verifiedAt: t.clock.now().toISOString(),
        nameMasked: '王**',
        areaCode: AREAS.xiaying,
        latestVerification: { id: item.id, status: 'approved' },
      });
      const row = await sql<{ name_enc: string | null; id_number_hash: string | null; area_code: string }>`
        select name_enc, id_number_hash, area_code from workers where id = ${submitted.id}`.execute(t.services.db);
      expect(row.rows[0]).toMatchObject({ area_code: AREAS.xiaying, id_number_hash: expect.any(String), name_enc: expect.stringMatching(/^v1\./) });

      expect(notified).toEqual([{ cityCode: '3302', recipientKind: 'worker', recipientId: submitted.id, kind: 'verification.approved', params: {}, link: '/worker/profile' }]);
      const audit = (await auditRows(t, 'workers.verification.approve')).find((r) => r.target_id === item.id)!;
      expect(audit).toMatchObject({ actor_kind: 'staff', actor_id: principal.id, outcome: 'success' });

      const again = await reviewer.post(`/api/admin/verifications/${item.id}/approve`);
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('workers.verification_not_pending');

      const resubmit = await w.post('/api/worker/me/verification', verificationBody());
      expect(resubmit.statusCode).toBe(409);
      expect(resubmit.json().code).toBe('workers.already_verified');
    } finally {
      t.services.notifications.notify = original;
    }
  });

  it('a rejected worker sees the reason and may resubmit; the ID is free again', async () => {
    const notified: { kind: string; params?: unknown }[] = [];
    const original = t.services.notifications.notify;
    t.services.notifications.notify = async (input) => {
      notified.push(input);
      return 'notification-id';
    };
    try {
      const idNumber = nextIdNumber();
      const w = await consentedWorker(t);
      const submitted = (await w.post('/api/worker/me/verification', verificationBody({ idNumber }))).json();
      const { client: reviewer } = await staffClient(t, 'reviewer', AREAS.xiaying);
      const vid = submitted.latestVerification.id;

      const blank = await reviewer.post(`/api/admin/verifications/${vid}/reject`, { reason: '    ' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json()).toMatchObject({ code: 'workers.reason_required', errors: [{ field: 'reason' }] });
      const missing = await reviewer.post(`/api/admin/verifications/${vid}/reject`, {});
      expect(missing.statusCode).toBe(400);
      expect((await w.get('/api/worker/me')).json().verificationStatus).toBe('pending');

      const rejected = await reviewer.post(`/api/admin/verifications/${vid}/reject`, { reason: '身份证照片不清晰' });
      expect(rejected.statusCode).toBe(200);
      expect(rejected.json()).toMatchObject({ status: 'rejected', reason: '身份证照片不清晰' });
      expect(notified).toEqual([expect.objectContaining({ kind: 'verification.rejected', params: { reason: '身份证照片不清晰' }, recipientId: submitted.id })]);

      const me = (await w.get('/api/worker/me')).json();
      expect(me).toMatchObject({ verificationStatus: 'rejected', verifiedAt: null, latestVerification: { id: vid, status: 'rejected', reason: '身份证照片不清晰' } });

      expect((await reviewer.post(`/api/admin/verifications/${vid}/approve`)).json().code).toBe('workers.verification_not_pending');

      // another worker can now use that ID number, and so can this one
      const resubmit = await w.post('/api/worker/me/verification', verificationBody({ idNumber }));
      expect(resubmit.statusCode).toBe(201);
      expect(resubmit.json()).toMatchObject({ verificationStatus: 'pending', latestVerification: { status: 'pending', reason: null } });
    } finally {
      t.services.notifications.notify = original;
    }
  });

  it('an ID number verified for one worker is taken for everyone else', async () => {
    const idNumber = nextIdNumber();
    const a = await consentedWorker(t);
    const sub = (await a.post('/api/worker/me/verification', verificationBody({ idNumber }))).json();
    const { principal } = await staffClient(t, 'operator', '3302');
    await t.services.workers.approveVerification(principal, sub.latestVerification.id, {});
    const b = await consentedWorker(t);
    const res = await b.post('/api/worker/me/verification', verificationBody({ idNumber }));
    expect(res.json().code).toBe('workers.id_number_taken');
  });

  it('the approval stands when the inbox fails, and the failure is audited', async () => {
    const original = t.services.notifications.notify;
    t.services.notifications.notify = async () => {
      throw new Error('inbox down');
    };
    try {
      const w = await consentedWorker(t);
      const sub = (await w.post('/api/worker/me/verification', verificationBody())).json();
      const { client } = await staffClient(t, 'reviewer', AREAS.yinzhou);
      const res = await client.post(`/api/admin/verifications/${sub.latestVerification.id}/approve`);
      expect(res.statusCode).toBe(200);
      expect((await w.get('/api/worker/me')).json().verificationStatus).toBe('approved');
      expect((await auditRows(t, 'workers.notify')).some((r) => r.target_id === sub.id && r.outcome === 'failure')).toBe(true);
    } finally {
      t.services.notifications.notify = original;
    }
  });
});
