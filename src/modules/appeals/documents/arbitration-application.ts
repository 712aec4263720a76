import type { PdfSpec } from '../../../platform/pdf/pdf.js';
import { applicantFields, COMMON, evidenceBlocks, narrative, numberedRequests, respondentFields } from './common.js';
import type { AppealDocumentFacts } from './facts.js';

/** 劳动人事争议仲裁申请书 — wording (official form, Chinese only). */
const TEXT = {
  title: '劳动人事争议仲裁申请书',
  applicant: '申请人',
  respondent: '被申请人',
  requests: '仲裁请求',
  moneyPrefix: '请求裁决被申请人支付申请人',
  reasons: '事实与理由',
  evidence: '证据清单',
  closing: '此致',
  signApplicant: '申请人（签名）',
  attachments: (evidence: number) => `附：1. 本申请书副本 1 份；2. 证据材料 ${evidence} 份（见证据清单）。`,
};

export function buildArbitrationApplication(facts: AppealDocumentFacts, documentNumber: string): PdfSpec {
  const commission = facts.institutions?.arbitrationCommission ?? COMMON.institutions.arbitrationCommission(facts);
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
      { type: 'heading', text: TEXT.requests },
      ...numberedRequests(facts, TEXT.moneyPrefix).map((text) => ({ type: 'paragraph' as const, text })),
      { type: 'heading', text: TEXT.reasons },
      ...narrative(facts.facts),
      { type: 'heading', text: TEXT.evidence },
      ...evidenceBlocks(facts.evidence),
      { type: 'paragraph', text: TEXT.closing },
      { type: 'paragraph', text: commission, indent: false },
      { type: 'signatures', lines: [{ label: TEXT.signApplicant }], date: COMMON.signatureDateBlank },
      { type: 'paragraph', text: TEXT.attachments(facts.evidence.length), indent: false, align: 'left' },
    ],
  };
}
