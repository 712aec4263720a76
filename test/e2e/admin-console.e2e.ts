import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { desktopPage, haveChromium, useJourney, signInAdmin } from './harness.js';

import { DEMO_PASSWORD as PASSWORD } from '../../src/server/demo-seed.js';

describe.skipIf(!haveChromium)('admin console: an operator looks up personal data, reads the audit log, unlocks an account, changes their password', () => {
  const j = useJourney();

  it('shows plaintext once, with a reason that lands in the audit log', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'admin');
    const menu = page.getByRole('navigation', { name: '菜单' });
    await menu.getByRole('menuitem', { name: '人员', exact: true }).click();

    const table = page.getByTestId('workers-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByLabel('手机号', { exact: true }).fill('13800000002');
    await page.getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await table.textContent()).toContain('138****0002');

    await table.getByRole('button', { name: '详情' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByTestId('unmask-phone').click();
    const dialog = page.getByRole('dialog', { name: '查看明文信息' });
    await dialog.getByRole('button', { name: '查看' }).click();
    await dialog.getByText('请填写查看原因（至少4个字）').waitFor();
    await dialog.getByLabel('查看原因').fill('核实诉求当事人身份 工单 A-1024');
    await dialog.getByRole('button', { name: '查看' }).click();
    await expect.poll(() => dialog.getByTestId('unmask-value').textContent()).toBe('13800000002');
    await page.screenshot({ path: '/tmp/admin-unmask.png' });
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Asked again, the plaintext is gone: a new reason is needed.
    await drawer.getByTestId('unmask-phone').click();
    await dialog.getByLabel('查看原因').waitFor();
    expect(await dialog.getByTestId('unmask-value').count()).toBe(0);
    await dialog.getByRole('button', { name: '取消' }).click();
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    // 审计日志 has the look-up with its reason.
    await menu.getByRole('menuitem', { name: '审计日志' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByLabel('操作', { exact: true }).fill('workers.unmask');
    await page.getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => audit.locator('tbody tr.ant-table-row').count()).toBe(1);
    const row = audit.locator('tbody tr.ant-table-row').first();
    expect(await row.textContent()).toContain('admin');
    await row.getByRole('button').first().click(); // expand
    await audit.getByText('核实诉求当事人身份 工单 A-1024', { exact: false }).waitFor();
    await page.screenshot({ path: '/tmp/admin-audit.png' });
    await page.context().close();
  });

  it('a locked account is shown as locked at sign-in and unlocked by the operator', async () => {
    const page = await desktopPage(j.browser);
    for (let i = 0; i < 5; i++) await signInAdmin(page, j.platform.url, 'grid', `wrong-password-${i}`).then(() => page.getByTestId('sign-in-error').waitFor());
    await signInAdmin(page, j.platform.url, 'grid');
    await expect.poll(() => page.getByTestId('sign-in-error').getAttribute('data-code')).toBe('auth.account_locked');
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('账号已锁定');
    await page.screenshot({ path: '/tmp/admin-signin-locked.png' });

    await signInAdmin(page, j.platform.url, 'admin');
    const menu = page.getByRole('navigation', { name: '菜单' });
    await menu.getByRole('menuitem', { name: '账号', exact: true }).click();
    const row = page.getByTestId('staff-table').locator('tr', { hasText: '网格员' });
    await expect.poll(() => row.textContent()).toContain('已锁定');
    await row.getByRole('button', { name: '更多' }).click();
    await page.getByRole('menuitem', { name: '解锁' }).click();
    await expect.poll(() => row.textContent()).toContain('正常');
    await page.getByRole('button', { name: '退出登录' }).click();

    await signInAdmin(page, j.platform.url, 'grid');
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('网格员');
    await page.context().close();
  });

  it('changes their own password, stays signed in, and works in English', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'hotline');
    const menu = page.getByRole('navigation', { name: '菜单' });
    await menu.getByRole('menuitem', { name: '账号设置' }).click();

    await page.getByLabel('当前密码').fill('not-my-password1');
    await page.getByLabel('新密码', { exact: true }).fill('Hotline2026new');
    await page.getByLabel('确认新密码').fill('Hotline2026new');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('当前密码不正确').waitFor();

    await page.getByLabel('当前密码').fill(PASSWORD);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('密码已修改').waitFor();
    // The renewed session (and CSRF token) keeps working for writes and across a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('12345热线坐席');

    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    const menuEn = page.getByRole('navigation', { name: 'Menu' });
    await menuEn.getByRole('menuitem', { name: 'My account' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain('12345 hotline agent');
    await menuEn.getByRole('menuitem', { name: 'Workers' }).click();
    await page.getByTestId('workers-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.screenshot({ path: '/tmp/admin-workers-en.png' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username', { exact: true }).fill('hotline');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('Wrong username or password');
    await page.getByLabel('Password', { exact: true }).fill('Hotline2026new');
    await page.locator('form button[type="submit"]').click();
    await page.getByTestId('current-user').waitFor();
    await page.context().close();
  });
});
