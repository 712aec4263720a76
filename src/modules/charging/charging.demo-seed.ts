import { seededRandom } from '../../shared/random.js';
import type { ChargingService } from './charging.service.js';

type PlacesForSeed = {
  idsOfType(cityCode: string, type: 'charging', limit?: number): Promise<string[]>;
  placeDetail(id: string): Promise<{ id: string; name: string; services: string[]; details: { operatorName?: string } }>;
};

/** The demo's two swap-cabinet operators; their sites are the seeded charging sites of their brand that offer battery swap. */
export const DEMO_CHARGING_OPERATORS = [
  { name: '铁塔换电', code: 'TT' },
  { name: 'e换电', code: 'EH' },
] as const;

/** The same cabinets on every fresh database. */
const prng = seededRandom;

/**
 * Demo charging: the two operators (created with keys nobody knows — staff rotate one in the console
 * to try the operator API) and one or two swap cabinets on each of their swap sites, with a heartbeat
 * at seed time so riders see live batteries. Cabinets are created with their operator, once; on later
 * starts a demo cabinet whose heartbeat went stale gets a fresh one, so the demo map stays live.
 */
export async function seedDemoCharging(deps: { charging: Pick<ChargingService, 'seedOperator' | 'seedCabinets'>; places: PlacesForSeed }, cityCode: string): Promise<number> {
  const ids = await deps.places.idsOfType(cityCode, 'charging', 3000);
  const sites: { id: string; name: string; operatorName: string }[] = [];
  for (const id of ids) {
    try {
      const p = await deps.places.placeDetail(id);
      if (p.services.includes('battery_swap') && p.details.operatorName) sites.push({ id: p.id, name: p.name, operatorName: p.details.operatorName });
    } catch {
      // not listed (draft or suspended): no live cabinets there
    }
  }
  let created = 0;
  for (const brand of DEMO_CHARGING_OPERATORS) {
    const mine = sites.filter((s) => s.operatorName === brand.name).slice(0, 300);
    if (mine.length === 0) continue;
    const { operator: op, created: isNew } = await deps.charging.seedOperator(cityCode, brand.name);
    const rnd = prng(brand.code === 'TT' ? 2026 : 1123);
    const cabinets = mine.flatMap((site) => {
      const count = rnd() < 0.35 ? 2 : 1;
      return Array.from({ length: count }, (_, i) => {
        const slots = rnd() < 0.5 ? 12 : 16;
        const roll = rnd();
        // mostly batteries ready; some empty, a few offline
        const readyBatteries = roll < 0.15 ? 0 : Math.max(1, Math.floor(rnd() * slots * 0.8));
        return {
          externalId: `${brand.code}-${site.id}-${i + 1}`,
          placeId: site.id,
          name: `${brand.name}${i + 1}号柜`,
          slots,
          readyBatteries,
          online: roll < 0.92,
        };
      });
    });
    created += await deps.charging.seedCabinets(op, cabinets, { create: isNew });
  }
  return created;
}
