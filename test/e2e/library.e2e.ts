import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { extractPdfText } from '../../src/platform/pdf/pdf.test-support.js';
import type { LibraryAdminView, LibraryView } from '../../src/contracts/library.js';
import { buttonName, desktopPage, haveChromium, json, phonePage, signInAdmin, staffSession, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/library-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider. */
const RIDER = '13800000001';
const TITLE = '站点克扣“超时罚款”，骑手调解后追回配送费';
const KEYWORD = '超时罚款';

const formItem = (root: Locator, label: string) => root.locator('.ant-form-item', { has: root.page().locator(`label[title="${label}"]`) });

describe.skipIf(!haveChromium)('library: typical cases and model contracts', () => {
  const j = useJourney();
  /** The rider's phone stays signed in for the last journey (one SMS sign-in a minute per phone). */
  let riderPage: Page | undefined;
  afterAll(async () => {
    await riderPage?.context().close();
  });

  it('a mediator writes a typical case in the admin console and publishes it', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'mediator');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '典型案例' }).click();
    await page.getByRole('heading', { name: '典型案例与示范合同' }).waitFor();
    // the seeded entries are listed
    await expect.poll(() => page.getByTestId('library-row').count()).toBeGreaterThanOrEqual(5);

    await page.getByTestId('library-new-case').click();
    await page.getByRole('heading', { name: '新建典型案例' }).waitFor();
    await page.getByTestId('library-title').fill(TITLE);
    await page.getByTestId('library-summary').fill('站点以“超时罚款”名义每月扣发配送费，骑手申请调解后，站点退还全部扣款。');
    await formItem(page.locator('form'), '标签（诉求类型）').locator('.ant-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^欠薪$/ }).first().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('library-facts').fill('骑手赵师傅所在站点自定“超时罚款”规则，每单超时扣款20元。\n三个月累计被扣配送费4,300元。');
    await page.getByTestId('library-resolution').fill('调解员调取平台配送记录，认定多数超时系出餐延误所致。\n站点退还全部扣款并取消该规则。');
    await page.getByTestId('library-legalBasis').fill('《中华人民共和国劳动法》第五十条');
    await page.getByTestId('library-amount').fill('4300');
    await shot(page, 'admin-editor');
    await page.getByTestId('library-publish').click();
    await page.getByTestId('library-status').filter({ hasText: /^已发布$/ }).waitFor();
    // the revision history has the first revision, published
    const history = page.getByTestId('library-revisions');
    await history.getByRole('cell', { name: '当前发布' }).waitFor();
    await expect.poll(() => history.locator('tbody tr').count()).toBe(1);
    await page.context().close();
  });

  it('the rider finds the case by searching in the app, opens it, then downloads the e-bike rental model contract', async () => {
    const page = await phonePage(j.browser);
    await signInWorker(page, j.platform.dataDir, RIDER, j.platform.url);
    await page.getByTestId('library-shortcut-open').click();
    await page.getByTestId('library-list').waitFor();

    const search = page.getByTestId('library-search').locator('input');
    await search.fill(KEYWORD);
    await search.press('Enter');
    await expect.poll(() => page.getByTestId('library-entry').count()).toBe(1);
    await page.getByTestId('library-entry').filter({ hasText: TITLE }).click();
    await page.getByTestId('library-detail-title').filter({ hasText: TITLE }).waitFor();
    await page.getByText('三个月累计被扣配送费4,300元。').waitFor();
    await page.getByText('挽回损失 4,300 元').waitFor();
    await shot(page, 'worker-case');

    // back to the list: the model contracts only
    await page.goBack();
    await search.fill('');
    await search.press('Enter');
    await page.getByTestId('library-kind').getByText('示范合同', { exact: true }).click();
    await expect.poll(() => page.getByTestId('library-entry').count()).toBe(1);
    await page.getByTestId('library-entry').first().click();
    await page.getByTestId('library-checklist').waitFor();
    await shot(page, 'worker-contract');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('library-download').click()]);
    expect(download.suggestedFilename()).toBe('网约配送员电动自行车租赁合同示范文本.pdf');
    const text = await extractPdfText(fs.readFileSync((await download.path())!));
    expect(text.all).toContain('网约配送员电动自行车租赁合同示范文本');
    expect(text.body).toContain('第七条提前退租与合同解除');
    riderPage = page;
  });

  it('an operator edits the published model contract: a clause added and moved up makes draft revision 2, readers keep revision 1', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'admin');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '典型案例' }).click();
    await page.getByLabel('搜索标题或摘要', { exact: true }).fill('电动自行车');
    await page.getByLabel('搜索标题或摘要', { exact: true }).press('Enter');
    await expect.poll(() => page.getByTestId('library-row').count()).toBe(1);
    await page.getByTestId('library-row').click();
    await page.getByRole('heading', { name: '编辑示范合同' }).waitFor();
    const sections = page.getByTestId('library-section');
    const before = await sections.count();
    await page.getByRole('button', { name: '添加条款' }).click();
    await expect.poll(() => sections.count()).toBe(before + 1);
    const added = sections.nth(before);
    await formItem(added, '条款标题').locator('input').fill('第九条　电池安全');
    await formItem(added, '条款内容').locator('textarea').fill('甲方应定期检测电池，不得提供改装或来源不明的电池。');
    await added.getByRole('button', { name: '上移' }).click();
    await expect.poll(() => sections.nth(before - 1).locator('input').first().inputValue()).toBe('第九条　电池安全');
    await page.getByTestId('library-save').click();
    await page.getByText('读者当前看到的是第 1 版').waitFor();
    await expect.poll(() => page.getByTestId('library-revisions').locator('tbody tr').count()).toBe(2);

    const staff = await staffSession(j.platform.url, 'admin');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const view = await json<LibraryAdminView>(staff.get(`/api/admin/library/${id}`));
    expect(view.draft?.number).toBe(2);
    expect(view.draft?.modelContract?.sections.map((s) => s.heading).slice(-2)).toEqual(['第九条　电池安全', '第九条　其他']);
    const published = await json<LibraryView>(fetch(`${j.platform.url}/api/library/${id}`));
    expect([published.revision, published.modelContract?.sections.length]).toEqual([1, before]);

    // …and thinks better of it: discarding the changes goes back to revision 1, kept in the history
    await page.getByTestId('library-discard').click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: buttonName('确定') }).click();
    await page.getByText('已放弃修改，回到第 1 版').waitFor();
    await expect.poll(() => sections.count()).toBe(before);
    await expect.poll(() => page.getByText('读者当前看到的是第 1 版').count()).toBe(0);
    const history = page.getByTestId('library-revisions').locator('tbody tr');
    await expect.poll(() => history.first().innerText()).toContain('已放弃');
    expect(await page.getByTestId('library-discard').count()).toBe(0);
    expect((await json<LibraryAdminView>(staff.get(`/api/admin/library/${id}`))).draft).toBeNull();
    await page.context().close();
  });

  it('anyone may read the library without signing in; the appeal form shows related cases for the chosen type', async () => {
    const page = await phonePage(j.browser);
    await page.goto(`${j.platform.url}/worker/library?type=predatory_rental`);
    await expect.poll(() => page.getByTestId('library-entry').count()).toBe(2);
    await page.context().close();

    const rider = riderPage!;
    await rider.goto(`${j.platform.url}/worker/appeals/new`);
    await rider.getByTestId('type-predatory_rental').click();
    const related = rider.getByTestId('related-cases');
    await related.getByTestId('related-case').first().waitFor();
    expect(await related.getByTestId('related-case').first().textContent()).toContain('套路租');
  });

  it('the mediator archives the case: readers no longer find it; publishing it again brings it back', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'mediator');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '典型案例' }).click();
    await page.getByLabel('搜索标题或摘要', { exact: true }).fill(TITLE);
    await page.getByLabel('搜索标题或摘要', { exact: true }).press('Enter');
    await expect.poll(() => page.getByTestId('library-row').count()).toBe(1);
    await page.getByTestId('library-row').click();
    await page.getByTestId('library-archive').click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: buttonName('确定') }).click();
    await page.getByTestId('library-status').filter({ hasText: /^已下架$/ }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect((await fetch(`${j.platform.url}/api/library/${id}`)).status).toBe(404);
    const found = await json<{ total: number }>(fetch(`${j.platform.url}/api/library?q=${encodeURIComponent(TITLE)}`));
    expect(found.total).toBe(0);

    await page.getByTestId('library-publish').filter({ hasText: '重新发布' }).click();
    await page.getByTestId('library-status').filter({ hasText: /^已发布$/ }).waitFor();
    expect((await json<LibraryView>(fetch(`${j.platform.url}/api/library/${id}`))).title).toBe(TITLE);
    await page.context().close();
  });
});
