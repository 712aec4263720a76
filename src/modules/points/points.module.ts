import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { PointsMe } from '../../contracts/points.js';
import { AppError } from '../../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import { createEarningRepository } from './earning.repository.js';
import { createEarningService, type PointsWorkers } from './earning.service.js';
import { createHonoursRepository } from './honours.repository.js';
import { createHonoursService } from './honours.service.js';
import { createLedgerService } from './ledger.service.js';
import { createPointsRepository } from './points.repository.js';
import { createPointsService, workerAccount } from './points.service.js';
import { createRewardsRepository } from './rewards.repository.js';
import { createRewardsService, type RewardPlaces } from './rewards.service.js';
import { shanghaiMonth } from '../../shared/shanghai-time.js';
import { createSponsorsRepository } from './sponsors.repository.js';
import { createSponsorsService } from './sponsors.service.js';

export interface PointsModuleDeps {
  db: Db;
  clock: Clock;
  pii: PiiCipher;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'find' | 'path'>;
  places: RewardPlaces;
  workers: PointsWorkers;
}

/**
 * The points module's services, in dependency order: the ledger → sponsors (budgets) → earning
 * (rules, caps, roll-ups, 城市合伙人) → rewards (catalogue, orders, pickups) → honours (微光榜) →
 * the books (transactions, export, drift, expiry) → the worker's page.
 */
export function createPointsModule(deps: PointsModuleDeps) {
  const { db, clock, pii, audit, areas, places, workers } = deps;
  const ledgerRepo = createPointsRepository(db);
  const points = createPointsService({ repo: ledgerRepo, clock });
  const sponsors = createSponsorsService({ repo: createSponsorsRepository(db), ledger: ledgerRepo, points, clock, pii, audit, places });
  const earning = createEarningService({ repo: createEarningRepository(db), points, clock, workers, areas, audit, sponsors });
  const rewards = createRewardsService({ repo: createRewardsRepository(db), points, clock, settings: earning, places, areas, audit, sponsors, workers });
  const honours = createHonoursService({ repo: createHonoursRepository(db), earning, points, workers, areas, audit, clock });
  const ledger = createLedgerService({ repo: ledgerRepo, points, earning, workers, sponsors, audit, clock });

  /** The worker's points page: balance, this month, title, rank, what expires next, orders waiting. */
  async function me(worker: { id: string; cityCode: string }): Promise<PointsMe> {
    const month = shanghaiMonth(clock.now());
    const [balance, earnedThisMonth, stats, partner, board, expiring, pendingOrders] = await Promise.all([
      points.balanceOf(worker.cityCode, workerAccount(worker.id)),
      earning.earnedInMonth(worker.cityCode, worker.id, month),
      earning.statsOf(worker.cityCode, worker.id),
      earning.partnerOf(worker.cityCode, worker.id),
      earning.leaderboard(worker, { month, rankOnly: true }),
      ledger.expiringFor(worker.cityCode, worker.id),
      rewards.countAwaiting(worker.id),
    ]);
    return {
      balance,
      earnedThisMonth,
      lifetimeEarned: Number(stats?.lifetime_earned ?? 0),
      month,
      title: partner?.status === 'active' ? { code: 'city_partner', grantedAt: partner.granted_at.toISOString() } : null,
      rank: board.district ? { districtCode: board.district.code, districtName: board.district.name, rank: board.me.rank, of: board.participants } : null,
      expiring,
      pendingOrders,
    };
  }

  /** Redeeming and nominating need a verified worker (实名认证). */
  async function requireVerified(workerId: string): Promise<void> {
    const w = await workers.getWorkerSummary(workerId);
    if (w?.verificationStatus !== 'approved') throw new AppError('points.worker_not_verified', 'Verify your identity first');
  }

  return { points, sponsors, earning, rewards, honours, ledger, me, requireVerified };
}
export type PointsModule = ReturnType<typeof createPointsModule>;
