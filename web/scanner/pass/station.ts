/**
 * The scanner's working state, independent of React: the verifier engine, the trust bundle and the
 * server clock offset, the places this account scans for, the replay cache and the upload queue.
 * Verification is always local first (checkPassToken, the same code the server runs), so a verdict
 * shows at once with or without network; when online the server's answer follows and may override.
 */
import {
  checkPassToken,
  decodePassToken,
  fromBase64Url,
  PASS_SKEW_SECONDS,
  type PassCheck,
  type PassGrant,
  type PassPolicyRule,
  type PassReason,
  type PassScope,
  type PassVerdict,
  type RevocationReason,
  type TrustBundle,
} from '@contracts/pass-token';
import { pickEd25519, type Ed25519Engine } from '@contracts/pass-ed25519';
import type { OfflineScan, ScannerContext, ScannerPlace, ScanVerifyResult, SignedBundle } from '@contracts/pass';
import { ApiError, api } from '@ui/api';
import { acceptBundle, BundleRejected, forgetTrust, loadTrust, type BundleRejection, type StoredTrust } from './trust';
import { persistentReplayCache } from './replay';
import { ScanQueue } from './queue';
import { readJson, writeJson } from './storage';

/** Refresh the bundle this often while online (scanners must at least daily). */
export const BUNDLE_REFRESH_MS = 15 * 60_000;
/** Retry queued uploads this often while something is queued. */
export const UPLOAD_RETRY_MS = 30_000;

export type PendingPickup = ScanVerifyResult['pickups'][number] & { state?: 'busy' | 'done' | 'failed'; error?: string };

export interface ScanOutcome {
  eventId: string;
  token: string;
  placeId: string | undefined;
  /** Server-clock ms of the scan. */
  at: number;
  local: PassCheck;
  /** pending: asking the server · done · queued: offline, uploaded later · error: the server refused the request · skipped: not a pass, nothing to ask. */
  server: 'pending' | 'done' | 'queued' | 'error' | 'skipped';
  serverResult?: ScanVerifyResult;
  serverError?: ApiError;
  /** What the screen shows, merged from the local check and the server's answer. */
  verdict: PassVerdict;
  reason: PassReason;
  revocation: RevocationReason | null;
  grants: PassGrant[];
  scope: PassScope | undefined;
  nameMasked: string | null;
  /** Server-clock ms after which the token is no longer accepted. */
  validUntil: number | undefined;
  cloneSuspected: boolean;
  pickups: PendingPickup[];
}

export interface PlacesCache {
  places: ScannerPlace[];
  fetchedAt: number;
}

export interface StationState {
  engine: Ed25519Engine | undefined;
  online: boolean;
  trust: StoredTrust | undefined;
  refreshing: boolean;
  refreshError: BundleRejection | 'offline' | 'failed' | undefined;
  lastRefreshAt: number | undefined;
  places: PlacesCache | undefined;
  placeId: string | undefined;
  queued: number;
  uploading: boolean;
  sessionExpired: boolean;
  current: ScanOutcome | undefined;
}

export interface StationAccount {
  username: string;
  areaCode: string;
}

/** A v4 UUID, also where crypto.randomUUID is missing (plain-http LAN addresses are not secure contexts). */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A place's rules as the verifier reads them (the API types minLevel as a plain integer). */
export function policyOf(place: ScannerPlace | undefined): PassPolicyRule[] | undefined {
  return place?.policy.map((r) => ({ ...r, minLevel: r.minLevel >= 2 ? 2 : 1 }));
}

/** Local red reasons the server can know better (it always has the current keys and status). */
const SERVER_KNOWS_BETTER: PassReason[] = ['no_bundle', 'bundle_stale', 'unknown_kid'];

/** What is known about a scan; the rest of ScanOutcome is derived from it by merge(). */
type ScanFacts = Pick<ScanOutcome, 'eventId' | 'token' | 'placeId' | 'at' | 'local' | 'server' | 'serverResult' | 'serverError' | 'pickups'>;

