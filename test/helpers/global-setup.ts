import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createPglite, databaseFromPglite, databaseFromUrl } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createAreasRepository } from '../../src/modules/areas/areas.repository.js';
import { loadCityAreas } from '../../src/modules/areas/areas.service.js';
import { PGLITE_TEMPLATE, PG_TEMPLATE_DB, TEST_CITY, adminUrl } from './paths.js';

/**
 * Builds the migrated templates once per run: a PGlite data-dir dump, and (with DATABASE_URL) a
 * PostgreSQL template database. Both hold the schema and Ningbo's areas, nothing else.
 */
export default async function setup() {
  fs.mkdirSync(path.dirname(PGLITE_TEMPLATE), { recursive: true });
  const pglite = await createPglite({});
  const lite = databaseFromPglite(pglite);
  await migrate(lite.db);
  await createAreasRepository(lite.db).insertMany(loadCityAreas(TEST_CITY));
  const dump = await pglite.dumpDataDir('gzip');
  fs.writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await lite.close();

  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: adminUrl(process.env.DATABASE_URL) });
    await admin.connect();
    // Drop leftovers of earlier runs (per-file databases are dropped as files finish, unless killed).
    const old = await admin.query(`select datname from pg_database where datname like 'yongai_t_%' or datname = $1`, [PG_TEMPLATE_DB]);
    for (const r of old.rows) {
      await admin.query(`update pg_database set datistemplate = false where datname = $1`, [r.datname]);
      await admin.query(`drop database if exists "${r.datname}" with (force)`);
    }
    await admin.query(`create database "${PG_TEMPLATE_DB}"`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${PG_TEMPLATE_DB}`;
    const server = databaseFromUrl(url.toString(), 2);
    await migrate(server.db);
    await createAreasRepository(server.db).insertMany(loadCityAreas(TEST_CITY));
    await server.close();
    await admin.query(`update pg_database set datistemplate = true where datname = $1`, [PG_TEMPLATE_DB]);
    await admin.end();
  }
}
