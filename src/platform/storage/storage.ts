import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';

export interface StoredObject {
  body: Buffer;
  contentType: string;
}

/** Where file bytes live. Keys are relative, slash-separated, e.g. `reports/2026/11/<uuid>.jpg`. */
export interface Storage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | undefined>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const META_SUFFIX = '.meta.json';

/**
 * Keys come from our own code, but they end up as file paths and object names, so anything that could
 * escape the root or confuse a backend is refused: `..`, absolute paths, backslashes, empty segments,
 * dot-files, characters outside [A-Za-z0-9._-/], and the sidecar suffix the disk adapter uses.
 */
export function assertValidKey(key: string): void {
  const ok =
    typeof key === 'string' &&
    key.length > 0 &&
    key.length <= 512 &&
    !key.includes('..') &&
    !key.endsWith(META_SUFFIX) &&
    key.split('/').every((s) => SEGMENT.test(s));
  if (!ok) throw new AppError('storage.invalid_key', `Invalid storage key "${String(key).slice(0, 80)}"`);
}

const byExtension: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};
export const contentTypeForKey = (key: string): string => byExtension[path.extname(key).toLowerCase()] ?? 'application/octet-stream';

/**
 * Files under `<dataDir>/files`. Writes go to a temporary file in the same directory and are renamed
 * into place, so a reader sees the old bytes or the new bytes, never half a file. The content type is
 * kept in a `<file>.meta.json` sidecar (written first, so a visible file always has its type).
 */
export class LocalDiskStorage implements Storage {
  constructor(readonly root: string) {}

  /** The absolute path of a key, for streaming it from disk. */
  pathOf(key: string): string {
    assertValidKey(key);
    const full = path.resolve(this.root, ...key.split('/'));
    if (!full.startsWith(path.resolve(this.root) + path.sep)) {
      throw new AppError('storage.invalid_key', 'Storage key escapes the storage root');
    }
    return full;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeAtomically(file + META_SUFFIX, JSON.stringify({ contentType, size: body.length }));
    await writeAtomically(file, body);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const file = this.pathOf(key);
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    let contentType = contentTypeForKey(key);
    try {
      const meta = JSON.parse(await fs.readFile(file + META_SUFFIX, 'utf8')) as { contentType?: string };
      if (meta.contentType) contentType = meta.contentType;
    } catch (e) {
      if (!isNotFound(e) && !(e instanceof SyntaxError)) throw e;
    }
    return { body, contentType };
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.rm(file, { force: true });
    await fs.rm(file + META_SUFFIX, { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.stat(this.pathOf(key))).isFile();
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }
}

async function writeAtomically(file: string, data: Buffer | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.tmp-${crypto.randomBytes(8).toString('hex')}`);
  try {
    await fs.writeFile(tmp, data, { flag: 'wx' });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

const isNotFound = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');
