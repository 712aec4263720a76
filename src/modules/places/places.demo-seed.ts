import { seededRandom } from '../../shared/random.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { Access, Gate, PlaceDetails, PlaceStatus, PlaceType } from '../../contracts/places.js';
import type { Area, AreasService } from '../areas/areas.service.js';
import type { NearbyService } from './places.nearby.js';
import { createPlacesRepository, type NewHistoryRow, type NewPlaceRow, type NewRatingRow } from './places.repository.js';
import { friendlinessOf, round7, type PlaceDraft } from './places.rules.js';

/**
 * Demo places for Ningbo: a few hundred of every type around the real district centres, each in a real
 * community of its district, and a cluster in 白鹤街道 (330212011) where the demo staff work. Seeded
 * PRNG: the same places on every fresh database. Merchants are active but not certified — the
 * merchants module's seed certifies some.
 */

const NINGBO = '3302';
const BAIHE = '330212011';
const DANDINGHE = '330212011001';

/** District centres (WGS-84), spread (degrees) and weight of each district's share. */
const districts = [
  { code: '330203', lon: 121.55, lat: 29.87, spread: 0.035, weight: 1.2 }, // 海曙区
  { code: '330205', lon: 121.56, lat: 29.9, spread: 0.035, weight: 1.0 }, // 江北区
  { code: '330212', lon: 121.56, lat: 29.82, spread: 0.045, weight: 1.3 }, // 鄞州区
  { code: '330206', lon: 121.85, lat: 29.9, spread: 0.05, weight: 0.9 }, // 北仑区
  { code: '330211', lon: 121.72, lat: 29.95, spread: 0.04, weight: 0.8 }, // 镇海区
  { code: '330213', lon: 121.41, lat: 29.66, spread: 0.05, weight: 0.7 }, // 奉化区
  { code: '330281', lon: 121.15, lat: 30.04, spread: 0.05, weight: 0.8 }, // 余姚市
  { code: '330282', lon: 121.27, lat: 30.17, spread: 0.05, weight: 0.9 }, // 慈溪市
  { code: '330226', lon: 121.43, lat: 29.3, spread: 0.05, weight: 0.6 }, // 宁海县
  { code: '330225', lon: 121.87, lat: 29.48, spread: 0.05, weight: 0.6 }, // 象山县
];

/** Places of each type per unit of district weight (≈ 50 a unit, ≈ 450 in all). */
const perUnit: [PlaceType, number][] = [
  ['station', 9], ['merchant', 10], ['compound', 11], ['building', 3], ['charging', 6], ['canteen', 2], ['clinic', 2],
  ['service_centre', 1], ['parcel_locker', 2], ['relay_point', 2], ['school', 1], ['market', 1], ['farm', 0.5],
];

const roads = [
  '中山路', '解放路', '天童路', '宁穿路', '四明路', '百丈路', '江东路', '民安路', '福明路', '兴宁路', '桑田路', '鄞州大道',
  '钱湖路', '环城南路', '甬江大道', '人民路', '江北大道', '长江路', '新碶路', '骆驼路', '世纪大道',
];
const estates = [
  '万达', '东湖', '锦绣', '阳光', '金色', '翠柏', '紫金', '书香', '明湖', '江南', '甬江', '天童', '四明', '月湖', '青林湾', '嘉和',
  '凤凰', '南苑', '景江', '都市森林', '惠风', '和美', '荷花', '桂花', '樱花', '长丰', '新城', '湖滨', '钱湖', '雅戈尔',
];
const shops = [
  '老宁波面馆', '阿娘面', '甬上小厨', '缸鸭狗', '王升大', '状元楼快餐', '大娘水饺', '兰州拉面', '沙县小吃', '十足便利店', '三江超市',
  '快乐小厨', '宁波汤圆店', '骑手之家快餐', '海鲜面馆',
];
const towers = ['环球航运广场', '宁波中心', '财富中心', '商会大厦', '汇金大厦', '天一广场', '世纪东方广场', '来福士中心', '和义大道', '东部新城大厦'];
const chargingBrands = ['铁塔换电', 'e换电', '小哥充电', '宁波电力', '星星充电'];

