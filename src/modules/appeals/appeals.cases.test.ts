import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { AppError } from '../../shared/errors.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { APPEAL_EXPORT_MAX_ROWS } from '../../contracts/appeals.js';
import { appealsOf, clientFor, ctx, hotlineAppeal, loadCity, nextPhone, PNG, setShanghai, staffAccount, verifiedWorker, wageAppeal, workerOf } from './appeals.test-support.js';

let t: TestApp;
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as AppError).code;
  }
  return 'no error';
};
const auditCount = async (action: string) => Number((await sql<{ n: number }>`select count(*)::int as n from audit_log where action = ${action}`.execute(t.services.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  setShanghai(t, '2026-11-23 10:00');
});
afterAll(async () => t?.close());

async function fileAgainst(name: string, n: number, amountFen = 100_000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = await verifiedWorker(t);
    ids.push((await appealsOf(t).submit(workerOf(w.id), wageAppeal({ respondent: { kind: 'agency', name }, amountClaimedFen: amountFen * (i + 1) }), ctx)).appeal.id);
  }
  return ids;
}

describe('collective cases (专班): list, task force, remove, close', () => {
  let operator: StaffPrincipal;
  beforeAll(async () => {
    operator = await staffAccount(t, 'operator', '330212');
  });

  it('lists the cases I may see with counts and amounts, searchable by respondent or title, filtered by status', async () => {
    const ids = await fileAgainst('宁波列表测试劳务有限公司', 3);
    const c = await appealsOf(t).createCase(operator, { title: '列表测试专班', appealIds: ids, leadStaffId: operator.id }, ctx);
    await appealsOf(t).acknowledge(operator, ids[0]!, ctx);
    await appealsOf(t).addPayment(operator, ids[0]!, { amountFen: 40_000, paidOn: '2026-11-23' }, ctx);

    const page = await appealsOf(t).listCases(operator, { page: 1, pageSize: 20, q: '列表测试劳务' });
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ id: c.id, code: c.code, status: 'open', appealCount: 3, amountClaimedFen: 600_000, recoveredFen: 40_000, leadStaffId: operator.id, leadName: operator.displayName });
    expect(page.items[0]!.areaName).not.toMatch(/^\d+$/);
    expect((await appealsOf(t).listCases(operator, { page: 1, pageSize: 20, q: '列表测试专班' })).total).toBe(1);
    expect((await appealsOf(t).listCases(operator, { page: 1, pageSize: 20, q: '列表测试专班', status: 'closed' })).total).toBe(0);
    // someone outside the task force and the area sees none of it
    const outsider = await staffAccount(t, 'handler', '330203');
    expect((await appealsOf(t).listCases(outsider, { page: 1, pageSize: 20, q: '列表测试' })).total).toBe(0);
  });

  it('adds and removes task-force members (not the lead), takes out an appeal added by mistake, and closes with a summary', async () => {
    const ids = await fileAgainst('宁波结案测试劳务有限公司', 3);
    const [stray] = await fileAgainst('宁波结案测试劳务有限公司', 1);
    const c = await appealsOf(t).createCase(operator, { title: '结案测试专班', appealIds: ids, leadStaffId: operator.id }, ctx);
    await appealsOf(t).addToCase(operator, c.id, { appealIds: [stray!] }, ctx);

    const lawyer = await staffAccount(t, 'mediator', '330212', ['justice']);
    const withLawyer = await appealsOf(t).addCaseMember(operator, c.id, { staffId: lawyer.id, role: 'lawyer' }, ctx);
    expect(withLawyer.members.map((m) => [m.role, m.displayName]).sort()).toEqual([['lawyer', lawyer.displayName], ['lead', operator.displayName]].sort());
    // the member now works the case's appeals
    await appealsOf(t).acknowledge(lawyer, ids[0]!, ctx);
    // a member may not change the case; the lead stays
    expect(await codeOf(appealsOf(t).removeFromCase(lawyer, c.id, stray!, ctx))).toBe('appeals.not_allowed');
    expect(await codeOf(appealsOf(t).removeCaseMember(operator, c.id, operator.id, ctx))).toBe('request.invalid');
    expect(await codeOf(appealsOf(t).addCaseMember(operator, c.id, { staffId: '00000000-0000-4000-8000-000000000000', role: 'lawyer' }, ctx))).toBe('appeals.staff_not_found');

    const fewer = await appealsOf(t).removeFromCase(operator, c.id, stray!, ctx);
    expect(fewer.appeals.map((a) => a.id).sort()).toEqual([...ids].sort());
    const strayView = await appealsOf(t).staffView(operator, stray!, ctx);
    expect(strayView.caseId).toBeNull();
    expect(strayView.timeline.map((e) => e.type)).toContain('case_left');
    expect(await codeOf(appealsOf(t).removeFromCase(operator, c.id, stray!, ctx))).toBe('appeals.not_in_case');

    const removed = await appealsOf(t).removeCaseMember(operator, c.id, lawyer.id, ctx);
    expect(removed.members.map((m) => m.role)).toEqual(['lead']);
    expect(await codeOf(appealsOf(t).staffView(lawyer, ids[1]!, ctx))).toBe('appeals.not_found');

    expect(await codeOf(appealsOf(t).closeCase(operator, c.id, { summary: ' ' }, ctx))).toBe('request.invalid');
    const closed = await appealsOf(t).closeCase(operator, c.id, { summary: '公司分期支付全部欠薪，专班结案' }, ctx);
    expect(closed).toMatchObject({ status: 'closed', summary: '公司分期支付全部欠薪，专班结案' });
    expect(closed.closedAt).not.toBeNull();
    // each member appeal keeps its own state; its timeline notes the closure
    const first = await appealsOf(t).staffView(operator, ids[0]!, ctx);
    expect(first.status).toBe('acknowledged');
    expect(first.timeline.map((e) => e.type)).toContain('case_closed');
    // and the workers see it on theirs, as they see the case_left of an appeal taken out
    const ownerOf = async (id: string) => (await sql<{ worker_id: string }>`select worker_id from appeals where id = ${id}`.execute(t.services.db)).rows[0]!.worker_id;
    expect((await appealsOf(t).workerView(workerOf(await ownerOf(ids[0]!)), ids[0]!)).timeline.map((e) => e.type)).toContain('case_closed');
    expect((await appealsOf(t).workerView(workerOf(await ownerOf(stray!)), stray!)).timeline.map((e) => e.type)).toContain('case_left');
    expect((await appealsOf(t).staffView(operator, ids[1]!, ctx)).status).toBe('submitted');
    // a closed case takes no more changes
    expect(await codeOf(appealsOf(t).addToCase(operator, c.id, { appealIds: [stray!] }, ctx))).toBe('appeals.case_closed');
    expect(await codeOf(appealsOf(t).closeCase(operator, c.id, { summary: '再次结案' }, ctx))).toBe('appeals.case_closed');
    expect(await codeOf(appealsOf(t).addCaseMember(operator, c.id, { staffId: lawyer.id, role: 'lawyer' }, ctx))).toBe('appeals.case_closed');
    expect((await appealsOf(t).listCases(operator, { page: 1, pageSize: 20, q: '结案测试', status: 'closed' })).items.map((x) => x.id)).toEqual([c.id]);
  });
});

