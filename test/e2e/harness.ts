import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
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

/**
 * Signs a worker in on the worker app with the SMS code from the outbox, accepting the privacy notice
 * if it is shown. With `base` it opens the sign-in page first; without, the page is already there.
 */
export async function signInWorker(page: Page, dataDir: string, phone: string, base?: string) {
  if (base) await page.goto(`${base}/worker/signin`);
  await page.getByLabel('手机号', { exact: true }).fill(phone);
  await page.getByTestId('get-code').click();
  await page.getByTestId('code-sent').waitFor();
  await page.getByLabel('验证码', { exact: true }).fill(await waitForSmsCode(dataDir, phone));
  await page.getByRole('button', { name: buttonName('登录') }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/worker/signin'));
  if (new URL(page.url()).pathname.startsWith('/worker/privacy')) {
    await page.getByTestId('accept-privacy').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/worker/privacy'));
  }
}

/** A signed-in HTTP session from Node (cookie + CSRF token), as a browser would hold it. */
export interface HttpSession {
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown): Promise<Response>;
  put(path: string, body: unknown): Promise<Response>;
  patch(path: string, body: unknown): Promise<Response>;
  delete(path: string): Promise<Response>;
  /** A raw upload (a photo as the apps send it: the bytes as the body, with an idempotency key). */
  upload(path: string, bytes: Buffer, contentType: string): Promise<Response>;
}

function httpSession(base: string, cookie: string, csrfToken: string): HttpSession {
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    get: (path) => fetch(`${base}${path}`, { headers: { cookie } }),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    patch: (path, body) => send('PATCH', path, body),
    delete: (path) => send('DELETE', path),
    upload: (path, bytes, contentType) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': contentType, 'idempotency-key': crypto.randomUUID() },
        body: new Uint8Array(bytes),
      }),
  };
}

const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

/** A staff session held from Node (cookie + CSRF token), as the admin console would hold it. */
export async function staffSession(base: string, username: string, password = DEMO_PASSWORD): Promise<HttpSession> {
  const res = await fetch(`${base}/api/staff/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`staff log-in as ${username} failed: HTTP ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return httpSession(base, cookieOf(res), csrfToken);
}

/** A worker signed in from Node with an SMS code from the development outbox, as the worker app would be. */
export async function workerSession(base: string, dataDir: string, phone: string): Promise<HttpSession> {
  const sent = await fetch(`${base}/api/worker/auth/sms-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone }) });
  if (sent.status !== 202) throw new Error(`SMS code for ${phone}: HTTP ${sent.status}`);
  const code = await waitForSmsCode(dataDir, phone);
  const res = await fetch(`${base}/api/worker/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, code }) });
  if (res.status !== 200) throw new Error(`worker log-in as ${phone} failed: HTTP ${res.status}`);
  const cookie = cookieOf(res);
  const { csrfToken } = (await (await fetch(`${base}/api/auth/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  return httpSession(base, cookie, csrfToken);
}

/** A response read whole: its status, its text and the JSON body when there is one. */
export interface Call<T = any> {
  status: number;
  body: T;
  text: string;
}

export async function call<T = any>(res: Response | Promise<Response>): Promise<Call<T>> {
  const r = await res;
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}

/** The JSON body of a response that must have this status (the body is in the failure message). */
export async function json<T = any>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await call<T>(res);
  expect(r.status, r.text).toBe(status);
  return r.body;
}

/**
 * A button's accessible name, allowing antd's fading loading icon (aria-label "loading"): after a
 * request the icon leaves with a CSS motion that a busy headless page may not finish for a while,
 * though it is already invisible (width 0, opacity 0).
 */
export const buttonName = (text: string) => new RegExp(`^(loading\\s*)?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
