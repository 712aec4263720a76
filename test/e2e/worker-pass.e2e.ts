import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/demo-seed.js';
import { haveChromium, useJourney, signInWorker } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/worker-pass-${name}.png`, fullPage: true });
}

/** The demo seed's verified rider (周建国, 外卖配送, 美团, 白鹤街道) and its unverified one. */
const RIDER = '13800000001';
const UNVERIFIED = '13800000007';
const BAIHE = '330212011';

async function phoneContext(j: { browser: import('playwright-core').Browser }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await j.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs a worker in on the sign-in screen (already open), accepting the privacy notice if asked. */
/** What a phone camera would read: the QR canvas as a PNG, decoded with jsQR. */
async function decodeQr(page: Page): Promise<string | undefined> {
  const png = await page.getByTestId('pass-qr').locator('canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
  const { data, info } = await sharp(Buffer.from(png.split(',')[1], 'base64')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data;
}

/** A staff session from Node (cookie + CSRF), with PUT as well. */
async function staffApi(base: string, username: string) {
  const res = await fetch(`${base}/api/staff/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`staff log-in as ${username}: HTTP ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const send = (method: string) => async (path: string, body?: unknown) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined, text };
  };
  return { get: send('GET'), post: send('POST'), put: send('PUT') };
}

describe.skipIf(!haveChromium)('worker app: the pass (甬爱码)', () => {
  const j = useJourney();
  let context: BrowserContext;
  let page: Page;
  const passRequests: string[] = [];

  beforeAll(async () => {
    ({ context, page } = await phoneContext(j));
    // The page's clock is ours: the code must change every 30 s without waiting 30 s.
    await context.clock.install();
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/pass/me') passRequests.push(r.method());
    });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('opens the pass in one tap from home and redraws it every 30 s', async () => {
    await page.goto(`${j.platform.url}/worker/`);
    await page.waitForURL(/\/worker\/signin/);
    await signInWorker(page, j.platform.dataDir, RIDER);
    await page.getByTestId('home').waitFor();
    await shot(page, 'home');

    // One tap from the home screen.
    await page.getByTestId('pass-entry').click();
    await page.waitForURL(/\/worker\/pass$/);
    const qr = page.getByTestId('pass-qr');
    await qr.waitFor();
    expect(await page.getByTestId('pass-page').getAttribute('data-state')).toBe('active');
    const first = (await qr.getAttribute('data-token'))!;
    expect(first).toMatch(/^YA1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    // The code a camera reads is the token, and anyone can check it with the published keys.
    expect(await decodeQr(page)).toBe(first);
    const jwks = (await (await fetch(`${j.platform.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload } = await compactVerify(first.slice(4), createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    expect(Object.keys(claims)).toEqual(['p', 'i', 'e', 'n', 's', 'x']);
    expect(JSON.stringify(claims)).not.toContain('周');

    // Masked name, industry and platform; a ticking clock and the seconds to the next code.
    expect(await page.getByTestId('pass-name').textContent()).toBe('周**');
    const meta = (await page.getByTestId('pass-meta').textContent()) ?? '';
    expect(meta).toContain('外卖配送');
    expect(meta).toContain('美团');
    const clockBefore = await page.getByTestId('pass-clock').textContent();
    expect(clockBefore).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    await shot(page, 'active');

    await page.clock.fastForward(30_000);
    await expect.poll(() => qr.getAttribute('data-token')).not.toBe(first);
    const second = (await qr.getAttribute('data-token'))!;
    expect(second).toMatch(/^YA1\./);
    expect(await decodeQr(page)).toBe(second);
    expect(await page.getByTestId('pass-active').getAttribute('data-token-index')).toBe('1');
    expect(await page.getByTestId('pass-clock').textContent()).not.toBe(clockBefore);
    // Six codes came in one request: no new request for the second.
    expect(passRequests.length).toBe(1);
  });

  it('keeps showing the kept codes offline for three minutes, then explains, and refills back online', async () => {
    await context.setOffline(true);
    const notice = page.getByTestId('pass-offline');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('离线还能用');
    await shot(page, 'offline');

    // 90 s in: the fourth code, still from the phone's store (no network to ask).
    await page.clock.fastForward(60_000);
    await expect.poll(() => page.getByTestId('pass-active').getAttribute('data-token-index')).toBe('3');

    // Past the six codes: no code rather than an old one.
    await page.clock.fastForward(100_000);
    await expect.poll(() => page.getByTestId('pass-page').getAttribute('data-state')).toBe('offline-none');
    expect(await page.getByTestId('pass-qr').count()).toBe(0);
    await shot(page, 'offline-none');

    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('pass-page').getAttribute('data-state')).toBe('active');
    expect(await page.getByTestId('pass-active').getAttribute('data-token-index')).toBe('0');
    expect(await page.getByTestId('pass-offline').count()).toBe(0);
    expect(passRequests.length).toBeGreaterThanOrEqual(2);
  });

  it('freezes the pass after a confirmation and unfreezes it', async () => {
    await page.getByTestId('freeze').click();
    await page.getByTestId('confirm-freeze').click();
    const frozen = page.getByTestId('pass-frozen');
    await frozen.waitFor();
    expect(await frozen.textContent()).toContain('甬爱码已冻结');
    expect(await page.getByTestId('pass-qr').count()).toBe(0);
    await shot(page, 'frozen');

    await page.getByTestId('unfreeze').click();
    await page.getByTestId('pass-qr').waitFor();
    expect(await page.getByTestId('pass-page').getAttribute('data-state')).toBe('active');
  });

  it('grants the scan-record consent and reads who scanned the pass, then withdraws it', async () => {
    // A station in 白鹤街道 and the street's scanner account bound to it, as a street officer would set up.
    const admin = await staffApi(j.platform.url, 'admin');
    const created = await admin.post('/api/admin/places', {
      type: 'station',
      name: '白鹤甬爱驿站（码测试）',
      areaCode: BAIHE,
      address: '宁波市鄞州区白鹤街道（测试）',
      lon: 121.571,
      lat: 29.861,
      hours: '24/7',
      services: ['rest', 'water'],
    });
    expect(created.status, created.text).toBe(201);
    const placeId = (created.body as { id: string }).id;
    expect((await admin.post(`/api/admin/places/${placeId}/status`, { to: 'active', reason: '浏览器测试上线' })).status).toBe(200);
    const scanners = await admin.get('/api/admin/pass/scanners');
    expect(scanners.status, scanners.text).toBe(200);
    const account = (scanners.body as { staffId: string; username: string }[]).find((s) => s.username === 'scanner')!;
    expect((await admin.put(`/api/admin/pass/scanners/${account.staffId}`, { placeIds: [placeId] })).status).toBe(200);

    await page.getByTestId('pass-scans-link').click();
    await page.waitForURL(/\/worker\/pass\/scans$/);
    const consent = page.getByTestId('scan-consent');
    await consent.waitFor();
    expect(await consent.getAttribute('data-granted')).toBe('false');
    for (const text of ['180 天', '化名', '撤回']) expect(await consent.textContent()).toContain(text);
    expect(await page.getByTestId('scans-not-kept').count()).toBe(1);
    await shot(page, 'consent');
    await page.getByTestId('grant-scan-consent').click();
    await expect.poll(() => consent.getAttribute('data-granted')).toBe('true');
    await page.getByTestId('scan-history').waitFor();

    // The guard scans the code on the worker's screen.
    await page.goBack();
    await page.getByTestId('pass-qr').waitFor();
    const token = (await page.getByTestId('pass-qr').getAttribute('data-token'))!;
    const scanner = await staffApi(j.platform.url, 'scanner');
    const verified = await scanner.post('/api/scanner/verify', { token, placeId, eventId: crypto.randomUUID() });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ verdict: 'green', grants: ['checkin'], nameMasked: '周**' });

    await page.getByTestId('pass-scans-link').click();
    const row = page.getByTestId('scan-row').first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('白鹤甬爱驿站（码测试）');
    expect(text).toContain('通行');
    expect(text).toContain('驿站签到');
    expect(text).toContain('对方看到');
    expect(text).not.toContain('白鹤街道 甬爱驿站 站长');
    await shot(page, 'history');

    // Withdrawing deletes the records at once.
    await page.getByTestId('withdraw-scan-consent').click();
    await page.getByTestId('confirm-withdraw').click();
    await expect.poll(() => consent.getAttribute('data-granted')).toBe('false');
    expect(await page.getByTestId('scan-row').count()).toBe(0);
    await context.setOffline(false);
  });

  it('shows a pass revoked by staff with the reason, and no code', async () => {
    const admin = await staffApi(j.platform.url, 'admin');
    const found = await admin.get(`/api/admin/passes?phone=${RIDER}`);
    expect(found.status, found.text).toBe(200);
    const revoked = await admin.post(`/api/admin/passes/${(found.body as { workerId: string }).workerId}/revoke`, { reason: 'lost_phone', note: '本人来电报失' });
    expect(revoked.status, revoked.text).toBe(200);

    await page.goto(`${j.platform.url}/worker/pass`);
    const card = page.getByTestId('pass-revoked');
    await card.waitFor();
    expect(await page.getByTestId('pass-revoked-reason').textContent()).toContain('手机丢失');
    expect(await card.textContent()).toContain('本人来电报失');
    expect(await card.textContent()).toContain('12345');
    expect(await page.getByTestId('pass-qr').count()).toBe(0);
    // The codes kept on the phone went with it.
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('yongai.pass') ?? 'null') as { pass: { tokens: unknown[] } } | null);
    expect(kept?.pass.tokens ?? []).toHaveLength(0);
    await shot(page, 'revoked');
  });

  it('tells an unverified worker to verify first', async () => {
    const other = await phoneContext(j);
    await other.page.goto(`${j.platform.url}/worker/pass`);
    await other.page.waitForURL(/\/worker\/signin/);
    await signInWorker(other.page, j.platform.dataDir, UNVERIFIED);
    await other.page.waitForURL(/\/worker\/pass$/);
    const card = other.page.getByTestId('pass-not-verified');
    await card.waitFor();
    expect(await card.textContent()).toContain('完成实名认证后才能使用甬爱码');
    await shot(other.page, 'not-verified');
    await other.page.getByTestId('pass-verify-cta').click();
    await other.page.waitForURL(/\/worker\/(verify|privacy)/);
    await other.context.close();
  });
});
