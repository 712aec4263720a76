import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IDEMPOTENCY_HEADER } from '../../contracts/auth.js';
import { IdParams, Page, ProblemSchema } from '../../contracts/common.js';
import {
  CataloguePage,
  CatalogueQuery,
  HistoryPage,
  HistoryQuery,
  HonoursQuery,
  HonourStory,
  Leaderboard,
  LeaderboardQuery,
  MyNomination,
  NominationInput,
  PointsMe,
  RewardIdParams,
  WorkerOrder,
  WorkerOrdersQuery,
} from '../../contracts/points.js';
import { AppError } from '../../shared/errors.js';
import { auditContext, requireWorker } from '../../server/plugins/auth.js';
import type { PointsModule } from './points.module.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));

function idempotencyKey(request: FastifyRequest): string {
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (typeof key !== 'string' || !key.trim()) {
    throw new AppError('request.invalid', `Send an ${IDEMPOTENCY_HEADER} header (one per redemption attempt, the same on retries)`, {
      errors: [{ field: IDEMPOTENCY_HEADER, message: 'required', rule: 'required' }],
    });
  }
  return key;
}

/** The worker's points (积分): balance and history, the rewards catalogue and orders, 微光榜 and the leaderboard. */
export async function pointsRoutes(app: FastifyInstance, opts: { services: { pointsModule: PointsModule } }) {
  const m = opts.services.pointsModule;
  const tags = ['points'];

  app.get(
    '/points/me',
    { schema: { tags, summary: 'My points: balance, earned this month, title, rank in my district', response: { 200: PointsMe, ...problems(401, 403) } } },
    async (request) => m.me(requireWorker(request)),
  );

  app.get(
    '/points/me/history',
    { schema: { tags, summary: 'My points movements, newest first, with reasons and sources', querystring: HistoryQuery, response: { 200: HistoryPage, ...problems(400, 401, 403) } } },
    async (request) => {
      const w = requireWorker(request);
      const q = request.query as HistoryQuery;
      return m.points.history(w.cityCode, w.id, q.page, q.pageSize);
    },
  );

  app.get(
    '/points/rewards',
    {
      schema: {
        tags,
        summary: 'The rewards catalogue: active rewards in their validity, stock left, my remaining limit, the pickup place',
        querystring: CatalogueQuery,
        response: { 200: CataloguePage, ...problems(400, 401, 403) },
      },
    },
    async (request) => m.rewards.catalogue(requireWorker(request), request.query as CatalogueQuery),
  );

  app.post(
    '/points/rewards/:id/redeem',
    {
      schema: {
        tags,
        summary: 'Redeem a reward (verified workers): spends the points and takes a unit of stock, in one transaction',
        description:
          'Needs an Idempotency-Key header: a retry with the same key returns the same order. 409 points.insufficient_balance, points.out_of_stock, points.limit_reached, points.reward_unavailable.',
        params: RewardIdParams,
        response: { 201: WorkerOrder, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const w = requireWorker(request);
      const key = idempotencyKey(request);
      await m.requireVerified(w.id);
      const order = await m.rewards.redeem({ cityCode: w.cityCode, workerId: w.id, rewardId: (request.params as { id: string }).id, idempotencyKey: `worker:${w.id}:${key}` });
      return reply.code(201).send(await m.rewards.orderForWorker(w.id, order.id));
    },
  );

  app.get(
    '/points/me/orders',
    { schema: { tags, summary: 'My redemption orders (awaiting pickup first) with the pickup place and deadline', querystring: WorkerOrdersQuery, response: { 200: Page(WorkerOrder), ...problems(400, 401, 403) } } },
    async (request) => m.rewards.myOrders(requireWorker(request).id, request.query as WorkerOrdersQuery),
  );

  app.post(
    '/points/me/orders/:id/cancel',
    { schema: { tags, summary: 'Cancel my order awaiting pickup: the points come back', params: IdParams, response: { 200: WorkerOrder, ...problems(401, 403, 404, 409) } } },
    async (request) => m.rewards.cancelMine(requireWorker(request).id, (request.params as { id: string }).id),
  );

  app.get(
    '/points/honours',
    { schema: { tags, summary: '微光榜: approved good-deed stories, newest first, with masked names', querystring: HonoursQuery, response: { 200: Page(HonourStory), ...problems(400, 401, 403) } } },
    async (request) => m.honours.publicStories(requireWorker(request).cityCode, request.query as HonoursQuery),
  );

  app.post(
    '/points/honours',
    {
      schema: {
        tags,
        summary: 'Nominate a good deed for the 微光榜 (verified workers): a worker named by phone, or myself',
        description: `At most 3 nominations a day (429 points.nomination_limit). An unknown phone → 404 points.worker_not_found.`,
        body: NominationInput,
        response: { 201: MyNomination, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await m.honours.nominateByWorker(requireWorker(request), request.body as NominationInput, auditContext(request))),
  );

  app.get(
    '/points/me/nominations',
    { schema: { tags, summary: 'My nominations and their state', response: { 200: Type.Array(MyNomination), ...problems(401, 403) } } },
    async (request) => m.honours.myNominations(requireWorker(request).id),
  );

  app.get(
    '/points/leaderboard',
    {
      schema: {
        tags,
        summary: 'The monthly leaderboard of my district (points awarded that Shanghai month), masked names, my rank',
        querystring: LeaderboardQuery,
        response: { 200: Leaderboard, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => m.earning.leaderboard(requireWorker(request), request.query as LeaderboardQuery),
  );
}
