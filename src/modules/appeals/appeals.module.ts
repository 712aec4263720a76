import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { Storage } from '../../platform/storage/storage.js';
import type { WorkCalendar } from '../../platform/calendar/calendar.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { StaffService } from '../staff/staff.service.js';
import type { WorkersService } from '../workers/workers.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { createAppealsService } from './appeals.service.js';
import { createAppealDocumentsService } from './appeals.documents.service.js';

export interface AppealsModuleDeps {
  db: Db;
  clock: Clock;
  pii: PiiCipher;
  storage: Storage;
  calendar: WorkCalendar;
  audit: AuditService;
  areas: AreasService;
  staff: StaffService;
  workers: WorkersService;
  notifications: NotificationsService;
}

/** 诉求 (appeals): the appeals service, and the printable applications made from its documentFacts(). */
export function createAppealsModule(deps: AppealsModuleDeps) {
  const appeals = createAppealsService(deps);
  const documents = createAppealDocumentsService({ clock: deps.clock, appeals, workers: deps.workers, areas: deps.areas });
  return { appeals, documents };
}
export type AppealsModule = ReturnType<typeof createAppealsModule>;
