// STUB — the platform helper provides createStorage(config) choosing local disk or S3.
import type { Config } from '../../server/config.js';
import type { Storage } from './storage.js';
export function createStorage(_config: Config): Storage {
  const m = new Map<string, { body: Buffer; contentType: string }>();
  return {
    async put(k, body, contentType) { m.set(k, { body, contentType }); },
    async get(k) { return m.get(k); },
    async delete(k) { m.delete(k); },
    async exists(k) { return m.has(k); },
  };
}