describe('staff views: area names and evidence uploader', () => {
  it('shows the area’s name in the queue and the drawer, and who added each evidence file', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const agent = await staffAccount(t, 'hotline_agent', '3302');
    const { appeal } = await appealsOf(t).intake(agent, hotlineAppeal(nextPhone(), { respondent: { kind: 'company', name: '区域名称测试公司' } }), ctx);
    const area = await t.services.areas.find(appeal.areaCode);
    expect(appeal.areaName).toBe(area!.name);
    const list = await appealsOf(t).staffList(operator, { page: 1, pageSize: 20, q: '区域名称测试' }, ctx);
    expect(list.items[0]).toMatchObject({ areaCode: appeal.areaCode, areaName: area!.name });

    const ev = await appealsOf(t).addEvidence(operator, appeal.id, PNG, { kind: 'payslip', note: '工资条' }, ctx);
    expect(ev).toMatchObject({ uploaderKind: 'staff', uploadedBy: operator.displayName, note: '工资条' });
    expect(ev.sha256).toMatch(/^[0-9a-f]{64}$/);
    const view = await appealsOf(t).staffView(operator, appeal.id, ctx);
    expect(view.evidence.map((e) => e.uploadedBy)).toEqual([operator.displayName]);
  });
});

describe('export', () => {
  it('downloads the filtered queue as XLSX with masked contacts, audited; refuses more than the cap', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const agent = await staffAccount(t, 'hotline_agent', '3302');
    const phone = nextPhone();
    await appealsOf(t).intake(agent, hotlineAppeal(phone, { respondent: { kind: 'company', name: '导出测试配送有限公司' }, amountClaimedFen: 123_456 }), ctx);
    await fileAgainst('导出测试配送有限公司', 2);
    await fileAgainst('别的导出公司', 1);

    const before = await auditCount('appeals.export');
    const client = await clientFor(t, operator);
    const res = await client.get(`/api/admin/appeals/export.xlsx?q=${encodeURIComponent('导出测试配送')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('编号');
    expect(sheet.rowCount).toBe(4);
    const rows = [2, 3, 4].map((i) => sheet.getRow(i).values as unknown[]);
    expect(rows.every((r) => r[8] === '导出测试配送有限公司')).toBe(true);
    const hotline = rows.find((r) => r[3] === '热线')!;
    expect(hotline[7]).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(hotline[9]).toBe(1234.56);
    expect(JSON.stringify(rows)).not.toContain(phone);
    expect(await auditCount('appeals.export')).toBe(before + 1);

    // a handler's export holds only what they may see
    const handler = await clientFor(t, await staffAccount(t, 'handler', '330212'));
    const none = await handler.get(`/api/admin/appeals/export.xlsx?q=${encodeURIComponent('导出测试配送')}`);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(none.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]!.rowCount).toBe(1);
    expect((await client.get('/api/admin/appeals/export.xlsx?status=nope')).statusCode).toBe(400);
  });

  it('refuses an export over the cap with appeals.export_too_large', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const now = new Date();
    // bulk rows straight in: the cap is what is tested, not intake
    await sql`insert into appeals (id, city_code, code, type, channel, submitter_key, respondent_kind, respondent_name, description, area_code, status, submitted_at, ack_deadline_at, resolve_deadline_at, updated_at)
      select gen_random_uuid(), '3302', 'BULK' || g, 'other', 'app', 'bulk:' || g, 'company', '上限测试公司', '上限测试', '330212011', 'submitted', ${now}, ${now}, ${now}, ${now}
      from generate_series(1, ${APPEAL_EXPORT_MAX_ROWS + 1}) g`.execute(t.services.db);
    const err = await appealsOf(t).exportXlsx(operator, { q: '上限测试' }, ctx).catch((e: AppError) => e);
    expect((err as AppError).code).toBe('appeals.export_too_large');
    expect((err as AppError).message).toContain(String(APPEAL_EXPORT_MAX_ROWS));
    const client = await clientFor(t, operator);
    const res = await client.get(`/api/admin/appeals/export.xlsx?q=${encodeURIComponent('上限测试')}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('appeals.export_too_large');
    await sql`delete from appeals where respondent_name = '上限测试公司'`.execute(t.services.db);
  });
});

