import KDBush from 'kdbush';
import TinyQueue from 'tinyqueue';
import { placeServices, placeTypes, type PlaceService, type PlaceType } from '../../contracts/places.js';
import { Schedules } from './opening-hours.js';

/**
 * The in-memory k-nearest-neighbour index behind GET /api/places/nearby.
 *
 * Per place type, a static kd-tree (kdbush) over int32 coordinates in units of 1e-7° — the database
 * rounds coordinates to 7 decimals, so the index holds them exactly and its distances equal a brute
 * force over the same rows. Beside each tree, columnar attributes: database id, services bitmask,
 * opening-hours schedule id and friendliness score (24 bytes a place in all). Changes go to a small
 * delta (searched by brute force) and tombstones until the trees are rebuilt.
 *
 * The search is geokdbush's best-first walk (ISC, Vladimir Agafonkin) over great-circle lower bounds,
 * adapted to scaled coordinates and made deterministic: equal distances are ordered by id.
 */

export const E7 = 1e7;
const RAD = Math.PI / 180;
export const EARTH_RADIUS_M = 6371008.8;
export const NO_SCORE = 255;

export interface PlacePoint {
  id: number;
  type: PlaceType;
  lonE7: number;
  latE7: number;
  services: number;
  schedule: number;
  score: number;
}

export interface NearbyFilter {
  types?: readonly PlaceType[] | null;
  /** Bits of services a place must all offer. */
  servicesMask?: number;
  /** Open at this instant (Asia/Shanghai hours); unknown hours never match. */
  openAt?: Date | null;
  /** Extra predicate on the database id (e.g. charging sites with a ready battery). */
  allow?: ((id: number) => boolean) | null;
  maxDistanceM?: number | null;
}

export interface Hit {
  id: number;
  distanceM: number;
  type: PlaceType;
  score: number;
}

const serviceBit = new Map<string, number>(placeServices.map((s, i) => [s, 1 << i]));
const typeIndex = new Map<string, number>(placeTypes.map((t, i) => [t, i]));

/** Bitmask of services; unknown names are ignored (the API validates them before). */
export function servicesMask(services: readonly (PlaceService | string)[]): number {
  let m = 0;
  for (const s of services) m |= serviceBit.get(s) ?? 0;
  return m >>> 0;
}

export const toE7 = (deg: number) => Math.round(deg * E7);

function haverSin(theta: number) {
  const s = Math.sin(theta / 2);
  return s * s;
}
function haverSinDistPartial(haverSinDLng: number, cosLat1: number, lat1: number, lat2: number) {
  return cosLat1 * Math.cos(lat2 * RAD) * haverSinDLng + haverSin((lat1 - lat2) * RAD);
}
/** Haversine "h" between two points in degrees (monotonic in distance). */
export function haverSinDist(lng1: number, lat1: number, lng2: number, lat2: number, cosLat1: number) {
  return haverSinDistPartial(haverSin((lng1 - lng2) * RAD), cosLat1, lat1, lat2);
}
export const hToMetres = (h: number) => 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, h)));
const metresToH = (m: number) => haverSin(m / EARTH_RADIUS_M);

/** Great-circle metres between two points in degrees, the same arithmetic the index ranks by. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return hToMetres(haverSinDist(lon1, lat1, lon2, lat2, Math.cos(lat1 * RAD)));
}

function vertexLat(lat: number, haverSinDLng: number) {
  const cosDLng = 1 - 2 * haverSinDLng;
  if (cosDLng <= 0) return lat > 0 ? 90 : -90;
  return Math.atan(Math.tan(lat * RAD) / cosDLng) / RAD;
}

interface Node {
  left: number;
  right: number;
  axis: number;
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
  dist: number;
}
interface Item {
  i: number;
  id: number;
  dist: number;
}
type QueueEntry = Node | Item;

function boxDist(lng: number, lat: number, cosLat: number, n: Node) {
  if (lng >= n.minLng && lng <= n.maxLng) {
    if (lat < n.minLat) return haverSin((lat - n.minLat) * RAD);
    if (lat > n.maxLat) return haverSin((lat - n.maxLat) * RAD);
    return 0;
  }
  const haverSinDLng = Math.min(haverSin((lng - n.minLng) * RAD), haverSin((lng - n.maxLng) * RAD));
  const extremumLat = vertexLat(lat, haverSinDLng);
  if (extremumLat > n.minLat && extremumLat < n.maxLat) return haverSinDistPartial(haverSinDLng, cosLat, lat, extremumLat);
  return Math.min(haverSinDistPartial(haverSinDLng, cosLat, lat, n.minLat), haverSinDistPartial(haverSinDLng, cosLat, lat, n.maxLat));
}

/** Nearer first; at equal distance nodes before points (so no equal point hides in a node), then by id. */
function compare(a: QueueEntry, b: QueueEntry) {
  const d = a.dist - b.dist;
  if (d !== 0) return d;
  const ai = 'id' in a;
  const bi = 'id' in b;
  if (ai !== bi) return ai ? 1 : -1;
  return ai && bi ? (a as Item).id - (b as Item).id : 0;
}

