import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { ReportCategory } from '../../contracts/reports.js';
import { EXPORT_COLUMNS } from './reports.service.js';
import { AREAS, BAIHE, auditActions, insertPlace, loadCity, nextPhone, setReport, setShanghai, staffSession, submission, testImage, verifiedWorker, workerClient } from './reports.test-support.js';

let t: TestApp;
let seed = 5000;
let departments: { id: string; code: string; nameZh: string }[];

async function rider(): Promise<{ client: Client; id: string }> {
  const w = await verifiedWorker(t, { name: '李四海' });
  return { client: await workerClient(t, w.phone), id: w.id };
}

async function upload(client: Client, bytes?: Buffer, url = '/api/reports/photos') {
  return client.request({ method: 'POST', url, payload: bytes ?? (await testImage(++seed)), headers: { 'content-type': 'image/jpeg' } });
}

async function fileVia(client: Client, overrides: Parameters<typeof submission>[1] = {}) {
  const photo = (await upload(client)).json();
  const res = await client.post('/api/reports', submission([photo.id], overrides));
  if (res.statusCode !== 201) throw new Error(`submit failed: ${res.body}`);
  return res.json() as { id: string; code: string; photos: { id: string; url: string }[] };
}

beforeAll(async () => {
  t = await createTestApp();
  setShanghai(t, '2026-11-16 09:00');
  departments = (await loadCity(t)).departments;
  await insertPlace(t, { type: 'compound', name: '白鹤花园', areaCode: '330212011001', lon: BAIHE.lon + 0.001, lat: BAIHE.lat });
  await insertPlace(t, { type: 'compound', name: '南门小区', areaCode: '330203001001', lon: 121.545, lat: 29.866 });
  await t.services.nearby.refresh();
});
afterAll(() => t.close());

