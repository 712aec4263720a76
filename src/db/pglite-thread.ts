import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { serialize } from 'pg-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';

/**
 * Embedded PGlite in a worker thread (`pglite-worker.mjs`), so its SQL does not occupy the HTTP server's
 * event loop. The server's `pg` pool talks to it through several {@link PgliteThreadConnection}s to its
 * one session: the same wire-protocol messages node-postgres sends over TCP, batched per tick and
 * answered as raw bytes, which node-postgres's own parser (pg-protocol) reads. The thread keeps the
 * connections' transactions apart (one at a time), so nothing above the pool can tell the difference.
 */
export class PgliteThread {
  /** The thread itself (tests end it to see a lost database handled). */
  readonly worker: Worker;
  #closing = false;
  readonly #pending = new Map<number, { resolve(bytes: Uint8Array): void; reject(err: Error): void }>();
  #nextId = 1;
  /** Set once the thread has died or been closed: every later request fails with it. */
  #gone: Error | null = null;
  readonly ready: Promise<void>;

  private constructor(options: ThreadOptions) {
    const { onLost, ...workerData } = options;
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData });
    let started = false;
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: { kind?: string; id?: number; bytes?: Uint8Array; error?: string; message?: string }) => {
        if (m.kind === 'ready') {
          started = true;
          return resolve();
        }
        if (m.kind === 'failed') return reject(new Error(`embedded database failed to start: ${m.message}`));
        const waiter = this.#pending.get(m.id!);
        if (!waiter) return;
        this.#pending.delete(m.id!);
        if (m.error !== undefined) waiter.reject(new Error(`embedded database: ${m.error}`));
        else waiter.resolve(m.bytes ?? new Uint8Array(0));
      });
      const die = (err: Error) => {
        const first = this.#gone === null;
        this.#gone ??= err;
        reject(err);
        for (const w of this.#pending.values()) w.reject(err);
        this.#pending.clear();
        // lost while serving (not asked to close, not a failed start): whoever runs the process decides
        if (first && started && !this.#closing) onLost?.(err);
      };
      this.worker.on('error', (err) => die(new Error(`embedded database thread crashed: ${err.message}`)));
      this.worker.on('exit', (code) => die(new Error(`embedded database thread exited (code ${code})`)));
    });
    // A start-up failure is reported by `start`; keep it from also surfacing as an unhandled rejection.
    this.ready.catch(() => {});
  }

  /** Starts the thread on a data directory (created if missing) or on a dump (PGlite's `dumpDataDir`) read from a file. */
  static async start(options: ThreadOptions): Promise<PgliteThread> {
    const thread = new PgliteThread(options);
    await thread.ready;
    return thread;
  }

  #request(op: 'exec' | 'release' | 'close', conn?: number, bytes?: Uint8Array): Promise<Uint8Array> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // the bytes are ours (freshly serialised): hand their memory over rather than copy it
      this.worker.postMessage({ id, op, conn, bytes }, bytes ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  /**
   * Runs wire-protocol messages (one buffer may hold several) for connection `conn` and returns the
   * server's raw answer. While a connection is inside a transaction only its requests run; the others
   * wait in the thread until it ends (see pglite-worker.mjs).
   */
  exec(bytes: Uint8Array, conn = 0): Promise<Uint8Array> {
    return this.#request('exec', conn, bytes);
  }

  /** Connection `conn` goes away: a transaction it left open is rolled back, so the others may go on. */
  async release(conn: number): Promise<void> {
    await this.#request('release', conn);
  }

  async close(): Promise<void> {
    if (this.#gone) return;
    this.#closing = true;
    await this.#request('close');
    this.#gone = new Error('embedded database is closed');
    await this.worker.terminate();
  }
}

export interface ThreadOptions {
  dataDir?: string;
  /** A dump (PGlite's `dumpDataDir`) to start from, read from this file. */
  loadDataDirFile?: string;
  /** Called once if the thread ends while serving (a crash), not after close(): every query fails from then on. */
  onLost?: (err: Error) => void;
}

type Message = { name: string } & Record<string, unknown>;

/**
 * What node-postgres's Client expects of its `connection` (the interface of pg's own Connection and of
 * PGlite's in-process adapter), over a {@link PgliteThread}. Messages written in one tick go to the thread
 * as one buffer — a prepared query is five messages — and the answer's messages are emitted in order.
 */
export class PgliteThreadConnection extends EventEmitter {
  readonly #thread: PgliteThread;
  /** Which of the pool's connections this is: the thread keeps transactions apart by it. */
  readonly slot: number;
  /** Prepared statements are the session's, shared by every connection: each names its own apart. */
  readonly statementPrefix: string;
  /** Told when an ended client has given this connection back (see ThreadConnections). */
  onEnd?: () => void;
  #outgoing: Buffer[] = [];
  #queue: Promise<void> = Promise.resolve();
  #parser = new Parser();
  #emitMessage = false;

  // read by pg's Client
  public _connecting = false;
  public readonly stream = { destroy: () => this.end() };
  public parsedStatements = {};
  public submittedNamedStatements = {};

  constructor(thread: PgliteThread, slot = 0) {
    super();
    this.#thread = thread;
    this.slot = slot;
    this.statementPrefix = `ya${slot}_`;
    this.on('newListener', (name) => {
      if (name === 'message') this.#emitMessage = true;
    });
  }

  #send(bytes: Buffer) {
    this.#outgoing.push(bytes);
    if (this.#outgoing.length === 1) queueMicrotask(() => this.#flush());
  }

  #flush() {
    const batch = this.#outgoing.length === 1 ? this.#outgoing[0]! : Buffer.concat(this.#outgoing);
    this.#outgoing = [];
    // a copy we own, so its memory can be transferred to the thread
    const bytes = new Uint8Array(batch.byteLength);
    bytes.set(batch);
    this.#queue = this.#queue
      .then(() => this.#thread.exec(bytes, this.slot))
      .then((answer) => {
        if (!answer.byteLength) return;
        this.#parser.parse(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength), (m) => {
          const msg = m as unknown as Message;
          if (this.#emitMessage) this.emit('message', msg);
          // node-postgres names the ErrorResponse event 'errorMessage'
          this.emit(msg.name === 'error' ? 'errorMessage' : msg.name, msg);
        });
      })
      .catch((err: Error) => {
        // pg's Client fails its queries with this, then re-emits it on itself, which throws when nobody
        // listens (a checked-out client): the queries have their error, and the queue must not reject
        try {
          this.emit('error', err);
        } catch {
          // nothing more to tell
        }
      });
  }

  async connect(_port: number, _host: string) {
    this._connecting = true;
    await this.#thread.ready;
    process.nextTick(() => this.emit('readyForQuery'));
  }

  // The thread's session is already started and trusted: no SSL, start-up or password exchange.
  requestSsl() {}
  startup(_config: unknown) {}
  cancel(_processId: unknown, _secretKey: unknown) {}
  password(_password: string) {}
  ref() {}
  unref() {}

  query(text: string) {
    this.#send(serialize.query(text));
  }
  parse(query: Parameters<typeof serialize.parse>[0]) {
    this.#send(serialize.parse(query));
  }
  bind(config: Parameters<typeof serialize.bind>[0]) {
    this.#send(serialize.bind(config));
  }
  execute(config: Parameters<typeof serialize.execute>[0]) {
    this.#send(serialize.execute(config));
  }
  describe(msg: Parameters<typeof serialize.describe>[0]) {
    this.#send(serialize.describe(msg));
  }
  close(msg: Parameters<typeof serialize.close>[0]) {
    this.#send(serialize.close(msg));
  }
  flush() {
    this.#send(serialize.flush());
  }
  sync() {
    this.#send(serialize.sync());
  }
  sendCopyFromChunk(chunk: Buffer) {
    this.#send(serialize.copyData(chunk));
  }
  endCopyFrom() {
    this.#send(serialize.copyDone());
  }
  sendCopyFail(msg: string) {
    this.#send(serialize.copyFail(msg));
  }

  /**
   * Like a socket closing: pg waits for 'end'. The thread is shared by the pool and stays up; a
   * transaction this client left open is rolled back first, and the connection (with the statements it
   * prepared) is kept for the pool's next client.
   */
  end() {
    this.#queue = this.#queue
      .then(() => this.#thread.release(this.slot))
      .catch(() => {
        // the thread is gone: nothing is left to release
      })
      .then(() => {
        this.emit('end');
        // the ended client's listeners must go before the next client takes this connection
        for (const name of this.eventNames()) if (name !== 'newListener') this.removeAllListeners(name);
        this.#emitMessage = false;
        this.#parser = new Parser();
        this.onEnd?.();
      });
  }
}

/**
 * The connections of a pool over one thread. A client takes a free one (a new one if none is free: the
 * pool may create a client before the one it replaces has given its connection back) and gives it back
 * when it ends, so the statements a connection prepared serve the clients after it.
 */
export class ThreadConnections {
  readonly #free: PgliteThreadConnection[] = [];
  #made = 0;
  constructor(readonly thread: PgliteThread) {}

  take(): PgliteThreadConnection {
    const connection = this.#free.pop() ?? new PgliteThreadConnection(this.thread, this.#made++);
    connection.onEnd = () => this.#free.push(connection);
    return connection;
  }
}

/** A `pg.Pool` config for `connections` connections to the thread (its `Client` takes them: see databaseInThread). */
export function pgConfigForThread(connections: number) {
  return {
    max: connections,
    // kept open: a connection costs nothing while idle, and its prepared statements stay useful
    idleTimeoutMillis: 0,
    user: 'postgres',
    database: 'postgres',
    password: 'unused',
    host: 'localhost',
    port: 5432,
  };
}
