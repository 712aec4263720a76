import type { StaffPrincipal, StaffRole, WorkerPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  grantsFor,
  SCAN_CONSENT_VERSION,
  SCAN_RETENTION_DAYS,
  type MyScan,
  type OfflineScanUpload,
  type PassAlert,
  type PassGrant,
  type PassPolicyRule,
  type PassReason,
  type PassVerdict,
  type PickupInput,
  type PolicyInput,
  type ScanConsent,
  type ScanConsentInput,
  type ScannerBindingInput,
  type ScannerContext,
  type ScannerPlace,
  type ScanVerifyInput,
  type ScanVerifyResult,
  type VisitsQuery,
  type VisitsReport,
} from '../../contracts/pass.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { maskName } from '../../shared/mask.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { isWithin, type AreasService } from '../areas/areas.service.js';
import type { WorkersService } from '../workers/workers.service.js';
import type { PassRef, PassService } from './pass.service.js';
import { createPassScansRepository, type AlertRow, type AlertSighting } from './pass.scans.repository.js';

// ---------------------------------------------------------------- narrow collaborators

/** What the scan side needs from the places registry. */
export interface PassPlaces {
  lookup(id: string): Promise<{ id: string; type: string; cityCode: string; areaCode: string; name: string; status: string; certified: boolean } | undefined>;
}

/** Scanner accounts, from the staff module. */
export interface PassStaffDirectory {
  /** Display names by account id (unknown ids are left out). */
  getStaffNames(ids: string[]): Promise<Map<string, string>>;
  /** Accounts with role 'scanner' whose area lies inside `areaPrefix`, in a city. */
  scannerAccounts(cityCode: string, areaPrefix: string): Promise<{ id: string; username: string; displayName: string; areaCode: string; active: boolean }[]>;
}

/** Points rewards picked up at a place by showing the pass (the points module's rewards service). */
export interface PassRewards {
  /** Orders of this worker waiting to be picked up at this place, oldest first. */
  pendingOrdersAt(workerId: string, placeId: string): Promise<{ orderId: string; title: string; cost: number; createdAt: Date | string }[]>;
  /** Hands the reward over; refuses an order that is not waiting at this place. */
  completePickup(orderId: string, by: { placeId: string; scannedBy: string; workerId?: string }): Promise<{ status: string }>;
}

export interface PassScansServiceDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'names'>;
  places: PassPlaces;
  workers: Pick<WorkersService, 'getWorkerSummary'>;
  staff: PassStaffDirectory;
  pass: Pick<PassService, 'verifyOnline' | 'passIdsOfWorker' | 'passesByIds'>;
  /** Optional until the points module offers pickups: without it no pickups are listed and none can be completed. */
  rewards?: PassRewards;
}

type Place = NonNullable<Awaited<ReturnType<PassPlaces['lookup']>>>;

// ---------------------------------------------------------------- rules

/** Roles that scan: scanner accounts for their bound places; the others for any place in their area. */
export const SCAN_ROLES: readonly StaffRole[] = ['scanner', 'operator', 'handler', 'grid_worker'];
/** Roles that edit place policies, bind scanner accounts, read alerts and visits (within their area). */
const MANAGE_ROLES: readonly StaffRole[] = ['operator', 'handler'];
/** Roles that may read a place's policy. */
const POLICY_READ_ROLES: readonly StaffRole[] = ['operator', 'handler', 'grid_worker'];

/** What a scanner screen may show about the holder (recorded with each scan, shown to the worker). */
const SHOWN_FIELDS = ['nameMasked', 'industry', 'platform', 'level', 'secondsLeft'] as const;
/** Sightings are kept this long (clone detection and one discount per token per merchant). */
const SIGHTING_RETENTION_MS = 24 * 3600_000;
/** Alerts read per list (then narrowed to the caller's area). */
const ALERTS_SCAN_LIMIT = 2000;

const DAY_MS = 24 * 3600_000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The Shanghai calendar month (YYYY-MM) of an instant; China has kept UTC+8 without daylight saving since 1991. */
export function shanghaiMonth(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 7);
}

