import type { StaffPrincipal } from '../../contracts/auth.js';
import type { AppealsModule } from './appeals.module.js';

/** The demo rider (README: 13800000001, verified) and a 12345 caller who has no app yet. */
export const DEMO_APPEAL_RIDER_PHONE = '13800000001';
export const DEMO_HOTLINE_CALLER = '13900000088';

interface DemoServices {
  appealsModule: AppealsModule;
  workers: { findWorkerByPhone(cityCode: string, phone: string): Promise<{ id: string; verificationStatus: string } | undefined> };
  staff: { departmentsOf(cityCode: string): Promise<{ id: string; code: string }[]> };
}

export interface DemoAppealAccounts {
  operatorId: string;
  hotlineId: string;
  /** 白鹤街道 handler: the street's new-employment officer */
  handlerId: string;
  /** 鄞州 mediator: the industry (justice) officer */
  mediatorId: string;
  /** the 白鹤 station keeper: the platform station head */
  stationHeadId: string;
}

const BAIHE = '330212011';

/**
 * The demo city's appeals: a "1+2+3" rule for 白鹤街道, the demo rider's wage-arrears appeal (open, with
 * the clock running), a predatory-rental appeal mediated, paid and rated, and a caller's work-injury
 * appeal recorded by the 12345 agent. Filed through the service with fixed clientIds, so a rerun adds
 * only what is missing; the rule only when the city has none.
 */
export async function seedAppealsDemo(services: DemoServices, cityCode: string, ids: DemoAppealAccounts): Promise<{ appeals: number }> {
  const appeals = services.appealsModule.appeals;
  const staff = (id: string, role: StaffPrincipal['role'], areaCode: string): StaffPrincipal => ({ kind: 'staff', id, cityCode, username: role, displayName: role, role, areaCode, departmentIds: [] });
  const operator = staff(ids.operatorId, 'operator', cityCode);
  const ctx = { principal: operator };
  if ((await appeals.listRules(operator)).length === 0) {
    const hrss = (await services.staff.departmentsOf(cityCode)).find((d) => d.code === 'hrss');
    await appeals.createRule(operator, { areaPrefix: BAIHE, stationHeadId: ids.stationHeadId, streetOfficerId: ids.handlerId, industryOfficerId: ids.mediatorId, departmentId: hrss?.id ?? null, note: '白鹤街道“1+2+3”：驿站站长、街道新就业专员、司法调解' }, ctx);
  }
  let created = 0;
  const rider = await services.workers.findWorkerByPhone(cityCode, DEMO_APPEAL_RIDER_PHONE);
  if (rider?.verificationStatus === 'approved') {
    const worker = { kind: 'worker' as const, id: rider.id, cityCode };
    const wage = await appeals.submit(
      worker,
      { clientId: 'demo-appeal-wage-0001', type: 'wage_arrears', description: '9月、10月两个月配送工资共 12,000 元未发，站点说劳务公司资金周转困难', respondent: { kind: 'agency', name: '宁波速达劳务派遣有限公司' }, amountClaimedFen: 1_200_000, areaCode: BAIHE },
      { principal: worker },
    );
    if (wage.created) created++;
    const rental = await appeals.submit(
      worker,
      { clientId: 'demo-appeal-rental-001', type: 'predatory_rental', description: '租电动车押金 1,500 元，退车时以“车损”为由全部扣除，还要求再付维修费', respondent: { kind: 'company', name: '宁波快骑电动车租赁有限公司' }, amountClaimedFen: 150_000, areaCode: BAIHE },
      { principal: worker },
    );
    if (rental.created) {
      created++;
      const id = rental.appeal.id;
      await appeals.acknowledge(operator, id, ctx);
      await appeals.addSession(operator, id, { heldAt: new Date().toISOString(), place: '白鹤街道一站式调解室', participants: ['周建国', '租赁公司 门店经理', '鄞州 一站式调解中心 孙律师'], notes: '对照电动车租赁示范合同，车损无证据，公司同意退还押金' }, ctx);
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      await appeals.setAgreement(operator, id, { signedOn: today, instalments: [{ dueDate: today, amountFen: 150_000 }], terms: '退还全部押金 1,500 元，不再收取维修费' }, ctx);
      await appeals.addPayment(operator, id, { amountFen: 150_000, paidOn: today, note: '当场转账' }, ctx);
      await appeals.resolve(operator, id, { outcome: 'agreement', resolution: '调解成功，押金已全额退还' }, ctx);
      await appeals.rate(worker, id, { satisfaction: 'satisfied' }, { principal: worker });
    }
  }
  const hotline = staff(ids.hotlineId, 'hotline_agent', cityCode);
  if (!(await appeals.appealIdForClient(`staff:${ids.hotlineId}`, 'demo-appeal-injury-01'))) {
    await appeals.intake(
      hotline,
      { clientId: 'demo-appeal-injury-01', channel: 'hotline', callerPhone: DEMO_HOTLINE_CALLER, callerName: '李小军', type: 'work_injury', description: '送餐途中被汽车撞伤住院，公司称是“合作关系”不认工伤，不付医药费', respondent: { kind: 'company', name: '宁波快跑配送有限公司' }, amountClaimedFen: 3_500_000, areaCode: BAIHE },
      { principal: hotline },
    );
    created++;
  }
  return { appeals: created };
}
