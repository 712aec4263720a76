import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { AREAS, auditRows, consentedWorker, nextIdNumber, nextPhone, staffClient, verificationBody } from './workers.test-support.js';

let t: TestApp;
/** Seeded workers: approved in 下应 (two), 钟公庙, 南门 (海曙); pending in 下应 and 南门; one unverified. */
const seeded: Record<string, { id: string; phone: string; name?: string; idNumber?: string }> = {};

beforeAll(async () => {
  t = await createTestApp();
  const seed = async (key: string, input: Omit<Parameters<TestApp['services']['workers']['seedWorker']>[0], 'phone'>) => {
    const phone = nextPhone();
    const { id } = await t.services.workers.seedWorker({ phone, ...input });
    seeded[key] = { id, phone, name: input.name, idNumber: input.idNumber };
    t.clock.advance(1000); // distinct creation and submission times, so order is observable
  };
  await seed('xiaying1', { status: 'approved', name: '李四', idNumber: nextIdNumber(), areaCode: AREAS.xiaying, industry: 'express_courier', platform: '顺丰' });
  await seed('xiaying2', { status: 'approved', name: '赵五六', idNumber: nextIdNumber(), areaCode: AREAS.xiayingCommunity });
  await seed('zhonggongmiao', { status: 'approved', name: '钱七', idNumber: nextIdNumber(), areaCode: AREAS.zhonggongmiao });
  await seed('nanmen', { status: 'approved', name: '孙八', idNumber: nextIdNumber(), areaCode: AREAS.nanmen });
  await seed('pendingXiaying', { status: 'pending', name: '周九', idNumber: nextIdNumber(), areaCode: AREAS.xiaying });
  await seed('pendingNanmen', { status: 'pending', name: '吴十', idNumber: nextIdNumber(), areaCode: AREAS.nanmen });
  await seed('rejectedXiaying', { status: 'rejected', name: '郑一', idNumber: nextIdNumber(), areaCode: AREAS.xiaying, rejectReason: '姓名与证件不符' });
  await seed('unverified', { status: 'unverified' });
});
afterAll(async () => t?.close());

const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);