/** The 12 months ending with `month`, oldest first. */
function last12Months(month: string): string[] {
  const [y, m] = month.split('-').map(Number);
  const out: string[] = [];
  for (let k = 11; k >= 0; k--) {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/** The street (镇街, 9 digits) an area code lies in; shorter codes stay as they are. */
const streetOf = (areaCode: string) => (areaCode.length >= 9 ? areaCode.slice(0, 9) : areaCode);

const rule = (grant: PassGrant): PassPolicyRule => ({ grant, industries: [], minLevel: 1, note: null });

/** The policy of a place without its own: what a place of its type usually grants, to every verified worker. */
export function defaultPolicy(placeType: string): PassPolicyRule[] {
  switch (placeType) {
    case 'station':
      return [rule('checkin')];
    case 'compound':
      return [rule('entry')];
    case 'building':
      return [rule('elevator'), rule('entry')];
    case 'merchant':
      return [rule('discount'), rule('reward_pickup')];
    case 'canteen':
      return [rule('discount')];
    default:
      return [rule('checkin')];
  }
}

/**
 * The account's name as a worker sees it in their history: its first word (a post or a place, e.g. 门岗)
 * stays, the rest (a person's name) is masked: "门岗 王师傅" → "门岗 王**", "王师傅" → "王**".
 */
export function maskScannerName(displayName: string | undefined): string {
  const name = (displayName ?? '').trim();
  if (!name) return '*';
  const space = name.search(/\s/);
  if (space < 0) return maskName(name);
  return `${name.slice(0, space)} ${maskName(name.slice(space + 1))}`;
}

function normaliseRules(rules: PolicyInput['rules']): PassPolicyRule[] {
  return rules.map((r) => ({
    grant: r.grant,
    industries: [...new Set(r.industries)],
    minLevel: r.minLevel === 2 ? 2 : 1,
    note: r.note?.trim() ? r.note.trim() : null,
  }));
}

const requireRole = (p: StaffPrincipal, roles: readonly StaffRole[], what: string) => {
  if (!roles.includes(p.role)) throw forbidden(`Your role (${p.role}) may not ${what}`);
};

const inScope = (p: StaffPrincipal, place: Pick<Place, 'cityCode' | 'areaCode'>) => place.cityCode === p.cityCode && isWithin(p.areaCode, place.areaCode);

/**
 * The scan side of the pass (一码畅通): place policies, scanner accounts bound to places, online
 * verification at a place (policy, one discount per token per merchant, clone detection), offline scan
 * uploads, reward pickups, the worker's separate consent to keep scan records and their history, clone
 * alerts, station visit counts, and retention.
 */
export function createPassScansService(deps: PassScansServiceDeps) {
  const { clock, audit, areas, places, workers, staff, pass, rewards } = deps;
  const repo = createPassScansRepository(deps.db);

  async function placeOrThrow(placeId: string, cityCode: string): Promise<Place> {
    const place = await places.lookup(placeId);
    if (!place || place.cityCode !== cityCode) throw new AppError('places.not_found', `No place ${placeId}`);
    return place;
  }

  async function rulesOf(place: Place): Promise<{ rules: PassPolicyRule[]; isDefault: boolean }> {
    const row = await repo.policy(place.id);
    return row ? { rules: row.rules, isDefault: false } : { rules: defaultPolicy(place.type), isDefault: true };
  }

  /** A place this account may scan for: scanner accounts only their bound places, the others any place in their area. */
  async function scanPlace(p: StaffPrincipal, placeId: string): Promise<Place> {
    requireRole(p, SCAN_ROLES, 'scan passes');
    const place = await placeOrThrow(placeId, p.cityCode);
    if (p.role === 'scanner') {
      if (!(await repo.isBound(p.id, place.id))) throw new AppError('pass.place_not_bound', `This account is not bound to place ${place.id}`);
    } else if (!inScope(p, place)) {
      throw new AppError('areas.out_of_scope', 'This place is outside your area');
    }
    return place;
  }

  /** Scan records are kept only with the worker's consent to the current text. */
  const consents = (c: { granted: boolean; version: string } | undefined) => c !== undefined && c.granted && c.version === SCAN_CONSENT_VERSION;

  interface Sighting {
    eventId: string;
    place: Place;
    pass: PassRef;
    nonce: string;
    scannedAt: Date;
    /** Grants the place's policy gives this token's scope (server-side, for visits and discounts). */
    grants: PassGrant[];
    offline: boolean;
    scannerId: string;
    record: { verdict: PassVerdict; reason: PassReason; grants: PassGrant[]; shown: string[] };
  }

  /**
   * One scan, in one transaction serialised per token: an accepted one is a sighting (a second sighting
   * of a discount token at the same place is a replay when online; one at another place opens a clone
   * alert; a station check-in counts a visit), then the scan record if the worker consented.
   */
  async function recordScan(s: Sighting, accepted: boolean): Promise<{ verdict: PassVerdict; reason: PassReason; cloneSuspected: boolean; duplicate: boolean }> {
    const now = clock.now();
    return repo.transaction(async (trx) => {
      let { verdict, reason } = s.record;
      let cloneSuspected = false;
      if (accepted) {
        await repo.lockNonce(s.nonce, trx);
        if (await repo.sightingByEvent(s.eventId, trx)) {
          // a retry of a scan already received: same answer, nothing counted twice
          const alert = await repo.alertByNonce(s.nonce, trx);
          return { verdict, reason, cloneSuspected: alert !== undefined, duplicate: true };
        }
        const prior = await repo.sightingsOfNonce(s.nonce, trx);
        const samePlace = prior.some((x) => x.placeId === s.place.id);
        if (samePlace && !s.offline && s.grants.includes('discount')) {
          verdict = 'red';
          reason = 'replayed';
        } else {
          const inserted = await repo.insertSighting({ nonce: s.nonce, placeId: s.place.id, passId: s.pass.id, eventId: s.eventId, scannedAt: s.scannedAt }, trx);
          const elsewhere = prior.filter((x) => x.placeId !== s.place.id);
          if (elsewhere.length > 0) {
            cloneSuspected = true;
            const seen = new Map<string, AlertSighting>();
            for (const x of prior) if (!seen.has(x.placeId)) seen.set(x.placeId, { placeId: x.placeId, scannedAt: x.scannedAt.toISOString() });
            if (!seen.has(s.place.id)) seen.set(s.place.id, { placeId: s.place.id, scannedAt: s.scannedAt.toISOString() });
            const sightings = [...seen.values()].sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
            const alert = await repo.alertByNonce(s.nonce, trx);
            if (!alert) await repo.insertAlert({ id: newId(), cityCode: s.pass.cityCode, passId: s.pass.id, nonce: s.nonce, sightings, detectedAt: now }, trx);
            else if (sightings.length > alert.sightings.length) await repo.updateAlertSightings(alert.id, sightings, trx);
          }
          if (inserted && s.place.type === 'station' && s.grants.includes('checkin')) {
            await repo.addVisit({ placeId: s.place.id, month: shanghaiMonth(s.scannedAt), cityCode: s.place.cityCode, areaCode: streetOf(s.place.areaCode) }, trx);
          }
        }
      }
      let duplicate = false;
      const retained = now.getTime() - s.scannedAt.getTime() < SCAN_RETENTION_DAYS * DAY_MS;
      if (retained && consents(await repo.consent(s.pass.workerId, trx))) {
        const stored = await repo.insertScan(
          {
            id: s.eventId,
            cityCode: s.pass.cityCode,
            passId: s.pass.id,
            placeId: s.place.id,
            scannerId: s.scannerId,
            scannedAt: s.scannedAt,
            receivedAt: now,
            verdict,
            reason,
            grants: verdict === 'red' ? [] : s.record.grants,
            shown: verdict === 'red' ? s.record.shown.filter((f) => f === 'secondsLeft') : s.record.shown,
            offline: s.offline,
          },
          trx,
        );
        duplicate = !stored;
      }
      return { verdict, reason, cloneSuspected, duplicate };
    });
  }

  async function toScannerPlaces(ids: string[], cityCode: string): Promise<ScannerPlace[]> {
    const found: Place[] = [];
    for (const id of ids) {
      const place = await places.lookup(id);
      if (place && place.cityCode === cityCode && place.status !== 'closed') found.push(place);
    }
    const [own, names] = await Promise.all([repo.policies(found.map((p) => p.id)), areas.names(found.map((p) => p.areaCode))]);
    return found.map((place) => ({
      id: place.id,
      name: place.name,
      type: place.type,
      areaName: names.get(place.areaCode) ?? null,
      policy: own.get(place.id) ?? defaultPolicy(place.type),
    }));
  }

  async function toAlerts(rows: AlertRow[]): Promise<PassAlert[]> {
    const passes = await pass.passesByIds([...new Set(rows.map((r) => r.passId))]);
    const names = new Map<string, string | null>();
    const placeNames = new Map<string, string | null>();
    const out: PassAlert[] = [];
    for (const r of rows) {
      const workerId = passes.get(r.passId)?.workerId ?? '';
      if (workerId && !names.has(workerId)) names.set(workerId, (await workers.getWorkerSummary(workerId))?.nameMasked ?? null);
      const alertPlaces: PassAlert['places'] = [];
      for (const x of r.sightings) {
        if (!placeNames.has(x.placeId)) placeNames.set(x.placeId, (await places.lookup(x.placeId))?.name ?? null);
        alertPlaces.push({ id: x.placeId, name: placeNames.get(x.placeId) ?? null, scannedAt: new Date(x.scannedAt).toISOString() });
      }
      out.push({ id: r.id, kind: 'clone', workerId, nameMasked: names.get(workerId) ?? null, places: alertPlaces, detectedAt: r.detectedAt.toISOString(), status: r.status });
    }
    return out;
  }

  /** Whether an alert concerns the caller's area: one of its places lies inside it. */
  async function alertInScope(p: StaffPrincipal, a: AlertRow, cache: Map<string, Place | undefined>): Promise<boolean> {
    if (a.cityCode !== p.cityCode) return false;
    if (p.areaCode === p.cityCode) return true;
    for (const x of a.sightings) {
      if (!cache.has(x.placeId)) cache.set(x.placeId, await places.lookup(x.placeId));
      const place = cache.get(x.placeId);
      if (place && inScope(p, place)) return true;
    }
    return false;
  }

  async function listScanners(p: StaffPrincipal): Promise<{ staffId: string; username: string; displayName: string; areaCode: string; areaName: string; active: boolean; places: { id: string; name: string; type: string }[] }[]> {
    requireRole(p, MANAGE_ROLES, 'manage scanner accounts');
    const accounts = await staff.scannerAccounts(p.cityCode, p.areaCode);
    const [bound, names] = await Promise.all([repo.bindings(accounts.map((a) => a.id)), areas.names(accounts.map((a) => a.areaCode))]);
    const cache = new Map<string, Place | undefined>();
    const out = [];
    for (const a of accounts) {
      const boundPlaces: { id: string; name: string; type: string }[] = [];
      for (const id of bound.get(a.id) ?? []) {
        if (!cache.has(id)) cache.set(id, await places.lookup(id));
        const place = cache.get(id);
        if (place) boundPlaces.push({ id: place.id, name: place.name, type: place.type });
      }
      out.push({ staffId: a.id, username: a.username, displayName: a.displayName, areaCode: a.areaCode, areaName: names.get(a.areaCode) ?? a.areaCode, active: a.active, places: boundPlaces });
    }
    return out;
  }

  async function getConsent(w: WorkerPrincipal): Promise<ScanConsent> {
    const c = await repo.consent(w.id);
    return { granted: c?.granted ?? false, version: c?.version ?? SCAN_CONSENT_VERSION, currentVersion: SCAN_CONSENT_VERSION, answeredAt: c ? c.answeredAt.toISOString() : null };
  }

  return {
    defaultPolicy,

    // ---------------------------------------------------------------- place policies (admin)

    async getPolicy(p: StaffPrincipal, placeId: string): Promise<{ placeId: string; rules: PassPolicyRule[]; isDefault: boolean }> {
      requireRole(p, POLICY_READ_ROLES, 'read pass policies');
      const place = await placeOrThrow(placeId, p.cityCode);
      if (!inScope(p, place)) throw new AppError('areas.out_of_scope', 'This place is outside your area');
      return { placeId: place.id, ...(await rulesOf(place)) };
    },

    async setPolicy(p: StaffPrincipal, placeId: string, input: PolicyInput, ctx: AuditContext): Promise<{ placeId: string; rules: PassPolicyRule[]; isDefault: boolean }> {
      requireRole(p, MANAGE_ROLES, 'edit pass policies');
      const place = await placeOrThrow(placeId, p.cityCode);
      if (!inScope(p, place)) throw new AppError('areas.out_of_scope', 'This place is outside your area');
      const before = await rulesOf(place);
      const rules = normaliseRules(input.rules);
      await repo.upsertPolicy({ placeId: place.id, cityCode: place.cityCode, rules, updatedBy: p.id, updatedAt: clock.now() });
      await audit.record(ctx, {
        cityCode: place.cityCode,
        action: 'pass.policy.update',
        targetKind: 'place',
        targetId: place.id,
        detail: { from: before.isDefault ? 'default' : before.rules, to: rules },
      });
      return { placeId: place.id, rules, isDefault: false };
    },

    // ---------------------------------------------------------------- scanner accounts (admin)

    listScanners,

    /**
     * Sets the places a scanner account scans for, as far as the caller's area reaches: bindings to places
     * outside it (made by someone with a wider scope) stay as they are.
     */
    async bindScanner(p: StaffPrincipal, staffId: string, input: ScannerBindingInput, ctx: AuditContext) {
      requireRole(p, MANAGE_ROLES, 'manage scanner accounts');
      const account = (await staff.scannerAccounts(p.cityCode, p.areaCode)).find((a) => a.id === staffId);
      if (!account) throw new AppError('staff.not_found', 'No scanner account with this id in your area');
      const wanted = [...new Set(input.placeIds.map((id) => String(BigInt(id))))];
      for (const [i, id] of wanted.entries()) {
        const place = await places.lookup(id);
        if (!place || place.cityCode !== p.cityCode) throw new AppError('places.not_found', `No place ${id}`, { errors: [{ field: `placeIds/${i}`, message: 'no such place' }] });
        if (!inScope(p, place)) throw new AppError('areas.out_of_scope', `Place ${id} is outside your area`, { errors: [{ field: `placeIds/${i}`, message: 'outside your area' }] });
      }
      const current = (await repo.bindings([staffId])).get(staffId) ?? [];
      const removed: string[] = [];
      for (const id of current) {
        if (wanted.includes(id)) continue;
        const place = await places.lookup(id);
        if (!place || inScope(p, place)) removed.push(id);
      }
      const added = wanted.filter((id) => !current.includes(id));
      await repo.transaction(async (trx) => {
        await repo.unbind(staffId, removed, trx);
        await repo.bind(staffId, added, p.cityCode, clock.now(), trx);
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'pass.scanner.bind', targetKind: 'staff', targetId: staffId, detail: { added, removed } });
      return (await listScanners(p)).find((a) => a.staffId === staffId)!;
    },

    // ---------------------------------------------------------------- scanning

    async scannerContext(p: StaffPrincipal): Promise<ScannerContext> {
      requireRole(p, SCAN_ROLES, 'scan passes');
      const ids = (await repo.bindings([p.id])).get(p.id) ?? [];
      return { places: await toScannerPlaces(ids, p.cityCode), serverTime: clock.now().toISOString() };
    },

    /** A scan at a place, online: the token, the pass in the database, the place's policy, replays and copies. */
    async verify(p: StaffPrincipal, input: ScanVerifyInput): Promise<ScanVerifyResult> {
      const place = await scanPlace(p, input.placeId);
      const { rules } = await rulesOf(place);
      const v = await pass.verifyOnline(input.token, { cityCode: place.cityCode });
      const check = v.check;
      const scope = check.scope;
      const grants = check.verdict !== 'red' && scope ? grantsFor(rules, scope) : [];
      let verdict: PassVerdict = check.verdict;
      let reason: PassReason = check.reason;
      if (verdict !== 'red' && (grants.length === 0 || !v.pass || v.pass.cityCode !== place.cityCode)) {
        verdict = 'red';
        reason = 'not_granted';
      }
      const secondsLeft = check.secondsLeft ?? null;
      const summary = verdict !== 'red' && v.pass ? await workers.getWorkerSummary(v.pass.workerId) : undefined;
      const shown: string[] = [];
      const result: ScanVerifyResult = {
        verdict,
        reason,
        revocation: reason === 'revoked' ? check.revocation ?? 'other' : null,
        grants: verdict === 'red' ? [] : grants,
        nameMasked: summary?.nameMasked ?? null,
        industry: verdict !== 'red' ? scope?.industry ?? null : null,
        platform: verdict !== 'red' ? scope?.platform ?? null : null,
        level: verdict !== 'red' ? scope?.level ?? null : null,
        secondsLeft,
        cloneSuspected: false,
        pickups: [],
      };
      for (const f of SHOWN_FIELDS) if (result[f] !== null) shown.push(f);

      if (v.pass && check.claims) {
        const outcome = await recordScan(
          {
            eventId: input.eventId,
            place,
            pass: v.pass,
            nonce: check.claims.n,
            scannedAt: clock.now(),
            grants,
            offline: false,
            scannerId: p.id,
            record: { verdict, reason, grants, shown },
          },
          verdict !== 'red',
        );
        if (outcome.verdict === 'red' && verdict !== 'red') {
          // replayed: the holder's details are not shown for a refused token
          Object.assign(result, { verdict: 'red', reason: outcome.reason, grants: [], nameMasked: null, industry: null, platform: null, level: null });
        }
        result.cloneSuspected = outcome.cloneSuspected;
      }
      if (result.verdict !== 'red' && result.grants.includes('reward_pickup') && rewards && v.pass) {
        result.pickups = (await rewards.pendingOrdersAt(v.pass.workerId, place.id)).map((o) => ({ orderId: o.orderId, title: o.title, cost: o.cost, createdAt: new Date(o.createdAt).toISOString() }));
      }
      return result;
    },

    /**
     * Scans made offline, uploaded later (idempotent by event id). What the scanner showed is recorded as
     * it was; the server reads the token (signature, pass) at the time of the scan, for sightings, copies
     * and visits. Events for places the account may not scan for are dropped.
     */
    async uploadScans(p: StaffPrincipal, input: OfflineScanUpload): Promise<{ accepted: number; duplicates: number; clones: number }> {
      requireRole(p, SCAN_ROLES, 'scan passes');
      const now = clock.now();
      const events = [...new Map(input.events.map((e) => [e.id, e])).values()];
      const known = await repo.knownEventIds(events.map((e) => e.id));
      let accepted = 0;
      let duplicates = input.events.length - events.length;
      let clones = 0;
      const allowed = new Map<string, Place | undefined>();
      const rulesCache = new Map<string, PassPolicyRule[]>();
      for (const e of events) {
        if (known.has(e.id)) {
          duplicates++;
          continue;
        }
        if (!allowed.has(e.placeId)) {
          try {
            allowed.set(e.placeId, await scanPlace(p, e.placeId));
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            allowed.set(e.placeId, undefined);
          }
        }
        const place = allowed.get(e.placeId);
        if (!place) continue;
        if (!rulesCache.has(place.id)) rulesCache.set(place.id, (await rulesOf(place)).rules);
        const at = new Date(Math.min(new Date(e.scannedAt).getTime(), now.getTime()));
        const v = await pass.verifyOnline(e.token, { cityCode: place.cityCode, nowMs: at.getTime() });
        accepted++;
        if (!v.pass || !v.check.claims || v.pass.cityCode !== place.cityCode) continue; // nothing identifies a pass: nothing to keep
        const scope = v.check.scope;
        const outcome = await recordScan(
          {
            eventId: e.id,
            place,
            pass: v.pass,
            nonce: v.check.claims.n,
            scannedAt: at,
            grants: scope ? grantsFor(rulesCache.get(place.id)!, scope) : [],
            offline: true,
            scannerId: p.id,
            record: { verdict: e.verdict, reason: e.reason, grants: e.grants, shown: e.shown.filter((f) => (SHOWN_FIELDS as readonly string[]).includes(f)) },
          },
          e.verdict !== 'red',
        );
        if (outcome.duplicate) {
          accepted--;
          duplicates++;
        }
        if (outcome.cloneSuspected) clones++;
      }
      return { accepted, duplicates, clones };
    },

    /** A points reward handed over at the place: the pass must be valid here and the order waiting here. */
    async pickup(p: StaffPrincipal, input: PickupInput, ctx: AuditContext): Promise<{ orderId: string; status: string }> {
      const place = await scanPlace(p, input.placeId);
      const v = await pass.verifyOnline(input.token, { cityCode: place.cityCode });
      if (v.check.verdict === 'red' || !v.pass || !v.check.scope) throw new AppError('pass.token_rejected', `The pass was refused (${v.check.reason})`);
      const { rules } = await rulesOf(place);
      if (!grantsFor(rules, v.check.scope).includes('reward_pickup') || !rewards) throw new AppError('pass.order_not_here', 'This place does not hand out rewards');
      const pending = await rewards.pendingOrdersAt(v.pass.workerId, place.id);
      if (!pending.some((o) => o.orderId === input.orderId)) throw new AppError('pass.order_not_here', 'This order is not waiting at this place for this worker');
      const done = await rewards.completePickup(input.orderId, { placeId: place.id, scannedBy: p.id, workerId: v.pass.workerId });
      await audit.record(ctx, { cityCode: place.cityCode, action: 'pass.pickup', targetKind: 'points_order', targetId: input.orderId, detail: { placeId: place.id } });
      return { orderId: input.orderId, status: done.status };
    },

    // ---------------------------------------------------------------- the worker: consent and history

    getConsent,

    /** Grants or withdraws the consent to keep scan records; withdrawing deletes every record at once. */
    async setConsent(w: WorkerPrincipal, input: ScanConsentInput, ctx: AuditContext): Promise<ScanConsent> {
      if (input.granted && input.version !== SCAN_CONSENT_VERSION) {
        throw new AppError('pass.consent_version_mismatch', `Consent to the current text (${SCAN_CONSENT_VERSION})`, { errors: [{ field: 'version', message: `must be ${SCAN_CONSENT_VERSION}` }] });
      }
      const passIds = input.granted ? [] : await pass.passIdsOfWorker(w.id);
      const answeredAt = clock.now();
      const deleted = await repo.transaction(async (trx) => {
        await repo.saveConsent({ workerId: w.id, granted: input.granted, version: input.granted ? input.version : SCAN_CONSENT_VERSION, answeredAt }, trx);
        return input.granted ? 0 : repo.deleteScansOfPasses(passIds, trx);
      });
      await audit.record(ctx, {
        cityCode: w.cityCode,
        action: input.granted ? 'pass.consent.grant' : 'pass.consent.withdraw',
        targetKind: 'worker',
        targetId: w.id,
        detail: input.granted ? { version: input.version } : { deletedScans: deleted },
      });
      return getConsent(w);
    },

    /** Who scanned my pass, where, with what outcome and what they saw (only with consent). */
    async myScans(w: WorkerPrincipal, q: { page: number; pageSize: number }): Promise<PageOf<MyScan> & { consent: ScanConsent }> {
      const consent = await getConsent(w);
      const empty = { items: [], total: 0, page: q.page, pageSize: q.pageSize, consent };
      if (!consent.granted) return empty;
      const { rows, total } = await repo.scans(await pass.passIdsOfWorker(w.id), q.pageSize, (q.page - 1) * q.pageSize);
      const scannerNames = await staff.getStaffNames(rows.map((r) => r.scannerId).filter((id): id is string => id !== null));
      const placeCache = new Map<string, Place | undefined>();
      const items: MyScan[] = [];
      for (const r of rows) {
        if (r.placeId && !placeCache.has(r.placeId)) placeCache.set(r.placeId, await places.lookup(r.placeId));
        const place = r.placeId ? placeCache.get(r.placeId) : undefined;
        items.push({
          id: r.id,
          scannedAt: r.scannedAt.toISOString(),
          placeId: r.placeId,
          placeName: place?.name ?? null,
          placeType: place?.type ?? null,
          scannerName: maskScannerName(r.scannerId ? scannerNames.get(r.scannerId) : undefined),
          verdict: r.verdict,
          reason: r.reason,
          grants: r.grants,
          shown: r.shown,
          offline: r.offline,
        });
      }
      return { items, total, page: q.page, pageSize: q.pageSize, consent };
    },

    // ---------------------------------------------------------------- clone alerts (admin)

    async listAlerts(p: StaffPrincipal, q: { status?: 'open' | 'closed'; page: number; pageSize: number }, ctx: AuditContext): Promise<PageOf<PassAlert>> {
      requireRole(p, MANAGE_ROLES, 'read pass alerts');
      const cache = new Map<string, Place | undefined>();
      const visible: AlertRow[] = [];
      for (const a of await repo.alerts(p.cityCode, q.status, ALERTS_SCAN_LIMIT)) if (await alertInScope(p, a, cache)) visible.push(a);
      const pageRows = visible.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
      const items = await toAlerts(pageRows);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'pass.alerts.list', targetKind: 'pass_alert', detail: { status: q.status ?? null, count: items.length, total: visible.length, page: q.page } });
      return { items, total: visible.length, page: q.page, pageSize: q.pageSize };
    },

    async closeAlert(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<PassAlert> {
      requireRole(p, MANAGE_ROLES, 'close pass alerts');
      const alert = await repo.findAlert(id);
      if (!alert || !(await alertInScope(p, alert, new Map()))) throw new AppError('pass.not_found', 'No such alert in your area');
      if (alert.status === 'open') {
        await repo.closeAlert(alert.id, p.id, clock.now());
        await audit.record(ctx, { cityCode: alert.cityCode, action: 'pass.alert.close', targetKind: 'pass_alert', targetId: alert.id });
      }
      return (await toAlerts([(await repo.findAlert(id))!]))[0];
    },

    // ---------------------------------------------------------------- station visits (admin, dashboard)

    /** Station check-ins counted per station, street and Shanghai month, inside the caller's area. */
    async visits(p: StaffPrincipal, q: VisitsQuery): Promise<VisitsReport> {
      requireRole(p, MANAGE_ROLES, 'read station visits');
      if (q.areaCode && !isWithin(p.areaCode, q.areaCode)) {
        throw new AppError('areas.out_of_scope', 'That area is outside your scope', { errors: [{ field: 'areaCode', message: 'outside your scope' }] });
      }
      const areaPrefix = q.areaCode ?? p.areaCode;
      const month = q.month ?? shanghaiMonth(clock.now());
      const monthNo = Number(month.slice(5, 7));
      if (monthNo < 1 || monthNo > 12) throw new AppError('request.invalid', 'month: not a month', { errors: [{ field: 'month', message: 'must be YYYY-MM' }] });
      const rows = await repo.visitsOfMonth(p.cityCode, month, areaPrefix);
      const months = last12Months(month);
      const [byMonthMap, streetNames] = await Promise.all([repo.visitsByMonth(p.cityCode, months, areaPrefix), areas.names(rows.map((r) => r.areaCode))]);
      const streets = new Map<string, number>();
      const byStation: VisitsReport['byStation'] = [];
      for (const r of rows) {
        streets.set(r.areaCode, (streets.get(r.areaCode) ?? 0) + r.visits);
        byStation.push({ placeId: r.placeId, name: (await places.lookup(r.placeId))?.name ?? r.placeId, areaCode: r.areaCode, visits: r.visits });
      }
      const byStreet = [...streets.entries()]
        .map(([areaCode, visits]) => ({ areaCode, areaName: streetNames.get(areaCode) ?? areaCode, visits }))
        .sort((a, b) => b.visits - a.visits || a.areaCode.localeCompare(b.areaCode));
      return {
        month,
        total: rows.reduce((n, r) => n + r.visits, 0),
        byStreet,
        byStation,
        byMonth: months.map((m) => ({ month: m, visits: byMonthMap.get(m) ?? 0 })),
      };
    },

    // ---------------------------------------------------------------- retention (daily job)

    /** Deletes scan records older than 180 days and sightings older than a day. */
    async purgeExpired(): Promise<{ scans: number; sightings: number }> {
      const now = clock.now().getTime();
      const scans = await repo.purgeScans(new Date(now - SCAN_RETENTION_DAYS * DAY_MS));
      const sightings = await repo.purgeSightings(new Date(now - SIGHTING_RETENTION_MS));
      return { scans, sightings };
    },
  };
}
export type PassScansService = ReturnType<typeof createPassScansService>;
