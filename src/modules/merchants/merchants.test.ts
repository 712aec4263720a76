import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type Client, type TestApp } from '../../../test/helpers/app.js';
import { usccCheckChar } from '../../shared/uscc.js';
import { AREAS, auditActions, insertPlace, placeFlags, staffClient } from '../charging/charging.test-support.js';

let t: TestApp;
let operator: Client;
/** A handler of 白鹤街道 (where the places are), one of 下应街道, and a grid worker. */
let handler: Client;
let otherHandler: Client;
let grid: Client;

let usccSeq = 0;
/** A fresh valid code of a 鄞州区 company. */
function nextUscc(): string {
  usccSeq += 1;
  const first17 = `91330212MA${String(usccSeq).padStart(6, '0')}X`;
  return first17 + usccCheckChar(first17);
}

let merchantSeq = 0;
async function merchantPlace(areaCode: string = AREAS.baihe): Promise<string> {
  merchantSeq += 1;
  return insertPlace(t, { type: 'merchant', name: `爱心面馆${merchantSeq}号店`, areaCode });
}

const application = (placeId: string, overrides: Record<string, unknown> = {}) => ({
  placeId,
  uscc: nextUscc(),
  legalName: `宁波市鄞州白鹤爱心面馆${merchantSeq}`,
  contactName: '张小红',
  contactPhone: '13912345678',
  ...overrides,
});

