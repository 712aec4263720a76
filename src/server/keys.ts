import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Config } from './config.js';

export interface Keys {
  /** 64 bytes: AES-256-GCM key + HMAC blind-index key for personal data. */
  pii: Buffer;
  /** Only while `npm run pii:rotate` runs: the new key, tried when the current one cannot decrypt. */
  piiAlso?: Buffer[];
}

/**
 * Keys come from configuration in production (PII_KEY). The embedded default generates a key file
 * under DATA_DIR/keys on first run (mode 0600) and reuses it afterwards; losing it loses the data.
 */
export function loadOrCreateKeys(config: Pick<Config, 'dataDir' | 'piiKey'>): Keys {
  if (config.piiKey) return { pii: Buffer.from(config.piiKey, 'base64') };
  const dir = path.join(config.dataDir, 'keys');
  const file = path.join(dir, 'pii.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(64).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 64) throw new Error(`${file} does not hold a 64-byte base64 key`);
  return { pii: key };
}
