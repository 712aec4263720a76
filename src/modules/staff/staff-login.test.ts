import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { passwordWeakness } from './password.js';

let t: TestApp;
const PASSWORD = 'Yongai2026pass';

async function login(username: string, password: string, remoteAddress?: string) {
  const c = new Client(t.app);
  const res = await c.request({ method: 'POST', url: '/api/staff/auth/login', payload: { username, password }, remoteAddress });
  return { c, res };
}

async function auditRows(action: string) {
  const op = (await login('op.city', PASSWORD, '10.0.0.250')).c;
  return (await op.get(`/api/admin/audit?action=${action}&pageSize=200`)).json().items as {
    outcome: string;
    actorId: string | null;
    detail: Record<string, unknown>;
  }[];
}

beforeAll(async () => {
  t = await createTestApp();
  await t.services.staff.ensureDefaultDepartments('3302');
  await t.services.staff.seedStaff({ username: 'op.city', displayName: '市级管理员', password: PASSWORD, role: 'operator', areaCode: '3302' });
  await t.services.staff.seedStaff({
    username: 'Handler.Yz',
    displayName: '鄞州人社',
    password: PASSWORD,
    role: 'handler',
    areaCode: '330212',
    departmentCodes: ['hrss'],
  });
});
afterAll(async () => t?.close());

describe('password policy', () => {
  it('wants at least 10 characters with letters and digits', () => {
    expect(passwordWeakness('short1a')).toMatch(/10 characters/);
    expect(passwordWeakness('onlyletters')).toMatch(/digit/);
    expect(passwordWeakness('1234567890')).toMatch(/letter/);
    expect(passwordWeakness('letters4and2digits')).toBeUndefined();
    expect(passwordWeakness('宁波甬爱城市服务平台2026')).toBeUndefined();
  });
});

describe('staff log-in', () => {
  it('signs in, sets the session cookie and shows role and area in the session', async () => {
    const { c, res } = await login('handler.yz', PASSWORD); // usernames are case-insensitive
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      kind: 'staff',
      idleTimeoutSeconds: 30 * 60,
      staff: { username: 'Handler.Yz', role: 'handler', areaCode: '330212', areaName: '鄞州区' },
    });
    expect(body.staff.departmentIds).toHaveLength(1);
    expect(JSON.stringify(body)).not.toMatch(/hash/i);
    const cookie = res.cookies.find((k) => k.name === 'ya_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');

    const session = await c.get('/api/auth/session');
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ kind: 'staff', csrfToken: body.csrfToken, staff: { role: 'handler', areaName: '鄞州区' } });

    // Signing in again on the same device ends the session it held.
    const oldCookie = c.cookie!;
    expect((await c.post('/api/staff/auth/login', { username: 'handler.yz', password: PASSWORD })).statusCode).toBe(200);
    expect(c.cookie).not.toBe(oldCookie);
    const stale = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: oldCookie } });
    expect(stale.json().code).toBe('auth.session_expired');
  });

  it('lets the scanner role sign in through the same endpoint', async () => {
    await t.services.staff.seedStaff({ username: 'scan.gate', displayName: '门岗', password: PASSWORD, role: 'scanner', areaCode: '330212001' });
    const { res } = await login('scan.gate', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().staff).toMatchObject({ role: 'scanner', areaCode: '330212001', areaName: '下应街道' });
  });

  it('refuses a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await login('handler.yz', 'Wrong-password-1');
    const unknown = await login('nobody.here', 'Wrong-password-1');
    for (const res of [wrong.res, unknown.res]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'auth.invalid_credentials', detail: 'Wrong username or password' });
      expect(res.cookies.find((k) => k.name === 'ya_sid')).toBeUndefined();
    }
    const rows = await auditRows('staff.login');
    expect(rows.some((r) => r.outcome === 'failure' && r.detail.reason === 'wrong_password')).toBe(true);
    expect(rows.some((r) => r.outcome === 'success' && r.detail.username === 'handler.yz')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('Wrong-password-1');
  });

  it('locks the account after 5 failures, even for the right password, until 15 minutes pass', async () => {
    await t.services.staff.seedStaff({ username: 'lock.me', displayName: '锁定', password: PASSWORD, role: 'reviewer', areaCode: '330212' });
    const ip = '10.0.0.5';
    for (let i = 1; i <= 4; i++) expect((await login('lock.me', `Wrong-pass-${i}`, ip)).res.statusCode).toBe(401);
    const fifth = (await login('lock.me', 'Wrong-pass-5', ip)).res;
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('auth.account_locked');

    const locked = (await login('lock.me', PASSWORD, ip)).res;
    expect(locked.statusCode).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);

    t.clock.advance(14 * 60_000);
    expect((await login('lock.me', PASSWORD, ip)).res.statusCode).toBe(423);
    t.clock.advance(60_000 + 1000);
    expect((await login('lock.me', PASSWORD, ip)).res.statusCode).toBe(200);

    // Success reset the counter: one more failure does not lock again.
    expect((await login('lock.me', 'Wrong-pass-6', ip)).res.statusCode).toBe(401);
    expect((await login('lock.me', PASSWORD, ip)).res.statusCode).toBe(200);
  });

  it('ends a staff session after 30 idle minutes', async () => {
    const { c } = await login('op.city', PASSWORD);
    t.clock.advance(29 * 60_000);
    expect((await c.get('/api/auth/session')).statusCode).toBe(200); // activity keeps it alive
    t.clock.advance(29 * 60_000);
    expect((await c.get('/api/admin/departments')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const res = await c.get('/api/admin/departments');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.session_expired');
  });

  it('refuses a state-changing request without the CSRF header', async () => {
    const { c } = await login('op.city', PASSWORD);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/departments',
      headers: { cookie: c.cookie! },
      payload: { code: 'csrf_test', nameZh: '测试部门', nameEn: 'Test' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('request.csrf_failed');
    expect((await c.get('/api/admin/departments')).json().some((d: { code: string }) => d.code === 'csrf_test')).toBe(false);
  });

  it('changes the own password and ends the other sessions', async () => {
    await t.services.staff.seedStaff({ username: 'pw.change', displayName: '改密', password: PASSWORD, role: 'hotline_agent', areaCode: '3302' });
    const ip = '10.0.0.6';
    const phone = (await login('pw.change', PASSWORD, ip)).c;
    const desk = (await login('pw.change', PASSWORD, ip)).c;

    const weak = await desk.post('/api/staff/me/password', { currentPassword: PASSWORD, newPassword: 'nodigitshere' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'staff.weak_password', errors: [{ field: 'newPassword' }] });
    const wrong = await desk.post('/api/staff/me/password', { currentPassword: 'not-it-123', newPassword: 'NewPassw0rd2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'staff.wrong_password', errors: [{ field: 'currentPassword' }] });

    const ok = await desk.post('/api/staff/me/password', { currentPassword: PASSWORD, newPassword: 'NewPassw0rd2026' });
    expect(ok.statusCode).toBe(204);
    expect((await desk.get('/api/auth/session')).statusCode).toBe(200); // renewed for this device
    expect((await phone.get('/api/auth/session')).json().code).toBe('auth.session_expired');
    expect((await login('pw.change', PASSWORD, ip)).res.statusCode).toBe(401);
    expect((await login('pw.change', 'NewPassw0rd2026', ip)).res.statusCode).toBe(200);
  });

  it('rate-limits log-in attempts per IP', async () => {
    const ip = '10.0.0.99';
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await login('nobody', 'whatever', ip)).res.statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes[20]).toBe(429);
    expect((await login('op.city', PASSWORD, '10.0.0.100')).res.statusCode).toBe(200);
  });
});
