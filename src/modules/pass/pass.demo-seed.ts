import type { StaffPrincipal } from '../../contracts/auth.js';
import type { Services } from '../../server/services.js';
import { demoMerchantPlaces } from '../points/points.demo-seed.js';

/**
 * The demo city's pass: signing keys published before the first pass is shown, the street scanner
 * account bound to a 白鹤街道 station and compound, and the merchant account bound to the merchant that
 * hosts the 10元爱心餐 (so a pickup can be completed by scanning). Only binds accounts that have no places.
 */
export async function seedPassDemo(services: Services, cityCode: string, accounts: { operatorId: string; stationScannerId: string; merchantScannerId: string; street: string }): Promise<void> {
  await services.pass.ensureKeys(cityCode);
  const operator: StaffPrincipal = { kind: 'staff', id: accounts.operatorId, cityCode, username: 'admin', displayName: 'demo seed', role: 'operator', areaCode: cityCode, departmentIds: [] };
  const ctx = { principal: operator };
  const bound = new Map((await services.passScans.listScanners(operator)).map((a) => [a.staffId, a.places.length]));

  if (!bound.get(accounts.stationScannerId)) {
    const placeIds: string[] = [];
    for (const type of ['station', 'compound'] as const) {
      for (const id of await services.places.idsOfType(cityCode, type, 2000)) {
        const p = await services.places.lookup(id);
        if (p && p.status === 'active' && p.areaCode.startsWith(accounts.street)) {
          placeIds.push(p.id);
          break;
        }
      }
    }
    if (placeIds.length) await services.passScans.bindScanner(operator, accounts.stationScannerId, { placeIds }, ctx);
  }
  if (!bound.get(accounts.merchantScannerId)) {
    const [meal] = await demoMerchantPlaces(services.places, cityCode);
    if (meal) await services.passScans.bindScanner(operator, accounts.merchantScannerId, { placeIds: [meal.id] }, ctx);
  }
}