/** One place type's static tree and attributes. Row i = insertion order (ascending database id). */
class Snapshot {
  readonly kd: KDBush;
  readonly dead: Uint8Array;
  liveCount: number;
  constructor(
    readonly type: PlaceType,
    readonly dbIds: Uint32Array,
    readonly services: Uint32Array,
    readonly schedule: Uint16Array,
    readonly score: Uint8Array,
    lonE7: Int32Array,
    latE7: Int32Array,
  ) {
    const n = dbIds.length;
    this.kd = new KDBush(Math.max(n, 1), 64, Int32Array);
    for (let i = 0; i < n; i++) this.kd.add(lonE7[i]!, latE7[i]!);
    if (n === 0) this.kd.add(0, 0); // kdbush needs an item; row 0 is marked dead below
    this.kd.finish();
    this.dead = new Uint8Array(Math.max(n, 1));
    if (n === 0) this.dead[0] = 1;
    this.liveCount = n;
  }

  /** Row of a database id, or -1. */
  rowOf(id: number): number {
    let lo = 0;
    let hi = this.dbIds.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.dbIds[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  kill(row: number) {
    if (!this.dead[row]) {
      this.dead[row] = 1;
      this.liveCount--;
    }
  }

  /** Live rows as points (for a rebuild). */
  *live(): Generator<PlacePoint> {
    const coords = this.kd.coords;
    const ids = this.kd.ids;
    // coords are stored in tree order: position k holds row ids[k]
    for (let k = 0; k < ids.length; k++) {
      const row = ids[k]!;
      if (this.dead[row]) continue;
      yield {
        id: this.dbIds[row]!,
        type: this.type,
        lonE7: coords[2 * k]!,
        latE7: coords[2 * k + 1]!,
        services: this.services[row]!,
        schedule: this.schedule[row]!,
        score: this.score[row]!,
      };
    }
  }

  bytes(): number {
    return this.kd.data.byteLength + this.dbIds.byteLength + this.services.byteLength + this.schedule.byteLength + this.score.byteLength + this.dead.byteLength;
  }

  static build(type: PlaceType, points: PlacePoint[]): Snapshot {
    points.sort((a, b) => a.id - b.id);
    const n = points.length;
    const dbIds = new Uint32Array(n);
    const services = new Uint32Array(n);
    const schedule = new Uint16Array(n);
    const score = new Uint8Array(n);
    const lon = new Int32Array(n);
    const lat = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = points[i]!;
      dbIds[i] = p.id;
      services[i] = p.services;
      schedule[i] = p.schedule;
      score[i] = p.score;
      lon[i] = p.lonE7;
      lat[i] = p.latE7;
    }
    return new Snapshot(type, dbIds, services, schedule, score, lon, lat);
  }
}

export class NearbyIndex {
  readonly schedules = new Schedules();
  private snapshots: Snapshot[];
  private readonly delta = new Map<number, PlacePoint>();
  /** Rebuild when the delta or the dead rows grow past this share of the index. */
  rebuildShare = 0.02;
  rebuildMin = 2048;

  constructor(points: Iterable<PlacePoint> = []) {
    this.snapshots = NearbyIndex.buildAll(points);
  }

  private static buildAll(points: Iterable<PlacePoint>): Snapshot[] {
    const byType = placeTypes.map(() => [] as PlacePoint[]);
    for (const p of points) byType[typeIndex.get(p.type)!]!.push(p);
    return placeTypes.map((t, i) => Snapshot.build(t, byType[i]!));
  }

