import crypto from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { Config } from '../../server/config.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import type { CabinetStatus } from '../../contracts/places.js';
import {
  API_KEY_PREFIX,
  type AdminCabinet,
  type CabinetListQuery,
  type CabinetState,
  type CabinetUpsert,
  type ChargingOperator,
  type HeartbeatBatch,
  type HeartbeatBatchResult,
  type HeartbeatItemError,
  type OperatorCabinet,
  type OperatorWithKey,
} from '../../contracts/charging.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId, sha256Hex } from '../../shared/ids.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { createChargingRepository, type CabinetRow, type CabinetWithOperator, type HeartbeatUpdate, type OperatorRow } from './charging.repository.js';

/** What charging needs to know about a place (the places service's lookup). */
export interface PlaceRef {
  id: string;
  type: string;
  cityCode: string;
  areaCode: string;
  name: string;
  status: string;
}
export interface PlaceLookup {
  lookup(id: string): Promise<PlaceRef | undefined>;
}

export interface ChargingServiceDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'charging'>;
  audit: Pick<AuditService, 'record'>;
  places: PlaceLookup;
}

/** How long the cabinet snapshot behind readyPlaceIds / readyBatteries is reused. */
export const READY_CACHE_MS = 5000;

/**
 * A cabinet's state as riders may be told it: only a fresh heartbeat can say "available"; a cabinet
 * that has not reported within the stale limit is unknown, whatever it said before.
 */
export function cabinetState(c: { online: boolean; readyBatteries: number; lastHeartbeatAt: Date | null }, now: Date, staleMinutes: number): CabinetState {
  if (!c.lastHeartbeatAt || now.getTime() - c.lastHeartbeatAt.getTime() > staleMinutes * 60_000) return 'unknown';
  if (!c.online) return 'offline';
  return c.readyBatteries > 0 ? 'available' : 'empty';
}

/** A new operator key: `yk_` + 32 random bytes (base64url). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
}
const keyPrefixOf = (key: string) => key.slice(0, 8);
const API_KEY_SHAPE = /^yk_[A-Za-z0-9_-]{43}$/;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const invalidKey = () => new AppError('charging.invalid_api_key', 'Missing, unknown or disabled API key (X-Api-Key header)');

function requireOperatorRole(p: StaffPrincipal, write: boolean): void {
  if (p.role !== 'operator') throw forbidden(`Your role (${p.role}) may not manage charging operators`);
  // Operator keys act city-wide, so only a city-wide account hands them out.
  if (write && p.areaCode !== p.cityCode) throw forbidden('Only city-wide operators manage charging operator keys');
}

/**
 * Charging (充换电): operators and their API keys, swap cabinets and their heartbeats, and the live
 * battery readiness that the places module shows riders (never "available" without a fresh heartbeat).
 */
