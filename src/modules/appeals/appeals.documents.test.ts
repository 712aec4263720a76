import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { extractPdfText } from '../../platform/pdf/pdf.test-support.js';
import { appealsOf, clientFor, ctx, loadCity, nextPhone, PNG, setShanghai, staffAccount, verifiedWorker, wageAppeal, workerClient } from './appeals.test-support.js';

let t: TestApp;
let worker: Client & { phone: string };
let workerId: string;
let operator: StaffPrincipal;
let appealId: string;
let sha: string;
const ID_NUMBER = async (id: string) => (await t.services.workers.identityInClear(id))!.idNumber!;

beforeAll(async () => {
  t = await createTestApp();
  await loadCity(t);
  setShanghai(t, '2026-11-23 10:00');
  const w = await verifiedWorker(t, { name: '周建国' });
  workerId = w.id;
  worker = await workerClient(t, w.phone);
  operator = await staffAccount(t, 'operator', '330212');
  const filed = await worker.post('/api/appeals', wageAppeal({ description: '2026年9月和10月的工资共12000元一直没发，站长说公司没钱。' }));
  expect(filed.statusCode).toBe(201);
  appealId = filed.json().id;
  const ev = await worker.request({ method: 'POST', url: `/api/appeals/${appealId}/evidence?kind=payslip&note=${encodeURIComponent('9月工资条')}`, payload: PNG, headers: { 'content-type': 'image/png' } });
  expect(ev.statusCode).toBe(201);
  sha = ev.json().sha256;
});
afterAll(async () => t?.close());

describe('appeal documents (PDF)', () => {
  it('the worker downloads a legal-aid application with their own identity in full, the claim in 大写 and the evidence hash', async () => {
    const res = await worker.get(`/api/appeals/${appealId}/documents/legal_aid_application?address=${encodeURIComponent('鄞州区白鹤街道百丈路1号')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[\w.-]+\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toContain('法律援助申请表');
    const text = await extractPdfText(res.rawPayload);
    expect(text.all).toContain('法律援助申请表');
    expect(text.all).toContain('周建国');
    expect(text.all).toContain(await ID_NUMBER(workerId));
    expect(text.all).toContain('鄞州区白鹤街道百丈路1号');
    expect(text.all).toContain('宁波速达劳务派遣有限公司');
    expect(text.all).toContain('壹万贰仟元整');
    expect(text.all).toContain(sha.slice(0, 32));
    expect(text.all).toContain(sha.slice(32));
  });

  it('staff who may see the appeal get it with the ID number masked, and the read is audited', async () => {
    const staff = await clientFor(t, operator);
    const res = await staff.get(`/api/admin/appeals/${appealId}/documents/arbitration_application`);
    expect(res.statusCode).toBe(200);
    const text = await extractPdfText(res.rawPayload);
    expect(text.all).toContain('劳动人事争议仲裁申请书');
    const full = await ID_NUMBER(workerId);
    expect(text.all).not.toContain(full);
    expect(text.all).toContain(full.slice(-4));
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'appeals.facts_read' and target_id = ${appealId}`.execute(t.services.db);
    expect(audited.rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('a mediation agreement only once one is recorded; arbitration only for labour disputes; others get 404', async () => {
    let res = await worker.get(`/api/appeals/${appealId}/documents/mediation_agreement`);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('appeals.document_unavailable');
    expect((res.json().errors as { field: string }[]).map((e) => e.field)).toContain('agreement');

    await appealsOf(t).acknowledge(operator, appealId, ctx);
    await appealsOf(t).start(operator, appealId, ctx);
    await appealsOf(t).setAgreement(operator, appealId, { signedOn: '2026-11-24', instalments: [{ dueDate: '2026-11-30', amountFen: 600_000 }, { dueDate: '2026-12-31', amountFen: 600_000 }], terms: '' }, ctx);
    res = await worker.get(`/api/appeals/${appealId}/documents/mediation_agreement`);
    expect(res.statusCode).toBe(200);
    const text = await extractPdfText(res.rawPayload);
    expect(text.all).toContain('人民调解协议书');
    expect(text.all).toContain('2026年12月31日');
    expect(text.all).toContain('陆仟元整');

    const rental = await worker.post('/api/appeals', wageAppeal({ type: 'predatory_rental', respondent: { kind: 'company', name: '宁波飞驰电动车租赁有限公司' } }));
    res = await worker.get(`/api/appeals/${rental.json().id}/documents/arbitration_application`);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('appeals.document_unavailable');

    const other = await workerClient(t, (await verifiedWorker(t, { phone: nextPhone() })).phone);
    expect((await other.get(`/api/appeals/${appealId}/documents/legal_aid_application`)).statusCode).toBe(404);
    expect((await worker.get(`/api/appeals/${appealId}/documents/birth_certificate`)).statusCode).toBe(400);
    expect((await new Client(t.app).get(`/api/appeals/${appealId}/documents/legal_aid_application`)).statusCode).toBe(401);
  });
});
