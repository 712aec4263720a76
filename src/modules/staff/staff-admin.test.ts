import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let cityOp: Client;
let yzOp: Client; // operator of 鄞州区 (330212)
let departments: { id: string; code: string; active: boolean; staffCount: number }[];
const PASSWORD = 'Yongai2026pass';
const STREET = '330212001'; // 下应街道
const OTHER_DISTRICT = '330203'; // 海曙区

async function login(username: string, password = PASSWORD, remoteAddress = '10.1.0.1') {
  const c = new Client(t.app);
  const res = await c.request({ method: 'POST', url: '/api/staff/auth/login', payload: { username, password }, remoteAddress });
  return { c, res };
}

const deptId = (code: string) => departments.find((d) => d.code === code)!.id;

async function countStaffNamed(username: string): Promise<number> {
  return (await cityOp.get(`/api/admin/staff?q=${username}`)).json().total;
}

beforeAll(async () => {
  t = await createTestApp();
  expect(await t.services.staff.ensureDefaultDepartments('3302')).toBe(10);
  expect(await t.services.staff.ensureDefaultDepartments('3302')).toBe(0);
  const id = await t.services.staff.seedStaff({ username: 'op.city', displayName: '市社工部', password: PASSWORD, role: 'operator', areaCode: '3302' });
  expect(await t.services.staff.seedStaff({ username: 'OP.CITY', displayName: 'x', password: PASSWORD, role: 'operator', areaCode: '3302' })).toBe(id);
  await t.services.staff.seedStaff({ username: 'op.yz', displayName: '鄞州社工部', password: PASSWORD, role: 'operator', areaCode: '330212' });
  cityOp = (await login('op.city')).c;
  yzOp = (await login('op.yz')).c;
  departments = (await cityOp.get('/api/admin/departments')).json();
});
afterAll(async () => t?.close());

describe('departments', () => {
  it('lists the defaults, and operators add and edit departments', async () => {
    expect(departments.map((d) => d.code)).toContain('hrss');
    expect(departments.every((d) => d.active && d.staffCount === 0)).toBe(true);

    const created = await cityOp.post('/api/admin/departments', { code: 'fire', nameZh: '消防救援支队', nameEn: 'Fire and Rescue' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'fire', nameZh: '消防救援支队', active: true, staffCount: 0 });

    const dup = await cityOp.post('/api/admin/departments', { code: 'fire', nameZh: '消防', nameEn: 'Fire' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('departments.code_taken');

    // Departments belong to the whole city: a district operator may list them but not change them.
    const byDistrict = await yzOp.post('/api/admin/departments', { code: 'fire2', nameZh: '消防二', nameEn: 'Fire 2' });
    expect(byDistrict.statusCode).toBe(403);
    expect((await yzOp.get('/api/admin/departments')).statusCode).toBe(200);

    const bad = await cityOp.post('/api/admin/departments', { code: 'Bad Code', nameZh: '坏', nameEn: 'Bad' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['code', 'nameZh']));

    const patched = await cityOp.patch(`/api/admin/departments/${created.json().id}`, { nameEn: 'Fire Rescue', active: false });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ nameEn: 'Fire Rescue', nameZh: '消防救援支队', active: false });

    const missing = await cityOp.patch('/api/admin/departments/00000000-0000-4000-8000-000000000000', { active: true });
    expect(missing.json().code).toBe('departments.not_found');
  });
});

