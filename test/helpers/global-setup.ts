import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createPglite, databaseFromPglite, databaseFromUrl } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createAreasRepository } from '../../src/modules/areas/areas.repository.js';
import { loadCityAreas } from '../../src/modules/areas/areas.service.js';
import type { TestProject } from 'vitest/node';
import { TMP, TEST_CITY, adminUrl } from './paths.js';

/**
 * Builds the migrated templates once per run: a PGlite data-dir dump, and (with DATABASE_URL) a
 * PostgreSQL template database. Both hold the schema and Ningbo's areas, nothing else.
 */
export default async function setup(project: TestProject) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (project.name === 'browser' && !fs.existsSync(chromium)) {
    console.warn(`Browser tests skipped: no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
  }
  // Unique per run, so several runs on one machine (developers, helpers, CI) never share a template.
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const PGLITE_TEMPLATE = path.join(TMP, `pglite-template-${runId}.tar.gz`);
  const PG_TEMPLATE_DB = `yongai_tpl_${runId}`;
  fs.mkdirSync(TMP, { recursive: true });
  project.provide('pgliteTemplate', PGLITE_TEMPLATE);
  project.provide('pgTemplateDb', PG_TEMPLATE_DB);
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

  return async () => {
    fs.rmSync(PGLITE_TEMPLATE, { force: true });
    if (process.env.DATABASE_URL) {
      const admin = new pg.Client({ connectionString: adminUrl(process.env.DATABASE_URL) });
      await admin.connect();
      await admin.query(`update pg_database set datistemplate = false where datname = $1`, [PG_TEMPLATE_DB]);
      await admin.query(`drop database if exists "${PG_TEMPLATE_DB}" with (force)`);
      await admin.end();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplateDb: string;
  }
}
