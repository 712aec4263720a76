import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PgliteThread, ThreadConnections, pgConfigForThread, type ThreadOptions } from './pglite-thread.js';

/**
 * The database handle every repository receives. It knows no tables: each repository narrows it with
 * `db.withTables<ItsOwnTables>()`, so a module can only name the tables it owns.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type Db = Kysely<{}>;

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** The embedded engine, when it runs in this thread (tests dump it as a template). */
  pglite?: PGlite;
  /** The embedded engine's thread, when it runs in one. */
  thread?: PgliteThread;
}

// bigint (int8) and numeric come back as strings from pg by default; counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export const pgliteExtensions = { cube, earthdistance, pg_trgm, btree_gist };

export async function createPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGlite> {
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  return PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: pgliteExtensions,
  });
}

/**
 * A pg Client that prepares each parameterised statement once per session (a named statement) and
 * afterwards only binds and executes it. On the embedded engine every parse and plan runs on our own
 * CPU (about half the cost of a short query), and its single session lives as long as the process, so
 * the statements stay prepared. Bounded: past `limit` distinct texts, new ones run unnamed as before.
 * Not used on the PostgreSQL server, where a rolling migration by another process could invalidate
 * a prepared statement's result type under a running one. Connections to one session name their
 * statements apart (`statementPrefix` of a thread connection).
 */
export function preparingClient(limit = 2000): typeof pg.Client {
  const numbers = new Map<string, number>();
  class PreparingClient extends pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(config: any, values?: any, callback?: any): any {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        let n = numbers.get(config);
        if (n === undefined && numbers.size < limit) numbers.set(config, (n = numbers.size));
        const prefix = (this as unknown as { connection: { statementPrefix?: string } }).connection.statementPrefix ?? 'ya';
        const name = n === undefined ? undefined : `${prefix}${n}`;
        if (name !== undefined) return callback ? super.query({ name, text: config, values }, callback) : super.query({ name, text: config, values });
      }
      return super.query(config, values, callback);
    }
  }
  return PreparingClient as typeof pg.Client;
}

export function databaseFromPglite(pglite: PGlite): Database {
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, Client: preparingClient() });
  const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    pglite,
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

/**
 * How many connections the server's pool has to the embedded engine's one session. With one, the
 * session sat idle between a statement's answer and the next statement, waiting for the server's busy
 * event loop to read the answer and send it; with several, the next statement is already queued in the
 * thread (transactions still run one at a time there). See BENCHMARKS.md (随手拍).
 */
export const THREAD_CONNECTIONS = 4;

/**
 * The embedded engine in a worker thread of its own (what the server runs): its SQL keeps off the HTTP
 * server's event loop, so requests that need no database are not held up by it during a burst, and the
 * pool's connections keep its session busy (see THREAD_CONNECTIONS and BENCHMARKS.md).
 */
export async function databaseInThread(options: ThreadOptions & { connections?: number }): Promise<Database> {
  const { connections = THREAD_CONNECTIONS, ...threadOptions } = options;
  const thread = await PgliteThread.start(threadOptions);
  const free = new ThreadConnections(thread);
  const Preparing = preparingClient();
  class ThreadClient extends Preparing {
    constructor(config: pg.ClientConfig) {
      super({ ...config, connection: free.take() } as pg.ClientConfig);
    }
  }
  const pool = new pg.Pool({ ...pgConfigForThread(connections), Client: ThreadClient as typeof pg.Client });
  // an error outside a query (the thread lost while idle) must not end the process unhandled: onLost decides
  pool.on('error', (err: Error) => console.warn(`database: ${err.message}`));
  const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    thread,
    async close() {
      await db.destroy();
      await thread.close();
    },
  };
}

export function databaseFromUrl(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server ends (restart, failover, admin termination) is dropped from
  // the pool and replaced on next use; without a listener the error would crash the process.
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') console.warn(`database: idle connection lost (${err.code ?? err.message})`);
  });
  const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/** `onLost`: the embedded engine's thread ended while serving (see ThreadOptions). */
export async function openDatabase(config: { databaseUrl?: string; dataDir: string; pgliteThread?: boolean }, onLost?: (err: Error) => void): Promise<Database> {
  if (config.databaseUrl) return databaseFromUrl(config.databaseUrl);
  const dataDir = path.join(config.dataDir, 'pgdata');
  if (config.pgliteThread !== false) return databaseInThread({ dataDir, onLost });
  return databaseFromPglite(await createPglite({ dataDir }));
}

export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
