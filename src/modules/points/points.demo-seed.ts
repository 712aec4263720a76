import type { Clock } from '../../shared/clock.js';
import type { RewardCategory } from '../../contracts/points.js';
import type { PointsWorkers } from './earning.service.js';
import type { PointsModule } from './points.module.js';
import { SYSTEM, sponsorAccount } from './points.service.js';

const BAIHE = '330212011';
const YINZHOU = '330212';
const DAY_MS = 24 * 3600 * 1000;

/** The demo rider whose balance covers a 10元爱心餐 (README: 13800000001). */
export const DEMO_POINTS_WORKER_PHONE = '13800000001';
export const DEMO_MEAL_TITLE = '10元爱心餐';
export const DEMO_SPONSOR = '宁波银行甬爱公益';

const demoRewards: { title: string; description: string; category: RewardCategory; cost: number; stock: number; perWorkerLimit: number | null; sponsored?: boolean }[] = [
  { title: DEMO_MEAL_TITLE, description: '一荤两素一汤，凭甬爱码到店领取', category: 'meal', cost: 100, stock: 200, perWorkerLimit: 4, sponsored: true },
  { title: '清凉绿豆汤', description: '夏日解暑，到店出示甬爱码', category: 'meal', cost: 30, stock: 300, perWorkerLimit: null },
  { title: '骑手雨衣', description: '加厚反光雨衣一件', category: 'goods', cost: 300, stock: 50, perWorkerLimit: 1, sponsored: true },
  { title: '电动车免费检修', description: '刹车、灯光、轮胎检查与简单维修', category: 'service', cost: 200, stock: 80, perWorkerLimit: 2 },
  { title: '理发券', description: '店内任意理发项目一次', category: 'service', cost: 150, stock: 100, perWorkerLimit: 2 },
  { title: '充电宝租借8折券', description: '门店充电宝租借享8折', category: 'discount', cost: 50, stock: 500, perWorkerLimit: 5 },
];

const demoStories = [
  { phone: DEMO_POINTS_WORKER_PHONE, title: '暴雨中护送走失老人回家', story: '七月的一个暴雨夜，周师傅送餐途中发现一位迷路的老人，冒雨陪老人等候并联系社区网格员，直到家属赶到才继续送单。' },
  { phone: '13800000002', title: '拾金不昧归还钱包', story: '送餐时在小区门口捡到一个装有现金和证件的钱包，第一时间交到物业并协助联系失主，失主专程送来感谢信。' },
  { phone: '13800000003', title: '发现燃气泄漏及时报警', story: '派件时闻到楼道里有燃气味，立即敲门提醒住户并拨打燃气公司电话，协助疏散楼内老人，避免了一起事故。' },
];

/**
 * The demo city's points: a sponsor with a funded budget (it pays the 好人好事 rule and two rewards),
 * six rewards at seeded certified merchants (鄞州区 first, with a 10元爱心餐), a few approved 微光榜
 * stories, and points for the demo rider. Runs once per city (when it has no rewards yet).
 */
type DemoPlaces = { idsOfType(cityCode: string, type: 'merchant', limit?: number): Promise<string[]>; lookup(id: string): Promise<{ id: string; type: string; areaCode: string; name: string; status: string; certified: boolean } | undefined> };

/** Certified, active merchants nearest the demo staff and rider: 白鹤街道, then the rest of 鄞州区. The first hosts the 10元爱心餐. */
export async function demoMerchantPlaces(places: DemoPlaces, cityCode: string): Promise<{ id: string; areaCode: string }[]> {
  const merchants: { id: string; areaCode: string }[] = [];
  for (const id of await places.idsOfType(cityCode, 'merchant', 400)) {
    const p = await places.lookup(id);
    if (p && p.status === 'active' && p.certified) merchants.push({ id: p.id, areaCode: p.areaCode });
  }
  const nearness = (areaCode: string) => (areaCode.startsWith(BAIHE) ? 2 : areaCode.startsWith(YINZHOU) ? 1 : 0);
  return merchants.sort((a, b) => nearness(b.areaCode) - nearness(a.areaCode));
}

export async function seedPointsDemo(
  services: { pointsModule: PointsModule; clock: Clock; workers: Pick<PointsWorkers, 'findWorkerByPhone'>; places: { idsOfType(cityCode: string, type: 'merchant', limit?: number): Promise<string[]>; lookup(id: string): Promise<{ id: string; type: string; areaCode: string; name: string; status: string; certified: boolean } | undefined> } },
  cityCode: string,
): Promise<{ rewards: number; stories: number }> {
  const { pointsModule: m, workers, places } = services;
  if (await m.rewards.hasRewards(cityCode)) return { rewards: 0, stories: 0 };

  const sponsorId = await m.sponsors.seedSponsor(cityCode, { name: DEMO_SPONSOR, kind: 'company', contactName: '陈经理', contactPhone: '13957400088', areaCode: cityCode });
  await m.points.post({
    cityCode,
    kind: 'budget',
    reason: `赞助预算：${DEMO_SPONSOR}（2026 年度甬爱公益协议）`,
    source: { type: 'sponsor', id: sponsorId },
    idempotencyKey: `demo:budget:${sponsorId}`,
    lines: [
      { account: SYSTEM.issuance, amount: -20_000 },
      { account: sponsorAccount(sponsorId), amount: 20_000 },
    ],
  });
  await m.earning.seedRule(cityCode, 'good_deed', { sponsor_id: sponsorId });

  const merchants = await demoMerchantPlaces(places, cityCode);
  const validUntil = new Date(services.clock.now().getTime() + 365 * DAY_MS);
  let rewards = 0;
  for (const [i, r] of demoRewards.entries()) {
    const place = merchants[i % Math.max(1, merchants.length)];
    await m.rewards.createReward({
      cityCode,
      title: r.title,
      description: r.description,
      category: r.category,
      cost: r.cost,
      stock: r.stock,
      perWorkerLimit: r.perWorkerLimit,
      validUntil,
      placeId: place?.id ?? null,
      sponsorId: r.sponsored ? sponsorId : null,
      areaCode: place?.areaCode ?? null,
    });
    rewards++;
  }

  let stories = 0;
  for (const s of demoStories) {
    const worker = await workers.findWorkerByPhone(cityCode, s.phone);
    if (!worker) continue;
    await m.honours.seedApprovedStory({ cityCode, worker, title: s.title, story: s.story, by: '市委社会工作部 王主任' });
    stories++;
  }

  // the demo rider's points: reports, volunteering, an activity, a good deed (sponsored)
  const rider = await workers.findWorkerByPhone(cityCode, DEMO_POINTS_WORKER_PHONE);
  if (rider) {
    const earn = (rule: string, n: number, units = 1) =>
      m.earning.earn({ cityCode, workerId: rider.id, rule, units, source: { type: 'demo', id: `${rule}-${n}` }, idempotencyKey: `demo:${rider.id}:${rule}:${n}`, createdBy: 'seed' });
    for (let i = 1; i <= 4; i++) await earn('valid_report', i);
    await earn('volunteer_hour', 1, 3);
    await earn('activity_attendance', 1);
    await earn('course_completion', 1);
    await earn('good_deed', 1);
  }
  return { rewards, stories };
}
