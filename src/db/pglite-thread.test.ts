import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { createPglite, databaseInThread, preparingClient, type Database } from './database.js';
import { PgliteThread } from './pglite-thread.js';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { testEngine } from '../../test/helpers/db.js';

// The embedded engine in its own thread (what `npm start` runs). Engine-independent: it runs once, in
// the PGlite project.
describe.skipIf(testEngine !== 'pglite')('embedded database in a worker thread', () => {
  let database: Database;
  beforeAll(async () => {
    database = await databaseInThread({ loadDataDirFile: inject('pgliteTemplate') });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('answers queries with parameters and the types node-postgres gives on the server', async () => {
    const r = await sql<{ n: number; t: string; at: Date; ids: string[]; j: { a: number[] }; ok: boolean; big: number }>`
      select ${41}::int + 1 as n, ${'甬爱'}::text as t, ${new Date('2026-11-24T01:02:03Z')}::timestamptz as at,
        array['6f1e1f9a-2a4b-4c41-9d1c-3f0f7b7a0b11'::uuid] as ids, ${JSON.stringify({ a: [1, 2] })}::jsonb as j, true as ok, count(*) as big
      from generate_series(1, 3)`.execute(database.db);
    expect(r.rows).toEqual([{ n: 42, t: '甬爱', at: new Date('2026-11-24T01:02:03Z'), ids: ['6f1e1f9a-2a4b-4c41-9d1c-3f0f7b7a0b11'], j: { a: [1, 2] }, ok: true, big: 3 }]);
    // the migrated template is there: Ningbo's areas
    const areas = await sql<{ n: number }>`select count(*)::int as n from areas where code like '3302%'`.execute(database.db);
    expect(areas.rows[0]!.n).toBeGreaterThan(100);
  });

  it('returns a large result whole', async () => {
    const r = await sql<{ g: number; s: string }>`select g, repeat('骑', 500) as s from generate_series(1, 4000) g`.execute(database.db);
    expect(r.rows).toHaveLength(4000);
    expect(r.rows[3999]).toEqual({ g: 4000, s: '骑'.repeat(500) });
  });

  it('reports a database error with its code, and the session goes on', async () => {
    await expect(sql`select * from no_such_table where id = ${1}`.execute(database.db)).rejects.toMatchObject({ code: '42P01' });
    await expect(sql`select 1 / ${0}::int as x`.execute(database.db)).rejects.toMatchObject({ code: '22012' });
    const r = await sql<{ ok: number }>`select ${1}::int as ok`.execute(database.db);
    expect(r.rows[0]!.ok).toBe(1);
  });

  it('commits and rolls back transactions, and a failed one leaves nothing behind', async () => {
    await sql`create table thread_t (id int primary key, note text)`.execute(database.db);
    await database.db.transaction().execute(async (trx) => {
      await sql`insert into thread_t values (${1}, ${'kept'})`.execute(trx);
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into thread_t values (${2}, ${'lost'})`.execute(trx);
        await sql`insert into thread_t values (${1}, ${'duplicate key'})`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const r = await sql<{ id: number; note: string }>`select id, note from thread_t order by id`.execute(database.db);
    expect(r.rows).toEqual([{ id: 1, note: 'kept' }]);
  });

  it('keeps concurrent queries and transactions apart (one session, queued)', async () => {
    await sql`create table thread_c (worker int, n int)`.execute(database.db);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => sql<{ i: number }>`select ${i}::int as i`.execute(database.db)));
    expect(answers.map((a) => a.rows[0]!.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await Promise.all(
      Array.from({ length: 10 }, (_, w) =>
        database.db.transaction().execute(async (trx) => {
          for (let n = 0; n < 5; n++) await sql`insert into thread_c values (${w}, ${n})`.execute(trx);
          if (w % 2 === 1) throw new Error('odd workers roll back');
        }).catch(() => undefined),
      ),
    );
    const r = await sql<{ worker: number; n: number }>`select worker, count(*)::int as n from thread_c group by worker order by worker`.execute(database.db);
    expect(r.rows).toEqual([0, 2, 4, 6, 8].map((worker) => ({ worker, n: 5 })));
  });
});

describe.skipIf(testEngine !== 'pglite')('embedded database thread: the pool\'s connections share one session', () => {
  let database: Database;
  beforeAll(async () => {
    database = await databaseInThread({ loadDataDirFile: inject('pgliteTemplate'), connections: 4 });
    await sql`create table shared_t (v int)`.execute(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a statement sent while another connection is inside a transaction waits for it, and never sees what it rolls back', async () => {
    let seen: Promise<number> | undefined;
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into shared_t values (${1})`.execute(trx);
        // another connection asks meanwhile
        seen = sql<{ n: number }>`select count(*)::int as n from shared_t where v = ${1}`.execute(database.db).then((r) => r.rows[0]!.n);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await sql`insert into shared_t values (${2})`.execute(trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await seen).toBe(0);
    // and one that commits is seen whole
    let after: Promise<number> | undefined;
    await database.db.transaction().execute(async (trx) => {
      await sql`insert into shared_t values (${3})`.execute(trx);
      after = sql<{ n: number }>`select count(*)::int as n from shared_t`.execute(database.db).then((r) => r.rows[0]!.n);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sql`insert into shared_t values (${4})`.execute(trx);
    });
    expect(await after).toBe(2);
  });

  it('each connection prepares its own statements, so the same text on several at once is never a clash', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => sql<{ v: number }>`select ${i}::int * 3 as v`.execute(database.db)));
    expect(answers.map((a) => a.rows[0]!.v)).toEqual(Array.from({ length: 60 }, (_, i) => i * 3));
    const names = await sql<{ name: string }>`select name from pg_prepared_statements where statement = ${'select $1::int * 3 as v'}`.execute(database.db);
    expect(names.rows.length).toBeGreaterThan(1);
    expect(names.rows.every((r) => /^ya\d+_\d+$/.test(r.name))).toBe(true);
    expect(new Set(names.rows.map((r) => r.name.split('_')[0])).size).toBe(names.rows.length);
  });

  it('a connection that goes away inside a transaction is rolled back, and the others go on', async () => {
    const thread = database.thread!;
    const query = (text: string) => {
      const body = Buffer.from(`${text}\0`);
      const bytes = new Uint8Array(5 + body.length);
      bytes[0] = 0x51; // 'Q'
      new DataView(bytes.buffer).setInt32(1, 4 + body.length);
      bytes.set(body, 5);
      return bytes;
    };
    const lost = 90;
    await thread.exec(query('begin; insert into shared_t values (99)'), lost);
    // another connection's statement waits for the lost one …
    let answered = false;
    const other = thread.exec(query('select count(*) from shared_t where v = 99'), 91).then((bytes) => {
      answered = true;
      return Buffer.from(bytes).toString('latin1');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    // … until it is released: its transaction is rolled back
    await thread.release(lost);
    const text = await other;
    expect(text).toContain('\u0001\u0000\u0000\u0000\u00010'); // one column, value "0"
    expect((await sql<{ n: number }>`select count(*)::int as n from shared_t where v = ${99}`.execute(database.db)).rows[0]!.n).toBe(0);
  });
});

describe.skipIf(testEngine !== 'pglite')('embedded database thread: life cycle', () => {
  it('keeps what was written across a close and a reopen of the data directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-thread-'));
    try {
      const first = await databaseInThread({ dataDir: path.join(dir, 'pgdata') });
      await sql`create table kept (v text)`.execute(first.db);
      await sql`insert into kept values (${'写入'})`.execute(first.db);
      await first.close();
      const second = await databaseInThread({ dataDir: path.join(dir, 'pgdata') });
      const r = await sql<{ v: string }>`select v from kept`.execute(second.db);
      expect(r.rows).toEqual([{ v: '写入' }]);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails requests after close with a clear error instead of hanging', async () => {
    const thread = await PgliteThread.start({ loadDataDirFile: inject('pgliteTemplate') });
    await thread.close();
    await expect(thread.exec(new Uint8Array([0x51, 0, 0, 0, 13, 0x73, 0x65, 0x6c, 0x65, 0x63, 0x74, 0x20, 0x31, 0]))).rejects.toThrow(/embedded database is closed/);
    await thread.close(); // a second close is harmless
  });

  it('when the thread is lost while serving, queries fail at once with a clear error and the owner is told once', async () => {
    const lost: string[] = [];
    const database = await databaseInThread({ loadDataDirFile: inject('pgliteTemplate'), onLost: (err) => lost.push(err.message) });
    expect((await sql<{ v: number }>`select ${7}::int as v`.execute(database.db)).rows[0]!.v).toBe(7);
    await database.thread!.worker.terminate(); // what a crash of the thread looks like from outside
    await expect(sql`select ${1}::int as v`.execute(database.db)).rejects.toThrow(/embedded database thread exited/);
    expect(lost).toEqual([expect.stringMatching(/embedded database thread exited/)]);
    await database.close();
    // a close asked for is not a loss
    const closed: string[] = [];
    const other = await databaseInThread({ loadDataDirFile: inject('pgliteTemplate'), onLost: (err) => closed.push(err.message) });
    await other.close();
    expect(closed).toEqual([]);
  });

  it('reports a data directory it cannot open at start', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-thread-')), 'not-a-dump.tar.gz');
    fs.writeFileSync(file, 'not a tarball');
    await expect(PgliteThread.start({ loadDataDirFile: file })).rejects.toThrow(/embedded database/);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});

describe.skipIf(testEngine !== 'pglite')('prepared statements on the embedded engine', () => {
  it('prepares a statement once and reuses it; past the limit statements run unnamed, with the same answers', async () => {
    const lite = await createPglite({ loadDataDir: new Blob([fs.readFileSync(inject('pgliteTemplate'))]) });
    const pool = new pg.Pool({ ...createPgConfig(lite), max: 1, Client: preparingClient(2) });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await pool.query('select $1::int * 2 as v', [i])).rows[0].v).toBe(i * 2);
        expect((await pool.query('select $1::text || $2::text as v', ['a', String(i)])).rows[0].v).toBe(`a${i}`);
        // a third text: beyond the limit of two, unnamed
        expect((await pool.query('select $1::int + 100 as v', [i])).rows[0].v).toBe(100 + i);
      }
      const prepared = await pool.query('select name, statement from pg_prepared_statements order by name');
      expect(prepared.rows.map((r: { statement: string }) => r.statement)).toEqual(['select $1::int * 2 as v', 'select $1::text || $2::text as v']);
      // statements without parameters (several commands in one, as migrations send) are never named
      await pool.query('create temp table multi (a int); insert into multi values (1)');
      expect((await pool.query('select count(*)::int as n from multi')).rows[0].n).toBe(1);
    } finally {
      await pool.end();
      await lite.close();
    }
  });
});
