import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { FakeClock } from '../../src/shared/clock.js';
import { MemorySms, type SmsSender } from '../../src/platform/sms/sms.js';
import type { Services } from '../../src/server/services.js';
import { createTestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  config: Config;
  clock: FakeClock;
  sms: MemorySms;
  dataDir: string;
  close(): Promise<void>;
}

/** The real app on a fresh database, with a fake clock and an in-memory SMS gateway. */
export async function createTestApp(env: Record<string, string> = {}, deps: { sms?: SmsSender } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-test-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, JOBS_ENABLED: 'false', WEB_DIST: path.join(dataDir, 'no-web'), ...env });
  const database = await createTestDatabase();
  const clock = new FakeClock();
  const sms = new MemorySms();
  const app = await buildApp(config, { database, keys: { pii: crypto.randomBytes(64) }, clock, sms: deps.sms ?? sms });
  await app.ready();
  return {
    app,
    services: app.services,
    config,
    clock,
    sms,
    dataDir,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A signed-in client: keeps the session cookie and sends the CSRF token, like the web apps do.
 */
export class Client {
  cookie: string | undefined;
  csrf: string | undefined;
  constructor(private readonly app: FastifyInstance) {}

  async request(opts: InjectOptions & { idempotencyKey?: string }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && opts.method && opts.method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const res = await this.app.inject({ ...opts, headers });
    const set = res.cookies.find((c) => c.name === 'ya_sid');
    if (set) {
      this.cookie = set.value ? `ya_sid=${set.value}` : undefined;
      if (set.value) await this.refreshCsrf();
    }
    return res;
  }
  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, payload?: unknown, idempotencyKey?: string) {
    return this.request({ method: 'POST', url, payload: payload as InjectOptions['payload'], idempotencyKey });
  }
  patch(url: string, payload?: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
  private async refreshCsrf() {
    const res = await this.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: this.cookie! } });
    this.csrf = res.statusCode === 200 ? res.json().csrfToken : undefined;
  }
}
