import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveChromium, useJourney, phonePage } from './harness.js';

const PASSWORD = 'Yongai@2026';

async function signInScanner(page: Page, url: string, username: string, password = PASSWORD) {
  await page.goto(`${url}/scanner/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

describe.skipIf(!haveChromium)('scanner app: staff sign-in on a phone', () => {
  const j = useJourney();

  it('signs a scanner in to the shell, in both languages, and out again', async () => {
    const page = await phonePage(j.browser);
    await page.goto(`${j.platform.url}/scanner/`);
    await page.getByText('扫码核验员登录').waitFor();
    await page.screenshot({ path: '/tmp/scanner-signin.png' });

    await signInScanner(page, j.platform.url, 'scanner', 'wrong-password-1');
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('用户名或密码错误');

    await signInScanner(page, j.platform.url, 'scanner');
    const home = page.getByTestId('scanner-home');
    await home.waitFor();
    expect(await home.textContent()).toContain('白鹤街道 甬爱驿站 站长');
    expect(await home.textContent()).toContain('白鹤街道');
    // The scanner downloads its trust bundle at once and shows the places it scans for (or that it has none).
    await expect.poll(() => page.getByTestId('bundle-age').getAttribute('data-level')).toBe('fresh');
    expect(await page.getByTestId('bundle-age').textContent()).toContain('刚刚更新');
    expect(await page.getByTestId('engine').textContent()).toContain('WebCrypto');
    const bound = (await page.getByTestId('place-none').count()) === 0;
    if (!bound) {
      expect(await page.getByTestId('place-none').textContent()).toContain('尚未绑定场所');
      expect(await page.getByTestId('open-camera').isDisabled()).toBe(true);
    }
    await page.screenshot({ path: '/tmp/scanner-home.png', fullPage: true });

    // English, and it sticks across a reload (the session too).
    await page.getByText('English', { exact: true }).click();
    await page.getByText('Scan a pass').waitFor();
    expect(await page.getByTestId('bundle-age').textContent()).toContain('updated just now');
    if (!bound) expect(await page.getByTestId('place-none').textContent()).toContain('No place is bound');
    await page.reload();
    await page.getByText('Scan a pass').waitFor();
    await page.screenshot({ path: '/tmp/scanner-home-en.png', fullPage: true });
    await page.getByText('中文', { exact: true }).click();

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('扫码核验员登录').waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).status);
    expect(session).toBe(401);
    await page.context().close();
  });

  it('refuses a reviewer with a clear message', async () => {
    const page = await phonePage(j.browser);
    await signInScanner(page, j.platform.url, 'reviewer');
    const refused = page.getByTestId('scanner-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('此账号不能使用扫码端');
    expect(await refused.textContent()).toContain('实名审核员');
    expect(await page.getByTestId('scanner-home').count()).toBe(0);
    await page.screenshot({ path: '/tmp/scanner-refused.png' });
    await page.context().close();
  });
});
