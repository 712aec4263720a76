import crypto from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { AdminReportSummary, CampaignDetail, ReportMetrics, UploadedPhoto, WorkerReport } from '../../src/contracts/reports.js';
import type { PageOf } from '../../src/contracts/common.js';
import { buttonName, call, desktopPage, haveChromium, signInAdmin, staffSession, useJourney, workerSession, type HttpSession } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/admin-campaigns-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (周建国, 白鹤街道). */
const RIDER = '13800000001';
/** The demo handler (白鹤街道, 城管 and 人社): not an operator, the campaign's owner here. */
const OWNER = { username: 'handler', name: '白鹤街道 经办人 陈科长' };
/** Near the demo places of 白鹤街道; 0.0004° of latitude is about 45 m. */
const SPOT = { lon: 121.5702, lat: 29.8601 };

/** A photo unlike any other (its own shapes and colours), so no two reports share a perceptual hash. */
async function photo(seed: number): Promise<Buffer> {
  const rnd = (n: number) => Math.floor(((Math.sin(seed * 89 + n * 17) + 1) / 2) * 255);
  const rects = Array.from({ length: 8 }, (_, i) => `<rect x="${(rnd(i) * 2) % 560}" y="${(rnd(i + 20) * 2) % 400}" width="${40 + (rnd(i + 40) % 200)}" height="${40 + (rnd(i + 60) % 160)}" fill="rgb(${rnd(i + 1)},${rnd(i + 2)},${rnd(i + 3)})"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="rgb(${rnd(90)},${rnd(91)},${rnd(92)})"/>${rects}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** The rider files a damaged-road report with one photo, as the worker app does. */
async function fileReport(worker: HttpSession, seed: number, description: string, dLat: number): Promise<WorkerReport> {
  const uploaded = await call<UploadedPhoto>(worker.upload('/api/reports/photos', await photo(seed), 'image/jpeg'));
  expect(uploaded.status, uploaded.text).toBe(201);
  const res = await call<WorkerReport>(
    worker.post('/api/reports', {
      clientId: `e2e-campaign-${seed}-${crypto.randomUUID().slice(0, 8)}`,
      category: 'road_damage',
      lon: SPOT.lon,
      lat: SPOT.lat + dLat,
      accuracyM: 8,
      locationSource: 'device',
      description,
      photoIds: [uploaded.body.id],
    }),
  );
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Polls the staff list until the report is there (routing runs right after the submit commits). */
async function waitListed(staff: HttpSession, code: string): Promise<AdminReportSummary> {
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    const res = await call<PageOf<AdminReportSummary>>(staff.get(`/api/admin/reports?q=${encodeURIComponent(code)}`));
    const found = res.body.items?.find((r) => r.code === code);
    if (found && found.status !== 'pending_triage') return found;
  }
  const res = await call<PageOf<AdminReportSummary>>(staff.get(`/api/admin/reports?q=${encodeURIComponent(code)}`));
  const found = res.body.items?.find((r) => r.code === code);
  if (!found) throw new Error(`${code} is not in the list`);
  return found;
}

async function openReportsSection(page: Page) {
  await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '随手拍' }).click();
  await page.getByRole('heading', { name: '随手拍' }).waitFor();
}

describe.skipIf(!haveChromium)('admin console: 专项治理 — a cluster becomes a campaign, grows from the queue and its drawer, its owner closes it; the metrics', () => {
  const j = useJourney();
  let admin: HttpSession;
  let worker: HttpSession;
  let clustered: WorkerReport[];
  let campaignId: string;
  let campaignTitle: string;

  beforeAll(async () => {
    admin = await staffSession(j.platform.url, 'admin');
    // the city's default categories (道路破损: 3 within 300 m in 30 days make a cluster)
    expect((await call(admin.get('/api/admin/reports/categories'))).status).toBe(200);
    worker = await workerSession(j.platform.url, j.platform.dataDir, RIDER);
    clustered = [
      await fileReport(worker, 11, '白鹤路菜场门口路面塌陷', 0),
      await fileReport(worker, 12, '白鹤路公交站旁坑洼积水', 0.0004),
      await fileReport(worker, 13, '白鹤路口井盖周边路面开裂', 0.0008),
    ];
    for (const r of clustered) await waitListed(admin, r.code);
  });

  it('an operator opens a campaign from a cluster, owned by a handler, and adds further reports from the queue and from the campaign', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await openReportsSection(page);
    await page.getByRole('tab', { name: '专项治理' }).click();

    // the three damaged-road reports are one cluster
    const card = page.getByTestId('cluster').filter({ hasText: '道路破损' });
    await card.waitFor();
    expect((await card.locator('.ant-card-extra').innerText()).trim()).toBe('3');
    await shot(page, 'clusters');
    await card.getByTestId('start-campaign').click();

    const form = page.getByRole('dialog', { name: '发起专项治理' });
    await form.getByText('3 条上报').waitFor();
    campaignTitle = await form.getByLabel('名称').inputValue();
    expect(campaignTitle).toContain('道路破损');
    await form.getByLabel('负责人').click();
    await form.getByLabel('负责人').fill(OWNER.name.split(' ').at(-1)!);
    await page.locator('.ant-select-dropdown:visible').getByText(`${OWNER.name}（${OWNER.username}）`).click();
    expect(await form.getByLabel('到期提醒').inputValue()).toBe('1');
    await form.getByRole('button', { name: buttonName('发起专项治理') }).click();
    await form.waitFor({ state: 'hidden' });

    // the new campaign opens: owner, 3 reports, none closed; the cluster is gone
    const drawer = page.getByTestId('campaign-drawer');
    await drawer.getByTestId('campaign-detail').waitFor();
    await drawer.getByText(OWNER.name).waitFor();
    await expect.poll(() => drawer.getByTestId('campaign-progress').innerText()).toBe('0 / 3');
    campaignId = new URL(page.url()).searchParams.get('campaign')!;
    expect(campaignId).toMatch(/^[0-9a-f-]{36}$/);
    for (const r of clustered) await drawer.getByTestId('campaign-reports').getByText(r.code).waitFor();
    await drawer.getByTestId('close-campaign').waitFor(); // an operator over its area may close it too
    await drawer.getByTestId('add-campaign-reports').waitFor();
    await shot(page, 'campaign');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByTestId('clusters').getByText('暂无聚集问题').waitFor();

    // a fourth damaged road nearby comes in; the operator adds it from the queue's report drawer
    const fourth = await fileReport(worker, 14, '白鹤路人行道边路面下沉', 0.0012);
    await waitListed(admin, fourth.code);
    await page.getByRole('tab', { name: '工单队列' }).click();
    const row = page.getByTestId('reports-table').locator('tbody tr.ant-table-row').filter({ hasText: fourth.code });
    await row.waitFor();
    await row.getByRole('link', { name: `查看 ${fourth.code}`, exact: true }).click();
    const reportDrawer = page.getByTestId('report-drawer');
    await reportDrawer.getByText(`随手拍 ${fourth.code}`).waitFor();
    await reportDrawer.getByTestId('action-join-campaign').click();
    const join = page.getByRole('dialog', { name: '加入专项治理' });
    const option = join.getByRole('radio', { name: new RegExp(campaignTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
    await option.waitFor();
    // with its owner and deadline, to tell campaigns apart
    await join.getByText(`负责人 ${OWNER.name}`, { exact: false }).waitFor();
    expect(await join.getByText(`负责人 ${OWNER.name}`, { exact: false }).innerText()).toContain('3 条上报');
    await shot(page, 'join');
    await option.check();
    await join.getByRole('button', { name: buttonName('加入专项治理') }).click();
    await join.waitFor({ state: 'hidden' });
    await page.getByText('已加入专项治理').waitFor();
    // the report now names its campaign (and no longer offers to join one); the link opens the campaign
    const link = reportDrawer.getByTestId('report-campaign');
    await link.getByText(campaignTitle).waitFor();
    expect(await reportDrawer.getByTestId('action-join-campaign').count()).toBe(0);
    await reportDrawer.getByTestId('timeline-event').and(page.locator('[data-type="campaign_added"]')).waitFor();

    // a fifth comes in; this time the operator picks it in the campaign's own drawer, by its code
    const fifth = await fileReport(worker, 15, '白鹤路非机动车道路面破损', -0.0004);
    await waitListed(admin, fifth.code);
    await link.click();
    await drawer.getByTestId('campaign-detail').waitFor();
    await expect.poll(() => drawer.getByTestId('campaign-progress').innerText()).toBe('0 / 4');
    await drawer.getByTestId('campaign-reports').getByText(fourth.code).waitFor();
    await drawer.getByTestId('add-campaign-reports').click();
    const add = page.getByRole('dialog', { name: '添加上报到专项治理' });
    await add.getByRole('searchbox', { name: '按编号、描述或地址搜索' }).fill(fifth.code);
    await add.getByRole('searchbox', { name: '按编号、描述或地址搜索' }).press('Enter');
    const candidate = add.getByTestId('campaign-candidates').locator('tbody tr.ant-table-row');
    await expect.poll(() => candidate.allInnerTexts()).toEqual([expect.stringContaining(fifth.code)]);
    await candidate.getByRole('checkbox').check();
    await shot(page, 'add-reports');
    await add.getByRole('button', { name: buttonName('添加所选（1）') }).click();
    await add.waitFor({ state: 'hidden' });
    await expect.poll(() => drawer.getByTestId('campaign-progress').innerText()).toBe('0 / 5');
    await drawer.getByTestId('campaign-reports').getByText(fifth.code).waitFor();
    await page.context().close();

    const detail = (await call<CampaignDetail>(admin.get(`/api/admin/reports/campaigns/${campaignId}`))).body;
    expect(detail.reports.map((r) => r.code).sort()).toEqual([...clustered, fourth, fifth].map((r) => r.code).sort());
    expect(detail.owner.name).toBe(OWNER.name);
  });

  it('the owner, a handler, follows the link of the notification and closes the campaign with a summary', async () => {
    const handler = await staffSession(j.platform.url, OWNER.username);
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, OWNER.username);
    await page.getByTestId('current-user').waitFor();
    await page.goto(`${j.platform.url}/admin/reports?tab=campaigns&campaign=${campaignId}`);
    const drawer = page.getByTestId('campaign-drawer');
    await drawer.getByTestId('campaign-detail').waitFor();
    await drawer.getByText(campaignTitle).first().waitFor();
    // the owner closes it and logs progress, but adding reports is the operators'
    expect(await drawer.getByTestId('add-campaign-reports').count()).toBe(0);
    await drawer.getByLabel('进展').fill('已联系养护队，5 处路面本周内修复');
    await drawer.getByRole('button', { name: buttonName('添加记录') }).click();
    await drawer.getByText('已联系养护队，5 处路面本周内修复').waitFor();

    await drawer.getByTestId('close-campaign').click();
    const dialog = page.getByRole('dialog', { name: '结束专项治理' });
    await dialog.getByLabel('总结').fill('修复白鹤路 5 处路面破损，建立雨后巡查机制');
    await shot(page, 'owner-close');
    await dialog.getByRole('button', { name: buttonName('结束专项') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await drawer.locator('[data-testid="campaign-detail"][data-status="closed"]').waitFor();
    await drawer.getByTestId('campaign-summary').getByText('修复白鹤路 5 处路面破损，建立雨后巡查机制').waitFor();
    expect(await drawer.getByTestId('close-campaign').count()).toBe(0);
    await page.context().close();

    const closed = (await call<CampaignDetail>(handler.get(`/api/admin/reports/campaigns/${campaignId}`))).body;
    expect(closed).toMatchObject({ status: 'closed', summary: '修复白鹤路 5 处路面破损，建立雨后巡查机制', may: { close: false, addReports: false, note: false } });
  });

  it('the metrics tab shows the numbers per category, and its CSV download has them', async () => {
    const expected = (await call<ReportMetrics>(admin.get('/api/admin/reports/metrics?groupBy=category'))).body;
    const road = expected.rows.find((r) => r.key === 'road_damage')!;
    expect(road).toMatchObject({ label: '道路破损', received: 5 });

    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await openReportsSection(page);
    await page.getByRole('tab', { name: '统计' }).click();
    const table = page.getByTestId('metrics-table');
    const roadRow = table.locator('tbody tr.ant-table-row').filter({ hasText: '道路破损' });
    await roadRow.waitFor();
    const cells = await roadRow.locator('td').allInnerTexts();
    expect(cells[0]).toBe('道路破损');
    expect(cells[1]!.trim()).toBe(String(road.received));
    expect(cells[2]!.trim()).toBe(String(road.closed));
    const total = table.locator('tr').filter({ hasText: '合计' });
    expect((await total.locator('td').allInnerTexts())[1]!.trim()).toBe(String(expected.total.received));
    await shot(page, 'metrics');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('metrics-csv').click()]);
    expect(download.suggestedFilename()).toBe(`reports-metrics-category-${expected.from}-${expected.to}.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('按类别,受理,办结,有效,有效率,办结用时中位数,按期办结,按期率');
    expect(lines).toContain(`道路破损,${road.received},${road.closed},${road.valid},${road.validShare ?? ''},${road.medianHoursToClose ?? ''},${road.closedOnTime},${road.onTimeShare ?? ''}`);
    expect(lines.at(-1)!.startsWith(`合计,${expected.total.received},`)).toBe(true);
    await page.context().close();
  });
});
