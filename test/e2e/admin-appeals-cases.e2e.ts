import fs from 'node:fs';
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { AppealIntake, AppealRule, AppealSettings, CollectiveCase, StaffAppealView } from '../../src/contracts/appeals.js';
import { APPEAL_DEFAULTS } from '../../src/contracts/appeals.js';
import { buttonName, call, desktopPage, haveChromium, signInAdmin, staffSession, useJourney, type HttpSession } from './harness.js';

/** 白鹤街道: the demo seed's "1+2+3" rule puts the demo `handler` on every appeal here as street officer. */
const BAIHE = '330212011';
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const formItem = (root: Locator, label: string) => root.locator('.ant-form-item', { has: root.page().locator(`label[title="${label}"]`) });

async function choose(root: Locator, label: string, option: string | RegExp) {
  const page = root.page();
  await formItem(root, label).locator('.ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: typeof option === 'string' ? new RegExp(`^${option}$`) : option }).first().click();
}

async function intake(staff: HttpSession, body: Partial<AppealIntake> & Pick<AppealIntake, 'callerPhone' | 'respondent'>): Promise<StaffAppealView> {
  const res = await call<StaffAppealView>(
    staff.post('/api/admin/appeals', { clientId: `e2e-${crypto.randomUUID().slice(0, 12)}`, channel: 'hotline', areaCode: BAIHE, type: 'wage_arrears', description: '11月工资被拖欠，站点说公司没钱', ...body }),
  );
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function openAppeals(page: Page) {
  await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '诉求' }).click();
  await page.getByRole('heading', { name: '诉求' }).waitFor();
}

