import type { Clock } from '../../shared/clock.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  DEFAULT_PICKUP_WINDOW_DAYS,
  type AdminOrder,
  type AdminOrdersQuery,
  type AdminReward,
  type AdminRewardsQuery,
  type CataloguePage,
  type CatalogueQuery,
  type RewardCategory,
  type RewardInput as RewardInputDto,
  type RewardPlaceRef,
  type RewardStatus,
  type RewardUpdate,
  type WorkerOrder,
  type WorkerOrdersQuery,
} from '../../contracts/points.js';
import { AppError } from '../../shared/errors.js';
import { newId, sha256Hex } from '../../shared/ids.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { AREA_LEVEL, type AreasService } from '../areas/areas.service.js';
import { requireInScope, requireOperatorFor } from './points.access.js';
import { SYSTEM, workerAccount, type PointsService } from './points.service.js';
import type { OrderRow, OrderWithReward, RewardRow, RewardsRepository } from './rewards.repository.js';

export interface RewardInput {
  cityCode: string;
  title: string;
  description?: string | null;
  category?: RewardCategory;
  cost: number;
  stock: number;
  perWorkerLimit?: number | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
  placeId?: string | null;
  sponsorId?: string | null;
  /** Staff scope of the reward; default: the pickup place's area, else the whole city. */
  areaCode?: string | null;
}

/** What rewards need to know about places (the places module's lookup). */
export interface RewardPlaces {
  lookup(id: string): Promise<{ id: string; type: string; cityCode: string; areaCode: string; name: string; status: string } | undefined>;
}

/** An order waiting at a place, for the pass scan. */
export interface PendingPickup {
  orderId: string;
  rewardId: string;
  title: string;
  category: RewardCategory;
  cost: number;
  createdAt: string;
  pickupDeadline: string | null;
  pickupCode: string;
}

const DAY_MS = 24 * 3600 * 1000;
/** Places where a reward may be picked up. */
const PICKUP_PLACE_TYPES = new Set(['merchant', 'station', 'canteen', 'service_centre']);

/** A short code the merchant can read back to the worker (the scan does the real check). */
export const pickupCodeOf = (orderId: string) => String(parseInt(sha256Hex(`pickup:${orderId}`).slice(0, 8), 16) % 1_000_000).padStart(6, '0');

const invalidReward = (field: string, message: string) => new AppError('points.invalid_reward', `${field}: ${message}`, { errors: [{ field, message }] });

/**
 * Rewards and redemption orders. A redemption takes one unit of stock and spends the worker's points
 * in ONE database transaction with the reward row locked: stock and balances move together or not at
 * all, so N simultaneous redemptions of a reward with S in stock give exactly min(N, S) orders.
 * Cancelling (or expiry) refunds the points and returns the unit. The merchant completes an order by
 * scanning the worker's pass at the reward's place (`completePickup`, called by the pass module).
 */
