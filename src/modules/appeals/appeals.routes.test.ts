import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { clientFor, hotlineAppeal, loadCity, nextPhone, PDF, PNG, setShanghai, staffAccount, verifiedWorker, wageAppeal, workerClient } from './appeals.test-support.js';

let t: TestApp;
let worker: Client & { phone: string };
let workerId: string;
let operator: StaffPrincipal;
let head: StaffPrincipal;
const appealCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from appeals`.execute(t.services.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  setShanghai(t, '2026-11-23 10:00');
  const w = await verifiedWorker(t);
  workerId = w.id;
  worker = await workerClient(t, w.phone);
  operator = await staffAccount(t, 'operator', '330212');
  head = await staffAccount(t, 'handler', '330212011');
  await t.services.appealsModule.appeals.createRule(operator, { areaPrefix: '330212011', stationHeadId: head.id }, {});
});
afterAll(async () => t?.close());

describe('worker routes', () => {
  it('needs a signed-in worker; staff get 403', async () => {
    expect((await new Client(t.app).post('/api/appeals', wageAppeal())).statusCode).toBe(401);
    expect((await new Client(t.app).get('/api/appeals/mine')).statusCode).toBe(401);
    const staff = await clientFor(t, operator);
    expect((await staff.post('/api/appeals', wageAppeal())).statusCode).toBe(403);
  });

  it('refuses an unverified worker with appeals.not_verified', async () => {
    const c = await workerClient(t, nextPhone());
    const res = await c.post('/api/appeals', wageAppeal());
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('appeals.not_verified');
  });

  it('answers bad input with 400 naming the fields, and stores nothing', async () => {
    const before = await appealCount();
    const res = await worker.post('/api/appeals', { ...wageAppeal(), type: 'gossip', amountClaimedFen: -5, respondent: { kind: 'company' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = (res.json().errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['type', 'amountClaimedFen', 'respondent.name']));
    expect(await appealCount()).toBe(before);
  });

  it('files once per clientId (201, then 200 with the same appeal), shows the clock, and lists it', async () => {
    const body = wageAppeal();
    const first = await worker.post('/api/appeals', body);
    expect(first.statusCode).toBe(201);
    const retry = await worker.post('/api/appeals', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    expect(first.json().deadlines).toMatchObject({ acknowledgeBy: '2026-11-24T02:00:00.000Z', overdue: false });
    expect(first.json().assignees.map((a: { staffId: string }) => a.staffId)).toEqual([head.id]);
    const conflict = await worker.post('/api/appeals', { ...body, description: '完全不同的另一件事' });
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().code).toBe('appeals.client_id_conflict');
    const mine = await worker.get('/api/appeals/mine');
    expect(mine.json().items.filter((x: { id: string }) => x.id === first.json().id)).toHaveLength(1);
  });

  it('uploads evidence once per Idempotency-Key and downloads it; another worker gets 404', async () => {
    const id = (await worker.post('/api/appeals', wageAppeal())).json().id;
    const send = () => worker.request({ method: 'POST', url: `/api/appeals/${id}/evidence?kind=screenshot&note=%E5%B7%A5%E8%B5%84`, payload: PNG, headers: { 'content-type': 'image/png' }, idempotencyKey: `ev-${id}` });
    const a = await send();
    expect(a.statusCode).toBe(201);
    const b = await send();
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const lying = await worker.request({ method: 'POST', url: `/api/appeals/${id}/evidence?kind=photo`, payload: Buffer.from('MZ not an image'), headers: { 'content-type': 'image/jpeg' } });
    expect(lying.statusCode).toBe(415);
    const pdf = await worker.request({ method: 'POST', url: `/api/appeals/${id}/evidence?kind=attendance`, payload: PDF, headers: { 'content-type': 'application/pdf' } });
    expect(pdf.statusCode).toBe(201);
    const badKind = await worker.request({ method: 'POST', url: `/api/appeals/${id}/evidence?kind=selfie`, payload: PNG, headers: { 'content-type': 'image/png' } });
    expect(badKind.statusCode).toBe(400);

    const file = await worker.get(a.json().url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-sha256']).toBe(crypto.createHash('sha256').update(PNG).digest('hex'));
    expect(file.rawPayload.equals(PNG)).toBe(true);
    const other = await workerClient(t, (await verifiedWorker(t)).phone);
    expect((await other.get(a.json().url)).statusCode).toBe(404);
    expect((await other.get(`/api/appeals/${id}`)).statusCode).toBe(404);
    const view = (await worker.get(`/api/appeals/${id}`)).json();
    expect(view.evidence).toHaveLength(2);
  });
});

describe('staff routes', () => {
  it('lets a hotline agent record a caller’s appeal; bad phone → 400; workers may not', async () => {
    const agent = await clientFor(t, await staffAccount(t, 'hotline_agent', '3302'));
    const phone = nextPhone();
    const res = await agent.post('/api/admin/appeals', hotlineAppeal(phone));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ channel: 'hotline', status: 'submitted', contact: { phone } });
    const bad = await agent.post('/api/admin/appeals', hotlineAppeal('123'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('callerPhone');
    expect((await worker.post('/api/admin/appeals', hotlineAppeal(phone))).statusCode).toBe(403);
    // the replay of the same request under the same Idempotency-Key does not record it twice
    const before = await appealCount();
    const key = crypto.randomUUID();
    const body = hotlineAppeal(nextPhone());
    const x = await agent.request({ method: 'POST', url: '/api/admin/appeals', payload: body, idempotencyKey: key });
    const y = await agent.request({ method: 'POST', url: '/api/admin/appeals', payload: body, idempotencyKey: key });
    expect([x.statusCode, y.statusCode]).toEqual([201, 201]);
    expect(y.json().id).toBe(x.json().id);
    expect(await appealCount()).toBe(before + 1);
  });

  it('gives a staff member outside the scope 404, and the people in it the record (masked in lists)', async () => {
    const id = (await worker.post('/api/appeals', wageAppeal())).json().id;
    const outsider = await clientFor(t, await staffAccount(t, 'operator', '330203'));
    const res = await outsider.get(`/api/admin/appeals/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('appeals.not_found');
    expect((await outsider.post(`/api/admin/appeals/${id}/acknowledge`)).statusCode).toBe(404);
    const outsiderList = await outsider.get('/api/admin/appeals');
    expect(outsiderList.json().items.map((x: { id: string }) => x.id)).not.toContain(id);

    const h = await clientFor(t, head);
    expect((await h.get(`/api/admin/appeals/${id}`)).statusCode).toBe(200);
    const list = await h.get('/api/admin/appeals?status=submitted&type=wage_arrears&pageSize=5&page=1');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ page: 1, pageSize: 5 });
    const row = list.json().items.find((x: { id: string }) => x.id === id);
    expect(row.nameMasked).toBe('张**');
    expect(row.phoneMasked).toBe(`${worker.phone.slice(0, 3)}****${worker.phone.slice(-4)}`);
    expect((await h.get('/api/admin/appeals?status=lost')).statusCode).toBe(400);
  });

  it('lets assigned staff add and remove collaborators and read evidence over HTTP, each read audited', async () => {
    const id = (await worker.post('/api/appeals', wageAppeal())).json().id;
    const ev = (await worker.request({ method: 'POST', url: `/api/appeals/${id}/evidence?kind=payslip`, payload: PNG, headers: { 'content-type': 'image/png' } })).json();
    const h = await clientFor(t, head);
    const grid = await staffAccount(t, 'grid_worker', '330212011');
    const added = await h.post(`/api/admin/appeals/${id}/assignees`, { staffId: grid.id, role: 'grid_worker' });
    expect(added.statusCode).toBe(200);
    const g = await clientFor(t, grid);
    const file = await g.get(`/api/admin/appeals/${id}/evidence/${ev.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PNG)).toBe(true);
    const audited = await sql<{ action: string }>`select action from audit_log where actor_id = ${grid.id} order by id`.execute(t.services.db);
    expect(audited.rows.map((r) => r.action)).toEqual(['appeals.evidence_read']);
    expect((await h.delete(`/api/admin/appeals/${id}/assignees/${grid.id}/grid_worker`)).statusCode).toBe(200);
    expect((await g.get(`/api/admin/appeals/${id}/evidence/${ev.id}`)).statusCode).toBe(404);
    expect((await h.post(`/api/admin/appeals/${id}/assignees`, { staffId: grid.id, role: 'astronaut' })).statusCode).toBe(400);
  });

  it('walks the workflow over HTTP: acknowledge, session, agreement, payment, resolve; the worker rates it', async () => {
    const id = (await worker.post('/api/appeals', wageAppeal())).json().id;
    const h = await clientFor(t, head);
    expect((await h.post(`/api/admin/appeals/${id}/resolve`, { outcome: 'recovered', resolution: '已追回' })).json().code).toBe('appeals.invalid_state');
    expect((await h.post(`/api/admin/appeals/${id}/acknowledge`)).json().status).toBe('acknowledged');
    const session = await h.post(`/api/admin/appeals/${id}/mediation/sessions`, { heldAt: '2026-11-24T06:00:00.000Z', place: '白鹤街道调解室', participants: ['周建国', '公司代表'] });
    expect(session.json().status).toBe('mediating');
    expect((await h.post(`/api/admin/appeals/${id}/mediation/agreement`, { signedOn: '2026-11-24', instalments: [{ dueDate: '2026-12-01', amountFen: 0 }] })).statusCode).toBe(400);
    expect((await h.post(`/api/admin/appeals/${id}/mediation/agreement`, { signedOn: '2026-11-24', instalments: [{ dueDate: '2026-12-01', amountFen: 800_000 }] })).json().mediation.agreement.totalFen).toBe(800_000);
    expect((await h.post(`/api/admin/appeals/${id}/payments`, { amountFen: 800_000, paidOn: '2026-12-01' })).json().recoveredFen).toBe(800_000);
    expect((await h.post(`/api/admin/appeals/${id}/resolve`, { outcome: 'agreement', resolution: '调解成功' })).json().status).toBe('resolved');
    const rated = await worker.post(`/api/appeals/${id}/rating`, { satisfaction: 'satisfied' });
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toMatchObject({ status: 'closed', satisfaction: 'satisfied', canReopen: false });
    expect((await worker.post(`/api/appeals/${id}/reopen`, { reason: '想重开' })).json().code).toBe('appeals.invalid_state');
  });

  it('serves rules, settings and metrics to operators only', async () => {
    const op = await clientFor(t, operator);
    expect((await op.get('/api/admin/appeals/rules')).json().length).toBeGreaterThanOrEqual(1);
    expect((await op.post('/api/admin/appeals/rules', { areaPrefix: 'abc' })).statusCode).toBe(400);
    const metrics = await op.get('/api/admin/appeals/metrics?by=type');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.json().find((r: { key: string }) => r.key === 'wage_arrears').received).toBeGreaterThanOrEqual(3);
    expect((await op.get('/api/admin/appeals/metrics?by=colour')).statusCode).toBe(400);
    const h = await clientFor(t, head);
    expect((await h.get('/api/admin/appeals/metrics?by=type')).statusCode).toBe(403);
    expect((await h.post('/api/admin/appeals/rules', { areaPrefix: '330212011' })).statusCode).toBe(403);
    expect((await op.get('/api/admin/appeals/settings')).json().ackHours).toBe(24);
  });

  it('groups appeals into a collective case over HTTP', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await worker.post('/api/appeals', wageAppeal({ respondent: { kind: 'agency', name: '宁波某劳务公司' } }))).json().id);
    const op = await clientFor(t, operator);
    const res = await op.post('/api/admin/appeals/cases', { title: '某劳务欠薪专班', appealIds: ids, leadStaffId: head.id });
    expect(res.statusCode).toBe(201);
    expect(res.json().appeals).toHaveLength(3);
    const got = await (await clientFor(t, head)).get(`/api/admin/appeals/cases/${res.json().id}`);
    expect(got.json().members.map((m: { staffId: string }) => m.staffId)).toEqual([head.id]);
    expect((await worker.get(`/api/appeals/${ids[0]}`)).json().caseId).toBe(res.json().id);
    expect(workerId).toBeTruthy();
  });
});