describe.skipIf(!haveChromium)('admin console: 诉求 — collective cases, rules and deadlines, staff evidence, export', () => {
  const j = useJourney();
  let admin: HttpSession;
  let hotline: HttpSession;

  beforeAll(async () => {
    admin = await staffSession(j.platform.url, 'admin');
    hotline = await staffSession(j.platform.url, 'hotline');
  });

  it('an operator finds a case in the cases list, adds one more appeal to it and closes it with a summary', async () => {
    const agency = '宁波闪送专班测试劳务有限公司';
    const appeals: StaffAppealView[] = [];
    for (const [i, phone] of ['13900000301', '13900000302', '13900000303'].entries()) appeals.push(await intake(hotline, { callerPhone: phone, respondent: { kind: 'agency', name: agency }, amountClaimedFen: 100_000 * (i + 1) }));
    const created = await call<CollectiveCase>(admin.post('/api/admin/appeals/cases', { title: '闪送欠薪专班', appealIds: [appeals[0]!.id, appeals[1]!.id], leadStaffId: (await call<{ id: string }>(admin.get('/api/auth/session'))).body.id }));
    expect(created.status, created.text).toBe(201);

    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await openAppeals(page);
    await page.getByRole('tab', { name: '专班案件' }).click();
    const filters = page.getByTestId('case-filters');
    await filters.getByLabel('编号、名称或被诉对象').fill('闪送专班测试');
    await filters.getByLabel('编号、名称或被诉对象').press('Enter');
    const rows = page.getByTestId('cases-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    const rowText = await rows.first().textContent();
    expect(rowText).toContain(created.body.code);
    expect(rowText).toContain('¥3,000.00');
    expect(rowText).toContain('办理中');
    await rows.first().click();

    const drawer = page.getByTestId('case-drawer');
    await drawer.locator('.ant-drawer-title').getByText(`专班 ${created.body.code}`).waitFor();
    const members = drawer.getByTestId('case-appeals').locator('tbody tr.ant-table-row');
    await expect.poll(() => members.count()).toBe(2);

    // add the third appeal: the queue is searched for the same respondent
    await drawer.getByTestId('case-add-appeals').click();
    const dialog = page.getByRole('dialog', { name: '追加诉求' });
    await dialog.waitFor();
    const candidates = dialog.getByTestId('case-candidates').locator('tbody tr.ant-table-row');
    await candidates.filter({ hasText: appeals[2]!.code }).waitFor();
    await expect.poll(() => candidates.count()).toBe(1);
    await candidates.filter({ hasText: appeals[2]!.code }).locator('.ant-checkbox-input').check();
    await dialog.getByRole('button', { name: buttonName('追加所选（1）') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => members.count()).toBe(3);
    await drawer.getByTestId('case-totals').getByText('¥6,000.00', { exact: false }).waitFor();

    // close the case: the summary is required
    await drawer.getByTestId('case-close').click();
    const closing = page.getByRole('dialog', { name: '专班结案' });
    await closing.waitFor();
    // the appeals still being worked on are named: closing the case does not close them
    const unfinished = await closing.getByTestId('case-close-unfinished').innerText();
    expect(unfinished).toContain('还有 3 件诉求尚未办结');
    for (const a of appeals) expect(unfinished).toContain(a.code);
    await closing.getByRole('button', { name: buttonName('专班结案') }).click();
    await closing.getByText('请填写结案小结（至少 2 个字）').waitFor();
    await closing.getByLabel('结案小结').fill('公司分三期支付全部欠薪，专班结案');
    await closing.getByRole('button', { name: buttonName('专班结案') }).click();
    await closing.waitFor({ state: 'hidden' });
    await drawer.getByTestId('case-status').filter({ hasText: '已结案' }).waitFor();
    await drawer.getByTestId('case-summary').getByText('公司分三期支付全部欠薪，专班结案').waitFor();
    expect(await drawer.getByTestId('case-actions').count()).toBe(0);

    const after = await call<CollectiveCase>(admin.get(`/api/admin/appeals/cases/${created.body.id}`));
    expect(after.body).toMatchObject({ status: 'closed', summary: '公司分三期支付全部欠薪，专班结案', amountClaimedFen: 600_000 });
    expect(after.body.appeals.map((a) => a.code).sort()).toEqual(appeals.map((a) => a.code).sort());
    // each member appeal keeps its own state
    expect(after.body.appeals.every((a) => a.status === 'submitted')).toBe(true);
    await page.close();
  });

  it('an operator adds and edits a "1+2+3" rule and changes the deadlines, with the server’s errors on the fields', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await openAppeals(page);
    await page.getByRole('tab', { name: '规则与期限' }).click();

    // a new rule: housing appeals in 海曙区 (no other journey files there)
    await page.getByTestId('rule-add').click();
    const dialog = page.getByRole('dialog', { name: '添加规则' });
    await dialog.waitFor();
    await choose(dialog, '类型', '住房');
    await dialog.getByLabel('区域前缀').fill('110101');
    await formItem(dialog, '站点负责人').locator('.ant-select').click();
    await page.keyboard.type('陈科长');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '陈科长' }).first().click();
    await dialog.getByLabel('说明').fill('海曙住房诉求');
    await dialog.getByRole('button', { name: buttonName('保存') }).click();
    // outside the operator's city: the server's answer lands on the area field
    await formItem(dialog, '区域前缀').getByText('超出您的管辖范围').waitFor();
    await dialog.getByLabel('区域前缀').fill('330203');
    await dialog.getByRole('button', { name: buttonName('保存') }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByTestId('appeal-rules').locator('tbody tr.ant-table-row').filter({ hasText: '330203' });
    await row.waitFor();
    expect(await row.textContent()).toContain('白鹤街道 经办人 陈科长');

    // edit it: the department the appeals are recorded under, priority and note
    await page.getByTestId('rule-edit-330203').click();
    const edit = page.getByRole('dialog', { name: '编辑' });
    await edit.waitFor();
    await choose(edit, '责任部门', '人力社保局');
    await edit.getByLabel('优先级').fill('5');
    await edit.getByLabel('说明').fill('海曙住房诉求（调整）');
    await edit.getByRole('button', { name: buttonName('保存') }).click();
    await edit.waitFor({ state: 'hidden' });
    await row.getByText('海曙住房诉求（调整）').waitFor();
    expect(await row.textContent()).toContain('人力社保局');
    // and disable it
    await page.getByTestId('rule-toggle-330203').click();
    await page.getByTestId('rule-toggle-330203').filter({ hasText: '启用' }).waitFor();
    const rules = await call<AppealRule[]>(admin.get('/api/admin/appeals/rules'));
    const rule = rules.body.find((r) => r.areaPrefix === '330203')!;
    expect(rule).toMatchObject({ type: 'housing', priority: 5, active: false, note: '海曙住房诉求（调整）' });
    const departments = await call<{ id: string; code: string }[]>(admin.get('/api/admin/departments'));
    expect(rule.departmentId).toBe(departments.body.find((d) => d.code === 'hrss')!.id);
    expect(rule.names[rule.stationHeadId!]).toBe('白鹤街道 经办人 陈科长');

    // deadlines: an hour count the server refuses shows on its field; a good one is saved
    const settings = page.getByTestId('appeal-settings');
    await settings.getByLabel('签收时限（小时）').fill('1000');
    await settings.getByLabel('欠薪').fill('12');
    await settings.getByTestId('settings-save').click();
    await formItem(settings, '签收时限（小时）').getByText('不能大于 720').waitFor();
    await settings.getByLabel('签收时限（小时）').fill('36');
    await settings.getByTestId('settings-save').click();
    await page.getByText('期限已保存').waitFor();
    const saved = await call<AppealSettings>(admin.get('/api/admin/appeals/settings'));
    expect(saved.body).toMatchObject({ ackHours: 36, resolveDays: { wage_arrears: 12 } });
    // put the defaults back for the other journeys
    const reset = await call(admin.put('/api/admin/appeals/settings', { ackHours: APPEAL_DEFAULTS.ackHours, ackRemindHoursBefore: APPEAL_DEFAULTS.ackRemindHoursBefore, resolveRemindHoursBefore: APPEAL_DEFAULTS.resolveRemindHoursBefore, resolveDays: APPEAL_DEFAULTS.resolveDays }));
    expect(reset.status).toBe(200);
    await page.close();
  });

  it('a handler uploads evidence in the drawer: kind, note, SHA-256, who added it; the area shows by name', async () => {
    const appeal = await intake(hotline, { callerPhone: '13900000311', respondent: { kind: 'company', name: '宁波证据测试配送有限公司' } });
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'handler');
    await page.getByRole('navigation', { name: '菜单' }).waitFor();
    await page.goto(`${j.platform.url}/admin/appeals/${appeal.id}`);
    const drawer = page.getByTestId('appeal-drawer');
    await drawer.locator('.ant-drawer-title').getByText(`诉求 ${appeal.code}`).waitFor();
    await drawer.getByTestId('appeal-area').getByText('白鹤街道').waitFor();

    await drawer.getByTestId('evidence-upload').click();
    const dialog = page.getByRole('dialog', { name: '上传证据' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: buttonName('上传证据') }).click();
    await dialog.getByText('请选择证据类型').waitFor();
    await dialog.getByText('请选择文件').waitFor();
    await choose(dialog, '证据类型', '工资条');
    await dialog.getByLabel('说明').fill('10月工资条');
    await dialog.getByTestId('evidence-file').setInputFiles({ name: 'payslip.png', mimeType: 'image/png', buffer: PNG });
    await dialog.getByRole('button', { name: buttonName('上传证据') }).click();
    await dialog.waitFor({ state: 'hidden' });

    const sha = crypto.createHash('sha256').update(PNG).digest('hex');
    const item = drawer.getByTestId('appeal-evidence').locator('.ant-list-item').filter({ hasText: '10月工资条' });
    await item.waitFor();
    const text = await item.textContent();
    expect(text).toContain('工资条');
    expect(text).toContain('白鹤街道 经办人 陈科长 上传');
    expect(text).toContain(`SHA-256 ${sha.slice(0, 12)}`);
    const after = await call<StaffAppealView>(admin.get(`/api/admin/appeals/${appeal.id}`));
    expect(after.body.evidence).toEqual([expect.objectContaining({ kind: 'payslip', sha256: sha, uploaderKind: 'staff', uploadedBy: '白鹤街道 经办人 陈科长' })]);
    await page.close();
  });

  it('the queue exports to XLSX with its filters: the filtered rows, contacts masked', async () => {
    const respondent = '宁波导出测试物流有限公司';
    const made: StaffAppealView[] = [];
    for (const phone of ['13900000321', '13900000322']) made.push(await intake(hotline, { callerPhone: phone, respondent: { kind: 'company', name: respondent }, amountClaimedFen: 250_050 }));
    await intake(hotline, { callerPhone: '13900000323', respondent: { kind: 'company', name: '别的物流公司' } });

    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await openAppeals(page);
    const filters = page.getByTestId('appeal-filters');
    await filters.getByLabel('编号或被诉对象').fill(respondent);
    await filters.getByLabel('编号或被诉对象').press('Enter');
    const rows = page.getByTestId('appeals-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('白鹤街道');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('appeals-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^appeals-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(await download.path()) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('编号');
    expect(sheet.rowCount).toBe(3);
    const body = [2, 3].map((i) => sheet.getRow(i).values as unknown[]);
    expect(body.map((r) => r[1]).sort()).toEqual(made.map((a) => a.code).sort());
    for (const r of body) {
      expect(r[8]).toBe(respondent);
      expect(r[9]).toBe(2500.5);
      expect(r[11]).toBe('白鹤街道');
      expect(String(r[7])).toMatch(/^139\*{4}\d{4}$/);
    }
    expect(JSON.stringify(body)).not.toContain('13900000321');
    await page.close();
  });
});