async function apply(client: Client, placeId: string, overrides: Record<string, unknown> = {}) {
  const res = await client.post('/api/admin/merchants/applications', application(placeId, overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; state: string; events: { kind: string }[] };
}

const step = (client: Client, id: string, action: string, body: unknown = {}) => client.post(`/api/admin/merchants/applications/${id}/${action}`, body);

async function expectStep(client: Client, id: string, action: string, body: unknown, state: string) {
  const res = await step(client, id, action, body);
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  expect(res.json().state).toBe(state);
  t.clock.advance(1000);
  return res.json();
}

async function expectRefused(client: Client, id: string, action: string, body: unknown = { note: '测试一下', reason: '测试一下' }) {
  const res = await step(client, id, action, body);
  expect(res.statusCode, `${action} should be refused: ${res.body}`).toBe(409);
  expect(res.json().code).toBe('merchants.invalid_transition');
}

/** A certification taken to `certified` by the operator. */
async function certified(): Promise<{ id: string; placeId: string }> {
  const placeId = await merchantPlace();
  const { id } = await apply(handler, placeId);
  await expectStep(operator, id, 'review', { approve: true, note: '现场核查通过' }, 'reviewed');
  await expectStep(operator, id, 'certify', undefined, 'certified'); // no body at all
  return { id, placeId };
}

/** Fresh sessions for everyone (again after the clock jumps past their lifetime). */
async function signIn() {
  operator = (await staffClient(t, 'operator', AREAS.city, '社会工作部 王主任')).client;
  handler = (await staffClient(t, 'handler', AREAS.baihe, '白鹤街道 陈科长')).client;
  otherHandler = (await staffClient(t, 'handler', AREAS.xiaying)).client;
  grid = (await staffClient(t, 'grid_worker', AREAS.baiheCommunity)).client;
}

beforeAll(async () => {
  t = await createTestApp();
  await signIn();
});
afterAll(async () => t?.close());

describe('applications', () => {
  it('a street handler records an application: code checked, contact encrypted and masked, audited', async () => {
    const placeId = await merchantPlace();
    const res = await handler.post('/api/admin/merchants/applications', application(placeId, { uscc: ' 91350100m000100y43 ', contactPhone: '+86 139 1234 5678' }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      placeId,
      placeName: expect.stringMatching(/^爱心面馆/),
      areaCode: AREAS.baihe,
      areaName: '鄞州区 · 白鹤街道',
      uscc: '91350100M000100Y43',
      contactNameMasked: '张**',
      contactPhoneMasked: '139****5678',
      state: 'applied',
      warnings: 0,
      complaints: 0,
      actions: ['complaint'], // a handler may not review; an applied merchant takes no warnings yet
      events: [{ kind: 'applied', actorName: '白鹤街道 陈科长', automatic: false, note: null }],
    });
    const stored = await sql<{ contact_name_enc: string; contact_phone_enc: string }>`
      select contact_name_enc, contact_phone_enc from merchant_certifications where id = ${body.id}`.execute(t.services.db);
    expect(JSON.stringify(stored.rows)).not.toContain('张小红');
    expect(JSON.stringify(stored.rows)).not.toContain('13912345678');
    expect(t.services.pii.decrypt(stored.rows[0]!.contact_phone_enc)).toBe('13912345678');
    expect((await auditActions(t, 'merchants.apply')).at(-1)).toMatchObject({ target_id: body.id, detail: { placeId, uscc: '91350100M000100Y43' } });
    // the operator sees every action the state allows
    const asOperator = (await operator.get(`/api/admin/merchants/applications/${body.id}`)).json();
    expect(asOperator.actions).toEqual(['review', 'complaint', 'exit']);
  });

  it('accepts a landline as the contact phone', async () => {
    const placeId = await merchantPlace();
    const res = await handler.post('/api/admin/merchants/applications', application(placeId, { contactPhone: '0574-88881234' }));
    expect(res.statusCode).toBe(201);
    expect(res.json().contactPhoneMasked).toBe('057******1234');
  });

  it('refuses an invalid credit code with 400 merchants.invalid_uscc naming the field, and stores nothing', async () => {
    const placeId = await merchantPlace();
    const before = await sql<{ n: number }>`select count(*)::int as n from merchant_certifications`.execute(t.services.db);
    for (const uscc of ['91350100M000100Y44', '9135010', '91350100M000100O43', 'B1350100M000100Y43']) {
      const res = await handler.post('/api/admin/merchants/applications', application(placeId, { uscc }));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'merchants.invalid_uscc', errors: [{ field: 'uscc' }] });
    }
    const phone = await handler.post('/api/admin/merchants/applications', application(placeId, { contactPhone: '12345678' }));
    expect(phone.statusCode).toBe(400);
    expect(phone.json().errors[0].field).toBe('contactPhone');
    const after = await sql<{ n: number }>`select count(*)::int as n from merchant_certifications`.execute(t.services.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('refuses a duplicate code (409 merchants.uscc_taken) and a second open application for a place (409 merchants.already_applied)', async () => {
    const placeId = await merchantPlace();
    const uscc = nextUscc();
    await apply(handler, placeId, { uscc });
    const otherPlace = await merchantPlace();
    const dupCode = await handler.post('/api/admin/merchants/applications', application(otherPlace, { uscc }));
    expect(dupCode.statusCode).toBe(409);
    expect(dupCode.json()).toMatchObject({ code: 'merchants.uscc_taken', errors: [{ field: 'uscc' }] });
    const dupPlace = await handler.post('/api/admin/merchants/applications', application(placeId));
    expect(dupPlace.statusCode).toBe(409);
    expect(dupPlace.json().code).toBe('merchants.already_applied');
  });

  it('accepts merchant places only', async () => {
    const station = await insertPlace(t, { type: 'station', name: '白鹤驿站' });
    for (const placeId of [station, '987654321']) {
      const res = await handler.post('/api/admin/merchants/applications', application(placeId));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'merchants.place_not_merchant', errors: [{ field: 'placeId' }] });
    }
    const bad = await handler.post('/api/admin/merchants/applications', { placeId: 'abc', uscc: nextUscc(), legalName: '某某', contactName: '张', contactPhone: '13912345678' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the certification state machine (进管出)', () => {
  it('applied → reviewed → certified shows the merchant to workers; suspended hides it; reinstated shows it; exited hides it for good', async () => {
    const placeId = await merchantPlace();
    const { id } = await apply(handler, placeId);
    expect(await placeFlags(t, placeId)).toEqual({ listed: false, certified: false });

    await expectStep(operator, id, 'review', { approve: true, note: '现场核查通过，卫生良好' }, 'reviewed');
    expect(await placeFlags(t, placeId)).toEqual({ listed: false, certified: false });
    const cert = await expectStep(operator, id, 'certify', {}, 'certified');
    expect(cert.certifiedAt).not.toBeNull();
    expect(await placeFlags(t, placeId)).toEqual({ listed: true, certified: true });
    expect(await t.services.places.lookup(placeId)).toMatchObject({ certified: true });
    // and the public sees it
    expect((await t.app.inject({ method: 'GET', url: `/api/places/${placeId}` })).statusCode).toBe(200);

    await expectStep(handler, id, 'complaints', { note: '顾客反映未给骑手优惠' }, 'certified');
    await expectStep(operator, id, 'suspend', { reason: '核实投诉属实，暂停整改' }, 'suspended');
    expect(await placeFlags(t, placeId)).toEqual({ listed: false, certified: false });
    expect((await t.app.inject({ method: 'GET', url: `/api/places/${placeId}` })).statusCode).toBe(404);

    await expectStep(operator, id, 'reinstate', { note: '整改完成' }, 'certified');
    expect(await placeFlags(t, placeId)).toEqual({ listed: true, certified: true });

    const exited = await expectStep(operator, id, 'exit', { reason: '商家停业' }, 'exited');
    expect(await placeFlags(t, placeId)).toEqual({ listed: false, certified: false });
    expect(exited.events.map((e: { kind: string }) => e.kind)).toEqual(['applied', 'reviewed', 'certified', 'complaint', 'suspended', 'reinstated', 'exited']);
    expect(exited.events[1]).toMatchObject({ note: '现场核查通过，卫生良好', actorName: '社会工作部 王主任' });
    expect(exited.complaints).toBe(1);
    expect(exited.actions).toEqual([]);

    const audited = (await auditActions(t, 'merchants.')).filter((a) => a.target_id === id).map((a) => a.action);
    expect(audited).toEqual(['merchants.apply', 'merchants.review', 'merchants.certify', 'merchants.complaint', 'merchants.suspend', 'merchants.reinstate', 'merchants.exit']);
    expect((await auditActions(t, 'places.certify')).some((a) => a.target_id === placeId)).toBe(true);

    // exited is final; the merchant may apply again, with the same code
    for (const action of ['review', 'certify', 'complaints', 'warnings', 'suspend', 'reinstate', 'exit']) await expectRefused(operator, id, action, { approve: true, note: '再试一次', reason: '再试一次' });
    const again = await operator.post('/api/admin/merchants/applications', application(placeId, { uscc: cert.uscc }));
    expect(again.statusCode, again.body).toBe(201);
  });

  it('refuses every step the state does not allow (409 merchants.invalid_transition) and changes nothing', async () => {
    const placeId = await merchantPlace();
    const { id } = await apply(handler, placeId);
    for (const action of ['certify', 'warnings', 'suspend', 'reinstate']) await expectRefused(operator, id, action, { note: '测试一下', reason: '测试一下' });
    await expectStep(operator, id, 'review', { approve: true }, 'reviewed');
    await expectRefused(operator, id, 'review', { approve: true });
    for (const action of ['warnings', 'suspend', 'reinstate']) await expectRefused(operator, id, action);
    await expectStep(operator, id, 'certify', { note: '颁发认证牌匾' }, 'certified');
    await expectRefused(operator, id, 'review', { approve: true });
    await expectRefused(operator, id, 'certify', {});
    await expectRefused(operator, id, 'reinstate', { note: '恢复一下' });
    await expectStep(operator, id, 'suspend', { reason: '暂停整改' }, 'suspended');
    await expectRefused(operator, id, 'suspend', { reason: '再暂停' });
    await expectRefused(operator, id, 'certify', {});
    const detail = (await operator.get(`/api/admin/merchants/applications/${id}`)).json();
    expect(detail.state).toBe('suspended');
    expect(detail.actions).toEqual(['complaint', 'warning', 'reinstate', 'exit']);
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['applied', 'reviewed', 'certified', 'suspended']);
  });

  it('rejects at review with a note (required), from applied or reviewed; rejected is final', async () => {
    const a = await apply(handler, await merchantPlace());
    const noNote = await step(operator, a.id, 'review', { approve: false });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().errors[0].field).toBe('note');
    const rejected = await expectStep(operator, a.id, 'review', { approve: false, note: '经营场所与执照地址不符' }, 'rejected');
    expect(rejected.closedAt).not.toBeNull();
    for (const action of ['review', 'certify', 'complaints', 'exit']) await expectRefused(operator, a.id, action, { approve: true, note: '再试一次', reason: '再试一次' });

    const b = await apply(handler, await merchantPlace());
    await expectStep(operator, b.id, 'review', { approve: true }, 'reviewed');
    await expectStep(operator, b.id, 'review', { approve: false, note: '复核发现执照过期' }, 'rejected');
  });

  it('exits from any open state', async () => {
    const a = await apply(handler, await merchantPlace());
    await expectStep(operator, a.id, 'exit', { reason: '商家撤回申请' }, 'exited');
    const b = await apply(handler, await merchantPlace());
    await expectStep(operator, b.id, 'review', { approve: true }, 'reviewed');
    await expectStep(operator, b.id, 'exit', { reason: '商家撤回申请' }, 'exited');
    const noReason = await step(operator, (await apply(handler, await merchantPlace())).id, 'exit', {});
    expect(noReason.statusCode).toBe(400);
  });

  it('suspends automatically at the third warning within 12 months, and records it', async () => {
    const { id, placeId } = await certified();
    await expectStep(handler, id, 'warnings', { note: '拒绝骑手如厕' }, 'certified');
    await expectStep(handler, id, 'warnings', { note: '爱心餐断供' }, 'certified');
    const third = await expectStep(handler, id, 'warnings', { note: '再次拒绝骑手' }, 'suspended');
    expect(third.suspendedAt).not.toBeNull();
    expect(third.events.slice(-2)).toMatchObject([
      { kind: 'warning', note: '再次拒绝骑手', automatic: false },
      { kind: 'suspended', automatic: true, actorName: 'system' },
    ]);
    expect(await placeFlags(t, placeId)).toEqual({ listed: false, certified: false });
    const audited = (await auditActions(t, 'merchants.suspend')).filter((a) => a.target_id === id);
    expect(audited).toHaveLength(1);
    expect(audited[0]!.detail).toMatchObject({ automatic: true, from: 'certified', to: 'suspended' });

    // reinstated, the merchant starts afresh: one more warning does not suspend again
    const back = await expectStep(operator, id, 'reinstate', { note: '约谈整改完成' }, 'certified');
    expect(back.warnings).toBe(0);
    const one = await expectStep(handler, id, 'warnings', { note: '新的警告' }, 'certified');
    expect(one.warnings).toBe(1);
  });

  it('counts only the warnings of the last 12 months', async () => {
    const { id } = await certified();
    await expectStep(operator, id, 'warnings', { note: '第一次警告' }, 'certified');
    await expectStep(operator, id, 'warnings', { note: '第二次警告' }, 'certified');
    t.clock.advance(366 * 86_400_000);
    await signIn();
    const third = await expectStep(operator, id, 'warnings', { note: '一年多以后的警告' }, 'certified');
    expect(third.warnings).toBe(1);
  });
});

describe('roles and area scope', () => {
  it('a handler records applications, complaints and warnings, but may not review, certify, suspend, reinstate or exit', async () => {
    const { id } = await certified();
    for (const [action, body] of [['suspend', { reason: '暂停整改' }], ['exit', { reason: '商家停业' }]] as const) {
      const res = await step(handler, id, action, body);
      expect(res.statusCode).toBe(403);
    }
    const a = await apply(handler, await merchantPlace());
    expect((await step(handler, a.id, 'review', { approve: true })).statusCode).toBe(403);
    await expectStep(operator, a.id, 'review', { approve: true }, 'reviewed');
    expect((await step(handler, a.id, 'certify', {})).statusCode).toBe(403);
    expect((await operator.get(`/api/admin/merchants/applications/${a.id}`)).json().state).toBe('reviewed');
  });

  it('a handler of another street gets 403 for the merchants of this one', async () => {
    const placeId = await merchantPlace();
    const applyThere = await otherHandler.post('/api/admin/merchants/applications', application(placeId));
    expect(applyThere.statusCode).toBe(403);
    expect(applyThere.json().code).toBe('areas.out_of_scope');
    const { id } = await certified();
    expect((await otherHandler.get(`/api/admin/merchants/applications/${id}`)).statusCode).toBe(403);
    const warn = await step(otherHandler, id, 'warnings', { note: '越界警告' });
    expect(warn.statusCode).toBe(403);
    expect((await operator.get(`/api/admin/merchants/applications/${id}`)).json().warnings).toBe(0);
    const widened = await otherHandler.get(`/api/admin/merchants/applications?areaCode=${AREAS.baihe}`);
    expect(widened.statusCode).toBe(403);
    // their own list does not include it
    const own = await otherHandler.get('/api/admin/merchants/applications?pageSize=200');
    expect(own.json().items.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it('a grid worker has no access; an unknown id is 404', async () => {
    expect((await grid.get('/api/admin/merchants/applications')).statusCode).toBe(403);
    expect((await operator.get('/api/admin/merchants/applications/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/merchants/applications' })).statusCode).toBe(401);
  });
});

describe('the queue', () => {
  it('lists by state, oldest first, with search, pagination, masked contacts and counts; handlers see their street only', async () => {
    const xiayingPlace = await merchantPlace(AREAS.xiaying);
    const xiayingSeq = merchantSeq;
    const xiaying = await apply(operator, xiayingPlace, { legalName: '宁波下应便民超市有限公司' });
    const applied = await operator.get('/api/admin/merchants/applications?state=applied&pageSize=200');
    expect(applied.statusCode).toBe(200);
    const items = applied.json().items as { id: string; state: string; appliedAt: string; contactPhoneMasked: string }[];
    expect(items.every((i) => i.state === 'applied')).toBe(true);
    expect(items.map((i) => i.appliedAt)).toEqual([...items.map((i) => i.appliedAt)].sort());
    expect(items.every((i) => /^\d{3}\*+\d{4}$/.test(i.contactPhoneMasked))).toBe(true);
    expect(applied.body).not.toContain('13912345678');

    const search = await operator.get(`/api/admin/merchants/applications?q=${encodeURIComponent('下应便民')}`);
    expect(search.json()).toMatchObject({ total: 1, items: [{ id: xiaying.id, areaName: '鄞州区 · 下应街道' }] });
    const byPlaceName = await operator.get(`/api/admin/merchants/applications?q=${encodeURIComponent(`爱心面馆${xiayingSeq}号店`)}`);
    expect(byPlaceName.json()).toMatchObject({ total: 1, items: [{ id: xiaying.id }] });
    const byCode = await operator.get(`/api/admin/merchants/applications?q=91350100m000100`);
    expect(byCode.json().total).toBeGreaterThanOrEqual(1);

    const page = await operator.get('/api/admin/merchants/applications?pageSize=2&page=2');
    expect(page.json()).toMatchObject({ page: 2, pageSize: 2 });
    expect(page.json().items).toHaveLength(2);

    const handlers = await handler.get('/api/admin/merchants/applications?pageSize=200');
    expect(handlers.json().items.map((i: { id: string }) => i.id)).not.toContain(xiaying.id);
    expect(handlers.json().items.every((i: { areaCode: string }) => i.areaCode.startsWith(AREAS.baihe))).toBe(true);
    expect((await otherHandler.get('/api/admin/merchants/applications?pageSize=200')).json().items.map((i: { id: string }) => i.id)).toEqual([xiaying.id]);
  });
});
