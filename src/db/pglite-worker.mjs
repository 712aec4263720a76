// The embedded database in its own thread. PGlite (PostgreSQL compiled to WASM) runs every query on the
// thread that calls it; in the server's thread every other request waits while it works. Here it has a
// thread of its own, and the server talks to it in the PostgreSQL
// wire protocol (see pglite-thread.ts). Plain JavaScript so that it loads the same way from src/ (tsx,
// Vitest) and from the bundled server in dist/server/ (npm start copies it there).
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';

/** @type {{ dataDir?: string; loadDataDirFile?: string }} */
const options = workerData ?? {};
if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });

let pglite;
try {
  pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDirFile ? new Blob([fs.readFileSync(options.loadDataDirFile)]) : undefined,
    extensions: { cube, earthdistance, pg_trgm, btree_gist },
  });
  parentPort.postMessage({ kind: 'ready' });
} catch (err) {
  parentPort.postMessage({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

// The server's pool has several connections to this one session (see pglite-thread.ts). Requests run
// one at a time in the order they came, with one exception: while a connection is inside a transaction,
// only its own requests run, and the others wait until it commits or rolls back. Statements outside a
// transaction are each their own transaction, so between two of them another connection's may run,
// exactly as with sessions of their own. So the session never waits for the server's event loop to send
// the next statement while there is one queued.
/** @type {{ id: number; op: 'exec' | 'release' | 'close'; conn?: number; bytes?: Uint8Array }[]} */
const waiting = [];
/** The connection inside a transaction (or in the middle of an unsynced extended query), if any. */
let owner = null;
let running = false;
parentPort.on('message', (request) => {
  waiting.push(request);
  void pump();
});

async function pump() {
  if (running) return;
  running = true;
  try {
    for (;;) {
      const next = waiting.findIndex((r) => owner === null || r.conn === owner || r.op === 'close');
      if (next === -1) return;
      const [request] = waiting.splice(next, 1);
      await answer(request);
    }
  } finally {
    running = false;
  }
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I': not in a transaction block

/** The transaction status of the last ReadyForQuery in an answer, or undefined when it has none. */
function lastStatus(out) {
  let status;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let at = 0; at + 5 <= out.byteLength; at += 1 + view.getInt32(at + 1)) {
    if (out[at] === READY_FOR_QUERY) status = out[at + 5];
  }
  return status;
}

/** Sync (ends an unfinished extended query) then ROLLBACK, as wire-protocol messages. */
function syncAndRollback() {
  const text = new TextEncoder().encode('ROLLBACK\0');
  const bytes = new Uint8Array(5 + 5 + text.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x53; // 'S'
  view.setInt32(1, 4);
  bytes[5] = 0x51; // 'Q'
  view.setInt32(6, 4 + text.length);
  bytes.set(text, 10);
  return bytes;
}

async function answer({ id, op, conn, bytes }) {
  try {
    if (op === 'exec') {
      // One buffer may hold several messages (parse, bind, describe, execute, sync): PGlite runs them all.
      const out = await pglite.execProtocolRaw(bytes);
      // idle after it: the others may go on; anything else (a transaction, or no ReadyForQuery yet): they wait
      owner = lastStatus(out) === IDLE ? null : conn;
      parentPort.postMessage({ id, bytes: out }, [out.buffer]);
    } else if (op === 'release') {
      // a connection that goes away inside a transaction must not keep the session
      if (owner === conn) {
        owner = null;
        await pglite.execProtocolRaw(syncAndRollback());
      }
      parentPort.postMessage({ id });
    } else if (op === 'close') {
      await pglite.close();
      parentPort.postMessage({ id });
      parentPort.close();
    } else {
      throw new Error(`unknown request ${op}`);
    }
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
}
