import type { PdfBlock, PdfField } from '../../../platform/pdf/pdf.js';
import { fenToCapital, formatFen } from '../../../platform/pdf/rmb.js';
import { shanghaiDateTime, shanghaiDay } from '../../../shared/shanghai-time.js';
import type {
  AppealDocumentFacts,
  AppealType,
  AssigneeRole,
  DocumentApplicant,
  DocumentRespondent,
  EvidenceItem,
  EvidenceKind,
  RespondentKind,
} from './facts.js';

/**
 * Wording shared by the appeal documents. The documents are official Chinese forms, so their text
 * is Chinese only; each document keeps its own wording in one constant at its top, and the words
 * several of them use are here.
 */
export const COMMON = {
  none: '—',
  gender: { male: '男', female: '女' },
  appealType: {
    wage_arrears: '追索劳动报酬',
    work_injury: '工伤保险待遇及工伤赔偿',
    labour_relation: '确认劳动关系',
    social_insurance: '社会保险待遇',
    traffic_compensation: '交通事故人身损害赔偿',
    predatory_rental: '电动自行车租赁合同纠纷',
    housing: '住房保障',
    household_registration: '户籍办理',
    legal_question: '法律咨询',
    other: '其他',
  } satisfies Record<AppealType, string>,
  respondentKind: {
    company: '用人单位',
    agency: '劳务外包（代理）机构',
    platform: '平台企业',
    station: '配送站点',
    other: '其他',
  } satisfies Record<RespondentKind, string>,
  evidenceKind: {
    screenshot: '截图',
    schedule: '排班记录',
    attendance: '考勤记录',
    photo: '照片',
    contract: '合同、协议',
    payslip: '工资条',
    document: '书面材料',
    other: '其他',
  } satisfies Record<EvidenceKind, string>,
  officerRole: {
    station_head: '平台站点负责人',
    street_officer: '镇街新就业群体专员',
    industry_officer: '行业主管部门专员',
    grid_worker: '网格员',
    community_police: '社区民警',
    union_social_worker: '工会社工',
    lawyer: '律师',
    mediator: '人民调解员',
  } satisfies Record<AssigneeRole, string>,
  institutions: {
    legalAidCentre: (f: AppealDocumentFacts) => `${f.area.city}${f.area.district}法律援助中心`,
    arbitrationCommission: (f: AppealDocumentFacts) => `${f.area.city}${f.area.district}劳动人事争议仲裁委员会`,
    mediationCommittee: (f: AppealDocumentFacts) =>
      f.area.street ? `${f.area.district}${f.area.street}人民调解委员会` : `${f.area.city}${f.area.district}劳动争议人民调解委员会`,
  },
  applicantFields: {
    name: '姓名',
    gender: '性别',
    birthDate: '出生日期',
    ethnicity: '民族',
    idNumber: '身份证号码',
    household: '户籍所在地',
    address: '住所地',
    phone: '联系电话',
    employer: '工作单位',
    occupation: '职业（岗位）',
  },
  respondentFields: {
    name: '名称（姓名）',
    kind: '类型',
    uscc: '统一社会信用代码',
    legalRepresentative: '法定代表人（负责人）',
    phone: '联系电话',
    address: '住所',
  },
  evidenceColumns: { index: '序号', name: '证据名称及证明内容', kind: '类别', time: '形成时间', sha256: 'SHA-256 校验值' },
  evidenceProves: '证明：',
  evidenceNone: '（暂无证据材料）',
  evidenceNote: '注：校验值为证据文件的 SHA-256 摘要，可用于核对所提交文件与平台存证文件一致。',
  officerColumns: { role: '职责', name: '姓名', organisation: '单位', phone: '联系电话' },
  amountColumns: { index: '序号', item: '项目', digits: '金额（元）', capital: '金额（大写）' },
  total: '合计',
  signatureDateBlank: '年　　月　　日',
  /** '支付申请人2026年9月工资人民币5,000.00元（大写：伍仟元整）'. */
  money: (fen: number) => `人民币${formatFen(fen)}元（大写：${fenToCapital(fen)}）`,
};

/** '2026年11月23日' for the Shanghai day of `at`. */
export function chineseDate(at: Date): string {
  return chineseDay(shanghaiDay(at));
}

/** '2026-11-23' → '2026年11月23日'. */
export function chineseDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const or = (value: string | undefined) => (value === undefined || value.trim() === '' ? COMMON.none : value);