function merge(o: ScanFacts): ScanOutcome {
  const s = o.serverResult;
  const endOf = (c: PassCheck) => (c.claims ? (c.claims.e + PASS_SKEW_SECONDS) * 1000 : undefined);
  const base = {
    verdict: o.local.verdict,
    reason: o.local.reason,
    revocation: o.local.revocation ?? null,
    grants: o.local.grants,
    scope: o.local.scope,
    nameMasked: null as string | null,
    validUntil: endOf(o.local),
    cloneSuspected: false,
    pickups: o.pickups,
  };
  if (!s) return { ...o, ...base };
  const serverScope: PassScope | undefined = s.level != null && s.platform ? { industry: s.industry, level: s.level === 2 ? 2 : 1, platform: s.platform } : undefined;
  const takeServer = s.verdict === 'red' || (o.local.verdict === 'red' && SERVER_KNOWS_BETTER.includes(o.local.reason));
  const pickups: PendingPickup[] = s.pickups.map((p) => o.pickups.find((q) => q.orderId === p.orderId) ?? p);
  return {
    ...o,
    ...base,
    ...(takeServer
      ? {
          verdict: s.verdict,
          reason: s.reason,
          revocation: s.revocation,
          grants: s.grants,
          scope: serverScope ?? base.scope,
          validUntil: base.validUntil ?? (s.secondsLeft != null ? o.at + s.secondsLeft * 1000 : undefined),
        }
      : o.local.verdict !== 'red'
        ? // Both accept: the server's grants follow the place's current policy (the cached one may be old, or
          // missing for a place id an operator typed).
          { grants: s.grants, scope: base.scope ?? serverScope }
        : {}),
    nameMasked: s.nameMasked,
    cloneSuspected: s.cloneSuspected,
    pickups,
  };
}

type Listener = () => void;

export class ScannerStation {
  private state: StationState;
  private readonly listeners = new Set<Listener>();
  private readonly queue: ScanQueue;
  private readonly city: string;
  private verify: ((pk: Uint8Array, m: Uint8Array, s: Uint8Array) => Promise<boolean>) | undefined;
  private statusBits: { bundle: TrustBundle; bits: Uint8Array } | undefined;
  private readonly replay = persistentReplayCache(() => this.now());
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly cleanups: (() => void)[] = [];
  private ready: Promise<void> | undefined;

  constructor(
    private readonly account: StationAccount,
    private readonly options: { forceEngine?: Ed25519Engine } = {},
  ) {
    this.city = account.areaCode.slice(0, 4);
    this.queue = new ScanQueue(account.username);
    this.state = {
      engine: undefined,
      online: typeof navigator === 'undefined' ? true : navigator.onLine,
      trust: loadTrust(this.city),
      refreshing: false,
      refreshError: undefined,
      lastRefreshAt: undefined,
      places: readJson<PlacesCache>(`places.${account.username}`),
      placeId: readJson<string>(`place.${account.username}`),
      queued: this.queue.size,
      uploading: false,
      sessionExpired: false,
      current: undefined,
    };
  }

  // ---------------------------------------------------------------- state plumbing

  getState = (): StationState => this.state;

