import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import { createPglite, databaseFromPglite, databaseFromUrl, type Database } from '../../src/db/database.js';
import { inject } from 'vitest';
import { adminUrl } from './paths.js';

/** The engine this test project runs on: 'pglite' (default) or 'postgres' (DATABASE_URL). */
export const testEngine = (process.env.TEST_ENGINE ?? 'pglite') as 'pglite' | 'postgres';

/**
 * A fresh database for one test file, copied from the migrated template (schema + Ningbo areas).
 * close() drops it again on the server.
 */
export async function createTestDatabase(): Promise<Database> {
  if (testEngine === 'postgres') {
    const base = process.env.DATABASE_URL;
    if (!base) throw new Error('TEST_ENGINE=postgres needs DATABASE_URL');
    const PG_TEMPLATE_DB = inject('pgTemplateDb');
    const name = `yongai_t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl(base) });
    await admin.connect();
    await admin.query(`create database "${name}" template "${PG_TEMPLATE_DB}"`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const database = databaseFromUrl(url.toString(), 4);
    const close = database.close;
    return {
      ...database,
      async close() {
        await close();
        const a = new pg.Client({ connectionString: adminUrl(base) });
        await a.connect();
        // Let the closed pool's connections finish ending before the drop, so none is killed mid-way.
        for (let i = 0; i < 50; i++) {
          const r = await a.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (r.rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await a.query(`drop database if exists "${name}" with (force)`);
        await a.end();
      },
    };
  }
  const blob = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  return databaseFromPglite(await createPglite({ loadDataDir: blob }));
}