  /** Number of live places. */
  get size(): number {
    let n = this.delta.size;
    for (const s of this.snapshots) n += s.liveCount;
    return n;
  }

  /** Bytes held by the trees, attributes and delta (the schedules table aside). */
  bytes(): number {
    return this.snapshots.reduce((sum, s) => sum + s.bytes(), 0) + this.delta.size * 96;
  }

  /** The schedule id of an opening_hours value (unknown or invalid → 0). Throws past 65,535 distinct values. */
  scheduleOf(hours: string | null | undefined): number {
    const id = this.schedules.idOf(hours);
    if (id > 0xffff) throw new Error('more than 65,535 distinct opening hours');
    return id;
  }

  private killEverywhere(id: number) {
    for (const s of this.snapshots) {
      const row = s.rowOf(id);
      if (row >= 0) s.kill(row);
    }
  }

  /** A place became visible or changed. */
  upsert(p: PlacePoint) {
    if (p.id > 0xffffffff) throw new Error(`place id ${p.id} beyond the index's 32-bit ids`);
    this.killEverywhere(p.id);
    this.delta.set(p.id, p);
    this.maybeRebuild();
  }

  /** A place is no longer visible (suspended, closed, uncertified …). */
  remove(id: number) {
    this.killEverywhere(id);
    this.delta.delete(id);
    this.maybeRebuild();
  }

  private maybeRebuild() {
    let dead = 0;
    let total = 0;
    for (const s of this.snapshots) {
      dead += s.dbIds.length - s.liveCount;
      total += s.dbIds.length;
    }
    const limit = Math.max(this.rebuildMin, total * this.rebuildShare);
    if (this.delta.size > limit || dead > limit) this.rebuild();
  }

  /** Folds the delta into fresh trees. */
  rebuild() {
    const all: PlacePoint[] = [];
    for (const s of this.snapshots) for (const p of s.live()) all.push(p);
    for (const p of this.delta.values()) all.push(p);
    this.snapshots = NearbyIndex.buildAll(all);
    this.delta.clear();
  }

  /** The k nearest places matching the filter, nearest first (ties by id). */
  nearest(lon: number, lat: number, k: number, filter: NearbyFilter = {}): Hit[] {
    const types = filter.types && filter.types.length ? [...new Set(filter.types)] : placeTypes;
    const mask = filter.servicesMask ?? 0;
    const openAt = filter.openAt ?? null;
    const allow = filter.allow ?? null;
    const maxH = filter.maxDistanceM != null ? metresToH(filter.maxDistanceM) : Infinity;
    const cosLat = Math.cos(lat * RAD);
    const results: { id: number; h: number; type: PlaceType; score: number }[] = [];

    for (const type of types) {
      const snap = this.snapshots[typeIndex.get(type)!]!;
      if (snap.liveCount === 0) continue;
      const accept = (row: number) => {
        if (snap.dead[row]) return false;
        if (mask && (snap.services[row]! & mask) !== mask) return false;
        if (openAt && !this.schedules.isOpen(snap.schedule[row]!, openAt)) return false;
        if (allow && !allow(snap.dbIds[row]!)) return false;
        return true;
      };
      for (const it of this.walk(snap, lon, lat, cosLat, k, maxH, accept)) {
        results.push({ id: snap.dbIds[it.i]!, h: it.dist, type, score: snap.score[it.i]! });
      }
    }
    for (const p of this.delta.values()) {
      if (!types.includes(p.type)) continue;
      if (mask && (p.services & mask) !== mask) continue;
      if (openAt && !this.schedules.isOpen(p.schedule, openAt)) continue;
      if (allow && !allow(p.id)) continue;
      const h = haverSinDist(lon, lat, p.lonE7 / E7, p.latE7 / E7, cosLat);
      if (h > maxH) continue;
      results.push({ id: p.id, h, type: p.type, score: p.score });
    }
    results.sort((a, b) => a.h - b.h || a.id - b.id);
    return results.slice(0, k).map((r) => ({ id: r.id, distanceM: hToMetres(r.h), type: r.type, score: r.score }));
  }

