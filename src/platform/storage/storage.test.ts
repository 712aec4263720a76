import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '../../server/config.js';
import { AppError } from '../../shared/errors.js';
import { createStorage, LocalDiskStorage, S3Storage } from './index.js';
import type { S3Like } from './s3.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-files-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const KEY = 'reports/2026/11/6f1c2a4e-1b7d-4d55-9a43-0c8f5f1e2b3a.jpg';

describe('local disk storage', () => {
  const storage = new LocalDiskStorage(path.join(root, 'files'));

  it('puts, gets, checks and deletes a file with its content type', async () => {
    expect(await storage.exists(KEY)).toBe(false);
    expect(await storage.get(KEY)).toBeUndefined();
    await storage.put(KEY, Buffer.from('jpeg bytes'), 'image/jpeg');
    expect(await storage.exists(KEY)).toBe(true);
    expect(await storage.get(KEY)).toEqual({ body: Buffer.from('jpeg bytes'), contentType: 'image/jpeg' });
    await storage.put(KEY, Buffer.from('replaced'), 'image/webp');
    expect(await storage.get(KEY)).toEqual({ body: Buffer.from('replaced'), contentType: 'image/webp' });
    // No temporary files left behind by the atomic writes.
    expect(fs.readdirSync(path.dirname(storage.pathOf(KEY))).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    await storage.delete(KEY);
    expect(await storage.exists(KEY)).toBe(false);
    await storage.delete(KEY); // deleting twice is fine
  });

  it('falls back to the extension when the sidecar is missing', async () => {
    await storage.put('evidence/a.pdf', Buffer.from('%PDF'), 'application/pdf');
    fs.rmSync(storage.pathOf('evidence/a.pdf') + '.meta.json');
    expect((await storage.get('evidence/a.pdf'))?.contentType).toBe('application/pdf');
  });

  it('refuses keys that could escape the root or confuse a backend', async () => {
    const bad = ['../etc/passwd', 'reports/../../x', '/etc/passwd', 'reports//x.jpg', 'reports/.hidden', 'a\\b', 'a b.jpg', 'reports/x.jpg.meta.json', '', 'reports/%2e%2e/x', 'x/..', '照片.jpg', 'a'.repeat(600)];
    for (const key of bad) {
      await expect(storage.put(key, Buffer.from('x'), 'text/plain'), key).rejects.toMatchObject({ code: 'storage.invalid_key' });
      await expect(storage.get(key), key).rejects.toBeInstanceOf(AppError);
    }
    expect(fs.existsSync(path.join(root, 'etc'))).toBe(false);
  });

  it('is the default driver, under dataDir/files', () => {
    const s = createStorage(loadConfig({ DATA_DIR: root }));
    expect(s).toBeInstanceOf(LocalDiskStorage);
    expect((s as LocalDiskStorage).root).toBe(path.join(root, 'files'));
  });
});

// The S3 adapter cannot reach a real bucket here (no network); this checks the commands it builds.
describe('S3 storage (command construction only)', () => {
  function fakeClient(reply: (cmd: unknown) => unknown) {
    const sent: unknown[] = [];
    const client: S3Like = { send: async (cmd) => (sent.push(cmd), reply(cmd)) };
    return { client, sent };
  }

  it('maps put/get/exists/delete to S3 commands on the bucket', async () => {
    const { client, sent } = fakeClient((cmd) => {
      if (cmd instanceof GetObjectCommand) return { Body: { transformToByteArray: async () => new Uint8Array([1, 2]) }, ContentType: 'image/png' };
      return {};
    });
    const s3 = new S3Storage({ client, bucket: 'yongai' });
    await s3.put(KEY, Buffer.from('abc'), 'image/jpeg');
    expect(await s3.get(KEY)).toEqual({ body: Buffer.from([1, 2]), contentType: 'image/png' });
    expect(await s3.exists(KEY)).toBe(true);
    await s3.delete(KEY);
    expect(sent.map((c) => c?.constructor)).toEqual([PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand]);
    expect((sent[0] as PutObjectCommand).input).toMatchObject({ Bucket: 'yongai', Key: KEY, ContentType: 'image/jpeg', ContentLength: 3 });
  });

  it('treats missing objects as absent and refuses bad keys before any request', async () => {
    const { client, sent } = fakeClient(() => {
      throw Object.assign(new Error('nope'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    });
    const s3 = new S3Storage({ client, bucket: 'yongai' });
    expect(await s3.get(KEY)).toBeUndefined();
    expect(await s3.exists(KEY)).toBe(false);
    await expect(s3.put('../x', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ code: 'storage.invalid_key' });
    expect(sent).toHaveLength(2);
  });

  it('is chosen by STORAGE_DRIVER=s3 with path-style addressing', async () => {
    const s = createStorage(loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'yongai', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }));
    expect(s).toBeInstanceOf(S3Storage);
    const client = (await (s as S3Storage).client()) as unknown as { config: { forcePathStyle?: boolean } };
    expect(client.config.forcePathStyle).toBe(true);
  });
});
