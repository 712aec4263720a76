import type { PdfSpec } from '../../../platform/pdf/pdf.js';
import { applicantFields, COMMON, evidenceBlocks, narrative, numberedRequests, respondentFields } from './common.js';
import type { AppealDocumentFacts } from './facts.js';

/** 人民调解申请书 — wording (official form, Chinese only). */
const TEXT = {
  title: '人民调解申请书',
  applicant: '申请人',
  respondent: '被申请人',
  cause: (type: string) => `纠纷类型：${type}`,
  requests: '调解请求',
  moneyPrefix: '被申请人支付申请人',
  reasons: '事实与理由',
  evidence: '证据材料',
  willingness: (committee: string) => `申请人自愿申请${committee}依法进行调解，并承诺所陈述的事实和提交的材料真实。`,
  closing: '此致',
  signApplicant: '申请人（签名）',
};

export function buildMediationApplication(facts: AppealDocumentFacts, documentNumber: string): PdfSpec {
  const committee = facts.institutions?.mediationCommittee ?? COMMON.institutions.mediationCommittee(facts);
  return {
    title: TEXT.title,
    documentNumber,
    createdAt: facts.dates.generatedAt,
    subject: facts.appealNumber,
    blocks: [
      { type: 'title', text: TEXT.title },
      { type: 'heading', text: TEXT.applicant },
      { type: 'fields', rows: applicantFields(facts.applicant) },
      { type: 'heading', text: TEXT.respondent },
      { type: 'fields', rows: respondentFields(facts.respondent) },
      { type: 'paragraph', text: TEXT.cause(COMMON.appealType[facts.appealType]), indent: false },
      { type: 'heading', text: TEXT.requests },
      ...numberedRequests(facts, TEXT.moneyPrefix).map((text) => ({ type: 'paragraph' as const, text })),
      { type: 'heading', text: TEXT.reasons },
      ...narrative(facts.facts),
      { type: 'heading', text: TEXT.evidence },
      ...evidenceBlocks(facts.evidence),
      { type: 'paragraph', text: TEXT.willingness(committee) },
      { type: 'paragraph', text: TEXT.closing },
      { type: 'paragraph', text: committee, indent: false },
      { type: 'signatures', lines: [{ label: TEXT.signApplicant }], date: COMMON.signatureDateBlank },
    ],
  };
}
