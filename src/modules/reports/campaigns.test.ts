import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import type { Campaign, CampaignCandidate, CampaignDetail, CampaignOption, Cluster, ReportMetrics } from '../../contracts/reports.js';
import { auditActions } from '../charging/charging.test-support.js';
import { clusterKey, commonArea, greedyClusters, haversineM } from './campaigns.service.js';
import { createReportsModule } from './reports.module.js';
import { registerReportsJobs, REPORTS_JOBS } from './reports.jobs.js';

const CITY = '3302';
const AREAS = { yinzhou: '330212', baihe: '330212011', xiaying: '330212001', haishu: '330203' } as const;
/** 白鹤街道, roughly; 0.001° of latitude is about 111 m. */
const BAIHE = { lon: 121.565, lat: 29.865 };

let t: TestApp;
let departments: { id: string; code: string; nameZh: string }[];
let ownerId: string;
let admin: Client;

const sh = (wall: string) => new Date(`${wall.replace(' ', 'T')}+08:00`);

/** A staff session for any principal (departments included), like the web app's. */
async function session(role: StaffRole, areaCode: string, o: { id?: string; departmentIds?: string[]; displayName?: string } = {}) {
  const principal: StaffPrincipal = {
    kind: 'staff',
    id: o.id ?? crypto.randomUUID(),
    cityCode: CITY,
    username: `${role}-${crypto.randomBytes(4).toString('hex')}`,
    displayName: o.displayName ?? `${role} ${areaCode}`,
    role,
    areaCode,
    departmentIds: o.departmentIds ?? [],
  };
  const created = await t.services.sessions.create(principal, { lifetimeSeconds: 86400 * 60, idleTimeoutSeconds: 86400 * 60 });
  const client = new Client(t.app);
  client.cookie = `ya_sid=${created.token}`;
  client.csrf = created.csrfToken;
  return { client, principal };
}

let seq = 0;
/** A report row straight into the table (capture and workflow are other helpers' code). */
async function insertReport(o: {
  category: string;
  lon?: number;
  lat?: number;
  dLat?: number;
  dLon?: number;
  areaCode?: string;
  submittedAt: Date;
  status?: string;
  outcome?: string | null;
  closedAt?: Date | null;
  closedOnTime?: boolean | null;
  departmentId?: string | null;
  deadlineAt?: Date | null;
  reporterWorkerId?: string | null;
}): Promise<string> {
  const id = crypto.randomUUID();
  seq++;
  await sql`insert into reports (id, city_code, code, source, reporter_worker_id, category_code, description, lon, lat, location_source,
      address, area_code, area_source, status, outcome, department_id, deadline_at, submitted_at, closed_at, closed_on_time, updated_at)
    values (${id}, ${CITY}, ${`SP261123${String(seq).padStart(5, '0')}`}, 'staff', ${o.reporterWorkerId ?? null}, ${o.category}, ${`第${seq}条`},
      ${o.lon ?? BAIHE.lon + (o.dLon ?? 0)}, ${o.lat ?? BAIHE.lat + (o.dLat ?? 0)}, 'device', '白鹤路', ${o.areaCode ?? AREAS.baihe}, 'staff',
      ${o.status ?? 'pending_triage'}, ${o.outcome ?? null}, ${o.departmentId ?? null}, ${o.deadlineAt ?? null}, ${o.submittedAt},
      ${o.closedAt ?? null}, ${o.closedOnTime ?? null}, ${o.submittedAt})`.execute(t.services.db);
  return id;
}

async function insertCategory(code: string, nameZh: string, o: { clusterMin: number; clusterRadiusM: number; clusterDays: number; active?: boolean }) {
  await sql`insert into report_categories (city_code, code, name_zh, name_en, cluster_min, cluster_radius_m, cluster_days, active, updated_at)
    values (${CITY}, ${code}, ${nameZh}, ${code}, ${o.clusterMin}, ${o.clusterRadiusM}, ${o.clusterDays}, ${o.active ?? true}, now())`.execute(t.services.db);
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(sh('2026-11-23 10:00'));
  await t.services.staff.ensureDefaultDepartments(CITY);
  departments = await t.services.staff.departmentsOf(CITY);
  ownerId = await t.services.staff.seedStaff({ username: 'baihe.li', displayName: '白鹤街道 李站长', password: 'Baihe-2026-station', role: 'operator', areaCode: AREAS.baihe });
  await insertCategory('flooding', '积水内涝', { clusterMin: 3, clusterRadiusM: 300, clusterDays: 30 });
  await insertCategory('manhole_missing', '井盖缺失', { clusterMin: 2, clusterRadiusM: 100, clusterDays: 7 });
  await insertCategory('garbage', '垃圾堆放', { clusterMin: 2, clusterRadiusM: 300, clusterDays: 30, active: false });
  const a = await session('operator', CITY, { displayName: '市委社会工作部 王主任' });
  admin = a.client;
});
afterAll(() => t.close());