const stationExtras = ['phone_charging', 'fridge', 'air_conditioning', 'first_aid', 'lockers', 'restroom', 'wifi', 'umbrella', 'repair_kit', 'reading'];
const stationHours = ['Mo-Su 07:00-22:00', 'Mo-Su 07:00-22:00', '24/7', 'Mo-Su 08:00-20:00', 'Mo-Fr 08:00-21:00; Sa,Su 09:00-18:00', 'Mo-Su 06:30-23:00'];

const accessPolicies: Access[] = [
  { mode: 'open', policy: '骑手可直接进入，小区内限速5公里' },
  { mode: 'pass', policy: '出示甬爱码，门岗登记后进入' },
  { mode: 'relay', policy: '外卖送至东门接力点，由物业接力送上楼' },
  { mode: 'locker', policy: '外卖请放入北门外卖柜，并电话告知顾客' },
  { mode: 'custom', policy: '7:00-22:00 凭甬爱码进入；22:00 后放至门岗' },
];

/** Seeded: the same demo city on every fresh database. */
function prng(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
    /** Roughly bell-shaped in [-1, 1]. */
    bell: () => next() + next() - 1,
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
      hex[12] = '4';
      hex[16] = '89ab'[Math.floor(next() * 4)];
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}
type Rng = ReturnType<typeof prng>;

/** A seeded place: a validated draft of a known type, with its status. */
interface DemoPlace extends Omit<PlaceDraft, 'type'> {
  type: PlaceType;
  status: PlaceStatus;
}

interface Where {
  district: Area;
  street: Area;
  community: Area;
  lon: number;
  lat: number;
}

/** Names unique within the demo: a second "白鹤街道骑手驿站" becomes the community's, then numbered. */
function uniqueNamer() {
  const used = new Set<string>();
  return (...candidates: string[]) => {
    for (const c of candidates) {
      if (!used.has(c)) {
        used.add(c);
        return c;
      }
    }
    for (let n = 2; ; n += 1) {
      const c = `${candidates[0]}${n}号`;
      if (!used.has(c)) {
        used.add(c);
        return c;
      }
    }
  };
}

const shortName = (name: string) => name.replace(/(社区居委会|村民委员会|居委会|社区|村)$/, '');

