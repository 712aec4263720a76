import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp, type Client } from '../../../test/helpers/app.js';
import { LEDGER_COLUMNS } from './ledger.service.js';
import type { PointsModule } from './points.module.js';
import { AREAS, CITY, auditActions, expectNoDrift, insertPlace, nextPhone, setShanghai, staffClient, verifiedWorker, workerClient, pointsOf } from './points.test-support.js';

let t: TestApp;
let m: PointsModule;
let admin: Client;
let rider: Client & { phone: string };
let riderId: string;
let placeId: string;

beforeAll(async () => {
  t = await createTestApp();
  m = pointsOf(t);
  setShanghai(t, '2026-11-10 10:00');
  admin = (await staffClient(t, 'operator', AREAS.city, '市委社会工作部 王主任')).client;
  const w = await verifiedWorker(t, { name: '周建国', areaCode: AREAS.baihe });
  riderId = w.id;
  rider = await workerClient(t, w.phone);
  placeId = await insertPlace(t, { type: 'merchant', name: '白鹤阿娘面馆', areaCode: AREAS.baihe, certified: true });
});
afterAll(() => t.close());

describe('who may call what', () => {
  it('worker routes need a worker, admin routes need staff, ledger routes an operator of the whole city', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/points/me' });
    expect(anonymous.statusCode).toBe(401);
    expect((await admin.get('/api/points/me')).statusCode).toBe(403);
    expect((await rider.get('/api/admin/points/rules')).statusCode).toBe(403);
    const district = (await staffClient(t, 'operator', AREAS.yinzhou)).client;
    expect((await district.get('/api/admin/points/transactions')).json().code).toBe('auth.forbidden');
    expect((await district.get('/api/admin/points/ledger.xlsx?month=2026-11')).statusCode).toBe(403);
    expect((await district.get('/api/admin/points/permissions')).json()).toEqual({ configure: false, manageRewards: true, decideHonours: true, nominate: true, readLedger: false });
    expect((await admin.get('/api/admin/points/permissions')).json()).toMatchObject({ configure: true, readLedger: true });
    const handler = (await staffClient(t, 'handler', AREAS.baihe)).client;
    expect((await handler.get('/api/admin/points/rules')).statusCode).toBe(200);
    expect((await handler.request({ method: 'PUT', url: '/api/admin/points/rules/valid_report', payload: { title: '随手拍', pointsPerUnit: 5, unit: '次', dailyCap: null, monthlyCap: null, active: true, sponsorId: null } })).statusCode).toBe(403);
  });

  it('validates input and names the fields', async () => {
    const bad = await admin.request({ method: 'PUT', url: '/api/admin/points/rules/Bad-Code', payload: { title: 'x' } });
    expect(bad.statusCode).toBe(400);
    const created = await admin.post('/api/admin/points/rewards', { title: '券', category: 'meal', cost: 0, stock: -1 });
    expect(created.statusCode).toBe(400);
    expect(created.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['cost', 'stock']));
    expect((await admin.get('/api/admin/points/ledger.xlsx?month=2026-13')).statusCode).toBe(400);
    const window = await admin.post('/api/admin/points/rewards', { title: '错期券', category: 'meal', cost: 5, stock: 1, validFrom: '2026-12-01T00:00:00Z', validUntil: '2026-11-01T00:00:00Z' });
    expect(window.json()).toMatchObject({ status: 400, code: 'points.invalid_reward' });
  });
});

