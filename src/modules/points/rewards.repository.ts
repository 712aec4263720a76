import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { OrderStatus, RewardCategory, RewardStatus } from '../../contracts/points.js';

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
  status: RewardStatus;
  category: RewardCategory;
  /** The area the reward belongs to (its pickup place's); null = the whole city. */
  area_code: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrderRow {
  id: string;
  city_code: string;
  reward_id: string;
  worker_id: string;
  cost: number;
  status: OrderStatus;
  redeem_tx: string;
  refund_tx: string | null;
  idempotency_key: string;
  created_at: Date;
  completed_at: Date | null;
  closed_reason: string | null;
  pickup_deadline: Date | null;
  completed_by: string | null;
  completed_place_id: string | null;
}

/** An order with what its reward says about it. */
export interface OrderWithReward extends OrderRow {
  reward_title: string;
  reward_category: RewardCategory;
  reward_place_id: string | null;
  reward_area_code: string | null;
}

export interface OrderCounts {
  awaiting_pickup: number;
  completed: number;
  cancelled: number;
  expired: number;
}

type Tables = { points_rewards: RewardRow; points_orders: OrderRow };

const ORDER_WITH_REWARD = sql`o.*, r.title as reward_title, r.category as reward_category, r.place_id as reward_place_id, r.area_code as reward_area_code`;
const idText = (v: unknown) => (v === null || v === undefined ? null : String(v));
const fixOrder = <T extends OrderRow>(o: T): T => ({ ...o, completed_place_id: idText(o.completed_place_id), ...('reward_place_id' in o ? { reward_place_id: idText((o as unknown as OrderWithReward).reward_place_id) } : {}) });
const fixReward = (r: RewardRow): RewardRow => ({ ...r, place_id: idText(r.place_id) });

