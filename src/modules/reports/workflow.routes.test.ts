import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Client } from '../../../test/helpers/app.js';
import { AREAS, BAIHE, auditActions, insertPlace, loadCity, setShanghai, staffSession, submission, testImage, verifiedWorker, workerOf } from './reports.test-support.js';

/** The workflow's HTTP surface: auth, validation, error bodies, the detail's `actions`, rules, bulk. */
let t: TestApp;
let dept: Record<string, string>;
let operator: Client;
let districtOperator: Client;
let handler: Client;
let grid: Client;
const COMMUNITY = '330212011001';
let seq = 0;

async function submitReport(): Promise<string> {
  const m = t.services.reportsModule;
  const w = await verifiedWorker(t);
  const photo = await m.reports.uploadPhoto({ kind: 'worker', id: w.id }, '3302', await testImage(++seq * 31337));
  return (await m.reports.submit(workerOf(w.id), submission([photo.id], { category: 'road_damage' }), {})).report.id;
}

beforeAll(async () => {
  t = await createTestApp();
  const city = await loadCity(t);
  dept = Object.fromEntries(city.departments.map((d) => [d.code, d.id]));
  await t.services.reportsModule.reports.ensureDefaultCategories('3302');
  await insertPlace(t, { type: 'compound', name: '白鹤花园', areaCode: COMMUNITY, lon: BAIHE.lon + 0.001, lat: BAIHE.lat });
  operator = (await staffSession(t, 'operator', '3302')).client;
  districtOperator = (await staffSession(t, 'operator', AREAS.haishu)).client;
  handler = (await staffSession(t, 'handler', AREAS.baihe, [dept.urban!])).client;
  grid = (await staffSession(t, 'grid_worker', AREAS.baihe)).client;
  setShanghai(t, '2026-11-23 10:00');
});
afterAll(() => t.close());

describe('routing rules', () => {
  let ruleId: string;
  it('operators create, list, change and delete them; others may not', async () => {
    const body = { category: null, areaPrefix: AREAS.baihe, departmentId: dept.urban, streetCode: null, priority: 0, active: true, note: '白鹤街道兜底' };
    expect((await handler.post('/api/admin/reports/routing-rules', body)).statusCode).toBe(403);
    expect((await districtOperator.post('/api/admin/reports/routing-rules', body)).json()).toMatchObject({ code: 'areas.out_of_scope' });
    expect((await operator.post('/api/admin/reports/routing-rules', { ...body, areaPrefix: '12' })).statusCode).toBe(400);
    expect((await operator.post('/api/admin/reports/routing-rules', { ...body, category: 'no_such' })).json()).toMatchObject({ code: 'reports.category_not_found' });
    expect((await operator.post('/api/admin/reports/routing-rules', { ...body, departmentId: '00000000-0000-4000-8000-000000000000' })).json()).toMatchObject({ code: 'reports.department_not_found' });
    const created = await operator.post('/api/admin/reports/routing-rules', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ areaName: '白鹤街道', departmentName: '综合行政执法局（城管）', category: null, note: '白鹤街道兜底' });
    ruleId = created.json().id;
    const list = await operator.get('/api/admin/reports/routing-rules');
    expect(list.json().map((r: { id: string }) => r.id)).toEqual([ruleId]);
    const changed = await operator.request({ method: 'PUT', url: `/api/admin/reports/routing-rules/${ruleId}`, payload: { ...body, priority: 5 } });
    expect(changed.json()).toMatchObject({ priority: 5 });
    expect((await auditActions(t, 'reports.rule_')).map((a) => a.action)).toEqual(['reports.rule_created', 'reports.rule_updated']);
  });

  it('deleting (404 after)', async () => {
    const extra = await operator.post('/api/admin/reports/routing-rules', { category: 'flooding', areaPrefix: AREAS.yinzhou, departmentId: dept.housing, priority: 0, active: false });
    const id = extra.json().id;
    expect((await operator.delete(`/api/admin/reports/routing-rules/${id}`)).statusCode).toBe(204);
    expect((await operator.delete(`/api/admin/reports/routing-rules/${id}`)).json()).toMatchObject({ code: 'reports.rule_not_found' });
  });
});

