import gcoord from 'gcoord';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import type { ErrorCode } from '../../contracts/errors.js';
import { cityBounds, entryBuckets, placeServices, placeTypes, type Access, type CoordinateSystem, type Friendliness, type Gate, type PlaceDetails, type PlaceInput, type PlaceUpdate } from '../../contracts/places.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { isWithin } from '../areas/areas.service.js';
import { isValidHours } from './opening-hours.js';
import { type PlaceFields, type PlaceRow, type RatingRow } from './places.repository.js';

/**
 * The places registry's pure rules: validation of a draft, coordinates, scope helpers, friendliness.
 * No I/O here; the service applies them.
 */

export const READ_ROLES: readonly StaffRole[] = ['operator', 'handler', 'grid_worker'];
export const WRITE_ROLES: readonly StaffRole[] = ['operator', 'handler'];

export const MAX_PHOTOS = 6;
export const RATING_WINDOW_DAYS = 180;
/** Worst-rated lists only places with at least this many recent ratings. */
export const MIN_RATINGS_FOR_RANKING = 3;
/** Two places of one type and name closer than this are the same place. */
export const DUPLICATE_DISTANCE_M = 30;
export const MAX_EXPORT_ROWS = 100_000;
export const RATED_TYPES: readonly string[] = ['compound', 'building'];

// ---------------- pure rules ----------------

/** A place as validated and stored: WGS-84 rounded to 7 decimals, strings trimmed, empty → null. */
export interface PlaceDraft {
  type: string;
  name: string;
  areaCode: string;
  address: string;
  lon: number;
  lat: number;
  phone: string | null;
  hours: string | null;
  services: string[];
  description: string | null;
  access: Access | null;
  gates: Gate[];
  details: PlaceDetails;
}

/** One reason a draft is refused, naming its field (`gates.0.lon`, `details.sockets` …). */
export interface Issue {
  field: string;
  code: ErrorCode;
  message: string;
}