describe('clustering, pure', () => {
  it('measures distances on the sphere', () => {
    expect(haversineM({ lon: 121.5, lat: 29.8 }, { lon: 121.5, lat: 29.801 })).toBeCloseTo(111.2, 0);
    expect(haversineM(BAIHE, BAIHE)).toBe(0);
  });

  it('takes the densest report first and claims each report once', () => {
    const p = (id: string, dLat: number) => ({ id, lon: 121.5, lat: 29.8 + dLat });
    // a, b, c within 100 m of each other; d 130 m beyond c; e 1 km away; f, g near e
    const points = [p('a', 0), p('b', 0.0005), p('c', 0.0008), p('d', 0.002), p('e', 0.01), p('f', 0.0102), p('g', 0.0104)];
    const clusters = greedyClusters(points, 100, 3).map((c) => c.map((x) => x.id));
    expect(clusters).toEqual([['a', 'b', 'c'], ['e', 'f', 'g']]);
    expect(greedyClusters(points, 100, 4)).toEqual([]);
    expect(greedyClusters([], 100, 2)).toEqual([]);
  });

  it('names the deepest shared area and keys a set of ids stably', () => {
    expect(commonArea(['330212011001', '330212011002'])).toBe('330212011');
    expect(commonArea(['330212011001', '330212011001'])).toBe('330212011001');
    expect(commonArea(['330212011001', '330212001003'])).toBe('330212');
    expect(commonArea(['330212011', '330203001'])).toBe('3302');
    expect(clusterKey(['b', 'a'])).toBe(clusterKey(['a', 'b']));
    expect(clusterKey(['a', 'b'])).not.toBe(clusterKey(['a', 'c']));
  });
});

