import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { clientFor, loadCity, nextPhone, question, rosterLawyer, setShanghai, staffAccount, verifiedWorker, workerClient } from './legal.test-support.js';

let t: TestApp;
let worker: Client & { phone: string };
let operator: StaffPrincipal;
let lawyer: StaffPrincipal;
const put = (c: Client, url: string, payload: object) => c.request({ method: 'PUT', url, payload });
const questionCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from legal_questions`.execute(t.services.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  setShanghai(t, '2026-11-23 10:00');
  const w = await verifiedWorker(t);
  worker = await workerClient(t, w.phone);
  operator = await staffAccount(t, 'operator', '3302');
  lawyer = await rosterLawyer(t, operator, { specialities: ['wage_arrears', 'work_injury'], areas: ['330212'] });
});
afterAll(async () => t?.close());

describe('worker routes', () => {
  it('need a signed-in verified worker; staff get 403', async () => {
    expect((await new Client(t.app).post('/api/legal/questions', question())).statusCode).toBe(401);
    expect((await (await clientFor(t, operator)).post('/api/legal/questions', question())).statusCode).toBe(403);
    const unverified = await workerClient(t, nextPhone());
    const res = await unverified.post('/api/legal/questions', question());
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('legal.not_verified');
  });

  it('answers bad input with 400 naming the fields, storing nothing', async () => {
    const before = await questionCount();
    const res = await worker.post('/api/legal/questions', { ...question(), type: 'gossip', question: 'x', amountFen: -1 });
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { field: string }[]).map((e) => e.field)).toEqual(expect.arrayContaining(['type', 'question', 'amountFen']));
    expect(await questionCount()).toBe(before);
  });

  it('ask (201, retry 200) → lawyer answers in the console → the worker rates and turns it into an appeal once', async () => {
    const body = question();
    const first = await worker.post('/api/legal/questions', body);
    expect(first.statusCode).toBe(201);
    const retry = await worker.post('/api/legal/questions', body);
    expect(retry.statusCode).toBe(200);
    const id = first.json().id as string;
    expect(retry.json().id).toBe(id);
    expect(first.json()).toMatchObject({ status: 'assigned', lawyerId: lawyer.id, deadlineAt: '2026-11-25T15:59:59.999Z', overdue: false });
    expect((await worker.get('/api/legal/questions/mine')).json().items.map((x: { id: string }) => x.id)).toContain(id);

    const lc = await clientFor(t, lawyer);
    const queue = await lc.get('/api/admin/legal/questions');
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(id);
    const seen = await lc.get(`/api/admin/legal/questions/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().worker.phoneMasked).toBe(`${worker.phone.slice(0, 3)}****${worker.phone.slice(-4)}`);
    expect(seen.body).not.toContain(worker.phone);
    expect((await lc.post(`/api/admin/legal/questions/${id}/answer`, { text: '' })).statusCode).toBe(400);
    const answered = await lc.post(`/api/admin/legal/questions/${id}/answer`, { text: '建议向劳动监察大队投诉并申请仲裁。' });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', answeredOnTime: true });

    expect((await worker.post(`/api/legal/questions/${id}/rating`, { rating: 'helpful' })).json().rating).toBe('helpful');
    const made = await worker.post(`/api/legal/questions/${id}/appeal`, {});
    expect(made.statusCode).toBe(201);
    const again = await worker.post(`/api/legal/questions/${id}/appeal`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json().appealId).toBe(made.json().appealId);
    const appeal = await worker.get(`/api/appeals/${made.json().appealId}`);
    expect(appeal.statusCode).toBe(200);
    expect(appeal.json().description).toContain('建议向劳动监察大队投诉');
    expect((await worker.get(`/api/legal/questions/${id}`)).json().appealId).toBe(made.json().appealId);
  });

  it('keeps other workers and other lawyers out (404)', async () => {
    const id = (await worker.post('/api/legal/questions', question({ type: 'work_injury' }))).json().id as string;
    const other = await workerClient(t, (await verifiedWorker(t)).phone);
    expect((await other.get(`/api/legal/questions/${id}`)).statusCode).toBe(404);
    const stranger = await clientFor(t, await staffAccount(t, 'lawyer', '3302'));
    const res = await stranger.get(`/api/admin/legal/questions/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('legal.not_found');
  });
});

describe('staff routes', () => {
  it('roster, settings and metrics are for operators; the lawyer sees metrics only', async () => {
    const oc = await clientFor(t, operator);
    const lc = await clientFor(t, lawyer);
    const roster = await oc.get('/api/admin/legal/lawyers');
    expect(roster.statusCode).toBe(200);
    expect(roster.json().find((l: { staffId: string }) => l.staffId === lawyer.id).profile.lawFirm).toBe('浙江甬法律师事务所');
    expect((await lc.get('/api/admin/legal/lawyers')).statusCode).toBe(403);
    const bad = await put(oc, `/api/admin/legal/lawyers/${lawyer.id}`, { lawFirm: '甬法', specialities: [], areas: ['330212'], active: true, maxOpen: 0 });
    expect(bad.statusCode).toBe(400);
    expect((await put(oc, '/api/admin/legal/settings', { answerDays: 3, remindHoursBefore: 2 })).json()).toEqual({ answerDays: 3, remindHoursBefore: 2 });
    expect((await put(lc, '/api/admin/legal/settings', { answerDays: 1, remindHoursBefore: 2 })).statusCode).toBe(403);
    const m = await lc.get('/api/admin/legal/metrics?from=2026-11&to=2026-11');
    expect(m.statusCode).toBe(200);
    expect(m.json().find((r: { type: string }) => r.type === 'wage_arrears')).toMatchObject({ month: '2026-11', received: 1, answered: 1, answeredOnTime: 1 });
    expect((await oc.get('/api/admin/legal/metrics?from=2026-13')).statusCode).toBe(400);
    expect((await lc.get('/api/admin/legal/questions?scope=unassigned')).statusCode).toBe(403);
  });
});
