import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { sql } from 'kysely';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import { grantsFor, type PassPolicyRule } from '../../contracts/pass.js';
import { authPlugin } from '../../server/plugins/auth.js';
import { errorsPlugin } from '../../server/plugins/errors.js';
import { AREAS, auditActions, insertPlace } from '../charging/charging.test-support.js';
import { nextIdNumber, nextPhone } from '../workers/workers.test-support.js';
import { passScansRoutes } from './pass.scans.routes.js';
import { createPassScansService, defaultPolicy, type PassScansService, type PassStaffDirectory } from './pass.scans.service.js';

// ---------------------------------------------------------------- fixture (as in pass.scans.test.ts)

let t: TestApp;
let api: FastifyInstance;
let ownApi: FastifyInstance | undefined;

function staffDirectory(): PassStaffDirectory {
  const staff = t.services.staff as unknown as Partial<PassStaffDirectory>;
  if (typeof staff.scannerAccounts === 'function') return t.services.staff as unknown as PassStaffDirectory;
  const lister: StaffPrincipal = { kind: 'staff', id: crypto.randomUUID(), cityCode: '3302', username: 'fixture', displayName: 'fixture', role: 'operator', areaCode: '3302', departmentIds: [] };
  return {
    getStaffNames: (ids) => t.services.staff.getStaffNames(ids),
    async scannerAccounts(cityCode, areaPrefix) {
      const page = await t.services.staff.listStaff({ ...lister, cityCode, areaCode: cityCode }, { role: 'scanner', areaCode: areaPrefix, page: 1, pageSize: 100 });
      return page.items.map((a) => ({ id: a.id, username: a.username, displayName: a.displayName, areaCode: a.areaCode, active: a.active }));
    },
  };
}

async function serve(service: PassScansService): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: true } } });
  await app.register(errorsPlugin);
  await app.register(cookie);
  await app.register(authPlugin, { sessions: t.services.sessions });
  await app.register(passScansRoutes, { prefix: '/api', services: { passScans: service } });
  await app.ready();
  return app;
}

async function staffAs(role: StaffRole, areaCode: string, opts: { id?: string; displayName?: string } = {}): Promise<Client & { principal: StaffPrincipal }> {
  const principal: StaffPrincipal = {
    kind: 'staff',
    id: opts.id ?? crypto.randomUUID(),
    cityCode: '3302',
    username: `${role}-${crypto.randomBytes(4).toString('hex')}`,
    displayName: opts.displayName ?? `${role} ${areaCode}`,
    role,
    areaCode,
    departmentIds: [],
  };
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 86400, idleTimeoutSeconds: null });
  const client = new Client(api);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return Object.assign(client, { principal });
}

async function scannerAccount(areaCode: string, displayName: string) {
  const id = await t.services.staff.seedStaff({ username: `scan${crypto.randomBytes(4).toString('hex')}`, displayName, password: 'Scanner@2026x', role: 'scanner', areaCode });
  return staffAs('scanner', areaCode, { id, displayName });
}

async function passToken(industry: 'food_delivery' | 'express_courier' = 'food_delivery'): Promise<string> {
  const { id } = await t.services.workers.seedWorker({ phone: nextPhone(), name: '李小华', idNumber: nextIdNumber(), industry, platform: '顺丰', areaCode: AREAS.baihe, status: 'approved' });
  return (await t.services.pass.myPass(id)).tokens[0].token;
}

const put = (c: Client, url: string, payload: unknown) => c.request({ method: 'PUT', url, payload: payload as Record<string, unknown> });
const verify = (c: Client, token: string, placeId: string) => c.post('/api/scanner/verify', { token, placeId, eventId: crypto.randomUUID() });

let operator: Awaited<ReturnType<typeof staffAs>>;
let handler: Awaited<ReturnType<typeof staffAs>>;
let otherHandler: Awaited<ReturnType<typeof staffAs>>;

beforeAll(async () => {
  t = await createTestApp();
  await t.services.pass.ensureKeys('3302');
  const wired = (t.services as unknown as { passScans?: PassScansService }).passScans;
  const s = t.services;
  const scans = wired ?? createPassScansService({ db: s.db, clock: t.clock, audit: s.audit, areas: s.areas, places: s.places, workers: s.workers, staff: staffDirectory(), pass: s.pass });
  if (wired) api = t.app;
  else api = ownApi = await serve(scans);
  operator = await staffAs('operator', AREAS.city);
  handler = await staffAs('handler', AREAS.baihe, { displayName: '白鹤街道 陈科长' });
  otherHandler = await staffAs('handler', AREAS.xiaying);
});
afterAll(async () => {
  await ownApi?.close();
  await t?.close();
});

