import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { AdminReport, AdminReportSummary, RoutingRule, UploadedPhoto, WorkerReport } from '../../src/contracts/reports.js';
import type { Department } from '../../src/contracts/staff.js';
import type { PageOf } from '../../src/contracts/common.js';
import { buttonName, call, desktopPage, haveChromium, signInAdmin, staffSession, useJourney, workerSession, type HttpSession } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/admin-reports-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (周建国, 白鹤街道); the demo handler works 白鹤街道 for 城管 (urban) and 人社. */
const RIDER = '13800000001';
const BAIHE = '330212011';
/** Near the demo places of 白鹤街道 (the places seed puts stations and compounds around here). */
const SPOT = { lon: 121.5702, lat: 29.8601 };

/** A photo unlike any other (its own shapes and colours), so no two reports share a perceptual hash. */
async function photo(seed: number): Promise<Buffer> {
  const rnd = (n: number) => Math.floor(((Math.sin(seed * 97 + n * 13) + 1) / 2) * 255);
  const rects = Array.from({ length: 8 }, (_, i) => `<rect x="${(rnd(i) * 2) % 560}" y="${(rnd(i + 20) * 2) % 400}" width="${40 + (rnd(i + 40) % 200)}" height="${40 + (rnd(i + 60) % 160)}" fill="rgb(${rnd(i + 1)},${rnd(i + 2)},${rnd(i + 3)})"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="rgb(${rnd(90)},${rnd(91)},${rnd(92)})"/>${rects}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** The rider files a report with one photo, as the worker app does. */
async function fileReport(worker: HttpSession, seed: number, description: string, at = SPOT): Promise<WorkerReport> {
  const uploaded = await call<UploadedPhoto>(worker.upload('/api/reports/photos', await photo(seed), 'image/jpeg'));
  expect(uploaded.status, uploaded.text).toBe(201);
  const res = await call<WorkerReport>(worker.post('/api/reports', {
    clientId: `e2e-admin-${seed}-${crypto.randomUUID().slice(0, 8)}`,
    category: 'road_damage',
    lon: at.lon,
    lat: at.lat,
    accuracyM: 8,
    locationSource: 'device',
    description,
    photoIds: [uploaded.body.id],
  }));
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Polls the staff list until the report is in the wanted status (routing runs right after the submit commits). */
async function waitForStatus(staff: HttpSession, code: string, status: AdminReportSummary['status']): Promise<AdminReportSummary> {
  // a plain loop: expect.poll is for inside tests, and this also runs in beforeAll
  let last: AdminReportSummary | undefined;
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    const res = await call<PageOf<AdminReportSummary>>(staff.get(`/api/admin/reports?q=${encodeURIComponent(code)}`));
    last = res.body.items?.find((r) => r.code === code);
    if (last?.status === status) return last;
  }
  throw new Error(`${code} is ${last?.status ?? 'not in the list'}, not ${status}`);
}

/** The drawer's status tag reads this (e.g. 已签收). */
async function drawerStatus(page: Page, text: string) {
  await page.getByTestId('report-drawer').locator('.ant-drawer-title [data-status]').filter({ hasText: text }).waitFor();
}

async function openFromQueue(page: Page, code: string, testId = 'reports-table') {
  const row = page.getByTestId(testId).locator('tbody tr.ant-table-row').filter({ hasText: code });
  await row.waitFor();
  await row.getByRole('link', { name: `查看 ${code}`, exact: true }).click();
  await page.getByTestId('report-drawer').getByText(`随手拍 ${code}`).waitFor();
}

describe.skipIf(!haveChromium)('admin console: 随手拍 — handle, verify, return', () => {
  const j = useJourney();
  let admin: HttpSession;
  let toHandle: WorkerReport;
  let toReturn: WorkerReport;

  beforeAll(async () => {
    admin = await staffSession(j.platform.url, 'admin');
    // 白鹤街道's road damage goes to 城管 (the demo handler's department): the rule the triage uses.
    const departments = (await call<Department[]>(admin.get('/api/admin/departments'))).body;
    const urban = departments.find((d) => d.code === 'urban');
    expect(urban, 'the 城管 department').toBeDefined();
    // (the city's default categories are made on first use: listing them does it)
    const categories = await call(admin.get('/api/admin/reports/categories'));
    expect(categories.status, categories.text).toBe(200);
    // Exact category and the street's own prefix at top priority: whatever rules the demo seed made, this one wins.
    const created = await call<RoutingRule>(admin.post('/api/admin/reports/routing-rules', { category: 'road_damage', areaPrefix: BAIHE, departmentId: urban!.id, priority: 1000, active: true, note: 'e2e' }));
    expect([200, 201], created.text).toContain(created.status);
    expect(created.body.departmentId).toBe(urban!.id);

    const worker = await workerSession(j.platform.url, j.platform.dataDir, RIDER);
    toHandle = await fileReport(worker, 1, '白鹤街道菜场门口路面塌陷一个大坑，电动车差点摔倒');
    toReturn = await fileReport(worker, 2, '小区门口人行道地砖松动翘起', { lon: SPOT.lon + 0.004, lat: SPOT.lat - 0.003 });
    const a = await waitForStatus(admin, toHandle.code, 'dispatched');
    expect(a.departmentId).toBe(urban!.id);
    await waitForStatus(admin, toReturn.code, 'dispatched');
  });

  it('the department handler acknowledges and handles it with an after-photo; an operator verifies it valid and the reporter is awarded', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'handler');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '随手拍' }).click();
    await page.getByRole('heading', { name: '随手拍' }).waitFor();
    await openFromQueue(page, toHandle.code);
    await drawerStatus(page, '已交办');
    const drawer = page.getByTestId('report-drawer');
    await drawer.getByTestId('photos-before').locator('img').first().waitFor();
    await drawer.getByTestId('deadline-clock').waitFor();
    await shot(page, 'handler-dispatched');

    // 签收
    await drawer.getByTestId('action-acknowledge').click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: buttonName('签收') }).click();
    await drawerStatus(page, '已签收');

    // 处置: the result and an after-photo
    await drawer.getByTestId('action-handle').click();
    const dialog = page.getByRole('dialog', { name: '处置完成' });
    await dialog.getByLabel('处置结果').fill('已安排养护队回填沥青，路面恢复平整');
    await dialog.locator('input[type="file"]').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await photo(101) });
    await dialog.getByTestId('after-photo').first().waitFor();
    await shot(page, 'handle-modal');
    await dialog.getByRole('button', { name: buttonName('确定') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await drawerStatus(page, '已处置');
    await drawer.getByTestId('photos-after').locator('img').first().waitFor();
    await drawer.getByTestId('timeline-event').and(page.locator('[data-type="handled"]')).waitFor();
    // verifying is not the handler's to do
    expect(await drawer.getByTestId('action-verify').count()).toBe(0);
    await page.context().close();

    // The operator opens the report from its link (the staff notification's), verifies it valid.
    const op = await desktopPage(j.browser);
    op.setDefaultTimeout(15_000);
    await signInAdmin(op, j.platform.url, 'admin');
    await op.getByTestId('current-user').waitFor();
    await op.goto(`${j.platform.url}/admin/reports/${toHandle.id}`);
    const opDrawer = op.getByTestId('report-drawer');
    await drawerStatus(op, '已处置');
    await opDrawer.getByTestId('action-verify').click();
    const verify = op.getByRole('dialog', { name: '核查' });
    await verify.getByText('有效（已解决）').click();
    await verify.getByLabel('备注（选填）').fill('现场核实已修复');
    await verify.getByRole('button', { name: buttonName('确定') }).click();
    await verify.waitFor({ state: 'hidden' });
    await drawerStatus(op, '已办结');
    await opDrawer.locator('.ant-drawer-title').getByText('已解决').waitFor();
    await opDrawer.getByTestId('timeline-event').and(op.locator('[data-type="closed"]')).waitFor();
    await shot(op, 'verified');

    const detail = (await call<AdminReport>(admin.get(`/api/admin/reports/${toHandle.id}`))).body;
    expect(detail.status).toBe('closed');
    expect(detail.outcome).toBe('fixed');
    expect(detail.photos.filter((p) => p.kind === 'after').length).toBe(1);
    expect(detail.pointsGranted).toBeGreaterThan(0);
    await opDrawer.getByTestId('report-points').getByText(`已发 ${detail.pointsGranted} 分`).waitFor();
    await op.context().close();
  });

  it('a handler returns a report that is not theirs to handle, and it reappears in the triage queue', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'handler');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '随手拍' }).click();
    await openFromQueue(page, toReturn.code);
    const drawer = page.getByTestId('report-drawer');
    await drawer.getByTestId('action-return').click();
    const dialog = page.getByRole('dialog', { name: '退回（非本部门职责）' });
    await dialog.getByLabel('原因').fill('人行道地砖属住建部门养护，非城管职责');
    await dialog.getByRole('button', { name: buttonName('确定') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.context().close();

    // The operator finds it under 待分流, with the reason on its timeline.
    const op = await desktopPage(j.browser);
    op.setDefaultTimeout(15_000);
    await signInAdmin(op, j.platform.url, 'admin');
    await op.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '随手拍' }).click();
    await op.getByRole('tab', { name: '待分流' }).click();
    await openFromQueue(op, toReturn.code, 'triage-table');
    await drawerStatus(op, '待分流');
    const opDrawer = op.getByTestId('report-drawer');
    const returned = opDrawer.getByTestId('timeline-event').and(op.locator('[data-type="returned"]'));
    await returned.waitFor();
    expect(await returned.innerText()).toContain('人行道地砖属住建部门养护');
    await opDrawer.getByTestId('action-triage').waitFor();
    await shot(op, 'triage');
    await op.context().close();

    await waitForStatus(admin, toReturn.code, 'pending_triage');
  });
});
