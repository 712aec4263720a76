import fs from 'node:fs';
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { AppealIntake, AppealSummary, StaffAppealView } from '../../src/contracts/appeals.js';
import type { PageOf } from '../../src/contracts/common.js';
import { buttonName, call, desktopPage, haveChromium, signInAdmin, staffSession, useJourney, type HttpSession } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/admin-appeals-${name}.png`, fullPage: true });
}

/** 白鹤街道: the demo seed's "1+2+3" rule puts the demo `handler` on every appeal here as street officer. */
const BAIHE = '330212011';

const formItem = (root: Locator, label: string) => root.locator('.ant-form-item', { has: root.page().locator(`label[title="${label}"]`) });

/** Opens an antd Select by its form label and picks the option with exactly this text. */
async function choose(root: Locator, label: string, option: string) {
  const page = root.page();
  await formItem(root, label).locator('.ant-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${option}$`) }).first().click();
}

/** An appeal recorded through the API, as the hotline console does. */
async function intake(staff: HttpSession, body: Partial<AppealIntake> & Pick<AppealIntake, 'callerPhone' | 'type' | 'description' | 'respondent'>): Promise<StaffAppealView> {
  const res = await call<StaffAppealView>(staff.post('/api/admin/appeals', { clientId: `e2e-${crypto.randomUUID().slice(0, 12)}`, channel: 'hotline', areaCode: BAIHE, ...body }));
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function openAppeals(page: Page) {
  await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '诉求' }).click();
  await page.getByRole('heading', { name: '诉求' }).waitFor();
}

/** The drawer's status tag reads this (e.g. 已签收). */
async function drawerStatus(page: Page, text: string) {
  await page.getByTestId('appeal-drawer').locator('.ant-drawer-title [data-status]').filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}

