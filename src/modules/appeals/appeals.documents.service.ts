import type { AppealView, AppealType, EvidenceKind } from '../../contracts/appeals.js';
import type { Principal, StaffPrincipal, WorkerPrincipal } from '../../contracts/auth.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { maskIdNumber } from '../../shared/mask.js';
import type { AuditContext } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { WorkersService } from '../workers/workers.service.js';
import type { AppealsService } from './appeals.service.js';
import { AppealDocumentFactsError, renderAppealDocument, type AppealDocument, type AppealDocumentFacts, type AppealDocumentKind } from './documents/index.js';

/** Printed where a fact is not on record, for the applicant to write in by hand. */
const BLANK = '＿＿＿＿＿＿＿＿＿＿＿＿';

/** What the application asks for, per type, when the appeal names an amount ("支付申请人…"). */
const CLAIM_TEXT: Record<AppealType, string> = {
  wage_arrears: '拖欠的劳动报酬',
  work_injury: '工伤医疗费用及相关待遇',
  labour_relation: '经济补偿',
  social_insurance: '应缴未缴的社会保险费用及相应损失',
  traffic_compensation: '交通事故人身损害赔偿',
  predatory_rental: '多收取的租金、押金及违约金',
  housing: '相关费用',
  household_registration: '相关费用',
  legal_question: '相关款项',
  other: '相关款项',
};

/** A request without an amount, per type. */
const REQUEST_TEXT: Record<AppealType, string> = {
  wage_arrears: '依法支付申请人被拖欠的劳动报酬',
  work_injury: '依法确认申请人所受伤害为工伤并落实工伤保险待遇',
  labour_relation: '依法确认申请人与被申请人之间存在劳动关系',
  social_insurance: '依法为申请人补缴社会保险',
  traffic_compensation: '依法赔偿申请人因交通事故所受损失',
  predatory_rental: '依法解除租赁合同并退还押金',
  housing: '依法协调解决申请人的住房问题',
  household_registration: '依法协调办理申请人的户籍事宜',
  legal_question: '依法给予法律帮助',
  other: '依法处理申请人的诉求',
};

const EVIDENCE_NAME: Record<EvidenceKind, string> = {
  screenshot: '截图',
  photo: '照片',
  schedule: '排班记录',
  attendance: '考勤记录',
  contract: '合同',
  payslip: '工资条',
  document: '书面材料',
  other: '其他材料',
};

const OCCUPATION: Record<string, string> = { food_delivery: '外卖骑手', express_courier: '快递员', ride_hailing: '网约车司机', truck_driver: '货车司机', live_streamer: '网络主播' };

export interface AppealDocumentsDeps {
  clock: Clock;
  appeals: Pick<AppealsService, 'documentFacts' | 'workerView' | 'staffView'>;
  workers: Pick<WorkersService, 'identityInClear'>;
  areas: Pick<AreasService, 'path'>;
}

/**
 * The printable applications of an appeal (法律援助申请表, 仲裁申请书, 人民调解申请书, 人民调解协议书),
 * filled from the appeal, its evidence locker and its mediation record. The worker's own copy carries
 * their ID number in full; a staff copy carries it masked. Facts not on record (an address, a hotline
 * caller's ID number) are printed as blanks to complete by hand.
 */
