// npm run pii:rotate — re-encrypts all personal data (phone, name, 身份证 number) and recomputes the
// blind indexes under a new key, in one transaction. Stop the servers first (docs/operations.md).
//   embedded default (key file DATA_DIR/keys/pii.key): a new key is generated, the old file is kept
//     as pii.key.<timestamp>.old until you delete it;
//   PII_KEY set: pass the new key as PII_KEY_NEW (openssl rand -base64 64), then deploy with
//     PII_KEY=<the new key>.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { loadOrCreateKeys } from '../src/server/keys.js';
import { buildServices } from '../src/server/services.js';
import { createPiiCipher } from '../src/shared/pii.js';

const config = loadConfig();
const fromEnv = process.env.PII_KEY_NEW;
if (config.piiKey && !fromEnv) {
  console.error('PII_KEY is set: pass the new key as PII_KEY_NEW (base64 of 64 bytes).');
  process.exit(1);
}
const next = fromEnv ? Buffer.from(fromEnv, 'base64') : crypto.randomBytes(64);
if (next.length !== 64) {
  console.error('PII_KEY_NEW must be base64 of exactly 64 bytes.');
  process.exit(1);
}

const database = await openDatabase(config);
await migrate(database.db);
const services = buildServices(config, { database, keys: loadOrCreateKeys(config) });
const counts = await services.workers.rotatePiiKey(createPiiCipher(next));
await database.close();

if (!config.piiKey) {
  const file = path.join(config.dataDir, 'keys', 'pii.key');
  const backup = `${file}.${new Date().toISOString().replace(/[:.]/g, '-')}.old`;
  fs.copyFileSync(file, backup);
  fs.writeFileSync(`${file}.new`, next.toString('base64') + '\n', { mode: 0o600 });
  fs.renameSync(`${file}.new`, file);
  console.log(`Rotated: ${counts.workers} workers, ${counts.verifications} verifications. New key in ${file}; old key kept in ${backup} (delete it once backups taken with the old key have expired).`);
} else {
  console.log(`Rotated: ${counts.workers} workers, ${counts.verifications} verifications. Deploy with PII_KEY set to the value of PII_KEY_NEW.`);
}