/** A modal action: open it from the drawer, fill it, save, and wait for it to go. */
async function modalAction(page: Page, testId: string, title: string, fill: (dialog: Locator) => Promise<void>) {
  await page.getByTestId('appeal-drawer').getByTestId(testId).click();
  const dialog = page.getByRole('dialog', { name: title, exact: true });
  await dialog.waitFor();
  await fill(dialog);
  await dialog.getByRole('button', { name: buttonName('保存') }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe.skipIf(!haveChromium)('admin console: 诉求 — hotline intake, the officers\' workflow, collective cases', () => {
  const j = useJourney();
  let admin: HttpSession;
  let hotline: HttpSession;

  beforeAll(async () => {
    admin = await staffSession(j.platform.url, 'admin');
    hotline = await staffSession(j.platform.url, 'hotline');
  });

  it('the hotline agent records a caller\'s work-injury appeal by phone and sees it in the queue', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'hotline');
    await openAppeals(page);
    await page.getByRole('tab', { name: '电话 / 窗口登记' }).click();
    const form = page.getByTestId('appeal-intake');
    await form.waitFor();

    // nothing filled: the fields say what is missing, and nothing is recorded
    await form.getByRole('button', { name: buttonName('登记') }).click();
    await form.getByText('请输入 11 位手机号').waitFor();
    await form.getByText('请选择类型').waitFor();
    await form.getByText('请选择区域').waitFor();

    await form.getByLabel('来电/来访人手机号').fill('13900000177');
    await form.getByLabel('姓名').fill('王大力');
    await choose(form, '诉求类型', '工伤');
    await form.getByLabel('事情经过').fill('送外卖途中摔伤右腿骨折，站点说是合作关系不给报工伤，医药费自己垫付');
    await choose(form, '被诉对象类别', '公司');
    await form.getByLabel('被诉对象名称').fill('宁波飞毛腿配送服务有限公司');
    await form.getByLabel('涉及金额（元）').fill('28000.50');
    await formItem(form, '所在区域').locator('.ant-cascader').click();
    const cascader = page.locator('.ant-cascader-dropdown:visible');
    await cascader.locator('.ant-cascader-menu-item', { hasText: '宁波市' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '鄞州区' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '白鹤街道' }).click();
    await page.keyboard.press('Escape');
    await form.getByTitle('宁波市 / 鄞州区 / 白鹤街道').waitFor();
    await shot(page, 'intake');
    await form.getByRole('button', { name: buttonName('登记') }).click();

    // saved: the appeal opens, recorded with the masked caller, the amount in fen and the 1+2+3 people
    const drawer = page.getByTestId('appeal-drawer');
    await drawer.locator('.ant-drawer-title').getByText(/^诉求 /).waitFor();
    await drawerStatus(page, '待签收');
    const code = (await drawer.locator('.ant-drawer-title').getByText(/^诉求 /).textContent())!.replace('诉求 ', '').trim();
    await drawer.getByTestId('appeal-facts').getByText('宁波飞毛腿配送服务有限公司').waitFor();
    await drawer.getByTestId('appeal-facts').getByText('¥28,000.50').waitFor();
    await drawer.getByTestId('appeal-people').getByText('街道新就业专员').waitFor();
    expect(await drawer.getByTestId('appeal-facts').textContent()).not.toContain('13900000177');
    // the recording agent sees it but does not work it
    expect(await drawer.getByTestId('appeal-actions').count()).toBe(0);
    await shot(page, 'intake-saved');

    const list = await call<PageOf<AppealSummary>>(hotline.get(`/api/admin/appeals?q=${encodeURIComponent(code)}`));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ type: 'work_injury', channel: 'hotline', status: 'submitted', amountClaimedFen: 2_800_050, areaCode: BAIHE });

    // back in the queue: the new appeal is listed, with the caller's number masked
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.getByTestId('appeals-table').locator('tbody tr.ant-table-row').filter({ hasText: code });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('工伤');
    expect(text).toContain('12345 热线');
    expect(text).toContain('待签收');
    expect(text).toMatch(/139\*+0177|139\*{4}0177/);
    await page.close();
  });

  it('the street officer acknowledges, mediates, records an agreement and a payment, resolves it, and a return visit closes it', async () => {
    const appeal = await intake(hotline, {
      callerPhone: '13900000188',
      callerName: '刘小强',
      type: 'wage_arrears',
      description: '10月、11月工资 8,000 元被劳务公司拖欠，多次催要无果',
      respondent: { kind: 'agency', name: '宁波快递劳务外包有限公司' },
      amountClaimedFen: 800_000,
    });
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'handler');
    await openAppeals(page);
    // filters live in the address: search by code, and the queue shows just this one
    await page.getByTestId('appeal-filters').getByLabel('编号或被诉对象').fill(appeal.code);
    await page.getByTestId('appeal-filters').getByLabel('编号或被诉对象').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(appeal.code);
    const row = page.getByTestId('appeals-table').locator('tbody tr.ant-table-row').filter({ hasText: appeal.code });
    await row.waitFor();
    await row.getByRole('link', { name: `查看 ${appeal.code}`, exact: true }).click();
    await drawerStatus(page, '待签收');
    const drawer = page.getByTestId('appeal-drawer');
    await drawer.getByTestId('appeal-deadline').waitFor();

    await drawer.getByTestId('action-acknowledge').click();
    await drawerStatus(page, '已签收');
    await drawer.getByTestId('action-mediation-start').click();
    await drawerStatus(page, '调解中');

    // a mediation session, then the agreement in two instalments
    await modalAction(page, 'action-session', '记录调解会', async (d) => {
      await d.getByLabel('地点').fill('白鹤街道一站式调解室');
      await d.getByLabel('参加人（每行一人）').fill('刘小强\n劳务公司 负责人\n街道 陈科长');
      await d.getByLabel('记录').fill('公司承认拖欠，同意分两期支付');
    });
    await drawer.getByTestId('appeal-mediation').getByText('白鹤街道一站式调解室', { exact: false }).waitFor();

    await modalAction(page, 'action-agreement', '记录调解协议', async (d) => {
      // empty amount: an inline error, nothing sent
      await d.getByLabel('金额（元） 1').fill('');
      await d.getByRole('button', { name: buttonName('保存') }).click();
      await d.getByText('请输入大于 0 的金额').waitFor();
      await d.getByLabel('金额（元） 1').fill('5000');
      await d.getByRole('button', { name: /添加一期$/ }).click();
      await d.getByLabel('金额（元） 2').fill('3000');
      await d.getByLabel('协议内容').fill('本月底前支付 5,000 元，次月底前支付 3,000 元');
    });
    await drawer.getByTestId('appeal-agreement').getByText('¥8,000.00').waitFor();

    await modalAction(page, 'action-payment', '记录到账', async (d) => {
      await d.getByLabel('金额（元）').fill('5000');
      await d.getByLabel('说明').fill('第一期转账');
    });
    await drawer.getByTestId('appeal-recovered').getByText('¥5,000.00').waitFor();

    await modalAction(page, 'action-resolve', '办结', async (d) => {
      await choose(d, '结果', '达成调解协议');
      await d.getByLabel('办结说明').fill('调解成功，已付第一期 5,000 元，余款按协议支付');
    });
    await drawerStatus(page, '已办结待回访');

    await modalAction(page, 'action-returnVisit', '回访', async (d) => {
      await d.getByRole('radio', { name: '满意', exact: true }).check();
    });
    await drawerStatus(page, '已结案');
    await drawer.getByTestId('appeal-satisfaction').getByText('满意').waitFor();
    await drawer.getByTestId('appeal-timeline').getByText('回访').first().waitFor();
    await shot(page, 'closed');

    // the agreement as a printable 人民调解协议书 (PDF)
    const documents = drawer.getByTestId('appeal-documents');
    await documents.getByRole('button', { name: /人民调解协议书/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), documents.getByRole('button', { name: /人民调解协议书/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^人民调解协议书-.+\.pdf$/);
    expect(fs.readFileSync(await download.path()).subarray(0, 5).toString()).toBe('%PDF-');

    const after = await call<StaffAppealView>(admin.get(`/api/admin/appeals/${appeal.id}`));
    expect(after.body).toMatchObject({ status: 'closed', outcome: 'agreement', recoveredFen: 500_000, satisfaction: 'satisfied' });
    expect(after.body.mediation.sessions).toHaveLength(1);
    expect(after.body.mediation.agreement?.instalments.map((i) => i.amountFen)).toEqual([500_000, 300_000]);
    expect(after.body.mediation.payments.map((p) => p.amountFen)).toEqual([500_000]);
    await page.close();
  });

  it('staff group three appeals against one agency into a collective case (专班)', async () => {
    const agency = '宁波众包人力资源有限公司';
    const appeals: StaffAppealView[] = [];
    for (const [i, phone] of ['13900000201', '13900000202', '13900000203'].entries()) {
      appeals.push(await intake(admin, { callerPhone: phone, type: 'wage_arrears', description: `骑手 ${i + 1}：11月工资被${agency}拖欠`, respondent: { kind: 'agency', name: agency }, amountClaimedFen: 300_000 + i * 100_000 }));
    }
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await openAppeals(page);
    const filters = page.getByTestId('appeal-filters');
    await filters.getByLabel('编号或被诉对象').fill(agency);
    await filters.getByLabel('编号或被诉对象').press('Enter');
    const rows = page.getByTestId('appeals-table').locator('tbody tr.ant-table-row');
    for (const a of appeals) await rows.filter({ hasText: a.code }).waitFor();
    await expect.poll(() => rows.count()).toBe(3);
    for (const a of appeals) await rows.filter({ hasText: a.code }).locator('.ant-checkbox-input').check();
    await page.getByText('已选 3 件').waitFor();
    await page.getByTestId('create-case').click();
    const dialog = page.getByRole('dialog', { name: '建立专班' });
    await dialog.waitFor();
    await dialog.getByLabel('专班名称').fill(`${agency} 欠薪专班`);
    await dialog.getByRole('button', { name: buttonName('建立专班') }).click();

    // the case opens: its three member appeals, each with its own status
    const caseDrawer = page.getByTestId('case-drawer');
    await caseDrawer.locator('.ant-drawer-title').getByText(/^专班 /).waitFor();
    const members = caseDrawer.getByTestId('case-appeals').locator('tbody tr.ant-table-row');
    await expect.poll(() => members.count()).toBe(3);
    for (const a of appeals) expect(await members.filter({ hasText: a.code }).textContent()).toContain('待签收');
    await caseDrawer.getByText(agency, { exact: true }).waitFor();
    await caseDrawer.getByTestId('case-totals').getByText('¥12,000.00', { exact: false }).waitFor();
    await shot(page, 'case');

    const caseId = new URL(page.url()).pathname.split('/').pop()!;
    for (const a of appeals) {
      const one = await call<StaffAppealView>(admin.get(`/api/admin/appeals/${a.id}`));
      expect(one.body.caseId).toBe(caseId);
    }
    const listed = await call<PageOf<AppealSummary>>(admin.get(`/api/admin/appeals?caseId=${caseId}`));
    expect(listed.body.items.map((x) => x.code).sort()).toEqual(appeals.map((a) => a.code).sort());
    await page.close();
  });
});
