// Seeded place datasets for the benchmarks: a city (Ningbo's mix of types around its district centres)
// and a nation (clusters over China), plus query points where riders are.
import { cityBounds, placeServices, type PlaceType } from '../src/contracts/places.js';
import { seededRandom } from '../src/shared/random.js';

const rng = seededRandom;
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

// Ningbo's mix (DESIGN.md): ~33 % merchants, ~37 % charging, ~12 % compounds, ~9 % stations, the rest spread.
const TYPE_WEIGHTS: [PlaceType, number][] = [
  ['merchant', 33], ['charging', 37], ['compound', 12], ['station', 9], ['building', 3], ['canteen', 1], ['clinic', 1],
  ['school', 0.5], ['market', 0.5], ['farm', 0.2], ['service_centre', 0.8], ['parcel_locker', 1.5], ['relay_point', 0.5],
];
const HOURS = [
  null, '24/7', 'Mo-Su 08:00-22:00', 'Mo-Su 07:00-21:00', 'Mo-Fr 09:00-18:00', 'Mo-Su 10:00-22:00', 'Mo-Su 06:00-23:00',
  'Mo-Sa 08:30-20:30', 'Mo-Su 11:00-14:00,17:00-21:00', 'Mo-Su 22:00-06:00', 'Mo-Fr 08:00-20:00; Sa,Su 09:00-17:00', 'Mo-Su 09:00-21:30',
];

export interface Dataset {
  name: string;
  cityCode: string;
  bounds: [number, number, number, number];
  rows: { type: PlaceType; lon: number; lat: number; services: string[]; hours: string | null }[];
}

export function generate(n: number): Dataset {
  const nation = n > 100_000;
  const r = rng(n);
  const bounds: [number, number, number, number] = nation ? [73.5, 18, 134.8, 53.5] : cityBounds['3302']!;
  const centres: [number, number, number][] = nation
    ? Array.from({ length: 330 }, () => [100 + r() * 22, 22 + r() * 18, 0.12])
    : [[121.55, 29.87, 0.04], [121.56, 29.89, 0.03], [121.56, 29.82, 0.04], [121.85, 29.9, 0.05], [121.72, 29.95, 0.04], [121.41, 29.66, 0.05], [121.15, 30.04, 0.05], [121.27, 30.17, 0.06], [121.43, 29.3, 0.05], [121.87, 29.48, 0.05]];
  const total = TYPE_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const rows: Dataset['rows'] = [];
  for (let i = 0; i < n; i++) {
    let pick = r() * total;
    let type: PlaceType = 'merchant';
    for (const [t, w] of TYPE_WEIGHTS) if ((pick -= w) <= 0) { type = t; break; }
    const [cx, cy, s] = centres[Math.floor(r() * centres.length)]!;
    const lon = Math.min(bounds[2], Math.max(bounds[0], cx + gauss(r) * s));
    const lat = Math.min(bounds[3], Math.max(bounds[1], cy + gauss(r) * s));
    const services = placeServices.filter(() => r() < 0.3);
    rows.push({ type, lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7, services, hours: HOURS[Math.floor(r() * HOURS.length)]! });
  }
  return { name: nation ? `nation (${(n / 1e6).toFixed(1)} M)` : `city (${n / 1000} k)`, cityCode: nation ? 'CN00' : '3302', bounds, rows };
}

export function queries(ds: Dataset, count: number) {
  const r = rng(42);
  return Array.from({ length: count }, (_, i) => {
    // riders ask where places are: near a random place, within ~3 km
    const p = ds.rows[Math.floor(r() * ds.rows.length)]!;
    const types: PlaceType[] = i % 4 === 3 ? ['station', 'canteen'] : [(['station', 'charging', 'merchant', 'compound'] as const)[i % 4]!];
    return { lon: p.lon + (r() - 0.5) * 0.05, lat: p.lat + (r() - 0.5) * 0.05, types };
  });
}