describe('worker routes', () => {
  it('need a signed-in worker; filing needs a verified one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/reports/categories' })).statusCode).toBe(401);
    const op = (await staffSession(t, 'operator', AREAS.city)).client;
    expect((await op.get('/api/reports/categories')).statusCode).toBe(403);
    const unverified = await workerClient(t, nextPhone());
    const cats = await unverified.get('/api/reports/categories');
    expect(cats.statusCode).toBe(200);
    expect((cats.json() as ReportCategory[])[0]).toMatchObject({ code: 'manhole_missing', riderFirst: true });
    const photo = await upload(unverified);
    expect(photo.statusCode).toBe(201);
    const res = await unverified.post('/api/reports', submission([photo.json().id]));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('reports.not_verified');
  });

  it('upload a photo as the raw body; only images are accepted; the uploader may view it, others may not', async () => {
    const a = await rider();
    const b = await rider();
    const up = await upload(a.client);
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ url: expect.stringMatching(/^\/api\/reports\/photos\/[0-9a-f-]{36}$/), width: 96, height: 72 });
    const bad = await a.client.request({ method: 'POST', url: '/api/reports/photos', payload: Buffer.from('GIF89a....'), headers: { 'content-type': 'image/gif' } });
    expect(bad.statusCode).toBe(415);
    const json = await a.client.post('/api/reports/photos', { not: 'an image' });
    expect(json.statusCode).toBe(415);

    const mine = await a.client.get(up.json().url);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/jpeg');
    expect((await b.client.get(up.json().url)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: up.json().url })).statusCode).toBe(404);
  });

  it('an Idempotency-Key makes a photo retry return the same photo', async () => {
    const a = await rider();
    const bytes = await testImage(++seed);
    const send = () => a.client.request({ method: 'POST', url: '/api/reports/photos', payload: bytes, headers: { 'content-type': 'image/jpeg' }, idempotencyKey: 'photo-1' });
    const first = await send();
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // the same key with other bytes is another request: refused, and no photo is stored for it
    const before = (await sql<{ n: number }>`select count(*)::int as n from report_photos`.execute(t.services.db)).rows[0]!.n;
    const other = await a.client.request({ method: 'POST', url: '/api/reports/photos', payload: await testImage(++seed), headers: { 'content-type': 'image/jpeg' }, idempotencyKey: 'photo-1' });
    expect(other.json().code).toBe('request.idempotency_key_reused');
    expect((await sql<{ n: number }>`select count(*)::int as n from report_photos`.execute(t.services.db)).rows[0]!.n).toBe(before);
  });

  it('file a report: 201, a retry with the same clientId 200 with the same report; validation errors name the fields', async () => {
    const a = await rider();
    const photo = (await upload(a.client)).json();
    const body = submission([photo.id]);
    const first = await a.client.post('/api/reports', body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ code: expect.stringMatching(/^SP261116\d{5}$/), mine: true, category: 'flooding', areaCode: '330212011001', areaName: '丹顶鹤社区' });
    const retry = await a.client.post('/api/reports', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    const conflict = await a.client.post('/api/reports', { ...body, category: 'road_damage' });
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().code).toBe('reports.client_id_conflict');

    const invalid = await a.client.post('/api/reports', { ...submission([]), clientId: 'x', locationSource: 'gps' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['clientId', 'photoIds', 'locationSource']));
    const far = await a.client.post('/api/reports', submission([(await upload(a.client)).json().id], { lon: 116.4, lat: 39.9 }));
    expect(far.json()).toMatchObject({ status: 400, code: 'reports.out_of_region' });
  });

  it('the photo is then visible to the reporter, followers and staff in scope, and to anyone with a signed link', async () => {
    const a = await rider();
    const b = await rider();
    const report = await fileVia(a.client);
    const url = report.photos[0]!.url;
    expect((await b.client.get(url)).statusCode).toBe(404);
    expect((await b.client.post(`/api/reports/${report.id}/follow`)).statusCode).toBe(200);
    expect((await b.client.get(url)).statusCode).toBe(200);
    expect((await (await staffSession(t, 'grid_worker', AREAS.baihe)).client.get(url)).statusCode).toBe(200);
    expect((await (await staffSession(t, 'operator', AREAS.haishu)).client.get(url)).statusCode).toBe(404);
    const reports = t.services.reportsModule.reports;
    const signed = reports.photoPublicUrl(report.photos[0]!.id, { signed: true });
    const anon = await t.app.inject({ method: 'GET', url: signed });
    expect(anon.statusCode).toBe(200);
    expect(anon.headers['cache-control']).toContain('public');
    expect((await t.app.inject({ method: 'GET', url: `${url}?sig=forged` })).statusCode).toBe(404);
  });

  it('nearby, follow, mine, detail, unfollow', async () => {
    const a = await rider();
    const b = await rider();
    const report = await fileVia(a.client, { category: 'fire_lane_blocked' });
    const nearby = await b.client.get(`/api/reports/nearby?lon=${BAIHE.lon}&lat=${BAIHE.lat}&category=fire_lane_blocked`);
    expect(nearby.statusCode).toBe(200);
    expect(nearby.json()).toEqual([expect.objectContaining({ id: report.id, following: false, distanceM: 0 })]);
    // the photo of someone else's report shows before following (a signed link)
    expect((await b.client.get(nearby.json()[0].photoUrl)).statusCode).toBe(200);
    expect((await b.client.get(`/api/reports/nearby?lon=${BAIHE.lon}&lat=${BAIHE.lat}&category=BAD`)).statusCode).toBe(400);

    expect((await b.client.get(`/api/reports/${report.id}`)).json().code).toBe('reports.not_found');
    const followed = await b.client.post(`/api/reports/${report.id}/follow`, undefined, 'follow-1');
    expect(followed.json()).toMatchObject({ id: report.id, mine: false, followerCount: 1 });
    expect((await a.client.post(`/api/reports/${report.id}/follow`)).statusCode).toBe(400);
    const mine = (await b.client.get('/api/reports/mine?status=open')).json();
    expect(mine).toMatchObject({ total: 1, items: [{ id: report.id, mine: false }] });
    expect((await a.client.get('/api/reports/mine')).json().items[0]).toMatchObject({ id: report.id, mine: true });
    const detail = (await b.client.get(`/api/reports/${report.id}`)).json();
    expect(detail.timeline[0]).toMatchObject({ type: 'submitted', actor: { kind: 'worker', name: null } });

    const del = await b.client.delete(`/api/reports/${report.id}/follow`);
    expect(del.statusCode).toBe(204);
    expect((await b.client.get(`/api/reports/${report.id}`)).statusCode).toBe(404);
    expect((await b.client.get('/api/reports/not-a-uuid')).statusCode).toBe(400);
  });

  it('feedback: only the reporter, only on a fixed report within 7 days; a dispute needs a reason', async () => {
    const a = await rider();
    const report = await fileVia(a.client);
    const early = await a.client.post(`/api/reports/${report.id}/feedback`, { feedback: 'confirmed' });
    expect(early.json()).toMatchObject({ status: 409, code: 'reports.feedback_closed' });
    const now = t.clock.now();
    await setReport(t, report.id, { status: 'closed', outcome: 'fixed', closed_at: now, feedback_deadline: new Date(now.getTime() + 7 * 86400_000) });
    expect((await a.client.get(`/api/reports/${report.id}`)).json().canFeedback).toBe(true);
    const noReason = await a.client.post(`/api/reports/${report.id}/feedback`, { feedback: 'disputed' });
    expect(noReason.json()).toMatchObject({ status: 400, code: 'reports.reason_required' });
    const ok = await a.client.post(`/api/reports/${report.id}/feedback`, { feedback: 'confirmed' });
    expect(ok.statusCode).toBe(200);
  });
});

