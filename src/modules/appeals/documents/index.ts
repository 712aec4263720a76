import { renderPdf, type RenderedPdf } from '../../../platform/pdf/pdf.js';
import type { PdfSpec } from '../../../platform/pdf/pdf.js';
import { buildArbitrationApplication } from './arbitration-application.js';
import type { AppealDocumentFacts } from './facts.js';
import { buildLegalAidApplication } from './legal-aid-application.js';
import { buildMediationAgreement } from './mediation-agreement.js';
import { buildMediationApplication } from './mediation-application.js';
import { assertDocumentFacts, type AppealDocumentKind } from './validate.js';

/**
 * The printable documents of an appeal: legal-aid application, arbitration application, mediation
 * application and mediation agreement, filled in from AppealDocumentFacts. Pure: the same facts give
 * the same bytes (the file's date is facts.dates.generatedAt).
 */

export * from './facts.js';
export { AppealDocumentFactsError, appealDocumentKinds, assertDocumentFacts, type AppealDocumentKind, type FactProblem } from './validate.js';
export type { MissingCharacter } from '../../../platform/pdf/fonts.js';
export { PdfUnprintableTextError } from '../../../platform/pdf/pdf.js';

const DOCUMENTS: Record<AppealDocumentKind, { code: string; fileTitle: string; build: (facts: AppealDocumentFacts, number: string) => PdfSpec }> = {
  legal_aid_application: { code: 'FY', fileTitle: '法律援助申请表', build: buildLegalAidApplication },
  arbitration_application: { code: 'ZC', fileTitle: '劳动人事争议仲裁申请书', build: buildArbitrationApplication },
  mediation_application: { code: 'TS', fileTitle: '人民调解申请书', build: buildMediationApplication },
  mediation_agreement: { code: 'TX', fileTitle: '人民调解协议书', build: buildMediationAgreement },
};

export interface AppealDocument extends RenderedPdf {
  kind: AppealDocumentKind;
  /** Printed in every footer: `${appealNumber}-${code}`, e.g. 'YA2026-000123-ZC'. */
  documentNumber: string;
  /** '劳动人事争议仲裁申请书-YA2026-000123.pdf' (send with RFC 6266 filename*=UTF-8''…). */
  fileName: string;
  contentType: 'application/pdf';
}

/** The document's layout, without rendering (for tests and previews). Throws AppealDocumentFactsError. */
export function appealDocumentSpec(kind: AppealDocumentKind, facts: AppealDocumentFacts): PdfSpec {
  assertDocumentFacts(kind, facts);
  const doc = DOCUMENTS[kind];
  return doc.build(facts, `${facts.appealNumber}-${doc.code}`);
}

/**
 * Renders one document. Throws AppealDocumentFactsError when facts are missing or malformed.
 * Characters the fonts lack (rare names in CJK Extension B, emoji) print as 〓 and are listed in
 * `missingCharacters` so the caller can tell the reader to complete them by hand; with
 * `missingGlyphs: 'reject'` they throw PdfUnprintableTextError instead.
 */
export async function renderAppealDocument(
  kind: AppealDocumentKind,
  facts: AppealDocumentFacts,
  options: { missingGlyphs?: 'mark' | 'reject' } = {},
): Promise<AppealDocument> {
  const spec = appealDocumentSpec(kind, facts);
  const rendered = await renderPdf({ ...spec, missingGlyphs: options.missingGlyphs });
  return {
    ...rendered,
    kind,
    documentNumber: spec.documentNumber,
    fileName: `${DOCUMENTS[kind].fileTitle}-${facts.appealNumber}.pdf`,
    contentType: 'application/pdf',
  };
}
