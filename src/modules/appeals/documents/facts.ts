import type { AppealType, AssigneeRole, EvidenceKind, RespondentKind } from '../../../contracts/appeals.js';

/**
 * What the appeal documents are made from: plain data the appeals module assembles from an appeal,
 * its evidence locker and its mediation record. Nothing here reads the database; personal data is
 * printed exactly as given (pass the ID number masked or in full, as the reader may see it).
 *
 * The enumerations are the appeal contract's own (src/contracts/appeals.ts), so an appeal's values
 * pass straight through; the Chinese label maps (common.ts) are keyed by them, so a value added to
 * the contract fails type-checking there until it has its wording.
 */
export type { AppealType, AssigneeRole, EvidenceKind, RespondentKind };

/** Appeal types a labour-dispute arbitration commission hears (劳动争议调解仲裁法 第二条). */
export const arbitrableAppealTypes: readonly AppealType[] = ['wage_arrears', 'work_injury', 'labour_relation', 'social_insurance'];

export interface DocumentApplicant {
  name: string;
  /** As it may be shown: full, or masked by src/shared/mask.ts. */
  idNumber: string;
  phone: string;
  /** 住所 / 经常居住地. */
  address: string;
  gender?: 'male' | 'female';
  /** 'YYYY-MM-DD'. */
  birthDate?: string;
  /** 民族, e.g. '汉族'. */
  ethnicity?: string;
  /** 户籍所在地. */
  household?: string;
  /** 工作单位 (platform, agency or station the worker rides for). */
  employer?: string;
  /** 职业 / 岗位, e.g. '外卖骑手'. */
  occupation?: string;
}

export interface DocumentRespondent {
  kind: RespondentKind;
  name: string;
  /** 统一社会信用代码, for an organisation. */
  uscc?: string;
  /** 法定代表人或主要负责人. */
  legalRepresentative?: string;
  address?: string;
  phone?: string;
}

export interface ClaimItem {
  /** What is claimed, written to follow "支付申请人…": '2026年9月至10月工资'. */
  description: string;
  /** Integer fen, > 0. */
  amountFen: number;
}

export interface EvidenceItem {
  fileName: string;
  kind: EvidenceKind;
  /** When the file was made or taken (shown in Shanghai time). */
  capturedAt: Date;
  /** Hex SHA-256 of the file's bytes (64 characters). */
  sha256: string;
  /** What it proves (证明内容), optional. */
  description?: string;
}

export interface DocumentOfficer {
  role: AssigneeRole;
  name: string;
  organisation?: string;
  phone?: string;
}

export interface AgreedPayment {
  /** What is paid, written to follow "向甲方支付…": '2026年9月至10月工资'. */
  description: string;
  /** Integer fen, > 0. */
  amountFen: number;
  /** Last day to pay, 'YYYY-MM-DD'. */
  dueDate: string;
}

export interface MediationAgreementFacts {
  /** 协议书编号 (defaults to the document number). */
  number?: string;
  /** 纠纷主要事实、争议事项 (defaults to the appeal's facts). */
  disputeSummary?: string;
  /** 各方当事人的责任, optional. */
  responsibilities?: string;
  payments: AgreedPayment[];
  /** 履行方式、地点, e.g. '乙方以银行转账方式支付至甲方本人银行账户'. */
  performance: string;
  /** Further agreed terms, each one sentence. */
  otherTerms?: string[];
  mediatorName: string;
  recorderName?: string;
  signedAt: Date;
  place?: string;
}

export interface AppealDocumentFacts {
  /** The appeal's number; the documents' numbers are made from it. */
  appealNumber: string;
  appealType: AppealType;
  area: { city: string; district: string; street?: string };
  applicant: DocumentApplicant;
  respondent: DocumentRespondent;
  /** What happened, in the applicant's words (line breaks start new paragraphs). */
  facts: string;
  /** Amounts claimed. */
  claims: ClaimItem[];
  /** Requests without an amount, e.g. '确认申请人与被申请人自2025年3月起存在劳动关系'. */
  requests?: string[];
  evidence: EvidenceItem[];
  /** The "1+2+3" people and collaborators on the appeal. */
  officers: DocumentOfficer[];
  dates: {
    filedAt: Date;
    /** When the document is generated: printed where a date is due and stored as the file's date. */
    generatedAt: Date;
    incidentAt?: Date;
  };
  /** Receiving institutions; each defaults to the district's (e.g. 宁波市鄞州区劳动人事争议仲裁委员会). */
  institutions?: { legalAidCentre?: string; arbitrationCommission?: string; mediationCommittee?: string };
  legalAid?: {
    /** 申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员: exempt from the means test (法律援助法 第四十二条). */
    migrantWorkerExemption?: boolean;
  };
  /** Needed for the mediation agreement only. */
  agreement?: MediationAgreementFacts;
}
