import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { idNumberCheckChar } from '../../src/shared/id-number.js';
import { haveChromium, useJourney, phonePage, staffSession, waitForSmsCode, buttonName } from './harness.js';

const PHONE = '13900001111';
const NAME = '张伟';
/** Born 6 May 1990 in 鄞州区 (330212), with its real check character. */
const ID_BODY = '33021219900506123';
const ID_NUMBER = ID_BODY + idNumberCheckChar(ID_BODY);
const WRONG_CHECK = ID_BODY + (idNumberCheckChar(ID_BODY) === '0' ? '1' : '0');
const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/worker-${name}.png`, fullPage: true });
}

describe.skipIf(!haveChromium)('worker app: sign up, verify, get approved', () => {
  const j = useJourney();
  let page: Page;

  beforeAll(async () => {
    page = await phonePage(j.browser);
    page.setDefaultTimeout(10_000);
  });

  it('signs in with an SMS code and accepts the privacy notice', async () => {
    await page.goto(`${j.platform.url}/worker/`);
    await page.waitForURL(/\/worker\/signin/);
    await expect.poll(() => page.getByRole('button', { name: '获取验证码' }).isVisible()).toBe(true);
    await shot(page, 'signin');

    // A malformed phone is caught before anything is sent.
    await page.getByLabel('手机号', { exact: true }).fill('1390000');
    await page.getByTestId('get-code').click();
    await expect.poll(() => page.getByTestId('phone-error').textContent()).toContain('请输入正确的11位手机号');

    await page.getByLabel('手机号', { exact: true }).fill(PHONE);
    await page.getByTestId('get-code').click();
    await page.getByTestId('code-sent').waitFor();
    expect(await page.getByTestId('code-sent').textContent()).toContain('139****1111');
    // The resend button counts down instead of inviting a rate-limited retry.
    expect(await page.getByTestId('get-code').textContent()).toMatch(/\d+秒后重发/);

    // A wrong code gets an inline error.
    const code = await waitForSmsCode(j.platform.dataDir, PHONE);
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('验证码', { exact: true }).fill(wrong);
    await page.getByRole('button', { name: buttonName('登录') }).click();
    await expect.poll(() => page.getByTestId('code-error').textContent()).toContain('验证码不正确');

    await page.getByLabel('验证码', { exact: true }).fill(code);
    await page.getByRole('button', { name: buttonName('登录') }).click();

    // A new worker is shown the privacy notice first.
    await page.waitForURL(/\/worker\/privacy/);
    const notice = page.getByTestId('privacy-notice');
    await notice.waitFor();
    for (const text of ['身份证', '加密', '个人信息保护法', '撤回同意', '版本：2026-11-01']) expect(await notice.textContent()).toContain(text);
    await shot(page, 'privacy');
    await page.getByTestId('accept-privacy').click();
    await page.waitForURL(/\/worker\/verify/);
  });

  it('rejects a mistyped ID number inline without sending anything, then submits verification', async () => {
    const submissions: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/worker/me/verification')) submissions.push(r.url());
    });

    await page.getByTestId('submit-verification').waitFor();
    await shot(page, 'verify');
    // Labels carry the required mark (*姓名), so match within the form rather than exactly.
    const form = page.locator('form.ya-form');
    await form.getByLabel('姓名').fill(NAME);
    await form.getByLabel('身份证号').fill(WRONG_CHECK);
    // Checked as soon as the field is left, with the server's own rule.
    await form.getByLabel('身份证号').blur();
    await expect.poll(() => page.getByText('身份证号码校验不通过，请核对').isVisible()).toBe(true);
    await page.getByText('外卖配送', { exact: true }).click();
    expect(await page.getByRole('option', { name: '外卖配送' }).getAttribute('aria-selected')).toBe('true');
    await form.getByLabel('平台/公司').fill('美团');
    await form.getByLabel('所属站点').fill('白鹤站');
    await page.getByTestId('area-field').click();
    await page.getByText('鄞州区', { exact: true }).click();
    await page.getByText('白鹤街道', { exact: true }).click();
    await page.getByTestId('area-street-only').click();
    await expect.poll(() => page.getByTestId('area-field').textContent()).toBe('鄞州区 · 白鹤街道');

    await page.getByTestId('submit-verification').click();
    await expect.poll(() => page.getByText('身份证号码校验不通过，请核对').isVisible()).toBe(true);
    await shot(page, 'verify-bad-id');
    expect(submissions).toHaveLength(0);

    await form.getByLabel('身份证号').fill(ID_NUMBER);
    await page.getByTestId('submit-verification').click();
    await page.waitForURL((u) => u.pathname === '/worker/' || u.pathname === '/worker');
    expect(submissions).toHaveLength(1);

    const banner = page.getByTestId('status-banner');
    await expect.poll(() => banner.getAttribute('data-status')).toBe('pending');
    expect(await banner.textContent()).toContain('审核中');
    await shot(page, 'home-pending');
  });

  it('shows 已实名 and the approval message once a reviewer approves', async () => {
    const reviewer = await staffSession(j.platform.url, 'reviewer', 'Yongai@2026');
    const queue = (await (await reviewer.get('/api/admin/verifications?status=pending&pageSize=100')).json()) as {
      items: { id: string; phoneMasked: string; nameMasked: string; idNumberMasked: string }[];
    };
    const mine = queue.items.find((v) => v.phoneMasked === '139****1111');
    expect(mine).toBeDefined();
    expect(mine!.nameMasked).toBe('张*');
    expect((await reviewer.post(`/api/admin/verifications/${mine!.id}/approve`)).status).toBe(200);

    await page.reload();
    const banner = page.getByTestId('status-banner');
    await expect.poll(() => banner.getAttribute('data-status')).toBe('approved');
    expect(await banner.textContent()).toContain('已实名');
    // The unread badge on the 消息 tab.
    await expect.poll(() => page.locator('.ya-tabbar .adm-badge-content').first().textContent()).toBe('1');
    await shot(page, 'home-approved');

    await page.getByTestId('tab-inbox').click();
    await page.waitForURL(/\/worker\/inbox/);
    const message = page.getByTestId('notification').first();
    await message.waitFor();
    expect(await message.textContent()).toContain('您的实名认证已通过');
    expect(await message.getAttribute('data-unread')).toBe('true');
    await shot(page, 'inbox');

    // Opening it marks it read and follows its link to the profile.
    await message.click();
    await page.waitForURL(/\/worker\/profile/);
    await expect.poll(() => page.locator('.ya-tabbar .adm-badge-content').count()).toBe(0);
  });

  it('shows only masked personal data on the profile', async () => {
    await page.getByTestId('profile').waitFor();
    await expect.poll(() => page.getByTestId('profile-name-masked').textContent()).toBe('张*');
    const id = await page.getByTestId('profile-id-masked').textContent();
    expect(id).toBe(`330***********${ID_NUMBER.slice(-4)}`);
    expect(id).toContain('***********');
    expect(await page.getByTestId('profile-phone-masked').textContent()).toBe('139****1111');
    expect(await page.getByTestId('profile-status').textContent()).toBe('已实名');
    expect(await page.getByTestId('consent-version').textContent()).toContain('2026-11-01');
    const body = (await page.textContent('body')) ?? '';
    expect(body).not.toContain(ID_NUMBER);
    expect(body).not.toContain(NAME);
    await shot(page, 'profile');
  });

  it('switches to English', async () => {
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByTestId('profile-status').textContent()).toBe('Verified');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByTestId('tab-inbox').textContent()).toBe('Messages');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await shot(page, 'profile-en');

    // The choice sticks across a reload, and the home screen speaks English too.
    await page.getByTestId('tab-home').click();
    await page.reload();
    const banner = page.getByTestId('status-banner');
    await expect.poll(() => banner.textContent()).toContain('Verified');

    // Signing out returns to the (English) sign-in screen.
    await page.getByTestId('tab-profile').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('.adm-dialog').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/worker\/signin/);
    await page.getByRole('button', { name: 'Get code' }).waitFor();
    await shot(page, 'signin-en');
  });
});
