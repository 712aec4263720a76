import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';
import { testEngine } from './helpers/db.js';

/** Starts `npm start`'s script as a user would, and waits for the printed URLs. */
export function startProcess(dataDir: string, extraEnv: Record<string, string> = {}) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extraEnv };
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const ready = new Promise<{ url: string; output: () => string }>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = output.match(/Admin\s+(http:\/\/127\.0\.0\.1:\d+)\/admin\//);
      if (m) {
        clearInterval(timer);
        resolve({ url: m[1], output: () => output });
      }
    }, 100);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
  return { child, ready };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

// One engine is enough: this exercises the embedded default exactly as `npm start` runs it.
describe.runIf(testEngine === 'pglite')('npm start on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates, migrates and seeds the database, prints URLs and log-ins, then shuts down gracefully', async () => {
    const { child, ready } = startProcess(dataDir);
    const { url, output } = await ready;
    expect(output()).toContain('Demo city seeded: Ningbo (3302)');
    expect(output()).toMatch(/admin\s+operator\s+admin\s+Yongai@2026/);
    expect(output()).toContain('sms-outbox.jsonl');
    const ready1 = await fetch(`${url}/readyz`);
    expect(ready1.status).toBe(200);
    const login = await fetch(`${url}/api/staff/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Yongai@2026' }),
    });
    expect(login.status).toBe(200);
    expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'keys/pii.key'))).toBe(true);
    expect(await stop(child)).toBe(0);
  }, 120_000);

  it('reuses the data on a second start', async () => {
    const { child, ready } = startProcess(dataDir);
    const { url, output } = await ready;
    expect(output()).not.toContain('Demo city seeded');
    expect(output()).toContain('Demo log-ins (Ningbo, 3302)');
    const districts = await (await fetch(`${url}/api/areas/3302/children`)).json();
    expect(districts).toHaveLength(10);
    expect(await stop(child)).toBe(0);
  }, 120_000);
});
