import closeWithGrace from 'close-with-grace';
import { loadConfig, ConfigError } from './config.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { loadOrCreateKeys } from './keys.js';
import { buildApp } from './app.js';
import { seedDemoCity } from './demo-seed.js';

/** Start-up: config → database → migrations (under a lock) → demo seed → app → listen → jobs. */
async function main() {
  const started = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const database = await openDatabase(config, (err) => {
    // Nothing can be stored any more: stop, so a supervisor (systemd, Docker, the operator) starts it again.
    console.error(`The embedded database stopped (${err.message}); exiting so the process can be restarted.`);
    process.exit(1);
  });
  const applied = await migrate(database.db);
  const keys = loadOrCreateKeys(config);
  const app = await buildApp(config, { database, keys });
  if (applied.length) app.log.info({ applied }, 'migrations applied');

  const seed = config.seedDemo ? await seedDemoCity(app.services) : { seeded: false, logins: [] };
  await app.listen({ port: config.port, host: config.host });
  if (config.jobs.enabled) app.services.jobs.start();

  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : config.port;
  const base = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${boundPort}`) : config.publicUrl;
  const lines = [
    '',
    `甬爱 Yong'ai is running (${database.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL server'}), ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  Worker app   ${base}/worker/   (map of places near you, no sign-in: ${base}/worker/map)`,
    `  Admin        ${base}/admin/`,
    `  Scanner      ${base}/scanner/`,
    `  API docs     ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
    `  Health       ${base}/healthz  ${base}/readyz  ${base}/metrics`,
  ];
  if (seed.logins.length) {
    lines.push('', seed.seeded ? 'Demo city seeded: Ningbo (3302). Demo log-ins:' : 'Demo log-ins (Ningbo, 3302):');
    for (const l of seed.logins) {
      lines.push(`  ${l.app.padEnd(8)} ${l.role.padEnd(14)} ${l.username.padEnd(14)} ${l.password ?? ''}  ${l.note}`);
    }
  }
  if (config.sms.provider === 'outbox') {
    lines.push('', `SMS codes are written to ${config.dataDir}/sms-outbox.jsonl (npm run sms:outbox shows the latest).`);
  }
  console.log(lines.join('\n') + '\n');

  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'closing after error');
    else app.log.info({ signal }, 'shutting down');
    await app.services.jobs.stop();
    await app.close();
    await database.close();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
