import type { StaffPrincipal } from '../../contracts/auth.js';
import type { LibraryCreate } from '../../contracts/library.js';
import type { LibraryService } from './library.service.js';

/** The demo's 电动自行车租赁合同示范文本 (README and the browser journey download it). */
export const EBIKE_CONTRACT_SEED_KEY = 'ebike-rental-model-contract';
export const EBIKE_CONTRACT_TITLE = '网约配送员电动自行车租赁合同示范文本';

/**
 * 宁波 网约配送员电动自行车租赁合同示范文本: what a fair e-bike rental looks like, clause by clause,
 * written against the 套路租 tricks (deposits never refunded, invented "damage" charges, penalties for
 * leaving early). The clauses are a demo text, not an official publication.
 */
const ebikeContract: LibraryCreate = {
  kind: 'model_contract',
  title: EBIKE_CONTRACT_TITLE,
  summary: '租车前先对照示范文本：押金多少、几天退还、有没有隐藏费用、提前退租要不要违约金，一条条写清楚，从源头避开“套路租”。',
  appealTypes: ['predatory_rental'],
  areaCode: null,
  modelContract: {
    issuer: '甬爱平台整理（演示文本，非官方发布）',
    versionLabel: '2026版',
    effectiveOn: '2026-01-01',
    checklist: [
      '出租方名称、统一社会信用代码、经营地址与营业执照一致，并留有可以联系到的电话。',
      '车辆品牌型号、车架号、电池编号和车辆现状（划痕、故障）已拍照并写入交车确认单。',
      '租金标准、计费周期和支付方式写明；合同之外不收取任何“服务费”“管理费”“保险费”。',
      '押金金额不超过合同约定上限，写明退租后几日内原路退还，以及可以扣除押金的唯一情形。',
      '提前退租只需提前通知，不收取违约金，已付未用的租金按日退还。',
      '车辆丢失、被盗时先报警，赔偿按车辆折旧后价值计算，不按新车价格。',
      '收好合同原件、付款凭证和交车、还车照片，发生纠纷时作为证据。',
    ],
    sections: [
      {
        heading: '第一条　合同双方',
        paragraphs: [
          '出租方（甲方）：＿＿＿＿＿＿＿＿，统一社会信用代码：＿＿＿＿＿＿＿＿，经营地址：＿＿＿＿＿＿＿＿，联系电话：＿＿＿＿＿＿＿＿。',
          '承租方（乙方）：＿＿＿＿＿＿＿＿，身份证号码：＿＿＿＿＿＿＿＿，联系电话：＿＿＿＿＿＿＿＿，所在配送站点：＿＿＿＿＿＿＿＿。',
          '双方根据《中华人民共和国民法典》等法律法规，在平等、自愿、公平、诚信的基础上，就乙方租用甲方电动自行车从事网约配送订立本合同。',
        ],
      },
      {
        heading: '第二条　车辆与电池',
        paragraphs: [
          '租赁车辆品牌型号：＿＿＿＿，车架号：＿＿＿＿，号牌：＿＿＿＿；电池型号：＿＿＿＿，电池编号：＿＿＿＿，数量：＿＿块。',
          '甲方交付的车辆和电池应当符合强制性国家标准（GB 17761），取得登记号牌，电池为合格产品，不得私自改装。',
          '交车时双方共同检查车辆和电池，拍照并签署交车确认单；确认单未记载的既有损伤，甲方主张系乙方使用造成的，应当举证证明。',
        ],
      },
      {
        heading: '第三条　租金与押金',
        paragraphs: [
          '租金为每月人民币＿＿＿＿元（含电池换电服务的，写明换电次数和费用），按＿＿（月/周）支付，甲方应出具收款凭证。',
          '押金为人民币＿＿＿＿元。乙方退还车辆后，甲方应在7日内将押金原路全额退还；仅可扣除经双方确认的乙方造成的车辆损坏维修费用，并提供维修清单和凭证。',
          '甲方逾期退还押金的，每逾期一日按押金金额的千分之五向乙方支付违约金。',
        ],
      },
      {
        heading: '第四条　不得收取的费用',
        paragraphs: [
          '除本合同第三条约定的租金和押金外，甲方不得以“服务费”“管理费”“押金保险费”“提车费”“折旧费”等任何名义另行收费。',
          '甲方不得要求乙方通过贷款、分期或第三方平台“先享后付”等方式支付租金或押金，不得以乙方名义办理任何金融业务。',
        ],
      },
      {
        heading: '第五条　维修与保养',
        paragraphs: [
          '车辆和电池的正常损耗、自然故障由甲方免费维修或更换，甲方应在接到报修后24小时内修复或提供同等车辆替换；修复期间的租金按日减免。',
          '因乙方故意或重大过失造成的损坏，由乙方承担合理维修费用，维修前甲方应告知维修项目和价格，经乙方确认。',
        ],
      },
      {
        heading: '第六条　丢失与被盗',
        paragraphs: [
          '车辆或电池丢失、被盗的，乙方应在发现后24小时内报警并通知甲方，提供报警回执。',
          '乙方已尽合理保管义务的，赔偿金额按车辆（电池）购置价扣除已使用月份折旧后的价值计算，每月折旧率不低于＿＿%；甲方已为车辆投保的，应先由保险理赔。',
        ],
      },
      {
        heading: '第七条　提前退租与合同解除',
        paragraphs: [
          '乙方可随时提前退租，提前＿＿日（不超过3日）通知甲方即可，不承担违约金；已付未用的租金按日计算退还。',
          '甲方交付的车辆或电池不符合安全标准、多次故障影响使用，或甲方违反第四条收费的，乙方有权解除合同，甲方应退还全部押金和剩余租金。',
          '甲方不得以“未满租期”“车辆磨损”等为由拒绝退租、扣留押金，不得扣留乙方身份证件或以远程锁车方式迫使乙方续租、付费。',
        ],
      },
      {
        heading: '第八条　争议解决',
        paragraphs: [
          '履行本合同发生争议的，双方协商解决；协商不成的，可以向甬爱热线（12345）、所在镇街新就业群体服务中心或市场监督管理部门投诉，申请人民调解。',
          '调解不成的，任何一方可以向合同签订地人民法院提起诉讼。',
        ],
      },
      {
        heading: '第九条　其他',
        paragraphs: ['本合同一式两份，双方各执一份，自双方签字（盖章）之日起生效。合同附件（交车确认单、还车确认单、收款凭证）为本合同组成部分。'],
      },
    ],
  },
};