describe('clusters and campaigns (专项治理)', () => {
  const ids: Record<string, string> = {};
  let handlerDept: string;

  beforeAll(async () => {
    handlerDept = departments[0]!.id;
    const now = sh('2026-11-23 10:00');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    // four floods within ~150 m in the last 30 days
    ids.f1 = await insertReport({ category: 'flooding', submittedAt: daysAgo(20), status: 'dispatched', departmentId: handlerDept, deadlineAt: sh('2026-11-20 23:59') });
    ids.f2 = await insertReport({ category: 'flooding', dLat: 0.0005, submittedAt: daysAgo(10) });
    ids.f3 = await insertReport({ category: 'flooding', dLat: 0.001, submittedAt: daysAgo(3), status: 'closed', outcome: 'fixed', closedAt: daysAgo(1) });
    ids.f4 = await insertReport({ category: 'flooding', dLon: 0.001, submittedAt: daysAgo(1), areaCode: '330212011001' });
    // not candidates: too old, closed as invalid, 2 km away, an inactive category
    ids.fOld = await insertReport({ category: 'flooding', dLat: 0.0002, submittedAt: daysAgo(40) });
    ids.fInvalid = await insertReport({ category: 'flooding', dLat: 0.0003, submittedAt: daysAgo(5), status: 'closed', outcome: 'invalid', closedAt: daysAgo(4) });
    ids.fFar = await insertReport({ category: 'flooding', dLat: 0.018, submittedAt: daysAgo(5) });
    ids.g1 = await insertReport({ category: 'garbage', submittedAt: daysAgo(2) });
    ids.g2 = await insertReport({ category: 'garbage', submittedAt: daysAgo(2) });
    // two missing manhole covers 50 m apart this week; a third 10 days ago
    ids.m1 = await insertReport({ category: 'manhole_missing', dLat: 0.003, submittedAt: daysAgo(2) });
    ids.m2 = await insertReport({ category: 'manhole_missing', dLat: 0.00345, submittedAt: daysAgo(1) });
    ids.mOld = await insertReport({ category: 'manhole_missing', dLat: 0.0031, submittedAt: daysAgo(10) });
    // the same flooding pattern in 海曙
    for (const d of [1, 2, 3]) ids[`h${d}`] = await insertReport({ category: 'flooding', lon: 121.54, lat: 29.87 + d * 0.0003, areaCode: '330203001', submittedAt: daysAgo(d) });
  });

  it('shows each staff member the clusters in their scope, largest first', async () => {
    const res = await admin.get('/api/admin/reports/clusters');
    expect(res.statusCode).toBe(200);
    const clusters = res.json() as Cluster[];
    expect(clusters.map((c) => [c.category, c.areaCode, c.count])).toEqual([
      ['flooding', AREAS.baihe, 4],
      ['flooding', '330203001', 3],
      ['manhole_missing', AREAS.baihe, 2],
    ]);
    const flood = clusters[0]!;
    expect(new Set(flood.reportIds)).toEqual(new Set([ids.f1, ids.f2, ids.f3, ids.f4]));
    expect(flood).toMatchObject({ areaName: '白鹤街道', radiusM: 300, days: 30, key: clusterKey(flood.reportIds) });
    expect(flood.centerLat).toBeCloseTo(BAIHE.lat + 0.000375, 5);
    expect(flood.firstAt).toBe(new Date(sh('2026-11-23 10:00').getTime() - 20 * 86_400_000).toISOString());
    expect(clusters[2]!.reportIds.sort()).toEqual([ids.m1, ids.m2].sort());
    // stable: the same reports give the same key
    expect(((await admin.get('/api/admin/reports/clusters')).json() as Cluster[])[0]!.key).toBe(flood.key);

    const haishu = (await session('operator', AREAS.haishu)).client;
    expect(((await haishu.get('/api/admin/reports/clusters')).json() as Cluster[]).map((c) => c.count)).toEqual([3]);
    const grid = (await session('grid_worker', AREAS.xiaying)).client;
    expect((await grid.get('/api/admin/reports/clusters')).json()).toEqual([]);
    // a handler sees only the reports of their department: one flood is not a cluster
    const handler = (await session('handler', AREAS.yinzhou, { departmentIds: [handlerDept] })).client;
    expect((await handler.get('/api/admin/reports/clusters')).json()).toEqual([]);
    const other = (await session('reviewer', CITY)).client;
    expect((await other.get('/api/admin/reports/clusters')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/reports/clusters' })).statusCode).toBe(401);
  });

  let campaignId: string;

  it('an operator opens a campaign from a cluster: the reports join it and their reporters see it on the timeline', async () => {
    const cluster = ((await admin.get('/api/admin/reports/clusters')).json() as Cluster[])[0]!;
    const input = {
      title: '白鹤街道积水点专项治理',
      category: 'flooding',
      areaCode: cluster.areaCode,
      description: '雨季前疏通排水管网',
      ownerStaffId: ownerId,
      deadline: '2026-12-31',
      reportIds: cluster.reportIds,
    };
    const res = await admin.post('/api/admin/reports/campaigns', input);
    expect(res.statusCode).toBe(201);
    const c = res.json() as CampaignDetail;
    campaignId = c.id;
    expect(c).toMatchObject({
      code: 'ZX26112301',
      title: input.title,
      category: 'flooding',
      areaCode: AREAS.baihe,
      areaName: '白鹤街道',
      owner: { id: ownerId, name: '白鹤街道 李站长' },
      deadline: '2026-12-31',
      status: 'open',
      overdue: false,
      reportCount: 4,
      closedReportCount: 1,
      summary: null,
      closedAt: null,
      notes: [],
    });
    expect(c.reports).toHaveLength(4);
    const f1 = c.reports.find((r) => r.id === ids.f1)!;
    expect(f1).toMatchObject({
      category: 'flooding',
      status: 'dispatched',
      source: 'staff',
      areaName: '白鹤街道',
      departmentId: handlerDept,
      departmentName: departments[0]!.nameZh,
      overdue: true,
      campaignId: c.id,
      reporterMasked: null,
      photoUrl: null,
    });

    const events = await sql<{ report_id: string; type: string; public: boolean; actor_kind: string; data: unknown }>`
      select report_id, type, public, actor_kind, data from report_events where type = 'campaign_added' order by report_id`.execute(t.services.db);
    expect(events.rows).toHaveLength(4);
    for (const e of events.rows) {
      expect(e).toMatchObject({ public: true, actor_kind: 'staff' });
      expect(typeof e.data === 'string' ? JSON.parse(e.data) : e.data).toEqual({ campaignId: c.id, campaignTitle: input.title });
    }
    expect((await auditActions(t, 'reports.campaign_created')).at(-1)).toMatchObject({ target_id: c.id, outcome: 'success' });
    const inbox = await sql<{ kind: string; params: unknown; link: string }>`
      select kind, params, link from notifications where recipient_id = ${ownerId}`.execute(t.services.db);
    expect(inbox.rows).toHaveLength(1);
    expect(inbox.rows[0]).toMatchObject({ kind: 'reports.campaign_assigned', link: `/admin/reports?tab=campaigns&campaign=${c.id}` });
    const params = inbox.rows[0]!.params;
    expect(typeof params === 'string' ? JSON.parse(params) : params).toEqual({ title: input.title, deadline: '2026-12-31', count: 4 });
    // its reports left the clusters
    expect(((await admin.get('/api/admin/reports/clusters')).json() as Cluster[]).map((x) => x.count)).toEqual([3, 2]);

    // a second campaign the same day takes the next code; an empty one is fine (reports added later)
    const second = await admin.post('/api/admin/reports/campaigns', { ...input, title: '井盖专项', category: 'manhole_missing', reportIds: [] });
    expect(second.json()).toMatchObject({ code: 'ZX26112302', reportCount: 0 });
  });

  it('refuses what an operator may not do', async () => {
    const base = { title: '专项', category: 'flooding', areaCode: AREAS.baihe, ownerStaffId: ownerId, deadline: '2026-12-31', reportIds: [] as string[] };
    const grid = (await session('grid_worker', AREAS.baihe)).client;
    expect((await grid.post('/api/admin/reports/campaigns', base)).statusCode).toBe(403);
    // already in a campaign
    const again = await admin.post('/api/admin/reports/campaigns', { ...base, reportIds: [ids.f1] });
    expect([again.statusCode, again.json().code]).toEqual([409, 'reports.invalid_state']);
    // a 海曙 operator: neither the area nor a 白鹤 report is theirs
    const haishu = (await session('operator', AREAS.haishu)).client;
    expect((await haishu.post('/api/admin/reports/campaigns', base)).json().code).toBe('reports.not_in_scope');
    expect((await haishu.post('/api/admin/reports/campaigns', { ...base, areaCode: '330203001', reportIds: [ids.m1] })).json().code).toBe('reports.not_in_scope');
    expect((await admin.post('/api/admin/reports/campaigns', { ...base, reportIds: [crypto.randomUUID()] })).json().code).toBe('reports.not_found');
    expect((await admin.post('/api/admin/reports/campaigns', { ...base, ownerStaffId: crypto.randomUUID() })).json()).toMatchObject({ code: 'request.invalid' });
    expect((await admin.post('/api/admin/reports/campaigns', { ...base, deadline: '2026-11-22' })).json()).toMatchObject({ code: 'request.invalid' });
    expect((await admin.post('/api/admin/reports/campaigns', { ...base, category: 'no_such' })).json().code).toBe('reports.category_not_found');
    expect((await admin.post('/api/admin/reports/campaigns', { ...base, title: 'x' })).statusCode).toBe(400);
  });

  it('lists campaigns in or covering my area; overdue once the deadline passed', async () => {
    const page = (await admin.get('/api/admin/reports/campaigns')).json() as { items: Campaign[]; total: number };
    expect(page.total).toBe(2);
    expect(page.items.map((c) => c.code).sort()).toEqual(['ZX26112301', 'ZX26112302']);
    const street = (await session('handler', '330212011001')).client; // a community's staff see the street campaign
    expect(((await street.get('/api/admin/reports/campaigns')).json() as { total: number }).total).toBe(2);
    const haishu = (await session('operator', AREAS.haishu)).client;
    expect(((await haishu.get('/api/admin/reports/campaigns')).json() as { total: number }).total).toBe(0);
    expect((await haishu.get(`/api/admin/reports/campaigns/${campaignId}`)).json().code).toBe('reports.campaign_not_found');
    expect((await admin.get(`/api/admin/reports/campaigns/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect(((await admin.get('/api/admin/reports/campaigns?status=closed')).json() as { total: number }).total).toBe(0);
    // a handler of the department sees the campaign but only its own report in it
    const handler = (await session('handler', AREAS.yinzhou, { departmentIds: [departments[0]!.id] })).client;
    expect(((await handler.get(`/api/admin/reports/campaigns/${campaignId}`)).json() as CampaignDetail).reports.map((r) => r.id)).toEqual([ids.f1]);
  });

  it('operators add reports; the owner and grid workers log progress; the owner closes it with a summary', async () => {
    const added = await admin.post(`/api/admin/reports/campaigns/${campaignId}/reports`, { reportIds: [ids.fFar] });
    expect(added.statusCode).toBe(200);
    expect((added.json() as CampaignDetail).reportCount).toBe(5);
    expect((await admin.post(`/api/admin/reports/campaigns/${campaignId}/reports`, { reportIds: [ids.fFar] })).json().code).toBe('reports.invalid_state');
    const grid = (await session('grid_worker', AREAS.baihe, { displayName: '网格员 陈' })).client;
    expect((await grid.post(`/api/admin/reports/campaigns/${campaignId}/reports`, { reportIds: [ids.fOld] })).statusCode).toBe(403);

    const owner = (await session('operator', AREAS.baihe, { id: ownerId, displayName: '白鹤街道 李站长' })).client;
    t.clock.set(sh('2026-11-25 09:00'));
    expect((await owner.post(`/api/admin/reports/campaigns/${campaignId}/notes`, { note: '已排查 5 处积水点，联系排水公司' })).statusCode).toBe(200);
    t.clock.set(sh('2026-11-26 09:00'));
    const withNotes = (await grid.post(`/api/admin/reports/campaigns/${campaignId}/notes`, { note: '复查：两处已疏通' })).json() as CampaignDetail;
    expect(withNotes.notes.map((n) => [n.staffName, n.note])).toEqual([
      ['白鹤街道 李站长', '已排查 5 处积水点，联系排水公司'],
      ['', '复查：两处已疏通'], // a session without a staff account has no display name on record
    ]);
    const stranger = (await session('handler', AREAS.baihe)).client;
    expect((await stranger.post(`/api/admin/reports/campaigns/${campaignId}/notes`, { note: 'x' })).statusCode).toBe(403);
    expect((await stranger.post(`/api/admin/reports/campaigns/${campaignId}/close`, { summary: '完成' })).statusCode).toBe(403);

    t.clock.set(sh('2027-01-02 10:00'));
    const overdue = (await admin.get('/api/admin/reports/campaigns?status=open')).json() as { items: Campaign[] };
    expect(overdue.items.find((c) => c.id === campaignId)!.overdue).toBe(true);
    const closed = await owner.post(`/api/admin/reports/campaigns/${campaignId}/close`, { summary: '疏通管网 2 km，建立汛前巡查机制' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', overdue: false, summary: '疏通管网 2 km，建立汛前巡查机制', closedAt: sh('2027-01-02 10:00').toISOString() });
    expect((await owner.post(`/api/admin/reports/campaigns/${campaignId}/close`, { summary: '再关一次' })).json().code).toBe('reports.campaign_closed');
    expect((await admin.post(`/api/admin/reports/campaigns/${campaignId}/notes`, { note: '补充' })).json().code).toBe('reports.campaign_closed');
    expect((await admin.post(`/api/admin/reports/campaigns/${campaignId}/reports`, { reportIds: [ids.fOld] })).json().code).toBe('reports.campaign_closed');
    const actions = (await auditActions(t, 'reports.campaign_')).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['reports.campaign_reports_added', 'reports.campaign_note_added', 'reports.campaign_closed']));
  });
});

describe('metrics', () => {
  let d1: string;
  let d2: string;

  beforeAll(async () => {
    d1 = departments[1]!.id;
    d2 = departments[2]!.id;
    const closed = (submitted: string, hours: number, o: { outcome: string; onTime: boolean | null; dept: string; area?: string; category?: string }) =>
      insertReport({
        category: o.category ?? 'flooding',
        submittedAt: sh(submitted),
        status: 'closed',
        outcome: o.outcome,
        closedAt: new Date(sh(submitted).getTime() + hours * 3_600_000),
        closedOnTime: o.onTime,
        departmentId: o.dept,
        areaCode: o.area,
        deadlineAt: o.onTime === null ? null : sh('2026-12-31 23:59'),
      });
    // June 2026: 3 floods closed (10 h fixed on time, 20 h fixed late, 60 h invalid), 1 open
    await closed('2026-06-02 09:00', 10, { outcome: 'fixed', onTime: true, dept: d1 });
    await closed('2026-06-10 09:00', 20, { outcome: 'fixed', onTime: false, dept: d1 });
    await closed('2026-06-20 09:00', 60, { outcome: 'invalid', onTime: null, dept: d2, area: AREAS.xiaying });
    await insertReport({ category: 'flooding', submittedAt: sh('2026-06-30 23:30'), status: 'pending_triage' }); // Shanghai June, UTC June too
    // August 2026: a manhole closed fixed in 5 h in 下应 (a community code rolls up to its street)
    await closed('2026-08-01 00:30', 5, { outcome: 'fixed', onTime: true, dept: d2, area: '330212001002', category: 'manhole_missing' }); // July in UTC, August in Shanghai
  });

  it('counts received, valid share, median hours to close and on-time share, per category', async () => {
    const res = await admin.get('/api/admin/reports/metrics?groupBy=category&from=2026-06-01&to=2026-08-31');
    expect(res.statusCode).toBe(200);
    const m = res.json() as ReportMetrics;
    expect(m).toMatchObject({ groupBy: 'category', from: '2026-06-01', to: '2026-08-31' });
    expect(m.rows).toEqual([
      { key: 'flooding', label: '积水内涝', received: 4, closed: 3, valid: 2, validShare: 0.6667, medianHoursToClose: 20, closedOnTime: 1, onTimeShare: 0.5 },
      { key: 'manhole_missing', label: '井盖缺失', received: 1, closed: 1, valid: 1, validShare: 1, medianHoursToClose: 5, closedOnTime: 1, onTimeShare: 1 },
    ]);
    expect(m.total).toEqual({ key: 'total', label: '合计', received: 5, closed: 4, valid: 3, validShare: 0.75, medianHoursToClose: 15, closedOnTime: 2, onTimeShare: 0.6667 });
  });

  it('per month (Shanghai months, empty ones included), department and street', async () => {
    const months = (await admin.get('/api/admin/reports/metrics?groupBy=month&from=2026-06-01&to=2026-08-31')).json() as ReportMetrics;
    expect(months.rows.map((r) => [r.key, r.received, r.closed])).toEqual([
      ['2026-06', 4, 3],
      ['2026-07', 0, 0],
      ['2026-08', 1, 1],
    ]);
    expect(months.rows[1]).toMatchObject({ validShare: null, medianHoursToClose: null, onTimeShare: null });

    const depts = (await admin.get('/api/admin/reports/metrics?groupBy=department&from=2026-06-01&to=2026-08-31')).json() as ReportMetrics;
    // ties (2 each) in key order, then the reports nobody has been given yet
    expect(depts.rows.map((r) => [r.key, r.label, r.received])).toEqual([
      ...[
        [d1, departments[1]!.nameZh, 2],
        [d2, departments[2]!.nameZh, 2],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ['none', '未交办', 1],
    ]);

    const streets = (await admin.get('/api/admin/reports/metrics?groupBy=area&from=2026-06-01&to=2026-08-31')).json() as ReportMetrics;
    expect(streets.rows.map((r) => [r.key, r.label, r.received])).toEqual([
      [AREAS.baihe, '白鹤街道', 3],
      [AREAS.xiaying, '下应街道', 2],
    ]);
    const xiaying = (await admin.get(`/api/admin/reports/metrics?groupBy=category&from=2026-06-01&to=2026-08-31&areaCode=${AREAS.xiaying}`)).json() as ReportMetrics;
    expect(xiaying.total.received).toBe(2);
  });

  it('operators and grid workers within their area; the dashboard without a principal', async () => {
    const grid = (await session('grid_worker', AREAS.xiaying)).client;
    expect(((await grid.get('/api/admin/reports/metrics?groupBy=month&from=2026-06-01&to=2026-08-31')).json() as ReportMetrics).total.received).toBe(2);
    expect((await grid.get(`/api/admin/reports/metrics?groupBy=month&areaCode=${AREAS.yinzhou}`)).json().code).toBe('reports.not_in_scope');
    const handler = (await session('handler', AREAS.baihe)).client;
    expect((await handler.get('/api/admin/reports/metrics?groupBy=month')).statusCode).toBe(403);
    expect((await admin.get('/api/admin/reports/metrics?groupBy=month&from=2026-09-01&to=2026-08-01')).statusCode).toBe(400);
    expect((await admin.get('/api/admin/reports/metrics?groupBy=week')).statusCode).toBe(400);

    const dashboard = await t.services.reportsModule.campaigns.metrics(CITY, { groupBy: 'category', from: '2026-06-01', to: '2026-08-31' });
    expect(dashboard.total.received).toBe(5);
    // the default range: the 12 months up to today (Shanghai), month by month
    const byMonth = await t.services.reportsModule.campaigns.metrics(CITY, { groupBy: 'month' });
    expect(byMonth.rows).toHaveLength(12);
    expect(byMonth.rows[0]!.key).toBe('2026-02');
    expect(byMonth.to).toBe('2027-01-02');
  });
});

describe('what staff may do, adding reports from the screens, and deadline reminders (durable jobs)', () => {
  /** 下应街道, away from the 白鹤 reports above. */
  const XIAYING = { lon: 121.6, lat: 29.8 };
  const r: Record<string, string> = {};
  let handlerOwnerId: string;
  let districtOperatorId: string;
  let cityOperatorId: string;
  let urbanDept: string;
  let owner: Client;
  let c3: CampaignDetail;
  /** A city operator signed in now (the sessions above have expired by these dates). */
  let cityOp: Client;

  const inbox = async (recipientId: string, kind: string) =>
    (
      await sql<{ params: unknown; link: string }>`select params, link from notifications where recipient_id = ${recipientId} and kind = ${kind} order by created_at`.execute(t.services.db)
    ).rows.map((n) => ({ link: n.link, params: (typeof n.params === 'string' ? JSON.parse(n.params) : n.params) as Record<string, unknown> }));

  const open = async (input: { title: string; deadline: string; reportIds?: string[]; remindWorkingDays?: number; areaCode?: string; ownerStaffId?: string }) => {
    const res = await cityOp.post('/api/admin/reports/campaigns', {
      category: 'flooding',
      areaCode: AREAS.xiaying,
      ownerStaffId: handlerOwnerId,
      reportIds: [],
      ...input,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as CampaignDetail;
  };

  beforeAll(async () => {
    t.clock.set(sh('2027-03-01 10:00')); // a Monday
    cityOp = (await session('operator', CITY, { displayName: '市委社会工作部 王主任' })).client;
    // the campaigns above are done with: their reminders and 督办 do not belong to these tests
    await sql`update report_campaigns set reminded_at = now(), escalated_at = now()`.execute(t.services.db);
    urbanDept = departments.find((d) => d.code === 'urban')?.id ?? departments[0]!.id;
    const urbanCode = departments.find((d) => d.id === urbanDept)!.code;
    handlerOwnerId = await t.services.staff.seedStaff({ username: 'xiaying.chen', displayName: '下应街道 经办人 陈', password: 'Xiaying-2027-handler', role: 'handler', areaCode: AREAS.xiaying, departmentCodes: [urbanCode] });
    districtOperatorId = await t.services.staff.seedStaff({ username: 'yinzhou.op', displayName: '鄞州区 社工部 张', password: 'Yinzhou-2027-operator', role: 'operator', areaCode: AREAS.yinzhou });
    cityOperatorId = await t.services.staff.seedStaff({ username: 'ningbo.op', displayName: '宁波市 社工部 刘', password: 'Ningbo-2027-operator', role: 'operator', areaCode: CITY });
    owner = (await session('handler', AREAS.xiaying, { id: handlerOwnerId, departmentIds: [urbanDept], displayName: '下应街道 经办人 陈' })).client;

    const now = t.clock.now();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const at = { lon: XIAYING.lon, lat: XIAYING.lat, areaCode: AREAS.xiaying };
    r.x1 = await insertReport({ category: 'flooding', ...at, submittedAt: daysAgo(3) });
    r.x2 = await insertReport({ category: 'flooding', ...at, lat: XIAYING.lat + 0.0002, submittedAt: daysAgo(2), status: 'dispatched', departmentId: departments.find((d) => d.id !== urbanDept)!.id });
    // candidates: 50 m away; 200 m away in another street; 5 km away but in the campaign's street
    r.near = await insertReport({ category: 'flooding', ...at, lat: XIAYING.lat + 0.00055, submittedAt: daysAgo(1) });
    r.nextStreet = await insertReport({ category: 'flooding', lon: XIAYING.lon + 0.0021, lat: XIAYING.lat + 0.0001, areaCode: '330212002', submittedAt: daysAgo(1) });
    r.farInStreet = await insertReport({ category: 'flooding', ...at, lon: XIAYING.lon + 0.05, submittedAt: daysAgo(1) });
    // not candidates: closed; another category; another district; 2 km away outside the street
    r.closed = await insertReport({ category: 'flooding', ...at, lat: XIAYING.lat + 0.0003, submittedAt: daysAgo(4), status: 'closed', outcome: 'fixed', closedAt: daysAgo(1) });
    r.manhole = await insertReport({ category: 'manhole_missing', ...at, lat: XIAYING.lat + 0.0001, submittedAt: daysAgo(1) });
    r.haishu = await insertReport({ category: 'flooding', lon: XIAYING.lon - 0.03, lat: XIAYING.lat, areaCode: '330203001', submittedAt: daysAgo(1) });
    r.farOut = await insertReport({ category: 'flooding', lon: XIAYING.lon + 0.02, lat: XIAYING.lat, areaCode: '330212002', submittedAt: daysAgo(1) });
    c3 = await open({ title: '下应街道积水专项', deadline: '2027-03-31', reportIds: [r.x1, r.x2] });
  });

  it('the detail says what each viewer may do: the owner (a handler) closes, operators also add reports, grid workers log progress', async () => {
    expect(c3.may).toEqual({ close: true, addReports: true, note: true });
    expect(c3.remindWorkingDays).toBe(1);

    // the owner is a handler of 城管: not an operator, yet closes and logs progress; sees all its reports
    const mine = (await owner.get(`/api/admin/reports/campaigns/${c3.id}`)).json() as CampaignDetail;
    expect(mine.may).toEqual({ close: true, addReports: false, note: true });
    expect(mine.reports.map((x) => x.id).sort()).toEqual([r.x1, r.x2].sort());
    // and finds it in the list
    expect(((await owner.get('/api/admin/reports/campaigns?status=open')).json() as { items: Campaign[] }).items.map((c) => c.id)).toContain(c3.id);

    const grid = (await session('grid_worker', AREAS.xiaying)).client;
    expect(((await grid.get(`/api/admin/reports/campaigns/${c3.id}`)).json() as CampaignDetail).may).toEqual({ close: false, addReports: false, note: true });
    const otherHandler = (await session('handler', AREAS.xiaying, { departmentIds: [urbanDept] })).client;
    const theirs = (await otherHandler.get(`/api/admin/reports/campaigns/${c3.id}`)).json() as CampaignDetail;
    expect(theirs.may).toEqual({ close: false, addReports: false, note: false });
    expect(theirs.reports).toEqual([]); // neither report is their department's
    // a street operator elsewhere in the district sees it (it covers nothing of theirs) but may do nothing
    const baiheOp = (await session('operator', AREAS.baihe)).client;
    expect((await baiheOp.get(`/api/admin/reports/campaigns/${c3.id}`)).statusCode).toBe(404);
    const districtOp = (await session('operator', AREAS.yinzhou)).client;
    expect(((await districtOp.get(`/api/admin/reports/campaigns/${c3.id}`)).json() as CampaignDetail).may).toEqual({ close: true, addReports: true, note: true });
  });

  it('lists the reports that could join it, nearest first, searchable by code; operators over its area only', async () => {
    const res = await cityOp.get(`/api/admin/reports/campaigns/${c3.id}/candidates`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json() as CampaignCandidate[];
    expect(list.map((x) => x.id)).toEqual([r.near, r.nextStreet, r.farInStreet]);
    expect(list[0]).toMatchObject({ category: 'flooding', status: 'pending_triage', campaignId: null, areaName: '下应街道' });
    expect(list[0]!.distanceM).toBeGreaterThan(20);
    expect(list[0]!.distanceM).toBeLessThan(60);
    expect(list[2]!.distanceM).toBeGreaterThan(4000);
    const code = list[2]!.code;
    expect(((await cityOp.get(`/api/admin/reports/campaigns/${c3.id}/candidates?q=${code}`)).json() as CampaignCandidate[]).map((x) => x.id)).toEqual([r.farInStreet]);
    expect((await cityOp.get(`/api/admin/reports/campaigns/${c3.id}/candidates?q=nothing-like-this`)).json()).toEqual([]);
    // the owner (a handler) and grid workers do not add reports
    expect((await owner.get(`/api/admin/reports/campaigns/${c3.id}/candidates`)).statusCode).toBe(403);
    expect((await (await session('grid_worker', AREAS.xiaying)).client.get(`/api/admin/reports/campaigns/${c3.id}/candidates`)).statusCode).toBe(403);
    expect((await cityOp.get(`/api/admin/reports/campaigns/${crypto.randomUUID()}/candidates`)).statusCode).toBe(404);
  });

  it("lists the open campaigns a report may join (the ones covering it first), and adds it; another category's report is refused", async () => {
    // another open flooding campaign, in 白鹤 (no centre: no reports yet)
    const baihe = await open({ title: '白鹤积水回头看', deadline: '2027-04-30', areaCode: AREAS.baihe, ownerStaffId: ownerId });
    const res = await cityOp.get(`/api/admin/reports/campaigns/options?reportId=${r.near}`);
    expect(res.statusCode, res.body).toBe(200);
    const options = res.json() as CampaignOption[];
    expect(options.map((o) => [o.id, o.coversReport])).toEqual([
      [c3.id, true],
      [baihe.id, false],
    ]);
    expect(options[0]!.distanceM).toBeLessThan(100);
    expect(options[1]!.distanceM).toBeNull();
    expect(((await cityOp.get(`/api/admin/reports/campaigns/options?reportId=${r.near}&q=${encodeURIComponent('白鹤')}`)).json() as CampaignOption[]).map((o) => o.id)).toEqual([baihe.id]);
    expect(((await cityOp.get(`/api/admin/reports/campaigns/options?reportId=${r.near}&q=${c3.code}`)).json() as CampaignOption[]).map((o) => o.id)).toEqual([c3.id]);
    // a street operator is offered only the campaigns inside their street; other roles none
    const xiayingOp = (await session('operator', AREAS.xiaying)).client;
    expect(((await xiayingOp.get(`/api/admin/reports/campaigns/options?reportId=${r.near}`)).json() as CampaignOption[]).map((o) => o.id)).toEqual([c3.id]);
    expect((await owner.get(`/api/admin/reports/campaigns/options?reportId=${r.near}`)).statusCode).toBe(403);
    expect((await (await session('operator', AREAS.haishu)).client.get(`/api/admin/reports/campaigns/options?reportId=${r.near}`)).json().code).toBe('reports.not_in_scope');
    expect((await cityOp.get(`/api/admin/reports/campaigns/options?reportId=${crypto.randomUUID()}`)).statusCode).toBe(404);

    const added = await cityOp.post(`/api/admin/reports/campaigns/${c3.id}/reports`, { reportIds: [r.near] });
    expect(added.statusCode, added.body).toBe(200);
    expect((added.json() as CampaignDetail).reports.map((x) => x.id)).toContain(r.near);
    // now in a campaign: no more options, no longer a candidate
    expect((await cityOp.get(`/api/admin/reports/campaigns/options?reportId=${r.near}`)).json()).toEqual([]);
    expect(((await cityOp.get(`/api/admin/reports/campaigns/${c3.id}/candidates`)).json() as CampaignCandidate[]).map((x) => x.id)).toEqual([r.nextStreet, r.farInStreet]);
    const mismatch = await cityOp.post(`/api/admin/reports/campaigns/${c3.id}/reports`, { reportIds: [r.manhole] });
    expect([mismatch.statusCode, mismatch.json().code]).toEqual([409, 'reports.campaign_category_mismatch']);
    // the owner may not add reports
    expect((await owner.post(`/api/admin/reports/campaigns/${c3.id}/reports`, { reportIds: [r.nextStreet] })).statusCode).toBe(403);
  });

  it('the owner, a handler, closes it with a summary; then nobody may do anything more', async () => {
    const closed = await owner.post(`/api/admin/reports/campaigns/${c3.id}/close`, { summary: '疏通下应街道排水管网，建立雨前巡查' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', summary: '疏通下应街道排水管网，建立雨前巡查', may: { close: false, addReports: false, note: false } });
    expect(((await cityOp.get(`/api/admin/reports/campaigns/${c3.id}`)).json() as CampaignDetail).may).toEqual({ close: false, addReports: false, note: false });
    expect((await cityOp.get(`/api/admin/reports/campaigns/${c3.id}/candidates`)).json().code).toBe('reports.campaign_closed');
    const audit = await sql<{ actor_id: string; outcome: string }>`
      select actor_id::text as actor_id, outcome from audit_log where action = 'reports.campaign_closed' and target_id = ${c3.id}`.execute(t.services.db);
    expect(audit.rows).toEqual([{ actor_id: handlerOwnerId, outcome: 'success' }]);
  });

  it('reminds the owner once, N working days before the deadline; 督办 once it is overdue, to the owner and the operators over its area; never for a closed one; a restart sends nothing twice', async () => {
    const campaigns = t.services.reportsModule.campaigns;
    await sql`update report_campaigns set reminded_at = now(), escalated_at = now() where status = 'open'`.execute(t.services.db);
    t.clock.set(sh('2027-03-01 10:00')); // Monday
    const fri = await open({ title: '周五到期', deadline: '2027-03-05' });
    const mon = await open({ title: '下周一到期', deadline: '2027-03-08' });
    const onTheDay = await open({ title: '当天提醒', deadline: '2027-03-04', remindWorkingDays: 0 });
    const twoDays = await open({ title: '提前两天', deadline: '2027-03-05', remindWorkingDays: 2, reportIds: [r.nextStreet] });
    const closedEarly = await open({ title: '提前结束', deadline: '2027-03-02' });
    expect((await owner.post(`/api/admin/reports/campaigns/${closedEarly.id}/close`, { summary: '已提前完成' })).statusCode).toBe(200);
    const ids = [fri, mon, onTheDay, twoDays, closedEarly].map((c) => c.id);
    const dueSoon = async () => (await inbox(handlerOwnerId, 'reports.campaign_due_soon')).filter((n) => ids.some((id) => n.link.endsWith(id)));
    /** The campaigns' titles the recipient was told of, in name order (several go out in the same instant). */
    const titlesOf = async (recipient: string, kind: string) =>
      (await inbox(recipient, kind))
        .filter((n) => ids.some((id) => n.link.endsWith(id)))
        .map((n) => String(n.params.title))
        .sort();

    expect(await campaigns.remindDue()).toBe(0); // Monday: Friday is 4 working days away
    t.clock.set(sh('2027-03-03 09:00')); // Wednesday: Thursday and Friday left for the 2-day one
    expect(await campaigns.remindDue()).toBe(1);
    t.clock.set(sh('2027-03-04 09:00')); // Thursday: Friday's (1 day) and today's (0 days)
    expect(await campaigns.remindDue()).toBe(2);
    expect(await campaigns.remindDue()).toBe(0);
    expect(await titlesOf(handlerOwnerId, 'reports.campaign_due_soon')).toEqual(['周五到期', '当天提醒', '提前两天'].sort());
    expect((await dueSoon()).find((n) => n.params.title === '提前两天')).toEqual({
      link: `/admin/reports?tab=campaigns&campaign=${twoDays.id}`,
      params: { title: '提前两天', deadline: '2027-03-05', count: 1, closed: 0 },
    });
    t.clock.set(sh('2027-03-05 09:00')); // Friday: Monday is one working day away (the weekend is not)
    expect(await campaigns.remindDue()).toBe(1);
    expect(await titlesOf(handlerOwnerId, 'reports.campaign_due_soon')).toEqual(['周五到期', '当天提醒', '提前两天', '下周一到期'].sort());
    expect(await campaigns.escalateDue()).toBe(1); // Thursday's is overdue now (Friday's only after today)

    // a restart: a new module over the same tables sends nothing again
    const restarted = createReportsModule({ ...t.services, ledger: t.services.pointsModule.ledger }).campaigns;
    expect(await restarted.remindDue()).toBe(0);
    expect(await restarted.escalateDue()).toBe(0);

    // Saturday: Friday's two are overdue; the sweep runs as the durable job
    t.clock.set(sh('2027-03-06 08:00'));
    registerReportsJobs(t.services.jobs, t.services.reportsModule);
    await t.services.jobs.runDue();
    const overdue = ['当天提醒', '周五到期', '提前两天'].sort();
    expect(await titlesOf(handlerOwnerId, 'reports.campaign_overdue')).toEqual(overdue);
    // 督办 to the operators over 下应街道 (the district's and the city's), not to 白鹤街道's
    for (const op of [districtOperatorId, cityOperatorId]) expect(await titlesOf(op, 'reports.campaign_escalated')).toEqual(overdue);
    expect(await titlesOf(ownerId, 'reports.campaign_escalated')).toEqual([]);
    expect((await inbox(cityOperatorId, 'reports.campaign_escalated')).find((n) => n.params.title === '提前两天')!.params).toEqual({
      title: '提前两天',
      deadline: '2027-03-05',
      count: 1,
      closed: 0,
      owner: '下应街道 经办人 陈',
    });
    expect(await campaigns.escalateDue()).toBe(0);
    t.clock.set(sh('2027-03-09 08:00'));
    expect(await restarted.escalateDue()).toBe(1); // Monday's
    expect(await campaigns.escalateDue()).toBe(0);
    expect(await campaigns.remindDue()).toBe(0);
    // the closed one was never reminded nor escalated
    for (const kind of ['reports.campaign_due_soon', 'reports.campaign_overdue']) expect(await titlesOf(handlerOwnerId, kind)).not.toContain('提前结束');
    expect(await titlesOf(cityOperatorId, 'reports.campaign_escalated')).not.toContain('提前结束');
    const state = await sql<{ title: string; reminded: boolean; escalated: boolean }>`
      select title, reminded_at is not null as reminded, escalated_at is not null as escalated from report_campaigns where id = any(${ids}::uuid[]) order by deadline, title`.execute(t.services.db);
    expect(state.rows).toEqual([
      { title: '提前结束', reminded: false, escalated: false },
      { title: '当天提醒', reminded: true, escalated: true },
      { title: '周五到期', reminded: true, escalated: true },
      { title: '提前两天', reminded: true, escalated: true },
      { title: '下周一到期', reminded: true, escalated: true },
    ]);
    const runs = await sql<{ kind: string }>`select distinct kind from jobs where kind like 'reports.campaign%' and status = 'done'`.execute(t.services.db);
    expect(runs.rows.map((x) => x.kind).sort()).toEqual([REPORTS_JOBS.campaignEscalations, REPORTS_JOBS.campaignReminders].sort());
  });

  it('a campaign created with a reminder setting out of range is refused', async () => {
    const res = await cityOp.post('/api/admin/reports/campaigns', { title: '越界', category: 'flooding', areaCode: AREAS.xiaying, ownerStaffId: handlerOwnerId, deadline: '2027-12-31', remindWorkingDays: 11, reportIds: [] });
    expect(res.statusCode).toBe(400);
  });
});
