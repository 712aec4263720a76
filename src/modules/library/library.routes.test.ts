import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { extractPdfText } from '../../platform/pdf/pdf.test-support.js';
import { seedDemoCity } from '../../server/demo-seed.js';
import { EBIKE_CONTRACT_SEED_KEY, EBIKE_CONTRACT_TITLE } from './library.demo-seed.js';
import { clientFor, loadCity, staffAccount, typicalCase, verifiedWorker, workerClient } from './library.test-support.js';

let t: TestApp;
let mediator: StaffPrincipal;
let handler: StaffPrincipal;
let contractId: string;
const put = (c: Client, url: string, payload: unknown) => c.request({ method: 'PUT', url, payload: payload as object });
const counts = async () =>
  (await sql<{ e: number; r: number }>`select (select count(*)::int from library_entries) as e, (select count(*)::int from library_revisions) as r`.execute(t.services.db)).rows[0]!;

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  await seedDemoCity(t.services);
  mediator = await staffAccount(t, 'mediator', '330212');
  handler = await staffAccount(t, 'handler', '330212011');
  contractId = (await t.services.library.bySeedKey('3302', EBIKE_CONTRACT_SEED_KEY))!;
});
afterAll(async () => t?.close());

describe('demo seed', () => {
  it('publishes the e-bike rental model contract and four typical cases, once', async () => {
    const before = await counts();
    await seedDemoCity(t.services);
    expect(await counts()).toEqual(before);
    const all = await new Client(t.app).get('/api/library?pageSize=50');
    expect(all.json().items.filter((i: { kind: string }) => i.kind === 'typical_case')).toHaveLength(4);
    expect(all.json().items.filter((i: { kind: string }) => i.kind === 'model_contract').map((i: { title: string }) => i.title)).toEqual([EBIKE_CONTRACT_TITLE]);
  });
});

describe('reader routes (public)', () => {
  it('anyone may search published entries and open one, without signing in', async () => {
    const anon = new Client(t.app);
    const res = await anon.get(`/api/library?q=${encodeURIComponent('套路租')}&kind=typical_case`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 1, items: [{ kind: 'typical_case', appealTypes: ['predatory_rental'], amountRecoveredFen: 300_000_000, areaName: '鄞州区' }] });
    const one = await anon.get(`/api/library/${res.json().items[0].id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().typicalCase.facts[0]).toContain('钟公庙街道');
    const w = await verifiedWorker(t);
    const worker = await workerClient(t, w.phone);
    expect((await worker.get('/api/library?appealType=work_injury')).json().items[0].title).toContain('合作关系');
  });

  it('answers bad filters with 400 naming the field, and an unknown entry with 404', async () => {
    const anon = new Client(t.app);
    const bad = await anon.get('/api/library?kind=novel&pageSize=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((bad.json().errors as { field: string }[]).map((e) => e.field)).toEqual(expect.arrayContaining(['querystring.kind', 'querystring.pageSize']));
    const missing = await anon.get('/api/library/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('library.not_found');
  });

  it('the model contract downloads as a PDF whose text a reader can extract; a typical case has no PDF', async () => {
    const res = await new Client(t.app).get(`/api/library/${contractId}/contract.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toBe(`${EBIKE_CONTRACT_TITLE}.pdf`);
    const text = await extractPdfText(res.rawPayload);
    expect(text.all).toContain(EBIKE_CONTRACT_TITLE);
    expect(text.body).toContain('第三条租金与押金');
    expect(text.body).toContain('甲方应在7日内将押金原路全额退还');
    expect(text.body).toContain('不承担违约金');
    expect(text.body).toContain('签约前请逐项核对');
    expect(text.info.Title).toBe(EBIKE_CONTRACT_TITLE);
    const aCase = (await new Client(t.app).get('/api/library?kind=typical_case&pageSize=1')).json().items[0].id;
    const no = await new Client(t.app).get(`/api/library/${aCase}/contract.pdf`);
    expect(no.statusCode).toBe(409);
    expect(no.json().code).toBe('library.not_a_contract');
  });
});

describe('editor routes', () => {
  it('needs a signed-in operator or mediator', async () => {
    expect((await new Client(t.app).get('/api/admin/library')).statusCode).toBe(401);
    const other = await clientFor(t, handler);
    const res = await other.post('/api/admin/library', typicalCase());
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
  });

  it('answers bad input with a clear 400 and stores nothing', async () => {
    const c = await clientFor(t, mediator);
    const before = await counts();
    const res = await c.post('/api/admin/library', { ...typicalCase(), title: '   ', appealTypes: ['gossip'], typicalCase: { facts: [], resolution: ['x'], legalBasis: ['y'] } });
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { field: string }[]).map((e) => e.field)).toEqual(expect.arrayContaining(['title', 'appealTypes.0', 'typicalCase.facts']));
    const mismatch = await c.post('/api/admin/library', { ...typicalCase(), kind: 'model_contract' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toMatchObject({ code: 'library.body_mismatch', errors: [{ field: 'modelContract' }] });
    expect(await counts()).toEqual(before);
  });

  it('creates, saves a new draft over a published entry, publishes, lists revisions; raw HTML stays text', async () => {
    const c = await clientFor(t, mediator);
    const created = await c.post('/api/admin/library', typicalCase({ title: '路由测试 <b>案例</b>' }));
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await c.post(`/api/admin/library/${id}/publish`, {})).json().status).toBe('published');
    const saved = await put(c, `/api/admin/library/${id}/draft`, { ...typicalCase({ title: '路由测试 第二版' }), expectedVersion: (await c.get(`/api/admin/library/${id}`)).json().version });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().draft.number).toBe(2);
    const stale = await put(c, `/api/admin/library/${id}/draft`, { ...typicalCase(), expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('library.version_conflict');
    expect((await new Client(t.app).get(`/api/library/${id}`)).json().title).toBe('路由测试 <b>案例</b>');
    const revs = await c.get(`/api/admin/library/${id}/revisions`);
    expect(revs.json().map((r: { number: number; status: string }) => `${r.number}:${r.status}`)).toEqual(['2:draft', '1:published']);
    expect((await c.get(`/api/admin/library/${id}/revisions/1`)).json().title).toBe('路由测试 <b>案例</b>');
    expect((await c.get(`/api/admin/library/${id}/revisions/9`)).statusCode).toBe(404);

    // discarding the draft: 200 back at revision 1; a second time 409 (nothing to discard); a handler 403
    const handlerClient = await clientFor(t, handler);
    expect((await handlerClient.post(`/api/admin/library/${id}/discard-draft`, {})).statusCode).toBe(403);
    const discarded = await c.post(`/api/admin/library/${id}/discard-draft`, { expectedVersion: saved.json().version });
    expect(discarded.statusCode).toBe(200);
    expect(discarded.json()).toMatchObject({ draft: null, published: { number: 1 } });
    const again = await c.post(`/api/admin/library/${id}/discard-draft`, {});
    expect([again.statusCode, again.json().code]).toEqual([409, 'library.invalid_state']);
    expect((await c.get(`/api/admin/library/${id}/revisions`)).json().map((r: { number: number; status: string }) => `${r.number}:${r.status}`)).toEqual(['2:discarded', '1:published']);
  });
});
