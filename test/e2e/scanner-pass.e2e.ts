import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SCAN_CONSENT_VERSION, type AdminPass, type MyPass } from '../../src/contracts/pass.js';
import { DEMO_PASSWORD } from '../../src/server/demo-seed.js';
import { chromiumPath, haveChromium, json, staffSession, useJourney, workerSession, type HttpSession } from './harness.js';

const SHOTS = process.env.E2E_SCREENSHOTS; // e.g. /tmp: save the key screens for a look
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/scanner-pass-${name}.png`, fullPage: true });
}

const BAIHE = '330212011';
/** The demo city's verified rider (美团, 外卖配送) and the 白鹤街道 station keeper's scanner account. */
const RIDER_PHONE = '13800000001';
const SCANNER = 'scanner';

async function phone(browser: Browser, init?: (c: BrowserContext) => Promise<unknown>): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  await init?.(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs the scanner in and waits until it holds a fresh trust bundle and has its place chosen. */
async function openScanner(page: Page, url: string, placeId: string, query = '') {
  await page.goto(`${url}/scanner/${query}`);
  await page.getByLabel('用户名').fill(SCANNER);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('scanner-home').waitFor();
  await expect.poll(() => page.getByTestId('bundle-age').getAttribute('data-level')).toBe('fresh');
  await expect.poll(() => page.getByTestId('place-current').getAttribute('data-place')).toBe(placeId);
}

async function scanTyped(page: Page, token: string) {
  await page.getByTestId('token-input').locator('textarea:not([aria-hidden])').fill(token);
  await page.getByTestId('verify-token').click();
  await page.getByTestId('verdict').waitFor();
}

/**
 * A one-frame Y4M video of the pass as the worker app draws it (level M, 4-module quiet zone, black on
 * white), for Chromium's fake camera: the QR fills most of qr-scanner's central scan region.
 */
function passVideo(token: string, file: string) {
  const qr = QRCode.create(token, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const n = size + 8;
  const [W, H] = [1280, 720];
  const scale = Math.floor((Math.min(W, H) * 2 * 0.9) / 3 / n);
  const ox = Math.floor((W - n * scale) / 2);
  const oy = Math.floor((H - n * scale) / 2);
  const luma = Buffer.alloc(W * H, 235);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) luma.fill(16, (oy + (r + 4) * scale + dy) * W + ox + (c + 4) * scale, (oy + (r + 4) * scale + dy) * W + ox + (c + 5) * scale);
    }
  const chroma = Buffer.alloc((W * H) / 4, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
  return qr.version;
}

const verdict = (page: Page) => page.getByTestId('verdict');
const attr = (page: Page, name: string) => verdict(page).getAttribute(name);

describe.skipIf(!haveChromium)('scanner app: verifying passes offline and online', () => {
  const j = useJourney();
  let admin: HttpSession;
  let rider: HttpSession;
  let placeId: string;
  let placeName: string;

  beforeAll(async () => {
    admin = await staffSession(j.platform.url, 'admin');
    // A 白鹤街道 station (default policy: check-in for every verified worker), bound to the scanner account.
    const stations = await json<{ items: { id: string; name: string }[] }>(admin.get(`/api/admin/places?type=station&status=active&areaCode=${BAIHE}&pageSize=1`));
    expect(stations.items.length).toBe(1);
    placeId = stations.items[0].id;
    placeName = stations.items[0].name;
    const scanners = await json<{ staffId: string; username: string }[]>(admin.get('/api/admin/pass/scanners'));
    const account = scanners.find((s) => s.username === SCANNER);
    expect(account, JSON.stringify(scanners)).toBeDefined();
    await json(admin.put(`/api/admin/pass/scanners/${account!.staffId}`, { placeIds: [placeId] }));

    rider = await workerSession(j.platform.url, j.platform.dataDir, RIDER_PHONE);
    // The rider lets scans be kept, so the uploaded offline scan shows in their history.
    await json(rider.put('/api/pass/me/consent', { granted: true, version: SCAN_CONSENT_VERSION }));
  });

  const freshTokens = async () => {
    const me = await json<MyPass>(rider.get('/api/pass/me'));
    expect(me.status).toBe('active');
    expect(me.tokens.length).toBe(6);
    return me.tokens.map((t) => t.token);
  };

  let offline: { context: BrowserContext; page: Page };
  let firstToken: string;

  it('with the network cut, a pasted pass shows green at once, and the scan is uploaded when the network is back', async () => {
    // The page's clock is faked (and flows) so the next journey can move it two minutes on.
    offline = await phone(j.browser, (c) => c.clock.install());
    const { context, page } = offline;
    await openScanner(page, j.platform.url, placeId);
    expect(await page.getByTestId('place-current').textContent()).toContain(placeName);
    expect(await page.getByTestId('place-grants').textContent()).toContain('驿站签到');
    expect(await page.getByTestId('engine').getAttribute('data-engine')).toBe('webcrypto');
    expect(await page.getByTestId('engine').textContent()).toContain('WebCrypto');
    await shot(page, 'home');

    [firstToken] = await freshTokens();
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-status').getAttribute('data-online')).toBe('false');
    expect(await page.getByTestId('net-status').textContent()).toBe('离线');

    const t0 = Date.now();
    await scanTyped(page, firstToken);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await attr(page, 'data-verdict')).toBe('green');
    expect(await attr(page, 'data-reason')).toBe('ok');
    expect(await attr(page, 'data-server')).toBe('queued');
    expect(await page.getByTestId('verdict-title').textContent()).toBe('通行');
    expect(await page.getByTestId('verdict-reason').textContent()).toBe('甬爱码有效');
    expect(await page.getByTestId('verdict-name').textContent()).toBe('离线：姓名不显示');
    expect(await page.getByTestId('verdict-industry').textContent()).toBe('外卖配送');
    expect(await page.getByTestId('verdict-platform').textContent()).toBe('美团');
    expect(await page.getByTestId('verdict-level').textContent()).toBe('实名认证');
    expect(await page.getByTestId('verdict-grants').textContent()).toContain('驿站签到');
    const left = Number(await page.getByTestId('seconds-left').getAttribute('data-value'));
    expect(left).toBeGreaterThan(100);
    expect(left).toBeLessThanOrEqual(120);
    // The countdown is live.
    await expect.poll(async () => Number(await page.getByTestId('seconds-left').getAttribute('data-value')), { timeout: 5000 }).toBeLessThan(left);
    await shot(page, 'green-offline');
    await page.getByTestId('next-scan').click();
    expect(await page.getByTestId('queue-count').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('queue-count').textContent()).toBe('待上传 1');

    // Back online: the queued scan goes up by itself.
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('queue-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('0');
    expect(await page.getByTestId('net-status').getAttribute('data-online')).toBe('true');
    const history = await json<{ items: { placeId: string | null; verdict: string; offline: boolean; scannerName: string }[] }>(rider.get('/api/pass/me/scans'));
    const mine = history.items.filter((s) => s.placeId === placeId);
    expect(mine.length).toBe(1);
    expect(mine[0]).toMatchObject({ verdict: 'green', offline: true });
  });

  it('the same pass two minutes later is red: expired', async () => {
    const { context, page } = offline;
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-status').getAttribute('data-online')).toBe('false');
    await page.clock.fastForward('02:01');
    await scanTyped(page, firstToken);
    expect(await attr(page, 'data-verdict')).toBe('red');
    expect(await attr(page, 'data-reason')).toBe('expired');
    expect(await page.getByTestId('verdict-title').textContent()).toBe('拒绝');
    expect(await page.getByTestId('verdict-reason').textContent()).toContain('码已过期');
    // Nothing about the holder of a refused code.
    expect(await page.getByTestId('verdict-details').count()).toBe(0);
    await shot(page, 'red-expired');
    await page.getByTestId('next-scan').click();
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('queue-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('0');
    await context.close();
  });

  it('verifies with the pure-JS engine where WebCrypto has no Ed25519', async () => {
    const { context, page } = await phone(j.browser, (c) =>
      c.addInitScript(() => {
        const subtle = globalThis.crypto.subtle;
        const importKey = subtle.importKey.bind(subtle);
        // Like a browser without Ed25519 in WebCrypto (WeChat's, older Safari).
        subtle.importKey = ((format: KeyFormat, keyData: BufferSource | JsonWebKey, algorithm: AlgorithmIdentifier, extractable: boolean, usages: KeyUsage[]) => {
          const name = typeof algorithm === 'string' ? algorithm : algorithm?.name;
          if (String(name).toLowerCase() === 'ed25519') return Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'));
          return importKey(format as 'raw', keyData as BufferSource, algorithm, extractable, usages);
        }) as SubtleCrypto['importKey'];
      }),
    );
    await openScanner(page, j.platform.url, placeId);
    expect(await page.getByTestId('engine').getAttribute('data-engine')).toBe('noble');
    expect(await page.getByTestId('engine').textContent()).toContain('纯 JS');
    expect(await page.getByTestId('settings-engine').textContent()).toContain('@noble/ed25519');

    const [token] = await freshTokens();
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-status').getAttribute('data-online')).toBe('false');
    const t0 = Date.now();
    await scanTyped(page, token);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await attr(page, 'data-verdict')).toBe('green');
    expect(await page.getByTestId('verdict-title').textContent()).toBe('通行');
    await shot(page, 'green-noble');
    await page.getByTestId('next-scan').click();
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('queue-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('0');
    await context.close();

    // The query flag forces the same engine where WebCrypto would work.
    const forced = await phone(j.browser);
    await openScanner(forced.page, j.platform.url, placeId, '?verifier=noble');
    expect(await forced.page.getByTestId('engine').getAttribute('data-engine')).toBe('noble');
    await forced.context.close();
  });

  it('scans the pass with the camera (qr-scanner, bundled, with its worker)', async () => {
    const [token] = await freshTokens();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-camera-'));
    const video = path.join(dir, 'pass.y4m');
    expect(passVideo(token, video)).toBeLessThanOrEqual(12);
    // A browser whose camera shows the pass (the harness's flags plus a fake camera).
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
        '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', permissions: ['camera'] });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const csp: string[] = [];
      page.on('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
      await openScanner(page, j.platform.url, placeId);
      await page.getByTestId('open-camera').click();
      await page.getByTestId('camera').waitFor();
      await page.getByTestId('verdict').waitFor({ timeout: 20_000 });
      expect(await attr(page, 'data-verdict')).toBe('green');
      await expect.poll(() => attr(page, 'data-server')).toBe('done');
      expect(await page.getByTestId('camera').count()).toBe(0);
      expect(csp).toEqual([]);
      await shot(page, 'camera-green');
      // "Scan next" goes back to the camera, which still shows the same code: this gate has seen it.
      await page.getByTestId('next-scan').click();
      await page.getByTestId('camera').waitFor();
      await expect.poll(() => attr(page, 'data-reason'), { timeout: 20_000 }).toBe('replayed');
      expect(await attr(page, 'data-verdict')).toBe('red');
      expect(await page.getByTestId('verdict-reason').textContent()).toContain('此码已核验过');
    } finally {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after staff revoke the pass, a bundle refresh makes the scanner refuse it with the reason, offline and online', async () => {
    const { context, page } = await phone(j.browser);
    await openScanner(page, j.platform.url, placeId);
    const before = Number(await page.getByTestId('bundle-age').getAttribute('data-version'));

    // Three live codes of the rider's pass, taken before the revocation (each fetch's first is valid at once).
    const tokens = [(await freshTokens())[0], (await freshTokens())[0], (await freshTokens())[0]];
    // Online, a valid pass shows the masked name the server knows.

    await scanTyped(page, tokens[0]);
    await expect.poll(() => attr(page, 'data-server')).toBe('done');
    expect(await attr(page, 'data-verdict')).toBe('green');
    expect(await page.getByTestId('verdict-name').textContent()).toMatch(/^周\*+$/);
    expect(await page.getByTestId('verdict-server').textContent()).toBe('已联网核验');
    await shot(page, 'green-online');
    await page.getByTestId('next-scan').click();

    const found = await json<AdminPass>(admin.get(`/api/admin/passes?phone=${RIDER_PHONE}`));
    await json(admin.post(`/api/admin/passes/${found.workerId}/revoke`, { reason: 'lost_phone', note: '骑手报告手机在地铁上丢失' }));

    await page.getByTestId('refresh-bundle').click();
    await expect.poll(async () => Number(await page.getByTestId('bundle-age').getAttribute('data-version'))).toBeGreaterThan(before);

    // Offline, the refreshed bundle alone refuses the pass.
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('net-status').getAttribute('data-online')).toBe('false');
    await scanTyped(page, tokens[1]);
    expect(await attr(page, 'data-verdict')).toBe('red');
    expect(await attr(page, 'data-reason')).toBe('revoked');
    expect(await page.getByTestId('verdict-reason').textContent()).toBe('该甬爱码已被注销或冻结');
    expect(await page.getByTestId('verdict-revocation').textContent()).toBe('注销原因：手机丢失');
    await shot(page, 'red-revoked');
    await page.getByTestId('next-scan').click();

    // Online, the server says the same.
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('net-status').getAttribute('data-online')).toBe('true');
    await scanTyped(page, tokens[2]);
    await expect.poll(() => attr(page, 'data-server')).toBe('done');
    expect(await attr(page, 'data-verdict')).toBe('red');
    expect(await attr(page, 'data-reason')).toBe('revoked');
    expect(await page.getByTestId('verdict-revocation').textContent()).toBe('注销原因：手机丢失');
    await page.getByTestId('next-scan').click();
    await expect.poll(() => page.getByTestId('queue-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('0');
    await context.close();
  });
});