/** 典型案例 drawn from the Ningbo reports (names shortened, amounts as reported). */
const typicalCases: { key: string; entry: LibraryCreate }[] = [
  {
    key: 'case-predatory-rental-217',
    entry: {
      kind: 'typical_case',
      title: '同城配送中心电动车“套路租”，217名骑手全额追回300余万元',
      summary: '某同城配送中心以低价租车吸引骑手，再以高额押金、“车损”扣款和提前退租违约金层层收费。兼职网格员骑手率先反映，多部门联动处置，涉事公司停业，骑手款项全额追回。',
      appealTypes: ['predatory_rental'],
      areaCode: '330212',
      typicalCase: {
        facts: [
          '2025年4月，钟公庙街道兼职网格员、外卖骑手张师傅反映：某同城配送中心以“零首付、低月租”招揽骑手租用电动车，签约后收取高额押金，退租时以车辆“损坏”“未满租期”为由大额扣款，部分骑手被要求以分期贷款方式支付租金。',
          '涉及骑手217名，押金和各类扣款合计300余万元，部分骑手多次讨要无果。',
        ],
        resolution: [
          '区委社会工作部指导街道联动市场监督管理、公安等部门快速处置，核查合同、收费和贷款记录，责令涉事公司停业整改。',
          '经调解和督促，涉事公司为217名骑手全额退还押金和违规收取的费用，共计300余万元，矛盾实现“零激化”；同时排查整治了32处存在隐患的充换电柜驿站。',
        ],
        legalBasis: [
          '《中华人民共和国民法典》第四百九十六条、第四百九十七条：提供格式条款一方不合理地免除或者减轻其责任、加重对方责任、限制对方主要权利的，该条款无效。',
          '《中华人民共和国消费者权益保护法》第二十六条：经营者不得以格式条款作出排除或者限制消费者权利、加重消费者责任等对消费者不公平、不合理的规定。',
        ],
        amountRecoveredFen: 300_000_000,
      },
    },
  },
  {
    key: 'case-injury-cooperation',
    entry: {
      kind: 'typical_case',
      title: '公司称“合作关系”拒赔，骑手骨折获赔6.5万余元',
      summary: '公司未缴社保、只签“商务合作协议”，却对骑手严格排班考勤。骑手送餐途中受伤后，调解中心调取排班和考勤记录，促成公司一次性赔偿。',
      appealTypes: ['work_injury', 'labour_relation'],
      areaCode: '330212',
      typicalCase: {
        facts: [
          '外卖配送员石师傅为某公司提供配送服务，公司未为其缴纳社会保险，仅与其签订“商务合作协议”，但对其实行严格的排班和考勤管理。',
          '石师傅在配送途中发生非主责交通事故，致趾骨骨折。公司以双方是“合作关系”为由拒绝赔偿。',
        ],
        resolution: [
          '鄞州区新就业形态劳动纠纷一站式调解中心介入，仲裁员调取排班记录、考勤数据等关键证据，证明公司对石师傅存在劳动管理。',
          '经多次组织双方协商，公司一次性支付赔偿款6.5万余元。',
        ],
        legalBasis: [
          '人力资源社会保障部等八部门《关于维护新就业形态劳动者劳动保障权益的指导意见》（人社部发〔2021〕56号）：企业对劳动者进行劳动管理的，应当依法承担用工责任。',
          '《工伤保险条例》第十四条：在工作时间和工作场所内，因工作原因受到事故伤害的，应当认定为工伤。',
        ],
        amountRecoveredFen: 6_500_000,
      },
    },
  },
  {
    key: 'case-collective-17-riders',
    entry: {
      kind: 'typical_case',
      title: '17名骑手与代理公司劳资纠纷，综治中心联调化解',
      summary: '某平台17名外卖骑手与代理公司矛盾激化、提出集体离职。综治中心启动应急机制，组建专班一对一联系骑手，多次与公司协调，当场签署调解协议。',
      appealTypes: ['wage_arrears', 'labour_relation'],
      areaCode: '330212',
      typicalCase: {
        facts: [
          '某平台17名外卖骑手与其所在的代理公司因劳资纠纷矛盾激化，提出集体离职诉求。',
          '骑手情绪激动，存在矛盾升级风险。',
        ],
        resolution: [
          '新就业群体综治中心获知后立即启动应急处置机制，整合街道平安法治办、司法所、派出所、区级职能部门及所在社区组建专项工作小组，依托新业态矛盾纠纷一站式联调联处机制开展调处。',
          '工作小组“一对一”联系骑手代表稳控情绪、排查风险，并与公司负责人多次沟通、反复协调，双方最终在综治中心签署调解协议，骑手合法权益得到保障。',
        ],
        legalBasis: [
          '《中华人民共和国人民调解法》第二十八条、第三十一条：经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。',
          '《中华人民共和国劳动争议调解仲裁法》第四条：发生劳动争议，劳动者可以与用人单位协商，也可以请工会或者第三方共同与用人单位协商，达成和解协议。',
        ],
        amountRecoveredFen: null,
      },
    },
  },
  {
    key: 'case-wage-hotline-3-days',
    entry: {
      kind: 'typical_case',
      title: '快递网点拖欠两个月工资，甬爱热线3天追回',
      summary: '快递员被网点拖欠两个月工资，拨打12345“甬爱热线”反映。社会工作者联动多部门组建专班，3天内帮他追回全部工资。',
      appealTypes: ['wage_arrears'],
      areaCode: null,
      typicalCase: {
        facts: ['快递员王师傅所在网点以经营困难为由，拖欠其两个月工资。王师傅多次讨要无果，不知道该找谁反映。'],
        resolution: [
          '王师傅通过12345拨通“甬爱热线”。接到诉求后，社会工作者按“1+2+3”工作联系机制，联动网点负责人、镇街新就业群体工作负责人和行业管理部门组建专班。',
          '专班核实工资发放记录后督促网点支付，仅用3天即帮王师傅追回被拖欠的工资。',
        ],
        legalBasis: [
          '《中华人民共和国劳动法》第五十条：工资应当以货币形式按月支付给劳动者本人，不得克扣或者无故拖欠劳动者的工资。',
          '《保障农民工工资支付条例》第十五条：用人单位应当按照与农民工书面约定或者依法制定的规章制度规定的工资支付周期和具体支付日期足额支付工资。',
        ],
        amountRecoveredFen: null,
      },
    },
  },
];

/**
 * The demo library: the e-bike rental model contract (published by the operator) and four typical
 * cases (published by the 鄞州 mediator). Found again by seed key, so a rerun adds only what is missing.
 */
export async function seedLibraryDemo(services: { library: LibraryService }, cityCode: string, ids: { operatorId: string; mediatorId: string }): Promise<{ entries: number }> {
  const { library } = services;
  const staff = (id: string, role: StaffPrincipal['role'], areaCode: string): StaffPrincipal => ({ kind: 'staff', id, cityCode, username: role, displayName: role, role, areaCode, departmentIds: [] });
  const operator = staff(ids.operatorId, 'operator', cityCode);
  const mediator = staff(ids.mediatorId, 'mediator', '330212');
  let created = 0;
  const ensure = async (who: StaffPrincipal, key: string, entry: LibraryCreate) => {
    if (await library.bySeedKey(cityCode, key)) return;
    const ctx = { principal: who };
    const draft = await library.create(who, entry, ctx, { seedKey: key });
    await library.publish(who, draft.id, {}, ctx);
    created++;
  };
  await ensure(operator, EBIKE_CONTRACT_SEED_KEY, ebikeContract);
  for (const c of typicalCases) await ensure(mediator, c.key, c.entry);
  return { entries: created };
}