export function createRewardsService(deps: {
  repo: RewardsRepository;
  points: PointsService;
  clock: Clock;
  /** The city's pickup window (days); default 14. */
  settings?: { settingsOf(cityCode: string): Promise<{ pickupWindowDays: number }> };
  places?: RewardPlaces;
  areas?: Pick<AreasService, 'path'>;
  audit?: Pick<AuditService, 'record'>;
  sponsors?: { names(cityCode: string, ids: string[]): Promise<Map<string, string>> };
  workers?: { getWorkerSummary(id: string): Promise<{ phoneMasked: string; nameMasked: string | null; verificationStatus: string } | undefined> };
}) {
  const { repo, points, clock } = deps;

  // ---------------- shaping

  async function areaName(code: string, cache: Map<string, string>): Promise<string> {
    const hit = cache.get(code);
    if (hit !== undefined) return hit;
    let name = code;
    try {
      const path = (await deps.areas?.path(code)) ?? [];
      name = path.filter((a) => a.level > AREA_LEVEL.city).map((a) => a.name).join(' · ') || path.map((a) => a.name).join(' · ') || code;
    } catch {
      // an unknown code shows as itself
    }
    cache.set(code, name);
    return name;
  }

  type Caches = { places: Map<string, RewardPlaceRef | null>; areas: Map<string, string> };
  const newCaches = (): Caches => ({ places: new Map(), areas: new Map() });

  async function placeRef(placeId: string | null, caches: Caches): Promise<RewardPlaceRef | null> {
    if (!placeId || !deps.places) return null;
    if (caches.places.has(placeId)) return caches.places.get(placeId)!;
    const p = await deps.places.lookup(placeId);
    const ref = p ? { id: p.id, name: p.name, areaName: await areaName(p.areaCode, caches.areas), address: null } : null;
    caches.places.set(placeId, ref);
    return ref;
  }

  const iso = (d: Date | null) => (d ? d.toISOString() : null);

  async function toAdminReward(r: RewardRow, names: Map<string, string>, counts: Awaited<ReturnType<RewardsRepository['orderCounts']>>, caches: Caches): Promise<AdminReward> {
    const c = counts.get(r.id) ?? { awaiting_pickup: 0, completed: 0, cancelled: 0, expired: 0 };
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      category: r.category,
      cost: r.cost,
      stock: r.stock,
      perWorkerLimit: r.per_worker_limit,
      validFrom: iso(r.valid_from),
      validUntil: iso(r.valid_until),
      place: await placeRef(r.place_id, caches),
      sponsor: r.sponsor_id ? { id: r.sponsor_id, name: names.get(r.sponsor_id) ?? r.sponsor_id } : null,
      status: r.status,
      areaCode: r.area_code ?? r.city_code,
      orders: { awaitingPickup: c.awaiting_pickup, completed: c.completed, cancelled: c.cancelled, expired: c.expired },
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }

  async function adminRewards(p: StaffPrincipal, rows: RewardRow[]): Promise<AdminReward[]> {
    const names = (await deps.sponsors?.names(p.cityCode, rows.map((r) => r.sponsor_id).filter((x): x is string => !!x))) ?? new Map<string, string>();
    const counts = await repo.orderCounts(rows.map((r) => r.id));
    const caches = newCaches();
    return Promise.all(rows.map((r) => toAdminReward(r, names, counts, caches)));
  }

  async function toWorkerOrder(o: OrderWithReward, caches: Caches): Promise<WorkerOrder> {
    const awaiting = o.status === 'awaiting_pickup';
    return {
      id: o.id,
      reward: { id: o.reward_id, title: o.reward_title, category: o.reward_category },
      cost: o.cost,
      status: o.status,
      createdAt: o.created_at.toISOString(),
      completedAt: iso(o.completed_at),
      closedReason: o.closed_reason,
      pickup: awaiting
        ? {
            place: await placeRef(o.reward_place_id, caches),
            code: pickupCodeOf(o.id),
            deadline: (o.pickup_deadline ?? new Date(o.created_at.getTime() + DEFAULT_PICKUP_WINDOW_DAYS * DAY_MS)).toISOString(),
          }
        : null,
      canCancel: awaiting,
    };
  }

  async function toAdminOrder(o: OrderWithReward, caches: Caches): Promise<AdminOrder> {
    const w = await deps.workers?.getWorkerSummary(o.worker_id);
    return {
      id: o.id,
      reward: { id: o.reward_id, title: o.reward_title },
      place: await placeRef(o.reward_place_id, caches),
      workerNameMasked: w?.nameMasked ?? w?.phoneMasked ?? '***',
      workerPhoneMasked: w?.phoneMasked ?? '***',
      cost: o.cost,
      status: o.status,
      createdAt: o.created_at.toISOString(),
      completedAt: iso(o.completed_at),
      pickupDeadline: iso(o.pickup_deadline),
      closedReason: o.closed_reason,
      completedBy: o.completed_by,
    };
  }

  // ---------------- rules of a reward

  function checkWindow(from: Date | null | undefined, until: Date | null | undefined) {
    if (from && until && from >= until) throw invalidReward('validUntil', 'must be after validFrom');
  }

  async function pickupPlace(cityCode: string, placeId: string | null | undefined) {
    if (!placeId) return undefined;
    const place = await deps.places?.lookup(placeId);
    if (!place || place.cityCode !== cityCode) throw new AppError('places.not_found', 'No such place');
    if (!PICKUP_PLACE_TYPES.has(place.type)) throw invalidReward('placeId', 'must be a merchant, station, canteen or service centre');
    return place;
  }

  async function createReward(input: RewardInput): Promise<RewardRow> {
    for (const [field, v, min] of [['cost', input.cost, 1], ['stock', input.stock, 0]] as const) {
      if (!Number.isSafeInteger(v) || v < min) throw new AppError('points.invalid_amount', `${field} must be a whole number ≥ ${min}`, { errors: [{ field, message: `must be a whole number ≥ ${min}` }] });
    }
    checkWindow(input.validFrom, input.validUntil);
    const now = clock.now();
    const row: RewardRow = {
      id: newId(),
      city_code: input.cityCode,
      title: input.title,
      description: input.description ?? null,
      cost: input.cost,
      stock: input.stock,
      per_worker_limit: input.perWorkerLimit ?? null,
      valid_from: input.validFrom ?? null,
      valid_until: input.validUntil ?? null,
      place_id: input.placeId ?? null,
      sponsor_id: input.sponsorId ?? null,
      status: 'active',
      category: input.category ?? 'goods',
      area_code: input.areaCode ?? null,
      created_at: now,
      updated_at: now,
    };
    await repo.insertReward(row);
    return row;
  }

  async function visibleReward(p: StaffPrincipal, id: string): Promise<RewardRow> {
    const r = await repo.findReward(id);
    if (!r || r.city_code !== p.cityCode) throw new AppError('points.reward_not_found', 'No such reward');
    requireInScope(p, r.city_code, r.area_code);
    return r;
  }

  const pickupWindowDays = async (cityCode: string) => (await deps.settings?.settingsOf(cityCode))?.pickupWindowDays ?? DEFAULT_PICKUP_WINDOW_DAYS;

  /** Cancelled by the worker or staff, or expired: the points come back and so does the unit of stock. */
  async function cancel(c: { orderId: string; reason: string; expired?: boolean; workerId?: string }): Promise<OrderRow> {
    return points.transaction(async (trx) => {
      const order = await repo.lockOrder(c.orderId, trx);
      if (!order || (c.workerId && order.worker_id !== c.workerId)) throw new AppError('points.order_not_found', 'No such order');
      if (order.status !== 'awaiting_pickup') throw new AppError('points.order_closed', `Order is ${order.status}`);
      const refundTx = newId();
      await repo.addStock(order.reward_id, 1, clock.now(), trx);
      const status = c.expired ? 'expired' : 'cancelled';
      await repo.closeOrder(order.id, { status, refund_tx: refundTx, closed_reason: c.reason }, trx);
      await points.postIn(
        {
          id: refundTx,
          cityCode: order.city_code,
          kind: 'refund',
          reason: c.reason,
          source: { type: 'order', id: order.id },
          idempotencyKey: `order-refund:${order.id}`,
          reverses: order.redeem_tx,
          lines: [
            { account: SYSTEM.redemption, amount: -order.cost },
            { account: workerAccount(order.worker_id), amount: order.cost },
          ],
        },
        trx,
        { fresh: true },
      );
      return { ...order, status, refund_tx: refundTx, closed_reason: c.reason };
    });
  }

  return {
    createReward,
    getReward: (id: string) => repo.findReward(id),
    /** Whether the city has any rewards (the demo seed runs once per city). */
    hasRewards: async (cityCode: string) => (await repo.countForCity(cityCode)) > 0,

    /** A worker redeems a reward; a retried request (same key) returns the same order. */
    async redeem(r: { cityCode: string; workerId: string; rewardId: string; idempotencyKey: string }): Promise<OrderRow> {
      const earlier = await repo.findOrderByKey(r.cityCode, r.idempotencyKey);
      if (earlier) return earlier;
      const now = clock.now();
      const windowDays = await pickupWindowDays(r.cityCode);
      try {
        return await points.transaction(async (trx) => {
          const reward = await repo.lockReward(r.rewardId, trx);
          if (!reward || reward.city_code !== r.cityCode) throw new AppError('points.reward_unavailable', 'No such reward');
          // a retry that raced the first request: once the reward's lock is ours, its order is visible
          const raced = await repo.findOrderByKey(r.cityCode, r.idempotencyKey, trx);
          if (raced) return raced;
          const inWindow = (!reward.valid_from || reward.valid_from <= now) && (!reward.valid_until || reward.valid_until > now);
          if (reward.status !== 'active' || !inWindow) throw new AppError('points.reward_unavailable', 'This reward is not offered now');
          if (reward.stock <= 0) throw new AppError('points.out_of_stock', 'Out of stock');
          if (reward.per_worker_limit !== null && (await repo.ordersByWorker(reward.id, r.workerId, trx)) >= reward.per_worker_limit) {
            throw new AppError('points.limit_reached', `At most ${reward.per_worker_limit} per worker`);
          }
          const orderId = newId();
          const redeemTx = newId();
          await repo.addStock(reward.id, -1, now, trx);
          let deadline = new Date(now.getTime() + windowDays * DAY_MS);
          if (reward.valid_until && reward.valid_until < deadline) deadline = reward.valid_until;
          const order: OrderRow = {
            id: orderId,
            city_code: r.cityCode,
            reward_id: reward.id,
            worker_id: r.workerId,
            cost: reward.cost,
            status: 'awaiting_pickup',
            redeem_tx: redeemTx,
            refund_tx: null,
            idempotency_key: r.idempotencyKey,
            created_at: now,
            completed_at: null,
            closed_reason: null,
            pickup_deadline: deadline,
            completed_by: null,
            completed_place_id: null,
          };
          await repo.insertOrder(order, trx);
          // the spend last (the worker's balance is checked by the database: 23514 when short), so the
          // shared redemption account is held only until the commit
          await points.postIn(
            {
              id: redeemTx,
              cityCode: r.cityCode,
              kind: 'redeem',
              reason: `兑换：${reward.title}`,
              source: { type: 'order', id: orderId },
              idempotencyKey: `order:${r.idempotencyKey}`,
              lines: [
                { account: workerAccount(r.workerId), amount: -reward.cost },
                { account: SYSTEM.redemption, amount: reward.cost },
              ],
            },
            trx,
            { fresh: true },
          );
          return order;
        });
      } catch (e) {
        // the same key redeemed concurrently: return the order the other request made
        if ((e as { code?: string }).code === '23505') {
          const winner = await repo.findOrderByKey(r.cityCode, r.idempotencyKey);
          if (winner) return winner;
        }
        if ((e as { code?: string }).code === '23514') throw new AppError('points.insufficient_balance', 'Not enough points');
        throw e;
      }
    },

    /** Staff hand the reward over without a scan (rewards without a pickup place). */
    async complete(orderId: string, by?: string): Promise<OrderRow> {
      return points.transaction(async (trx) => {
        const order = await repo.lockOrder(orderId, trx);
        if (!order) throw new AppError('points.order_not_found', 'No such order');
        if (order.status !== 'awaiting_pickup') throw new AppError('points.order_closed', `Order is ${order.status}`);
        const completedAt = clock.now();
        await repo.closeOrder(order.id, { status: 'completed', completed_at: completedAt, completed_by: by ?? null }, trx);
        return { ...order, status: 'completed', completed_at: completedAt, completed_by: by ?? null };
      });
    },

    cancel,

    // ---------------- for the pass (server to server)

    /** The worker's orders awaiting pickup at this place, oldest first: what a scan there can hand over. */
    async pendingOrdersAt(workerId: string, placeId: string): Promise<PendingPickup[]> {
      return (await repo.pendingAt(workerId, placeId)).map((o) => ({
        orderId: o.id,
        rewardId: o.reward_id,
        title: o.reward_title,
        category: o.reward_category,
        cost: o.cost,
        createdAt: o.created_at.toISOString(),
        pickupDeadline: iso(o.pickup_deadline),
        pickupCode: pickupCodeOf(o.id),
      }));
    },

    /**
     * The merchant scanned the worker's pass at `placeId` and hands the reward over. The order must be
     * awaiting pickup and its reward picked up at this place. Repeating the same scan (same place and
     * scanner) on a completed order returns it unchanged; anything else on a closed order is refused.
     */
    async completePickup(orderId: string, scan: { placeId: string; scannedBy: string; workerId?: string }): Promise<OrderRow> {
      return points.transaction(async (trx) => {
        const order = await repo.lockOrder(orderId, trx);
        if (!order || (scan.workerId && order.worker_id !== scan.workerId)) throw new AppError('points.order_not_found', 'No such order');
        const reward = await repo.findReward(order.reward_id, trx);
        if (!reward?.place_id || reward.place_id !== String(scan.placeId)) throw new AppError('points.wrong_place', 'This reward is picked up at another place');
        if (order.status === 'completed' && order.completed_place_id === String(scan.placeId) && order.completed_by === scan.scannedBy) return order;
        if (order.status !== 'awaiting_pickup') throw new AppError('points.order_closed', `Order is ${order.status}`);
        const completedAt = clock.now();
        const patch = { status: 'completed' as const, completed_at: completedAt, completed_by: scan.scannedBy, completed_place_id: String(scan.placeId) };
        await repo.closeOrder(order.id, patch, trx);
        return { ...order, ...patch };
      });
    },

    // ---------------- durable job

    /** Expires (and refunds) orders not picked up in time; returns how many. */
    async expireOverdue(): Promise<number> {
      let n = 0;
      for (;;) {
        const due = await repo.overdue(clock.now(), 200);
        for (const o of due) {
          try {
            await cancel({ orderId: o.id, reason: '逾期未领取，积分已退回', expired: true });
            n++;
          } catch (e) {
            // picked up or cancelled meanwhile
            if (!(e instanceof AppError && e.code === 'points.order_closed')) throw e;
          }
        }
        if (due.length < 200) return n;
      }
    },

    // ---------------- worker

    async catalogue(worker: { id: string; cityCode: string }, q: CatalogueQuery): Promise<CataloguePage> {
      const { rows, total } = await repo.catalogue(worker.cityCode, { now: clock.now(), category: q.category, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      const balance = await points.balanceOf(worker.cityCode, workerAccount(worker.id));
      const mine = await repo.liveOrdersPerReward(worker.id, rows.filter((r) => r.per_worker_limit !== null).map((r) => r.id));
      const names = (await deps.sponsors?.names(worker.cityCode, rows.map((r) => r.sponsor_id).filter((x): x is string => !!x))) ?? new Map<string, string>();
      const caches = newCaches();
      const items = await Promise.all(
        rows.map(async (r) => ({
          id: r.id,
          title: r.title,
          description: r.description,
          category: r.category,
          cost: r.cost,
          stockLeft: r.stock,
          perWorkerLimit: r.per_worker_limit,
          myRemaining: r.per_worker_limit === null ? null : Math.max(0, r.per_worker_limit - (mine.get(r.id) ?? 0)),
          affordable: balance >= r.cost,
          validFrom: iso(r.valid_from),
          validUntil: iso(r.valid_until),
          place: await placeRef(r.place_id, caches),
          sponsorName: r.sponsor_id ? (names.get(r.sponsor_id) ?? null) : null,
        })),
      );
      return { balance, items, total, page: q.page, pageSize: q.pageSize };
    },

    async orderForWorker(workerId: string, orderId: string): Promise<WorkerOrder> {
      const o = await repo.findOrder(orderId);
      if (!o || o.worker_id !== workerId) throw new AppError('points.order_not_found', 'No such order');
      return toWorkerOrder(o, newCaches());
    },

    async myOrders(workerId: string, q: WorkerOrdersQuery): Promise<PageOf<WorkerOrder>> {
      const { rows, total } = await repo.workerOrders(workerId, { status: q.status, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      const caches = newCaches();
      return { items: await Promise.all(rows.map((o) => toWorkerOrder(o, caches))), total, page: q.page, pageSize: q.pageSize };
    },

    async cancelMine(workerId: string, orderId: string): Promise<WorkerOrder> {
      await cancel({ orderId, reason: '骑手取消兑换，积分已退回', workerId });
      return toWorkerOrder((await repo.findOrder(orderId))!, newCaches());
    },

    countAwaiting: (workerId: string) => repo.countAwaiting(workerId),

    // ---------------- staff

    async adminList(p: StaffPrincipal, q: AdminRewardsQuery): Promise<PageOf<AdminReward>> {
      const { rows, total } = await repo.adminList(p.cityCode, { areaPrefix: p.areaCode, cityWide: p.areaCode === p.cityCode, status: q.status, q: q.q?.trim() || undefined, placeId: q.placeId, sponsorId: q.sponsorId, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      return { items: await adminRewards(p, rows), total, page: q.page, pageSize: q.pageSize };
    },

    async adminGet(p: StaffPrincipal, id: string): Promise<AdminReward> {
      return (await adminRewards(p, [await visibleReward(p, id)]))[0]!;
    },

    async adminCreate(p: StaffPrincipal, input: RewardInputDto, ctx: AuditContext): Promise<AdminReward> {
      const place = await pickupPlace(p.cityCode, input.placeId);
      const areaCode = place ? place.areaCode : p.areaCode === p.cityCode ? null : p.areaCode;
      requireOperatorFor(p, p.cityCode, areaCode, 'offer rewards');
      if (input.sponsorId && !(await deps.sponsors?.names(p.cityCode, [input.sponsorId]))?.has(input.sponsorId)) throw new AppError('points.sponsor_not_found', 'No such sponsor');
      const row = await createReward({
        cityCode: p.cityCode,
        title: input.title.trim(),
        description: input.description?.trim() || null,
        category: input.category,
        cost: input.cost,
        stock: input.stock,
        perWorkerLimit: input.perWorkerLimit ?? null,
        validFrom: input.validFrom ? new Date(input.validFrom) : null,
        validUntil: input.validUntil ? new Date(input.validUntil) : null,
        placeId: input.placeId ?? null,
        sponsorId: input.sponsorId ?? null,
        areaCode,
      });
      await deps.audit?.record(ctx, { cityCode: p.cityCode, action: 'points.reward_created', targetKind: 'points_reward', targetId: row.id, detail: { title: row.title, cost: row.cost, stock: row.stock, placeId: row.place_id } });
      return (await adminRewards(p, [row]))[0]!;
    },

    async adminUpdate(p: StaffPrincipal, id: string, u: RewardUpdate, ctx: AuditContext): Promise<AdminReward> {
      const current = await visibleReward(p, id);
      requireOperatorFor(p, current.city_code, current.area_code, 'edit rewards');
      if (current.status === 'ended') throw new AppError('points.reward_ended', 'This reward has ended');
      const patch: Partial<RewardRow> = { updated_at: clock.now() };
      if (u.title !== undefined) patch.title = u.title.trim();
      if (u.description !== undefined) patch.description = u.description?.trim() || null;
      if (u.category !== undefined) patch.category = u.category;
      if (u.cost !== undefined) patch.cost = u.cost;
      if (u.perWorkerLimit !== undefined) patch.per_worker_limit = u.perWorkerLimit;
      if (u.validFrom !== undefined) patch.valid_from = u.validFrom ? new Date(u.validFrom) : null;
      if (u.validUntil !== undefined) patch.valid_until = u.validUntil ? new Date(u.validUntil) : null;
      if (u.sponsorId !== undefined) {
        if (u.sponsorId && !(await deps.sponsors?.names(p.cityCode, [u.sponsorId]))?.has(u.sponsorId)) throw new AppError('points.sponsor_not_found', 'No such sponsor');
        patch.sponsor_id = u.sponsorId;
      }
      if (u.placeId !== undefined) {
        const place = await pickupPlace(p.cityCode, u.placeId);
        patch.place_id = u.placeId;
        patch.area_code = place ? place.areaCode : current.area_code;
        requireOperatorFor(p, p.cityCode, patch.area_code, 'move rewards');
      }
      checkWindow(patch.valid_from !== undefined ? patch.valid_from : current.valid_from, patch.valid_until !== undefined ? patch.valid_until : current.valid_until);
      await repo.updateReward(id, patch);
      await deps.audit?.record(ctx, { cityCode: p.cityCode, action: 'points.reward_updated', targetKind: 'points_reward', targetId: id, detail: { changes: u } });
      return (await adminRewards(p, [(await repo.findReward(id))!]))[0]!;
    },

    async setStatus(p: StaffPrincipal, id: string, status: RewardStatus, ctx: AuditContext): Promise<AdminReward> {
      const current = await visibleReward(p, id);
      requireOperatorFor(p, current.city_code, current.area_code, 'pause or end rewards');
      if (current.status === 'ended') throw new AppError('points.reward_ended', 'This reward has ended');
      if (current.status !== status) {
        await repo.updateReward(id, { status, updated_at: clock.now() });
        await deps.audit?.record(ctx, { cityCode: p.cityCode, action: 'points.reward_status', targetKind: 'points_reward', targetId: id, detail: { from: current.status, to: status } });
      }
      return (await adminRewards(p, [(await repo.findReward(id))!]))[0]!;
    },

    async restock(p: StaffPrincipal, id: string, quantity: number, ctx: AuditContext): Promise<AdminReward> {
      const current = await visibleReward(p, id);
      requireOperatorFor(p, current.city_code, current.area_code, 'restock rewards');
      if (current.status === 'ended') throw new AppError('points.reward_ended', 'This reward has ended');
      await points.transaction((trx) => repo.addStock(id, quantity, clock.now(), trx));
      await deps.audit?.record(ctx, { cityCode: p.cityCode, action: 'points.reward_restocked', targetKind: 'points_reward', targetId: id, detail: { quantity, before: current.stock } });
      return (await adminRewards(p, [(await repo.findReward(id))!]))[0]!;
    },

    async adminOrders(p: StaffPrincipal, q: AdminOrdersQuery, ctx: AuditContext): Promise<PageOf<AdminOrder>> {
      const { rows, total } = await repo.adminOrders(p.cityCode, { areaPrefix: p.areaCode, cityWide: p.areaCode === p.cityCode, status: q.status, rewardId: q.rewardId, placeId: q.placeId, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      const caches = newCaches();
      const items = await Promise.all(rows.map((o) => toAdminOrder(o, caches)));
      // masked worker names and phones are personal data read by staff
      if (items.length) await deps.audit?.record(ctx, { cityCode: p.cityCode, action: 'points.orders_read', targetKind: 'points_order', detail: { count: items.length, filter: q } });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async adminCancelOrder(p: StaffPrincipal, id: string, reason: string, ctx: AuditContext): Promise<AdminOrder> {
      const o = await repo.findOrder(id);
      if (!o || o.city_code !== p.cityCode) throw new AppError('points.order_not_found', 'No such order');
      requireOperatorFor(p, o.city_code, o.reward_area_code, 'cancel orders');
      await cancel({ orderId: id, reason: reason.trim() });
      await deps.audit?.record(ctx, { cityCode: p.cityCode, action: 'points.order_cancelled', targetKind: 'points_order', targetId: id, detail: { reason } });
      return toAdminOrder((await repo.findOrder(id))!, newCaches());
    },
  };
}
export type RewardsService = ReturnType<typeof createRewardsService>;
