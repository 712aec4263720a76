import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import { DEFAULT_SETTINGS } from '../../contracts/points.js';
import { WORKER_NOMINATIONS_PER_DAY } from './honours.service.js';
import type { PointsModule } from './points.module.js';
import { workerAccount } from './points.service.js';
import { AREAS, CITY, expectNoDrift, nextPhone, noCtx, staffClient, verifiedWorker, pointsOf } from './points.test-support.js';

let t: TestApp;
let m: PointsModule;
let operator: StaffPrincipal;
const story = { title: '雨夜送老人回家', story: '暴雨中发现迷路老人，陪同等候家属并联系社区网格员。' };

beforeAll(async () => {
  t = await createTestApp();
  m = pointsOf(t);
  operator = (await staffClient(t, 'operator', AREAS.city)).principal;
});
afterAll(() => t.close());

describe('微光榜', () => {
  it('a worker nominates a good deed they saw; an operator approves it once: points, history, public story with a masked name', async () => {
    const hero = await verifiedWorker(t, { name: '周建国', areaCode: AREAS.baihe });
    const witness = await verifiedWorker(t, { name: '石磊' });
    const nomination = await m.honours.nominateByWorker({ id: witness.id, cityCode: CITY }, { ...story, workerPhone: `+86 ${hero.phone}` }, noCtx);
    expect(nomination).toMatchObject({ status: 'pending', workerNameMasked: '周**' });

    const queue = await m.honours.adminList(operator, { status: 'pending', page: 1, pageSize: 20 });
    const item = queue.items.find((s) => s.id === nomination.id)!;
    expect(item).toMatchObject({ workerId: hero.id, areaCode: AREAS.baihe, nominatedBy: { kind: 'worker' } });
    expect(item.nominatedBy.label).toMatch(/^\d{3}\*{4}\d{4}$/);

    const approved = await m.honours.approve(operator, nomination.id, '事迹属实', noCtx);
    expect(approved).toMatchObject({ status: 'approved', points: 100, decisionNote: '事迹属实' });
    await expect(m.honours.approve(operator, nomination.id, undefined, noCtx)).rejects.toMatchObject({ code: 'points.story_decided' });
    expect(await m.points.balanceOf(CITY, workerAccount(hero.id))).toBe(100);
    const history = await m.points.history(CITY, hero.id);
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ amount: 100, kind: 'award', reason: `微光榜：${story.title}`, source: { type: 'honour', id: nomination.id } });

    const wall = await m.honours.publicStories(CITY, { page: 1, pageSize: 20 });
    expect(wall.items[0]).toMatchObject({ id: nomination.id, workerNameMasked: '周**', points: 100, title: story.title });
    expect(JSON.stringify(wall)).not.toContain(hero.phone);
    expect((await m.earning.statsOf(CITY, hero.id))?.approved_stories).toBe(1);
    await expectNoDrift(t);
  });

  it('self-nomination, rejection with a reason, the daily limit, and unknown or unverified nominees', async () => {
    const w = await verifiedWorker(t);
    const mine = await m.honours.nominateByWorker({ id: w.id, cityCode: CITY }, story, noCtx);
    const rejected = await m.honours.reject(operator, mine.id, '事迹无法核实', noCtx);
    expect(rejected).toMatchObject({ status: 'rejected', decisionNote: '事迹无法核实', nominatedBy: { label: '本人' }, points: null });
    await expect(m.honours.approve(operator, mine.id, undefined, noCtx)).rejects.toMatchObject({ code: 'points.story_decided' });
    expect(await m.points.balanceOf(CITY, workerAccount(w.id))).toBe(0);
    expect((await m.honours.myNominations(w.id))[0]).toMatchObject({ id: mine.id, status: 'rejected' });

    await expect(m.honours.nominateByWorker({ id: w.id, cityCode: CITY }, { ...story, workerPhone: nextPhone() }, noCtx)).rejects.toMatchObject({ code: 'points.worker_not_found' });
    const { id: unverified, created } = await t.services.workers.seedWorker({ phone: nextPhone(), status: 'unverified' });
    expect(created).toBe(true);
    await expect(m.honours.nominateByWorker({ id: unverified, cityCode: CITY }, story, noCtx)).rejects.toMatchObject({ code: 'points.worker_not_verified' });

    for (let i = 1; i < WORKER_NOMINATIONS_PER_DAY; i++) await m.honours.nominateByWorker({ id: w.id, cityCode: CITY }, story, noCtx);
    await expect(m.honours.nominateByWorker({ id: w.id, cityCode: CITY }, story, noCtx)).rejects.toMatchObject({ code: 'points.nomination_limit' });
    t.clock.advance(24 * 3600 * 1000 + 1);
    await m.honours.nominateByWorker({ id: w.id, cityCode: CITY }, story, noCtx);
  });

  it('staff nominate and read within their area; only operators of the area decide', async () => {
    const inBaihe = await verifiedWorker(t, { areaCode: AREAS.baihe });
    const inNanmen = await verifiedWorker(t, { areaCode: AREAS.nanmen });
    const handler = (await staffClient(t, 'handler', AREAS.baihe)).principal;
    const haishuOperator = (await staffClient(t, 'operator', AREAS.haishu)).principal;
    const byHandler = await m.honours.nominateByStaff(handler, { ...story, workerPhone: inBaihe.phone }, noCtx);
    expect(byHandler.nominatedBy).toEqual({ kind: 'staff', label: handler.displayName });
    await expect(m.honours.nominateByStaff(handler, { ...story, workerPhone: inNanmen.phone }, noCtx)).rejects.toMatchObject({ code: 'areas.out_of_scope' });
    const scanner = (await staffClient(t, 'scanner', AREAS.baihe)).principal;
    await expect(m.honours.nominateByStaff(scanner, { ...story, workerPhone: inBaihe.phone }, noCtx)).rejects.toMatchObject({ code: 'auth.forbidden' });

    await expect(m.honours.approve(handler, byHandler.id, undefined, noCtx)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(m.honours.approve(haishuOperator, byHandler.id, undefined, noCtx)).rejects.toMatchObject({ code: 'areas.out_of_scope' });
    expect((await m.honours.adminList(haishuOperator, { page: 1, pageSize: 100 })).items.map((s) => s.id)).not.toContain(byHandler.id);
    expect((await m.honours.adminList(handler, { page: 1, pageSize: 100 })).items.map((s) => s.id)).toContain(byHandler.id);
  });

  it('approved stories count towards 城市合伙人', async () => {
    await m.earning.saveSettings(operator, { ...DEFAULT_SETTINGS, partner: { enabled: true, minLifetimePoints: 100, minApprovedStories: 2, minValidReports: 0 } }, noCtx);
    const w = await verifiedWorker(t);
    for (let i = 0; i < 2; i++) {
      const s = await m.honours.nominateByStaff(operator, { ...story, workerPhone: w.phone }, noCtx);
      expect(await m.earning.isCityPartner(w.id)).toBe(false);
      await m.honours.approve(operator, s.id, undefined, noCtx);
    }
    expect(await m.earning.isCityPartner(w.id)).toBe(true);
    const wall = await m.honours.publicStories(CITY, { page: 1, pageSize: 5 });
    expect(wall.items[0]).toMatchObject({ cityPartner: true });
    await m.earning.saveSettings(operator, DEFAULT_SETTINGS, noCtx);
  });
});
