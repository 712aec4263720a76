import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { WorkCalendar } from '../../platform/calendar/calendar.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { StaffService } from '../staff/staff.service.js';
import type { WorkersService } from '../workers/workers.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { AppealsService } from '../appeals/appeals.service.js';
import { createLegalService } from './legal.service.js';

export interface LegalModuleDeps {
  db: Db;
  clock: Clock;
  calendar: WorkCalendar;
  audit: AuditService;
  areas: AreasService;
  staff: StaffService;
  workers: WorkersService;
  notifications: NotificationsService;
  appeals: AppealsService;
}

/** 法帮新 (legal questions answered by roster lawyers). */
export function createLegalModule(deps: LegalModuleDeps) {
  return { legal: createLegalService(deps) };
}
export type LegalModule = ReturnType<typeof createLegalModule>;
