import sharp from 'sharp';
import type { ReportsModule } from './reports.module.js';

/** The demo rider who files the demo reports (README: 13800000001, verified). */
export const DEMO_REPORTER_PHONE = '13800000001';

interface DemoServices {
  reportsModule: ReportsModule;
  workers: { findWorkerByPhone(cityCode: string, phone: string): Promise<{ id: string; verificationStatus: string } | undefined> };
}

/** Around 白鹤街道 / 丹顶鹤社区, where the demo handler and grid worker work. */
const demoReports = [
  { clientId: 'demo-report-manhole-01', category: 'manhole_missing', lon: 121.5668, lat: 29.8615, description: '丹顶鹤社区北门外井盖缺失，夜里看不清，电动车差点掉进去', tags: ['井盖缺失', '夜间无警示'], address: '鄞州区丹顶鹤社区北门', colour: { r: 70, g: 70, b: 75 } },
  { clientId: 'demo-report-flood-0001', category: 'flooding', lon: 121.5715, lat: 29.8638, description: '下穿通道积水过膝，两辆电动车熄火', tags: ['积水过膝', '车辆熄火', '地下通道'], address: '白鹤街道 下穿通道', colour: { r: 60, g: 90, b: 130 } },
  { clientId: 'demo-report-entry-0001', category: 'compound_entry', lon: 121.5690, lat: 29.8652, description: '小区保安不让骑手进门，只能在门口等，超时被罚', tags: ['禁止进入', '绕行过远'], address: '白鹤街道 某小区南门', colour: { r: 150, g: 120, b: 90 } },
] as const;

/** A plain demo "photo" (a shaded colour with a stripe), so the demo has images without shipping binaries. */
async function demoPhoto(colour: { r: number; g: number; b: number }, index: number): Promise<Buffer> {
  const stripe = Buffer.from(
    `<svg width="640" height="480"><rect width="640" height="480" fill="rgb(${colour.r},${colour.g},${colour.b})"/>` +
      `<rect x="${40 + index * 60}" y="180" width="320" height="120" fill="rgb(230,200,40)"/><circle cx="480" cy="120" r="${50 + index * 10}" fill="rgb(240,240,240)"/></svg>`,
  );
  return sharp(stripe).jpeg({ quality: 80 }).toBuffer();
}

/**
 * The demo city's 随手拍 capture data: the default categories, and three reports by the demo rider
 * (filed through the service, so they are routed when the workflow's demo rules exist — seed those
 * first). Idempotent: each demo report has a fixed clientId; a rerun files only the missing ones.
 */
export async function seedReportsCaptureDemo(services: DemoServices, cityCode: string): Promise<{ reports: number }> {
  const reports = services.reportsModule.reports;
  await reports.ensureDefaultCategories(cityCode);
  const rider = await services.workers.findWorkerByPhone(cityCode, DEMO_REPORTER_PHONE);
  if (!rider || rider.verificationStatus !== 'approved') return { reports: 0 };
  const worker = { kind: 'worker' as const, id: rider.id, cityCode };
  let created = 0;
  for (const [i, d] of demoReports.entries()) {
    if (await reports.reportIdForClient(rider.id, d.clientId)) continue;
    if (!(await reports.categoryOf(cityCode, d.category))?.active) continue;
    const photo = await reports.uploadPhoto({ kind: 'worker', id: rider.id }, cityCode, await demoPhoto(d.colour, i));
    const { colour: _c, ...input } = d;
    const out = await reports.submit(worker, { ...input, tags: [...input.tags], accuracyM: 15, locationSource: 'device', photoIds: [photo.id] }, {});
    if (out.created) created++;
  }
  return { reports: created };
}