function makePlace(rng: Rng, type: PlaceType, w: Where, name: ReturnType<typeof uniqueNamer>): DemoPlace {
  const street = w.street.name;
  const community = shortName(w.community.name);
  const address = `宁波市${w.district.name}${street}${rng.pick(roads)}${rng.int(1, 999)}号`;
  const phone = rng.chance(0.7) ? `0574-8${rng.int(100, 999)}${rng.int(1000, 9999)}` : null;
  const base = { type, areaCode: w.community.code, address, lon: round7(w.lon), lat: round7(w.lat), phone, access: null, gates: [], details: {}, status: 'active' as PlaceStatus };
  switch (type) {
    case 'station': {
      const services = ['rest', 'water', ...(rng.chance(0.75) ? ['microwave'] : []), ...stationExtras.filter(() => rng.chance(0.5))];
      const kind = rng.pick(['骑手驿站', '甬爱驿站', '暖新驿站', '小哥驿站', '户外劳动者驿站']);
      return { ...base, name: name(`${street}${kind}`, `${community}${kind}`), hours: rng.pick(stationHours), services, description: '为外卖骑手、快递小哥等新就业群体提供歇脚、饮水、充电、热饭等服务', details: { capacity: rng.int(6, 30) } };
    }
    case 'merchant': {
      const shop = rng.pick(shops);
      const offers = [{ title: '10元爱心餐', priceYuan: 10 }, ...(rng.chance(0.5) ? [{ title: '骑手凭甬爱码九折' }] : [])];
      return {
        ...base,
        name: name(`${shop}（${community}店）`, `${shop}（${street}店）`),
        hours: rng.pick(['Mo-Su 10:00-14:00,17:00-21:00', 'Mo-Su 07:00-21:00', 'Mo-Su 09:00-22:00']),
        services: ['love_meal', 'discount', ...(rng.chance(0.6) ? ['water'] : []), ...(rng.chance(0.4) ? ['phone_charging'] : []), ...(rng.chance(0.3) ? ['restroom'] : [])],
        description: '爱心商家：为新就业群体提供10元爱心餐和优惠',
        details: { offers },
      };
    }
    case 'compound': {
      const gates = (['东门', '南门', '西门', '北门'] as const)
        .filter(() => rng.chance(0.45))
        .map((g) => ({ name: g, lon: round7(w.lon + rng.bell() * 0.0015), lat: round7(w.lat + rng.bell() * 0.0012), hours: rng.chance(0.6) ? null : rng.pick(['Mo-Su 06:00-23:00', '24/7']) }));
      return {
        ...base,
        name: name(`${rng.pick(estates)}${rng.pick(['小区', '花园', '苑', '家园', '新村'])}`, `${community}${rng.pick(estates)}小区`),
        hours: null,
        services: rng.chance(0.4) ? ['parcel_storage'] : [],
        description: null,
        access: rng.pick(accessPolicies),
        gates: gates.length ? gates : [{ name: '正门', lon: base.lon, lat: base.lat, hours: null }],
      };
    }
    case 'building':
      return {
        ...base,
        name: name(rng.pick(towers), `${street}${rng.pick(towers)}`, `${community}商务楼`),
        hours: 'Mo-Su 07:00-23:00',
        services: ['delivery_elevator', 'green_channel', ...(rng.chance(0.5) ? ['parcel_storage'] : [])],
        description: '楼宇外卖配送绿色通道',
        access: { mode: 'pass', policy: '出示甬爱码走配送绿色通道，乘骑手专用电梯' },
        details: { elevator: `${rng.int(1, 4)}号货梯（骑手专用）` },
      };
    case 'charging': {
      const brand = rng.pick(chargingBrands);
      const swap = rng.chance(0.4);
      return {
        ...base,
        name: name(`${brand}${community}站`, `${brand}${street}站`),
        hours: '24/7',
        services: swap ? ['battery_swap', 'ebike_charging'] : ['ebike_charging'],
        description: swap ? '换电柜与充电桩' : '电动自行车充电桩',
        details: { sockets: rng.int(4, 40), price: rng.pick(['0.8元/度', '1元/4小时', '1.2元/度']), operatorName: brand },
      };
    }
    case 'canteen':
      return { ...base, name: name(`${street}${rng.pick(['社区食堂', '长者食堂', '骑手食堂'])}`, `${community}社区食堂`), hours: 'Mo-Su 10:30-13:30,16:30-19:30', services: ['hot_meal', 'love_meal', 'water'], description: '新就业群体凭甬爱码享受优惠餐', details: { capacity: rng.int(30, 120) } };
    case 'clinic':
      return { ...base, name: name(`${street}社区卫生服务站`, `${community}卫生服务站`), hours: 'Mo-Sa 08:00-17:00', services: ['medical', 'first_aid'], description: '常见病诊疗与急救', details: {} };
    case 'service_centre':
      return { ...base, name: name(`${w.district.name}新就业群体服务中心`, `${street}党群服务中心`), hours: 'Mo-Fr 08:30-17:30', services: ['rest', 'water', 'wifi', 'legal_aid', 'union_help', 'counselling'], description: '权益维护、法律援助、工会帮扶一站式服务', details: {} };
    case 'parcel_locker':
      return { ...base, name: name(`${community}外卖柜`, `${street}${community}外卖柜`), hours: '24/7', services: ['parcel_storage'], description: null, details: {} };
    case 'relay_point':
      return { ...base, name: name(`${community}接力点`, `${street}${community}接力点`), hours: 'Mo-Su 07:00-22:00', services: ['parcel_storage'], description: '外卖接力送：骑手放下，物业送上楼', details: {} };
    case 'school':
      return { ...base, name: name(`${street}骑手夜校`, `${w.district.name}新就业群体技能学校`), hours: 'Mo-Fr 18:30-21:00', services: ['reading', 'wifi'], description: '甬新课堂：技能培训与学历提升', details: {} };
    case 'market':
      return { ...base, name: name(`${street}菜市场`, `${community}菜市场`), hours: 'Mo-Su 06:00-18:00', services: ['restroom', 'water'], description: null, details: {} };
    case 'farm':
      return { ...base, name: name(`${street}生态农场`, `${community}农场`), hours: 'Sa,Su 09:00-17:00', services: ['rest'], description: '亲子活动与农事体验', details: {} };
  }
}

