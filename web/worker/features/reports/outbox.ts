import { useSyncExternalStore } from 'react';
import type { Problem } from '@contracts/errors';
import type { ReportSubmit, UploadedPhoto, WorkerReport } from '@contracts/reports';
import { ApiError, loadSession } from '@ui/api';

/**
 * The 随手拍 outbox: every report is written here first (photos as Blobs, in IndexedDB), then sent —
 * photos one by one, then the report — each request with an Idempotency-Key derived from the report's
 * client id, and the report itself carrying that id, so a retry after a lost answer never files a
 * second report. Sending runs at app start, on every `online` event, now and then while something
 * waits, and right after a report is filed. Riders file from the road: no signal is the normal case.
 */

export type OutboxState = 'queued' | 'failed' | 'sent';

export interface OutboxItem {
  clientId: string;
  /** Only this worker's session sends it (a shared phone must not file one rider's report as another's). */
  workerId: string;
  createdAt: string;
  input: Omit<ReportSubmit, 'clientId' | 'photoIds'>;
  /** Only the first is kept once sent (the card's thumbnail), until the item leaves the card. */
  photos: Blob[];
  /** Ids of the photos already uploaded (null: not yet). */
  photoIds: (string | null)[];
  /** Bumped when the photos had to be uploaded again (the report's body, and so its key, changes). */
  generation: number;
  state: OutboxState;
  /** The error code that stopped it (failed), or why it waits (queued). */
  error?: string;
  attempts: number;
  report?: { id: string; code: string };
  sentAt?: string;
}

const DB_NAME = 'yongai-reports';
const STORE = 'outbox';
/** A sent report stays on the outbox card this long, so the rider sees it went. */
const SHOW_SENT_MS = 30 * 60_000;

// ---------------------------------------------------------------- storage (IndexedDB, else memory)

let dbPromise: Promise<IDBDatabase | null> | undefined;
const memory = new Map<string, OutboxItem>();

function openDb(): Promise<IDBDatabase | null> {
  dbPromise ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    try {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'clientId' });
      };
      req.onsuccess = () => resolve(req.result);
      // Private modes without IndexedDB: the outbox lives as long as the page.
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return dbPromise;
}

function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        if (!db) return reject(new Error('no IndexedDB'));
        const tx = db.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

async function readAll(): Promise<OutboxItem[]> {
  const db = await openDb();
  const stored = db ? await run<OutboxItem[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>).catch(() => []) : [];
  const items = new Map(stored.map((i) => [i.clientId, i]));
  for (const [id, i] of memory) items.set(id, i);
  return [...items.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Into IndexedDB; where it refuses (no IndexedDB, Blobs not storable, quota), kept in memory for this visit. */
async function write(item: OutboxItem): Promise<void> {
  const db = await openDb();
  try {
    if (!db) throw new Error('no IndexedDB');
    await run('readwrite', (s) => s.put(item));
    memory.delete(item.clientId);
  } catch {
    memory.set(item.clientId, item);
  }
}

async function remove(clientId: string): Promise<void> {
  memory.delete(clientId);
  const db = await openDb();
  if (db) await run('readwrite', (s) => s.delete(clientId)).catch(() => undefined);
}

// ---------------------------------------------------------------- the snapshot the screens read

let snapshot: OutboxItem[] = [];
let loaded = false;
const listeners = new Set<() => void>();

async function refresh(): Promise<void> {
  snapshot = await readAll().catch(() => [...memory.values()]);
  loaded = true;
  listeners.forEach((l) => l());
}

function subscribe(fn: () => void) {
  listeners.add(fn);
  if (!loaded) void refresh();
  return () => listeners.delete(fn);
}

/** The outbox as the screens show it: waiting, failed and just-sent reports, oldest first. */
export function useOutbox(): OutboxItem[] {
  return useSyncExternalStore(subscribe, () => snapshot);
}

/** How many reports wait to be sent (queued or failed). */
export const pendingCount = (items: OutboxItem[]) => items.filter((i) => i.state !== 'sent').length;

// ---------------------------------------------------------------- filing and sending

function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().replace(/-/g, '');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Files a report into the outbox (works offline) and starts sending it. */
export async function enqueueReport(workerId: string, input: OutboxItem['input'], photos: Blob[]): Promise<OutboxItem> {
  const item: OutboxItem = {
    clientId: newClientId(),
    workerId,
    createdAt: new Date().toISOString(),
    input,
    photos,
    photoIds: photos.map(() => null),
    generation: 0,
    state: 'queued',
    attempts: 0,
  };
  await write(item);
  await refresh();
  void syncOutbox();
  return item;
}

/** A failed report back into the queue (the rider tapped 重试). */
export async function retryItem(clientId: string): Promise<void> {
  const item = snapshot.find((i) => i.clientId === clientId);
  if (!item) return;
  await write({ ...item, state: 'queued', error: undefined });
  await refresh();
  void syncOutbox();
}

export async function discardItem(clientId: string): Promise<void> {
  await remove(clientId);
  await refresh();
}

/** The status of the item now (after a sync), read from storage. */
export function findItem(clientId: string): OutboxItem | undefined {
  return snapshot.find((i) => i.clientId === clientId);
}

const sentListeners = new Set<(item: OutboxItem) => void>();

/** Called after each report leaves the outbox (the lists of my reports are stale then). */
export function onReportSent(fn: (item: OutboxItem) => void): () => void {
  sentListeners.add(fn);
  return () => sentListeners.delete(fn);
}

class Stop extends Error {}

async function problemOf(res: Response): Promise<ApiError> {
  let data: unknown;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  const problem: Problem =
    data && typeof data === 'object' && 'code' in data ? (data as Problem) : { type: 'about:blank', title: res.statusText, status: res.status, code: 'internal.error' };
  return new ApiError(res.status, problem);
}

/** A request from the outbox: never triggers the app's 401 redirect (it runs behind every screen). */
async function send<T>(url: string, body: Blob | string, contentType: string, csrf: string, key: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': contentType, 'x-csrf-token': csrf, 'idempotency-key': key },
      body,
      credentials: 'same-origin',
    });
  } catch {
    throw new Stop('network');
  }
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** Worth trying again later as is: the server is busy, rate-limiting, or mid-way through the same request. */
const transient = (e: ApiError) => e.status >= 500 || e.status === 429 || e.code === 'request.conflict' || e.status === 401;

