// Test fixtures for the legal module's tests (not shipped behaviour).
import type { TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { AppealType } from '../../contracts/appeals.js';
import type { LawyerInput, QuestionAsk } from '../../contracts/legal.js';
import type { LegalService } from './legal.service.js';
import { staffAccount } from '../appeals/appeals.test-support.js';

export { verifiedWorker, setShanghai, workerClient, nextPhone, loadCity, clientFor, staffAccount, workerOf, ctx } from '../appeals/appeals.test-support.js';

export const legalOf = (t: TestApp): LegalService => t.services.legalModule.legal;

let seq = 0;
export const nextClientId = () => `q${Date.now().toString(36)}${(++seq).toString(36).padStart(4, '0')}`;

export function question(overrides: Partial<QuestionAsk> = {}): QuestionAsk {
  return {
    clientId: nextClientId(),
    type: 'wage_arrears',
    question: '站点拖欠我两个月工资，说是合作关系不算劳动关系，我该怎么办？',
    amountFen: 1_200_000,
    employer: '宁波速达劳务派遣有限公司',
    ...overrides,
  };
}

/** A lawyer account on the roster (profile set through the service by a city operator). */
export async function rosterLawyer(t: TestApp, operator: StaffPrincipal, o: Partial<LawyerInput> & { specialities?: AppealType[] } = {}): Promise<StaffPrincipal> {
  const lawyer = await staffAccount(t, 'lawyer', '3302');
  await legalOf(t).putLawyer(operator, lawyer.id, { lawFirm: '浙江甬法律师事务所', specialities: ['wage_arrears'], areas: ['330212'], active: true, maxOpen: 10, ...o }, {});
  return lawyer;
}