/** The demo's places of one city (Ningbo only; another city gets none), given its areas. Pure: same input, same places. */
export function buildDemoPlaces(cityCode: string, areas: Area[]): DemoPlace[] {
  if (cityCode !== NINGBO) return [];
  const rows = [...areas].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const communitiesOf = (prefix: string) => rows.filter((r) => r.level === 5 && r.code.startsWith(prefix));
  const rng = prng(20261123);
  const name = uniqueNamer();
  const places: DemoPlace[] = [];

  const where = (community: Area, lon: number, lat: number): Where => ({
    district: byCode.get(community.code.slice(0, 6))!,
    street: byCode.get(community.code.slice(0, 9))!,
    community,
    lon,
    lat,
  });

  // 白鹤街道: where the demo handler, grid worker and scanner work (around 121.57, 29.86).
  const baihe = communitiesOf(BAIHE);
  const dandinghe = byCode.get(DANDINGHE)!;
  const near = (community: Area) => where(community, 121.57 + rng.bell() * 0.008, 29.86 + rng.bell() * 0.006);
  const fixed: DemoPlace[] = [
    {
      ...makePlace(rng, 'station', where(baihe[3], 121.5712, 29.8634), name),
      name: name('白鹤街道骑手驿站'),
      hours: 'Mo-Su 07:00-22:00',
      services: ['rest', 'water', 'phone_charging', 'microwave', 'fridge', 'air_conditioning', 'first_aid', 'restroom', 'wifi'],
    },
    { ...makePlace(rng, 'station', where(dandinghe, 121.5665, 29.8612), name), name: name('丹顶鹤社区甬爱驿站'), hours: '24/7', services: ['rest', 'water', 'microwave', 'phone_charging', 'lockers'] },
    { ...makePlace(rng, 'station', near(baihe[5]), name), name: name('周宿渡社区暖新驿站'), services: ['rest', 'water', 'microwave', 'air_conditioning', 'umbrella'] },
    { ...makePlace(rng, 'station', near(baihe[6]), name), name: name('孔雀社区小哥驿站'), services: ['rest', 'water', 'microwave', 'wifi', 'repair_kit'] },
    ...['丹顶鹤小区', '白鹤新村', '黄鹂新村', '孔雀小区', '紫鹃花园', '日月星城'].map((n, i) => ({
      ...makePlace(rng, 'compound', near(i < 2 ? dandinghe : baihe[i % baihe.length]), name),
      name: name(n),
    })),
    { ...makePlace(rng, 'merchant', near(dandinghe), name), name: name('白鹤阿娘面馆'), hours: 'Mo-Su 06:30-20:30' },
    { ...makePlace(rng, 'building', near(baihe[1]), name), name: name('白鹤商务大厦') },
    { ...makePlace(rng, 'charging', near(baihe[2]), name), name: name('铁塔换电白鹤站'), services: ['battery_swap', 'ebike_charging'] },
    { ...makePlace(rng, 'canteen', near(dandinghe), name), name: name('白鹤街道骑手食堂') },
    { ...makePlace(rng, 'parcel_locker', near(baihe[4]), name), name: name('白鹤社区外卖柜') },
    { ...makePlace(rng, 'relay_point', near(dandinghe), name), name: name('丹顶鹤社区接力点') },
  ];
  places.push(...fixed);

  for (const d of districts) {
    const communities = communitiesOf(d.code);
    for (const [type, n] of perUnit) {
      const count = Math.round(n * d.weight);
      for (let i = 0; i < count; i += 1) {
        const w = where(rng.pick(communities), d.lon + rng.bell() * d.spread * 1.2, d.lat + rng.bell() * d.spread);
        const place = makePlace(rng, type, w, name);
        // A few drafts and suspended places, so the admin lists show every state.
        const roll = rng.next();
        place.status = roll < 0.03 ? 'draft' : roll < 0.04 ? 'suspended' : 'active';
        places.push(place);
      }
    }
  }
  return places;
}

