import type { PdfBlock, PdfSpec } from '../../../platform/pdf/pdf.js';
import { fenToCapital, formatFen } from '../../../platform/pdf/rmb.js';
import { amountTable, applicantFields, chineseDate, COMMON, evidenceBlocks, narrative, officerTable, respondentFields } from './common.js';
import type { AppealDocumentFacts, AppealType } from './facts.js';

/** 法律援助申请表 — wording (official form, Chinese only). */
const TEXT = {
  title: '法律援助申请表',
  subtitle: (number: string, centre: string) => `编号：${number}　　受理机构：${centre}`,
  applicant: '一、申请人基本情况',
  opponent: '二、对方当事人情况',
  matter: '三、申请法律援助事项',
  matterFields: { cause: '案由', form: '援助形式', amount: '涉及金额', filedAt: '诉求提出日期', incidentAt: '事发日期' },
  story: '四、案情及申请理由',
  claims: '五、请求事项及金额',
  means: '六、经济困难状况',
  meansLabel: '核查方式',
  meansExempt: '免予核查经济困难状况：申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员（《中华人民共和国法律援助法》第四十二条第三项）',
  meansDeclared: '由申请人如实说明家庭经济状况，并按规定提交经济困难状况说明表',
  evidence: '七、证据材料清单',
  officers: '八、代为转交及协办人员',
  pledge: '申请人承诺：本人承诺以上所填内容和所提交的证件、证明材料均真实。如有虚假，本人愿意承担相应的法律责任。',
  signApplicant: '申请人（签名）',
  signReceiver: '受理人（签名）',
  noAmount: '不涉及金额',
  otherRequest: '其他请求：',
  /** The service asked for, by the kind of dispute. */
  form: (type: AppealType) =>
    type === 'wage_arrears' || type === 'work_injury' || type === 'labour_relation' || type === 'social_insurance'
      ? '劳动争议仲裁代理'
      : type === 'legal_question'
        ? '法律咨询、代拟法律文书'
        : '民事诉讼代理',
};

export function buildLegalAidApplication(facts: AppealDocumentFacts, documentNumber: string): PdfSpec {
  const centre = facts.institutions?.legalAidCentre ?? COMMON.institutions.legalAidCentre(facts);
  const total = facts.claims.reduce((s, c) => s + c.amountFen, 0);
  const M = TEXT.matterFields;
  const blocks: PdfBlock[] = [
    { type: 'title', text: TEXT.title, subtitle: TEXT.subtitle(documentNumber, centre) },
    { type: 'heading', text: TEXT.applicant },
    { type: 'fields', rows: applicantFields(facts.applicant) },
    { type: 'heading', text: TEXT.opponent },
    { type: 'fields', rows: respondentFields(facts.respondent) },
    { type: 'heading', text: TEXT.matter },
    {
      type: 'fields',
      rows: [
        [{ label: M.cause, value: COMMON.appealType[facts.appealType] }, { label: M.form, value: TEXT.form(facts.appealType) }],
        [{ label: M.amount, value: total > 0 ? `¥${formatFen(total)}（人民币${fenToCapital(total)}）` : TEXT.noAmount }],
        [
          { label: M.filedAt, value: chineseDate(facts.dates.filedAt) },
          { label: M.incidentAt, value: facts.dates.incidentAt ? chineseDate(facts.dates.incidentAt) : COMMON.none },
        ],
      ],
    },
    { type: 'heading', text: TEXT.story },
    ...narrative(facts.facts),
  ];
  if (facts.claims.length > 0 || (facts.requests ?? []).length > 0) {
    blocks.push({ type: 'heading', text: TEXT.claims });
    if (facts.claims.length > 0) blocks.push(amountTable(facts.claims));
    (facts.requests ?? []).forEach((q) => blocks.push({ type: 'paragraph', text: `${TEXT.otherRequest}${q}` }));
  }
  blocks.push(
    { type: 'heading', text: TEXT.means },
    { type: 'fields', rows: [[{ label: TEXT.meansLabel, value: facts.legalAid?.migrantWorkerExemption ? TEXT.meansExempt : TEXT.meansDeclared }]] },
    { type: 'heading', text: TEXT.evidence },
    ...evidenceBlocks(facts.evidence),
  );
  if (facts.officers.length > 0) blocks.push({ type: 'heading', text: TEXT.officers }, officerTable(facts));
  blocks.push(
    { type: 'paragraph', text: TEXT.pledge },
    { type: 'signatures', lines: [{ label: TEXT.signApplicant }, { label: TEXT.signReceiver }], date: COMMON.signatureDateBlank },
  );
  return { title: TEXT.title, documentNumber, createdAt: facts.dates.generatedAt, subject: facts.appealNumber, blocks };
}
