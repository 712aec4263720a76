import type { Db } from '../../db/database.js';
import type { Config } from '../../server/config.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import type { AdminWorker, WorkerListQuery } from '../../contracts/workers.js';
import { industries, type Industry } from '../../contracts/workers.js';
import {
  PASS_PRESIGNED,
  PASS_REFRESH_SECONDS,
  PASS_TTL_SECONDS,
  checkPassToken,
  decodePassToken,
  packScope,
  platformCode,
  toBase64Url,
  type AdminPass,
  type Ed25519Verify,
  type Jwks,
  type MyPass,
  type PassCheck,
  type PassKeyItem,
  type PassStatus,
  type RevocationReason,
  type RevokeInput,
  type SignedBundle,
  type TrustBundle,
} from '../../contracts/pass.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { isWithin } from '../areas/areas.service.js';
import type { WorkerSummary } from '../workers/workers.service.js';
import { createSigner, generatePassKey, newNonce, newPseudonym, nodeEd25519, publicJwk, randomIndex, type PassSigner } from './pass.keys.js';
import { createPassRepository, type PassKeyRow, type PassRow, type PublicKeyRow } from './pass.repository.js';

/** A pass as other modules see it (never the pseudonym's link to personal data beyond the worker id). */
export interface PassRef {
  id: string;
  workerId: string;
  cityCode: string;
  status: PassStatus;
}

/** verifyOnline's answer: the offline verifier's check against the current bundle, corrected by the database. */
export interface OnlineVerification {
  check: PassCheck;
  /** The pass the token names, when its signature was good and the pseudonym is known. */
  pass?: PassRef;
}

export interface PassService {
  // ---- worker
  /** The worker's pass with 6 pre-signed tokens; issues the pass on the first call of an approved worker (403 pass.not_verified otherwise). */
  myPass(workerId: string): Promise<MyPass>;
  freeze(workerId: string, ctx: AuditContext): Promise<MyPass>;
  unfreeze(workerId: string, ctx: AuditContext): Promise<MyPass>;

  // ---- public and scanners
  /** Every key that signs passes or may still verify one (all cities). */
  jwks(): Promise<Jwks>;
  /** The city's signed trust bundle (cached per state version, re-signed at most once a minute). */
  bundleFor(cityCode: string): Promise<SignedBundle>;
  /**
   * checkPassToken against the current bundle of the key's city (no policy, no replay), then the pass row:
   * a pass frozen or revoked in the database is red 'revoked' at once. `cityCode`: refuse keys of other cities (unknown_kid).
   */
  verifyOnline(token: string, opts?: { cityCode?: string; nowMs?: number }): Promise<OnlineVerification>;
  /** Passes by id (scan history, alerts). */
  passesByIds(ids: readonly string[]): Promise<Map<string, PassRef>>;
  /** Every pass (live and revoked) a worker has held, newest first. */
  passIdsOfWorker(workerId: string): Promise<string[]>;

  // ---- staff
  /** One worker's pass, found by phone (exact, blind index) or worker id, within the caller's scope. */
  adminFind(p: StaffPrincipal, q: { phone?: string; workerId?: string }, ctx: AuditContext): Promise<AdminPass>;
  revoke(p: StaffPrincipal, workerId: string, input: RevokeInput, ctx: AuditContext): Promise<AdminPass>;
  reissue(p: StaffPrincipal, workerId: string, ctx: AuditContext): Promise<AdminPass>;
  listKeys(p: StaffPrincipal): Promise<PassKeyItem[]>;
  rotateKeys(p: StaffPrincipal, input: { force?: boolean }, ctx: AuditContext): Promise<PassKeyItem[]>;