describe('a worker redeems a meal; staff manage the catalogue and orders', () => {
  let rewardId: string;

  it('operators of the area offer rewards; others may not', async () => {
    const handler = (await staffClient(t, 'handler', AREAS.baihe)).client;
    const body = { title: '10元爱心餐', description: '一荤两素', category: 'meal', cost: 30, stock: 2, perWorkerLimit: 2, placeId };
    expect((await handler.post('/api/admin/points/rewards', body)).statusCode).toBe(403);
    const haishu = (await staffClient(t, 'operator', AREAS.haishu)).client;
    expect((await haishu.post('/api/admin/points/rewards', body)).json().code).toBe('areas.out_of_scope');
    const yinzhou = (await staffClient(t, 'operator', AREAS.yinzhou)).client;
    const res = await yinzhou.post('/api/admin/points/rewards', body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ title: '10元爱心餐', stock: 2, areaCode: AREAS.baihe, place: { id: placeId, name: '白鹤阿娘面馆' }, status: 'active' });
    rewardId = res.json().id;
    expect((await haishu.get(`/api/admin/points/rewards/${rewardId}`)).statusCode).toBe(403);
    expect((await handler.get('/api/admin/points/rewards')).json().items.map((r: { id: string }) => r.id)).toContain(rewardId);
    expect((await auditActions(t, 'points.reward_created')).length).toBe(1);
  });

  it('the worker sees the catalogue, redeems with an Idempotency-Key (a retry is the same order) and sees it awaiting pickup', async () => {
    await m.earning.earn({ cityCode: CITY, workerId: riderId, rule: 'volunteer_hour', units: 4, source: { type: 'volunteer', id: 'v-1' }, idempotencyKey: 'v-1' });
    const catalogue = (await rider.get('/api/points/rewards')).json();
    expect(catalogue.balance).toBe(80);
    expect(catalogue.items.find((r: { id: string }) => r.id === rewardId)).toMatchObject({ cost: 30, stockLeft: 2, myRemaining: 2, affordable: true, place: { name: '白鹤阿娘面馆' } });

    const noKey = await rider.post(`/api/points/rewards/${rewardId}/redeem`);
    expect(noKey.statusCode).toBe(400);
    const first = await rider.post(`/api/points/rewards/${rewardId}/redeem`, undefined, 'tap-1');
    expect(first.statusCode).toBe(201);
    const order = first.json();
    expect(order).toMatchObject({ status: 'awaiting_pickup', cost: 30, reward: { title: '10元爱心餐', category: 'meal' }, pickup: { place: { id: placeId }, code: expect.stringMatching(/^\d{6}$/) }, canCancel: true });
    const retry = await rider.post(`/api/points/rewards/${rewardId}/redeem`, undefined, 'tap-1');
    expect(retry.json().id).toBe(order.id);
    const me = (await rider.get('/api/points/me')).json();
    expect(me).toMatchObject({ balance: 50, earnedThisMonth: 80, pendingOrders: 1, month: '2026-11', rank: { districtCode: AREAS.yinzhou, rank: 1 }, title: null });

    const orders = (await rider.get('/api/points/me/orders')).json();
    expect(orders.items[0]).toMatchObject({ id: order.id, status: 'awaiting_pickup' });
    const history = (await rider.get('/api/points/me/history?pageSize=5')).json();
    expect(history.items[0]).toMatchObject({ amount: -30, kind: 'redeem', reason: '兑换：10元爱心餐' });

    // another worker takes the last unit, a third finds it out of stock
    const second = await verifiedWorker(t);
    await m.points.award({ cityCode: CITY, workerId: second.id, amount: 100, reason: '测试', idempotencyKey: 'second-100' });
    const secondClient = await workerClient(t, second.phone);
    expect((await secondClient.post(`/api/points/rewards/${rewardId}/redeem`, undefined, 'x-1')).statusCode).toBe(201);
    expect((await secondClient.post(`/api/points/rewards/${rewardId}/redeem`, undefined, 'x-2')).json().code).toBe('points.out_of_stock');

    // an unverified worker may not redeem
    const newcomer = await workerClient(t, nextPhone());
    expect((await newcomer.post(`/api/points/rewards/${rewardId}/redeem`, undefined, 'n-1')).json().code).toBe('points.worker_not_verified');
  });

  it('staff list orders with masked workers, restock, pause; the worker cancels and is refunded', async () => {
    const list = (await admin.get(`/api/admin/points/orders?rewardId=${rewardId}&status=awaiting_pickup`)).json();
    expect(list.total).toBe(2);
    expect(list.items[0].workerPhoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(JSON.stringify(list)).not.toContain(rider.phone);

    const restocked = (await admin.post(`/api/admin/points/rewards/${rewardId}/restock`, { quantity: 5 })).json();
    expect(restocked).toMatchObject({ stock: 5, orders: { awaitingPickup: 2 } });
    expect((await admin.post(`/api/admin/points/rewards/${rewardId}/status`, { status: 'paused' })).json().status).toBe('paused');
    expect((await rider.get('/api/points/rewards')).json().items.map((r: { id: string }) => r.id)).not.toContain(rewardId);
    expect((await admin.patch(`/api/admin/points/rewards/${rewardId}`, { cost: 40, title: '爱心餐（升级）' })).json()).toMatchObject({ cost: 40, title: '爱心餐（升级）' });

    const mine = (await rider.get('/api/points/me/orders')).json().items[0];
    const cancelled = await rider.post(`/api/points/me/orders/${mine.id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', pickup: null, cost: 30 });
    expect((await rider.post(`/api/points/me/orders/${mine.id}/cancel`)).json().code).toBe('points.order_closed');
    expect((await rider.get('/api/points/me')).json().balance).toBe(80);

    const others = (await admin.get(`/api/admin/points/orders?rewardId=${rewardId}&status=awaiting_pickup`)).json().items;
    const byStaff = await admin.post(`/api/admin/points/orders/${others[0].id}/cancel`, { reason: '商家停业' });
    expect(byStaff.json()).toMatchObject({ status: 'cancelled', closedReason: '商家停业' });
    expect((await admin.post(`/api/admin/points/rewards/${rewardId}/status`, { status: 'ended' })).json().status).toBe('ended');
    expect((await admin.post(`/api/admin/points/rewards/${rewardId}/restock`, { quantity: 1 })).json().code).toBe('points.reward_ended');
    await expectNoDrift(t);
  });
});

describe('微光榜 through the routes', () => {
  it('an operator approves a story: the worker’s balance and history show it', async () => {
    const witness = await verifiedWorker(t);
    const witnessClient = await workerClient(t, witness.phone);
    const nominated = await witnessClient.post('/api/points/honours', { title: '拾金不昧', story: '在小区门口捡到钱包，交给物业并联系失主。', workerPhone: rider.phone });
    expect(nominated.statusCode).toBe(201);
    expect((await witnessClient.post('/api/points/honours', { title: '短', story: '太短' })).statusCode).toBe(400);
    const before = (await rider.get('/api/points/me')).json().balance;

    const queue = (await admin.get('/api/admin/points/honours?status=pending')).json();
    const item = queue.items.find((s: { id: string }) => s.id === nominated.json().id);
    expect(item).toMatchObject({ workerNameMasked: '周**', status: 'pending' });
    expect((await admin.post(`/api/admin/points/honours/${item.id}/reject`, { reason: '' })).statusCode).toBe(400);
    const approved = await admin.post(`/api/admin/points/honours/${item.id}/approve`, { note: '核实无误' });
    expect(approved.json()).toMatchObject({ status: 'approved', points: 100 });

    expect((await rider.get('/api/points/me')).json().balance).toBe(before + 100);
    expect((await rider.get('/api/points/me/history')).json().items[0]).toMatchObject({ amount: 100, reason: '微光榜：拾金不昧', source: { type: 'honour' } });
    const wall = (await rider.get('/api/points/honours')).json();
    expect(wall.items[0]).toMatchObject({ title: '拾金不昧', workerNameMasked: '周**', points: 100 });
    expect((await witnessClient.get('/api/points/me/nominations')).json()[0]).toMatchObject({ status: 'approved' });
    const board = (await rider.get('/api/points/leaderboard')).json();
    expect(board.items[0]).toMatchObject({ nameMasked: '周**', me: true, rank: 1 });
    expect((await auditActions(t, 'points.story_approved')).length).toBe(1);
  });
});

describe('the ledger', () => {
  it('lists, claws back with a reason, exports the month to XLSX that parses back, and finds no drift', async () => {
    // last month's movement must not appear in this month's export
    setShanghai(t, '2026-10-31 23:00');
    await m.points.award({ cityCode: CITY, workerId: riderId, amount: 7, reason: '上月发放', idempotencyKey: 'october-7' });
    setShanghai(t, '2026-11-20 10:00');
    // a staff session ends after 30 idle minutes: sign in again after the clock moved
    admin = (await staffClient(t, 'operator', AREAS.city, '市委社会工作部 王主任')).client;
    const fraud = await m.earning.earn({ cityCode: CITY, workerId: riderId, rule: 'valid_report', source: { type: 'report', id: 'r-fraud' }, idempotencyKey: 'report:r-fraud' });

    const list = (await admin.get(`/api/admin/points/transactions?month=2026-11&workerPhone=${rider.phone}&pageSize=100`)).json();
    const tx = list.items.find((i: { id: string }) => i.id === fraud.transactionId);
    expect(tx).toMatchObject({ kind: 'award', amount: 10, canClawBack: true, source: { type: 'report', id: 'r-fraud' } });
    expect(tx.entries.map((e: { account: { kind: string } }) => e.account.kind).sort()).toEqual(['system', 'worker']);
    expect(list.items.every((i: { at: string }) => i.at >= '2026-10-31T16:00:00.000Z')).toBe(true);
    expect((await admin.get('/api/admin/points/transactions?kind=redeem')).json().items.every((i: { kind: string }) => i.kind === 'redeem')).toBe(true);

    const back = await admin.post(`/api/admin/points/transactions/${fraud.transactionId}/clawback`, { reason: '照片重复使用' });
    expect(back.json()).toMatchObject({ clawedBack: 10, shortfall: 0 });
    // a second click takes nothing more
    expect((await admin.post(`/api/admin/points/transactions/${fraud.transactionId}/clawback`, { reason: '再次' })).json().transactionId).toBe(back.json().transactionId);
    expect((await rider.get('/api/points/me/history')).json().items.filter((i: { kind: string }) => i.kind === 'clawback')).toHaveLength(1);
    const redeem = (await admin.get('/api/admin/points/transactions?kind=redeem')).json().items[0];
    expect((await admin.post(`/api/admin/points/transactions/${redeem.id}/clawback`, { reason: '不行' })).json().code).toBe('points.not_clawbackable');
    expect((await rider.get('/api/points/me/history')).json().items[0]).toMatchObject({ kind: 'clawback', amount: -10, reason: '照片重复使用' });

    const summary = (await admin.get('/api/admin/points/summary?month=2026-11')).json();
    expect(summary).toMatchObject({ month: '2026-11', clawedBack: 10 });
    expect(summary.issued).toBeGreaterThan(0);

    const res = await admin.get('/api/admin/points/ledger.xlsx?month=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('台账')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([...LEDGER_COLUMNS]);
    const rows: unknown[][] = [];
    sheet.eachRow((row, i) => {
      if (i > 1) rows.push((row.values as unknown[]).slice(1));
    });
    // every transaction of November (and only those) is there, one row per entry, summing to zero
    const all = (await admin.get('/api/admin/points/transactions?month=2026-11&pageSize=100')).json();
    const entries = all.items.reduce((s: number, i: { entries: unknown[] }) => s + i.entries.length, 0);
    expect(rows).toHaveLength(entries);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(all.items.map((i: { id: string }) => i.id)));
    expect(rows.reduce((s, r) => s + Number(r[6]), 0)).toBe(0);
    expect(rows.some((r) => r[3] === '上月发放')).toBe(false);
    const clawRow = rows.find((r) => r[2] === '追回' && Number(r[6]) < 0)!;
    expect(clawRow).toEqual([expect.stringMatching(/^2026-11-20 10:00:\d\d$/), back.json().transactionId, '追回', '照片重复使用', 'report:r-fraud', expect.stringMatching(/^骑手 周\*\* \d{3}\*{4}\d{4}$/), -10]);
    expect(JSON.stringify(rows)).not.toContain(rider.phone);
    const totals = new Map<string, unknown>();
    book.getWorksheet('汇总')!.eachRow((row, i) => {
      if (i > 1) totals.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(totals.get('月份')).toBe('2026-11');
    expect(totals.get('追回积分')).toBe(10);
    expect(totals.get('发放积分')).toBe(summary.issued);
    expect(totals.get('对账检查')).toBe('平衡（差异 0）');
    expect((await auditActions(t, 'points.ledger_exported')).length).toBe(1);

    const drift = (await admin.get('/api/admin/points/drift')).json();
    expect(drift).toMatchObject({ ok: true, accounts: [], unbalancedTransactions: [] });
    expect(drift.checkedEntries).toBeGreaterThan(10);
    await expectNoDrift(t);
  });

  it('sponsors: register (masked contact), fund with an Idempotency-Key', async () => {
    const created = await admin.post('/api/admin/points/sponsors', { name: '宁波银行甬爱公益', kind: 'company', contactName: '陈经理', contactPhone: '13957400088' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ contactNameMasked: '陈**', contactPhoneMasked: '139****0088', balance: 0 });
    expect((await admin.post('/api/admin/points/sponsors', { name: '宁波银行甬爱公益', kind: 'company', contactName: '陈经理', contactPhone: '13957400088' })).json().code).toBe('points.sponsor_name_taken');
    const id = created.json().id;
    const funded = await admin.post(`/api/admin/points/sponsors/${id}/fund`, { amount: 5000, note: '年度协议' }, 'fund-5000');
    expect(funded.json()).toMatchObject({ balance: 5000, funded: 5000 });
    const again = await admin.post(`/api/admin/points/sponsors/${id}/fund`, { amount: 5000, note: '年度协议' }, 'fund-5000');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await admin.get('/api/admin/points/sponsors')).json().find((s: { id: string }) => s.id === id).balance).toBe(5000);
    const district = (await staffClient(t, 'operator', AREAS.yinzhou)).client;
    expect((await district.post(`/api/admin/points/sponsors/${id}/fund`, { amount: 1, note: '试试' })).statusCode).toBe(403);
    await expectNoDrift(t);
  });
});
