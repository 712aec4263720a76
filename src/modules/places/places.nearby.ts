import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { Config } from '../../server/config.js';
import { AppError } from '../../shared/errors.js';
import {
  cityBounds,
  placeServices,
  placeTypes,
  type NearbyQuery,
  type NearbyResponse,
  type PlaceSummary,
  type PlaceType,
} from '../../contracts/places.js';
import { NearbyIndex, NO_SCORE, distanceM, servicesMask, toE7, type Hit, type PlacePoint } from './nearby-index.js';
import { openState, parseHours, type Hours } from './opening-hours.js';

/** Live swap-battery readiness, from the charging module (bound late: charging itself uses places). */
export interface BatteryReadiness {
  /** Ids of charging places with a ready battery in a cabinet whose heartbeat is fresh. */
  readyPlaceIds(cityCode: string): Promise<Set<string>>;
  /** Ready batteries per place across fresh cabinets; null when every cabinet's state is unknown. */
  readyBatteries(placeIds: string[]): Promise<Map<string, number | null>>;
}

export interface NearestHit {
  id: string;
  distanceM: number;
}

interface PointRow {
  id: string;
  city_code: string;
  type: string;
  lon: number;
  lat: number;
  services: string[];
  hours: string | null;
  score: number | null;
  listed: boolean;
  change_seq: string;
}

interface SummaryRow {
  /** The static members of the item's JSON, without the closing brace (filled on first use). */
  json?: string;
  id: string;
  type: string;
  name: string;
  address: string;
  lon: number;
  lat: number;
  services: string[];
  hours: string | null;
  score: number | null;
}

const LOAD_BATCH = 20_000;
const SYNC_BATCH = 5_000;
/** Changes are re-read for this long: a transaction that took its sequence number earlier but committed later is still seen. */
const RESCAN_WINDOW_MS = 15_000;
const SUMMARY_CACHE_MAX = 50_000;

/** The city whose region contains the point (the tenant of a public query). */
export function cityAt(lon: number, lat: number): string | undefined {
  for (const [code, [minLon, minLat, maxLon, maxLat]] of Object.entries(cityBounds)) {
    if (lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat) return code;
  }
  return undefined;
}

function parseList<T extends string>(raw: string | undefined, allowed: readonly T[], field: string): T[] {
  if (!raw) return [];
  const values = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = values.filter((v) => !allowed.includes(v as T));
  if (bad.length) {
    throw new AppError('request.invalid', `${field}: unknown value ${bad.join(', ')}`, {
      errors: [{ field, message: `unknown ${field === 'types' ? 'place type' : 'service'}: ${bad.join(', ')}`, rule: 'enum' }],
    });
  }
  return [...new Set(values)] as T[];
}

/**
 * Nearby places. SQL (cube/earthdistance GiST k-nearest-neighbour) is the source of truth; an in-memory
 * index per city answers the queries, loaded at start and kept in step with the table by its change
 * sequence (polled every `indexSyncMs`, and at once after this process's own writes).
 */
