import type { ReportsModule } from './reports.module.js';

interface DemoServices {
  reportsModule: ReportsModule;
  staff: { departmentsOf(cityCode: string): Promise<{ id: string; code: string }[]> };
}

const YINZHOU = '330212';
const BAIHE = '330212011';

/**
 * Routing rules (分流) of the demo city: 白鹤街道's reports go to 城管 — the demo `handler` account
 * (白鹤街道; 城管 and 人社) sees them — and riders' rights at compound gates to 人社; district- and
 * city-wide rules send traffic lights, predatory rentals and charging hazards to their departments.
 * Category rules win over "any category" ones (see routing.ts).
 */
const demoRules = [
  { category: null, areaPrefix: BAIHE, department: 'urban', streetCode: BAIHE, note: '白鹤街道：默认交城管' },
  { category: 'compound_entry', areaPrefix: BAIHE, department: 'hrss', streetCode: BAIHE, note: '白鹤街道：小区进门难交人社' },
  { category: 'traffic_light', areaPrefix: YINZHOU, department: 'traffic', streetCode: null, note: '鄞州区：信号灯交交警' },
  { category: null, areaPrefix: YINZHOU, department: 'urban', streetCode: null, note: '鄞州区：默认交城管' },
  { category: 'predatory_rental', areaPrefix: null, department: 'market', streetCode: null, note: '全市：套路租车交市场监管' },
  { category: 'charging_hazard', areaPrefix: null, department: 'housing', streetCode: null, note: '全市：充电隐患交住建' },
] as const;

/** Seeds the rules once (only when the city has none, so operators' changes are never overwritten). */
export async function seedReportsWorkflowDemo(services: DemoServices, cityCode: string): Promise<{ rules: number }> {
  const { reports, workflow } = services.reportsModule;
  if ((await workflow.ruleCount(cityCode)) > 0) return { rules: 0 };
  await reports.ensureDefaultCategories(cityCode);
  const departments = new Map((await services.staff.departmentsOf(cityCode)).map((d) => [d.code, d.id]));
  let n = 0;
  for (const r of demoRules) {
    const departmentId = departments.get(r.department);
    if (!departmentId) continue;
    await workflow.seedRule(cityCode, { category: r.category, areaPrefix: r.areaPrefix ?? cityCode, departmentId, streetCode: r.streetCode, priority: 0, active: true, note: r.note });
    n++;
  }
  return { rules: n };
}