describe('seedWorker and getWorkerSummary', () => {
  it('is idempotent by phone, whatever its format', async () => {
    const again = await t.services.workers.seedWorker({ phone: `+86 ${seeded.xiaying1.phone}`, status: 'unverified' });
    expect(again).toEqual({ id: seeded.xiaying1.id, created: false });
  });

  it('creates workers in the requested state with consent', async () => {
    const summary = await t.services.workers.getWorkerSummary(seeded.xiaying1.id);
    expect(summary).toEqual({
      id: seeded.xiaying1.id,
      cityCode: '3302',
      phoneMasked: `${seeded.xiaying1.phone.slice(0, 3)}****${seeded.xiaying1.phone.slice(7)}`,
      nameMasked: '李*',
      verificationStatus: 'approved',
      areaCode: AREAS.xiaying,
      industry: 'express_courier',
      platform: '顺丰',
    });
    expect((await t.services.workers.getMe(seeded.pendingXiaying.id)).consent.needsConsent).toBe(false);
    expect((await t.services.workers.getMe(seeded.unverified.id)).consent.needsConsent).toBe(true);
    expect(await t.services.workers.getMe(seeded.rejectedXiaying.id)).toMatchObject({ verificationStatus: 'rejected', latestVerification: { reason: '姓名与证件不符' } });
    expect(await t.services.workers.getWorkerSummary('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('refuses inconsistent seed data', async () => {
    await expect(t.services.workers.seedWorker({ phone: nextPhone(), status: 'approved', name: '甲乙' })).rejects.toThrow(/needs name/);
    await expect(t.services.workers.seedWorker({ phone: '123', status: 'unverified' })).rejects.toThrow(/invalid phone/);
  });
});

describe('GET /api/admin/workers — area scope', () => {
  it('a handler of one street sees only that street’s workers', async () => {
    const { client } = await staffClient(t, 'handler', AREAS.xiaying);
    const res = await client.get('/api/admin/workers?pageSize=100');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    // placed there by their verified data or, while under review, by the area they declared
    const xiaying = [seeded.xiaying1.id, seeded.xiaying2.id, seeded.pendingXiaying.id, seeded.rejectedXiaying.id];
    expect(ids(page).sort()).toEqual(xiaying.sort());
    expect(page.total).toBe(4);
    for (const other of ['zhonggongmiao', 'nanmen', 'unverified']) expect(ids(page)).not.toContain(seeded[other].id);

    // nor read one directly: 404, as if it did not exist
    const direct = await client.get(`/api/admin/workers/${seeded.zhonggongmiao.id}`);
    expect(direct.statusCode).toBe(404);
    expect(direct.json().code).toBe('workers.not_found');
    // nor widen the scope with a filter
    const widened = await client.get(`/api/admin/workers?areaCode=${AREAS.yinzhou}`);
    expect(widened.statusCode).toBe(403);
    expect(widened.json()).toMatchObject({ code: 'areas.out_of_scope', errors: [{ field: 'areaCode' }] });
  });

  it('returns masked rows only (allow-listed fields)', async () => {
    const { client } = await staffClient(t, 'grid_worker', AREAS.xiaying);
    const res = await client.get(`/api/admin/workers/${seeded.xiaying1.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: seeded.xiaying1.id,
      nameMasked: '李*',
      phoneMasked: `${seeded.xiaying1.phone.slice(0, 3)}****${seeded.xiaying1.phone.slice(7)}`,
      idNumberMasked: `${seeded.xiaying1.idNumber!.slice(0, 3)}***********${seeded.xiaying1.idNumber!.slice(14)}`,
      industry: 'express_courier',
      platform: '顺丰',
      station: '甬爱驿站',
      areaCode: AREAS.xiaying,
      areaName: '鄞州区 · 下应街道',
      verificationStatus: 'approved',
      createdAt: expect.any(String),
    });
    expect(res.body).not.toContain(seeded.xiaying1.phone);
    expect(res.body).not.toContain(seeded.xiaying1.idNumber);
    expect(res.body).not.toContain('李四');
  });

  it('a district account sees its streets; a city operator also sees workers not yet placed', async () => {
    const { client: district } = await staffClient(t, 'mediator', AREAS.yinzhou);
    const d = (await district.get('/api/admin/workers?pageSize=100')).json();
    expect(ids(d).sort()).toEqual(
      [seeded.xiaying1.id, seeded.xiaying2.id, seeded.pendingXiaying.id, seeded.rejectedXiaying.id, seeded.zhonggongmiao.id].sort(),
    );

    const { client: city } = await staffClient(t, 'operator', '3302');
    const c = (await city.get('/api/admin/workers?pageSize=100')).json();
    expect(c.total).toBe(8);
    expect(ids(c)).toContain(seeded.unverified.id);
    const narrowed = (await city.get(`/api/admin/workers?areaCode=${AREAS.haishu}`)).json();
    expect(ids(narrowed).sort()).toEqual([seeded.nanmen.id, seeded.pendingNanmen.id].sort());
  });

  it('filters by exact phone (blind index), status and industry, and paginates newest first', async () => {
    const { client } = await staffClient(t, 'hotline_agent', '3302');
    const typed = `${seeded.nanmen.phone.slice(0, 3)} ${seeded.nanmen.phone.slice(3, 7)} ${seeded.nanmen.phone.slice(7)}`;
    const byPhone = (await client.get(`/api/admin/workers?phone=${encodeURIComponent(typed)}`)).json();
    expect(ids(byPhone)).toEqual([seeded.nanmen.id]);
    const partial = (await client.get(`/api/admin/workers?phone=${seeded.nanmen.phone.slice(0, 10)}`));
    expect(partial.statusCode).toBe(400);
    expect(partial.json()).toMatchObject({ code: 'workers.invalid_phone', errors: [{ field: 'phone' }] });

    const pending = (await client.get('/api/admin/workers?status=pending')).json();
    expect(ids(pending).sort()).toEqual([seeded.pendingXiaying.id, seeded.pendingNanmen.id].sort());
    const couriers = (await client.get('/api/admin/workers?industry=express_courier')).json();
    expect(ids(couriers)).toEqual([seeded.xiaying1.id]);

    const p1 = (await client.get('/api/admin/workers?pageSize=3&page=1')).json();
    const p3 = (await client.get('/api/admin/workers?pageSize=3&page=3')).json();
    expect(p1).toMatchObject({ total: 8, page: 1, pageSize: 3 });
    expect(p1.items[0].id).toBe(seeded.unverified.id); // created last
    expect(p3.items).toHaveLength(2);
    expect(p3.items.at(-1).id).toBe(seeded.xiaying1.id); // created first
  });

  it('writes one audit entry per list request (with the count) and one per detail read, never the phone', async () => {
    const { client, principal } = await staffClient(t, 'handler', AREAS.xiaying);
    await client.get(`/api/admin/workers?phone=${seeded.xiaying1.phone}`);
    await client.get(`/api/admin/workers/${seeded.xiaying2.id}`);
    const lists = (await auditRows(t, 'workers.list')).filter((r) => r.actor_id === principal.id);
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ actor_kind: 'staff', outcome: 'success', detail: { count: 1, total: 1, byPhone: true, areaCode: AREAS.xiaying } });
    expect(JSON.stringify(lists)).not.toContain(seeded.xiaying1.phone);
    const reads = (await auditRows(t, 'workers.read')).filter((r) => r.actor_id === principal.id);
    expect(reads).toEqual([expect.objectContaining({ target_kind: 'worker', target_id: seeded.xiaying2.id })]);
  });

  it('is for staff with a reading role only', async () => {
    const { client: scanner } = await staffClient(t, 'scanner', '3302');
    expect((await scanner.get('/api/admin/workers')).json().code).toBe('auth.forbidden');
    const worker = await consentedWorker(t);
    const res = await worker.get('/api/admin/workers');
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject('/api/admin/workers')).statusCode).toBe(401);
  });
});

describe('POST /api/admin/workers/:id/unmask', () => {
  it('gives an operator or reviewer the plaintext and audits field and reason, never the value', async () => {
    const { client, principal } = await staffClient(t, 'reviewer', AREAS.yinzhou);
    const target = seeded.xiaying1;
    for (const [field, expected] of [['phone', target.phone], ['name', target.name], ['idNumber', target.idNumber]] as const) {
      const res = await client.post(`/api/admin/workers/${target.id}/unmask`, { field, reason: '核对实名信息' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ field, value: expected });
    }
    const rows = (await auditRows(t, 'workers.unmask')).filter((r) => r.actor_id === principal.id);
    expect(rows.map((r) => r.detail.field)).toEqual(['phone', 'name', 'idNumber']);
    for (const r of rows) expect(r).toMatchObject({ outcome: 'success', target_id: target.id, detail: { reason: '核对实名信息' } });
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(target.phone);
    expect(dump).not.toContain(target.idNumber);
    expect(dump).not.toContain(target.name);
  });

  it('lets a reviewer read a pending submission’s ID number in clear', async () => {
    const { principal } = await staffClient(t, 'reviewer', AREAS.xiaying);
    const r = await t.services.workers.unmaskWorker(principal, seeded.pendingXiaying.id, { field: 'idNumber', reason: '审核实名' }, {});
    expect(r.value).toBe(seeded.pendingXiaying.idNumber);
  });

  it('denies a handler with 403 and an audit row marked denied', async () => {
    const { client, principal } = await staffClient(t, 'handler', AREAS.xiaying);
    const res = await client.post(`/api/admin/workers/${seeded.xiaying1.id}/unmask`, { field: 'phone', reason: '联系当事人' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
    expect(res.body).not.toContain(seeded.xiaying1.phone);
    const rows = (await auditRows(t, 'workers.unmask')).filter((r) => r.actor_id === principal.id);
    expect(rows).toEqual([expect.objectContaining({ outcome: 'denied', target_id: seeded.xiaying1.id, detail: { field: 'phone', reason: '联系当事人' } })]);
  });

  it('answers 404 out of scope, and validates the body', async () => {
    const { client } = await staffClient(t, 'reviewer', AREAS.haishu);
    const res = await client.post(`/api/admin/workers/${seeded.xiaying1.id}/unmask`, { field: 'phone', reason: '核对实名信息' });
    expect(res.statusCode).toBe(404);
    const bad = await client.post(`/api/admin/workers/${seeded.nanmen.id}/unmask`, { field: 'address', reason: 'x' });
    expect(bad.statusCode).toBe(400);
    expect([...new Set(bad.json().errors.map((e: { field: string }) => e.field))].sort()).toEqual(['field', 'reason']);
    const notUuid = await client.post('/api/admin/workers/abc/unmask', { field: 'phone', reason: '核对实名信息' });
    expect(notUuid.statusCode).toBe(400);
  });
});

describe('verification queue — scope and order', () => {
  let reviewerYinzhou: { client: Awaited<ReturnType<typeof staffClient>>['client']; principal: StaffPrincipal };
  let reviewerHaishu: typeof reviewerYinzhou;
  beforeAll(async () => {
    reviewerYinzhou = await staffClient(t, 'reviewer', AREAS.yinzhou);
    reviewerHaishu = await staffClient(t, 'reviewer', AREAS.haishu);
  });

  const pendingIdOf = async (workerId: string) => (await t.services.workers.getMe(workerId)).latestVerification!.id;

  it('lists pending submissions in scope, oldest first', async () => {
    // two more pending submissions in 鄞州 through the worker app, later than the seeded one
    const a = await consentedWorker(t);
    t.clock.advance(1000);
    const subA = (await a.post('/api/worker/me/verification', verificationBody({ areaCode: AREAS.zhonggongmiao }))).json();
    const b = await consentedWorker(t);
    t.clock.advance(1000);
    const subB = (await b.post('/api/worker/me/verification', verificationBody())).json();

    const page = (await reviewerYinzhou.client.get('/api/admin/verifications')).json();
    expect(page.items.map((i: { workerId: string }) => i.workerId)).toEqual([seeded.pendingXiaying.id, subA.id, subB.id]);
    expect(page.items.every((i: { status: string }) => i.status === 'pending')).toBe(true);

    const haishu = (await reviewerHaishu.client.get('/api/admin/verifications')).json();
    expect(haishu.items.map((i: { workerId: string }) => i.workerId)).toEqual([seeded.pendingNanmen.id]);

    const streetOnly = (await reviewerYinzhou.client.get(`/api/admin/verifications?areaCode=${AREAS.zhonggongmiao}`)).json();
    expect(streetOnly.items.map((i: { workerId: string }) => i.workerId)).toEqual([subA.id]);

    const paged = (await reviewerYinzhou.client.get('/api/admin/verifications?pageSize=2&page=2')).json();
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.items.map((i: { workerId: string }) => i.workerId)).toEqual([subB.id]);
  });

  it('filters by status, including all (pending first)', async () => {
    const rejected = (await reviewerYinzhou.client.get('/api/admin/verifications?status=rejected')).json();
    expect(rejected.items).toEqual([expect.objectContaining({ workerId: seeded.rejectedXiaying.id, reason: '姓名与证件不符', reviewedBy: 'seed' })]);
    const all = (await reviewerYinzhou.client.get('/api/admin/verifications?status=all&pageSize=100')).json();
    const statuses = all.items.map((i: { status: string }) => i.status);
    expect(statuses.slice(0, 3)).toEqual(['pending', 'pending', 'pending']);
    expect(statuses.filter((s: string) => s !== 'pending').sort()).toEqual(['approved', 'approved', 'approved', 'rejected']);
    const bad = await reviewerYinzhou.client.get('/api/admin/verifications?status=superseded');
    expect(bad.statusCode).toBe(400);
  });

  it('refuses an area filter outside the reviewer’s scope', async () => {
    const res = await reviewerHaishu.client.get(`/api/admin/verifications?areaCode=${AREAS.yinzhou}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('areas.out_of_scope');
  });

  it('hides out-of-scope submissions: read, approve and reject all answer 404 and change nothing', async () => {
    const vid = await pendingIdOf(seeded.pendingXiaying.id);
    for (const res of [
      await reviewerHaishu.client.get(`/api/admin/verifications/${vid}`),
      await reviewerHaishu.client.post(`/api/admin/verifications/${vid}/approve`),
      await reviewerHaishu.client.post(`/api/admin/verifications/${vid}/reject`, { reason: '越权测试' }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('workers.verification_not_found');
    }
    const unknown = await reviewerYinzhou.client.get('/api/admin/verifications/00000000-0000-4000-8000-000000000000');
    expect(unknown.json().code).toBe('workers.verification_not_found');
    expect((await t.services.workers.getMe(seeded.pendingXiaying.id)).verificationStatus).toBe('pending');
  });

  it('is for operators and reviewers only', async () => {
    const { client: handler } = await staffClient(t, 'handler', AREAS.yinzhou);
    const vid = await pendingIdOf(seeded.pendingXiaying.id);
    expect((await handler.get('/api/admin/verifications')).statusCode).toBe(403);
    expect((await handler.post(`/api/admin/verifications/${vid}/approve`)).statusCode).toBe(403);
    const worker = await consentedWorker(t);
    expect((await worker.get('/api/admin/verifications')).statusCode).toBe(403);
  });

  it('reads one submission with an audit entry, and audits each list with its count', async () => {
    const vid = await pendingIdOf(seeded.pendingXiaying.id);
    const res = await reviewerYinzhou.client.get(`/api/admin/verifications/${vid}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: vid, workerId: seeded.pendingXiaying.id, nameMasked: '周*', status: 'pending', reviewedBy: null });
    expect(res.body).not.toContain(seeded.pendingXiaying.idNumber);
    const reads = (await auditRows(t, 'workers.verification.read')).filter((r) => r.actor_id === reviewerYinzhou.principal.id);
    expect(reads).toEqual([expect.objectContaining({ target_id: vid })]);
    const lists = (await auditRows(t, 'workers.verifications.list')).filter((r) => r.actor_id === reviewerYinzhou.principal.id);
    expect(lists.length).toBeGreaterThan(0);
    expect(lists[0].detail).toMatchObject({ count: 3, total: 3, status: 'pending' });
  });

  it('a district operator approves within scope; the worker row takes the verified data', async () => {
    const { client } = await staffClient(t, 'operator', AREAS.yinzhou);
    const vid = await pendingIdOf(seeded.pendingXiaying.id);
    const res = await client.post(`/api/admin/verifications/${vid}/approve`);
    expect(res.statusCode).toBe(200);
    const summary = await t.services.workers.getWorkerSummary(seeded.pendingXiaying.id);
    expect(summary).toMatchObject({ verificationStatus: 'approved', nameMasked: '周*', areaCode: AREAS.xiaying });
  });
});

describe('data at rest', () => {
  it('stores no plaintext phone, name or ID number in any workers table', async () => {
    const tables = ['workers', 'worker_verifications', 'worker_consents', 'sms_codes'];
    let dump = '';
    for (const table of tables) dump += JSON.stringify((await sql`select * from ${sql.table(table)}`.execute(t.services.db)).rows);
    for (const s of Object.values(seeded)) {
      expect(dump).not.toContain(s.phone);
      if (s.name) expect(dump).not.toContain(s.name);
      if (s.idNumber) {
        expect(dump).not.toContain(s.idNumber);
        expect(dump).not.toContain(s.idNumber.slice(6, 14));
      }
    }
  });

  it('keeps personal data out of the whole audit log', async () => {
    const dump = JSON.stringify((await sql`select * from audit_log`.execute(t.services.db)).rows);
    for (const s of Object.values(seeded)) {
      expect(dump).not.toContain(s.phone);
      if (s.name) expect(dump).not.toContain(s.name);
      if (s.idNumber) expect(dump).not.toContain(s.idNumber);
    }
  });
});
