// npm run pii:rotate — re-encrypts all personal data (phone, name, 身份证 number, merchant and sponsor
// contacts) and the pass signing keys, and recomputes the blind indexes under a new key, one module per
// transaction. Stop the servers first (docs/operations.md). Interrupted? Run it again: values already
// under the new key are read with it (the embedded default keeps the new key in pii.key.pending until done).
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
const keyFile = path.join(config.dataDir, 'keys', 'pii.key');
const pending = `${keyFile}.pending`;
let next: Buffer;
if (fromEnv) next = Buffer.from(fromEnv, 'base64');
else if (fs.existsSync(pending)) next = Buffer.from(fs.readFileSync(pending, 'utf8').trim(), 'base64');
else {
  next = crypto.randomBytes(64);
  // kept before anything is re-encrypted, so an interrupted run can finish with the same key
  fs.writeFileSync(pending, next.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
}
if (next.length !== 64) {
  console.error('PII_KEY_NEW must be base64 of exactly 64 bytes.');
  process.exit(1);
}

const database = await openDatabase(config);
await migrate(database.db);
const services = buildServices(config, { database, keys: { ...loadOrCreateKeys(config), piiAlso: [next] } });
const cipher = createPiiCipher(next);
const counts = await services.workers.rotatePiiKey(cipher);
const merchants = await services.merchants.rotatePiiKey(cipher);
const sponsors = await services.pointsModule.sponsors.rotatePiiKey(cipher);
const passKeys = await services.pass.rotatePiiKey(cipher);
const reportContacts = await services.reportsModule.reports.rotatePiiKey(cipher);
const summary = `${counts.workers} workers, ${counts.verifications} verifications, ${merchants.merchants} merchant contacts, ${sponsors.sponsors} sponsors, ${passKeys.passKeys} pass signing keys, ${reportContacts.contacts} Open311 reporter contacts`;
await database.close();

if (!config.piiKey) {
  const file = keyFile;
  const backup = `${file}.${new Date().toISOString().replace(/[:.]/g, '-')}.old`;
  fs.copyFileSync(file, backup);
  fs.renameSync(pending, file);
  console.log(`Rotated: ${summary}. New key in ${file}; old key kept in ${backup} (delete it once backups taken with the old key have expired).`);
} else {
  console.log(`Rotated: ${summary}. Deploy with PII_KEY set to the value of PII_KEY_NEW.`);
}
