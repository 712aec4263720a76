import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export interface RewardRow {
  id: string;
  city_code: string;
  title: string;
  description: string | null;
  cost: number;
  stock: number;
  per_worker_limit: number | null;
  valid_from: Date | null;
  valid_until: Date | null;
  place_id: string | null;
  sponsor_id: string | null;
  status: 'active' | 'paused' | 'ended';
  created_at: Date;
  updated_at: Date;
}

export interface OrderRow {
  id: string;
  city_code: string;
  reward_id: string;
  worker_id: string;
  cost: number;
  status: 'awaiting_pickup' | 'completed' | 'cancelled' | 'expired';
  redeem_tx: string;
  refund_tx: string | null;
  idempotency_key: string;
  created_at: Date;
  completed_at: Date | null;
  closed_reason: string | null;
}

type Tables = { points_rewards: RewardRow; points_orders: OrderRow };

/** The rewards catalogue and orders (the points module's own tables). */
export function createRewardsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  return {
    async insertReward(row: RewardRow): Promise<void> {
      await on().insertInto('points_rewards').values(row).execute();
    },
    async lockReward(id: string, trx: Db): Promise<RewardRow | undefined> {
      return on(trx).selectFrom('points_rewards').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },
    async findReward(id: string): Promise<RewardRow | undefined> {
      return on().selectFrom('points_rewards').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async addStock(id: string, delta: number, at: Date, trx: Db): Promise<void> {
      await sql`update points_rewards set stock = stock + ${delta}, updated_at = ${at} where id = ${id}`.execute(trx);
    },
    async ordersByWorker(rewardId: string, workerId: string, trx: Db): Promise<number> {
      const r = await sql<{ n: number }>`
        select count(*)::int as n from points_orders
        where reward_id = ${rewardId} and worker_id = ${workerId} and status in ('awaiting_pickup', 'completed')`.execute(trx);
      return r.rows[0]?.n ?? 0;
    },
    async findOrderByKey(cityCode: string, key: string, trx?: Db): Promise<OrderRow | undefined> {
      return on(trx).selectFrom('points_orders').selectAll().where('city_code', '=', cityCode).where('idempotency_key', '=', key).executeTakeFirst();
    },
    async lockOrder(id: string, trx: Db): Promise<OrderRow | undefined> {
      return on(trx).selectFrom('points_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    },
    async insertOrder(row: OrderRow, trx: Db): Promise<void> {
      await on(trx).insertInto('points_orders').values(row).execute();
    },
    async closeOrder(id: string, patch: Pick<OrderRow, 'status'> & Partial<Pick<OrderRow, 'refund_tx' | 'completed_at' | 'closed_reason'>>, trx: Db): Promise<void> {
      await on(trx).updateTable('points_orders').set(patch).where('id', '=', id).execute();
    },
  };
}
export type RewardsRepository = ReturnType<typeof createRewardsRepository>;