export function applicantFields(a: DocumentApplicant): PdfField[][] {
  const L = COMMON.applicantFields;
  return [
    [{ label: L.name, value: a.name }, { label: L.gender, value: a.gender ? COMMON.gender[a.gender] : COMMON.none }],
    [{ label: L.birthDate, value: a.birthDate ? chineseDay(a.birthDate) : COMMON.none }, { label: L.ethnicity, value: or(a.ethnicity) }],
    [{ label: L.idNumber, value: a.idNumber }, { label: L.phone, value: a.phone }],
    [{ label: L.employer, value: or(a.employer) }, { label: L.occupation, value: or(a.occupation) }],
    ...(a.household ? [[{ label: L.household, value: a.household }]] : []),
    [{ label: L.address, value: a.address }],
  ];
}

export function respondentFields(r: DocumentRespondent): PdfField[][] {
  const L = COMMON.respondentFields;
  return [
    [{ label: L.name, value: r.name }],
    [{ label: L.kind, value: COMMON.respondentKind[r.kind] }, { label: L.uscc, value: or(r.uscc) }],
    [{ label: L.legalRepresentative, value: or(r.legalRepresentative) }, { label: L.phone, value: or(r.phone) }],
    [{ label: L.address, value: or(r.address) }],
  ];
}

/** Paragraph blocks for a narrative, one per non-empty line. */
export function narrative(text: string): PdfBlock[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => ({ type: 'paragraph' as const, text: line }));
}

/** A SHA-256 in lower case on two lines of 32 characters, so it never breaks at a random place. */
export function twoLineHash(sha256: string): string {
  const h = sha256.toLowerCase();
  return `${h.slice(0, 32)}\n${h.slice(32)}`;
}

export function evidenceBlocks(evidence: EvidenceItem[]): PdfBlock[] {
  if (evidence.length === 0) return [{ type: 'paragraph', text: COMMON.evidenceNone, indent: false }];
  const C = COMMON.evidenceColumns;
  return [
    {
      type: 'table',
      fontSize: 9,
      columns: [
        { header: C.index, width: 0.55, align: 'center' },
        { header: C.name, width: 2.5 },
        { header: C.kind, width: 1 },
        { header: C.time, width: 1.25 },
        // 32 hex digits per line must fit the column: see twoLineHash.
        { header: C.sha256, width: 3.2, fontSize: 7.5 },
      ],
      rows: evidence.map((e, i) => [
        String(i + 1),
        e.description ? `${e.fileName}\n${COMMON.evidenceProves}${e.description}` : e.fileName,
        COMMON.evidenceKind[e.kind],
        shanghaiDateTime(e.capturedAt).slice(0, 16),
        twoLineHash(e.sha256),
      ]),
    },
    { type: 'paragraph', text: COMMON.evidenceNote, indent: false, align: 'left' },
  ];
}

/** A table of amounts with a total row: digits and capitals side by side. */
export function amountTable(items: { description: string; amountFen: number; extra?: string }[], extraHeader?: string): PdfBlock {
  const C = COMMON.amountColumns;
  const total = items.reduce((s, i) => s + i.amountFen, 0);
  return {
    type: 'table',
    fontSize: 9.5,
    columns: [
      { header: C.index, width: 0.6, align: 'center' },
      { header: C.item, width: 2.8 },
      { header: C.digits, width: 1.5, align: 'right' },
      { header: C.capital, width: 3 },
      ...(extraHeader ? [{ header: extraHeader, width: 1.9, align: 'center' as const }] : []),
    ],
    rows: [
      ...items.map((i, n) => [String(n + 1), i.description, formatFen(i.amountFen), fenToCapital(i.amountFen), ...(extraHeader ? [i.extra ?? ''] : [])]),
      ['', COMMON.total, formatFen(total), fenToCapital(total), ...(extraHeader ? [''] : [])],
    ],
  };
}

export function officerTable(facts: AppealDocumentFacts): PdfBlock {
  const C = COMMON.officerColumns;
  return {
    type: 'table',
    fontSize: 9.5,
    columns: [
      { header: C.role, width: 2 },
      { header: C.name, width: 1.2 },
      { header: C.organisation, width: 3 },
      { header: C.phone, width: 1.6 },
    ],
    rows: facts.officers.map((o) => [COMMON.officerRole[o.role], o.name, or(o.organisation), or(o.phone)]),
  };
}

/** The numbered requests of an application: amounts first, then requests without an amount. */
export function numberedRequests(facts: AppealDocumentFacts, moneyPrefix: string): string[] {
  const money = facts.claims.map((c) => `${moneyPrefix}${c.description}${COMMON.money(c.amountFen)}`);
  const items = [...money, ...(facts.requests ?? []).map((q) => q.trim().replace(/[。；;.，,]+$/, ''))];
  return items.map((text, i) => `${i + 1}．${text}${i === items.length - 1 ? '。' : '；'}`);
}