export function createNearbyService(deps: { db: Db; clock: Clock; config: Config; batteries: BatteryReadiness }) {
  const { db, clock, config, batteries } = deps;
  const q = () => db.withTables<{ places: PointRow & SummaryRow }>();

  const indexes = new Map<string, NearbyIndex>();
  let ready = false;
  let lastSeq = 0;
  /** (time, highest sequence seen) marks: the sync re-reads from the mark older than the rescan window. */
  let marks: { at: number; seq: number }[] = [];
  const appliedSeq = new Map<number, number>();
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;
  const summaries = new Map<string, SummaryRow>();
  const parsedHours = new Map<string, Hours | null>();

  function indexFor(city: string): NearbyIndex {
    let idx = indexes.get(city);
    if (!idx) {
      idx = new NearbyIndex();
      indexes.set(city, idx);
    }
    return idx;
  }

  function toPoint(idx: NearbyIndex, r: PointRow): PlacePoint {
    return {
      id: Number(r.id),
      type: r.type as PlaceType,
      lonE7: toE7(r.lon),
      latE7: toE7(r.lat),
      services: servicesMask(r.services),
      schedule: idx.scheduleOf(r.hours),
      score: r.score ?? NO_SCORE,
    };
  }

  async function load() {
    const byCity = new Map<string, PlacePoint[]>();
    const scratch = new Map<string, NearbyIndex>();
    const seqRow = await sql<{ seq: string | null }>`select max(change_seq) as seq from places`.execute(db);
    const startSeq = Number(seqRow.rows[0]?.seq ?? 0);
    let after = '0';
    for (;;) {
      const rows = (await q()
        .selectFrom('places')
        .select(['id', 'city_code', 'type', 'lon', 'lat', 'services', 'hours', 'score'])
        .where('listed', '=', true)
        .where(sql<boolean>`id > ${after}::bigint`)
        .orderBy('id')
        .limit(LOAD_BATCH)
        .execute()) as PointRow[];
      for (const r of rows) {
        let idx = scratch.get(r.city_code);
        if (!idx) {
          idx = new NearbyIndex();
          scratch.set(r.city_code, idx);
        }
        let list = byCity.get(r.city_code);
        if (!list) byCity.set(r.city_code, (list = []));
        list.push(toPoint(idx, r));
      }
      if (rows.length < LOAD_BATCH) break;
      after = String(rows[rows.length - 1]!.id);
    }
    indexes.clear();
    for (const [city, points] of byCity) {
      const idx = new NearbyIndex(points);
      // keep the schedule ids the points were given
      Object.assign(idx, { schedules: scratch.get(city)!.schedules });
      indexes.set(city, idx);
    }
    // changes made while loading are read again by the first sync
    lastSeq = startSeq;
    marks = [{ at: Date.now(), seq: startSeq }];
    ready = true;
  }

  async function syncOnce() {
    const now = Date.now();
    const old = marks.filter((m) => m.at <= now - RESCAN_WINDOW_MS);
    const from = old.length ? old[old.length - 1]!.seq : (marks[0]?.seq ?? 0);
    let cursor = Math.min(from, lastSeq);
    for (;;) {
      const rows = (await q()
        .selectFrom('places')
        .select(['id', 'city_code', 'type', 'lon', 'lat', 'services', 'hours', 'score', 'listed', 'change_seq'])
        .where(sql<boolean>`change_seq > ${cursor}::bigint`)
        .orderBy('change_seq')
        .limit(SYNC_BATCH)
        .execute()) as PointRow[];
      for (const r of rows) {
        const id = Number(r.id);
        const seq = Number(r.change_seq);
        if (appliedSeq.get(id) !== seq) {
          appliedSeq.set(id, seq);
          summaries.delete(String(r.id));
          const idx = indexFor(r.city_code);
          if (r.listed) idx.upsert(toPoint(idx, r));
          else idx.remove(id);
        }
        if (seq > lastSeq) lastSeq = seq;
      }
      if (rows.length < SYNC_BATCH) break;
      cursor = Number(rows[rows.length - 1]!.change_seq);
    }
    marks.push({ at: now, seq: lastSeq });
    marks = marks.filter((m, i) => i === marks.length - 1 || m.at > now - 2 * RESCAN_WINDOW_MS);
    if (appliedSeq.size > 200_000) appliedSeq.clear();
  }

  /** One sync at a time; callers share the running one. */
  function sync(): Promise<void> {
    if (!ready) return Promise.resolve();
    if (!syncing) {
      syncing = syncOnce().finally(() => {
        syncing = undefined;
      });
    }
    return syncing;
  }

  function hoursOf(value: string | null): Hours | null {
    if (!value) return null;
    let oh = parsedHours.get(value);
    if (oh === undefined) {
      try {
        oh = parseHours(value);
      } catch {
        oh = null;
      }
      if (parsedHours.size > 10_000) parsedHours.clear();
      parsedHours.set(value, oh);
    }
    return oh;
  }

  async function loadSummaries(ids: string[]): Promise<Map<string, SummaryRow>> {
    const out = new Map<string, SummaryRow>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = summaries.get(id);
      if (hit) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = (await q()
        .selectFrom('places')
        .select(['id', 'type', 'name', 'address', 'lon', 'lat', 'services', 'hours', 'score'])
        .where(sql<boolean>`id = any(${missing}::bigint[])`)
        .execute()) as SummaryRow[];
      for (const row of rows) {
        const r = { ...row, id: String(row.id) }; // bigint arrives as a number or a string by driver setup
        out.set(r.id, r);
        if (summaries.size >= SUMMARY_CACHE_MAX) summaries.delete(summaries.keys().next().value!);
        summaries.set(r.id, r);
      }
    }
    return out;
  }

  /** Open state per schedule, computed once a minute: results share a handful of schedules. */
  const states = new Map<string, { minute: number; value: PlaceSummary['openState'] }>();
  function stateOf(hours: string | null, at: Date): PlaceSummary['openState'] {
    const minute = Math.floor(at.getTime() / 60_000);
    const key = hours ?? '';
    const hit = states.get(key);
    if (hit && hit.minute === minute) return hit.value;
    const s = openState(hoursOf(hours), new Date(minute * 60_000));
    const value = { open: s.open, nextChange: s.nextChange?.toISOString() ?? null, alwaysOpen: s.alwaysOpen };
    if (states.size > 10_000) states.clear();
    states.set(key, { minute, value });
    return value;
  }

  function stateJsonOf(hours: string | null, at: Date): string {
    const minute = Math.floor(at.getTime() / 60_000);
    const key = hours ?? '';
    const hit = stateJson.get(key);
    if (hit && hit.minute === minute) return hit.json;
    const json = JSON.stringify(stateOf(hours, at));
    if (stateJson.size > 10_000) stateJson.clear();
    stateJson.set(key, { minute, json });
    return json;
  }
  const stateJson = new Map<string, { minute: number; json: string }>();

  /** Must stay in step with PlaceSummary (a test compares queryJson with query). */
  const staticJson = (r: SummaryRow) =>
    `{"id":${JSON.stringify(r.id)},"type":${JSON.stringify(r.type)},"name":${JSON.stringify(r.name)},"address":${JSON.stringify(r.address)},"lon":${r.lon},"lat":${r.lat},"services":${JSON.stringify(r.services)},"score":${r.score ?? null}`;

  function summarize(r: SummaryRow, at: Date, distance: number | undefined, ready: Map<string, number | null>): PlaceSummary {
    return {
      id: r.id,
      type: r.type as PlaceType,
      name: r.name,
      address: r.address,
      lon: r.lon,
      lat: r.lat,
      services: r.services,
      ...(distance !== undefined ? { distanceM: Math.round(distance) } : {}),
      openState: stateOf(r.hours, at),
      score: r.score,
      ...(r.type === 'charging' ? { readyBatteries: ready.get(r.id) ?? null } : {}),
    };
  }

  /** SQL k-nearest-neighbour: the source of truth, and the answer while the index is not ready. */
  async function sqlNearest(
    cityCode: string,
    lon: number,
    lat: number,
    k: number,
    f: { types: PlaceType[]; services: string[]; openAt: Date | null; allow: ((id: string) => boolean) | null; maxDistanceM: number | null },
  ): Promise<{ id: string; distanceM: number }[]> {
    const out: { id: string; distanceM: number }[] = [];
    let fetch = Math.max(k * 4, 40);
    let offset = 0;
    for (;;) {
      const rows = await sql<SummaryRow & { d: number }>`
        select id, type, name, address, lon, lat, services, hours, score
        from places
        where listed and city_code = ${cityCode}
          ${f.types.length ? sql`and type = any(${f.types}::text[])` : sql``}
          ${f.services.length ? sql`and services @> ${f.services}::text[]` : sql``}
        order by ll_to_earth(lat, lon) <-> ll_to_earth(${lat}, ${lon})
        limit ${fetch} offset ${offset}`.execute(db);
      for (const r of rows.rows) {
        const d = distanceM(lon, lat, r.lon, r.lat);
        if (f.maxDistanceM != null && d > f.maxDistanceM) return out;
        if (f.openAt && openState(hoursOf(r.hours), f.openAt).open !== true) continue;
        if (f.allow && !f.allow(String(r.id))) continue;
        out.push({ id: String(r.id), distanceM: d });
        if (out.length === k) return out;
      }
      if (rows.rows.length < fetch) return out;
      offset += fetch;
      fetch = Math.min(fetch * 4, 5_000);
    }
  }

  /** The query's hits (nearest first), their summaries and battery counts. */
  async function find(q: NearbyQuery, opts: { forceSql?: boolean }) {
    const cityCode = cityAt(q.lon, q.lat);
    if (!cityCode) {
      throw new AppError('places.out_of_region', 'No city of this platform covers that point', {
        errors: [{ field: 'lon', message: 'outside every city served' }],
      });
    }
    const types = parseList(q.types, placeTypes, 'types');
    const services = parseList(q.services, placeServices, 'services');
    const now = clock.now();
    let allow: ((id: string) => boolean) | null = null;
    if (q.readyBattery) {
      const readySet = await batteries.readyPlaceIds(cityCode);
      allow = (id) => readySet.has(id);
    }
    const useIndex = ready && config.places.indexEnabled && !opts.forceSql;
    let hits: { id: string; distanceM: number }[];
    if (useIndex) {
      const idx = indexes.get(cityCode);
      const raw: Hit[] = idx
        ? idx.nearest(q.lon, q.lat, q.limit, {
            types: q.readyBattery ? (types.length ? types.filter((t) => t === 'charging') : ['charging']) : types,
            servicesMask: servicesMask(services),
            openAt: q.openNow ? now : null,
            allow: allow ? (id) => allow!(String(id)) : null,
            maxDistanceM: q.radiusM ?? null,
          })
        : [];
      hits = raw.map((h) => ({ id: String(h.id), distanceM: h.distanceM }));
    } else {
      hits = await sqlNearest(cityCode, q.lon, q.lat, q.limit, {
        types: q.readyBattery ? ['charging'] : types,
        services,
        openAt: q.openNow ? now : null,
        allow,
        maxDistanceM: q.radiusM ?? null,
      });
    }
    const rows = await loadSummaries(hits.map((h) => h.id));
    const chargingIds = hits.filter((h) => rows.get(h.id)?.type === 'charging').map((h) => h.id);
    const readyCounts = chargingIds.length ? await batteries.readyBatteries(chargingIds) : new Map<string, number | null>();
    return { hits, rows, readyCounts, now, source: (useIndex ? 'index' : 'sql') as NearbyResponse['source'] };
  }

  return {
    /** Nearby listed places for a worker or the public (visible: active, and merchants certified). */
    async query(q: NearbyQuery, opts: { forceSql?: boolean } = {}): Promise<NearbyResponse> {
      const f = await find(q, opts);
      const items: PlaceSummary[] = [];
      for (const h of f.hits) {
        const r = f.rows.get(h.id);
        if (r) items.push(summarize(r, f.now, h.distanceM, f.readyCounts));
      }
      return { items, source: f.source };
    },

    /**
     * The same answer as query(), already serialised: the static part of each place is JSON cached with
     * its summary, so the hot endpoint only writes distances, open states and batteries per request.
     */
    async queryJson(q: NearbyQuery): Promise<string> {
      const f = await find(q, {});
      const parts: string[] = [];
      for (const h of f.hits) {
        const r = f.rows.get(h.id);
        if (!r) continue;
        r.json ??= staticJson(r);
        let item = `${r.json},"distanceM":${Math.round(h.distanceM)},"openState":${stateJsonOf(r.hours, f.now)}`;
        if (r.type === 'charging') item += `,"readyBatteries":${f.readyCounts.get(h.id) ?? null}`;
        parts.push(item + '}');
      }
      return `{"items":[${parts.join(',')}],"source":"${f.source}"}`;
    },

    /** The k nearest listed places of the given types (service circle, …), ids and metres. */

    /** The k nearest listed places of the given types (service circle, …), ids and metres. */
    async nearest(cityCode: string, lon: number, lat: number, opts: { types?: PlaceType[]; k: number; maxDistanceM?: number }): Promise<NearestHit[]> {
      if (ready && config.places.indexEnabled) {
        const idx = indexes.get(cityCode);
        if (!idx) return [];
        return idx.nearest(lon, lat, opts.k, { types: opts.types ?? null, maxDistanceM: opts.maxDistanceM ?? null }).map((h) => ({ id: String(h.id), distanceM: h.distanceM }));
      }
      return sqlNearest(cityCode, lon, lat, opts.k, { types: opts.types ?? [], services: [], openAt: null, allow: null, maxDistanceM: opts.maxDistanceM ?? null });
    },

    /** Reads changes from the table now (call after a write so the writer sees it at once). */
    refresh: sync,

    /** Loads the index and starts following the table; stop() ends that. */
    async start(): Promise<void> {
      if (!config.places.indexEnabled || ready) return;
      await load();
      await sync();
      timer = setInterval(() => {
        sync().catch(() => undefined);
      }, config.places.indexSyncMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await syncing?.catch(() => undefined);
    },

    /** For /metrics and the benchmark: places held and bytes used per city. */
    stats() {
      return [...indexes.entries()].map(([city, idx]) => ({ city, places: idx.size, bytes: idx.bytes(), schedules: idx.schedules.size }));
    },
    get ready() {
      return ready;
    },
  };
}
export type NearbyService = ReturnType<typeof createNearbyService>;
