import type { Config } from './config.js';
import type { Keys } from './keys.js';
import type { Database } from '../db/database.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createPiiCipher } from '../shared/pii.js';
import { createSmsSender } from '../platform/sms/index.js';
import type { SmsSender } from '../platform/sms/sms.js';
import { createStorage } from '../platform/storage/index.js';
import type { Storage } from '../platform/storage/storage.js';
import { createJobRunner } from '../platform/jobs/jobs.js';
import { createAuditRepository } from '../modules/audit/audit.repository.js';
import { createAuditService } from '../modules/audit/audit.service.js';
import { createAreasRepository } from '../modules/areas/areas.repository.js';
import { createAreasService } from '../modules/areas/areas.service.js';
import { createSessionsRepository } from '../modules/auth/sessions.repository.js';
import { createSessionsService } from '../modules/auth/sessions.service.js';
import { createNotificationsService } from '../modules/notifications/notifications.service.js';
import { createWorkersService } from '../modules/workers/workers.service.js';
import { createStaffService } from '../modules/staff/staff.service.js';
import { createNearbyService } from '../modules/places/places.nearby.js';
import { createPlacesService } from '../modules/places/places.service.js';
import { createChargingService, type ChargingService } from '../modules/charging/charging.service.js';
import { createMerchantsService } from '../modules/merchants/merchants.service.js';
import { createPointsModule } from '../modules/points/points.module.js';
import { createPassService } from '../modules/pass/pass.service.js';
import { createPassScansService } from '../modules/pass/pass.scans.service.js';
import { createWorkCalendar } from '../platform/calendar/calendar.js';
import { createReportsModule } from '../modules/reports/reports.module.js';
import { createAppealsModule } from '../modules/appeals/appeals.module.js';
import { createLegalModule } from '../modules/legal/legal.module.js';
import { createLibraryService } from '../modules/library/library.service.js';

/** Collaborators a test (or another deployment) may replace: the clock, the SMS gateway, file storage. */
export interface AppDeps {
  database: Database;
  keys: Keys;
  clock?: Clock;
  sms?: SmsSender;
  storage?: Storage;
}

/**
 * Builds every service. The order below is the dependency graph: each service receives only the
 * services it uses, and a module reaches another module only through that module's service.
 */
export function buildServices(config: Config, deps: AppDeps) {
  const db = deps.database.db;
  const clock = deps.clock ?? systemClock;
  const pii = createPiiCipher(deps.keys.pii, deps.keys.piiAlso);
  const sms = deps.sms ?? createSmsSender(config);
  const storage = deps.storage ?? createStorage(config);
  const jobs = createJobRunner({ db, clock, pollMs: config.jobs.pollMs });

  const audit = createAuditService({ repo: createAuditRepository(db) });
  const areas = createAreasService({ repo: createAreasRepository(db) });
  const sessions = createSessionsService({ repo: createSessionsRepository(db), clock });
  const notifications = createNotificationsService({ db, clock, jobs, sms });
  const workers = createWorkersService({ db, pii, sms, sessions, audit, areas, notifications, clock, config });
  const staff = createStaffService({ db, sessions, audit, areas, clock, config });

  // Places read live battery state from charging, and charging checks its places through places:
  // the cycle is closed by binding charging late (it exists before the first request).
  let charging: ChargingService | undefined;
  const bound = () => {
    if (!charging) throw new Error('charging service not built yet');
    return charging;
  };
  const batteries = {
    readyPlaceIds: (cityCode: string) => bound().readyPlaceIds(cityCode),
    readyBatteries: (placeIds: string[]) => bound().readyBatteries(placeIds),
  };
  const nearby = createNearbyService({ db, clock, config, batteries });
  const places = createPlacesService({
    db,
    clock,
    config,
    audit,
    areas,
    storage,
    nearby,
    cabinets: { ...batteries, cabinetsForPlace: (placeId: string) => bound().cabinetsForPlace(placeId) },
  });
  charging = createChargingService({ db, clock, config, audit, places });
  const merchants = createMerchantsService({ db, clock, audit, areas, places, pii });
  const pointsModule = createPointsModule({ db, clock, pii, audit, areas, places, workers });
  const { points, rewards, earning, honours } = pointsModule;
  const pass = createPassService({ db, clock, pii, config, audit, workers, staff, partners: earning });
  const passScans = createPassScansService({ db, clock, audit, areas, places, workers, staff, pass, rewards });
  const calendar = createWorkCalendar({ db, clock, audit });
  const reportsModule = createReportsModule({ db, clock, config, pii, storage, jobs, calendar, audit, areas, staff, workers, notifications, places, nearby, earning, points, ledger: pointsModule.ledger });
  const appealsModule = createAppealsModule({ db, clock, pii, storage, calendar, audit, areas, staff, workers, notifications });
  const legalModule = createLegalModule({ db, clock, calendar, audit, areas, staff, workers, notifications, appeals: appealsModule.appeals });
  const library = createLibraryService({ db, clock, audit, areas });

  return { config, db, clock, pii, sms, storage, jobs, audit, areas, sessions, notifications, workers, staff, nearby, places, charging, merchants, points, rewards, earning, honours, pointsModule, pass, passScans, calendar, reportsModule, appealsModule, library, legalModule };
}

export type Services = ReturnType<typeof buildServices>;
