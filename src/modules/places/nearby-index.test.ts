import { describe, expect, it } from 'vitest';
import { placeTypes, type PlaceType } from '../../contracts/places.js';
import { seededRandom } from '../../shared/random.js';
import { NearbyIndex, bruteForceNearest, distanceM, servicesMask, toE7, type PlacePoint } from './nearby-index.js';

/** Seeded, so failures reproduce. */
const rng = seededRandom;

const HOURS = [null, '24/7', 'Mo-Su 08:00-22:00', 'Mo-Fr 09:00-18:00', 'Mo-Su 22:00-06:00'];

function makePoints(index: NearbyIndex, n: number, seed: number, box = [121.3, 29.6, 121.9, 30.1]): PlacePoint[] {
  const r = rng(seed);
  const pts: PlacePoint[] = [];
  for (let i = 1; i <= n; i++) {
    pts.push({
      id: i,
      type: placeTypes[Math.floor(r() * placeTypes.length)] as PlaceType,
      // some exact duplicates of coordinates to exercise ties
      lonE7: i % 50 === 0 && i > 1 ? pts[i - 2]!.lonE7 : toE7(box[0]! + r() * (box[2]! - box[0]!)),
      latE7: i % 50 === 0 && i > 1 ? pts[i - 2]!.latE7 : toE7(box[1]! + r() * (box[3]! - box[1]!)),
      services: Math.floor(r() * 2 ** 28) >>> 0,
      schedule: index.scheduleOf(HOURS[Math.floor(r() * HOURS.length)]),
      score: 255,
    });
  }
  return pts;
}

describe('nearby index', () => {
  it('answers exactly like brute force, with type, services, open-now and radius filters', () => {
    const index = new NearbyIndex();
    const pts = makePoints(index, 20_000, 7);
    const built = new NearbyIndex(pts);
    // share the schedules table: ids were assigned by `index`
    Object.assign(built, { schedules: index.schedules });
    const r = rng(99);
    const at = new Date('2026-11-23T13:30:00Z'); // 21:30 in Ningbo
    for (let q = 0; q < 300; q++) {
      const lon = 121.3 + r() * 0.6;
      const lat = 29.6 + r() * 0.5;
      const filter = {
        types: q % 3 === 0 ? null : [placeTypes[q % placeTypes.length]!, placeTypes[(q * 7) % placeTypes.length]!],
        servicesMask: q % 4 === 0 ? servicesMask(['microwave']) : 0,
        openAt: q % 2 === 0 ? at : null,
        maxDistanceM: q % 5 === 0 ? 3000 : null,
      };
      const k = 1 + (q % 20);
      expect(built.nearest(lon, lat, k, filter)).toEqual(bruteForceNearest(pts, index.schedules, lon, lat, k, filter));
    }
  });

  it('follows changes: upserts and removals go through the delta and rebuilds', () => {
    const index = new NearbyIndex();
    let pts = makePoints(index, 5_000, 3);
    const live = new Map(pts.map((p) => [p.id, p]));
    const idx = new NearbyIndex(pts);
    Object.assign(idx, { schedules: index.schedules });
    idx.rebuildMin = 100;
    const r = rng(5);
    for (let step = 0; step < 600; step++) {
      const id = 1 + Math.floor(r() * 6_000);
      if (r() < 0.3) {
        idx.remove(id);
        live.delete(id);
      } else {
        const p: PlacePoint = { id, type: placeTypes[Math.floor(r() * 4)]!, lonE7: toE7(121.3 + r() * 0.6), latE7: toE7(29.6 + r() * 0.5), services: 1, schedule: 0, score: Math.floor(r() * 100) };
        idx.upsert(p);
        live.set(id, p);
      }
      if (step % 50 === 0) {
        pts = [...live.values()];
        const lon = 121.3 + r() * 0.6;
        const lat = 29.6 + r() * 0.5;
        expect(idx.nearest(lon, lat, 15)).toEqual(bruteForceNearest(pts, index.schedules, lon, lat, 15));
        expect(idx.size).toBe(live.size);
      }
    }
  });

  it('measures great-circle metres', () => {
    // 天一广场 to 宁波站: about 2.6 km
    expect(distanceM(121.5547, 29.8714, 121.5266, 29.8642)).toBeGreaterThan(2500);
    expect(distanceM(121.5547, 29.8714, 121.5266, 29.8642)).toBeLessThan(2900);
    const empty = new NearbyIndex();
    expect(empty.nearest(121.5, 29.8, 10)).toEqual([]);
  });
});
