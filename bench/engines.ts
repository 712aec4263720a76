// The two database engines the benchmarks compare, each on a fresh migrated database: embedded PGlite
// (in a temporary directory, or `dataDir`) and the PostgreSQL server at DATABASE_URL (a new database,
// dropped afterwards).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPglite, databaseFromPglite, databaseFromUrl, databaseInThread, type Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';

export type Engine = 'pglite' | 'postgres';

/** pglite always; postgres too when DATABASE_URL is set. */
export const enginesToRun = (): Engine[] => (process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']);

/**
 * `pgliteThread`: the embedded engine in a thread of its own, as the server runs it (default), or in the
 * caller's; `pgliteConnections`: the pool's connections to that thread (default THREAD_CONNECTIONS).
 */
export async function openEngine(engine: Engine, opts: { poolSize?: number; dataDir?: string; pgliteThread?: boolean; pgliteConnections?: number } = {}): Promise<{ database: Database; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const tmp = opts.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-bench-'));
    const dataDir = opts.dataDir ?? path.join(tmp!, 'pgdata');
    const database = opts.pgliteThread === false ? databaseFromPglite(await createPglite({ dataDir })) : await databaseInThread({ dataDir, connections: opts.pgliteConnections });
    await migrate(database.db);
    return {
      database,
      async drop() {
        await database.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `yongai_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = databaseFromUrl(url.toString(), opts.poolSize ?? 10);
  await migrate(database.db);
  return {
    database,
    async drop() {
      await database.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}
