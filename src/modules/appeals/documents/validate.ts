import type { FieldError } from '../../../contracts/errors.js';
import { MAX_FEN } from '../../../platform/pdf/rmb.js';
import { appealTypes, assigneeRoles, evidenceKinds, respondentKinds } from '../../../contracts/appeals.js';
import { arbitrableAppealTypes, type AppealDocumentFacts } from './facts.js';

export const appealDocumentKinds = ['legal_aid_application', 'arbitration_application', 'mediation_application', 'mediation_agreement'] as const;
export type AppealDocumentKind = (typeof appealDocumentKinds)[number];

export interface FactProblem {
  /** Path into AppealDocumentFacts, e.g. 'applicant.idNumber', 'evidence[2].sha256'. */
  field: string;
  reason: 'missing' | 'invalid' | 'not_applicable';
  message: string;
}

/**
 * The facts cannot make this document: required facts are missing or malformed. The appeals module
 * maps it to a 4xx problem (suggested code `appeals.document_facts_incomplete`, 422) with
 * `toFieldErrors()` as its `errors`.
 */
export class AppealDocumentFactsError extends Error {
  constructor(
    readonly document: AppealDocumentKind,
    readonly problems: FactProblem[],
  ) {
    super(`Cannot make ${document}: ${problems.map((p) => `${p.field} ${p.reason}`).join(', ')}`);
    this.name = 'AppealDocumentFactsError';
  }

  toFieldErrors(): FieldError[] {
    return this.problems.map((p) => ({ field: p.field, message: p.message, rule: p.reason === 'missing' ? 'required' : p.reason }));
  }
}

const SHA256 = /^[0-9a-fA-F]{64}$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const blank = (s: string | undefined) => s === undefined || s.trim() === '';
const validDate = (d: Date | undefined) => d instanceof Date && !Number.isNaN(d.getTime());
const validDay = (s: string) => DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const validFen = (n: number) => Number.isSafeInteger(n) && n > 0 && n <= MAX_FEN;

/** Throws AppealDocumentFactsError listing every problem at once (not just the first). */
export function assertDocumentFacts(document: AppealDocumentKind, facts: AppealDocumentFacts): void {
  const problems: FactProblem[] = [];
  const missing = (field: string) => problems.push({ field, reason: 'missing', message: `${field} is required` });
  const invalid = (field: string, message: string) => problems.push({ field, reason: 'invalid', message });
  const required = (field: string, value: string | undefined) => blank(value) && missing(field);

  required('appealNumber', facts.appealNumber);
  if (!appealTypes.includes(facts.appealType)) invalid('appealType', 'unknown appeal type');
  required('area.city', facts.area?.city);
  required('area.district', facts.area?.district);

  const a = facts.applicant;
  if (!a) missing('applicant');
  else {
    required('applicant.name', a.name);
    required('applicant.idNumber', a.idNumber);
    required('applicant.phone', a.phone);
    required('applicant.address', a.address);
    if (a.birthDate !== undefined && !validDay(a.birthDate)) invalid('applicant.birthDate', 'must be a date YYYY-MM-DD');
  }

  const r = facts.respondent;
  if (!r) missing('respondent');
  else {
    required('respondent.name', r.name);
    if (!respondentKinds.includes(r.kind)) invalid('respondent.kind', 'unknown respondent kind');
  }

  required('facts', facts.facts);

  (facts.claims ?? []).forEach((c, i) => {
    required(`claims[${i}].description`, c.description);
    if (!validFen(c.amountFen)) invalid(`claims[${i}].amountFen`, 'must be a whole number of fen above 0');
  });
  (facts.requests ?? []).forEach((q, i) => required(`requests[${i}]`, q));
  (facts.evidence ?? []).forEach((e, i) => {
    required(`evidence[${i}].fileName`, e.fileName);
    if (!evidenceKinds.includes(e.kind)) invalid(`evidence[${i}].kind`, 'unknown evidence kind');
    if (!validDate(e.capturedAt)) invalid(`evidence[${i}].capturedAt`, 'must be a valid time');
    if (!SHA256.test(e.sha256 ?? '')) invalid(`evidence[${i}].sha256`, 'must be 64 hexadecimal characters');
  });
  (facts.officers ?? []).forEach((o, i) => {
    required(`officers[${i}].name`, o.name);
    if (!assigneeRoles.includes(o.role)) invalid(`officers[${i}].role`, 'unknown officer role');
  });
  if (!validDate(facts.dates?.filedAt)) missing('dates.filedAt');
  if (!validDate(facts.dates?.generatedAt)) missing('dates.generatedAt');

  if (document === 'arbitration_application' || document === 'mediation_application') {
    if ((facts.claims ?? []).length + (facts.requests ?? []).length === 0) missing('claims');
  }
  if (document === 'arbitration_application' && !arbitrableAppealTypes.includes(facts.appealType)) {
    problems.push({ field: 'appealType', reason: 'not_applicable', message: 'a labour-dispute arbitration commission does not hear this type of appeal' });
  }
  if (document === 'mediation_agreement') {
    const g = facts.agreement;
    if (!g) missing('agreement');
    else {
      if ((g.payments ?? []).length === 0 && (g.otherTerms ?? []).length === 0) missing('agreement.payments');
      (g.payments ?? []).forEach((p, i) => {
        required(`agreement.payments[${i}].description`, p.description);
        if (!validFen(p.amountFen)) invalid(`agreement.payments[${i}].amountFen`, 'must be a whole number of fen above 0');
        if (!validDay(p.dueDate ?? '')) invalid(`agreement.payments[${i}].dueDate`, 'must be a date YYYY-MM-DD');
      });
      required('agreement.performance', g.performance);
      required('agreement.mediatorName', g.mediatorName);
      if (!validDate(g.signedAt)) missing('agreement.signedAt');
    }
  }
  if (problems.length > 0) throw new AppealDocumentFactsError(document, problems);
}