describe('staff list and export', () => {
  let baihe: { id: string; code: string };
  let nanmen: { id: string; code: string };
  let dept: { id: string; nameZh: string };

  beforeAll(async () => {
    setShanghai(t, '2026-11-18 09:00');
    dept = departments[0]!;
    const a = await rider();
    baihe = await fileVia(a.client, { category: 'manhole_missing', description: '白鹤井盖缺失', address: '白鹤路 8 号' });
    nanmen = await fileVia(a.client, { category: 'road_damage', lon: 121.5452, lat: 29.8662, locationSource: 'map' });
    await setReport(t, baihe.id, { status: 'dispatched', department_id: dept.id, deadline_at: new Date(t.clock.now().getTime() + 3600_000) });
    t.clock.advance(2 * 3600_000);
  });

  it('operators see their area, grid workers theirs, handlers only their departments’ reports', async () => {
    const city = (await staffSession(t, 'operator', AREAS.city)).client;
    const all = (await city.get('/api/admin/reports?pageSize=100')).json();
    expect(all.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([baihe.id, nanmen.id]));
    const item = all.items.find((i: { id: string }) => i.id === baihe.id);
    expect(item).toMatchObject({ code: baihe.code, status: 'dispatched', departmentId: dept.id, departmentName: dept.nameZh, overdue: true, areaName: '丹顶鹤社区', reporterMasked: '李**', source: 'app' });
    expect(item.photoUrl).toMatch(/^\/api\/reports\/photos\//);

    const haishu = (await (await staffSession(t, 'operator', AREAS.haishu)).client.get('/api/admin/reports?pageSize=100')).json();
    expect(haishu.items.map((i: { id: string }) => i.id)).toContain(nanmen.id);
    expect(haishu.items.map((i: { id: string }) => i.id)).not.toContain(baihe.id);
    const grid = (await (await staffSession(t, 'grid_worker', AREAS.baihe)).client.get('/api/admin/reports?pageSize=100')).json();
    expect(grid.items.map((i: { id: string }) => i.id)).toContain(baihe.id);
    expect(grid.items.map((i: { id: string }) => i.id)).not.toContain(nanmen.id);

    const handler = (await staffSession(t, 'handler', AREAS.yinzhou, [dept.id])).client;
    expect((await handler.get('/api/admin/reports')).json().items.map((i: { id: string }) => i.id)).toEqual([baihe.id]);
    const otherHandler = (await staffSession(t, 'handler', AREAS.yinzhou, [departments[1]!.id])).client;
    expect((await otherHandler.get('/api/admin/reports')).json().total).toBe(0);
    // a co-handling (协办) department sees it too
    await sql`insert into report_orders (id, report_id, city_code, department_id, co_department_ids, status, current, dispatched_at, dispatched_by, deadline_at)
      values (gen_random_uuid(), ${baihe.id}, '3302', ${dept.id}, ${[departments[1]!.id]}::uuid[], 'dispatched', true, now(), 'system', now())`.execute(t.services.db);
    expect((await otherHandler.get('/api/admin/reports')).json().items.map((i: { id: string }) => i.id)).toEqual([baihe.id]);

    const scanner = (await staffSession(t, 'scanner', AREAS.city)).client;
    expect((await scanner.get('/api/admin/reports')).statusCode).toBe(403);
    const a = await rider();
    expect((await a.client.get('/api/admin/reports')).statusCode).toBe(403);
  });

  it('filters: status, category, text, overdue, flag, area, department, bbox, time; sorts', async () => {
    const op = (await staffSession(t, 'operator', AREAS.city)).client;
    const ids = async (q: string) => (await op.get(`/api/admin/reports?pageSize=100&${q}`)).json().items.map((i: { id: string }) => i.id) as string[];
    expect(await ids('status=dispatched')).toEqual([baihe.id]);
    expect(await ids('category=road_damage')).toEqual([nanmen.id]);
    expect(await ids(`q=${encodeURIComponent('白鹤路')}`)).toEqual([baihe.id]);
    expect(await ids(`q=${baihe.code}`)).toEqual([baihe.id]);
    expect(await ids('overdue=true')).toEqual([baihe.id]);
    expect(await ids('overdue=false')).not.toContain(baihe.id);
    expect(await ids('flag=map_picked')).toEqual([nanmen.id]);
    expect(await ids(`areaCode=${AREAS.haishu}`)).toEqual([nanmen.id]);
    expect(await ids(`departmentId=${dept.id}`)).toEqual([baihe.id]);
    expect(await ids(`bbox=121.54,29.86,121.55,29.87`)).toEqual([nanmen.id]);
    expect(await ids(`from=${encodeURIComponent('2026-11-18T00:00:00Z')}&category=manhole_missing`)).toEqual([baihe.id]);
    expect(await ids(`to=${encodeURIComponent('2026-11-01T00:00:00Z')}`)).toEqual([]);
    const times = async (sort: string) => (await op.get(`/api/admin/reports?pageSize=100&sort=${sort}`)).json().items.map((i: { submittedAt: string }) => i.submittedAt) as string[];
    const asc = await times('submitted_asc');
    expect(asc).toEqual([...asc].sort());
    expect(await times('submitted_desc')).toEqual([...asc].sort().reverse());
    expect((await ids('sort=deadline_asc'))[0]).toBe(baihe.id);
    expect((await op.get('/api/admin/reports?bbox=1,2,3')).statusCode).toBe(400);
    const paged = (await op.get('/api/admin/reports?pageSize=1&page=2')).json();
    expect(paged).toMatchObject({ page: 2, pageSize: 1 });
    expect(paged.items.length).toBe(1);
  });

  it('exports the filtered list as XLSX with Chinese headers, masked reporters, audited', async () => {
    const op = (await staffSession(t, 'operator', AREAS.city)).client;
    const res = await op.get('/api/admin/reports/export.xlsx?category=manhole_missing');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('随手拍')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...EXPORT_COLUMNS]);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row[0]).toBe(baihe.code);
    expect(row[1]).toBe('井盖缺失');
    expect(row[2]).toBe('已交办');
    expect(row[12]).toBe('是');
    expect(row[15]).toBe('李**');
    expect(sheet.rowCount).toBe(2);
    const audits = await auditActions(t, 'reports.exported');
    expect(audits.at(-1)!.detail).toMatchObject({ rows: 1 });
  });

  it('staff upload after-photos; other roles may not', async () => {
    const handler = (await staffSession(t, 'handler', AREAS.yinzhou, [dept.id])).client;
    const up = await upload(handler, undefined, '/api/admin/reports/photos');
    expect(up.statusCode).toBe(201);
    expect((await handler.get(up.json().url)).statusCode).toBe(200);
    const scanner = (await staffSession(t, 'scanner', AREAS.city)).client;
    expect((await upload(scanner, undefined, '/api/admin/reports/photos')).statusCode).toBe(403);
  });
});