  /**
   * Best-first walk of one tree: up to k accepted rows within maxH, nearest first. Besides the queue
   * ordered by lower bounds, it keeps the k best candidate distances seen so far: a point or a node
   * farther than the k-th of them can never make the answer, so it is not queued at all.
   */
  private walk(snap: Snapshot, lng: number, lat: number, cosLat: number, k: number, maxH: number, accept: (row: number) => boolean): Item[] {
    const { ids, coords, nodeSize } = snap.kd;
    const out: Item[] = [];
    const q = new TinyQueue<QueueEntry>([], compare);
    const best: number[] = []; // ascending, at most k
    const bound = () => (best.length === k ? best[k - 1]! : maxH);
    const consider = (row: number, p: number) => {
      if (!accept(row)) return;
      const dist = haverSinDist(lng, lat, coords[2 * p]! / E7, coords[2 * p + 1]! / E7, cosLat);
      if (dist > bound()) return;
      q.push({ i: row, id: snap.dbIds[row]!, dist });
      let j = best.length < k ? best.length : k - 1;
      if (best.length < k) best.push(dist);
      while (j > 0 && best[j - 1]! > dist) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = dist;
    };
    let node: Node | undefined = { left: 0, right: ids.length - 1, axis: 0, dist: 0, minLng: -180, minLat: -90, maxLng: 180, maxLat: 90 };
    while (node) {
      const { left, right } = node;
      if (right - left <= nodeSize) {
        for (let p = left; p <= right; p++) consider(ids[p]!, p);
      } else {
        const m = (left + right) >> 1;
        const midLng = coords[2 * m]! / E7;
        const midLat = coords[2 * m + 1]! / E7;
        consider(ids[m]!, m);
        const nextAxis = (node.axis + 1) % 2;
        const l: Node = {
          left,
          right: m - 1,
          axis: nextAxis,
          minLng: node.minLng,
          minLat: node.minLat,
          maxLng: node.axis === 0 ? midLng : node.maxLng,
          maxLat: node.axis === 1 ? midLat : node.maxLat,
          dist: 0,
        };
        const r: Node = {
          left: m + 1,
          right,
          axis: nextAxis,
          minLng: node.axis === 0 ? midLng : node.minLng,
          minLat: node.axis === 1 ? midLat : node.minLat,
          maxLng: node.maxLng,
          maxLat: node.maxLat,
          dist: 0,
        };
        l.dist = boxDist(lng, lat, cosLat, l);
        r.dist = boxDist(lng, lat, cosLat, r);
        const limit = bound();
        if (l.left <= l.right && l.dist <= limit) q.push(l);
        if (r.left <= r.right && r.dist <= limit) q.push(r);
      }
      let c: QueueEntry | undefined;
      while ((c = q.pop()) && 'id' in c) {
        if (c.dist > maxH) return out;
        out.push(c);
        if (out.length === k) return out;
      }
      node = c as Node | undefined;
    }
    return out;
  }
}

/** The brute-force answer, for tests and the benchmark's oracle: every point, same arithmetic. */
export function bruteForceNearest(points: readonly PlacePoint[], schedules: Schedules, lon: number, lat: number, k: number, filter: NearbyFilter = {}): Hit[] {
  const types = filter.types && filter.types.length ? new Set(filter.types) : null;
  const mask = filter.servicesMask ?? 0;
  const maxH = filter.maxDistanceM != null ? metresToH(filter.maxDistanceM) : Infinity;
  const cosLat = Math.cos(lat * RAD);
  const all: { id: number; h: number; type: PlaceType; score: number }[] = [];
  for (const p of points) {
    if (types && !types.has(p.type)) continue;
    if (mask && (p.services & mask) !== mask) continue;
    if (filter.openAt && !schedules.isOpen(p.schedule, filter.openAt)) continue;
    if (filter.allow && !filter.allow(p.id)) continue;
    const h = haverSinDist(lon, lat, p.lonE7 / E7, p.latE7 / E7, cosLat);
    if (h > maxH) continue;
    all.push({ id: p.id, h, type: p.type, score: p.score });
  }
  all.sort((a, b) => a.h - b.h || a.id - b.id);
  return all.slice(0, k).map((r) => ({ id: r.id, distanceM: hToMetres(r.h), type: r.type, score: r.score }));
}
