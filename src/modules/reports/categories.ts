import { REPORT_DEFAULTS, type ReportCategory } from '../../contracts/reports.js';

/**
 * The default 随手拍 taxonomy every city starts with (operators change it per city). The rider-first
 * short list is what riders meet on the road; urgent hazards get short deadlines (working days).
 */
export interface DefaultCategory {
  code: string;
  nameZh: string;
  nameEn: string;
  group: 'traffic' | 'facility' | 'safety' | 'environment' | 'rights' | 'other';
  riderFirst: boolean;
  quickTags: string[];
  deadlineWorkingDays: number;
}

export const DEFAULT_CATEGORIES: readonly DefaultCategory[] = [
  { code: 'manhole_missing', nameZh: '井盖缺失', nameEn: 'Missing manhole cover', group: 'safety', riderFirst: true, quickTags: ['井盖缺失', '井盖破损', '井盖下沉', '夜间无警示'], deadlineWorkingDays: 1 },
  { code: 'flooding', nameZh: '积水内涝', nameEn: 'Flooding', group: 'safety', riderFirst: true, quickTags: ['积水过膝', '车辆熄火', '地下通道', '水位上涨'], deadlineWorkingDays: 1 },
  { code: 'traffic_light', nameZh: '信号灯故障', nameEn: 'Traffic light out of order', group: 'traffic', riderFirst: true, quickTags: ['全部熄灭', '常亮红灯', '黄灯闪烁', '倒计时故障'], deadlineWorkingDays: 1 },
  { code: 'fire_lane_blocked', nameZh: '消防通道堵塞', nameEn: 'Blocked fire lane', group: 'safety', riderFirst: true, quickTags: ['车辆占用', '杂物堆放', '充电车辆占用', '通道上锁'], deadlineWorkingDays: 2 },
  { code: 'compound_entry', nameZh: '小区进门难', nameEn: 'Compound turns riders away', group: 'rights', riderFirst: true, quickTags: ['禁止进入', '登记繁琐', '无停车点', '绕行过远'], deadlineWorkingDays: 5 },
  { code: 'predatory_rental', nameZh: '套路租车', nameEn: 'Predatory e-bike rental', group: 'rights', riderFirst: true, quickTags: ['押金不退', '虚高维修费', '合同陷阱', '强制续租'], deadlineWorkingDays: 10 },
  { code: 'road_damage', nameZh: '道路破损', nameEn: 'Damaged road', group: 'traffic', riderFirst: true, quickTags: ['路面坑洼', '路面塌陷', '施工未围挡', '护栏损坏'], deadlineWorkingDays: 3 },
  { code: 'charging_hazard', nameZh: '充电隐患', nameEn: 'Charging hazard', group: 'safety', riderFirst: true, quickTags: ['飞线充电', '楼道充电', '插座老化', '电池鼓包'], deadlineWorkingDays: 2 },
  { code: 'street_light', nameZh: '路灯不亮', nameEn: 'Street light out', group: 'facility', riderFirst: false, quickTags: ['整段不亮', '单盏不亮', '灯光闪烁'], deadlineWorkingDays: 3 },
  { code: 'street_vending', nameZh: '占道经营', nameEn: 'Street vending on the road', group: 'environment', riderFirst: false, quickTags: ['占用车道', '占用人行道', '夜市摊点'], deadlineWorkingDays: 5 },
  { code: 'illegal_parking', nameZh: '乱停车', nameEn: 'Illegal parking', group: 'traffic', riderFirst: false, quickTags: ['占用非机动车道', '堵塞路口', '僵尸车'], deadlineWorkingDays: 3 },
  { code: 'garbage', nameZh: '垃圾堆放', nameEn: 'Garbage dumped', group: 'environment', riderFirst: false, quickTags: ['生活垃圾', '建筑垃圾', '气味难闻'], deadlineWorkingDays: 3 },
  { code: 'other', nameZh: '其他', nameEn: 'Other', group: 'other', riderFirst: false, quickTags: [], deadlineWorkingDays: REPORT_DEFAULTS.deadlineWorkingDays },
];

/** A default as a full category (the table's defaults for the rest). */
export function defaultCategory(d: DefaultCategory, index: number): ReportCategory {
  return {
    code: d.code,
    nameZh: d.nameZh,
    nameEn: d.nameEn,
    group: d.group,
    riderFirst: d.riderFirst,
    sort: (index + 1) * 10,
    quickTags: d.quickTags,
    pointsRule: 'valid_report',
    dedupeRadiusM: REPORT_DEFAULTS.dedupeRadiusM,
    dedupeMax: REPORT_DEFAULTS.dedupeMax,
    deadlineWorkingDays: d.deadlineWorkingDays,
    clusterMin: 3,
    clusterRadiusM: 300,
    clusterDays: 30,
    active: true,
  };
}

/** The worker app's order: the rider-first short list, then the rest, each by `sort`. */
export function byRiderFirst(a: ReportCategory, b: ReportCategory): number {
  return Number(b.riderFirst) - Number(a.riderFirst) || a.sort - b.sort || a.code.localeCompare(b.code);
}
