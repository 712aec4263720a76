import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';

let t: TestApp;
const staff = (role: StaffPrincipal['role'], areaCode = '3302'): StaffPrincipal => ({
  kind: 'staff', id: crypto.randomUUID(), cityCode: '3302', username: role, displayName: role, role, areaCode, departmentIds: [],
});
async function signedIn(p: StaffPrincipal): Promise<Client> {
  const s = await t.services.sessions.create(p, { lifetimeSeconds: 3600, idleTimeoutSeconds: 1800 });
  const c = new Client(t.app);
  c.cookie = `ya_sid=${s.token}`;
  c.csrf = s.csrfToken;
  return c;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('audit log', () => {
  it('lets operators page and filter the trail, newest first', async () => {
    const op = staff('operator');
    for (let i = 0; i < 3; i++) {
      await t.services.audit.record({ principal: op, ip: '10.0.0.9', requestId: `r${i}` }, { cityCode: '3302', action: 'workers.read', targetKind: 'worker', targetId: `w${i}` });
    }
    await t.services.audit.record({ principal: op }, { cityCode: '3302', action: 'staff.create', outcome: 'success', detail: { username: 'x' } });
    await t.services.audit.record({}, { cityCode: '3301', action: 'workers.read' }); // another city

    const client = await signedIn(op);
    const page = (await client.get('/api/admin/audit?pageSize=2')).json();
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ action: 'staff.create', actorKind: 'staff', actorLabel: 'operator', detail: { username: 'x' } });

    const reads = (await client.get('/api/admin/audit?action=workers.&targetId=w1')).json();
    expect(reads.items).toEqual([expect.objectContaining({ action: 'workers.read', targetId: 'w1', ip: '10.0.0.9', requestId: 'r1' })]);
  });

  it('is closed to every other role', async () => {
    for (const role of ['reviewer', 'handler', 'hotline_agent', 'scanner'] as const) {
      const res = await (await signedIn(staff(role))).get('/api/admin/audit');
      expect(res.statusCode, role).toBe(403);
      expect(res.json().code).toBe('auth.forbidden');
    }
    expect((await t.app.inject('/api/admin/audit')).statusCode).toBe(401);
  });
});