export function createAppealDocumentsService(deps: AppealDocumentsDeps) {
  const { clock, appeals, workers, areas } = deps;

  async function areaNames(areaCode: string): Promise<{ city: string; district: string; street?: string; path: string }> {
    const chain = await areas.path(areaCode).catch(() => []);
    const at = (length: number) => chain.find((a) => a.code.length === length)?.name;
    return { city: at(4) ?? BLANK, district: at(6) ?? BLANK, street: at(9), path: chain.map((a) => a.name).join('') };
  }

  async function factsOf(p: Principal, id: string, input: { address?: string }, ctx: AuditContext): Promise<AppealDocumentFacts> {
    const f = await appeals.documentFacts(p, id, ctx);
    const view: AppealView = p.kind === 'worker' ? await appeals.workerView(p as WorkerPrincipal, id) : await appeals.staffView(p as StaffPrincipal, id, ctx);
    const own = p.kind === 'worker' && f.applicant.workerId === p.id;
    const identity = f.applicant.workerId ? await workers.identityInClear(f.applicant.workerId) : undefined;
    const idNumber = identity?.idNumber ? (own ? identity.idNumber : maskIdNumber(identity.idNumber)) : BLANK;
    const area = await areaNames(f.areaCode);
    const mediator = view.assignees.find((a) => a.role === 'mediator') ?? view.assignees[0];
    const facts: AppealDocumentFacts = {
      appealNumber: f.code,
      appealType: f.type as AppealType,
      area: { city: area.city, district: area.district, street: area.street },
      applicant: {
        name: identity?.name ?? f.applicant.name ?? BLANK,
        idNumber,
        phone: identity?.phone ?? f.applicant.phone ?? BLANK,
        address: input.address?.trim() || BLANK,
        employer: f.respondent.kind === 'platform' || f.respondent.kind === 'station' ? f.respondent.name : undefined,
        occupation: f.applicant.industry ? (OCCUPATION[f.applicant.industry] ?? undefined) : undefined,
      },
      respondent: { kind: f.respondent.kind as AppealDocumentFacts['respondent']['kind'], name: f.respondent.name, uscc: f.respondent.uscc ?? undefined },
      facts: f.description,
      claims: f.amountClaimedFen > 0 ? [{ description: CLAIM_TEXT[f.type as AppealType], amountFen: f.amountClaimedFen }] : [],
      requests: f.amountClaimedFen > 0 ? [] : [REQUEST_TEXT[f.type as AppealType]],
      evidence: f.evidence.map((e, i) => ({
        fileName: `证据${i + 1}（${EVIDENCE_NAME[e.kind as EvidenceKind] ?? EVIDENCE_NAME.other}）`,
        kind: e.kind as EvidenceKind,
        capturedAt: new Date(e.takenAt ?? e.uploadedAt),
        sha256: e.sha256,
        description: e.note || undefined,
      })),
      officers: view.assignees.map((a) => ({ role: a.role as AppealDocumentFacts['officers'][number]['role'], name: a.displayName })),
      dates: { filedAt: new Date(f.submittedAt), generatedAt: clock.now() },
      legalAid: { migrantWorkerExemption: f.type === 'wage_arrears' || f.type === 'work_injury' },
    };
    const agreement = f.mediation.agreement;
    if (agreement) {
      facts.agreement = {
        payments: agreement.instalments.map((x, i) => ({ description: agreement.instalments.length > 1 ? `${CLAIM_TEXT[facts.appealType]}（第${i + 1}期）` : CLAIM_TEXT[facts.appealType], amountFen: x.amountFen, dueDate: x.dueDate })),
        performance: agreement.terms?.trim() || '以银行转账方式支付至申请人本人银行账户',
        mediatorName: mediator?.displayName ?? BLANK,
        signedAt: new Date(`${agreement.signedOn}T12:00:00+08:00`),
        place: area.path || undefined,
      };
    }
    return facts;
  }

  return {
    /** One document of an appeal, for a reader who may see the appeal (others get 404 from documentFacts). */
    async render(p: Principal, id: string, kind: AppealDocumentKind, input: { address?: string }, ctx: AuditContext): Promise<AppealDocument> {
      const facts = await factsOf(p, id, input, ctx);
      try {
        return await renderAppealDocument(kind, facts);
      } catch (e) {
        if (e instanceof AppealDocumentFactsError) {
          const notApplicable = e.problems.some((x) => x.reason === 'not_applicable');
          throw new AppError(
            'appeals.document_unavailable',
            notApplicable ? 'This document does not apply to this kind of appeal' : 'The appeal lacks facts this document needs',
            { errors: e.toFieldErrors() },
          );
        }
        throw e;
      }
    },
  };
}
export type AppealDocumentsService = ReturnType<typeof createAppealDocumentsService>;
