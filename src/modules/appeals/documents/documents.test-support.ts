import type { AppealDocumentFacts } from './facts.js';

/** Test fixture: a rider's wage-arrears appeal against an agency, with evidence and an agreement. */
export function sampleFacts(overrides: Partial<AppealDocumentFacts> = {}): AppealDocumentFacts {
  return {
    appealNumber: 'YA2026-000123',
    appealType: 'wage_arrears',
    area: { city: '宁波市', district: '鄞州区', street: '白鹤街道' },
    applicant: {
      name: '王小明',
      idNumber: '330212199003071234',
      phone: '13800000001',
      address: '浙江省宁波市鄞州区白鹤街道丹顶鹤社区12幢301室',
      gender: 'male',
      birthDate: '1990-03-07',
      ethnicity: '汉族',
      employer: '宁波速达配送服务有限公司',
      occupation: '外卖骑手',
    },
    respondent: {
      kind: 'agency',
      name: '宁波速达配送服务有限公司',
      uscc: '91330212MA2H3K4L5P',
      legalRepresentative: '陈大伟',
      address: '浙江省宁波市鄞州区中河街道天童南路588号',
      phone: '0574-87654321',
    },
    facts:
      '申请人自2025年3月1日起在被申请人处从事外卖配送工作，每月工资约7,000元，按月发放。\n' +
      '被申请人自2026年9月起未发放申请人工资，申请人多次催要未果。',
    claims: [
      { description: '2026年9月至10月拖欠的工资', amountFen: 1_234_567 },
      { description: '2026年8月未足额支付的工资差额', amountFen: 100_500 },
    ],
    requests: ['确认申请人与被申请人自2025年3月1日起存在劳动关系'],
    evidence: [
      {
        fileName: '2026年9月考勤截图.png',
        kind: 'attendance',
        capturedAt: new Date('2026-10-05T06:30:00Z'),
        sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        description: '申请人9月每日出勤',
      },
      {
        fileName: '站长催款聊天记录.jpg',
        kind: 'screenshot',
        capturedAt: new Date('2026-10-20T12:01:00Z'),
        sha256: '60303AE22B998861BCE3B28F33EEC1BE758A213C86C93C076DBE9F558C11C752',
      },
    ],
    officers: [
      { role: 'station_head', name: '刘站长', organisation: '白鹤配送站', phone: '13900000002' },
      { role: 'street_officer', name: '张专员', organisation: '白鹤街道社会工作办' },
      { role: 'industry_officer', name: '李科长', organisation: '鄞州区人力资源和社会保障局' },
    ],
    dates: {
      filedAt: new Date('2026-11-02T01:00:00Z'),
      generatedAt: new Date('2026-11-23T02:00:00Z'),
      incidentAt: new Date('2026-09-30T16:00:00Z'),
    },
    legalAid: { migrantWorkerExemption: true },
    agreement: {
      payments: [
        { description: '2026年9月至10月工资', amountFen: 1_000_000, dueDate: '2026-12-10' },
        { description: '剩余工资及经济补偿', amountFen: 334_567, dueDate: '2027-01-15' },
      ],
      performance: '乙方以银行转账方式支付至甲方本人名下银行账户',
      otherTerms: ['甲方收到上述全部款项后，双方就本纠纷再无其他争议'],
      mediatorName: '周调解',
      recorderName: '吴记录',
      signedAt: new Date('2026-11-23T02:00:00Z'),
      place: '白鹤街道一站式矛盾纠纷调解中心',
    },
    ...overrides,
  };
}
