import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { desktopPage, haveChromium, useJourney, signInAdmin, buttonName } from './harness.js';

interface VerificationPage {
  total: number;
  items: { id: string; phoneMasked: string; status: string; reason: string | null }[];
}

/** Reads the queue through the API from the page, with the signed-in reviewer's cookie. */
async function listFromPage(page: Page, status: string): Promise<VerificationPage> {
  return page.evaluate(async (s) => {
    const res = await fetch(`/api/admin/verifications?status=${s}&pageSize=100`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  }, status);
}

describe.skipIf(!haveChromium)('admin console: a reviewer works the verification queue', () => {
  const j = useJourney();

  it('shows a clear error for a wrong password and stays on the sign-in screen', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'reviewer', 'not-the-password1');
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('用户名或密码错误');
    expect(await page.getByTestId('sign-in-error').getAttribute('data-code')).toBe('auth.invalid_credentials');
    await page.screenshot({ path: '/tmp/admin-signin-error.png' });
    await page.getByRole('button', { name: buttonName('登录') }).waitFor();
    expect(await page.getByTestId('current-user').count()).toBe(0);
    await page.context().close();
  });

  it('approves one application and rejects another with a reason; the queue and the records follow', async () => {
    const page = await desktopPage(j.browser);
    await signInAdmin(page, j.platform.url, 'reviewer');

    // The reviewer lands on the queue; the menu holds only what a reviewer may use.
    const menu = page.getByRole('navigation', { name: '菜单' });
    await menu.getByRole('menuitem', { name: '实名审核' }).waitFor();
    expect(await menu.getByRole('menuitem', { name: '人员' }).isVisible()).toBe(true);
    expect(await menu.getByRole('menuitem', { name: '账号', exact: true }).count()).toBe(0);
    expect(await menu.getByRole('menuitem', { name: '部门' }).count()).toBe(0);
    expect(await menu.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('实名审核员');

    const rows = page.getByTestId('verifications-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    const before = await listFromPage(page, 'pending');
    expect(before.total).toBeGreaterThanOrEqual(2);
    expect(await rows.count()).toBe(before.total);
    await page.screenshot({ path: '/tmp/admin-verifications.png', fullPage: true });

    // Approve the first, after confirming.
    const approvedPhone = (await rows.first().locator('td').nth(2).textContent())!.trim();
    await rows.first().getByRole('button', { name: '通过' }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.locator('.ant-modal-confirm-title', { hasText: '确认通过该实名申请？' }).waitFor();
    await confirm.getByRole('button', { name: '通过' }).click();
    await expect.poll(() => rows.count()).toBe(before.total - 1);
    expect(await rows.filter({ hasText: approvedPhone }).count()).toBe(0);

    // Reject the next one; the reason is required.
    const rejectedPhone = (await rows.first().locator('td').nth(2).textContent())!.trim();
    await rows.first().getByRole('button', { name: '驳回' }).click();
    const dialog = page.getByRole('dialog', { name: '驳回实名申请' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '驳回' }).click();
    await dialog.getByText('请填写驳回原因（至少2个字）').waitFor();
    await dialog.getByLabel('驳回原因').fill('身份证照片与姓名不符，请核对后重新提交');
    await page.screenshot({ path: '/tmp/admin-reject.png' });
    await dialog.getByRole('button', { name: '驳回' }).click();
    await expect.poll(() => rows.count()).toBe(before.total - 2);
    expect(await rows.filter({ hasText: rejectedPhone }).count()).toBe(0);

    // The records changed on the server.
    const approved = await listFromPage(page, 'approved');
    expect(approved.items.some((i) => i.phoneMasked === approvedPhone)).toBe(true);
    const rejected = await listFromPage(page, 'rejected');
    const r = rejected.items.find((i) => i.phoneMasked === rejectedPhone);
    expect(r?.reason).toBe('身份证照片与姓名不符，请核对后重新提交');
    expect((await listFromPage(page, 'pending')).total).toBe(before.total - 2);

    // The 已通过 tab lists the approved one.
    await page.getByRole('tab', { name: '已通过' }).click();
    await expect.poll(() => rows.filter({ hasText: approvedPhone }).count()).toBe(1);

    // The detail drawer shows the rejection reason.
    await page.getByRole('tab', { name: '未通过' }).click();
    const rejectedRow = rows.filter({ hasText: rejectedPhone });
    await rejectedRow.waitFor();
    await rejectedRow.getByRole('button', { name: '详情' }).click();
    await page.locator('.ant-drawer').getByText('身份证照片与姓名不符').waitFor();
    await page.screenshot({ path: '/tmp/admin-verification-drawer.png' });
    await page.context().close();
  });
});