/** The rewards catalogue and orders (the points module's own tables). */
export function createRewardsRepository(database: Db) {
  const on = (trx?: Db) => (trx ?? database).withTables<Tables>();
  return {
    async insertReward(row: RewardRow): Promise<void> {
      await on().insertInto('points_rewards').values(row).execute();
    },
    async lockReward(id: string, trx: Db): Promise<RewardRow | undefined> {
      const r = await on(trx).selectFrom('points_rewards').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return r && fixReward(r);
    },
    async findReward(id: string, trx?: Db): Promise<RewardRow | undefined> {
      const r = await on(trx).selectFrom('points_rewards').selectAll().where('id', '=', id).executeTakeFirst();
      return r && fixReward(r);
    },
    async updateReward(id: string, patch: Partial<Omit<RewardRow, 'id' | 'city_code' | 'created_at'>>, trx?: Db): Promise<void> {
      await on(trx).updateTable('points_rewards').set(patch).where('id', '=', id).execute();
    },
    async countForCity(cityCode: string): Promise<number> {
      const r = await sql<{ n: number }>`select count(*)::int as n from points_rewards where city_code = ${cityCode}`.execute(database);
      return Number(r.rows[0]?.n ?? 0);
    },
    async addStock(id: string, delta: number, at: Date, trx: Db): Promise<void> {
      await sql`update points_rewards set stock = stock + ${delta}, updated_at = ${at} where id = ${id}`.execute(trx);
    },

    /** The worker catalogue: active rewards in their validity window (in stock first, newest first). */
    async catalogue(cityCode: string, q: { now: Date; category?: RewardCategory; limit: number; offset: number }): Promise<{ rows: RewardRow[]; total: number }> {
      let base = on()
        .selectFrom('points_rewards')
        .where('city_code', '=', cityCode)
        .where('status', '=', 'active')
        .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', q.now)]))
        .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', q.now)]));
      if (q.category) base = base.where('category', '=', q.category);
      const rows = await base
        .selectAll()
        .orderBy(sql`(stock > 0)`, 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return { rows: rows.map(fixReward), total: Number(total?.n ?? 0) };
    },

    /** Staff list, within an area (rewards of the whole city have no area and show to city staff only). */
    async adminList(cityCode: string, q: { areaPrefix: string; cityWide: boolean; status?: RewardStatus; q?: string; placeId?: string; sponsorId?: string; limit: number; offset: number }) {
      let base = on().selectFrom('points_rewards').where('city_code', '=', cityCode);
      if (!q.cityWide) base = base.where('area_code', 'like', `${q.areaPrefix}%`);
      if (q.status) base = base.where('status', '=', q.status);
      if (q.q) base = base.where('title', 'like', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      if (q.placeId) base = base.where('place_id', '=', q.placeId);
      if (q.sponsorId) base = base.where('sponsor_id', '=', q.sponsorId);
      const rows = await base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute();
      const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      return { rows: rows.map(fixReward), total: Number(total?.n ?? 0) };
    },

    async orderCounts(rewardIds: string[]): Promise<Map<string, OrderCounts>> {
      const out = new Map<string, OrderCounts>();
      if (!rewardIds.length) return out;
      const r = await sql<{ reward_id: string; status: OrderStatus; n: number }>`
        select reward_id, status, count(*)::int as n from points_orders where reward_id in (${sql.join(rewardIds)}) group by reward_id, status`.execute(database);
      for (const id of rewardIds) out.set(id, { awaiting_pickup: 0, completed: 0, cancelled: 0, expired: 0 });
      for (const row of r.rows) out.get(row.reward_id)![row.status] = Number(row.n);
      return out;
    },

    async ordersByWorker(rewardId: string, workerId: string, trx: Db): Promise<number> {
      const r = await sql<{ n: number }>`
        select count(*)::int as n from points_orders
        where reward_id = ${rewardId} and worker_id = ${workerId} and status in ('awaiting_pickup', 'completed')`.execute(trx);
      return r.rows[0]?.n ?? 0;
    },
    /** Live orders (awaiting or completed) of a worker per reward, for "my remaining limit". */
    async liveOrdersPerReward(workerId: string, rewardIds: string[]): Promise<Map<string, number>> {
      if (!rewardIds.length) return new Map();
      const r = await sql<{ reward_id: string; n: number }>`
        select reward_id, count(*)::int as n from points_orders
        where worker_id = ${workerId} and reward_id in (${sql.join(rewardIds)}) and status in ('awaiting_pickup', 'completed')
        group by reward_id`.execute(database);
      return new Map(r.rows.map((x) => [x.reward_id, Number(x.n)]));
    },
    async countAwaiting(workerId: string): Promise<number> {
      const r = await sql<{ n: number }>`select count(*)::int as n from points_orders where worker_id = ${workerId} and status = 'awaiting_pickup'`.execute(database);
      return Number(r.rows[0]?.n ?? 0);
    },

    async findOrderByKey(cityCode: string, key: string, trx?: Db): Promise<OrderRow | undefined> {
      const o = await on(trx).selectFrom('points_orders').selectAll().where('city_code', '=', cityCode).where('idempotency_key', '=', key).executeTakeFirst();
      return o && fixOrder(o);
    },
    async lockOrder(id: string, trx: Db): Promise<OrderRow | undefined> {
      const o = await on(trx).selectFrom('points_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return o && fixOrder(o);
    },
    async findOrder(id: string): Promise<OrderWithReward | undefined> {
      const r = await sql<OrderWithReward>`select ${ORDER_WITH_REWARD} from points_orders o join points_rewards r on r.id = o.reward_id where o.id = ${id}`.execute(database);
      return r.rows[0] && fixOrder(r.rows[0]);
    },
    async insertOrder(row: OrderRow, trx: Db): Promise<void> {
      await on(trx).insertInto('points_orders').values(row).execute();
    },
    async closeOrder(
      id: string,
      patch: Pick<OrderRow, 'status'> & Partial<Pick<OrderRow, 'refund_tx' | 'completed_at' | 'closed_reason' | 'completed_by' | 'completed_place_id'>>,
      trx: Db,
    ): Promise<void> {
      await on(trx).updateTable('points_orders').set(patch).where('id', '=', id).execute();
    },

    async workerOrders(workerId: string, q: { status?: OrderStatus; limit: number; offset: number }): Promise<{ rows: OrderWithReward[]; total: number }> {
      const status = q.status ? sql`and o.status = ${q.status}` : sql``;
      const rows = await sql<OrderWithReward>`
        select ${ORDER_WITH_REWARD} from points_orders o join points_rewards r on r.id = o.reward_id
        where o.worker_id = ${workerId} ${status}
        order by (o.status = 'awaiting_pickup') desc, o.created_at desc, o.id
        limit ${q.limit} offset ${q.offset}`.execute(database);
      const total = await sql<{ n: number }>`select count(*)::int as n from points_orders o where o.worker_id = ${workerId} ${status}`.execute(database);
      return { rows: rows.rows.map(fixOrder), total: Number(total.rows[0]?.n ?? 0) };
    },

    async adminOrders(cityCode: string, q: { areaPrefix: string; cityWide: boolean; status?: OrderStatus; rewardId?: string; placeId?: string; limit: number; offset: number }) {
      const where = [sql`o.city_code = ${cityCode}`];
      if (!q.cityWide) where.push(sql`r.area_code like ${`${q.areaPrefix}%`}`);
      if (q.status) where.push(sql`o.status = ${q.status}`);
      if (q.rewardId) where.push(sql`o.reward_id = ${q.rewardId}`);
      if (q.placeId) where.push(sql`r.place_id = ${q.placeId}`);
      const cond = sql.join(where, sql` and `);
      const rows = await sql<OrderWithReward>`
        select ${ORDER_WITH_REWARD} from points_orders o join points_rewards r on r.id = o.reward_id
        where ${cond} order by o.created_at desc, o.id limit ${q.limit} offset ${q.offset}`.execute(database);
      const total = await sql<{ n: number }>`select count(*)::int as n from points_orders o join points_rewards r on r.id = o.reward_id where ${cond}`.execute(database);
      return { rows: rows.rows.map(fixOrder), total: Number(total.rows[0]?.n ?? 0) };
    },

    /** A worker's orders awaiting pickup at a place (what the merchant's scan hands over). */
    async pendingAt(workerId: string, placeId: string): Promise<OrderWithReward[]> {
      const r = await sql<OrderWithReward>`
        select ${ORDER_WITH_REWARD} from points_orders o join points_rewards r on r.id = o.reward_id
        where o.worker_id = ${workerId} and o.status = 'awaiting_pickup' and r.place_id = ${placeId}
        order by o.created_at, o.id`.execute(database);
      return r.rows.map(fixOrder);
    },

    /**
     * Orders awaiting pickup past their pickup deadline or their reward's validity (orders from before
     * deadlines were kept: 14 days).
     */
    async overdue(now: Date, limit: number): Promise<{ id: string }[]> {
      const r = await sql<{ id: string }>`
        select o.id from points_orders o join points_rewards r on r.id = o.reward_id
        where o.status = 'awaiting_pickup'
          and (coalesce(o.pickup_deadline, o.created_at + interval '14 days') <= ${now} or r.valid_until <= ${now})
        order by o.created_at, o.id limit ${limit}`.execute(database);
      return r.rows;
    },
  };
}
export type RewardsRepository = ReturnType<typeof createRewardsRepository>;