  subscribe = (fn: Listener): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private set(patch: Partial<StationState>) {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  /** Now on the server's clock (ms), as measured at the last bundle refresh. */
  now(): number {
    return Date.now() + (this.state.trust?.offsetMs ?? 0);
  }

  place(): ScannerPlace | undefined {
    const id = this.state.placeId;
    if (!id) return undefined;
    return this.state.places?.places.find((p) => p.id === id);
  }

  // ---------------------------------------------------------------- life cycle

  /** Picks the verifier, then refreshes and uploads when online; keeps doing so on a timer and on reconnect. */
  start(): Promise<void> {
    this.attach();
    this.ready ??= (async () => {
      await this.pickEngine();
      if (navigator.onLine) {
        await this.refresh();
        void this.upload();
      }
    })();
    return this.ready;
  }

  private engineReady: Promise<void> | undefined;
  private pickEngine(): Promise<void> {
    this.engineReady ??= pickEd25519(this.options.forceEngine).then((picked) => {
      this.verify = picked.verify;
      this.set({ engine: picked.engine });
    });
    return this.engineReady;
  }

  private attach() {
    if (this.timers.length > 0) return;
    const onOnline = () => {
      this.set({ online: true });
      void this.refresh();
      void this.upload();
    };
    const onOffline = () => this.set({ online: false });
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.cleanups.push(() => window.removeEventListener('online', onOnline), () => window.removeEventListener('offline', onOffline));
    this.timers.push(
      setInterval(() => {
        if (navigator.onLine) void this.refresh();
      }, BUNDLE_REFRESH_MS),
      setInterval(() => {
        if (navigator.onLine && this.queue.size > 0) void this.upload();
      }, UPLOAD_RETRY_MS),
    );
  }

  /** Stops the timers and listeners (start() attaches them again). */
  stop() {
    this.timers.forEach((t) => clearInterval(t));
    this.timers = [];
    this.cleanups.splice(0).forEach((c) => c());
  }

  // ---------------------------------------------------------------- bundle + places

  /**
   * Fetches the places and the trust bundle. The server clock offset is measured on the places
   * request (its serverTime, half the round trip later); the bundle's issuedAt, which the server may
   * cache for up to a minute, is the fallback.
   */
  async refresh(): Promise<void> {
    if (!this.verify) await this.pickEngine();
    if (this.state.refreshing) return;
    this.set({ refreshing: true, refreshError: undefined });
    let offsetMs: number | undefined;
    let failed: BundleRejection | 'offline' | 'failed' | undefined;
    try {
      const t0 = Date.now();
      const ctx = await api.get<ScannerContext>('/api/scanner/context', { quiet401: true });
      const t1 = Date.now();
      offsetMs = Date.parse(ctx.serverTime) - (t0 + t1) / 2;
      const places: PlacesCache = { places: ctx.places, fetchedAt: t1 };
      writeJson(`places.${this.account.username}`, places);
      const keep = ctx.places.some((p) => p.id === this.state.placeId);
      // Keep the chosen place while it is still bound; one bound place is chosen for the guard; with none
      // bound (an operator typing a place id) the typed id stays.
      const placeId = keep || ctx.places.length === 0 ? this.state.placeId : ctx.places.length === 1 ? ctx.places[0].id : undefined;
      if (placeId !== this.state.placeId) writeJson(`place.${this.account.username}`, placeId ?? null);
      this.set({ places, placeId, sessionExpired: false, online: true });
    } catch (e) {
      failed = this.noteFailure(e) === 'offline' ? 'offline' : 'failed';
      if (failed === 'offline') {
        this.set({ refreshing: false, refreshError: failed });
        return;
      }
    }
    try {
      const signed = await api.get<SignedBundle>('/api/pass/bundle', { quiet401: true });
      const fetchedAt = Date.now();
      const trust = await acceptBundle(this.city, signed.jws, this.state.trust, this.verify!, {
        offsetMs: offsetMs ?? signed.bundle.issuedAt - fetchedAt,
        fetchedAt,
      });
      this.set({ trust, lastRefreshAt: fetchedAt });
    } catch (e) {
      failed = e instanceof BundleRejected ? e.reason : this.noteFailure(e) === 'offline' ? 'offline' : 'failed';
    }
    this.set({ refreshing: false, refreshError: failed });
  }

  /** Trust the next bundle as if it were the first (after a key change this scanner missed). */
  async resetTrust(): Promise<void> {
    forgetTrust(this.city);
    this.statusBits = undefined;
    this.set({ trust: undefined });
    await this.refresh();
  }

  selectPlace(placeId: string | undefined) {
    writeJson(`place.${this.account.username}`, placeId ?? null);
    this.set({ placeId });
  }

  /** Operators without bound places scan for a place id they type (the server checks their scope). */
  useAnyPlace(placeId: string) {
    this.selectPlace(placeId);
  }

  /**
   * Notes what a failed request says about the network and the session: offline (no answer),
   * session (401: sign in again to upload), transient (5xx, 429: try later) or refused (any other 4xx).
   */
  private noteFailure(e: unknown): 'offline' | 'session' | 'transient' | 'refused' {
    if (!(e instanceof ApiError) || e.status === 0) {
      this.set({ online: navigator.onLine });
      return 'offline';
    }
    if (e.status === 401) {
      this.set({ sessionExpired: true });
      return 'session';
    }
    return e.status >= 500 || e.status === 429 || e.status === 408 ? 'transient' : 'refused';
  }

  private bitsOf(bundle: TrustBundle): Uint8Array {
    if (this.statusBits?.bundle !== bundle) this.statusBits = { bundle, bits: fromBase64Url(bundle.status.bits) ?? new Uint8Array(0) };
    return this.statusBits.bits;
  }

  // ---------------------------------------------------------------- scanning

  async scan(raw: string): Promise<ScanOutcome> {
    if (!this.verify) await this.pickEngine();
    const token = raw.trim();
    const place = this.place();
    const placeId = this.state.placeId;
    const bundle = this.state.trust?.bundle;
    const at = this.now();
    const local = await checkPassToken(token, {
      bundle,
      statusBits: bundle ? this.bitsOf(bundle) : undefined,
      nowMs: at,
      verify: this.verify!,
      policy: policyOf(place),
      replay: this.replay,
    });
    const isPassToken = token.length <= 1024 && !('error' in decodePassToken(token));
    let outcome = merge({
      eventId: uuid(),
      token,
      placeId,
      at,
      local,
      server: isPassToken && placeId ? 'pending' : 'skipped',
      pickups: [],
    });
    if (outcome.server === 'pending' && !navigator.onLine) {
      this.enqueue(outcome);
      outcome = { ...outcome, server: 'queued' };
    }
    this.set({ current: outcome });
    if (outcome.server === 'pending') void this.askServer(outcome);
    return outcome;
  }

  private update(eventId: string, fn: (o: ScanOutcome) => ScanOutcome) {
    const cur = this.state.current;
    if (cur?.eventId === eventId) this.set({ current: merge(fn(cur)) });
  }

  private async askServer(o: ScanOutcome) {
    try {
      const result = await api.post<ScanVerifyResult>(
        '/api/scanner/verify',
        { token: o.token, placeId: o.placeId, eventId: o.eventId },
        { quiet401: true, idempotencyKey: o.eventId },
      );
      this.update(o.eventId, (cur) => ({ ...cur, server: 'done', serverResult: result }));
    } catch (e) {
      // No network, no session, or a server failure: keep the scan and upload it later (same event id).
      if (this.noteFailure(e) !== 'refused') {
        this.enqueue(o);
        this.update(o.eventId, (cur) => ({ ...cur, server: 'queued' }));
      } else {
        this.update(o.eventId, (cur) => ({ ...cur, server: 'error', serverError: e instanceof ApiError ? e : undefined }));
      }
    }
  }

  /** Keeps a scan the server has not seen, with what the screen showed (never the name: offline it is not known). */
  private enqueue(o: ScanOutcome) {
    if (!o.placeId) return;
    const shown = o.scope && o.verdict !== 'red' ? ['industry', 'platform', 'level', 'secondsLeft'] : [];
    const scan: OfflineScan = {
      id: o.eventId,
      token: o.token,
      placeId: o.placeId,
      scannedAt: new Date(o.at).toISOString(),
      verdict: o.local.verdict,
      reason: o.local.reason,
      grants: o.local.grants,
      shown,
    };
    this.queue.add(scan);
    this.set({ queued: this.queue.size });
  }

  dismiss() {
    this.set({ current: undefined });
  }

  async upload(): Promise<void> {
    if (this.queue.size === 0) {
      this.set({ queued: 0 });
      return;
    }
    this.set({ uploading: true });
    try {
      await this.queue.upload();
    } catch (e) {
      this.noteFailure(e);
    } finally {
      this.set({ uploading: false, queued: this.queue.size });
    }
  }

  /** Hands over a points reward ordered by this worker for pickup here (online only). */
  async completePickup(orderId: string): Promise<void> {
    const o = this.state.current;
    if (!o || !o.placeId) return;
    const mark = (state: PendingPickup['state'], error?: string) =>
      this.update(o.eventId, (cur) => ({ ...cur, pickups: cur.pickups.map((p) => (p.orderId === orderId ? { ...p, state, error } : p)) }));
    mark('busy');
    try {
      await api.post('/api/scanner/pickups', { token: o.token, placeId: o.placeId, orderId }, { quiet401: true, idempotencyKey: `pickup-${o.eventId}-${orderId}` });
      mark('done');
    } catch (e) {
      this.noteFailure(e);
      mark('failed', e instanceof ApiError ? e.code : undefined);
    }
  }
}