  // ---- jobs and set-up
  /** Creates the city's active and next keys when it has none. */
  ensureKeys(cityCode: string): Promise<void>;
  /** Daily job: rotates each city whose active key is older than PASS_KEY_ROTATION_DAYS (when its next key is ready). */
  rotateIfDue(): Promise<{ rotated: string[]; notReady: string[] }>;
  /** Re-encrypts the issuer private keys under a new PII key (npm run pii:rotate). */
  rotatePiiKey(next: PiiCipher): Promise<{ passKeys: number }>;
}

/** What the pass needs from the workers service. */
export interface PassWorkers {
  getWorkerSummary(id: string): Promise<WorkerSummary | undefined>;
  /** Scoped and audited by the workers service; used to find a worker by phone (blind index). */
  listWorkers(p: StaffPrincipal, q: WorkerListQuery, ctx: AuditContext): Promise<PageOf<AdminWorker>>;
}

export interface PassServiceDeps {
  db: Db;
  clock: Clock;
  pii: PiiCipher;
  config: Pick<Config, 'pass'>;
  audit: Pick<AuditService, 'record'>;
  workers: PassWorkers;
  /** Names of the staff who changed a pass (admin view); ids are shown when absent. */
  staff?: { getStaffNames(ids: string[]): Promise<Map<string, string>> };
  /** Honours: a 城市合伙人 gets level 2. Absent → every pass is level 1. */
  partners?: { isCityPartner(workerId: string): Promise<boolean> };
  /** The server's Ed25519 verifier; default node:crypto. */
  verify?: Ed25519Verify;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** A next key must have been published this long before it may sign: scanners refresh bundles at least every 24 h. */
export const NEXT_KEY_PUBLISHED_HOURS = 25;
/** Retired keys stay published this long (tokens they signed, bundles cached by scanners). */
export const RETIRED_KEY_PUBLISHED_DAYS = 7;
/** A bundle of an unchanged version is re-signed at most this often (keeps issuedAt fresh). */
export const BUNDLE_RESIGN_MS = 60_000;

/** Who may look passes up, revoke and reissue them, and manage keys (always within their scope). */
const READ_ROLES: readonly StaffRole[] = ['operator', 'reviewer', 'handler', 'grid_worker'];
const REVOKE_ROLES: readonly StaffRole[] = ['operator', 'reviewer', 'handler'];
const KEY_ROLES: readonly StaffRole[] = ['operator'];

const WORKER_CHANGE = 'worker';

function requireRole(p: StaffPrincipal, roles: readonly StaffRole[], what: string): void {
  if (!roles.includes(p.role)) throw forbidden(`Your role (${p.role}) may not ${what}`);
}

const asIndustry = (v: string | null): Industry | null => ((industries as readonly string[]).includes(v ?? '') ? (v as Industry) : null);
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reason the scanner shows for a set bit. */
const refusalReason = (r: Pick<PassRow, 'status' | 'reason'>): RevocationReason => r.reason ?? (r.status === 'frozen' ? 'frozen' : 'other');

interface CachedBundle {
  version: number;
  signedAtMs: number;
  bundle: TrustBundle;
  bits: Uint8Array;
  signed: SignedBundle;
}

/**
 * The pass (一码畅通/甬爱码): per-city issuer keys with rotation, one pass per worker with a pseudonym
 * and a random status index, pre-signed tokens, the signed trust bundle and the JWKS, freezing,
 * revocation and reissue, and online verification with the same checkPassToken the scanners run.
 */
export function createPassService(deps: PassServiceDeps): PassService {
  const { clock, pii, audit, workers, partners } = deps;
  const repo = createPassRepository(deps.db);
  const statusListSize = deps.config.pass.statusListSize;
  const rotationDays = deps.config.pass.keyRotationDays;
  const verify = deps.verify ?? nodeEd25519();

  const signers = new Map<string, Promise<PassSigner>>();
  const activeByCity = new Map<string, { version: number; kid: string }>();
  const bundles = new Map<string, CachedBundle>();
  const building = new Map<string, Promise<CachedBundle>>();
  const kidCity = new Map<string, string>();

  const retiredSince = (now: Date) => new Date(now.getTime() - RETIRED_KEY_PUBLISHED_DAYS * DAY);

  function signerFor(row: Pick<PassKeyRow, 'kid' | 'private_key_enc'>): Promise<PassSigner> {
    let s = signers.get(row.kid);
    if (!s) {
      s = createSigner(row.kid, Buffer.from(pii.decrypt(row.private_key_enc), 'base64url'));
      signers.set(row.kid, s);
      s.catch(() => signers.delete(row.kid));
    }
    return s;
  }

  function newKeyRow(cityCode: string, status: 'active' | 'next', now: Date): PassKeyRow {
    const k = generatePassKey();
    return {
      kid: k.kid,
      city_code: cityCode,
      alg: k.alg,
      public_key: k.publicKey,
      private_key_enc: pii.encrypt(k.privateKeyDer.toString('base64url')),
      status,
      created_at: now,
      activated_at: status === 'active' ? now : null,
      retired_at: null,
      revoked_at: null,
    };
  }

  async function ensureKeys(cityCode: string): Promise<void> {
    const version = await repo.version(cityCode);
    if (version !== undefined && activeByCity.get(cityCode)?.version === version) return;
    await repo.transaction(async (trx) => {
      const now = clock.now();
      await repo.lockState(cityCode, now, trx);
      const keys = await repo.keysOfCity(cityCode, trx);
      let changed = false;
      if (!keys.some((k) => k.status === 'active')) {
        await repo.insertKey(newKeyRow(cityCode, 'active', now), trx);
        changed = true;
      }
      if (!keys.some((k) => k.status === 'next')) {
        await repo.insertKey(newKeyRow(cityCode, 'next', now), trx);
        changed = true;
      }
      if (changed) await repo.bumpVersion(cityCode, now, trx);
    });
  }

  /** The city's signing key, checked against the state version (another process may have rotated). */
  async function activeSigner(cityCode: string): Promise<PassSigner> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const version = await repo.version(cityCode);
      const cached = activeByCity.get(cityCode);
      if (version !== undefined && cached?.version === version) {
        const s = signers.get(cached.kid);
        if (s) return s;
      }
      const row = await repo.activeKey(cityCode);
      if (row && version !== undefined) {
        activeByCity.set(cityCode, { version, kid: row.kid });
        kidCity.set(row.kid, cityCode);
        return signerFor(row);
      }
      await ensureKeys(cityCode);
    }
    throw new Error(`pass: no active key for city ${cityCode}`);
  }

  // ---------------- trust bundle

  const trustKey = (k: PublicKeyRow) => ({ kid: k.kid, alg: k.alg, x: k.public_key, status: k.status as 'next' | 'active' | 'retired' });

  async function buildBundle(cityCode: string, version: number, previous: CachedBundle | undefined): Promise<CachedBundle> {
    const now = clock.now();
    let bits: Uint8Array;
    let reasons: Record<string, RevocationReason>;
    if (previous && previous.version === version) {
      bits = previous.bits;
      reasons = previous.bundle.reasons;
    } else {
      bits = new Uint8Array(statusListSize >> 3);
      reasons = {};
      for (const r of await repo.refusedIndices(cityCode)) {
        if (r.status_index >= statusListSize) continue; // the list was shrunk below this index: cannot be carried
        bits[r.status_index >> 3] |= 0x80 >> (r.status_index & 7);
        reasons[String(r.status_index)] = refusalReason(r);
      }
    }
    const keys = (await repo.publishedKeys(retiredSince(now), cityCode)).map(trustKey);
    const bundle: TrustBundle = { v: 1, city: cityCode, version, issuedAt: now.getTime(), keys, status: { size: statusListSize, bits: toBase64Url(bits) }, reasons };
    const signer = await activeSigner(cityCode);
    const jws = await signer.signBundle(bundle);
    return { version, signedAtMs: now.getTime(), bundle, bits, signed: { jws, bundle } };
  }

  async function currentBundle(cityCode: string): Promise<CachedBundle> {
    let version = await repo.version(cityCode);
    if (version === undefined) {
      await ensureKeys(cityCode);
      version = (await repo.version(cityCode))!;
    }
    const cached = bundles.get(cityCode);
    if (cached && cached.version === version && clock.now().getTime() - cached.signedAtMs < BUNDLE_RESIGN_MS) return cached;
    const inFlight = building.get(cityCode);
    if (inFlight) {
      const b = await inFlight;
      if (b.version === version) return b;
    }
    const p = buildBundle(cityCode, version, cached).then((b) => {
      const current = bundles.get(cityCode);
      if (!current || current.version <= b.version) bundles.set(cityCode, b);
      return b;
    });
    building.set(cityCode, p);
    try {
      return await p;
    } finally {
      if (building.get(cityCode) === p) building.delete(cityCode);
    }
  }

  // ---------------- passes

  /**
   * Inserts a pass with a fresh pseudonym at a random unused status index. For a live pass, a
   * concurrent first request may win: its pass is returned instead.
   */
  async function issuePass(workerId: string, cityCode: string, init: Pick<PassRow, 'status' | 'reason' | 'note' | 'changed_by'>, trx?: Db): Promise<PassRow> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const candidates = Array.from({ length: 16 }, () => randomIndex(statusListSize));
      const used = await repo.usedIndices(cityCode, candidates, trx);
      const index = candidates.find((c) => !used.has(c));
      if (index === undefined) continue;
      const now = clock.now();
      const row: PassRow = { id: newId(), city_code: cityCode, worker_id: workerId, pseudonym: newPseudonym(), status_index: index, created_at: now, updated_at: now, ...init };
      if (await repo.insertPassIfFree(row, trx)) return row;
      if (init.status !== 'revoked') {
        const live = await repo.currentPass(workerId, trx);
        if (live && live.status !== 'revoked') return live;
      }
    }
    throw new Error(`pass: no free status index in city ${cityCode} (PASS_STATUS_LIST_SIZE ${statusListSize} nearly full)`);
  }

  async function approvedWorker(workerId: string): Promise<WorkerSummary> {
    const w = await workers.getWorkerSummary(workerId);
    if (!w || w.verificationStatus !== 'approved') throw new AppError('pass.not_verified', 'Complete real-name verification first');
    return w;
  }

  async function tokensFor(pass: PassRow, scopeBits: number): Promise<MyPass['tokens']> {
    const signer = await activeSigner(pass.city_code);
    const nowS = Math.floor(clock.now().getTime() / 1000);
    const out: MyPass['tokens'] = [];
    for (let k = 0; k < PASS_PRESIGNED; k++) {
      const i = nowS + PASS_REFRESH_SECONDS * k;
      const e = i + PASS_TTL_SECONDS;
      const token = await signer.signToken({ p: pass.pseudonym, i, e, n: newNonce(), s: scopeBits, x: pass.status_index });
      out.push({ token, showFrom: new Date(i * 1000).toISOString(), expiresAt: new Date(e * 1000).toISOString() });
    }
    return out;
  }

  async function toMyPass(w: WorkerSummary, pass: PassRow): Promise<MyPass> {
    const level = partners && (await partners.isCityPartner(w.id)) ? 2 : 1;
    const industry = asIndustry(w.industry);
    const platform = platformCode(w.platform);
    const tokens = pass.status === 'active' ? await tokensFor(pass, packScope({ industry, level, platform })) : [];
    return {
      status: pass.status,
      reason: pass.reason,
      note: pass.status === 'revoked' ? pass.note : null,
      nameMasked: w.nameMasked,
      industry,
      platform,
      level,
      tokens,
      serverTime: clock.now().toISOString(),
      refreshSeconds: PASS_REFRESH_SECONDS,
    };
  }

  /** Worker's own freeze/unfreeze: one status change under a row lock, with the bundle version bumped. */
  async function setOwnStatus(workerId: string, to: 'active' | 'frozen', ctx: AuditContext): Promise<MyPass> {
    const w = await approvedWorker(workerId);
    const changed = await repo.transaction(async (trx) => {
      const pass = await repo.currentPass(workerId, trx, { forUpdate: true });
      if (!pass) throw new AppError('pass.not_found', 'No pass has been issued yet');
      if (pass.status === 'revoked') throw new AppError('pass.already_revoked', 'This pass is revoked');
      if (pass.status === to) return undefined;
      const now = clock.now();
      await repo.updatePass(pass.id, { status: to, reason: to === 'frozen' ? 'frozen' : null, note: null, changed_by: WORKER_CHANGE, updated_at: now }, trx);
      await repo.bumpVersion(pass.city_code, now, trx);
      return pass;
    });
    if (changed) await audit.record(ctx, { cityCode: changed.city_code, action: to === 'frozen' ? 'pass.freeze' : 'pass.unfreeze', targetKind: 'pass', targetId: changed.id });
    const pass = (await repo.currentPass(workerId))!;
    return toMyPass(w, pass);
  }

  // ---------------- staff

  async function visibleWorker(p: StaffPrincipal, workerId: string): Promise<WorkerSummary> {
    const w = UUID.test(workerId) ? await workers.getWorkerSummary(workerId) : undefined;
    if (!w || w.cityCode !== p.cityCode) throw new AppError('workers.not_found', 'No such worker');
    const inScope = w.areaCode === null ? p.areaCode === p.cityCode : isWithin(p.areaCode, w.areaCode);
    if (!inScope) throw new AppError('areas.out_of_scope', 'This worker is outside your area');
    return w;
  }

  async function toAdminPass(w: WorkerSummary, pass: PassRow | undefined): Promise<AdminPass> {
    let changedBy: string | null = pass?.changed_by ?? null;
    if (changedBy && UUID.test(changedBy)) changedBy = (await deps.staff?.getStaffNames([changedBy]))?.get(changedBy) ?? changedBy;
    return {
      workerId: w.id,
      phoneMasked: w.phoneMasked,
      nameMasked: w.nameMasked,
      areaCode: w.areaCode,
      status: pass?.status ?? null,
      reason: pass?.reason ?? null,
      note: pass?.note ?? null,
      issuedAt: iso(pass?.created_at ?? null),
      changedAt: pass && pass.changed_by ? pass.updated_at.toISOString() : null,
      changedBy,
    };
  }

  const keyItem = (k: PublicKeyRow): PassKeyItem => ({
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    createdAt: k.created_at.toISOString(),
    activatedAt: iso(k.activated_at),
    retiredAt: iso(k.retired_at),
  });

  /** next → active, active → retired, a new next; refused unless the next key has been published long enough. */
  async function rotate(cityCode: string, force: boolean): Promise<{ activated: string; retired: string | null; next: string }> {
    await ensureKeys(cityCode);
    return repo.transaction(async (trx) => {
      const now = clock.now();
      await repo.lockState(cityCode, now, trx);
      const keys = await repo.keysOfCity(cityCode, trx);
      const active = keys.find((k) => k.status === 'active');
      const next = keys.find((k) => k.status === 'next');
      if (!next) throw new Error(`pass: city ${cityCode} has no next key`);
      const readyAt = new Date(next.created_at.getTime() + NEXT_KEY_PUBLISHED_HOURS * HOUR);
      if (!force && now < readyAt) {
        throw new AppError('pass.key_not_ready', `The next key ${next.kid} has been published since ${next.created_at.toISOString()}; it may sign from ${readyAt.toISOString()}`);
      }
      if (active) await repo.setKeyStatus(active.kid, { status: 'retired', retired_at: now }, trx);
      await repo.setKeyStatus(next.kid, { status: 'active', activated_at: now }, trx);
      const fresh = newKeyRow(cityCode, 'next', now);
      await repo.insertKey(fresh, trx);
      await repo.bumpVersion(cityCode, now, trx);
      return { activated: next.kid, retired: active?.kid ?? null, next: fresh.kid };
    });
  }

  const service: PassService = {
    async myPass(workerId) {
      const w = await approvedWorker(workerId);
      const pass = (await repo.currentPass(workerId)) ?? (await issuePass(workerId, w.cityCode, { status: 'active', reason: null, note: null, changed_by: null }));
      return toMyPass(w, pass);
    },

    freeze: (workerId, ctx) => setOwnStatus(workerId, 'frozen', ctx),
    unfreeze: (workerId, ctx) => setOwnStatus(workerId, 'active', ctx),

    async jwks(): Promise<Jwks> {
      const keys = await repo.publishedKeys(retiredSince(clock.now()));
      return { keys: keys.map((k) => publicJwk(k.kid, k.public_key)) };
    },

    async bundleFor(cityCode) {
      return (await currentBundle(cityCode)).signed;
    },

    async verifyOnline(token, opts = {}) {
      const red = (reason: PassCheck['reason'], kid?: string): OnlineVerification => ({ check: { verdict: 'red', reason, grants: [], ...(kid ? { kid } : {}) } });
      const decoded = decodePassToken(token);
      if ('error' in decoded) return red(decoded.error);
      const kid = decoded.header.kid;
      let city = kidCity.get(kid);
      if (city === undefined) {
        const key = /^[a-z2-7]{8}$/.test(kid) ? await repo.keyByKid(kid) : undefined;
        if (!key) return red('unknown_kid', kid);
        city = key.city_code;
        kidCity.set(kid, city);
      }
      if (opts.cityCode && opts.cityCode !== city) return red('unknown_kid', kid);
      const b = await currentBundle(city);
      const nowMs = opts.nowMs ?? clock.now().getTime();
      const check = await checkPassToken(token, { bundle: b.bundle, statusBits: b.bits, nowMs, verify });
      if (!check.claims) return { check };
      const row = await repo.passByPseudonym(check.claims.p);
      const pass = row && row.city_code === city && row.status_index === check.claims.x ? { id: row.id, workerId: row.worker_id, cityCode: row.city_code, status: row.status } : undefined;
      if (check.verdict === 'red') return { check, pass };
      // Signed by us, but the database knows better: revoked or frozen since the bundle, or no such pass.
      if (!row || !pass) return { check: { ...check, verdict: 'red', reason: 'revoked', revocation: 'other', grants: [] }, pass };
      if (row.status !== 'active') return { check: { ...check, verdict: 'red', reason: 'revoked', revocation: refusalReason(row), grants: [] }, pass };
      return { check, pass };
    },

    async passesByIds(ids) {
      const rows = await repo.passesByIds(ids.filter((id) => UUID.test(id)));
      return new Map(rows.map((r) => [r.id, { id: r.id, workerId: r.worker_id, cityCode: r.city_code, status: r.status }]));
    },

    passIdsOfWorker: (workerId) => (UUID.test(workerId) ? repo.passIdsOfWorker(workerId) : Promise.resolve([])),

    async adminFind(p, q, ctx) {
      requireRole(p, READ_ROLES, 'look up passes');
      let workerId = q.workerId;
      if (!workerId && q.phone) {
        const found = await workers.listWorkers(p, { phone: q.phone, page: 1, pageSize: 1 }, ctx);
        workerId = found.items[0]?.id;
        if (!workerId) throw new AppError('workers.not_found', 'No worker with that phone number in your area');
      }
      if (!workerId) throw new AppError('request.invalid', 'phone or workerId is required', { errors: [{ field: 'phone', message: 'give a phone number or a workerId' }] });
      const w = await visibleWorker(p, workerId);
      const pass = await repo.currentPass(w.id);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'pass.read', targetKind: 'worker', targetId: w.id, detail: { byPhone: Boolean(q.phone && !q.workerId) } });
      return toAdminPass(w, pass);
    },

    async revoke(p, workerId, input, ctx) {
      requireRole(p, REVOKE_ROLES, 'revoke passes');
      const w = await visibleWorker(p, workerId);
      const note = input.note.trim();
      const pass = await repo.transaction(async (trx) => {
        const now = clock.now();
        const current = await repo.currentPass(w.id, trx, { forUpdate: true });
        if (current?.status === 'revoked') throw new AppError('pass.already_revoked', 'This pass is already revoked; issue a new one if needed');
        const change = { status: 'revoked' as const, reason: input.reason, note, changed_by: p.id };
        let row: PassRow;
        if (current) {
          await repo.updatePass(current.id, { ...change, updated_at: now }, trx);
          row = { ...current, ...change, updated_at: now };
        } else {
          // Never opened: a revoked pass is recorded, so the worker's first request does not issue one.
          row = await issuePass(w.id, w.cityCode, change, trx);
        }
        await repo.bumpVersion(w.cityCode, now, trx);
        return row;
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'pass.revoke', targetKind: 'pass', targetId: pass.id, detail: { workerId: w.id, reason: input.reason } });
      return toAdminPass(w, pass);
    },

    async reissue(p, workerId, ctx) {
      requireRole(p, REVOKE_ROLES, 'issue passes');
      const w = await visibleWorker(p, workerId);
      if (w.verificationStatus !== 'approved') throw new AppError('pass.not_verified', 'The worker is not verified');
      const current = await repo.currentPass(w.id);
      if (current && current.status !== 'revoked') throw new AppError('request.conflict', `The worker already has a pass (${current.status}); revoke it first`);
      const pass = await issuePass(w.id, w.cityCode, { status: 'active', reason: null, note: null, changed_by: p.id });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'pass.reissue', targetKind: 'pass', targetId: pass.id, detail: { workerId: w.id, previous: current?.id ?? null } });
      return toAdminPass(w, pass);
    },

    async listKeys(p) {
      requireRole(p, KEY_ROLES, 'manage pass keys');
      await ensureKeys(p.cityCode);
      return (await repo.keysOfCity(p.cityCode)).map(keyItem);
    },

    async rotateKeys(p, input, ctx) {
      requireRole(p, KEY_ROLES, 'rotate pass keys');
      if (p.areaCode !== p.cityCode) throw forbidden('Only a city-wide operator may rotate the city’s signing keys');
      const force = input.force === true;
      try {
        const r = await rotate(p.cityCode, force);
        await audit.record(ctx, { cityCode: p.cityCode, action: 'pass.keys.rotate', targetKind: 'pass_key', targetId: r.activated, detail: { force, ...r } });
      } catch (e) {
        if (e instanceof AppError) await audit.record(ctx, { cityCode: p.cityCode, action: 'pass.keys.rotate', outcome: 'failure', detail: { force, code: e.code } });
        throw e;
      }
      return (await repo.keysOfCity(p.cityCode)).map(keyItem);
    },

    ensureKeys,

    async rotateIfDue() {
      const rotated: string[] = [];
      const notReady: string[] = [];
      const now = clock.now().getTime();
      for (const c of await repo.keyedCities()) {
        if (c.activated_at && now - c.activated_at.getTime() < rotationDays * DAY) continue;
        try {
          await rotate(c.city_code, false);
          rotated.push(c.city_code);
        } catch (e) {
          if (e instanceof AppError && e.code === 'pass.key_not_ready') notReady.push(c.city_code);
          else throw e;
        }
      }
      return { rotated, notReady };
    },

    async rotatePiiKey(next) {
      return repo.transaction(async (trx) => {
        const rows = await repo.privateKeys(trx);
        for (const r of rows) await repo.setPrivateKey(r.kid, next.encrypt(pii.decrypt(r.private_key_enc)), trx);
        return { passKeys: rows.length };
      });
    },
  };
  return service;
}
