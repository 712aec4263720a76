// Test fixtures for the charging and merchants tests (not shipped behaviour).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { Client, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';

export const AREAS = {
  city: '3302',
  yinzhou: '330212',
  baihe: '330212011', // 白鹤街道
  baiheCommunity: '330212011001', // 丹顶鹤社区
  xiaying: '330212001', // 下应街道
} as const;

let coordinateSeq = 0;

/** A place straight into the registry's table (the registry's own rules are tested in places). */
export async function insertPlace(
  t: TestApp,
  p: { type: string; name: string; areaCode?: string; status?: string; certified?: boolean; lon?: number; lat?: number },
): Promise<string> {
  const now = t.clock.now();
  coordinateSeq += 1;
  const lon = p.lon ?? 121.56 + coordinateSeq * 0.0003;
  const lat = p.lat ?? 29.85 + coordinateSeq * 0.0002;
  const r = await sql<{ id: string }>`
    insert into places (city_code, area_code, type, name, address, lon, lat, services, status, certified, created_at, updated_at)
    values ('3302', ${p.areaCode ?? AREAS.baihe}, ${p.type}, ${p.name}, '宁波市鄞州区测试路1号', ${lon}, ${lat}, '{}'::text[], ${p.status ?? 'active'}, ${p.certified ?? false}, ${now}, ${now})
    returning id::text as id`.execute(t.services.db);
  return r.rows[0]!.id;
}

/** Whether workers see the place (the generated `listed` column) and its certified flag, read from the table. */
export async function placeFlags(t: TestApp, id: string): Promise<{ listed: boolean; certified: boolean }> {
  const r = await sql<{ listed: boolean; certified: boolean }>`select listed, certified from places where id = ${id}::bigint`.execute(t.services.db);
  return r.rows[0]!;
}

/** A staff session made directly: a Client with its cookie and CSRF token, and the principal. */
export async function staffClient(t: TestApp, role: StaffRole, areaCode: string, displayName = `${role} ${areaCode}`): Promise<{ client: Client; principal: StaffPrincipal }> {
  const username = `${role}-${crypto.randomBytes(4).toString('hex')}`;
  const principal: StaffPrincipal = { kind: 'staff', id: crypto.randomUUID(), cityCode: '3302', username, displayName, role, areaCode, departmentIds: [] };
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 3600, idleTimeoutSeconds: 1800 });
  const client = new Client(t.app);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return { client, principal };
}

export async function auditActions(t: TestApp, prefix: string): Promise<{ action: string; target_id: string | null; outcome: string; detail: Record<string, unknown> }[]> {
  const r = await sql<{ action: string; target_id: string | null; outcome: string; detail: unknown }>`
    select action, target_id, outcome, detail from audit_log where action like ${`${prefix}%`} order by id`.execute(t.services.db);
  return r.rows.map((row) => ({ ...row, detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown> }));
}
