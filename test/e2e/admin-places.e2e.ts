import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { desktopPage, haveChromium, useJourney, signInAdmin, buttonName } from './harness.js';

/** The antd form item with this label. */
const formItem = (root: Locator, label: string) => root.locator('.ant-form-item', { has: root.page().locator(`label[title="${label}"]`) });

/** Opens an antd Select by its form label and picks the option with this text. */
async function choose(root: Locator, label: string, option: string) {
  const page = root.page();
  await formItem(root, label).locator('.ant-select').first().click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

interface PlaceRow {
  id: string;
  name: string;
  status: string;
  type: string;
  areaCode: string;
  lon: number;
  lat: number;
  hours: string | null;
  services: string[];
}

/** Reads the registry through the API from the page, with the signed-in staff member's cookie. */
async function placesFromPage(page: Page, q: string): Promise<{ total: number; items: PlaceRow[] }> {
  return page.evaluate(async (query) => {
    const res = await fetch(`/api/admin/places?q=${encodeURIComponent(query)}&pageSize=100`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  }, q);
}

const header = 'name,type,area_code,address,longitude,latitude,crs,hours,services,phone,description';
const row = (n: string, lon: string, hours = 'Mo-Su 08:00-20:00') =>
  `白鹤E2E导入驿站${n},station,330212011,宁波市鄞州区白鹤街道百丈东路${n}号,${lon},29.86${n},WGS84,${hours},"rest,water,microwave",0574-8700000${n},导入测试`;

/** Three stations of 白鹤街道; the second one is given a longitude far outside Ningbo. */
function spreadsheet(secondLon: string): Buffer {
  return Buffer.from('\ufeff' + [header, row('1', '121.5601'), row('2', secondLon), row('3', '121.5633')].join('\r\n') + '\r\n', 'utf8');
}

describe.skipIf(!haveChromium)('admin console: staff keep the places registry', () => {
  const j = useJourney();

  it('a street handler imports a spreadsheet: a bad row refuses the whole file with a report, the fixed file imports all rows', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'handler');
    const menu = page.getByRole('navigation', { name: '菜单' });
    await menu.getByRole('menuitem', { name: '场所', exact: true }).click();
    await page.getByRole('tab', { name: '场所列表' }).waitFor();

    await page.getByRole('button', { name: '导入' }).click();
    const dialog = page.getByRole('dialog', { name: '导入场所' });
    await dialog.waitFor();
    // A handler imports drafts only: the activate option is for operators.
    expect(await dialog.getByText('导入后直接上线').count()).toBe(0);

    // Row 3 of the sheet (the second place) is outside the city.
    await dialog.locator('input[type="file"]').setInputFiles({ name: '白鹤驿站.csv', mimeType: 'text/csv', buffer: spreadsheet('131.5602') });
    await dialog.getByText('白鹤驿站.csv').waitFor();
    await dialog.getByRole('button', { name: buttonName('导入') }).click();
    const report = dialog.getByTestId('import-report');
    await report.waitFor();
    await dialog.getByRole('alert').getByText('未导入任何数据').first().waitFor();
    const reportRows = report.locator('tbody tr.ant-table-row');
    expect(await reportRows.count()).toBeGreaterThanOrEqual(1);
    const bad = reportRows.filter({ hasText: '坐标不在本市范围内' }).first();
    await bad.waitFor();
    expect((await bad.locator('td').first().textContent())?.trim()).toBe('3');
    expect(await bad.textContent()).toMatch(/longitude|经度/);
    // The other rows are not named.
    expect(await reportRows.filter({ has: page.locator('td:first-child', { hasText: /^2$/ }) }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/admin-places-import-report.png' });
    expect((await placesFromPage(page, '白鹤E2E导入驿站')).total).toBe(0);

    // The fixed file: checked first (still nothing imported), then imported.
    await dialog.locator('input[type="file"]').setInputFiles({ name: '白鹤驿站-改.csv', mimeType: 'text/csv', buffer: spreadsheet('121.5617') });
    await dialog.getByText('白鹤驿站-改.csv').waitFor();
    expect(await dialog.getByTestId('import-report').count()).toBe(0);
    await dialog.getByRole('button', { name: '先检查' }).click();
    await dialog.getByText('检查通过：3 行都可以导入').waitFor();
    expect((await placesFromPage(page, '白鹤E2E导入驿站')).total).toBe(0);
    await dialog.getByRole('button', { name: buttonName('导入') }).click();
    await dialog.getByText('已导入 3 个场所').waitFor();
    await page.screenshot({ path: '/tmp/admin-places-imported.png' });
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();

    // All three are in the list, as drafts of 白鹤街道.
    await page.getByRole('textbox', { name: '搜索场所' }).fill('白鹤E2E导入驿站');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    const rows = page.getByTestId('places-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    for (const n of ['1', '2', '3']) {
      const r = rows.filter({ hasText: `白鹤E2E导入驿站${n}` });
      expect(await r.textContent()).toContain('草稿');
      expect(await r.textContent()).toContain('驿站');
    }
    const imported = await placesFromPage(page, '白鹤E2E导入驿站');
    expect(imported.total).toBe(3);
    const second = imported.items.find((p) => p.name === '白鹤E2E导入驿站2')!;
    expect(second).toMatchObject({ type: 'station', status: 'draft', areaCode: '330212011', hours: 'Mo-Su 08:00-20:00' });
    expect(second.lon).toBeCloseTo(121.5617, 6);
    expect(second.services).toEqual(expect.arrayContaining(['rest', 'water', 'microwave']));
    await page.screenshot({ path: '/tmp/admin-places-list.png', fullPage: true });
    await page.context().close();
  });

  it('an operator creates a station with the map picker, activates it with a reason and reads the history', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'admin');
    const menu = page.getByRole('navigation', { name: '菜单' });
    await menu.getByRole('menuitem', { name: '场所', exact: true }).click();
    await page.getByRole('button', { name: '新建场所' }).first().click();

    const form = page.getByTestId('place-form');
    await form.waitFor();
    await choose(form, '类型', '驿站');
    await form.getByLabel('名称', { exact: true }).fill('白鹤E2E地图选点驿站');
    await formItem(form, '所属区域').locator('.ant-select, .ant-cascader').first().click();
    const cascader = page.locator('.ant-cascader-dropdown:visible');
    await cascader.locator('.ant-cascader-menu-item', { hasText: '宁波市' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '鄞州区' }).click();
    await cascader.locator('.ant-cascader-menu-item', { hasText: '白鹤街道' }).click();
    await page.keyboard.press('Escape');
    await form.getByTitle('宁波市 / 鄞州区 / 白鹤街道').waitFor();
    await form.getByLabel('地址', { exact: true }).fill('宁波市鄞州区白鹤街道中兴路88号');

    // Saving without a point says where the problem is.
    await page.getByRole('button', { name: '保存' }).click();
    await form.getByText('请在地图上点选或输入坐标').first().waitFor();

    // A click on the map sets longitude and latitude (WGS-84).
    const map = form.getByRole('region', { name: '选点地图' });
    await map.waitFor();
    await map.locator('.leaflet-container').waitFor();
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2 + 40, y: box.height / 2 - 30 } });
    await expect.poll(() => form.getByLabel('经度', { exact: true }).inputValue()).not.toBe('');
    const lon = Number(await form.getByLabel('经度', { exact: true }).inputValue());
    const lat = Number(await form.getByLabel('纬度', { exact: true }).inputValue());
    expect(lon).toBeGreaterThan(120.8);
    expect(lon).toBeLessThan(122.6);
    expect(lat).toBeGreaterThan(28.8);
    expect(lat).toBeLessThan(30.7);
    expect(await map.locator('.leaflet-marker-icon').count()).toBeGreaterThanOrEqual(1);

    // Hours the server cannot read are refused on the field, with nothing saved.
    await form.getByLabel('营业时间', { exact: true }).fill('周一到周五 8点-22点');
    await page.getByRole('button', { name: '保存' }).click();
    await formItem(form, '营业时间').getByText('营业时间格式不正确').waitFor();
    expect((await placesFromPage(page, '白鹤E2E地图选点驿站')).total).toBe(0);
    // An example fills the field.
    await formItem(form, '营业时间').getByText('Mo-Fr 08:00-22:00; Sa,Su 10:00-20:00').click();
    expect(await form.getByLabel('营业时间', { exact: true }).inputValue()).toBe('Mo-Fr 08:00-22:00; Sa,Su 10:00-20:00');
    // Services: typed to filter the list (it is long), each picked from the open dropdown.
    const services = formItem(form, '服务项目');
    await services.locator('.ant-select').first().click();
    for (const label of ['微波炉', '饮水']) {
      await services.locator('input').first().fill(label);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
    }
    await page.keyboard.press('Escape');
    await form.getByLabel('座位/容纳人数').fill('12');
    await page.screenshot({ path: '/tmp/admin-places-create.png' });
    await page.getByRole('button', { name: '保存' }).click();

    // The new place opens as a draft.
    const detail = page.locator('.ant-drawer', { hasText: '状态记录' });
    await detail.getByText('白鹤E2E地图选点驿站').first().waitFor();
    await detail.locator('.ant-drawer-header').getByText('草稿').waitFor();
    const { items } = await placesFromPage(page, '白鹤E2E地图选点驿站');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'station', status: 'draft', areaCode: '330212011', hours: 'Mo-Fr 08:00-22:00; Sa,Su 10:00-20:00' });
    expect(items[0].lon).toBeCloseTo(lon, 6);
    expect(items[0].lat).toBeCloseTo(lat, 6);
    expect(items[0].services).toEqual(expect.arrayContaining(['microwave', 'water']));

    // 上线 asks for a reason first.
    await detail.getByRole('button', { name: buttonName('上线') }).click();
    const reasonDialog = page.getByRole('dialog', { name: '上线场所' });
    await reasonDialog.waitFor();
    await reasonDialog.getByRole('button', { name: buttonName('上线') }).click();
    await reasonDialog.getByText('请填写原因（至少2个字）').waitFor();
    await reasonDialog.getByLabel('原因').fill('已现场核实，设施齐全');
    await reasonDialog.getByRole('button', { name: buttonName('上线') }).click();
    await detail.locator('.ant-drawer-header').getByText('已上线').waitFor();

    // The history names who, when, from → to and why.
    const history = detail.getByTestId('place-history');
    await history.getByText('草稿 → 已上线').waitFor();
    expect(await history.textContent()).toContain('已现场核实，设施齐全');
    expect(await history.textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await page.screenshot({ path: '/tmp/admin-places-history.png' });
    expect((await placesFromPage(page, '白鹤E2E地图选点驿站')).items[0].status).toBe('active');
    // Now active, it can be suspended or closed, not activated again.
    expect(await detail.getByRole('button', { name: buttonName('暂停') }).count()).toBe(1);
    expect(await detail.getByRole('button', { name: buttonName('上线') }).count()).toBe(0);
    await page.context().close();
  });
});