describe('one report through the routes', () => {
  it('detail with actions per role; acknowledge, handle, verify; errors as problem+json', async () => {
    const id = await submitReport();
    expect((await t.app.inject({ method: 'GET', url: `/api/admin/reports/${id}` })).statusCode).toBe(401);
    expect((await handler.get('/api/admin/reports/not-a-uuid')).statusCode).toBe(400);
    expect((await handler.get('/api/admin/reports/00000000-0000-4000-8000-000000000000')).json()).toMatchObject({ code: 'reports.not_found' });
    const detail = await handler.get(`/api/admin/reports/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ status: 'dispatched', departmentName: '综合行政执法局（城管）', reporterMasked: '张**' });
    expect(detail.json().actions).toEqual(['acknowledge', 'return', 'extension', 'co_handlers']);
    expect(detail.json().timeline.map((e: { type: string }) => e.type)).toEqual(['submitted', 'routed']);
    expect((await grid.get(`/api/admin/reports/${id}`)).json().actions).toEqual([]);
    expect((await auditActions(t, 'reports.viewed')).length).toBe(2);

    const verifyEarly = await grid.post(`/api/admin/reports/${id}/verify`, { verdict: 'valid' });
    expect(verifyEarly.statusCode).toBe(409);
    expect(verifyEarly.json()).toMatchObject({ code: 'reports.invalid_state' });
    expect((await handler.post(`/api/admin/reports/${id}/acknowledge`)).json().status).toBe('acknowledged');

    const upload = await handler.request({ method: 'POST', url: '/api/admin/reports/photos', headers: { 'content-type': 'image/jpeg' }, payload: await testImage(424242) });
    expect(upload.statusCode).toBe(201);
    expect((await handler.post(`/api/admin/reports/${id}/handle`, { result: '已修复', photoIds: [] })).statusCode).toBe(400);
    const handled = await handler.post(`/api/admin/reports/${id}/handle`, { result: '已修复路面', photoIds: [upload.json().id] });
    expect(handled.json()).toMatchObject({ status: 'handled' });
    const verified = await grid.post(`/api/admin/reports/${id}/verify`, { verdict: 'valid', note: '已核实' });
    expect(verified.json()).toMatchObject({ status: 'closed', outcome: 'fixed', pointsGranted: 10 });
    expect(verified.json().photos.map((p: { kind: string }) => p.kind)).toEqual(['before', 'after']);
  });

  it('return and re-dispatch; extension; co-handlers; clawback validation', async () => {
    const id = await submitReport();
    expect((await handler.post(`/api/admin/reports/${id}/return`, { reason: 'x' })).statusCode).toBe(400);
    expect((await handler.post(`/api/admin/reports/${id}/extension`, { days: 3, reason: '需要协调' })).json().orders[0].extension).toEqual({ days: 3, reason: '需要协调', status: 'pending' });
    expect((await operator.get(`/api/admin/reports/${id}`)).json().actions).toContain('decide_extension');
    expect((await operator.post(`/api/admin/reports/${id}/extension/decide`, { approved: false })).json().orders[0].extension.status).toBe('rejected');
    expect((await handler.post(`/api/admin/reports/${id}/co-handlers`, { departmentIds: [dept.housing] })).json().orders[0].coDepartments).toEqual([{ id: dept.housing, name: '住房和城乡建设局' }]);
    const returned = await handler.post(`/api/admin/reports/${id}/return`, { reason: '不属于城管职责' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'pending_triage', actions: [] });
    expect((await operator.get(`/api/admin/reports/${id}`)).json().actions).toEqual(['triage']);
    expect((await operator.post(`/api/admin/reports/${id}/triage`, { action: 'dispatch' })).statusCode).toBe(400);
    const again = await operator.post(`/api/admin/reports/${id}/triage`, { action: 'dispatch', departmentId: dept.urban });
    expect(again.json()).toMatchObject({ status: 'dispatched', departmentId: dept.urban });
    expect((await operator.post(`/api/admin/reports/${id}/clawback`, { reason: '无积分可追回' })).json()).toMatchObject({ code: 'reports.invalid_state' });
  });

  it('bulk acknowledge and dispatch: each report on its own', async () => {
    const a = await submitReport();
    const b = await submitReport();
    await handler.post(`/api/admin/reports/${b}/acknowledge`);
    const res = await handler.post('/api/admin/reports/bulk', { action: 'acknowledge', reportIds: [a, b] });
    expect(res.json()).toEqual({ done: [a], failed: [{ id: b, code: 'reports.invalid_state' }] });
    expect((await operator.post('/api/admin/reports/bulk', { action: 'dispatch', reportIds: [a] })).json()).toMatchObject({ code: 'request.invalid' });
    const c = await submitReport();
    await handler.post(`/api/admin/reports/${c}/return`, { reason: '非本部门职责' });
    const d = await operator.post('/api/admin/reports/bulk', { action: 'dispatch', reportIds: [c], departmentId: dept.housing });
    expect(d.json()).toEqual({ done: [c], failed: [] });
  });
});