async function sendItem(item: OutboxItem, csrf: string): Promise<void> {
  let current: OutboxItem = { ...item, attempts: item.attempts + 1 };
  for (let round = 0; round < 2; round++) {
    try {
      for (let i = 0; i < current.photos.length; i++) {
        if (current.photoIds[i]) continue;
        const blob = current.photos[i];
        const photo = await send<UploadedPhoto>('/api/reports/photos', blob, blob.type || 'image/jpeg', csrf, `${current.clientId}-g${current.generation}-p${i}`);
        current = { ...current, photoIds: current.photoIds.map((id, j) => (j === i ? photo.id : id)) };
        await write(current);
      }
      const body: ReportSubmit = { ...current.input, clientId: current.clientId, photoIds: current.photoIds as string[] };
      const report = await send<WorkerReport>('/api/reports', JSON.stringify(body), 'application/json', csrf, `${current.clientId}-g${current.generation}`);
      const sent: OutboxItem = { ...current, state: 'sent', error: undefined, photos: current.photos.slice(0, 1), report: { id: report.id, code: report.code }, sentAt: new Date().toISOString() };
      await write(sent);
      sentListeners.forEach((l) => l(sent));
      return;
    } catch (e) {
      if (e instanceof Stop) {
        await write(current);
        throw e;
      }
      const err = e instanceof ApiError ? e : new ApiError(0, { type: 'about:blank', title: 'error', status: 0, code: 'internal.error' });
      // Uploaded photos are dropped if the report doesn't follow within a day: upload them again, once.
      if (err.code === 'reports.photo_not_found' && round === 0) {
        current = { ...current, photoIds: current.photoIds.map(() => null), generation: current.generation + 1 };
        continue;
      }
      if (transient(err)) {
        await write({ ...current, state: 'queued', error: err.code });
        if (err.status === 401) throw new Stop('signed out');
        return;
      }
      await write({ ...current, state: 'failed', error: err.code });
      return;
    }
  }
}

async function syncOnce(): Promise<void> {
  const all = await readAll();
  // Sent reports leave the card after a while.
  const cutoff = Date.now() - SHOW_SENT_MS;
  for (const i of all) if (i.state === 'sent' && i.sentAt && Date.parse(i.sentAt) < cutoff) await remove(i.clientId);
  const waiting = all.filter((i) => i.state === 'queued');
  if (!waiting.length) return;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
  const session = await loadSession().catch(() => undefined);
  if (!session || session.kind !== 'worker') return;
  for (const item of waiting) {
    if (item.workerId !== session.id) continue;
    try {
      await sendItem(item, session.csrfToken);
    } catch {
      break; // no network or no session: the rest wait for the next chance
    } finally {
      await refresh();
    }
  }
}

let running: Promise<void> | undefined;
let again = false;

/** Sends what waits; concurrent calls share one run (and one more after it if asked meanwhile). */
export function syncOutbox(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // One tab at a time: two tabs sending the same report would only be saved by the server's dedupe.
  const once = () => (locks ? locks.request('yongai.reports.outbox', () => syncOnce()) : syncOnce());
  running = (async () => {
    do {
      again = false;
      await once().catch(() => undefined);
    } while (again);
    await refresh();
  })().finally(() => {
    running = undefined;
  });
  return running;
}