describe('default policies', () => {
  it('follow the place type, for every industry at level 1', () => {
    const grants = (type: string) => defaultPolicy(type).map((r) => r.grant);
    expect(grants('station')).toEqual(['checkin']);
    expect(grants('compound')).toEqual(['entry']);
    expect(grants('building')).toEqual(['elevator', 'entry']);
    expect(grants('merchant')).toEqual(['discount', 'reward_pickup']);
    expect(grants('canteen')).toEqual(['discount']);
    for (const other of ['charging', 'hospital', 'school', 'market', 'service_centre']) expect(grants(other)).toEqual(['checkin']);
    for (const type of ['station', 'compound', 'building', 'merchant', 'canteen', 'charging']) {
      for (const r of defaultPolicy(type)) expect(r).toMatchObject({ industries: [], minLevel: 1 });
    }
    expect(grantsFor(defaultPolicy('building'), { industry: null, level: 1, platform: 'other' })).toEqual(['elevator', 'entry']);
  });

  it('apply to places without a policy of their own (admin view, scanner context and verification)', async () => {
    const places = {
      station: await insertPlace(t, { type: 'station', name: '默认驿站' }),
      compound: await insertPlace(t, { type: 'compound', name: '默认小区' }),
      building: await insertPlace(t, { type: 'building', name: '默认楼宇' }),
      merchant: await insertPlace(t, { type: 'merchant', name: '默认商家', certified: true }),
      canteen: await insertPlace(t, { type: 'canteen', name: '默认食堂' }),
      charging: await insertPlace(t, { type: 'charging', name: '默认充电站' }),
    };
    for (const [type, id] of Object.entries(places)) {
      const res = await handler.get(`/api/admin/places/${id}/pass-policy`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ placeId: id, rules: defaultPolicy(type), isDefault: true });
    }
    const token = await passToken();
    for (const [type, id] of Object.entries(places)) {
      const r = (await verify(handler, token, id)).json();
      expect(r.verdict, `${type}: ${JSON.stringify(r)}`).toBe('green');
      expect(r.grants).toEqual(defaultPolicy(type).map((x) => x.grant));
    }
    const scanner = await scannerAccount(AREAS.baihe, '驿站 张站长');
    await put(handler, `/api/admin/pass/scanners/${scanner.principal.id}`, { placeIds: [places.building, places.station] });
    const ctx = (await scanner.get('/api/scanner/context')).json();
    expect(ctx.places.map((p: { id: string }) => p.id)).toEqual([places.building, places.station].sort((a, b) => Number(a) - Number(b)));
    expect(ctx.places.find((p: { id: string }) => p.id === places.building)).toMatchObject({ name: '默认楼宇', type: 'building', areaName: '白鹤街道', policy: defaultPolicy('building') });
    expect(typeof ctx.serverTime).toBe('string');
  });

  it('unknown places are 404', async () => {
    expect((await handler.get('/api/admin/places/987654321/pass-policy')).json().code).toBe('places.not_found');
    expect((await handler.get('/api/admin/places/abc/pass-policy')).statusCode).toBe(400);
  });
});