describe('case routes', () => {
  it('lists, adds a member, removes an appeal and closes over HTTP', async () => {
    const operator = await staffAccount(t, 'operator', '330212');
    const client = await clientFor(t, operator);
    const ids = await fileAgainst('宁波路由测试劳务有限公司', 3);
    const created = await client.post('/api/admin/appeals/cases', { title: '路由测试专班', appealIds: ids, leadStaffId: operator.id });
    expect(created.statusCode).toBe(201);
    const caseId = created.json().id as string;
    const list = await client.get(`/api/admin/appeals/cases?q=${encodeURIComponent('路由测试')}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({ id: caseId, appealCount: 3 });
    const mediator = await staffAccount(t, 'mediator', '330212', ['justice']);
    expect((await client.post(`/api/admin/appeals/cases/${caseId}/members`, { staffId: mediator.id, role: 'mediator' })).json().members).toHaveLength(2);
    expect((await client.post(`/api/admin/appeals/cases/${caseId}/members`, { staffId: mediator.id, role: 'boss' })).statusCode).toBe(400);
    const removed = await client.delete(`/api/admin/appeals/cases/${caseId}/appeals/${ids[2]}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().appeals).toHaveLength(2);
    expect((await client.delete(`/api/admin/appeals/cases/${caseId}/members/${mediator.id}`)).json().members).toHaveLength(1);
    expect((await client.post(`/api/admin/appeals/cases/${caseId}/close`, {})).statusCode).toBe(400);
    const closed = await client.post(`/api/admin/appeals/cases/${caseId}/close`, { summary: '全部办结' });
    expect(closed.json()).toMatchObject({ status: 'closed', summary: '全部办结' });
    expect((await client.post(`/api/admin/appeals/cases/${caseId}/appeals`, { appealIds: [ids[2]] })).statusCode).toBe(409);
  });
});
