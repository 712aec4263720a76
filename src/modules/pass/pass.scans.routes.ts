import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PageQuery, ProblemSchema } from '../../contracts/common.js';
import {
  AlertListQuery,
  MyScansPage,
  OfflineScanUpload,
  OfflineScanUploadResult,
  PassAlert,
  PassPolicyView,
  PickupInput,
  PolicyInput,
  ScanConsent,
  ScanConsentInput,
  ScannerAccount,
  ScannerBindingInput,
  ScannerContext,
  ScanVerifyInput,
  ScanVerifyResult,
  VisitsQuery,
  VisitsReport,
} from '../../contracts/pass.js';
import { auditContext, requireStaff, requireWorker } from '../../server/plugins/auth.js';
import { SCAN_ROLES, type PassScansService } from './pass.scans.service.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ProblemSchema]));
const PlaceParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) });
const StaffParams = Type.Object({ staffId: Type.String({ format: 'uuid' }) });
const AlertParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ScansQuery = Type.Object({ page: PageQuery.properties.page, pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) });
const PickupResult = Type.Object({ orderId: Type.String(), status: Type.String() });

/**
 * The scan side of the pass: scanners verify at a place and upload offline scans; workers decide whether
 * scan records are kept and read their history; staff edit place policies, bind scanner accounts, work
 * clone alerts and read station visits. Registered under /api.
 */
export async function passScansRoutes(app: FastifyInstance, opts: { services: { passScans: PassScansService } }) {
  const { passScans } = opts.services;

  // ---------------------------------------------------------------- worker

  app.get(
    '/pass/me/consent',
    { schema: { tags: ['worker'], summary: 'My consent to keep records of scans of my pass (movement trail, separate consent)', response: { 200: ScanConsent, ...problems(401, 403) } } },
    async (request) => passScans.getConsent(requireWorker(request)),
  );

  app.put(
    '/pass/me/consent',
    {
      schema: {
        tags: ['worker'],
        summary: 'Grant or withdraw the consent; withdrawing deletes every stored scan record at once',
        description: 'Granting needs the current text version (400 pass.consent_version_mismatch otherwise).',
        body: ScanConsentInput,
        response: { 200: ScanConsent, ...problems(400, 401, 403) },
      },
    },
    async (request) => passScans.setConsent(requireWorker(request), request.body as ScanConsentInput, auditContext(request)),
  );

  app.get(
    '/pass/me/scans',
    {
      schema: {
        tags: ['worker'],
        summary: 'Who scanned my pass: when, where, which account (masked), the outcome and what the scanner showed',
        description: 'Empty without consent (consent.granted = false). Records are deleted 180 days after the scan.',
        querystring: ScansQuery,
        response: { 200: MyScansPage, ...problems(400, 401, 403) },
      },
    },
    async (request) => passScans.myScans(requireWorker(request), request.query as { page: number; pageSize: number }),
  );

  // ---------------------------------------------------------------- scanner

  app.get(
    '/scanner/context',
    { schema: { tags: ['scanner'], summary: 'The places this account scans for, with their policies', response: { 200: ScannerContext, ...problems(401, 403) } } },
    async (request) => passScans.scannerContext(requireStaff(request, SCAN_ROLES)),
  );

  app.post(
    '/scanner/verify',
    {
      schema: {
        tags: ['scanner'],
        summary: 'Verify a scanned pass at a place, online (refusals are 200 with verdict red)',
        description:
          'The token, the pass as the database has it now (revoked or frozen a moment ago is red), the place policy, one discount per token per merchant (red replayed), and a copy seen at another place (cloneSuspected). A retry with the same eventId is the same scan.',
        body: ScanVerifyInput,
        response: { 200: ScanVerifyResult, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => passScans.verify(requireStaff(request, SCAN_ROLES), request.body as ScanVerifyInput),
  );

  app.post(
    '/scanner/scans',
    {
      schema: {
        tags: ['scanner'],
        summary: 'Upload scans made offline (idempotent by event id)',
        description: 'Events for places this account may not scan for are dropped; repeated events count as duplicates.',
        body: OfflineScanUpload,
        response: { 200: OfflineScanUploadResult, ...problems(400, 401, 403) },
      },
    },
    async (request) => passScans.uploadScans(requireStaff(request, SCAN_ROLES), request.body as OfflineScanUpload),
  );

  app.post(
    '/scanner/pickups',
    {
      schema: {
        tags: ['scanner'],
        summary: 'Hand over a points reward at this place to the holder of a valid pass',
        body: PickupInput,
        response: { 200: PickupResult, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => passScans.pickup(requireStaff(request, SCAN_ROLES), request.body as PickupInput, auditContext(request)),
  );

  // ---------------------------------------------------------------- admin

  app.get(
    '/admin/places/:id/pass-policy',
    { schema: { tags: ['admin'], summary: 'What a scan grants at this place (the default for its type when it has none)', params: PlaceParams, response: { 200: PassPolicyView, ...problems(401, 403, 404) } } },
    async (request) => passScans.getPolicy(requireStaff(request), (request.params as { id: string }).id),
  );

  app.put(
    '/admin/places/:id/pass-policy',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set the place policy: per grant, the industries (empty = all) and the minimum level',
        params: PlaceParams,
        body: PolicyInput,
        response: { 200: PassPolicyView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => passScans.setPolicy(requireStaff(request), (request.params as { id: string }).id, request.body as PolicyInput, auditContext(request)),
  );

  app.get(
    '/admin/pass/scanners',
    { schema: { tags: ['admin'], summary: 'Scanner accounts in my area and the places they scan for', response: { 200: Type.Array(ScannerAccount), ...problems(401, 403) } } },
    async (request) => passScans.listScanners(requireStaff(request)),
  );

  app.put(
    '/admin/pass/scanners/:staffId',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set the places a scanner account scans for (bindings outside my area are kept)',
        params: StaffParams,
        body: ScannerBindingInput,
        response: { 200: ScannerAccount, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => passScans.bindScanner(requireStaff(request), (request.params as { staffId: string }).staffId, request.body as ScannerBindingInput, auditContext(request)),
  );

  app.get(
    '/admin/pass/alerts',
    { schema: { tags: ['admin'], summary: 'Pass copies: one token seen at two places', querystring: AlertListQuery, response: { 200: Type.Object({ items: Type.Array(PassAlert), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...problems(400, 401, 403) } } },
    async (request) => passScans.listAlerts(requireStaff(request), request.query as AlertListQuery, auditContext(request)),
  );

  app.post(
    '/admin/pass/alerts/:id/close',
    { schema: { tags: ['admin'], summary: 'Close a clone alert (it opens again if the copy is seen at another place)', params: AlertParams, response: { 200: PassAlert, ...problems(401, 403, 404) } } },
    async (request) => passScans.closeAlert(requireStaff(request), (request.params as { id: string }).id, auditContext(request)),
  );

  app.get(
    '/admin/pass/visits',
    { schema: { tags: ['admin'], summary: 'Station check-ins (service visits) per station, street and month (Asia/Shanghai)', querystring: VisitsQuery, response: { 200: VisitsReport, ...problems(400, 401, 403) } } },
    async (request) => passScans.visits(requireStaff(request), request.query as VisitsQuery),
  );
}