describe('staff accounts', () => {
  it('creates, reads, lists and edits an account inside the operator area', async () => {
    const res = await yzOp.post('/api/admin/staff', {
      username: 'Hrss.Yz',
      displayName: '鄞州人社 张三',
      password: 'Handler2026pw',
      role: 'handler',
      areaCode: '330212',
      departmentIds: [deptId('hrss')],
    });
    expect(res.statusCode).toBe(201);
    const account = res.json();
    expect(account).toMatchObject({ username: 'Hrss.Yz', role: 'handler', areaName: '鄞州区', departmentIds: [deptId('hrss')], active: true, lockedUntil: null });
    expect(Object.keys(account).sort()).toEqual(
      ['active', 'areaCode', 'areaName', 'createdAt', 'departmentIds', 'displayName', 'id', 'lastLoginAt', 'lockedUntil', 'role', 'username'].sort(),
    );

    expect((await yzOp.get(`/api/admin/staff/${account.id}`)).json()).toEqual(account);
    const list = (await yzOp.get('/api/admin/staff?q=张三')).json();
    expect(list).toMatchObject({ total: 1, page: 1, pageSize: 20, items: [{ id: account.id }] });
    expect((await yzOp.get('/api/admin/staff?role=handler&areaCode=330212')).json().total).toBe(1);
    expect((await cityOp.get('/api/admin/departments')).json().find((d: { code: string }) => d.code === 'hrss').staffCount).toBe(1);

    const taken = await cityOp.post('/api/admin/staff', { username: 'hrss.yz', displayName: 'x', password: 'Handler2026pw', role: 'reviewer', areaCode: '3302' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'staff.username_taken', errors: [{ field: 'username' }] });

    const edited = await yzOp.patch(`/api/admin/staff/${account.id}`, { displayName: '张三', departmentIds: [deptId('hrss'), deptId('justice')] });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().displayName).toBe('张三');
    expect(edited.json().departmentIds.sort()).toEqual([deptId('hrss'), deptId('justice')].sort());
  });

  it('keeps a district operator inside the district', async () => {
    const cityLevel = await yzOp.post('/api/admin/staff', { username: 'city.reviewer', displayName: '市审核', password: 'Review2026pw', role: 'reviewer', areaCode: '3302' });
    expect(cityLevel.statusCode).toBe(403);
    expect(cityLevel.json()).toMatchObject({ code: 'areas.out_of_scope' });
    const otherDistrict = await yzOp.post('/api/admin/staff', { username: 'hs.reviewer', displayName: '海曙审核', password: 'Review2026pw', role: 'reviewer', areaCode: OTHER_DISTRICT });
    expect(otherDistrict.statusCode).toBe(403);
    const noSuchArea = await yzOp.post('/api/admin/staff', { username: 'ghost.area', displayName: '无', password: 'Review2026pw', role: 'reviewer', areaCode: '330212999' });
    expect(noSuchArea.json().code).toBe('areas.not_found');

    const hs = await cityOp.post('/api/admin/staff', { username: 'hs.reviewer', displayName: '海曙审核', password: 'Review2026pw', role: 'reviewer', areaCode: OTHER_DISTRICT });
    expect(hs.statusCode).toBe(201);
    const hidden = await yzOp.get(`/api/admin/staff/${hs.json().id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('staff.not_found');
    expect((await yzOp.patch(`/api/admin/staff/${hs.json().id}`, { displayName: 'x' })).statusCode).toBe(404);
    expect((await yzOp.post(`/api/admin/staff/${hs.json().id}/unlock`)).statusCode).toBe(404);
    const opCity = (await cityOp.get('/api/admin/staff?q=op.city')).json().items[0];
    expect((await yzOp.get(`/api/admin/staff/${opCity.id}`)).statusCode).toBe(404);

    const yzList = (await yzOp.get('/api/admin/staff?pageSize=100')).json();
    expect(yzList.items.every((s: { areaCode: string }) => s.areaCode.startsWith('330212'))).toBe(true);
    expect((await yzOp.get(`/api/admin/staff?areaCode=${OTHER_DISTRICT}`)).json().total).toBe(0);
    expect((await cityOp.get(`/api/admin/staff?areaCode=${OTHER_DISTRICT}`)).json().total).toBe(1);
  });

  it('enforces role and scope rules, and bad input changes nothing', async () => {
    const base = { displayName: '规则', password: 'Rules2026pass', areaCode: '330212' };
    const retired = await inactiveDept();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ username: 'rule.h', role: 'handler' }, 'staff.invalid_role_scope', 'departmentIds'],
      [{ username: 'rule.g', role: 'grid_worker' }, 'staff.invalid_role_scope', 'areaCode'],
      [{ username: 'rule.s', role: 'scanner' }, 'staff.invalid_role_scope', 'areaCode'],
      [{ username: 'rule.r', role: 'reviewer', departmentIds: [deptId('hrss')] }, 'staff.invalid_role_scope', 'departmentIds'],
      [{ username: 'rule.f', role: 'handler', departmentIds: [retired] }, 'staff.invalid_role_scope', 'departmentIds'],
      [{ username: 'rule.w', role: 'reviewer', password: 'onlyletterspassword' }, 'staff.weak_password', 'password'],
      [{ username: 'rule.p', role: 'reviewer', password: 'short1' }, 'request.invalid', 'password'],
      [{ username: '1bad name', role: 'reviewer' }, 'request.invalid', 'username'],
      [{ username: 'rule.x', role: 'boss' }, 'request.invalid', 'role'],
    ];
    for (const [patch, code, field] of cases) {
      const res = await yzOp.post('/api/admin/staff', { ...base, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().code, JSON.stringify(patch)).toBe(code);
      expect(res.json().errors.map((e: { field: string }) => e.field), JSON.stringify(patch)).toContain(field);
    }
    expect((await cityOp.get('/api/admin/staff?q=rule')).json().total).toBe(0);

    const grid = await yzOp.post('/api/admin/staff', { ...base, username: 'rule.grid', role: 'grid_worker', areaCode: STREET });
    expect(grid.statusCode).toBe(201);
    const mediator = await yzOp.post('/api/admin/staff', { ...base, username: 'rule.med', role: 'mediator', departmentIds: [deptId('justice')] });
    expect(mediator.statusCode).toBe(201);
    // Moving the grid worker up to the district breaks the rule, and the account stays as it was.
    const moved = await yzOp.patch(`/api/admin/staff/${grid.json().id}`, { areaCode: '330212' });
    expect(moved.json().code).toBe('staff.invalid_role_scope');
    expect((await yzOp.get(`/api/admin/staff/${grid.json().id}`)).json().areaCode).toBe(STREET);
  });

  it('ends sessions on a role change and on disabling; an operator cannot disable themselves', async () => {
    const created = (await yzOp.post('/api/admin/staff', { username: 'role.change', displayName: '审核员', password: PASSWORD, role: 'reviewer', areaCode: '330212' })).json();
    const { c: user } = await login('role.change');
    expect((await user.get('/api/auth/session')).json().staff.role).toBe('reviewer');

    expect((await yzOp.patch(`/api/admin/staff/${created.id}`, { role: 'hotline_agent' })).statusCode).toBe(200);
    expect((await user.get('/api/auth/session')).json().code).toBe('auth.session_expired');
    const again = await login('role.change');
    expect(again.res.json().staff.role).toBe('hotline_agent');

    expect((await yzOp.patch(`/api/admin/staff/${created.id}`, { active: false })).json().active).toBe(false);
    expect((await again.c.get('/api/auth/session')).statusCode).toBe(401);
    const disabled = await login('role.change');
    expect(disabled.res.statusCode).toBe(403);
    expect(disabled.res.json().code).toBe('auth.account_disabled');

    const me = (await yzOp.get('/api/auth/session')).json();
    const self = await yzOp.patch(`/api/admin/staff/${me.id}`, { active: false });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('staff.cannot_disable_self');
  });

  it('resets a password and unlocks an account', async () => {
    const created = (await yzOp.post('/api/admin/staff', { username: 'locked.out', displayName: '忘记密码', password: PASSWORD, role: 'reviewer', areaCode: '330212' })).json();
    const { c: user } = await login('locked.out');
    for (let i = 0; i < 5; i++) await login('locked.out', `Wrong-${i}-password`, '10.1.0.2');
    expect((await login('locked.out')).res.statusCode).toBe(423);
    expect((await yzOp.get(`/api/admin/staff/${created.id}`)).json().lockedUntil).not.toBeNull();

    const unlocked = await yzOp.post(`/api/admin/staff/${created.id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().lockedUntil).toBeNull();
    expect((await login('locked.out')).res.statusCode).toBe(200);

    const weak = await yzOp.post(`/api/admin/staff/${created.id}/password`, { password: 'abcdefghijkl' });
    expect(weak.json()).toMatchObject({ code: 'staff.weak_password', errors: [{ field: 'password' }] });
    expect((await yzOp.post(`/api/admin/staff/${created.id}/password`, { password: 'Reset2026pass' })).statusCode).toBe(204);
    expect((await user.get('/api/auth/session')).statusCode).toBe(401);
    expect((await login('locked.out')).res.statusCode).toBe(401);
    expect((await login('locked.out', 'Reset2026pass')).res.statusCode).toBe(200);
  });

  it('is for operators only', async () => {
    await t.services.staff.seedStaff({ username: 'plain.handler', displayName: '经办', password: PASSWORD, role: 'handler', areaCode: '330212', departmentCodes: ['police'] });
    const { c: handler } = await login('plain.handler');
    expect((await handler.get('/api/admin/departments')).statusCode).toBe(200);
    for (const res of [
      await handler.get('/api/admin/staff'),
      await handler.post('/api/admin/staff', { username: 'sneaky', displayName: 'x', password: PASSWORD, role: 'operator', areaCode: '3302' }),
      await handler.post('/api/admin/departments', { code: 'sneaky', nameZh: '偷偷', nameEn: 'Sneaky' }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('auth.forbidden');
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/admin/staff' });
    expect(anonymous.statusCode).toBe(401);
    expect(await countStaffNamed('sneaky')).toBe(0);
  });

  it('creates one account when a POST is retried with the same Idempotency-Key', async () => {
    const body = { username: 'retry.me', displayName: '重试', password: PASSWORD, role: 'reviewer', areaCode: '330212' };
    const first = await yzOp.post('/api/admin/staff', body, 'create-retry-me-1');
    const second = await yzOp.post('/api/admin/staff', body, 'create-retry-me-1');
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect(await countStaffNamed('retry.me')).toBe(1);
  });

  it('audits every staff and department action', async () => {
    const rows = (await cityOp.get('/api/admin/audit?pageSize=200')).json().items as { action: string; actorLabel: string | null; outcome: string }[];
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['staff.login', 'staff.create', 'staff.update', 'staff.unlock', 'staff.password_reset', 'departments.create', 'departments.update']) {
      expect(actions, a).toContain(a);
    }
    expect(rows.find((r) => r.action === 'staff.create')!.actorLabel).toMatch(/^op\./);
    expect(JSON.stringify(rows)).not.toMatch(/Yongai2026pass|Reset2026pass|password_hash/);
  });
});

/** A department that exists but is switched off. */
async function inactiveDept(): Promise<string> {
  const res = await cityOp.post('/api/admin/departments', { code: 'retired', nameZh: '已撤销部门', nameEn: 'Retired' });
  const id = res.json().id as string;
  await cityOp.patch(`/api/admin/departments/${id}`, { active: false });
  return id;
}
