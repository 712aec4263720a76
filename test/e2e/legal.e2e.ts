import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buttonName, haveChromium, signInAdmin, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/legal-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (白鹤街道); the demo lawyer `lawyer` is on the roster for all of Ningbo. */
const RIDER = '13800000001';
const QUESTION = '站点说我是“众包合作”，10月的配送费 3200 元拖着不发，我能要求站点支付吗？';
const EMPLOYER = '宁波飞驰配送站';
const ANSWER = '您按站点排班接单、受站点管理，可主张配送费属劳动报酬；建议保存接单记录，向劳动监察投诉或申请劳动仲裁。';

async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

describe.skipIf(!haveChromium)('法帮新: a worker asks, the lawyer answers in the console, the worker turns it into an appeal', () => {
  const j = useJourney();
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('ask → answer → see the answer → appeal', async () => {
    // The worker asks from the home screen (a double tap asks once).
    const w = await phone(j.browser);
    contexts.push(w.context);
    const asks: number[] = [];
    w.page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/legal/questions') asks.push(r.status());
    });
    await signInWorker(w.page, j.platform.dataDir, RIDER, j.platform.url);
    await w.page.getByTestId('legal-shortcut').waitFor();
    await w.page.getByTestId('legal-shortcut-ask').click();
    const form = w.page.getByTestId('legal-ask-form');
    await form.waitFor();
    await w.page.getByTestId('legal-submit').click();
    await form.getByText('请选择问题类别').waitFor(); // checked before anything is sent
    expect(asks).toEqual([]);
    await form.getByText('欠薪', { exact: true }).click();
    await w.page.getByLabel('您的问题').fill(QUESTION);
    await w.page.getByLabel('涉及金额（元，选填）').fill('3200');
    await w.page.getByLabel('用工单位 / 对方（选填）').fill(EMPLOYER);
    await w.page.getByTestId('legal-submit').dblclick();
    await w.page.waitForURL(/\/worker\/legal\/[0-9a-f-]{36}$/);
    const detail = w.page.getByTestId('legal-question');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('assigned');
    const code = (await detail.getAttribute('data-code'))!;
    expect(code).toMatch(/^FB\d{11}$/);
    await w.page.getByTestId('legal-clock').getByText(/律师将于 .+ 前答复/).waitFor();
    await w.page.getByTestId('legal-lawyer').getByText(/钱律师/).waitFor();
    expect(asks.filter((s) => s === 201)).toHaveLength(1);
    await shot(w.page, 'asked');
    // 我的咨询 lists it with the clock
    await w.page.goto(`${j.platform.url}/worker/legal`);
    await w.page.locator(`[data-testid="legal-row"][data-code="${code}"]`).waitFor();

    // The lawyer signs in to the console, finds it in their queue and answers.
    const adminContext = await j.browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', reducedMotion: 'reduce' });
    contexts.push(adminContext);
    const admin = await adminContext.newPage();
    admin.setDefaultTimeout(15_000);
    await signInAdmin(admin, j.platform.url, 'lawyer');
    await admin.waitForURL(/\/admin\/legal/);
    await admin.getByRole('tab', { name: '我的待答' }).waitFor();
    await admin.getByLabel(`打开问题 ${code}`).click();
    const drawer = admin.getByTestId('legal-drawer');
    await drawer.locator('[data-kind="question"]').getByText(/配送费 3200 元拖着不发/).waitFor();
    await drawer.getByText('138****0001').waitFor(); // masked, never in clear
    expect(await drawer.textContent()).not.toContain('13800000001');
    await drawer.getByLabel('答复').fill(ANSWER);
    await drawer.getByRole('button', { name: buttonName('提交答复') }).click();
    await drawer.getByText('已答复').first().waitFor();
    await drawer.locator('[data-kind="answer"]').getByText(/向劳动监察投诉或申请劳动仲裁/).waitFor();
    await shot(admin, 'answered');

    // The worker sees the answer, rates it, and turns it into an appeal.
    await w.page.goto(`${j.platform.url}/worker/legal`);
    await w.page.locator(`[data-testid="legal-row"][data-code="${code}"][data-status="answered"]`).click();
    await w.page.getByTestId('legal-thread').locator('[data-kind="answer"]').getByText(/向劳动监察投诉或申请劳动仲裁/).waitFor();
    await w.page.getByTestId('legal-helpful').click();
    await w.page.getByTestId('legal-thread').locator('[data-kind="rated"]').waitFor();
    await w.page.getByTestId('legal-to-appeal').click();
    await w.page.getByTestId('legal-confirm-appeal').click();
    await w.page.waitForURL(/\/worker\/appeals\/[0-9a-f-]{36}$/);
    const appeal = w.page.getByTestId('appeal-detail');
    await appeal.waitFor();
    expect(await appeal.getAttribute('data-status')).toBe('submitted');
    await appeal.getByText(EMPLOYER).first().waitFor();
    await shot(w.page, 'appeal');
    const appealUrl = w.page.url();

    // Back on the question: the link to the appeal, and no second appeal possible.
    await w.page.goBack();
    await w.page.getByTestId('legal-appeal-linked').waitFor();
    expect(await w.page.getByTestId('legal-to-appeal').count()).toBe(0);
    await w.page.getByTestId('legal-view-appeal').click();
    await w.page.waitForURL(appealUrl);
    const mine = await j.platform.services.appealsModule.appeals.mine(
      { kind: 'worker', id: (await j.platform.services.workers.findWorkerByPhone('3302', RIDER))!.id, cityCode: '3302' },
      { page: 1, pageSize: 50 },
    );
    expect(mine.items.filter((a) => a.respondentName === EMPLOYER)).toHaveLength(1);
  });
  it('an operator assigns an unmatched question by hand, keeps the roster and reads the metrics', async () => {
    // No roster lawyer takes housing questions: this one waits in the operators' queue.
    const services = j.platform.services;
    const rider = (await services.workers.findWorkerByPhone('3302', RIDER))!;
    const { question } = await services.legalModule.legal.ask(
      { kind: 'worker', id: rider.id, cityCode: '3302' },
      { clientId: 'e2e-legal-housing-1', type: 'housing', question: '宿舍押金 500 元房东不退，说是合同到期前搬走要扣押金，合理吗？' },
      {},
    );
    expect(question.status).toBe('unassigned');

    const context = await j.browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', reducedMotion: 'reduce' });
    contexts.push(context);
    const admin = await context.newPage();
    admin.setDefaultTimeout(15_000);
    await signInAdmin(admin, j.platform.url, 'admin');
    await admin.getByRole('menuitem', { name: '法帮新' }).click();
    await admin.getByRole('tab', { name: '待分派' }).click();
    await admin.getByLabel(`打开问题 ${question.code}`).click();
    const drawer = admin.getByTestId('legal-drawer');
    await drawer.locator('[data-kind="question"]').getByText(/宿舍押金 500 元/).waitFor();
    await drawer.locator('.ant-select').click();
    await admin.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '钱律师' }).first().click();
    await drawer.getByRole('button', { name: buttonName('分派') }).click();
    await drawer.getByText('待答复').first().waitFor();
    await drawer.locator('[data-kind="assigned"]').first().waitFor();
    const after = await services.legalModule.legal.workerView({ kind: 'worker', id: rider.id, cityCode: '3302' }, question.id);
    expect(after).toMatchObject({ status: 'assigned', lawyerName: '浙江甬法律师事务所 钱律师' });
    await shot(admin, 'assigned');
    await admin.keyboard.press('Escape');

    // The roster: the demo lawyer's profile, edited (a higher maximum of open questions).
    await admin.getByRole('tab', { name: '律师库' }).click();
    await admin.getByText('浙江甬法律师事务所', { exact: true }).waitFor();
    await admin.getByRole('button', { name: '编辑 lawyer' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('最多同时在办').fill('25');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await admin.getByText('已保存').first().waitFor();
    const operatorId = (await services.staff.accountsFor('3302', { areaPrefix: '3302', role: 'operator' }))[0]!.id;
    const roster = await services.legalModule.legal.lawyers({ kind: 'staff', id: operatorId, cityCode: '3302', username: 'admin', displayName: 'admin', role: 'operator', areaCode: '3302', departmentIds: [] });
    expect(roster.find((l) => l.username === 'lawyer')!.profile!.maxOpen).toBe(25);

    // Metrics per month and type.
    await admin.getByRole('tab', { name: '统计' }).click();
    await admin.getByRole('cell', { name: '劳动关系争议' }).first().waitFor();
    await admin.getByRole('cell', { name: '住房' }).first().waitFor();
    await shot(admin, 'metrics');
  });
});
