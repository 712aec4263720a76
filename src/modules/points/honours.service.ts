import type { Clock } from '../../shared/clock.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import type { AdminHonoursQuery, AdminStory, HonoursQuery, HonourStory, MyNomination, NominationInput, StaffNominationInput } from '../../contracts/points.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { EarningService, PointsWorkers, PointsWorkerSummary } from './earning.service.js';
import type { HonoursRepository, StoryRow } from './honours.repository.js';
import { mayNominate, requireInScope, requireOperatorFor } from './points.access.js';
import type { PointsService } from './points.service.js';

/** A worker may nominate this many stories a day (staff are not limited). */
export const WORKER_NOMINATIONS_PER_DAY = 3;
const DAY_MS = 24 * 3600 * 1000;

/**
 * 微光榜 (honour roll of good deeds): staff nominate any worker in their scope; a signed-in verified
 * worker nominates a good deed they saw (naming the worker by phone) or their own. An operator of the
 * worker's area approves — the `honour` rule's points are awarded once per story and the story shows
 * publicly with the masked name — or rejects with a reason. Approved stories count towards 城市合伙人.
 */
export function createHonoursService(deps: {
  repo: HonoursRepository;
  earning: Pick<EarningService, 'earn' | 'recordApprovedStory' | 'evaluatePartner' | 'activePartners'>;
  points: Pick<PointsService, 'reverse'>;
  workers: PointsWorkers;
  areas: Pick<AreasService, 'find'>;
  audit: Pick<AuditService, 'record'>;
  clock: Clock;
}) {
  const { repo, earning, points, workers, areas, audit, clock } = deps;

  const masked = (w: PointsWorkerSummary | undefined) => w?.nameMasked ?? w?.phoneMasked ?? '***';

  async function areaNameOf(code: string | null, cache: Map<string, string | null>): Promise<string | null> {
    if (!code) return null;
    if (!cache.has(code)) cache.set(code, (await areas.find(code))?.name ?? null);
    return cache.get(code)!;
  }

  async function toAdmin(s: StoryRow, cache = new Map<string, string | null>()): Promise<AdminStory> {
    const w = await workers.getWorkerSummary(s.worker_id);
    return {
      id: s.id,
      title: s.title,
      story: s.story,
      workerId: s.worker_id,
      workerNameMasked: masked(w),
      workerPhoneMasked: w?.phoneMasked ?? '***',
      areaCode: s.area_code,
      areaName: await areaNameOf(s.area_code, cache),
      nominatedBy: { kind: s.nominated_by_kind, label: s.nominated_by_label },
      status: s.status,
      decisionNote: s.decision_note,
      decidedBy: s.decided_by,
      points: s.points,
      createdAt: s.created_at.toISOString(),
      decidedAt: s.decided_at?.toISOString() ?? null,
    };
  }

  async function nomineeByPhone(cityCode: string, phone: string): Promise<PointsWorkerSummary> {
    const w = await workers.findWorkerByPhone(cityCode, phone);
    if (!w) throw new AppError('points.worker_not_found', 'No worker with this phone number', { errors: [{ field: 'workerPhone', message: 'no worker with this phone number', code: 'points.worker_not_found' }] });
    if (w.verificationStatus !== 'approved') throw new AppError('points.worker_not_verified', 'This worker is not verified yet');
    return w;
  }

  async function load(p: StaffPrincipal, id: string, trx?: Parameters<HonoursRepository['find']>[1]): Promise<StoryRow> {
    const s = await repo.find(id, trx);
    if (!s || s.city_code !== p.cityCode) throw new AppError('points.story_not_found', 'No such story');
    requireInScope(p, s.city_code, s.area_code);
    return s;
  }

  return {
    // ---------------- workers and the public

    async nominateByWorker(nominator: { id: string; cityCode: string }, input: NominationInput, ctx: AuditContext): Promise<MyNomination> {
      const me = await workers.getWorkerSummary(nominator.id);
      if (me?.verificationStatus !== 'approved') throw new AppError('points.worker_not_verified', 'Verify your identity first');
      const since = new Date(clock.now().getTime() - DAY_MS);
      if ((await repo.nominationsSince(nominator.id, since)) >= WORKER_NOMINATIONS_PER_DAY) {
        throw new AppError('points.nomination_limit', `At most ${WORKER_NOMINATIONS_PER_DAY} nominations a day`, { retryAfterSeconds: 3600 });
      }
      const nominee = input.workerPhone ? await nomineeByPhone(nominator.cityCode, input.workerPhone) : me;
      const self = nominee.id === nominator.id;
      const row: StoryRow = {
        id: newId(),
        city_code: nominator.cityCode,
        worker_id: nominee.id,
        area_code: nominee.areaCode,
        title: input.title.trim(),
        story: input.story.trim(),
        nominated_by_kind: 'worker',
        nominated_by_id: nominator.id,
        nominated_by_label: self ? '本人' : me.phoneMasked,
        status: 'pending',
        decision_note: null,
        decided_by: null,
        decided_at: null,
        points: null,
        award_tx: null,
        created_at: clock.now(),
      };
      await repo.insert(row);
      await audit.record(ctx, { cityCode: row.city_code, action: 'points.story_nominated', targetKind: 'points_story', targetId: row.id, detail: { self } });
      return { id: row.id, title: row.title, status: row.status, workerNameMasked: masked(nominee), createdAt: row.created_at.toISOString() };
    },

    async myNominations(workerId: string): Promise<MyNomination[]> {
      const rows = await repo.byNominator(workerId, 50);
      return Promise.all(rows.map(async (s) => ({ id: s.id, title: s.title, status: s.status, workerNameMasked: masked(await workers.getWorkerSummary(s.worker_id)), createdAt: s.created_at.toISOString() })));
    },

    /** Approved stories, newest first, with masked names. */
    async publicStories(cityCode: string, q: HonoursQuery): Promise<PageOf<HonourStory>> {
      const { rows, total } = await repo.list(cityCode, { status: 'approved', areaPrefix: q.areaCode, cityWide: !q.areaCode, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      const partners = await earning.activePartners(cityCode, rows.map((r) => r.worker_id));
      const cache = new Map<string, string | null>();
      const items = await Promise.all(
        rows.map(async (s) => ({
          id: s.id,
          title: s.title,
          story: s.story,
          workerNameMasked: masked(await workers.getWorkerSummary(s.worker_id)),
          areaName: await areaNameOf(s.area_code, cache),
          points: s.points ?? 0,
          approvedAt: (s.decided_at ?? s.created_at).toISOString(),
          cityPartner: partners.has(s.worker_id),
        })),
      );
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    // ---------------- staff

    async nominateByStaff(p: StaffPrincipal, input: StaffNominationInput, ctx: AuditContext): Promise<AdminStory> {
      if (!mayNominate(p)) throw forbidden(`Your role (${p.role}) may not nominate`);
      const nominee = await nomineeByPhone(p.cityCode, input.workerPhone);
      requireInScope(p, p.cityCode, nominee.areaCode);
      const row: StoryRow = {
        id: newId(),
        city_code: p.cityCode,
        worker_id: nominee.id,
        area_code: nominee.areaCode,
        title: input.title.trim(),
        story: input.story.trim(),
        nominated_by_kind: 'staff',
        nominated_by_id: p.id,
        nominated_by_label: p.displayName,
        status: 'pending',
        decision_note: null,
        decided_by: null,
        decided_at: null,
        points: null,
        award_tx: null,
        created_at: clock.now(),
      };
      await repo.insert(row);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.story_nominated', targetKind: 'points_story', targetId: row.id, detail: { workerId: nominee.id } });
      return toAdmin(row);
    },

    async adminList(p: StaffPrincipal, q: AdminHonoursQuery): Promise<PageOf<AdminStory>> {
      const { rows, total } = await repo.list(p.cityCode, { status: q.status, areaPrefix: p.areaCode, cityWide: p.areaCode === p.cityCode, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      const cache = new Map<string, string | null>();
      return { items: await Promise.all(rows.map((s) => toAdmin(s, cache))), total, page: q.page, pageSize: q.pageSize };
    },

    /**
     * Approves a pending story: awards the `honour` rule's points (once per story, whatever retries),
     * counts it towards 城市合伙人 and shows it on the 微光榜.
     */
    async approve(p: StaffPrincipal, id: string, note: string | undefined, ctx: AuditContext): Promise<AdminStory> {
      const story = await load(p, id);
      requireOperatorFor(p, story.city_code, story.area_code, 'approve stories');
      if (story.status !== 'pending') throw new AppError('points.story_decided', `This story was already ${story.status}`);
      const award = await earning.earn({
        cityCode: story.city_code,
        workerId: story.worker_id,
        rule: 'honour',
        source: { type: 'honour', id: story.id },
        idempotencyKey: `honour:${story.id}`,
        reason: `微光榜：${story.title}`,
        createdBy: p.id,
      });
      const decided = await repo.transaction(async (trx) => {
        const current = await load(p, id, trx);
        if (current.status === 'approved') return current; // approved by a concurrent request, with this same award
        if (current.status !== 'pending') return undefined;
        const patch = { status: 'approved' as const, decision_note: note?.trim() || null, decided_by: p.displayName, decided_at: clock.now(), points: award.granted, award_tx: award.transactionId };
        await repo.decide(id, patch, trx);
        await earning.recordApprovedStory(current.city_code, current.worker_id, current.area_code, trx);
        return { ...current, ...patch };
      });
      if (!decided) {
        // rejected by someone else in the meantime: take the award back
        if (award.transactionId && !award.replayed) {
          await points.reverse({ cityCode: story.city_code, transactionId: award.transactionId, kind: 'clawback', reason: '微光榜审核已驳回', idempotencyKey: `honour-undo:${story.id}`, createdBy: p.id });
        }
        throw new AppError('points.story_decided', 'This story was decided meanwhile');
      }
      await earning.evaluatePartner(decided.city_code, decided.worker_id);
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.story_approved', targetKind: 'points_story', targetId: id, detail: { points: award.granted, outcome: award.outcome } });
      return toAdmin(decided);
    },

    async reject(p: StaffPrincipal, id: string, reason: string, ctx: AuditContext): Promise<AdminStory> {
      const decided = await repo.transaction(async (trx) => {
        const current = await load(p, id, trx);
        requireOperatorFor(p, current.city_code, current.area_code, 'reject stories');
        if (current.status !== 'pending') throw new AppError('points.story_decided', `This story was already ${current.status}`);
        const patch = { status: 'rejected' as const, decision_note: reason.trim(), decided_by: p.displayName, decided_at: clock.now(), points: null, award_tx: null };
        await repo.decide(id, patch, trx);
        return { ...current, ...patch };
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.story_rejected', targetKind: 'points_story', targetId: id, detail: { reason } });
      return toAdmin(decided);
    },

    /** For the demo seed: an approved story (awarded like an operator's approval, no audit). */
    async seedApprovedStory(s: { cityCode: string; worker: PointsWorkerSummary; title: string; story: string; by: string }): Promise<string> {
      const id = newId();
      await repo.insert({
        id,
        city_code: s.cityCode,
        worker_id: s.worker.id,
        area_code: s.worker.areaCode,
        title: s.title,
        story: s.story,
        nominated_by_kind: 'staff',
        nominated_by_id: 'seed',
        nominated_by_label: s.by,
        status: 'pending',
        decision_note: null,
        decided_by: null,
        decided_at: null,
        points: null,
        award_tx: null,
        created_at: clock.now(),
      });
      const award = await earning.earn({ cityCode: s.cityCode, workerId: s.worker.id, rule: 'honour', source: { type: 'honour', id }, idempotencyKey: `honour:${id}`, reason: `微光榜：${s.title}`, createdBy: 'seed' });
      await repo.transaction(async (trx) => {
        await repo.decide(id, { status: 'approved', decision_note: null, decided_by: s.by, decided_at: clock.now(), points: award.granted, award_tx: award.transactionId }, trx);
        await earning.recordApprovedStory(s.cityCode, s.worker.id, s.worker.areaCode, trx);
      });
      await earning.evaluatePartner(s.cityCode, s.worker.id);
      return id;
    },
  };
}
export type HonoursService = ReturnType<typeof createHonoursService>;
