import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createSmsSender } from './index.js';
import { HttpSms, OutboxSms, readOutbox } from './sms.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-sms-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('SMS outbox (development adapter)', () => {
  it('appends one JSON line per message, creating the data directory', async () => {
    const dataDir = path.join(tmp(), 'nested', 'data');
    const sms = new OutboxSms(dataDir, () => new Date('2026-11-23T02:00:00Z'));
    await sms.send({ phone: '13800000001', template: 'login_code', params: { code: '123456' } });
    await sms.send({ phone: '13800000002', template: 'login_code', params: { code: '654321' } });
    const raw = fs.readFileSync(path.join(dataDir, 'sms-outbox.jsonl'), 'utf8').trim().split('\n');
    expect(raw).toHaveLength(2);
    expect(JSON.parse(raw[0])).toEqual({
      at: '2026-11-23T02:00:00.000Z',
      phone: '13800000001',
      template: 'login_code',
      params: { code: '123456' },
      text: expect.stringMatching(/^【甬爱】验证码 123456，5分钟内有效。/),
    });
    expect((await readOutbox(dataDir, '13800000002')).map((l) => l.params.code)).toEqual(['654321']);
    expect(await readOutbox(dataDir)).toHaveLength(2);
  });

  it('keeps lines whole under concurrent sends and skips a torn last line', async () => {
    const dataDir = tmp();
    const sms = new OutboxSms(dataDir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => sms.send({ phone: `1380000${String(i).padStart(4, '0')}`, template: 'login_code', params: { code: String(100000 + i) } })));
    fs.appendFileSync(path.join(dataDir, 'sms-outbox.jsonl'), '{"at":"2026-');
    const lines = await readOutbox(dataDir);
    expect(lines).toHaveLength(50);
    expect(new Set(lines.map((l) => l.phone)).size).toBe(50);
  });

  it('reads an empty outbox when nothing was sent', async () => {
    expect(await readOutbox(tmp())).toEqual([]);
  });

  it('is the default provider', async () => {
    const dataDir = tmp();
    const sms = createSmsSender(loadConfig({ DATA_DIR: dataDir }));
    expect(sms).toBeInstanceOf(OutboxSms);
  });
});

describe('SMS over HTTP (production adapter)', () => {
  const received: { headers: http.IncomingHttpHeaders; body: unknown }[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(body) });
      res.statusCode = status;
      res.end(status === 200 ? '{"ok":true}' : 'quota exceeded');
    });
  });
  const url = async () => {
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  };
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts phone, template and params with the bearer token', async () => {
    const sms = createSmsSender(loadConfig({ SMS_PROVIDER: 'http', SMS_HTTP_URL: await url(), SMS_HTTP_TOKEN: 's3cret' }));
    expect(sms).toBeInstanceOf(HttpSms);
    await sms.send({ phone: '13800000001', template: 'login_code', params: { code: '123456' } });
    expect(received.at(-1)).toMatchObject({
      headers: { authorization: 'Bearer s3cret', 'content-type': 'application/json' },
      body: { phone: '13800000001', template: 'login_code', params: { code: '123456' } },
    });
  });

  it('throws when the gateway does not answer 2xx', async () => {
    status = 503;
    const sms = new HttpSms({ url: await url(), token: 't' });
    await expect(sms.send({ phone: '13800000001', template: 'login_code', params: { code: '1' } })).rejects.toThrow(/503: quota exceeded/);
    status = 200;
  });

  it('throws when the gateway is unreachable or too slow', async () => {
    const never = (() => new Promise<Response>((_r, reject) => setTimeout(() => reject(new Error('timed out')), 10))) as unknown as typeof fetch;
    await expect(new HttpSms({ url: 'http://127.0.0.1:9/', fetch: never }).send({ phone: '1', template: 'x', params: {} })).rejects.toThrow(/unreachable: timed out/);
  });
});
