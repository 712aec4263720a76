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

// Requests are answered one at a time, in the order they came: the protocol is a conversation.
let queue = Promise.resolve();
parentPort.on('message', (request) => {
  queue = queue.then(() => answer(request));
});

async function answer({ id, op, bytes }) {
  try {
    if (op === 'exec') {
      // One buffer may hold several messages (parse, bind, describe, execute, sync): PGlite runs them all.
      const out = await pglite.execProtocolRaw(bytes);
      parentPort.postMessage({ id, bytes: out }, [out.buffer]);
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