export function createChargingService(deps: ChargingServiceDeps) {
  const { clock, config, audit, places } = deps;
  const repo = createChargingRepository(deps.db);
  const staleMinutes = config.charging.heartbeatStaleMinutes;
  const freshSince = (now = clock.now()) => new Date(now.getTime() - staleMinutes * 60_000);

  // The nearby endpoint asks for battery readiness on many requests: answer from a snapshot of every
  // cabinet's last report, read at most every READY_CACHE_MS (and again at once after our own writes).
  // Freshness is judged at question time from the heartbeat, so a stale cabinet is never "available".
  type SnapshotRow = { place_id: string; city_code: string; online: boolean; ready_batteries: number; heartbeat: number };
  let cached: { at: number; rows: Promise<SnapshotRow[]>; byPlace?: Map<string, SnapshotRow[]> } | undefined;
  const invalidateReady = (_cityCode?: string) => {
    cached = undefined;
  };
  function snapshot(): Promise<SnapshotRow[]> {
    const now = clock.now().getTime();
    if (cached && Math.abs(now - cached.at) < READY_CACHE_MS) return cached.rows;
    const rows = repo.cabinetSnapshot().then((list) =>
      list.map((c) => ({ place_id: c.place_id, city_code: c.city_code, online: c.online, ready_batteries: c.ready_batteries, heartbeat: c.last_heartbeat_at?.getTime() ?? -Infinity })),
    );
    const entry: { at: number; rows: Promise<SnapshotRow[]>; byPlace?: Map<string, SnapshotRow[]> } = { at: now, rows };
    cached = entry;
    rows.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return rows;
  }
  function placeIndex(rows: SnapshotRow[]): Map<string, SnapshotRow[]> {
    if (cached && cached.byPlace) return cached.byPlace;
    const m = new Map<string, SnapshotRow[]>();
    for (const r of rows) {
      const list = m.get(r.place_id);
      if (list) list.push(r);
      else m.set(r.place_id, [r]);
    }
    if (cached) cached.byPlace = m;
    return m;
  }

  const stateOf = (c: CabinetRow, now: Date) => cabinetState({ online: c.online, readyBatteries: c.ready_batteries, lastHeartbeatAt: c.last_heartbeat_at }, now, staleMinutes);

  function toOperator(r: OperatorRow, cabinets: number): ChargingOperator {
    return {
      id: r.id,
      name: r.name,
      keyPrefix: r.key_prefix,
      disabled: r.disabled_at !== null,
      disabledAt: iso(r.disabled_at),
      createdAt: r.created_at.toISOString(),
      rotatedAt: iso(r.rotated_at),
      cabinets,
    };
  }

  function toOperatorCabinet(c: CabinetRow, now: Date): OperatorCabinet {
    return {
      externalId: c.external_id,
      placeId: c.place_id,
      name: c.name,
      slots: c.slots,
      readyBatteries: c.ready_batteries,
      online: c.online,
      state: stateOf(c, now),
      lastHeartbeatAt: (c.last_heartbeat_at ?? now).toISOString(),
    };
  }

  function toCabinetStatus(c: CabinetWithOperator, now: Date): CabinetStatus {
    const state = stateOf(c, now);
    return {
      id: c.id,
      name: c.name,
      operatorName: c.operator_name,
      slots: c.slots,
      readyBatteries: state === 'unknown' ? null : c.ready_batteries,
      state,
      lastHeartbeatAt: iso(c.last_heartbeat_at),
    };
  }

  async function visibleOperator(p: StaffPrincipal, id: string): Promise<OperatorRow> {
    const op = await repo.findOperator(id);
    if (!op || op.city_code !== p.cityCode) throw new AppError('charging.operator_not_found', 'No such charging operator');
    return op;
  }

  async function requireChargingPlace(op: OperatorRow, placeId: string): Promise<PlaceRef> {
    const place = await places.lookup(placeId);
    if (!place || place.type !== 'charging' || place.cityCode !== op.city_code || place.status === 'closed') {
      throw new AppError('charging.place_not_charging', `Place ${placeId} is not an open charging site in your city`, {
        errors: [{ field: 'placeId', message: 'must be a charging site (type charging) of the operator’s city' }],
      });
    }
    return place;
  }

  return {
    cabinetState,

    // ---------------- operator API ----------------

    /** The operator a key belongs to; unknown, malformed and disabled keys are all the same 401. */
    async authenticate(apiKey: string | undefined): Promise<OperatorRow> {
      if (typeof apiKey !== 'string' || !API_KEY_SHAPE.test(apiKey)) throw invalidKey();
      const hash = Buffer.from(sha256Hex(apiKey), 'hex');
      let found: OperatorRow | undefined;
      for (const op of await repo.operatorsByKeyPrefix(keyPrefixOf(apiKey))) {
        if (crypto.timingSafeEqual(hash, Buffer.from(op.api_key_hash, 'hex'))) found = op;
      }
      if (!found || found.disabled_at) throw invalidKey();
      return found;
    },

    /** Registers a cabinet or updates it; either way it is a heartbeat. */
    async upsertCabinet(op: OperatorRow, externalId: string, input: CabinetUpsert, ctx: AuditContext): Promise<{ cabinet: OperatorCabinet; created: boolean }> {
      if (input.readyBatteries > input.slots) {
        throw new AppError('request.invalid', 'readyBatteries cannot exceed slots', {
          errors: [{ field: 'readyBatteries', message: `must be at most slots (${input.slots})` }],
        });
      }
      await requireChargingPlace(op, input.placeId);
      const now = clock.now();
      const { row, created } = await repo.upsertCabinet(
        {
          id: newId(),
          cityCode: op.city_code,
          operatorId: op.id,
          externalId,
          placeId: input.placeId,
          name: input.name?.trim() || undefined,
          slots: input.slots,
          readyBatteries: input.readyBatteries,
          online: input.online,
        },
        now,
      );
      invalidateReady(op.city_code);
      if (created) {
        await audit.record(ctx, {
          cityCode: op.city_code,
          action: 'charging.cabinet.register',
          targetKind: 'swap_cabinet',
          targetId: row.id,
          detail: { operatorId: op.id, operatorName: op.name, externalId, placeId: input.placeId },
        });
      }
      return { cabinet: toOperatorCabinet(row, now), created };
    },

    /** Many heartbeats at once: unknown cabinets and impossible counts are reported per item, the rest applied. */
    async recordHeartbeats(op: OperatorRow, batch: HeartbeatBatch): Promise<HeartbeatBatchResult> {
      const now = clock.now();
      const known = new Map((await repo.cabinetsByExternalIds(op.id, [...new Set(batch.cabinets.map((c) => c.externalId))])).map((c) => [c.external_id, c]));
      const errors: HeartbeatItemError[] = [];
      // The last heartbeat of a cabinet in the batch wins.
      const updates = new Map<string, HeartbeatUpdate>();
      batch.cabinets.forEach((h, index) => {
        const cabinet = known.get(h.externalId);
        if (!cabinet) {
          errors.push({ index, externalId: h.externalId, code: 'charging.cabinet_not_found', message: 'Unknown cabinet: register it first with PUT /api/charging/v1/cabinets/{externalId}' });
          return;
        }
        const slots = h.slots ?? cabinet.slots;
        if (h.readyBatteries > slots) {
          errors.push({ index, externalId: h.externalId, code: 'request.invalid', message: `readyBatteries must be at most slots (${slots})` });
          return;
        }
        updates.set(cabinet.id, { id: cabinet.id, slots, readyBatteries: h.readyBatteries, online: h.online });
      });
      await repo.applyHeartbeats([...updates.values()], now);
      invalidateReady(op.city_code);
      return { applied: batch.cabinets.length - errors.length, errors, receivedAt: now.toISOString() };
    },

    // ---------------- for places (nearby, place page) ----------------

    async cabinetsForPlace(placeId: string): Promise<CabinetStatus[]> {
      if (!/^\d{1,18}$/.test(placeId)) return [];
      const now = clock.now();
      return (await repo.cabinetsForPlace(placeId)).map((c) => toCabinetStatus(c, now));
    },

    /** Charging places with a ready battery in a fresh, online cabinet (from the ≤ 5 s snapshot). */
    async readyPlaceIds(cityCode: string): Promise<Set<string>> {
      const snap = await snapshot();
      const since = freshSince().getTime();
      const ids = new Set<string>();
      for (const c of snap) if (c.city_code === cityCode && c.online && c.ready_batteries > 0 && c.heartbeat >= since) ids.add(c.place_id);
      return ids;
    },

    /** Ready batteries per place across fresh cabinets (offline ones count 0); null when none is fresh. */
    async readyBatteries(placeIds: string[]): Promise<Map<string, number | null>> {
      const result = new Map<string, number | null>(placeIds.map((id) => [id, null]));
      if (!placeIds.length) return result;
      const byPlace = placeIndex(await snapshot());
      const since = freshSince().getTime();
      for (const id of placeIds) {
        let fresh = 0;
        let ready = 0;
        for (const c of byPlace.get(id) ?? []) {
          if (c.heartbeat < since) continue;
          fresh++;
          if (c.online) ready += c.ready_batteries;
        }
        if (fresh > 0) result.set(id, ready);
      }
      return result;
    },

    // ---------------- admin ----------------

    async listOperators(p: StaffPrincipal): Promise<ChargingOperator[]> {
      requireOperatorRole(p, false);
      return (await repo.listOperators(p.cityCode)).map((r) => toOperator(r, r.cabinets));
    },

    async createOperator(p: StaffPrincipal, input: { name: string }, ctx: AuditContext): Promise<OperatorWithKey> {
      requireOperatorRole(p, true);
      const name = input.name.trim();
      if (Array.from(name).length < 2) throw new AppError('request.invalid', 'name: at least 2 characters', { errors: [{ field: 'name', message: 'at least 2 characters' }] });
      const taken = () => new AppError('charging.operator_name_taken', `An operator named ${name} exists`, { errors: [{ field: 'name', message: 'already exists' }] });
      if (await repo.findOperatorByName(p.cityCode, name)) throw taken();
      const apiKey = generateApiKey();
      const row: OperatorRow = {
        id: newId(),
        city_code: p.cityCode,
        name,
        api_key_hash: sha256Hex(apiKey),
        key_prefix: keyPrefixOf(apiKey),
        disabled_at: null,
        created_at: clock.now(),
        rotated_at: null,
      };
      try {
        await repo.insertOperator(row);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw taken();
        throw e;
      }
      await audit.record(ctx, { cityCode: p.cityCode, action: 'charging.operator.create', targetKind: 'charging_operator', targetId: row.id, detail: { name, keyPrefix: row.key_prefix } });
      return { operator: toOperator(row, 0), apiKey };
    },

    /** A new key; the old one stops working at once. */
    async rotateKey(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<OperatorWithKey> {
      requireOperatorRole(p, true);
      const op = await visibleOperator(p, id);
      if (op.disabled_at) throw new AppError('request.conflict', 'This operator is disabled');
      const apiKey = generateApiKey();
      const key = { api_key_hash: sha256Hex(apiKey), key_prefix: keyPrefixOf(apiKey), rotated_at: clock.now() };
      await repo.setOperatorKey(op.id, key);
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'charging.operator.rotate_key',
        targetKind: 'charging_operator',
        targetId: op.id,
        detail: { name: op.name, oldKeyPrefix: op.key_prefix, keyPrefix: key.key_prefix },
      });
      return { operator: toOperator({ ...op, ...key }, await repo.countOperatorCabinets(op.id)), apiKey };
    },

    /** The key stops working; cabinets stay listed and turn unknown once their last heartbeat is stale. */
    async disableOperator(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<ChargingOperator> {
      requireOperatorRole(p, true);
      const op = await visibleOperator(p, id);
      if (!op.disabled_at) {
        await repo.disableOperator(op.id, clock.now());
        await audit.record(ctx, { cityCode: p.cityCode, action: 'charging.operator.disable', targetKind: 'charging_operator', targetId: op.id, detail: { name: op.name } });
      }
      const after = (await repo.findOperator(op.id))!;
      return toOperator(after, await repo.countOperatorCabinets(op.id));
    },

    async listCabinets(p: StaffPrincipal, q: CabinetListQuery): Promise<PageOf<AdminCabinet>> {
      requireOperatorRole(p, false);
      const now = clock.now();
      const { rows, total } = await repo.listCabinets({
        cityCode: p.cityCode,
        state: q.state,
        placeId: q.placeId,
        operatorId: q.operatorId,
        q: q.q?.trim() || undefined,
        freshSince: freshSince(now),
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const names = new Map<string, string | null>();
      for (const id of new Set(rows.map((r) => r.place_id))) names.set(id, (await places.lookup(id))?.name ?? null);
      const items = rows.map((c): AdminCabinet => {
        const state = stateOf(c, now);
        return {
          id: c.id,
          externalId: c.external_id,
          name: c.name,
          placeId: c.place_id,
          placeName: names.get(c.place_id) ?? null,
          operatorId: c.operator_id,
          operatorName: c.operator_name,
          slots: c.slots,
          readyBatteries: state === 'unknown' ? null : c.ready_batteries,
          reportedReadyBatteries: c.ready_batteries,
          online: c.online,
          state,
          lastHeartbeatAt: iso(c.last_heartbeat_at),
          updatedAt: c.updated_at.toISOString(),
        };
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    // ---------------- demo seed ----------------

    /** An operator for the demo seed, created with a key nobody knows (staff rotate it to get one), or the existing one. */
    async seedOperator(cityCode: string, name: string): Promise<{ operator: OperatorRow; created: boolean }> {
      const existing = await repo.findOperatorByName(cityCode, name);
      if (existing) return { operator: existing, created: false };
      const apiKey = generateApiKey();
      const row: OperatorRow = {
        id: newId(),
        city_code: cityCode,
        name,
        api_key_hash: sha256Hex(apiKey),
        key_prefix: keyPrefixOf(apiKey),
        disabled_at: null,
        created_at: clock.now(),
        rotated_at: null,
      };
      await repo.insertOperator(row);
      return { operator: row, created: true };
    },

    /**
     * Cabinets for the demo seed (the seed made the places, so no place checks). With `create`, missing
     * ones are created; existing ones get a heartbeat with the seeded values only when theirs is stale
     * (the demo stays live across restarts; a cabinet a real feed keeps fresh is left alone).
     */
    async seedCabinets(
      op: OperatorRow,
      cabinets: { externalId: string; placeId: string; name: string; slots: number; readyBatteries: number; online: boolean }[],
      opts: { create: boolean },
    ): Promise<number> {
      const now = clock.now();
      const existing = new Map((await repo.cabinetsByExternalIds(op.id, cabinets.map((c) => c.externalId))).map((c) => [c.external_id, c]));
      const stale: HeartbeatUpdate[] = [];
      let created = 0;
      for (const c of cabinets) {
        const have = existing.get(c.externalId);
        if (!have) {
          if (!opts.create) continue;
          await repo.upsertCabinet({ id: newId(), cityCode: op.city_code, operatorId: op.id, ...c }, now);
          created++;
        } else if (!have.last_heartbeat_at || have.last_heartbeat_at < freshSince(now)) {
          stale.push({ id: have.id, slots: have.slots, readyBatteries: Math.min(c.readyBatteries, have.slots), online: c.online });
        }
      }
      await repo.applyHeartbeats(stale, now);
      invalidateReady(op.city_code);
      return created;
    },
  };
}
export type ChargingService = ReturnType<typeof createChargingService>;
