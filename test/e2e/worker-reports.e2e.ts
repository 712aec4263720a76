import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import type { PageOf } from '../../src/contracts/common.js';
import type { AdminReport, UploadedPhoto, WorkerReportSummary } from '../../src/contracts/reports.js';
import type { Department } from '../../src/contracts/staff.js';
import { DEMO_PASSWORD } from '../../src/server/demo-seed.js';
import { buttonName, haveChromium, staffSession, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/worker-reports-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (白鹤街道), and a pending one the reviewer approves below. */
const RIDER = '13800000001';
const SECOND = '13800000002';
const UNVERIFIED = '13800000007';
/** Next to 丹顶鹤社区甬爱驿站 (白鹤街道), where the demo handler and grid worker work. */
const SPOT = { longitude: 121.5667, latitude: 29.8614 };
/** About 40 m away. */
const NEARBY_SPOT = { longitude: 121.567, latitude: 29.8617 };
const DESCRIPTION = '丹顶鹤社区驿站门口井盖缺失，夜里骑车很危险';

/** A phone at `at` that lets the app read its position. */
async function phoneContext(j: { browser: import('playwright-core').Browser }, at: { longitude: number; latitude: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await j.browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    geolocation: { ...at, accuracy: 12 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** A photo as a phone would take it (a PNG with some structure, not one flat colour). */
async function photo(): Promise<Buffer> {
  const w = 640;
  const h = 480;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      raw[i] = (x * 255) / w;
      raw[i + 1] = (y * 255) / h;
      raw[i + 2] = (x ^ y) & 0xff;
    }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

/** A staff session from Node that can also upload a raw photo (after-photos). */
async function staff(base: string, username: string) {
  const s = await staffSession(base, username, DEMO_PASSWORD);
  const res = await fetch(`${base}/api/staff/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const upload = async (body: Buffer, type: string) =>
    fetch(`${base}/api/admin/reports/photos`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': type }, body: new Uint8Array(body) });
  return { ...s, upload };
}

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

describe.skipIf(!haveChromium)('worker app: 随手拍 (reports)', () => {
  const j = useJourney();
  const filed = {} as { id: string; code: string };
  /** The reporter's phone, kept signed in across the journeys (one SMS sign-in a minute per phone). */
  let rider: { context: BrowserContext; page: Page };
  afterAll(async () => {
    await rider?.context.close();
  });

  beforeAll(async () => {
    // The second rider's identity check is approved, so they may report and join reports too.
    const reviewer = await staffSession(j.platform.url, 'reviewer');
    const queue = await json<{ items: { id: string; phoneMasked: string }[] }>(await reviewer.get('/api/admin/verifications?status=pending&pageSize=100'));
    const pending = queue.items.find((v) => v.phoneMasked === '138****0002');
    expect(pending, 'the demo pending verification of 13800000002').toBeDefined();
    await json(await reviewer.post(`/api/admin/verifications/${pending!.id}/approve`, {}));
  });

  it('files a report with a photo while offline; back online it is sent, exactly once', async () => {
    rider = await phoneContext(j, SPOT);
    const { context, page } = rider;
    const created: number[] = [];
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/reports' && r.request().method() === 'POST') created.push(r.status());
    });
    await signInWorker(page, j.platform.dataDir, RIDER, j.platform.url);

    // Home → 随手拍
    await page.getByTestId('reports-shortcut').waitFor();
    await shot(page, 'home');
    await page.getByTestId('reports-shortcut-new').click();
    await page.getByTestId('report-capture').waitFor();
    await page.getByTestId('location-status').getByText('已获取当前位置').waitFor();
    await page.getByTestId('location-accuracy').getByText('精度约 12 米').waitFor();
    await page.getByRole('radio', { name: '井盖缺失' }).waitFor();

    // The signal drops: the rider carries on.
    await context.setOffline(true);
    await page.getByTestId('capture-offline').waitFor();
    await page.getByTestId('capture-file').setInputFiles({ name: 'manhole.png', mimeType: 'image/png', buffer: await photo() });
    await expect.poll(() => page.getByTestId('capture-thumb').count()).toBe(1);
    await page.getByRole('radio', { name: '井盖缺失' }).click();
    await page.getByLabel('问题描述').fill(DESCRIPTION);
    await shot(page, 'capture-offline');
    await page.getByTestId('capture-submit').click();

    // Saved on the phone: 待发送 1
    await page.waitForURL((u) => u.pathname === '/worker/reports');
    await page.getByTestId('outbox-pending').getByText('待发送 1 条').waitFor();
    expect(await page.getByTestId('outbox-item').getAttribute('data-state')).toBe('queued');
    await shot(page, 'queued');
    expect(created).toEqual([]);

    // Back online: sent once, and it is in 进行中.
    await context.setOffline(false);
    const sent = page.getByTestId('outbox-sent');
    await sent.waitFor();
    const code = /SP\d{11}/.exec(await sent.innerText())?.[0];
    expect(code, 'the report code').toBeDefined();
    const row = page.getByTestId('report-row').filter({ hasText: code! });
    await row.waitFor();
    await shot(page, 'sent');

    // Another chance to send (a reload runs the outbox again at start) changes nothing.
    await page.reload();
    await page.getByTestId('reports-list').waitFor();
    await page.waitForTimeout(500);
    expect(created).toEqual([201]);
    const mine = await page.evaluate(async () => (await (await fetch('/api/reports/mine?status=open&pageSize=50')).json()) as PageOf<WorkerReportSummary>);
    const same = mine.items.filter((r) => r.description === DESCRIPTION);
    expect(same).toHaveLength(1);
    Object.assign(filed, { id: same[0].id, code: same[0].code });
    expect(same[0].code).toBe(code);

    // Its page: the photo, where, the timeline so far.
    await row.click();
    const detail = page.getByTestId('report-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-code')).toBe(code);
    await detail.getByText(DESCRIPTION).waitFor();
    await page.getByTestId('report-photos').locator('img').first().waitFor();
    await page.locator('[data-testid="timeline-event"][data-type="submitted"]').waitFor();
    await shot(page, 'detail');
  });

  it('a second rider nearby joins the first report ("我也遇到了") instead of filing a duplicate', async () => {
    const { context, page } = await phoneContext(j, NEARBY_SPOT);
    await signInWorker(page, j.platform.dataDir, SECOND, j.platform.url);
    await page.goto(`${j.platform.url}/worker/reports/new`);
    await page.getByTestId('location-status').getByText('已获取当前位置').waitFor();
    await page.getByRole('radio', { name: '井盖缺失' }).click();

    const nearby = page.locator(`[data-testid="nearby-report"][data-code="${filed.code}"]`);
    await nearby.waitFor();
    await nearby.getByText(DESCRIPTION).waitFor();
    await shot(page, 'nearby');
    await nearby.getByRole('button', { name: buttonName('我也遇到了') }).click();

    await page.waitForURL((u) => u.pathname === `/worker/reports/${filed.id}`);
    await page.getByTestId('report-following').waitFor();
    await page.getByText('1 人也遇到').waitFor();

    // Nothing of their own was filed; the report shows in their list as one they joined.
    const mine = await page.evaluate(async () => (await (await fetch('/api/reports/mine?status=open&pageSize=50')).json()) as PageOf<WorkerReportSummary>);
    expect(mine.items.map((r) => ({ id: r.id, mine: r.mine }))).toEqual([{ id: filed.id, mine: false }]);
    await context.close();
  });

  it('after the department handles it and an operator verifies it valid, the reporter sees the points and the closed timeline', async () => {
    const admin = await staff(j.platform.url, 'admin');
    const handler = await staff(j.platform.url, 'handler');

    // A routing rule may have dispatched it already; else the operator dispatches it to the handler's 城管.
    let report = await json<AdminReport>(await admin.get(`/api/admin/reports/${filed.id}`));
    if (report.status === 'pending_triage') {
      const departments = await json<Department[]>(await admin.get('/api/admin/departments'));
      const urban = departments.find((d) => d.code === 'urban');
      expect(urban, 'the demo 城管 department').toBeDefined();
      report = await json<AdminReport>(await admin.post(`/api/admin/reports/${filed.id}/triage`, { action: 'dispatch', departmentId: urban!.id }));
    }
    expect(report.status).toBe('dispatched');

    report = await json<AdminReport>(await handler.post(`/api/admin/reports/${filed.id}/acknowledge`, {}));
    expect(report.status).toBe('acknowledged');

    // The reporter sees who has it and the deadline clock running.
    const { page } = rider;
    await page.goto(`${j.platform.url}/worker/reports/${filed.id}`);
    await expect.poll(() => page.getByTestId('report-detail').getAttribute('data-status')).toBe('acknowledged');
    await page.getByTestId('report-department').getByText(report.departmentName!).waitFor();
    await shot(page, 'in-progress');
    expect(await page.getByTestId('deadline-clock').innerText()).toMatch(/剩余 \d+ (天 \d+ 小时|小时 \d+ 分)/);
    await page.locator('[data-testid="timeline-event"][data-type="routed"]').waitFor();
    await shot(page, 'in-progress');

    const after = await json<UploadedPhoto>(await handler.upload(await photo(), 'image/png'), 201);
    report = await json<AdminReport>(await handler.post(`/api/admin/reports/${filed.id}/handle`, { result: '已补装井盖并设置警示标志', photoIds: [after.id] }));
    expect(report.status).toBe('handled');
    report = await json<AdminReport>(await admin.post(`/api/admin/reports/${filed.id}/verify`, { verdict: 'valid', note: '现场核实已修复' }));
    expect(report.status).toBe('closed');
    expect(report.outcome).toBe('fixed');
    expect(report.pointsGranted).toBeGreaterThan(0);

    await page.goto(`${j.platform.url}/worker/reports?tab=closed`);
    const row = page.getByTestId('report-row').filter({ hasText: filed.code });
    await row.getByText(`+${report.pointsGranted} 积分`).waitFor();
    await row.click();

    const detail = page.getByTestId('report-detail');
    await expect.poll(() => detail.getAttribute('data-status')).toBe('closed');
    await page.getByTestId('report-status').getByText('已解决').waitFor();
    await page.getByTestId('report-points').getByText(`有效上报，获得 ${report.pointsGranted} 积分`).waitFor();
    const timeline = page.getByTestId('report-timeline');
    for (const type of ['submitted', 'acknowledged', 'handled', 'closed', 'points_awarded'])
      await timeline.locator(`[data-testid="timeline-event"][data-type="${type}"]`).first().waitFor();
    await timeline.getByText('已处置：已补装井盖并设置警示标志').waitFor();
    await page.getByTestId('report-photos').filter({ has: page.getByText('处置后照片') }).locator('img').first().waitFor();
    await shot(page, 'closed');

    // Within the 7 days the reporter confirms it is fixed.
    await page.getByTestId('feedback-confirm').click();
    await page.getByTestId('report-feedback-done').getByText('您已确认问题解决，感谢参与城市治理').waitFor();
  });

  it('without location permission the rider picks the spot on the map (flagged as picked)', async () => {
    const { context, page } = rider;
    await context.clearPermissions();
    await page.goto(`${j.platform.url}/worker/reports/new`);
    await page.getByTestId('location-status').getByText('没有定位权限，请在地图上选点').waitFor();
    await page.getByTestId('pick-on-map').click();
    const picker = page.getByTestId('map-picker');
    await picker.waitFor();
    await expect.poll(() => picker.locator('.leaflet-container').count()).toBe(1);
    await shot(page, 'map-picker');
    await picker.locator('.leaflet-container').click();
    await page.getByTestId('map-pick-done').click();
    await page.getByTestId('location-status').getByText('已在地图上选点').waitFor();
    await page.getByText('地图选点的位置会标注给处理人员').waitFor();
  });

  it('an unverified worker is told to verify first, with the way there', async () => {
    const { context, page } = await phoneContext(j, SPOT);
    await signInWorker(page, j.platform.dataDir, UNVERIFIED, j.platform.url);
    await page.goto(`${j.platform.url}/worker/reports/new`);
    await page.getByTestId('reports-need-verify').getByText('实名认证后才能随手拍').waitFor();
    expect(await page.getByTestId('report-capture').count()).toBe(0);
    await page.getByTestId('reports-verify-cta').click();
    await page.waitForURL((u) => u.pathname === '/worker/verify');
    await context.close();
  });
});
