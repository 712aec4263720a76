// Test fixtures for the reports module's tests (not shipped behaviour).
import crypto from 'node:crypto';
import sharp from 'sharp';
import { sql } from 'kysely';
import { Client, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole, WorkerPrincipal } from '../../contracts/auth.js';
import type { ReportSubmit } from '../../contracts/reports.js';

export { insertPlace, auditActions } from '../charging/charging.test-support.js';
export { verifiedWorker, setShanghai, AREAS, CITY } from '../points/points.test-support.js';
export { workerClient, nextPhone } from '../workers/workers.test-support.js';

/** Near 白鹤街道, 鄞州区 (WGS-84). */
export const BAIHE = { lon: 121.575, lat: 29.862 } as const;

export const workerOf = (id: string): WorkerPrincipal => ({ kind: 'worker', id, cityCode: '3302' });

/** A JPEG of seeded noise: different seeds give perceptually different photos. `gps` adds EXIF with a GPS position. */
export async function testImage(seed: number, opts: { gps?: boolean; width?: number; height?: number } = {}): Promise<Buffer> {
  const width = opts.width ?? 96;
  const height = opts.height ?? 72;
  let s = (seed * 2654435761) >>> 0 || 1;
  const raw = Buffer.alloc(width * height * 3);
  // coarse 8×8 blocks so the perceptual hash sees structure, not only noise
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      s = (s * 1103515245 + 12345) >>> 0;
      const v = s >>> 24;
      for (let y = by; y < Math.min(by + 8, height); y++) for (let x = bx; x < Math.min(bx + 8, width); x++) raw.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  let img = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 });
  if (opts.gps) img = img.withExif({ IFD0: { Make: 'TestPhone', Model: 'GPS 1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 51/1 43/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 34/1 30/1' } });
  return img.toBuffer();
}

let clientSeq = 0;
export const nextClientId = () => `c${Date.now().toString(36)}${(++clientSeq).toString(36).padStart(4, '0')}`;

/** A valid submission at 白鹤 (photoIds to fill in). */
export function submission(photoIds: string[], overrides: Partial<ReportSubmit> = {}): ReportSubmit {
  return { clientId: nextClientId(), category: 'flooding', lon: BAIHE.lon, lat: BAIHE.lat, accuracyM: 12, locationSource: 'device', description: '地下通道积水过膝', tags: ['积水过膝'], photoIds, ...overrides };
}

/** A staff session with departments (handlers), made directly. */
export async function staffSession(t: TestApp, role: StaffRole, areaCode: string, departmentIds: string[] = []): Promise<{ client: Client; principal: StaffPrincipal }> {
  const username = `${role}-${crypto.randomBytes(4).toString('hex')}`;
  const principal: StaffPrincipal = { kind: 'staff', id: crypto.randomUUID(), cityCode: '3302', username, displayName: `${role} ${areaCode}`, role, areaCode, departmentIds };
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 3600, idleTimeoutSeconds: 1800 });
  const client = new Client(t.app);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return { client, principal };
}

/** Areas and the default departments of 宁波, as the demo seed loads them. */
export async function loadCity(t: TestApp): Promise<{ departments: { id: string; code: string; nameZh: string }[] }> {
  await t.services.areas.ensureCity('3302');
  await t.services.staff.ensureDefaultDepartments('3302');
  return { departments: await t.services.staff.departmentsOf('3302') };
}

/** Moves a report along by hand (the workflow's job in real life), for capture's views and lists. */
export async function setReport(t: TestApp, id: string, set: { status?: string; outcome?: string | null; department_id?: string | null; deadline_at?: Date | null; closed_at?: Date | null; feedback_deadline?: Date | null; flags?: string[] }): Promise<void> {
  const parts = Object.entries(set).map(([k, v]) => (k === 'flags' ? sql`${sql.ref(k)} = ${v}::text[]` : sql`${sql.ref(k)} = ${v}`));
  await sql`update reports set ${sql.join(parts)} where id = ${id}`.execute(t.services.db);
}
