import gcoord from 'gcoord';
import type { CoordinateSystem } from '@contracts/places';

/**
 * Coordinate conversions at the edge. The API and the database speak WGS-84; Chinese map tiles and map
 * apps draw in GCJ-02 (Amap, Tencent) or BD-09 (Baidu). Pure functions, no Leaflet: unit-tested.
 */

export interface LonLat {
  lon: number;
  lat: number;
}

const systems = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const;

/** A WGS-84 point in another system. */
export function fromWgs84(crs: CoordinateSystem, lon: number, lat: number): LonLat {
  if (crs === 'WGS84') return { lon, lat };
  const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, systems[crs]) as [number, number];
  return { lon: x, lat: y };
}

/** A point of another system in WGS-84 (the inverse transforms are approximate: within about 0.2 m). */
export function toWgs84(crs: CoordinateSystem, lon: number, lat: number): LonLat {
  if (crs === 'WGS84') return { lon, lat };
  const [x, y] = gcoord.transform([lon, lat], systems[crs], gcoord.WGS84) as [number, number];
  return { lon: x, lat: y };
}

/** Rounds for URLs and display: 6 decimals is about 10 cm. */
export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** Great-circle distance in metres (haversine on a 6,371 km sphere), for "350 米 away" on the client. */
export function distanceM(a: LonLat, b: LonLat): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}
