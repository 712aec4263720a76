import { usccCheckChar, USCC_ALPHABET } from '../../shared/uscc.js';
import type { MerchantsService, SeedCertificationInput } from './merchants.service.js';

type PlacesForSeed = {
  idsOfType(cityCode: string, type: 'merchant', limit?: number): Promise<string[]>;
  lookup(id: string): Promise<{ id: string; type: string; areaCode: string; name: string; status: string } | undefined>;
};

const BAIHE = '330212011';
/** The merchant left waiting in 白鹤街道 for the demo staff (the browser journey certifies it). */
export const DEMO_APPLIED_MERCHANT = '白鹤阿娘面馆';
/** How many merchants the demo certifies at most (the rest stay uncertified: hidden from workers). */
const MAX_SEEDED = 240;

const surnames = '王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗';
const givenNames = ['建国', '丽娟', '志强', '海燕', '伟', '芳', '秀英', '国平', '小红', '军', '晓东', '美玲'];

/** A valid 统一社会信用代码 for the n-th demo merchant, registered in its district (92… 个体工商户 or 91… 企业). */
function demoUscc(n: number, district: string, company: boolean): string {
  let body = '';
  for (let v = n + 31 ** 4, i = 0; i < 7; i++, v = Math.floor(v / 31)) body = USCC_ALPHABET[v % 31] + body;
  const first17 = `${company ? '91' : '92'}${district}MA${body}`;
  return first17 + usccCheckChar(first17);
}

/**
 * Demo certifications (进管出): most active merchants certified (so workers see merchants on the map),
 * every tenth one still applied or reviewed, and 白鹤阿娘面馆 in 白鹤街道 applied, waiting for review.
 * Runs once, on a city without certification records.
 */
export async function seedDemoMerchants(deps: { merchants: Pick<MerchantsService, 'seedCertifications' | 'hasRecords'>; places: PlacesForSeed }, cityCode: string): Promise<number> {
  // Once per city: later starts (and merchants imported since) are left to the staff.
  if (await deps.merchants.hasRecords(cityCode)) return 0;
  const ids = await deps.places.idsOfType(cityCode, 'merchant', MAX_SEEDED * 2);
  const merchants = [];
  for (const id of ids) {
    const p = await deps.places.lookup(id);
    if (p && p.type === 'merchant' && p.status === 'active') merchants.push(p);
  }
  const waiting = merchants.find((m) => m.name === DEMO_APPLIED_MERCHANT) ?? merchants.find((m) => m.areaCode.startsWith(BAIHE));
  const inputs: SeedCertificationInput[] = merchants.slice(0, MAX_SEEDED).map((m, i) => {
    const shop = m.name.replace(/（.*）$/, '');
    const branch = /（(.*)）$/.exec(m.name)?.[1];
    const company = i % 3 === 0;
    const state: SeedCertificationInput['state'] = m === waiting ? 'applied' : i % 10 === 1 ? 'applied' : i % 10 === 5 ? 'reviewed' : 'certified';
    return {
      placeId: m.id,
      uscc: demoUscc(i, m.areaCode.slice(0, 6), company),
      legalName: company ? `宁波${shop}餐饮有限公司${branch ? `${branch.replace(/店$/, '')}分公司` : ''}` : `宁波市${shop}${branch ?? ''}`,
      contactName: surnames[i % surnames.length] + givenNames[i % givenNames.length],
      contactPhone: `139${String(5800_0000 + i * 7919).padStart(8, '0').slice(-8)}`,
      state,
    };
  });
  if (waiting && !inputs.some((x) => x.placeId === waiting.id)) {
    inputs.push({ placeId: waiting.id, uscc: demoUscc(MAX_SEEDED, waiting.areaCode.slice(0, 6), false), legalName: `宁波市鄞州区${waiting.name}`, contactName: '王阿娘', contactPhone: '13957400001', state: 'applied' });
  }
  return deps.merchants.seedCertifications(cityCode, inputs);
}