/** Districts, streets and communities of a city, from the areas service. */
async function allAreas(areas: Pick<AreasService, 'children'>, cityCode: string): Promise<Area[]> {
  const out: Area[] = [];
  let level = await areas.children(cityCode);
  while (level.length) {
    out.push(...level);
    const next: Area[] = [];
    for (const a of level) if (a.level < 5) next.push(...(await areas.children(a.code)));
    level = next;
  }
  return out;
}

/** Riders' ratings of most compounds and buildings over the last two months (synthetic riders). */
function demoRatings(rng: Rng, count: number, now: Date): Omit<NewRatingRow, 'place_id' | 'city_code'>[] {
  const quality = rng.next(); // some places are much friendlier than others
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(now.getTime() - (i * 7 + rng.int(0, 6)) * 86400_000 - rng.int(0, 10) * 3600_000);
    const good = rng.next() < quality;
    return {
      id: rng.uuid(),
      worker_id: rng.uuid(),
      day: new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
      entry_minutes: good ? rng.pick(['lt2', 'lt2', '2to5']) : rng.pick(['2to5', '5to10', 'gt10']),
      let_in: good || rng.chance(0.3),
      parking: good ? rng.pick(['easy', 'easy', 'hard']) : rng.pick(['hard', 'none']),
      created_at: at,
    };
  });
}

/**
 * Seeds the demo places of a city that has none yet; returns how many it inserted. One multi-row
 * INSERT per table, in one transaction.
 */
export async function seedDemoPlaces(
  deps: { db: Db; clock: Clock; areas: Pick<AreasService, 'children'>; nearby: Pick<NearbyService, 'refresh'> },
  cityCode: string,
): Promise<number> {
  const repo = createPlacesRepository(deps.db);
  if (cityCode !== NINGBO || (await repo.countPlaces(cityCode)) > 0) return 0;
  const demo = buildDemoPlaces(cityCode, await allAreas(deps.areas, cityCode));
  if (demo.length === 0) return 0;
  const now = deps.clock.now();
  const rng = prng(7);
  const ratings = demo.map((p) => (p.status === 'active' && (p.type === 'compound' || p.type === 'building') && rng.chance(0.6) ? demoRatings(rng, rng.int(3, 8), now) : []));
  const rows: NewPlaceRow[] = demo.map((p, i) => {
    const created = new Date(now.getTime() - rng.int(60, 400) * 86400_000);
    const f = friendlinessOf(ratings[i]);
    return {
      city_code: cityCode,
      area_code: p.areaCode,
      type: p.type,
      name: p.name,
      address: p.address,
      lon: p.lon,
      lat: p.lat,
      phone: p.phone,
      hours: p.hours,
      services: p.services,
      description: p.description,
      access: p.access ? JSON.stringify(p.access) : null,
      gates: JSON.stringify(p.gates),
      details: JSON.stringify(p.details),
      status: p.status,
      score: f?.score ?? null,
      score_count: f?.ratings ?? 0,
      created_by: null,
      created_at: created,
      updated_at: created,
    };
  });
  await repo.transaction(async (trx) => {
    const ids = await repo.insertPlaces(rows, trx);
    const history: NewHistoryRow[] = ids.map((id, i) => ({
      place_id: id,
      from_status: null,
      to_status: demo[i].status,
      reason: '演示数据',
      actor_kind: 'system',
      actor_id: null,
      actor_name: '系统',
      at: rows[i].created_at,
    }));
    await repo.insertHistory(history, trx);
    await repo.insertRatings(
      ids.flatMap((id, i) => ratings[i].map((r) => ({ ...r, place_id: id, city_code: cityCode }))),
      trx,
    );
  });
  await deps.nearby.refresh();
  return rows.length;
}