describe('editing a place policy', () => {
  const courierOnlyLevel2: PassPolicyRule[] = [
    { grant: 'elevator', industries: ['express_courier'], minLevel: 1, note: ' 3号楼货梯 7:00–22:00 ' },
    { grant: 'entry', industries: [], minLevel: 2, note: '' },
  ];

  it('operators and handlers in scope set rules; they decide what a scan grants; every change is audited', async () => {
    const building = await insertPlace(t, { type: 'building', name: '白鹤商务中心' });
    const res = await put(handler, `/api/admin/places/${building}/pass-policy`, { rules: courierOnlyLevel2 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      placeId: building,
      isDefault: false,
      rules: [
        { grant: 'elevator', industries: ['express_courier'], minLevel: 1, note: '3号楼货梯 7:00–22:00' },
        { grant: 'entry', industries: [], minLevel: 2, note: null },
      ],
    });
    expect((await operator.get(`/api/admin/places/${building}/pass-policy`)).json().isDefault).toBe(false);

    // a food-delivery rider at level 1 gets nothing here: red not_granted; a courier gets the elevator only
    const rider = await passToken('food_delivery');
    expect((await verify(handler, rider, building)).json()).toMatchObject({ verdict: 'red', reason: 'not_granted', grants: [], nameMasked: null });
    const courier = await passToken('express_courier');
    expect((await verify(handler, courier, building)).json()).toMatchObject({ verdict: 'green', grants: ['elevator'], industry: 'express_courier', platform: 'sf' });

    const audited = (await auditActions(t, 'pass.policy.update')).filter((a) => a.target_id === building);
    expect(audited).toHaveLength(1);
    expect(audited[0].detail).toMatchObject({ from: 'default' });

    // the operator (city scope) changes it again: the audit keeps the previous rules
    const again = await put(operator, `/api/admin/places/${building}/pass-policy`, { rules: [{ grant: 'entry', industries: [], minLevel: 1 }] });
    expect(again.json().rules).toEqual([{ grant: 'entry', industries: [], minLevel: 1, note: null }]);
    const second = (await auditActions(t, 'pass.policy.update')).filter((a) => a.target_id === building)[1];
    expect(second.detail.from).toEqual([
      { grant: 'elevator', industries: ['express_courier'], minLevel: 1, note: '3号楼货梯 7:00–22:00' },
      { grant: 'entry', industries: [], minLevel: 2, note: null },
    ]);
    expect((await verify(handler, rider, building)).json()).toMatchObject({ verdict: 'green', grants: ['entry'] });

    // an empty policy grants nothing at all
    await put(operator, `/api/admin/places/${building}/pass-policy`, { rules: [] });
    expect((await verify(handler, courier, building)).json()).toMatchObject({ verdict: 'red', reason: 'not_granted' });
  });

  it('is refused outside the caller’s area or role, and for bad rules, changing nothing', async () => {
    const compound = await insertPlace(t, { type: 'compound', name: '白鹤一区' });
    const rules = [{ grant: 'entry', industries: [], minLevel: 1 }];
    const out = await put(otherHandler, `/api/admin/places/${compound}/pass-policy`, { rules });
    expect(out.statusCode).toBe(403);
    expect(out.json().code).toBe('areas.out_of_scope');
    expect((await otherHandler.get(`/api/admin/places/${compound}/pass-policy`)).json().code).toBe('areas.out_of_scope');
    for (const role of ['grid_worker', 'scanner', 'reviewer'] as const) {
      const c = await staffAs(role, AREAS.baihe);
      const r = await put(c, `/api/admin/places/${compound}/pass-policy`, { rules });
      expect(r.statusCode, role).toBe(403);
      expect(r.json().code).toBe('auth.forbidden');
    }
    // a grid worker may read it
    expect((await (await staffAs('grid_worker', AREAS.baiheCommunity)).get(`/api/admin/places/${compound}/pass-policy`)).statusCode).toBe(403); // community scope, place in the street
    expect((await (await staffAs('grid_worker', AREAS.baihe)).get(`/api/admin/places/${compound}/pass-policy`)).statusCode).toBe(200);

    for (const bad of [
      { rules: [{ grant: 'teleport', industries: [], minLevel: 1 }] },
      { rules: [{ grant: 'entry', industries: ['astronaut'], minLevel: 1 }] },
      { rules: [{ grant: 'entry', industries: [], minLevel: 3 }] },
      { rules: [{ grant: 'entry', industries: [], minLevel: 1, note: 'x'.repeat(101) }] },
      { rules: Array.from({ length: 21 }, () => ({ grant: 'entry', industries: [], minLevel: 1 })) },
      {},
    ]) {
      const r = await put(handler, `/api/admin/places/${compound}/pass-policy`, bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect(await sql<{ n: number }>`select count(*)::int as n from pass_policies where place_id = ${compound}::bigint`.execute(t.services.db).then((r) => r.rows[0].n)).toBe(0);
  });
});

describe('scanner accounts bound to places', () => {
  it('a scanner scans only for its places; operators and handlers for any place in their area', async () => {
    const gate = await insertPlace(t, { type: 'compound', name: '白鹤二区' });
    const unbound = await insertPlace(t, { type: 'compound', name: '白鹤三区' });
    const farAway = await insertPlace(t, { type: 'compound', name: '下应一区', areaCode: AREAS.xiaying });
    const guard = await scannerAccount(AREAS.baihe, '门岗 赵师傅');
    const token = await passToken();

    // not bound yet
    const refused = await verify(guard, token, gate);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('pass.place_not_bound');
    expect((await guard.get('/api/scanner/context')).json().places).toEqual([]);

    const bound = await put(handler, `/api/admin/pass/scanners/${guard.principal.id}`, { placeIds: [gate] });
    expect(bound.statusCode, bound.body).toBe(200);
    expect(bound.json()).toMatchObject({ staffId: guard.principal.id, displayName: '门岗 赵师傅', areaCode: AREAS.baihe, areaName: '白鹤街道', active: true, places: [{ id: gate, name: '白鹤二区', type: 'compound' }] });
    expect((await verify(guard, token, gate)).json().verdict).toBe('green');
    expect((await verify(guard, token, unbound)).json().code).toBe('pass.place_not_bound');
    expect((await guard.post('/api/scanner/pickups', { token, placeId: unbound, orderId: crypto.randomUUID() })).json().code).toBe('pass.place_not_bound');

    // staff with a wider role scan within their area only
    expect((await verify(handler, token, unbound)).json().verdict).toBe('green');
    const outside = await verify(handler, token, farAway);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('areas.out_of_scope');
    expect((await verify(operator, token, farAway)).json().verdict).toBe('green');
    expect((await verify(operator, token, '987654321')).json().code).toBe('places.not_found');

    const audited = (await auditActions(t, 'pass.scanner.bind')).filter((a) => a.target_id === guard.principal.id);
    expect(audited[0].detail).toEqual({ added: [gate], removed: [] });
  });

  it('handlers list and bind the scanner accounts of their area; bindings beyond their area are kept', async () => {
    const mine = await insertPlace(t, { type: 'station', name: '白鹤驿站甲' });
    const mine2 = await insertPlace(t, { type: 'station', name: '白鹤驿站乙' });
    const theirs = await insertPlace(t, { type: 'station', name: '下应驿站甲', areaCode: AREAS.xiaying });
    const keeper = await scannerAccount(AREAS.baihe, '驿站 钱站长');
    const xiayingScanner = await scannerAccount(AREAS.xiaying, '下应 门岗');

    const listed = await handler.get('/api/admin/pass/scanners');
    expect(listed.statusCode).toBe(200);
    const ids = listed.json().map((a: { staffId: string }) => a.staffId);
    expect(ids).toContain(keeper.principal.id);
    expect(ids).not.toContain(xiayingScanner.principal.id);
    expect((await operator.get('/api/admin/pass/scanners')).json().map((a: { staffId: string }) => a.staffId)).toEqual(expect.arrayContaining([keeper.principal.id, xiayingScanner.principal.id]));

    // the handler cannot reach another street's account, nor bind places outside their street
    expect((await put(handler, `/api/admin/pass/scanners/${xiayingScanner.principal.id}`, { placeIds: [mine] })).json().code).toBe('staff.not_found');
    const far = await put(handler, `/api/admin/pass/scanners/${keeper.principal.id}`, { placeIds: [mine, theirs] });
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ code: 'areas.out_of_scope', errors: [{ field: 'placeIds/1' }] });
    expect((await put(handler, `/api/admin/pass/scanners/${keeper.principal.id}`, { placeIds: ['987654321'] })).json().code).toBe('places.not_found');
    // an account that is not a scanner
    expect((await put(operator, `/api/admin/pass/scanners/${handler.principal.id}`, { placeIds: [mine] })).json().code).toBe('staff.not_found');
    // neither scanners nor grid workers manage bindings
    expect((await keeper.get('/api/admin/pass/scanners')).statusCode).toBe(403);
    expect((await (await staffAs('grid_worker', AREAS.baihe)).request({ method: 'PUT', url: `/api/admin/pass/scanners/${keeper.principal.id}`, payload: { placeIds: [mine] } })).statusCode).toBe(403);

    // the operator binds a place in another street; the handler then replaces what is theirs to manage
    expect((await put(operator, `/api/admin/pass/scanners/${keeper.principal.id}`, { placeIds: [mine, theirs] })).json().places.map((p: { id: string }) => p.id)).toEqual([mine, theirs]);
    const replaced = await put(handler, `/api/admin/pass/scanners/${keeper.principal.id}`, { placeIds: [mine2] });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().places.map((p: { id: string }) => p.id).sort()).toEqual([theirs, mine2].sort());
    const last = (await auditActions(t, 'pass.scanner.bind')).filter((a) => a.target_id === keeper.principal.id).at(-1)!;
    expect(last.detail).toEqual({ added: [mine2], removed: [mine] });

    // unbinding everything in reach leaves the operator's binding
    const cleared = await put(handler, `/api/admin/pass/scanners/${keeper.principal.id}`, { placeIds: [] });
    expect(cleared.json().places.map((p: { id: string }) => p.id)).toEqual([theirs]);
    const ctx = (await keeper.get('/api/scanner/context')).json();
    expect(ctx.places).toMatchObject([{ id: theirs, name: '下应驿站甲', type: 'station', areaName: '下应街道', policy: [{ grant: 'checkin' }] }]);
  });
});
