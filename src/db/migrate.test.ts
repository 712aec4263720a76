import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Database } from './database.js';
import { migrate, readMigrations } from './migrate.js';
import { createTestDatabase } from '../../test/helpers/db.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe('migrations', () => {
  it('are numbered, named and all applied to the template', async () => {
    const files = readMigrations();
    expect(files[0].name).toBe('0001_extensions');
    expect(new Set(files.map((f) => f.version)).size).toBe(files.length);
    const r = await sql<{ n: number }>`select count(*)::int as n from schema_migrations`.execute(database.db);
    expect(r.rows[0].n).toBe(files.length);
  });

  it('are idempotent: running again applies nothing, also when two run at once', async () => {
    const [a, b] = await Promise.all([migrate(database.db), migrate(database.db)]);
    expect([...a, ...b]).toEqual([]);
  });

  it('apply a new file once, and refuse an applied file that was edited', async () => {
    const files = readMigrations();
    const extra = { version: 9999, name: '9999_test_extra', sql: 'create table test_extra (id int)', checksum: 'abc' };
    expect(await migrate(database.db, [...files, extra])).toEqual(['9999_test_extra']);
    expect(await migrate(database.db, [...files, extra])).toEqual([]);
    await expect(migrate(database.db, [...files, { ...extra, checksum: 'changed' }])).rejects.toThrow(/changed after it was applied/);
  });

  it('roll back a failing migration entirely', async () => {
    const files = readMigrations();
    const bad = { version: 9998, name: '9998_bad', sql: 'create table half_done (id int); select * from no_such_table', checksum: 'x' };
    await expect(migrate(database.db, [...files, bad])).rejects.toThrow();
    const r = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'half_done'`.execute(database.db);
    expect(r.rows[0].n).toBe(0);
  });
});
