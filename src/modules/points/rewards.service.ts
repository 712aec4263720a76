import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { SYSTEM, workerAccount, type PointsService } from './points.service.js';
import type { OrderRow, RewardRow, RewardsRepository } from './rewards.repository.js';

export interface RewardInput {
  cityCode: string;
  title: string;
  description?: string | null;
  cost: number;
  stock: number;
  perWorkerLimit?: number | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
  placeId?: string | null;
  sponsorId?: string | null;
}

/**
 * Rewards and redemption orders. A redemption takes one unit of stock and spends the worker's points
 * in ONE database transaction with the reward row locked: stock and balances move together or not at
 * all, so N simultaneous redemptions of a reward with S in stock give exactly min(N, S) orders.
 * Cancelling (or expiry) refunds the points and returns the unit.
 */
export function createRewardsService(deps: { repo: RewardsRepository; points: PointsService; clock: Clock }) {
  const { repo, points, clock } = deps;

  return {
    async createReward(input: RewardInput): Promise<RewardRow> {
      for (const [field, v, min] of [['cost', input.cost, 1], ['stock', input.stock, 0]] as const) {
        if (!Number.isSafeInteger(v) || v < min) throw new AppError('points.invalid_amount', `${field} must be a whole number ≥ ${min}`, { errors: [{ field, message: `must be a whole number ≥ ${min}` }] });
      }
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
        created_at: now,
        updated_at: now,
      };
      await repo.insertReward(row);
      return row;
    },

    getReward: (id: string) => repo.findReward(id),

    /** A worker redeems a reward; a retried request (same key) returns the same order. */
    async redeem(r: { cityCode: string; workerId: string; rewardId: string; idempotencyKey: string }): Promise<OrderRow> {
      const earlier = await repo.findOrderByKey(r.cityCode, r.idempotencyKey);
      if (earlier) return earlier;
      const now = clock.now();
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
          const spent = await points.postIn(
            {
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
          );
          await repo.addStock(reward.id, -1, now, trx);
          const order: OrderRow = {
            id: orderId,
            city_code: r.cityCode,
            reward_id: reward.id,
            worker_id: r.workerId,
            cost: reward.cost,
            status: 'awaiting_pickup',
            redeem_tx: spent.transactionId,
            refund_tx: null,
            idempotency_key: r.idempotencyKey,
            created_at: now,
            completed_at: null,
            closed_reason: null,
          };
          await repo.insertOrder(order, trx);
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

    /** The merchant hands the reward over (the pass scan at the place will call this). */
    async complete(orderId: string): Promise<OrderRow> {
      return points.transaction(async (trx) => {
        const order = await repo.lockOrder(orderId, trx);
        if (!order) throw new AppError('points.order_not_found', 'No such order');
        if (order.status !== 'awaiting_pickup') throw new AppError('points.order_closed', `Order is ${order.status}`);
        const completedAt = clock.now();
        await repo.closeOrder(order.id, { status: 'completed', completed_at: completedAt }, trx);
        return { ...order, status: 'completed', completed_at: completedAt };
      });
    },

    /** Cancelled by the worker or staff, or expired: the points come back and so does the unit of stock. */
    async cancel(c: { orderId: string; reason: string; expired?: boolean }): Promise<OrderRow> {
      return points.transaction(async (trx) => {
        const order = await repo.lockOrder(c.orderId, trx);
        if (!order) throw new AppError('points.order_not_found', 'No such order');
        if (order.status !== 'awaiting_pickup') throw new AppError('points.order_closed', `Order is ${order.status}`);
        const refund = await points.postIn(
          {
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
        );
        await repo.addStock(order.reward_id, 1, clock.now(), trx);
        const status = c.expired ? 'expired' : 'cancelled';
        await repo.closeOrder(order.id, { status, refund_tx: refund.transactionId, closed_reason: c.reason }, trx);
        return { ...order, status, refund_tx: refund.transactionId, closed_reason: c.reason };
      });
    },
  };
}
export type RewardsService = ReturnType<typeof createRewardsService>;