describe('categories admin', () => {
  const input = (o: Partial<ReportCategory> = {}) => ({
    nameZh: '共享单车乱停',
    nameEn: 'Shared bikes blocking the way',
    group: 'traffic',
    riderFirst: false,
    sort: 200,
    quickTags: ['堵塞通道', '堵塞通道', '倒地'],
    pointsRule: 'valid_report',
    dedupeRadiusM: 100,
    dedupeMax: 3,
    deadlineWorkingDays: 2,
    clusterMin: 4,
    clusterRadiusM: 200,
    clusterDays: 14,
    active: true,
    ...o,
  });

  it('staff read them all; operators of the whole city create and change them, with a real points rule', async () => {
    const city = (await staffSession(t, 'operator', AREAS.city)).client;
    const list = await city.get('/api/admin/reports/categories');
    expect(list.statusCode).toBe(200);
    expect(list.json().length).toBe(13);

    const district = (await staffSession(t, 'operator', AREAS.yinzhou)).client;
    expect((await district.request({ method: 'PUT', url: '/api/admin/reports/categories/shared_bikes', payload: input() })).statusCode).toBe(403);

    const created = await city.request({ method: 'PUT', url: '/api/admin/reports/categories/shared_bikes', payload: input() });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ code: 'shared_bikes', quickTags: ['堵塞通道', '倒地'], dedupeRadiusM: 100 });
    const changed = await city.request({ method: 'PUT', url: '/api/admin/reports/categories/flooding', payload: input({ nameZh: '积水', active: false }) });
    expect(changed.json()).toMatchObject({ code: 'flooding', nameZh: '积水', active: false });
    const a = await rider();
    const visible = (await a.client.get('/api/reports/categories')).json().map((c: ReportCategory) => c.code);
    expect(visible).toContain('shared_bikes');
    expect(visible).not.toContain('flooding');
    await city.request({ method: 'PUT', url: '/api/admin/reports/categories/flooding', payload: { ...input({ nameZh: '积水内涝' }), riderFirst: true, sort: 20 } });

    const badRule = await city.request({ method: 'PUT', url: '/api/admin/reports/categories/shared_bikes', payload: input({ pointsRule: 'no_such_rule' }) });
    expect(badRule.json()).toMatchObject({ status: 404, code: 'reports.points_rule_not_found' });
    const badCode = await city.request({ method: 'PUT', url: '/api/admin/reports/categories/Bad-Code', payload: input() });
    expect(badCode.statusCode).toBe(400);
    expect((await auditActions(t, 'reports.category_')).map((x) => x.action)).toEqual(['reports.category_created', 'reports.category_updated', 'reports.category_updated']);
  });
});
