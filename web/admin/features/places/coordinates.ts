import type { CoordinateSystem } from '@contracts/places';
import { toWgs84 as shared, type LonLat } from '@ui/map';

export type { LonLat };

/** Seven decimals (about 1 cm), as the server stores them. */
export const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** A point typed in another system, in WGS-84 (to put the marker where the person meant). */
export function toWgs84(lon: number, lat: number, crs: CoordinateSystem | undefined): LonLat {
  const p = shared(crs ?? 'WGS84', lon, lat);
  return { lon: round7(p.lon), lat: round7(p.lat) };
}

export function isPoint(lon: unknown, lat: unknown): boolean {
  return typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
}
