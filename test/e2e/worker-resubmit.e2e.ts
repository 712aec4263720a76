import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeDemoIdNumber } from '../../src/server/demo-seed.js';
import { haveChromium, useJourney, phonePage, staffSession, waitForSmsCode, buttonName } from './harness.js';

// Seeded: 13800000002 (石磊, pending in 鄞州区) and 13800000001 (周建国, verified).
const PHONE = '13800000002';
const OWN_ID = makeDemoIdNumber('19950721', '113');
const SOMEONE_ELSES_ID = makeDemoIdNumber('19880315', '101');
const REASON = '身份证号与姓名不一致';

describe.skipIf(!haveChromium)('worker app: a rejected verification is corrected and resubmitted', () => {
  const j = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await phonePage(j.browser);
    page.setDefaultTimeout(10_000);
  });

  it('shows the reviewer’s reason, maps a server-side ID error to the field, and resubmits', async () => {
    const reviewer = await staffSession(j.platform.url, 'reviewer');
    const queue = (await (await reviewer.get('/api/admin/verifications?status=pending&pageSize=100')).json()) as {
      items: { id: string; phoneMasked: string }[];
    };
    const pending = queue.items.find((v) => v.phoneMasked === '138****0002')!;
    const rejected = await reviewer.post(`/api/admin/verifications/${pending.id}/reject`, { reason: REASON });
    expect(rejected.status).toBe(200);

    // Sign in: consent was given before, so straight to the home screen.
    await page.goto(`${j.platform.url}/worker/`);
    await page.getByLabel('手机号', { exact: true }).fill(PHONE);
    await page.getByTestId('get-code').click();
    await page.getByLabel('验证码', { exact: true }).fill(await waitForSmsCode(j.platform.dataDir, PHONE));
    await page.getByRole('button', { name: buttonName('登录') }).click();

    const banner = page.getByTestId('status-banner');
    await expect.poll(() => banner.getAttribute('data-status')).toBe('rejected');
    expect(await banner.textContent()).toContain(REASON);
    await expect.poll(() => page.locator('.ya-tabbar .adm-badge-content').first().textContent()).toBe('1');
    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/worker-home-rejected.png` });

    await page.getByTestId('verify-cta').click();
    await page.waitForURL(/\/worker\/verify/);
    expect(await page.getByTestId('reject-reason').textContent()).toContain(REASON);
    // What was sent last time is kept, except name and ID number.
    const form = page.locator('form.ya-form');
    expect(await form.getByLabel('平台/公司').inputValue()).toBe('饿了么');
    expect(await page.getByRole('option', { name: '外卖配送' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('area-field').textContent()).toContain('钟公庙');

    // A valid number that belongs to someone else: only the server knows, and says so on the field.
    await form.getByLabel('姓名').fill('石磊');
    await form.getByLabel('身份证号').fill(SOMEONE_ELSES_ID);
    await page.getByTestId('submit-verification').click();
    await expect.poll(() => page.getByText('该身份证号已被其他账号认证').isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/worker/verify');

    await form.getByLabel('身份证号').fill(OWN_ID);
    await page.getByTestId('submit-verification').click();
    await page.waitForURL((u) => u.pathname === '/worker/' || u.pathname === '/worker');
    await expect.poll(() => page.getByTestId('status-banner').getAttribute('data-status')).toBe('pending');
  });
});
