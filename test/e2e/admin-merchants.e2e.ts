import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { desktopPage, haveChromium, signInAdmin, useJourney, buttonName } from './harness.js';
import { DEMO_APPLIED_MERCHANT } from '../../src/modules/merchants/merchants.demo-seed.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/admin-merchants-${name}.png`, fullPage: true });
}

/** What a worker's app would get: the public place page and the nearby merchants around it, read from the page. */
async function workerView(page: Page, placeId: string): Promise<{ detail: number; nearbyIds: string[] }> {
  return page.evaluate(async (id) => {
    const detail = await fetch(`/api/places/${id}`);
    // the demo merchant stands in 白鹤街道; search around the street's centre
    const near = await fetch('/api/places/nearby?lon=121.57&lat=29.86&types=merchant&radiusM=5000&limit=200');
    if (!near.ok) throw new Error(`nearby: HTTP ${near.status}`);
    const body = (await near.json()) as { items: { id: string }[] };
    return { detail: detail.status, nearbyIds: body.items.map((i) => i.id) };
  }, placeId);
}

describe.skipIf(!haveChromium)('admin console: the operator certifies a merchant, who then appears to workers', () => {
  const j = useJourney();

  it('finds the applied merchant, passes its review, certifies it, and workers can see it', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');

    // 商家认证 in the menu; the queue opens on 待审核.
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '商家认证' }).click();
    await page.getByRole('heading', { name: '商家认证（进管出）' }).waitFor();
    expect(await page.getByRole('tab', { name: '待审核', selected: true }).count()).toBe(1);

    // Search the queue by the shop's name.
    const search = page.getByLabel('搜索', { exact: true });
    await search.fill(DEMO_APPLIED_MERCHANT);
    await search.press('Enter');
    const rows = page.getByTestId('merchants-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.filter({ hasText: DEMO_APPLIED_MERCHANT });
    await row.getByText('已申请').waitFor();
    await shot(page, 'queue');

    // Not visible to workers yet.
    await row.getByRole('button', { name: `详情 ${DEMO_APPLIED_MERCHANT}` }).click();
    const drawer = page.getByRole('dialog', { name: `认证详情 · ${DEMO_APPLIED_MERCHANT}` });
    await drawer.waitFor();
    await drawer.getByText('提交申请').waitFor();
    const placeId = await page.evaluate(async (name) => {
      const res = await fetch(`/api/admin/merchants/applications?state=applied&q=${encodeURIComponent(name)}`);
      const body = (await res.json()) as { items: { placeId: string }[] };
      return body.items[0]!.placeId;
    }, DEMO_APPLIED_MERCHANT);
    const before = await workerView(page, placeId);
    expect(before.detail).toBe(404);
    expect(before.nearbyIds).not.toContain(placeId);

    // Review: inspection passed.
    await drawer.getByRole('button', { name: '审核通过' }).click();
    const review = page.getByRole('dialog', { name: '审核通过' });
    await review.waitFor();
    await review.getByLabel('核查意见（选填）').fill('现场核查通过，10元爱心餐已上架');
    await shot(page, 'review');
    await review.getByRole('button', { name: '审核通过' }).click();
    await review.waitFor({ state: 'hidden' });
    await drawer.getByText('审核通过（现场核查）').waitFor();
    await drawer.getByText('现场核查通过，10元爱心餐已上架').waitFor();

    // Certify.
    await drawer.getByRole('button', { name: buttonName('认证') }).click();
    const certify = page.getByRole('dialog', { name: '认证商家' });
    await certify.waitFor();
    await certify.getByRole('button', { name: buttonName('认证') }).click();
    await certify.waitFor({ state: 'hidden' });
    await drawer.getByText('认证通过').waitFor();
    await drawer.getByText('已认证').first().waitFor();
    // a certified merchant can be warned or suspended, no longer certified again
    await drawer.getByRole('button', { name: '暂停' }).waitFor();
    expect(await drawer.getByRole('button', { name: buttonName('认证') }).count()).toBe(0);
    await shot(page, 'certified');
    // The close button, not Escape: antd's drawer only hears keys while focus is inside it, and the
    // certify dialog that just closed may have left focus on the page body.
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    // It left the 待审核 queue and is under 已认证.
    await expect.poll(() => rows.count()).toBe(0);
    await page.getByRole('tab', { name: '已认证' }).click();
    await expect.poll(() => rows.filter({ hasText: DEMO_APPLIED_MERCHANT }).count()).toBe(1);

    // Workers now see it: its public page, and in the nearby merchants.
    const after = await workerView(page, placeId);
    expect(after.detail).toBe(200);
    expect(after.nearbyIds).toContain(placeId);
    await page.context().close();
  });

  it('adds a charging operator whose key is shown once and works on the operator API; the seeded cabinets show their state', async () => {
    const page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '充换电' }).click();
    const operators = page.getByTestId('charging-operators-table').locator('tbody tr.ant-table-row');
    await operators.filter({ hasText: '铁塔换电' }).waitFor();

    await page.getByRole('button', { name: '新增运营商' }).click();
    const create = page.getByRole('dialog', { name: '新增换电运营商' });
    await create.getByLabel('运营商名称').fill('甬城换电');
    await create.getByRole('button', { name: '新建' }).click();
    const keyDialog = page.getByRole('dialog', { name: '甬城换电 的 API 密钥' });
    await keyDialog.getByText('密钥只显示这一次').waitFor();
    const apiKey = await keyDialog.getByLabel('API 密钥').inputValue();
    expect(apiKey).toMatch(/^yk_[A-Za-z0-9_-]{43}$/);
    await shot(page, 'api-key');
    await keyDialog.getByRole('button', { name: '我已保存' }).click();
    await keyDialog.waitFor({ state: 'hidden' });
    const row = operators.filter({ hasText: '甬城换电' });
    await row.getByText(`${apiKey.slice(0, 8)}…`).waitFor();
    expect(await page.getByText(apiKey).count()).toBe(0);

    // The key works on the operator API (from the operator's own system, not the browser session).
    const siteId = (await j.platform.services.places.idsOfType('3302', 'charging', 1))[0]!;
    const put = await fetch(`${j.platform.url}/api/charging/v1/cabinets/YC-0001`, {
      method: 'PUT',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ placeId: siteId, name: '甬城1号柜', slots: 12, readyBatteries: 7, online: true }),
    });
    expect(put.status, await put.clone().text()).toBe(201);

    // The cabinets tab lists it, available, with the seeded ones.
    await page.getByRole('tab', { name: '换电柜' }).click();
    const cabinets = page.getByTestId('charging-cabinets-table').locator('tbody tr.ant-table-row');
    await cabinets.first().waitFor();
    await page.getByLabel('搜索', { exact: true }).fill('甬城');
    await page.getByLabel('搜索', { exact: true }).press('Enter');
    await expect.poll(() => cabinets.count()).toBe(1);
    await cabinets.first().getByText('有电池').waitFor();
    await shot(page, 'cabinets');
    await page.context().close();
  });
});
