import type { StaffPrincipal } from '../../contracts/auth.js';
import type { LegalModule } from './legal.module.js';

/** The demo rider (README: 13800000001, verified). */
export const DEMO_LEGAL_RIDER_PHONE = '13800000001';

interface DemoServices {
  legalModule: LegalModule;
  workers: { findWorkerByPhone(cityCode: string, phone: string): Promise<{ id: string; verificationStatus: string } | undefined> };
}

/**
 * The demo city's 法帮新: the demo lawyer on the roster (only if they have no profile yet), and two
 * questions by the demo rider — one answered, one open with the clock running. Asked through the service
 * with fixed clientIds, so a rerun adds only what is missing.
 */
export async function seedLegalDemo(services: DemoServices, cityCode: string, ids: { operatorId: string; lawyerId: string }): Promise<{ questions: number }> {
  const legal = services.legalModule.legal;
  const staff = (id: string, role: StaffPrincipal['role']): StaffPrincipal => ({ kind: 'staff', id, cityCode, username: role, displayName: role, role, areaCode: cityCode, departmentIds: [] });
  const operator = staff(ids.operatorId, 'operator');
  const lawyer = staff(ids.lawyerId, 'lawyer');
  const ctx = { principal: operator };
  const roster = await legal.lawyers(operator);
  if (roster.some((l) => l.staffId === ids.lawyerId && !l.profile)) {
    await legal.putLawyer(
      operator,
      ids.lawyerId,
      { lawFirm: '浙江甬法律师事务所', specialities: ['wage_arrears', 'labour_relation', 'work_injury', 'social_insurance', 'predatory_rental', 'traffic_compensation', 'legal_question', 'other'], areas: [cityCode], active: true, maxOpen: 20 },
      ctx,
    );
  }
  const rider = await services.workers.findWorkerByPhone(cityCode, DEMO_LEGAL_RIDER_PHONE);
  if (!rider || rider.verificationStatus !== 'approved') return { questions: 0 };
  const w = { kind: 'worker' as const, id: rider.id, cityCode };
  const wctx = { principal: w };
  const answered = await legal.ask(
    w,
    {
      clientId: 'demo-legal-answered-1',
      type: 'labour_relation',
      question: '我在站点跑了一年多外卖，站长说我们是“合作关系”，不签劳动合同也不交社保。这样合法吗？我能要求什么？',
      employer: '宁波速达劳务派遣有限公司',
    },
    wctx,
  );
  if (answered.question.status === 'assigned' && answered.question.lawyerId === ids.lawyerId) {
    await legal.answer(
      lawyer,
      answered.question.id,
      '是否构成劳动关系看实际用工情况：接受站点排班和考勤、按站点规定的标准取得报酬、穿统一服装等，都支持认定存在劳动关系或“不完全符合确立劳动关系情形”。建议保存排班截图、考勤和收入记录；可要求补签书面合同、缴纳社保或职业伤害保障，协商不成可向劳动监察投诉或申请劳动仲裁（一年时效）。',
      { principal: lawyer },
    );
  }
  await legal.ask(
    w,
    {
      clientId: 'demo-legal-open-1',
      type: 'predatory_rental',
      question: '租电动车时交了 1500 元押金，退车时车行说车有划痕要全扣，还要我再赔 800 元。合同里写着“车损由承租人全额承担”，我该怎么办？',
      amountFen: 230_000,
      employer: '宁波快骑电动车租赁行',
    },
    wctx,
  );
  return { questions: 2 };
}