export const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** WGS-84 from GCJ-02 / BD-09 (Chinese map apps); WGS-84 and non-numbers pass through. */
export function toWgs84(lon: number, lat: number, crs: CoordinateSystem = 'WGS84'): [number, number] {
  if (crs === 'WGS84' || !Number.isFinite(lon) || !Number.isFinite(lat)) return [lon, lat];
  const [x, y] = gcoord.transform([lon, lat], crs === 'GCJ02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as [number, number];
  return [x, y];
}

/** Great-circle distance in metres (the nearby index's arithmetic). */
export { distanceM } from './nearby-index.js';

export const blankToNull = (v: string | null | undefined) => {
  const t = v?.trim();
  return t ? t : null;
};

export function normaliseDraft(d: PlaceDraft): PlaceDraft {
  return {
    ...d,
    type: d.type.trim(),
    name: d.name.trim(),
    areaCode: d.areaCode.trim(),
    address: d.address.trim(),
    lon: Number.isFinite(d.lon) ? round7(d.lon) : d.lon,
    lat: Number.isFinite(d.lat) ? round7(d.lat) : d.lat,
    phone: blankToNull(d.phone),
    hours: blankToNull(d.hours),
    description: blankToNull(d.description),
    services: d.services.map((s) => s.trim()),
    access: d.access ? { mode: d.access.mode, policy: d.access.policy.trim() } : null,
    gates: d.gates.map((g) => ({ name: g.name.trim(), lon: round7(g.lon), lat: round7(g.lat), hours: blankToNull(g.hours) })),
  };
}

/** Which detail fields make sense for which types. */
export const detailTypes: Record<keyof PlaceDetails, readonly string[]> = {
  sockets: ['charging'],
  price: ['charging'],
  operatorName: ['charging'],
  offers: ['merchant', 'canteen'],
  elevator: ['building'],
  capacity: ['station', 'canteen', 'service_centre', 'school', 'clinic'],
};

export const PHONE = /^[\d+\-()（）\s,，/转]{3,30}$/;

/** Parsing hours costs ~0.3 ms and an import repeats a few schedules thousands of times: remember the answers. */
export const hoursValidity = new Map<string, boolean>();
export function validHours(hours: string): boolean {
  let ok = hoursValidity.get(hours);
  if (ok === undefined) {
    if (hoursValidity.size >= 5000) hoursValidity.clear();
    ok = isValidHours(hours);
    hoursValidity.set(hours, ok);
  }
  return ok;
}

/** Rules that need no database: type, text, services, hours, region, per-type fields. */
export function draftIssues(d: PlaceDraft, cityCode: string): Issue[] {
  const issues: Issue[] = [];
  const add = (field: string, code: ErrorCode, message: string) => issues.push({ field, code, message });

  const knownType = (placeTypes as readonly string[]).includes(d.type);
  if (!knownType) add('type', 'places.invalid_value', `unknown type "${d.type}"`);
  if (!d.name) add('name', 'places.invalid_value', 'required');
  else if (Array.from(d.name).length > 80) add('name', 'places.invalid_value', 'at most 80 characters');
  if (!d.address) add('address', 'places.invalid_value', 'required');
  else if (Array.from(d.address).length > 200) add('address', 'places.invalid_value', 'at most 200 characters');
  if (d.phone !== null && !PHONE.test(d.phone)) add('phone', 'places.invalid_value', 'not a phone number');
  if (d.description !== null && d.description.length > 1000) add('description', 'places.invalid_value', 'at most 1000 characters');

  const unknown = d.services.filter((s) => !(placeServices as readonly string[]).includes(s));
  if (unknown.length) add('services', 'places.invalid_value', `unknown services: ${unknown.join(', ')}`);
  else if (new Set(d.services).size !== d.services.length) add('services', 'places.invalid_value', 'a service is listed twice');

  if (d.hours !== null && !validHours(d.hours)) add('hours', 'places.invalid_hours', `not valid opening hours: "${d.hours}"`);

  regionIssues(d.lon, d.lat, cityCode, '', issues);

  if (d.gates.length && d.type !== 'compound') add('gates', 'places.invalid_value', 'only compounds have gates');
  d.gates.forEach((g, i) => {
    if (!g.name) add(`gates.${i}.name`, 'places.invalid_value', 'required');
    regionIssues(g.lon, g.lat, cityCode, `gates.${i}.`, issues);
    if (g.hours !== null && !validHours(g.hours)) add(`gates.${i}.hours`, 'places.invalid_hours', `not valid opening hours: "${g.hours}"`);
  });
  if (d.access && d.type !== 'compound' && d.type !== 'building') add('access', 'places.invalid_value', 'only compounds and buildings have an access policy');
  if (knownType) {
    for (const [key, value] of Object.entries(d.details) as [keyof PlaceDetails, unknown][]) {
      if (value !== undefined && !detailTypes[key]?.includes(d.type)) add(`details.${key}`, 'places.invalid_value', `does not apply to a ${d.type}`);
    }
  }
  return issues;
}

export function regionIssues(lon: number, lat: number, cityCode: string, prefix: string, issues: Issue[]): void {
  const bounds = cityBounds[cityCode];
  for (const [field, v, min, max, lo, hi] of [
    ['lon', lon, bounds?.[0], bounds?.[2], -180, 180],
    ['lat', lat, bounds?.[1], bounds?.[3], -90, 90],
  ] as const) {
    if (!Number.isFinite(v) || v < lo || v > hi) issues.push({ field: prefix + field, code: 'places.invalid_value', message: `not a ${field === 'lon' ? 'longitude' : 'latitude'}` });
    else if (min !== undefined && (v < min || v > max!)) issues.push({ field: prefix + field, code: 'places.out_of_region', message: `outside the city (${min}–${max}); check the coordinate system` });
  }
}

/** One problem or all of them as the client sees it: a scope refusal is a 403, the rest a 400. */
export function issuesError(issues: Issue[]): AppError {
  const lead = issues.find((i) => i.code === 'areas.out_of_scope') ?? issues[0];
  return new AppError(lead.code, issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
    errors: issues.map((i) => ({ field: i.field, message: i.message, code: i.code })),
  });
}

export const ENTRY_VALUE: Record<string, number> = { lt2: 1, '2to5': 0.7, '5to10': 0.35, gt10: 0 };
export const PARKING_VALUE: Record<string, number> = { easy: 1, hard: 0.4, none: 0 };

/** Friendliness from ratings: 100 × (½ let in + 0.3 entry time + 0.2 parking); null without ratings. */
export function friendlinessOf(ratings: Pick<RatingRow, 'entry_minutes' | 'let_in' | 'parking'>[]): Friendliness | null {
  const n = ratings.length;
  if (n === 0) return null;
  const mean = (f: (r: (typeof ratings)[number]) => number) => ratings.reduce((s, r) => s + f(r), 0) / n;
  const letInRate = mean((r) => (r.let_in ? 1 : 0));
  const entry = mean((r) => ENTRY_VALUE[r.entry_minutes] ?? 0);
  const parking = mean((r) => PARKING_VALUE[r.parking] ?? 0);
  const counts = new Map<string, number>();
  for (const r of ratings) counts.set(r.entry_minutes, (counts.get(r.entry_minutes) ?? 0) + 1);
  // The most frequent bucket; on a tie the quicker one.
  const typicalEntry = entryBuckets.reduce((best, b) => ((counts.get(b) ?? 0) > (counts.get(best) ?? 0) ? b : best), entryBuckets[0] as string);
  return {
    score: Math.round(100 * (0.5 * letInRate + 0.3 * entry + 0.2 * parking)),
    ratings: n,
    letInRate: Math.round(letInRate * 1000) / 1000,
    typicalEntry,
  };
}

