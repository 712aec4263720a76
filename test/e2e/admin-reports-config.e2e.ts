import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import type { AdminReport, AdminReportSummary, ReportCategory, RoutingRule, UploadedPhoto, WorkerReport } from '../../src/contracts/reports.js';
import type { Department } from '../../src/contracts/staff.js';
import type { PageOf } from '../../src/contracts/common.js';
import { buttonName, desktopPage, haveChromium, json, signInAdmin, staffSession, useJourney, workerSession, type HttpSession } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/admin-reports-config-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (周建国, 白鹤街道). */
const RIDER = '13800000001';
const BAIHE = '330212011';
/** In 白鹤街道, near the demo places. */
const SPOT = { lon: 121.5702, lat: 29.8601 };

const formItem = (root: Locator, label: string) => root.locator('.ant-form-item', { has: root.page().locator(`label[title="${label}"]`) });

/** Opens the antd Select of a form item and picks the option with this text. */
async function choose(root: Locator, label: string, option: string) {
  await formItem(root, label).locator('.ant-select').first().click();
  await root.page().locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** A photo unlike any other, so no two reports share a perceptual hash. */
async function photo(seed: number): Promise<Buffer> {
  const rnd = (n: number) => Math.floor(((Math.sin(seed * 131 + n * 17) + 1) / 2) * 255);
  const rects = Array.from({ length: 8 }, (_, i) => `<rect x="${(rnd(i) * 2) % 560}" y="${(rnd(i + 20) * 2) % 400}" width="${40 + (rnd(i + 40) % 200)}" height="${40 + (rnd(i + 60) % 160)}" fill="rgb(${rnd(i + 1)},${rnd(i + 2)},${rnd(i + 3)})"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="rgb(${rnd(90)},${rnd(91)},${rnd(92)})"/>${rects}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

async function fileReport(worker: HttpSession, seed: number, category: string, description: string, at = SPOT): Promise<WorkerReport> {
  const uploaded = await json<UploadedPhoto>(worker.upload('/api/reports/photos', await photo(seed), 'image/jpeg'), 201);
  return json<WorkerReport>(
    worker.post('/api/reports', {
      clientId: `e2e-config-${seed}-${crypto.randomUUID().slice(0, 8)}`,
      category,
      lon: at.lon,
      lat: at.lat,
      accuracyM: 8,
      locationSource: 'device',
      description,
      photoIds: [uploaded.id],
    }),
    201,
  );
}

/** Polls the staff list until the report has left triage's hands (routing runs right after the submit commits). */
async function waitForStatus(staff: HttpSession, code: string, status: AdminReportSummary['status']): Promise<AdminReportSummary> {
  let last: AdminReportSummary | undefined;
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    const page = await json<PageOf<AdminReportSummary>>(staff.get(`/api/admin/reports?q=${encodeURIComponent(code)}`));
    last = page.items.find((r) => r.code === code);
    if (last?.status === status) return last;
  }
  throw new Error(`${code} is ${last?.status ?? 'not in the list'}, not ${status}`);
}

/** A civic client's POST (urlencoded, as the GeoReport v2 spec shows it). */
function open311Post(base: string, fields: Record<string, string>) {
  return fetch(`${base}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

describe.skipIf(!haveChromium)('admin console: 随手拍 configuration — categories, routing, the map, Open311 clients, the work calendar', () => {
  const j = useJourney();
  let admin: HttpSession;
  let worker: HttpSession;
  let page: Page;
  let routed: WorkerReport;

  const tab = async (name: string) => {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tab', { name, selected: true }).waitFor();
  };

  beforeAll(async () => {
    admin = await staffSession(j.platform.url, 'admin');
    worker = await workerSession(j.platform.url, j.platform.dataDir, RIDER);
    page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '随手拍' }).click();
    await page.getByRole('heading', { name: '随手拍' }).waitFor();
  });

  it('an operator edits a category and routes it in one street to a department; a report filed there is routed by that rule', async () => {
    // 问题类别: 路灯不亮 gets a wider nearby hint and a shorter deadline.
    await tab('问题类别');
    const categories = page.getByTestId('categories-table');
    const row = categories.locator('tbody tr.ant-table-row').filter({ hasText: '路灯不亮' });
    await row.waitFor();
    expect(await row.innerText()).toContain('250 米内 5 条');
    await row.getByRole('button', { name: '编辑 路灯不亮' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑类别 · 路灯不亮' });
    await dialog.getByLabel('附近提示半径（米）').fill('400');
    await dialog.getByLabel('办理期限（工作日）').fill('2');
    await shot(page, 'category');
    await dialog.getByRole('button', { name: buttonName('保存') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.innerText()).toContain('400 米内 5 条');
    expect(await row.innerText()).toContain('2 个工作日');
    const saved = (await json<ReportCategory[]>(admin.get('/api/admin/reports/categories'))).find((c) => c.code === 'street_light')!;
    expect(saved).toMatchObject({ dedupeRadiusM: 400, deadlineWorkingDays: 2, nameZh: '路灯不亮', active: true });

    // 分流规则: 路灯不亮 in 白鹤街道 → 住建.
    await tab('分流规则');
    await page.getByRole('button', { name: '新增规则' }).click();
    const form = page.getByRole('dialog', { name: '新增分流规则' });
    await choose(form, '类别', '路灯不亮');
    await formItem(form, '区域').locator('.ant-cascader, .ant-select').first().click();
    const cascader = page.locator('.ant-cascader-dropdown:visible');
    await cascader.locator('.ant-cascader-menu-item', { hasText: '宁波市' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '鄞州区' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '白鹤街道' }).click();
    await page.keyboard.press('Escape');
    await choose(form, '承办部门', '住房和城乡建设局');
    await form.getByLabel('优先级').fill('900');
    await form.getByLabel('备注').fill('白鹤街道路灯由住建养护');
    await shot(page, 'routing-rule');
    await form.getByRole('button', { name: buttonName('保存') }).click();
    await form.waitFor({ state: 'hidden' });
    const ruleRow = page.getByTestId('routing-table').locator('tbody tr.ant-table-row').filter({ hasText: '白鹤街道路灯由住建养护' });
    await ruleRow.waitFor();
    const ruleText = await ruleRow.innerText();
    expect(ruleText).toContain('路灯不亮');
    expect(ruleText).toContain(`白鹤街道 (${BAIHE})`);
    expect(ruleText).toContain('住房和城乡建设局');
    const departments = await json<Department[]>(admin.get('/api/admin/departments'));
    const housing = departments.find((d) => d.code === 'housing')!;
    const rule = (await json<RoutingRule[]>(admin.get('/api/admin/reports/routing-rules'))).find((r) => r.note === '白鹤街道路灯由住建养护')!;
    expect(rule).toMatchObject({ category: 'street_light', areaPrefix: BAIHE, departmentId: housing.id, priority: 900, active: true });

    // A rider reports a dark street light in 白鹤街道: the rule sends it to 住建 with the category's deadline.
    routed = await fileReport(worker, 1, 'street_light', '白鹤街道菜场旁整段路灯不亮，晚上送餐看不清路');
    const summary = await waitForStatus(admin, routed.code, 'dispatched');
    expect(summary.departmentId).toBe(housing.id);
    const detail = await json<AdminReport>(admin.get(`/api/admin/reports/${routed.id}`));
    expect(detail.routingRuleId).toBe(rule.id);

    // The drawer says who got it and by which rule.
    await tab('工单队列');
    const queueRow = page.getByTestId('reports-table').locator('tbody tr.ant-table-row').filter({ hasText: routed.code });
    await queueRow.waitFor();
    expect(await queueRow.innerText()).toContain('住房和城乡建设局');
    await queueRow.getByRole('link', { name: `查看 ${routed.code}`, exact: true }).click();
    const drawer = page.getByTestId('report-drawer');
    await drawer.getByText(`随手拍 ${routed.code}`).waitFor();
    const event = drawer.getByTestId('timeline-event').and(page.locator('[data-type="routed"]'));
    await event.waitFor();
    const eventText = await event.innerText();
    expect(eventText).toContain('住房和城乡建设局');
    // the rule in words, not its id
    expect(eventText).toContain('按规则 路灯不亮 × 白鹤街道 → 住房和城乡建设局 · 白鹤街道路灯由住建养护');
    await shot(page, 'routed-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it("the queue's map shows the reports as markers; clicking one opens its drawer", async () => {
    const second = await fileReport(worker, 2, 'garbage', '小区门口建筑垃圾堆放', { lon: SPOT.lon + 0.003, lat: SPOT.lat - 0.002 });
    await waitForStatus(admin, second.code, 'dispatched').catch(() => waitForStatus(admin, second.code, 'pending_triage'));
    await tab('工单队列');
    await page.getByTestId('queue-view').getByText('地图', { exact: true }).click();
    const map = page.getByRole('region', { name: '随手拍地图' });
    await map.waitFor();
    const marker = (code: string) => map.getByRole('button', { name: new RegExp(`^查看 ${code}（`) });
    await marker(routed.code).waitFor();
    await marker(second.code).waitFor();
    expect(await marker(routed.code).getAttribute('aria-label')).toBe(`查看 ${routed.code}（已交办）`);
    const all = await json<PageOf<AdminReportSummary>>(admin.get('/api/admin/reports?pageSize=100'));
    expect(await map.locator('.ya-report-marker').count()).toBeGreaterThanOrEqual(Math.min(2, all.total));
    await shot(page, 'map');

    await marker(second.code).click();
    const drawer = page.getByTestId('report-drawer');
    await drawer.getByText(`随手拍 ${second.code}`).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    // and from the keyboard
    await marker(routed.code).focus();
    await page.keyboard.press('Enter');
    await drawer.getByText(`随手拍 ${routed.code}`).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.getByTestId('queue-view').getByText('列表', { exact: true }).click();
  });

  it('Open311: a client system gets a key shown once; its POST lands in the queue; once disabled the key is refused (403)', async () => {
    await tab('Open311 接入');
    await page.getByRole('button', { name: '新增客户端' }).click();
    const dialog = page.getByRole('dialog', { name: '新增客户端' });
    await dialog.getByLabel('名称').fill('宁波12345热线（浏览器测试）');
    await dialog.getByRole('button', { name: buttonName('新建') }).click();
    const created = page.getByRole('dialog', { name: '客户端已创建' });
    const apiKey = ((await created.getByTestId('open311-key').innerText()) ?? '').trim();
    expect(apiKey).toMatch(/^\S{20,}$/);
    // and where the other system starts: the discovery file
    const discovery = (await created.getByTestId('open311-endpoint').innerText()).trim();
    expect(discovery).toBe(`${j.platform.url}/open311/v2/discovery.json`);
    const found = await fetch(discovery);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { endpoints: unknown[] }).endpoints.length).toBeGreaterThan(0);
    await shot(page, 'open311-key');
    await created.getByRole('button', { name: '我已复制' }).click();
    await created.waitFor({ state: 'hidden' });
    const row = page.getByTestId('open311-table').locator('tbody tr.ant-table-row').filter({ hasText: '宁波12345热线（浏览器测试）' });
    await row.waitFor();
    // the list shows only the key's prefix, never the key
    const rowText = await row.innerText();
    expect(rowText).toContain('启用');
    expect(rowText).not.toContain(apiKey);
    const prefix = (await row.locator('code').innerText()).replace(/…$/, '');
    expect(prefix.length).toBeGreaterThan(3);
    expect(apiKey.startsWith(prefix)).toBe(true);

    // The civic client files a request with the key.
    const posted = await open311Post(j.platform.url, {
      api_key: apiKey,
      jurisdiction_id: '3302',
      service_code: 'garbage',
      lat: String(SPOT.lat + 0.001),
      long: String(SPOT.lon - 0.001),
      description: '白鹤街道小区门口垃圾堆放多日无人清运\r\n请尽快处理',
    });
    const postedBody = await posted.text();
    expect(posted.status, postedBody).toBe(200);
    const [{ service_request_id: code }] = JSON.parse(postedBody) as { service_request_id: string }[];
    expect(code).toEqual(expect.any(String));

    // It appears in the queue (searched by its code), from Open311.
    await tab('工单队列');
    const filters = page.getByTestId('queue-filters');
    await filters.getByLabel('编号、描述或地址').fill(code);
    await filters.getByLabel('编号、描述或地址').press('Enter');
    const queueRow = page.getByTestId('reports-table').locator('tbody tr.ant-table-row').filter({ hasText: code });
    await queueRow.waitFor();
    expect(await queueRow.innerText()).toContain('白鹤街道小区门口垃圾堆放多日无人清运');
    await queueRow.getByRole('link', { name: `查看 ${code}`, exact: true }).click();
    const drawer = page.getByTestId('report-drawer');
    await drawer.getByText(`随手拍 ${code}`).waitFor();
    expect(await drawer.innerText()).toContain('Open311');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    // the list's "last used" column now has a time
    await tab('Open311 接入');
    await expect.poll(async () => (await row.locator('td').nth(4).innerText()).trim()).not.toBe('—');

    // Disable the client: its key is refused at once, in the spec's error format.
    await row.getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: buttonName('停用') }).click();
    await expect.poll(() => row.innerText()).toContain('已停用');
    expect(await row.getByRole('button', { name: '停用' }).count()).toBe(0);
    const refused = await open311Post(j.platform.url, { api_key: apiKey, service_code: 'garbage', lat: String(SPOT.lat), long: String(SPOT.lon), description: '再次提交' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    await shot(page, 'open311-disabled');
  });

  it("the work calendar shows the year's days off and make-up working days, and an operator loads another year", async () => {
    await tab('工作日历');
    const year = page.getByLabel('年份');
    await year.fill('2026');
    await year.press('Tab');
    await expect.poll(() => page.getByTestId('calendar-source').getAttribute('data-source')).toBe('bundled');
    const grid = page.getByTestId('calendar-grid');
    for (const d of ['01', '02', '03', '04', '05', '06', '07']) expect(await grid.locator(`[data-date="2026-10-${d}"]`).getAttribute('data-kind'), `2026-10-${d}`).toBe('holiday');
    expect(await grid.locator('[data-date="2026-10-10"]').getAttribute('data-kind')).toBe('workday');
    expect(await grid.locator('[data-date="2026-10-08"]').getAttribute('data-kind')).toBeNull();
    const days = page.getByTestId('calendar-days');
    const tenTen = days.locator('tbody tr').filter({ hasText: '2026-10-10' });
    expect(await tenTen.innerText()).toMatch(/调休上班[\s\S]*国庆节/);
    expect(await days.locator('tbody tr').filter({ hasText: '2026-10-01' }).innerText()).toMatch(/节假日[\s\S]*国庆节/);
    await shot(page, 'calendar-2026');

    // A year with nothing loaded counts only weekends, and says so.
    await year.fill('2031');
    await year.press('Tab');
    await expect.poll(() => page.getByTestId('calendar-source').getAttribute('data-source')).toBe('weekends_only');
    await page.getByText('该年份尚未导入节假日安排').waitFor();

    await page.getByTestId('calendar-load').click();
    const dialog = page.getByRole('dialog', { name: '导入 2031 年节假日安排' });
    const paste = dialog.getByLabel('导入 2031 年节假日安排');
    await paste.fill('2031-01-01 holiday 元旦\n2031-10-0x holiday 国庆节');
    await dialog.getByTestId('calendar-preview').getByText('第 2 行无法识别').waitFor();
    expect(await dialog.getByRole('button', { name: buttonName('导入节假日安排') }).isDisabled()).toBe(true);
    await paste.fill(['2031-01-01 holiday 元旦', '2031-10-01\tholiday\t国庆节', '2031-10-02, holiday, 国庆节', '2031-10-11 workday 国庆节'].join('\n'));
    await dialog.getByTestId('calendar-preview').getByText('将导入 3 个节假日、1 个调休上班日').waitFor();
    await dialog.getByRole('button', { name: buttonName('导入节假日安排') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('calendar-source').getAttribute('data-source')).toBe('operator');
    expect(await grid.locator('[data-date="2031-10-01"]').getAttribute('data-kind')).toBe('holiday');
    expect(await grid.locator('[data-date="2031-10-11"]').getAttribute('data-kind')).toBe('workday');
    await shot(page, 'calendar-loaded');

    const stored = await json<{ year: number; source: string; days: { date: string; kind: string; name: string }[] }>(admin.get('/api/admin/calendar/2031'));
    expect(stored.source).toBe('operator');
    expect(stored.days).toEqual([
      { date: '2031-01-01', kind: 'holiday', name: '元旦' },
      { date: '2031-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2031-10-02', kind: 'holiday', name: '国庆节' },
      { date: '2031-10-11', kind: 'workday', name: '国庆节' },
    ]);
  });
});
