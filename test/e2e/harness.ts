import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/demo-seed.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { seedDemoCity } from '../../src/server/demo-seed.js';
import type { Services } from '../../src/server/services.js';
import { createTestDatabase } from '../helpers/db.js';
import { ROOT } from '../helpers/paths.js';

/** Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH. Never downloaded. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = fs.existsSync(chromiumPath);
// Without Chromium the journeys are skipped (global setup says so once); in CI that is a failure.
if (!haveChromium && process.env.CI === 'true') {
  throw new Error(`Browser tests need Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH) — required in CI.`);
}

export const webDist = path.join(ROOT, 'dist/web');

export interface Platform {
  url: string;
  app: FastifyInstance;
  services: Services;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real platform on a fresh database, listening on a free loopback port, serving the built web
 * apps, with the seeded demo city and the development SMS outbox (codes are read from the file).
 */
export async function startPlatform(): Promise<Platform> {
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('dist/web is missing: run npm run build:web (npm test does)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-e2e-'));
  const config = loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: dataDir, PORT: '0', JOBS_ENABLED: 'false', WEB_DIST: webDist, MAP_TILES: 'none' });
  const database = await createTestDatabase();
  const app = await buildApp(config, { database, keys: { pii: crypto.randomBytes(64) } });
  await seedDemoCity(app.services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    services: app.services,
    dataDir,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One journey's world: registers hooks that start the platform and Chromium before the tests of the
 * enclosing describe and close both after. Read `j.platform` and `j.browser` inside tests.
 */
export function useJourney(): { platform: Platform; browser: Browser } {
  const j = {} as { platform: Platform; browser: Browser };
  beforeAll(async () => {
    j.platform = await startPlatform();
    j.browser = await launchBrowser();
  });
  afterAll(async () => {
    await j.browser?.close();
    await j.platform?.close();
  });
  return j;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/** A phone-sized page (the worker app is mobile first). */
export async function phonePage(browser: Browser, locale = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, reducedMotion: 'reduce' });
  return context.newPage();
}

export async function desktopPage(browser: Browser, locale = 'zh-CN'): Promise<Page> {
  // reduced motion: the admin console then turns antd's animations off, so a click never lands on a
  // dialog that is still zooming in or a drawer that is still sliding out
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale, reducedMotion: 'reduce' });
  return context.newPage();
}

/** The latest SMS code sent to a phone, from the development outbox (DATA_DIR/sms-outbox.jsonl). */
export function latestSmsCode(dataDir: string, phone: string): string | undefined {
  const file = path.join(dataDir, 'sms-outbox.jsonl');
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = JSON.parse(lines[i]) as { phone: string; params: { code?: string } };
    if (m.phone === phone && m.params.code) return m.params.code;
  }
  return undefined;
}

/** Polls until the outbox has a code for the phone (the request that sends it is async). */
export async function waitForSmsCode(dataDir: string, phone: string, timeoutMs = 5000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const code = latestSmsCode(dataDir, phone);
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS code for ${phone} in the outbox`);
}

/** Signs in on the admin console's sign-in screen (zh-CN); demo accounts share DEMO_PASSWORD. */
export async function signInAdmin(page: Page, url: string, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${url}/admin/`);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.locator('form button[type="submit"]').click();
}

/** A staff session held from Node (cookie + CSRF token), as the admin console would hold it. */
export async function staffSession(base: string, username: string, password = DEMO_PASSWORD) {
  const res = await fetch(`${base}/api/staff/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`staff log-in as ${username} failed: HTTP ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    get: (path: string) => fetch(`${base}${path}`, { headers: { cookie } }),
    post: (path: string, body?: unknown) => send('POST', path, body),
    put: (path: string, body: unknown) => send('PUT', path, body),
  };
}

/**
 * A button's accessible name, allowing antd's fading loading icon (aria-label "loading"): after a
 * request the icon leaves with a CSS motion that a busy headless page may not finish for a while,
 * though it is already invisible (width 0, opacity 0).
 */
export const buttonName = (text: string) => new RegExp(`^(loading\\s*)?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