/** The calendar day in Asia/Shanghai (UTC+8, no DST) as YYYY-MM-DD. */
export const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export const photoUrl = (id: string) => `/api/places/photos/${id}`;
export const parseId = (id: string): number | undefined => (/^\d{1,15}$/.test(id) ? Number(id) : undefined);

export function requireRole(p: StaffPrincipal, roles: readonly StaffRole[]): void {
  if (!roles.includes(p.role)) throw forbidden(`Your role (${p.role}) may not do this`);
}

/** An area filter must itself lie inside the caller's scope. */
export function scopedPrefix(p: StaffPrincipal, areaCode: string | undefined): string {
  if (areaCode === undefined) return p.areaCode;
  if (!isWithin(p.areaCode, areaCode)) {
    throw new AppError('areas.out_of_scope', 'That area is outside your scope', { errors: [{ field: 'areaCode', message: 'outside your scope' }] });
  }
  return areaCode;
}

export function draftOfRow(r: PlaceRow): PlaceDraft {
  return {
    type: r.type,
    name: r.name,
    areaCode: r.area_code,
    address: r.address,
    lon: r.lon,
    lat: r.lat,
    phone: r.phone,
    hours: r.hours,
    services: r.services,
    description: r.description,
    access: r.access,
    gates: r.gates ?? [],
    details: r.details ?? {},
  };
}

export function fieldsOfDraft(d: PlaceDraft): PlaceFields {
  return {
    type: d.type,
    name: d.name,
    area_code: d.areaCode,
    address: d.address,
    lon: d.lon,
    lat: d.lat,
    phone: d.phone,
    hours: d.hours,
    services: d.services,
    description: d.description,
    access: d.access ? JSON.stringify(d.access) : null,
    gates: JSON.stringify(d.gates),
    details: JSON.stringify(d.details),
  };
}

/** Converts the input's coordinates (place and gates) to WGS-84. */
export function draftOfInput(input: PlaceInput): PlaceDraft {
  const crs = input.crs ?? 'WGS84';
  const [lon, lat] = toWgs84(input.lon, input.lat, crs);
  return {
    type: input.type,
    name: input.name,
    areaCode: input.areaCode,
    address: input.address,
    lon,
    lat,
    phone: input.phone ?? null,
    hours: input.hours ?? null,
    services: input.services,
    description: input.description ?? null,
    access: input.access ?? null,
    gates: (input.gates ?? []).map((g) => {
      const [gLon, gLat] = toWgs84(g.lon, g.lat, crs);
      return { ...g, lon: gLon, lat: gLat, hours: g.hours ?? null };
    }),
    details: input.details ?? {},
  };
}

/** A stored place with the changed fields applied; coordinates given in `crs` are converted. */
export function draftWithUpdate(row: PlaceRow, u: PlaceUpdate): { draft: PlaceDraft; issues: Issue[] } {
  const d = draftOfRow(row);
  const issues: Issue[] = [];
  const crs = u.crs ?? 'WGS84';
  if (u.lon !== undefined || u.lat !== undefined) {
    if (crs !== 'WGS84' && (u.lon === undefined || u.lat === undefined)) {
      issues.push({ field: u.lon === undefined ? 'lon' : 'lat', code: 'places.invalid_value', message: `give both lon and lat in ${crs}` });
    }
    [d.lon, d.lat] = toWgs84(u.lon ?? d.lon, u.lat ?? d.lat, crs);
  }
  if (u.type !== undefined) d.type = u.type;
  if (u.name !== undefined) d.name = u.name;
  if (u.areaCode !== undefined) d.areaCode = u.areaCode;
  if (u.address !== undefined) d.address = u.address;
  if (u.phone !== undefined) d.phone = u.phone;
  if (u.hours !== undefined) d.hours = u.hours;
  if (u.services !== undefined) d.services = u.services;
  if (u.description !== undefined) d.description = u.description;
  if (u.access !== undefined) d.access = u.access;
  if (u.details !== undefined) d.details = u.details;
  if (u.gates !== undefined) {
    d.gates = u.gates.map((g) => {
      const [gLon, gLat] = toWgs84(g.lon, g.lat, crs);
      return { ...g, lon: gLon, lat: gLat, hours: g.hours ?? null };
    });
  }
  return { draft: d, issues };
}

/** What changed between two stored states, by field name (for the audit trail). */
export function changedFields(before: PlaceFields, after: PlaceFields): string[] {
  return (Object.keys(after) as (keyof PlaceFields)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}
