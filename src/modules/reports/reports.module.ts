import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { Config } from '../../server/config.js';
import type { Storage } from '../../platform/storage/storage.js';
import type { JobRunner } from '../../platform/jobs/jobs.js';
import type { WorkCalendar } from '../../platform/calendar/calendar.js';
import type { AuditService } from '../audit/audit.service.js';
import type { AreasService } from '../areas/areas.service.js';
import type { StaffService } from '../staff/staff.service.js';
import type { WorkersService } from '../workers/workers.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { PlacesService } from '../places/places.service.js';
import type { NearbyService } from '../places/places.nearby.js';
import type { EarningService } from '../points/earning.service.js';
import type { PointsService } from '../points/points.service.js';
import type { LedgerService } from '../points/ledger.service.js';
import { createReportsService } from './reports.service.js';
import { createWorkflowService } from './workflow.service.js';
import { createCampaignsService } from './campaigns.service.js';
import { createOpen311Service } from './open311.service.js';

export interface ReportsModuleDeps {
  db: Db;
  clock: Clock;
  config: Config;
  pii: PiiCipher;
  storage: Storage;
  jobs: JobRunner;
  calendar: WorkCalendar;
  audit: AuditService;
  areas: AreasService;
  staff: StaffService;
  workers: WorkersService;
  notifications: NotificationsService;
  places: PlacesService;
  nearby: NearbyService;
  earning: EarningService;
  points: PointsService;
  /** clawback(staff, transactionId, reason, ctx): a fraudulent report's points back */
  ledger: LedgerService;
}

/**
 * The reports module (随手拍), in dependency order: capture (categories, photos, submit, nearby,
 * follow, the worker's view, the staff list) → workflow (routing, work orders, deadlines, verification,
 * points, the staff detail) → campaigns and metrics → Open311. Capture hands a new report to the
 * workflow for triage, and a reporter's dispute to it, through late-bound hooks (workflow reads the
 * report through capture).
 */
export function createReportsModule(deps: ReportsModuleDeps) {
  let workflowRef: ReturnType<typeof createWorkflowService> | undefined;
  const wf = () => {
    if (!workflowRef) throw new Error('reports workflow not built yet');
    return workflowRef;
  };
  const reports = createReportsService({
    ...deps,
    hooks: {
      submitted: (reportId, stored, category) => wf().triage(reportId, stored, category),
      feedback: (worker, reportId, input, ctx) => wf().feedback(worker, reportId, input, ctx),
    },
  });
  const workflow = createWorkflowService({ ...deps, reports });
  workflowRef = workflow;
  const campaigns = createCampaignsService({ ...deps, reports });
  const open311 = createOpen311Service({ ...deps, reports });
  return { reports, workflow, campaigns, open311 };
}
export type ReportsModule = ReturnType<typeof createReportsModule>;
