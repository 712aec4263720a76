/**
 * Scans made without network wait here (localStorage, per scanner account) and are uploaded in
 * batches when the network is back. The server keys each scan by its client id, so a batch retried
 * after a lost answer is not counted twice.
 */
import type { OfflineScan } from '@contracts/pass';
import { ApiError, api } from '@ui/api';
import { readJson, writeJson } from './storage';

/** The server takes at most this many per request (OfflineScanUpload). */
export const UPLOAD_BATCH = 500;

export interface UploadResult {
  accepted: number;
  duplicates: number;
  clones: number;
}

/** Network failure, 5xx, 401 (sign in again) or 429: keep the events and try later. */
const isTransient = (e: unknown) => !(e instanceof ApiError) || e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;

export class ScanQueue {
  private readonly key: string;
  private uploading: Promise<UploadResult> | undefined;

  constructor(account: string) {
    this.key = `queue.${account}`;
  }

  list(): OfflineScan[] {
    const q = readJson<OfflineScan[]>(this.key);
    return Array.isArray(q) ? q : [];
  }

  get size() {
    return this.list().length;
  }

  add(scan: OfflineScan) {
    const q = this.list();
    if (!q.some((s) => s.id === scan.id)) q.push(scan);
    writeJson(this.key, q);
  }

  private remove(ids: Set<string>) {
    writeJson(
      this.key,
      this.list().filter((s) => !ids.has(s.id)),
    );
  }

  /**
   * Uploads everything queued, oldest first. A batch the server refuses as a whole (400/403/409: e.g. a
   * place no longer bound to this account) is retried one event at a time so one bad event cannot block
   * the rest; events refused on their own are dropped. Transient failures stop and keep the rest.
   */
  upload(): Promise<UploadResult> {
    this.uploading ??= this.doUpload().finally(() => {
      this.uploading = undefined;
    });
    return this.uploading;
  }

  private async doUpload(): Promise<UploadResult> {
    const total: UploadResult = { accepted: 0, duplicates: 0, clones: 0 };
    const add = (r: UploadResult) => {
      total.accepted += r.accepted;
      total.duplicates += r.duplicates;
      total.clones += r.clones;
    };
    for (;;) {
      const batch = this.list().slice(0, UPLOAD_BATCH);
      if (batch.length === 0) return total;
      try {
        add(await api.post<UploadResult>('/api/scanner/scans', { events: batch }, { quiet401: true }));
        this.remove(new Set(batch.map((s) => s.id)));
      } catch (e) {
        if (isTransient(e)) throw e;
        for (const scan of batch) {
          try {
            add(await api.post<UploadResult>('/api/scanner/scans', { events: [scan] }, { quiet401: true }));
          } catch (one) {
            if (isTransient(one)) throw one;
          }
          this.remove(new Set([scan.id]));
        }
      }
    }
  }
}
