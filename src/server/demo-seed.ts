import type { Services } from './services.js';
import { seedDemoPlaces } from '../modules/places/places.demo-seed.js';
import { seedDemoCharging } from '../modules/charging/charging.demo-seed.js';
import { seedDemoMerchants } from '../modules/merchants/merchants.demo-seed.js';
import { seedReportsWorkflowDemo } from '../modules/reports/workflow.demo-seed.js';
import { seedReportsCaptureDemo } from '../modules/reports/reports.demo-seed.js';
import { seedPointsDemo } from '../modules/points/points.demo-seed.js';
import { seedPassDemo } from '../modules/pass/pass.demo-seed.js';
import { seedAppealsDemo } from '../modules/appeals/appeals.demo-seed.js';
import { seedLegalDemo } from '../modules/legal/legal.demo-seed.js';
import { seedLibraryDemo } from '../modules/library/library.demo-seed.js';

/** The demo city: Ningbo (GB/T 2260 3302). */
export const DEMO_CITY = '3302';
export const DEMO_PASSWORD = 'Yongai@2026';

export interface DemoLogin {
  app: 'worker' | 'admin' | 'scanner';
  role: string;
  username: string;
  password?: string;
  note: string;
}

const YINZHOU = '330212';
const BAIHE = '330212011'; // 白鹤街道 — the seeds' 甬爱驿站 rider 周师傅 rests here
const DANDINGHE = '330212011001'; // 丹顶鹤社区

const demoStaff = [
  { username: 'admin', displayName: '市委社会工作部 王主任', role: 'operator', areaCode: DEMO_CITY, note: 'operator, all of Ningbo' },
  { username: 'reviewer', displayName: '鄞州区 实名审核 李老师', role: 'reviewer', areaCode: YINZHOU, note: 'reviewer, 鄞州区' },
  { username: 'handler', displayName: '白鹤街道 经办人 陈科长', role: 'handler', areaCode: BAIHE, departmentCodes: ['urban', 'hrss'], note: 'handler, 白鹤街道 (城管, 人社)' },
  { username: 'hotline', displayName: '12345热线 坐席 赵丽', role: 'hotline_agent', areaCode: DEMO_CITY, note: '12345 hotline agent' },
  { username: 'mediator', displayName: '鄞州 一站式调解中心 孙律师', role: 'mediator', areaCode: YINZHOU, departmentCodes: ['justice'], note: 'mediator, 鄞州区' },
  { username: 'lawyer', displayName: '浙江甬法律师事务所 钱律师', role: 'lawyer', areaCode: DEMO_CITY, note: 'lawyer (法帮新), all of Ningbo' },
  { username: 'grid', displayName: '丹顶鹤社区 网格员 周敏', role: 'grid_worker', areaCode: DANDINGHE, note: 'grid worker, 丹顶鹤社区' },
  { username: 'scanner', displayName: '白鹤街道 甬爱驿站 站长', role: 'scanner', areaCode: BAIHE, note: 'scanner app: a 白鹤街道 station and compound' },
  { username: 'merchant', displayName: '甬爱商家 收银台', role: 'scanner', areaCode: BAIHE, note: 'scanner app: the merchant of the 10元爱心餐 (reward pickups, discounts)' },
] as const;

/** Demo workers. ID numbers are synthetic but pass the GB 11643 check (see makeDemoIdNumber). */
const demoWorkers = [
  { phone: '13800000001', name: '周建国', birth: '19880315', seq: '101', industry: 'food_delivery', platform: '美团', station: '白鹤站', areaCode: BAIHE, status: 'approved' },
  { phone: '13800000002', name: '石磊', birth: '19950721', seq: '113', industry: 'food_delivery', platform: '饿了么', station: '钟公庙站', areaCode: '330212002', status: 'pending' },
  { phone: '13800000003', name: '刘芳', birth: '19920209', seq: '124', industry: 'express_courier', platform: '顺丰速运', station: '首南网点', areaCode: '330212006', status: 'pending' },
  { phone: '13800000004', name: '黄志强', birth: '19861130', seq: '135', industry: 'ride_hailing', platform: '滴滴出行', station: '鄞州车队', areaCode: '330212007', status: 'pending' },
  { phone: '13800000005', name: '吴晓东', birth: '19990605', seq: '147', industry: 'truck_driver', platform: '货拉拉', station: '梅墟物流园', areaCode: '330212004', status: 'pending' },
  { phone: '13800000006', name: '郑丽娟', birth: '19971012', seq: '152', industry: 'live_streamer', platform: '抖音', station: '鄞州直播基地', areaCode: BAIHE, status: 'pending' },
  { phone: '13800000007', name: '', birth: '', seq: '', industry: 'food_delivery', platform: '', station: '', areaCode: BAIHE, status: 'unverified' },
] as const;

