import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { buttonName, call, desktopPage, haveChromium, signInAdmin, staffSession, useJourney, workerSession, type HttpSession } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/admin-pass-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (周建国, 白鹤街道). */
const RIDER = '13800000001';
const BAIHE = '330212011';

/** Opens an antd Select inside `root` (the n-th) and picks the option with this text. */
async function choose(root: Locator, option: string, nth = 0) {
  const page = root.page();
  await root.locator('.ant-select').nth(nth).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

describe.skipIf(!haveChromium)('admin console: the pass section (甬爱码)', () => {
  const j = useJourney();
  let worker: HttpSession;
  let admin: HttpSession;
  let page: Page;
  const places: Record<'station' | 'compound', string> = { station: '', compound: '' };

  beforeAll(async () => {
    // The rider has opened the pass once (that issues it).
    worker = await workerSession(j.platform.url, j.platform.dataDir, RIDER);
    const mine = await call(worker.get('/api/pass/me'));
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.status).toBe('active');

    // A station and a compound in 白鹤街道 for the policy, binding, alert and visit steps.
    admin = await staffSession(j.platform.url, 'admin');
    for (const [type, name, extra] of [
      ['station', '白鹤甬爱驿站（后台码测试）', { hours: '24/7', services: ['rest', 'water'] }],
      ['compound', '白鹤小区（后台码测试）', { hours: '24/7', services: [], access: { mode: 'pass', policy: '出示甬爱码' } }],
    ] as const) {
      const res = await call(admin.post('/api/admin/places', { type, name, areaCode: BAIHE, address: '宁波市鄞州区白鹤街道（测试）', lon: 121.571, lat: 29.861, ...extra }));
      expect(res.status, res.text).toBe(201);
      places[type] = res.body.id;
      expect((await call(admin.post(`/api/admin/places/${res.body.id}/status`, { to: 'active', reason: '浏览器测试上线' }))).status).toBe(200);
    }

    page = await desktopPage(j.browser);
    page.setDefaultTimeout(15_000);
    await signInAdmin(page, j.platform.url, 'admin');
    await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name: '甬爱码' }).click();
    await page.getByRole('heading', { name: '甬爱码（一码畅通）' }).waitFor();
  });

  it('finds a pass by phone, revokes it with a reason (refused at once), and issues a new one', async () => {
    const tab = page.getByTestId('pass-tab-passes');
    await tab.getByLabel('手机号').fill(RIDER);
    await tab.getByRole('button', { name: buttonName('查询') }).click();
    const card = page.getByTestId('pass-card');
    await expect.poll(() => card.getAttribute('data-status')).toBe('active');
    expect(await card.textContent()).toContain('周**');
    expect(await card.textContent()).toContain('138****0001');
    await shot(page, 'found');

    await page.getByTestId('revoke-pass').click();
    const dialog = page.getByRole('dialog', { name: '注销甬爱码' });
    await dialog.waitFor();
    // Both reason and note are required.
    await dialog.getByRole('button', { name: buttonName('注销') }).click();
    await dialog.getByText('请选择原因').waitFor();
    await choose(dialog, '手机丢失');
    await dialog.getByLabel('说明').fill('本人来电报失，已核实身份');
    await shot(page, 'revoke');
    await dialog.getByRole('button', { name: buttonName('注销') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => card.getAttribute('data-status')).toBe('revoked');
    expect(await page.getByTestId('pass-reason').textContent()).toBe('手机丢失');
    expect(await card.textContent()).toContain('本人来电报失，已核实身份');
    await shot(page, 'revoked');

    // The worker's app shows it revoked with the reason, and gets no codes.
    const mine = await call(worker.get('/api/pass/me'));
    expect(mine.body).toMatchObject({ status: 'revoked', reason: 'lost_phone', tokens: [] });

    await page.getByTestId('reissue-pass').click();
    await page.getByRole('dialog', { name: '重新签发甬爱码？' }).getByRole('button', { name: buttonName('重新签发') }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('active');
    const again = await call(worker.get('/api/pass/me'));
    expect(again.body.status).toBe('active');
    expect(again.body.tokens).toHaveLength(6);

    // Every look-up and change is audited.
    const audit = await call(admin.get('/api/admin/audit?pageSize=50'));
    if (audit.status === 200) {
      const actions = (audit.body.items as { action: string }[]).map((i) => i.action);
      expect(actions).toEqual(expect.arrayContaining(['pass.read', 'pass.revoke', 'pass.reissue']));
    }
  });

  it('edits what a scan grants at a place, starting from the default for its type', async () => {
    await page.getByRole('tab', { name: '场所扫码权限' }).click();
    const tab = page.getByTestId('pass-tab-policies');
    await tab.locator('.ant-select').first().click();
    await page.keyboard.type('后台码测试');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '白鹤小区（后台码测试）' }).first().click();
    const editor = page.getByTestId('policy-editor');
    await expect.poll(() => editor.getAttribute('data-default')).toBe('true');
    // A compound's default: entry for every verified worker.
    expect(await page.getByTestId('policy-rule').count()).toBe(1);
    expect(await page.getByTestId('policy-rule').first().textContent()).toContain('小区通行');

    await editor.getByRole('button', { name: '添加规则' }).click();
    const added = page.getByTestId('policy-rule').nth(1);
    await choose(added, '楼宇货梯', 0);
    await choose(added, '外卖配送', 1);
    await page.keyboard.press('Escape');
    await added.getByPlaceholder('如：3号楼货梯 7:00–22:00').fill('3号楼货梯 7:00–22:00');
    await shot(page, 'policy');
    await page.getByTestId('save-policy').click();
    await expect.poll(() => editor.getAttribute('data-default')).toBe('false');

    const saved = await call(admin.get(`/api/admin/places/${places.compound}/pass-policy`));
    expect(saved.body.isDefault).toBe(false);
    expect(saved.body.rules).toEqual([
      expect.objectContaining({ grant: 'entry', industries: [], minLevel: 1 }),
      expect.objectContaining({ grant: 'elevator', industries: ['food_delivery'], minLevel: 1, note: '3号楼货梯 7:00–22:00' }),
    ]);
  });

  it('binds the street scanner account to the station', async () => {
    await page.getByRole('tab', { name: '扫码账号' }).click();
    const table = page.getByTestId('scanners-table');
    const row = table.locator('tbody tr.ant-table-row', { hasText: '白鹤街道 甬爱驿站 站长' });
    await row.waitFor();
    // the demo seed binds this account to a 白鹤街道 station and compound; the test adds its own station
    expect(await row.textContent()).not.toContain('未绑定');
    await row.getByRole('button', { name: '绑定场所 白鹤街道 甬爱驿站 站长' }).click();
    const dialog = page.getByRole('dialog', { name: '为“白鹤街道 甬爱驿站 站长”绑定场所' });
    await dialog.waitFor();
    await dialog.locator('.ant-select').click();
    await page.keyboard.type('白鹤甬爱驿站');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '白鹤甬爱驿站（后台码测试）' }).first().click();
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: buttonName('保存') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row.textContent()).toContain('白鹤甬爱驿站（后台码测试）');
    await shot(page, 'scanners');
  });

  it('lists a copied code seen at two places, and closes the alert; counts the station visit', async () => {
    const { body: mine } = await call(worker.get('/api/pass/me'));
    const token = mine.tokens[0].token as string;
    const scanner = await staffSession(j.platform.url, 'scanner');
    const atStation = await call(scanner.post('/api/scanner/verify', { token, placeId: places.station, eventId: crypto.randomUUID() }));
    expect(atStation.status, atStation.text).toBe(200);
    expect(atStation.body).toMatchObject({ verdict: 'green', grants: ['checkin'], cloneSuspected: false });
    // The same code a moment later at the compound: a copy.
    const atCompound = await call(admin.post('/api/scanner/verify', { token, placeId: places.compound, eventId: crypto.randomUUID() }));
    expect(atCompound.status, atCompound.text).toBe(200);
    expect(atCompound.body.cloneSuspected).toBe(true);

    await page.getByRole('tab', { name: '疑似复制' }).click();
    const rows = page.getByTestId('alerts-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(1);
    const text = (await rows.first().textContent()) ?? '';
    expect(text).toContain('周**');
    expect(text).toContain('白鹤甬爱驿站（后台码测试）');
    expect(text).toContain('白鹤小区（后台码测试）');
    await shot(page, 'alerts');
    await rows.first().getByRole('button', { name: '关闭' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: buttonName('关闭') }).click();
    await expect.poll(() => rows.count()).toBe(0);

    await page.getByRole('tab', { name: '驿站服务人次' }).click();
    const total = page.getByTestId('pass-tab-visits').locator('.ant-statistic-content-value');
    await expect.poll(() => total.textContent()).toBe('1');
    expect(await page.getByTestId('pass-tab-visits').textContent()).toContain('白鹤甬爱驿站（后台码测试）');
    await shot(page, 'visits');
  });

  it('rotates the signing keys: refused during the publication wait, forced after typing the word', async () => {
    await page.getByRole('tab', { name: '签名密钥' }).click();
    const rows = page.getByTestId('keys-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('keys-table').textContent()).toContain('签发中');
    expect(await page.getByTestId('keys-table').textContent()).toContain('待启用（已发布）');

    await page.getByTestId('rotate-keys').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: buttonName('轮换密钥') }).click();
    const force = page.getByRole('dialog', { name: '强制轮换（仅在密钥泄露时使用）' });
    await force.waitFor();
    expect(await force.getByRole('button', { name: buttonName('强制轮换') }).isDisabled()).toBe(true);
    await force.getByTestId('force-word').fill('强制轮换');
    await shot(page, 'force');
    await force.getByRole('button', { name: buttonName('强制轮换') }).click();
    await force.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await page.getByTestId('keys-table').textContent()) ?? '').toContain('已停用');

    // Codes signed before the rotation still verify; new ones are signed by the new key.
    const after = await call(worker.get('/api/pass/me'));
    expect(after.body.tokens).toHaveLength(6);
    await page.context().close();
  });
});
