// Test fixtures for the appeals module's tests (not shipped behaviour).
import crypto from 'node:crypto';
import { Client, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole, WorkerPrincipal } from '../../contracts/auth.js';
import type { AppealIntake, AppealSubmit } from '../../contracts/appeals.js';
import type { AppealsService } from './appeals.service.js';

export { verifiedWorker, setShanghai, AREAS, CITY } from '../points/points.test-support.js';
export { workerClient, nextPhone } from '../workers/workers.test-support.js';
export { loadCity } from '../reports/reports.test-support.js';

export const appealsOf = (t: TestApp): AppealsService => t.services.appealsModule.appeals;
export const workerOf = (id: string): WorkerPrincipal => ({ kind: 'worker', id, cityCode: '3302' });
export const ctx = {};

let seq = 0;
export const nextClientId = () => `a${Date.now().toString(36)}${(++seq).toString(36).padStart(4, '0')}`;

/** A real staff account (seeded through the staff service) and its principal. */
export async function staffAccount(t: TestApp, role: StaffRole, areaCode: string, departmentCodes: string[] = []): Promise<StaffPrincipal> {
  const username = `${role}-${crypto.randomBytes(4).toString('hex')}`;
  const displayName = `${role} ${areaCode}`;
  const codes = role === 'handler' && !departmentCodes.length ? ['hrss'] : departmentCodes;
  const id = await t.services.staff.seedStaff({ username, displayName, password: 'Test@Passw0rd-2026', role, areaCode, departmentCodes: codes });
  const depts = await t.services.staff.departmentsOf('3302');
  return { kind: 'staff', id, cityCode: '3302', username, displayName, role, areaCode, departmentIds: depts.filter((d) => codes.includes(d.code)).map((d) => d.id) };
}

/** A signed-in client for a staff principal (session made directly). */
export async function clientFor(t: TestApp, principal: StaffPrincipal): Promise<Client> {
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 3600, idleTimeoutSeconds: 1800 });
  const client = new Client(t.app);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return client;
}

export function wageAppeal(overrides: Partial<AppealSubmit> = {}): AppealSubmit {
  return {
    clientId: nextClientId(),
    type: 'wage_arrears',
    description: '两个月工资被拖欠，站点说公司没钱发',
    respondent: { kind: 'agency', name: '宁波速达劳务派遣有限公司' },
    amountClaimedFen: 1_200_000,
    ...overrides,
  };
}

export function hotlineAppeal(callerPhone: string, overrides: Partial<AppealIntake> = {}): AppealIntake {
  return {
    channel: 'hotline',
    callerPhone,
    callerName: '王大力',
    type: 'work_injury',
    description: '送餐途中摔伤，公司说是合作关系不给赔',
    respondent: { kind: 'company', name: '宁波快跑配送有限公司' },
    amountClaimedFen: 3_000_000,
    areaCode: '330212011',
    ...overrides,
  };
}

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