/** A synthetic 身份证 number with a valid ISO 7064 MOD 11-2 check character (region 330212). */
export function makeDemoIdNumber(birth: string, seq: string): string {
  const body = `330212${birth}${seq}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

/**
 * Seeds Ningbo on an empty database: its areas (idempotent), default departments, one staff account
 * per role and a few workers in each verification state. Runs on every start; creates only what is
 * missing, so it never overwrites what people changed.
 */
export async function seedDemoCity(services: Services): Promise<{ seeded: boolean; logins: DemoLogin[] }> {
  const inserted = await services.areas.ensureCity(DEMO_CITY);
  await services.staff.ensureDefaultDepartments(DEMO_CITY);
  const staffIds = new Map<string, string>();
  for (const s of demoStaff) {
    const id = await services.staff.seedStaff({
      username: s.username,
      displayName: s.displayName,
      password: DEMO_PASSWORD,
      role: s.role,
      areaCode: s.areaCode,
      departmentCodes: 'departmentCodes' in s ? [...s.departmentCodes] : [],
    });
    staffIds.set(s.username, id);
  }
  for (const w of demoWorkers) {
    await services.workers.seedWorker(
      w.status === 'unverified'
        ? { phone: w.phone, status: 'unverified', consent: false }
        : {
            phone: w.phone,
            name: w.name,
            idNumber: makeDemoIdNumber(w.birth, w.seq),
            industry: w.industry,
            platform: w.platform,
            station: w.station,
            areaCode: w.areaCode,
            status: w.status,
            consent: true,
          },
    );
  }
  // Places of the city, once (only when it has none).
  await seedDemoPlaces(services, DEMO_CITY);
  // Swap cabinets with live heartbeats on some charging sites; merchants certified (进管出), one waiting in 白鹤.
  await seedDemoCharging(services, DEMO_CITY);
  await seedDemoMerchants(services, DEMO_CITY);
  // Points: a sponsor with a budget, six rewards at certified merchants, 微光榜 stories, the demo rider's points.
  await seedPointsDemo(services, DEMO_CITY);
  // The pass: keys published, the scanner accounts bound to their places.
  await seedPassDemo(services, DEMO_CITY, { operatorId: staffIds.get('admin')!, stationScannerId: staffIds.get('scanner')!, merchantScannerId: staffIds.get('merchant')!, street: BAIHE });
  // Reports (随手拍): routing rules first, then the categories and a few reports by the demo rider (routed at once).
  await seedReportsWorkflowDemo(services, DEMO_CITY);
  await seedReportsCaptureDemo(services, DEMO_CITY);
  // Appeals (诉求): the 白鹤 "1+2+3" rule, the demo rider's appeals, a 12345 caller's work-injury appeal.
  await seedAppealsDemo(services, DEMO_CITY, { operatorId: staffIds.get('admin')!, hotlineId: staffIds.get('hotline')!, handlerId: staffIds.get('handler')!, mediatorId: staffIds.get('mediator')!, stationHeadId: staffIds.get('scanner')! });
  // 法帮新: the demo lawyer on the roster; the demo rider's answered question and an open one.
  await seedLegalDemo(services, DEMO_CITY, { operatorId: staffIds.get('admin')!, lawyerId: staffIds.get('lawyer')! });
  // Library (典型案例与示范文本): the e-bike rental model contract and typical cases from the Ningbo reports.
  await seedLibraryDemo(services, DEMO_CITY, { operatorId: staffIds.get('admin')!, mediatorId: staffIds.get('mediator')! });
  const logins: DemoLogin[] = [
    ...demoStaff.map((s) => ({
      app: (s.role === 'scanner' ? 'scanner' : 'admin') as DemoLogin['app'],
      role: s.role,
      username: s.username,
      password: DEMO_PASSWORD,
      note: s.note,
    })),
    { app: 'worker', role: 'worker', username: '13800000001', note: 'verified rider; SMS code from the outbox' },
    { app: 'worker', role: 'worker', username: '13800000007', note: 'not yet verified; or sign up with any 1[3-9]xxxxxxxxx phone' },
  ];
  return { seeded: inserted > 0, logins };
}
