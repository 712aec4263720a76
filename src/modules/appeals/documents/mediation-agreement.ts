import type { PdfBlock, PdfSpec } from '../../../platform/pdf/pdf.js';
import { amountTable, applicantFields, chineseDate, chineseDay, COMMON, narrative, respondentFields } from './common.js';
import type { AppealDocumentFacts, MediationAgreementFacts } from './facts.js';

/** 人民调解协议书 — wording (official form, Chinese only; clauses after 人民调解法 第二十九条至第三十三条). */
const TEXT = {
  title: '人民调解协议书',
  subtitle: (number: string, committee: string) => `编号：${number}　　${committee}`,
  partyA: '当事人（甲方）',
  partyB: '当事人（乙方）',
  dispute: '纠纷主要事实、争议事项',
  responsibilities: '各方当事人的责任',
  agreed: '经调解，双方当事人自愿达成如下协议：',
  payment: (description: string, due: string, money: string) => `乙方于${due}前向甲方支付${description}${money}`,
  paymentTable: '款项明细',
  dueColumn: '履行期限',
  performance: '履行协议的方式、地点、期限',
  performanceDue: '各项款项的履行期限见上表。',
  sessionPlace: (place: string) => `调解地点：${place}`,
  effect: [
    '本协议自双方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。',
    '经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。',
    '双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。',
    '本协议一式三份，双方当事人各执一份，人民调解委员会留存一份。',
  ],
  signA: '甲方（签名或按指印）',
  signB: '乙方（签名、盖章）',
  signMediator: '人民调解员（签名）',
  signRecorder: '记录人（签名）',
  seal: (committee: string) => `${committee}（印）`,
};

export function buildMediationAgreement(facts: AppealDocumentFacts, documentNumber: string): PdfSpec {
  const g = facts.agreement as MediationAgreementFacts;
  const committee = facts.institutions?.mediationCommittee ?? COMMON.institutions.mediationCommittee(facts);
  const terms = [
    ...g.payments.map((p) => TEXT.payment(p.description, chineseDay(p.dueDate), COMMON.money(p.amountFen))),
    ...(g.otherTerms ?? []).map((t) => t.trim().replace(/[。；;.，,]+$/, '')),
  ].map((t, i, all) => `${i + 1}．${t}${i === all.length - 1 ? '。' : '；'}`);
  const signedOn = chineseDate(g.signedAt);

  const blocks: PdfBlock[] = [
    { type: 'title', text: TEXT.title, subtitle: TEXT.subtitle(g.number ?? documentNumber, committee) },
    { type: 'heading', text: TEXT.partyA },
    { type: 'fields', rows: applicantFields(facts.applicant) },
    { type: 'heading', text: TEXT.partyB },
    { type: 'fields', rows: respondentFields(facts.respondent) },
    { type: 'heading', text: TEXT.dispute },
    ...narrative(g.disputeSummary ?? facts.facts),
  ];
  if (g.responsibilities) blocks.push({ type: 'heading', text: TEXT.responsibilities }, ...narrative(g.responsibilities));
  blocks.push({ type: 'paragraph', text: TEXT.agreed, bold: true, indent: false }, ...terms.map((text) => ({ type: 'paragraph' as const, text })));
  if (g.payments.length > 0) {
    blocks.push(
      { type: 'heading', text: TEXT.paymentTable },
      amountTable(g.payments.map((p) => ({ description: p.description, amountFen: p.amountFen, extra: chineseDay(p.dueDate) })), TEXT.dueColumn),
    );
  }
  blocks.push(
    { type: 'heading', text: TEXT.performance },
    { type: 'paragraph', text: `${g.performance.trim().replace(/[。；;.，,]+$/, '')}。${g.payments.length > 0 ? TEXT.performanceDue : ''}` },
    ...(g.place ? [{ type: 'paragraph' as const, text: TEXT.sessionPlace(g.place) }] : []),
    ...TEXT.effect.map((text) => ({ type: 'paragraph' as const, text })),
    {
      type: 'signatures',
      lines: [
        { label: TEXT.signA },
        { label: TEXT.signB },
        { label: TEXT.signMediator, name: g.mediatorName },
        { label: TEXT.signRecorder, name: g.recorderName },
      ],
    },
    { type: 'paragraph', text: TEXT.seal(committee), align: 'right', indent: false },
    { type: 'paragraph', text: signedOn, align: 'right', indent: false },
  );
  return { title: TEXT.title, documentNumber, createdAt: facts.dates.generatedAt, subject: facts.appealNumber, blocks };
}
