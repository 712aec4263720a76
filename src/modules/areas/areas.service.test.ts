import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import type { Database } from '../../db/database.js';
import { createAreasRepository, type AreasRepository } from './areas.repository.js';
import { createAreasService } from './areas.service.js';

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
