import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import type { Database } from '../../db/database.js';
import { createAreasRepository, type AreasRepository } from './areas.repository.js';
import { createAreasService, loadCityAreas } from './areas.service.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe('area names', () => {
  it('names known codes once each, leaves unknown codes out, and answers repeats from the cache', async () => {
    const repo = createAreasRepository(database.db);
    let reads = 0;
    const counting: AreasRepository = {
      ...repo,
      async getMany(codes) {
        reads++;
        return repo.getMany(codes);
      },
    };
    const areas = createAreasService({ repo: counting });
    const first = await areas.names(['330212', '330212011', '330212', '999999']);
    expect([...first.entries()]).toEqual([
      ['330212', '鄞州区'],
      ['330212011', expect.stringMatching(/街道$/)],
    ]);
    expect(reads).toBe(1);
    // the same codes again: no database read; a new code: one read for it alone
    expect(await areas.names(['330212011', '330212'])).toEqual(first);
    expect(reads).toBe(1);
    const more = await areas.names(['330212', '330203']);
    expect(more.get('330203')).toBe('海曙区');
    expect(reads).toBe(2);
    expect((await areas.names([])).size).toBe(0);
  });
});

describe('loading a city from the national division data', () => {
  it('reads only the city: its districts, streets and communities, each under its parent', () => {
    const rows = loadCityAreas('3302');
    const byLevel = (level: number) => rows.filter((r) => r.level === level);
    expect(byLevel(2)).toEqual([{ code: '3302', name: '宁波市', level: 2, parent_code: null, city_code: '3302' }]);
    expect(byLevel(3).map((r) => r.name)).toEqual(expect.arrayContaining(['海曙区', '江北区', '鄞州区']));
    expect(byLevel(4).find((r) => r.code === '330212011')).toMatchObject({ parent_code: '330212', level: 4 });
    expect(byLevel(5).length).toBeGreaterThan(2000);
    const codes = new Set(rows.map((r) => r.code));
    expect(rows.every((r) => r.code.startsWith('3302') && r.city_code === '3302' && (r.parent_code === null || codes.has(r.parent_code)))).toBe(true);
    expect(codes.size).toBe(rows.length);
    // names with quotes or commas would be parsed as CSV: none is cut short
    expect(rows.every((r) => r.name.length > 0 && !r.name.includes('"'))).toBe(true);
    expect(() => loadCityAreas('9999')).toThrow(/unknown city code 9999/);
  });
});
