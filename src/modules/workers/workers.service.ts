import crypto from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Config } from '../../server/config.js';
import type { StaffPrincipal, StaffRole, WorkerPrincipal } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  PRIVACY_NOTICE_VERSION,
  industries,
  type AdminWorker,
  type ConsentRequest,
  type Industry,
  type SmsCodeResponse,
  type UnmaskRequest,
  type VerificationItem,
  type VerificationListQuery,
  type VerificationRequest,
  type VerificationStatus,
  type WorkerListQuery,
  type WorkerMe,
} from '../../contracts/workers.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { checkIdNumber, MIN_WORKER_AGE, type IdNumberProblem } from '../../shared/id-number.js';
import { maskIdNumber, maskName, maskPhone } from '../../shared/mask.js';
import { normalisePhone } from '../../shared/phone.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { SmsSender } from '../../platform/sms/sms.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { AREA_LEVEL, isWithin, type AreasService } from '../areas/areas.service.js';
import type { CreatedSession, SessionsService } from '../auth/sessions.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { createWorkersRepository, type VerificationRow, type VerificationWithPhone, type WorkerRow } from './workers.repository.js';

/** The one city served for now; the log-in flow creates workers in it. */
export const DEFAULT_WORKER_CITY = '3302';
export const SMS_CODE_TTL_SECONDS = 300;
export const SMS_RESEND_AFTER_SECONDS = 60;
export const SMS_MAX_ATTEMPTS = 5;

/** Who may work the verification queue, read worker records, and see personal data in clear. */
const REVIEW_ROLES: readonly StaffRole[] = ['operator', 'reviewer'];
const READ_ROLES: readonly StaffRole[] = ['operator', 'reviewer', 'handler', 'grid_worker', 'mediator', 'hotline_agent'];
const UNMASK_ROLES: readonly StaffRole[] = ['operator', 'reviewer'];

export interface WorkersServiceDeps {
  db: Db;
  pii: PiiCipher;
  sms: SmsSender;
  sessions: Pick<SessionsService, 'create'>;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'find' | 'path'>;
  notifications: Pick<NotificationsService, 'notify'>;
  clock: Clock;
  config: Pick<Config, 'sms' | 'workerSessionDays'>;
}

export interface SeedWorkerInput {
  phone: string;
  name?: string;
  idNumber?: string;
  industry?: Industry;
  platform?: string;
  station?: string;
  areaCode?: string;
  status: VerificationStatus;
  /** Accept the current privacy notice; default: yes unless the worker is unverified. */
  consent?: boolean;
  rejectReason?: string;
  cityCode?: string;
}

export interface WorkerSummary {
  id: string;
  cityCode: string;
  phoneMasked: string;
  nameMasked: string | null;
  verificationStatus: VerificationStatus;
  areaCode: string | null;
  industry: string | null;
  platform: string | null;
}

const idNumberMessages: Record<IdNumberProblem, string> = {
  format: 'must be 18 characters: 17 digits and a digit or X',
  checksum: 'the check character does not match; please check the number',
  birth_date: 'the birth date in the number is not a real past date',
  underage: `workers must be at least ${MIN_WORKER_AGE} years old`,
};

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function requirePhone(input: string): string {
  const phone = normalisePhone(input);
  if (!phone) {
    throw new AppError('workers.invalid_phone', 'Not a mainland mobile number', {
      errors: [{ field: 'phone', message: 'must be an 11-digit mainland mobile number' }],
    });
  }
  return phone;
}

function isPgUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

function requireRole(p: StaffPrincipal, roles: readonly StaffRole[]): void {
  if (!roles.includes(p.role)) throw forbidden(`Your role (${p.role}) may not do this`);
}

/**
 * Whether a row of `cityCode` placed in `areaCode` lies in the staff member's scope. Workers not yet
 * placed in an area are visible to city-wide accounts only.
 */
function inScope(p: StaffPrincipal, cityCode: string, areaCode: string | null): boolean {
  if (cityCode !== p.cityCode) return false;
  if (areaCode === null) return p.areaCode === p.cityCode;
  return isWithin(p.areaCode, areaCode);
}

/** An area filter must itself lie inside the caller's scope. */
function scopedPrefix(p: StaffPrincipal, areaCode: string | undefined): string {
  if (areaCode === undefined) return p.areaCode;
  if (!isWithin(p.areaCode, areaCode)) {
    throw new AppError('areas.out_of_scope', 'That area is outside your scope', { errors: [{ field: 'areaCode', message: 'outside your scope' }] });
  }
  return areaCode;
}

/**
 * Workers (新就业群体): SMS log-in, consent to the privacy notice, real-name verification and its review,
 * and staff access to worker records — masked by default, scoped by area, every read audited.
 */
export function createWorkersService(deps: WorkersServiceDeps) {
  const { pii, sms, sessions, audit, areas, notifications, clock, config } = deps;
  const repo = createWorkersRepository(deps.db);

  const codeHash = (phone: string, code: string) => pii.blindIndex(`sms-code:${phone}:${code}`);
  const sameHash = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

  /** "鄞州区 · 白鹤街道" — the area's path below the city. */
  async function areaFullName(code: string | null, cache?: Map<string, string>): Promise<string | null> {
    if (!code) return null;
    const hit = cache?.get(code);
    if (hit) return hit;
    let name = code;
    try {
      const path = await areas.path(code);
      name = path.filter((a) => a.level > AREA_LEVEL.city).map((a) => a.name).join(' · ') || path.map((a) => a.name).join(' · ');
    } catch {
      // an unknown code shows as itself
    }
    cache?.set(code, name);
    return name;
  }

  async function loadWorker(id: string): Promise<WorkerRow> {
    const w = await repo.findWorker(id);
    if (!w) throw new AppError('workers.not_found', 'No such worker');
    return w;
  }

  async function toWorkerMe(w: WorkerRow): Promise<WorkerMe> {
    const [latest, consent] = await Promise.all([repo.latestVerification(w.id), repo.activeConsent(w.id, 'privacy')]);
    // The verified record once approved; before that, what the worker last submitted.
    const src = w.verification_status === 'approved' || !latest
      ? { name_enc: w.name_enc, id_number_enc: w.id_number_enc, industry: w.industry, platform: w.platform, station: w.station, area_code: w.area_code }
      : latest;
    return {
      id: w.id,
      phoneMasked: maskPhone(pii.decrypt(w.phone_enc)),
      nameMasked: src.name_enc ? maskName(pii.decrypt(src.name_enc)) : null,
      idNumberMasked: src.id_number_enc ? maskIdNumber(pii.decrypt(src.id_number_enc)) : null,
      industry: src.industry,
      platform: src.platform,
      station: src.station,
      areaCode: src.area_code,
      areaName: await areaFullName(src.area_code),
      verificationStatus: w.verification_status,
      verifiedAt: iso(w.verified_at),
      latestVerification: latest
        ? { id: latest.id, status: latest.status, reason: latest.reason, submittedAt: latest.submitted_at.toISOString(), reviewedAt: iso(latest.reviewed_at) }
        : null,
      consent: {
        currentVersion: PRIVACY_NOTICE_VERSION,
        acceptedVersion: consent?.version ?? null,
        acceptedAt: iso(consent?.accepted_at ?? null),
        needsConsent: consent?.version !== PRIVACY_NOTICE_VERSION,
      },
    };
  }

  async function toVerificationItem(v: VerificationWithPhone, cache?: Map<string, string>): Promise<VerificationItem> {
    return {
      id: v.id,
      workerId: v.worker_id,
      nameMasked: maskName(pii.decrypt(v.name_enc)),
      idNumberMasked: maskIdNumber(pii.decrypt(v.id_number_enc)),
      phoneMasked: maskPhone(pii.decrypt(v.phone_enc)),
      industry: v.industry,
      platform: v.platform,
      station: v.station,
      areaCode: v.area_code,
      areaName: (await areaFullName(v.area_code, cache)) ?? v.area_code,
      status: v.status,
      reason: v.reason,
      submittedAt: v.submitted_at.toISOString(),
      reviewedAt: iso(v.reviewed_at),
      reviewedBy: v.reviewed_by_label,
    };
  }

  async function toAdminWorker(w: WorkerRow, cache?: Map<string, string>): Promise<AdminWorker> {
    return {
      id: w.id,
      nameMasked: w.name_enc ? maskName(pii.decrypt(w.name_enc)) : null,
      phoneMasked: maskPhone(pii.decrypt(w.phone_enc)),
      idNumberMasked: w.id_number_enc ? maskIdNumber(pii.decrypt(w.id_number_enc)) : null,
      industry: w.industry,
      platform: w.platform,
      station: w.station,
      areaCode: w.area_code,
      areaName: await areaFullName(w.area_code, cache),
      verificationStatus: w.verification_status,
      createdAt: w.created_at.toISOString(),
    };
  }

  function newWorkerRow(cityCode: string, phone: string, now: Date): WorkerRow {
    return {
      id: newId(),
      city_code: cityCode,
      phone_enc: pii.encrypt(phone),
      phone_hash: pii.blindIndex(phone),
      name_enc: null,
      id_number_enc: null,
      id_number_hash: null,
      industry: null,
      platform: null,
      station: null,
      area_code: null,
      verification_status: 'unverified',
      verified_at: null,
      language: 'zh-CN',
      created_at: now,
      updated_at: now,
    };
  }

  /** Finds a staff-visible verification or answers "not found", so out-of-scope rows do not reveal they exist. */
  function visibleVerification<T extends VerificationRow>(p: StaffPrincipal, v: T | undefined): T {
    if (!v || !inScope(p, v.city_code, v.area_code)) throw new AppError('workers.verification_not_found', 'No such verification');
    return v;
  }

  function visibleWorker(p: StaffPrincipal, w: WorkerRow | undefined): WorkerRow {
    if (!w || !inScope(p, w.city_code, w.area_code)) throw new AppError('workers.not_found', 'No such worker');
    return w;
  }

  /** In-app notice to the worker; the decision stands even if the inbox is unavailable. */
  async function notifyWorker(ctx: AuditContext, cityCode: string, workerId: string, kind: string, params: Record<string, string>) {
    try {
      await notifications.notify({ cityCode, recipientKind: 'worker', recipientId: workerId, kind, params, link: '/worker/profile' });
    } catch {
      await audit.record(ctx, { cityCode, action: 'workers.notify', targetKind: 'worker', targetId: workerId, outcome: 'failure', detail: { kind } });
    }
  }

  return {
    /**
     * Key rotation: re-encrypts every personal-data field and recomputes every blind index under
     * `next`, in one transaction (all or nothing). Outstanding SMS codes are dropped (their keyed
     * hashes cannot be recomputed); workers simply request a new code.
     */
    async rotatePiiKey(next: PiiCipher): Promise<{ workers: number; verifications: number }> {
      return repo.transaction(async (trx) => {
        const workers = await repo.listEncryptedWorkers(trx);
        for (const w of workers) {
          const phone = pii.decrypt(w.phone_enc);
          const name = w.name_enc ? pii.decrypt(w.name_enc) : null;
          const idNumber = w.id_number_enc ? pii.decrypt(w.id_number_enc) : null;
          await repo.updateWorkerCiphertexts(
            w.id,
            {
              phone_enc: next.encrypt(phone),
              phone_hash: next.blindIndex(phone),
              name_enc: name === null ? null : next.encrypt(name),
              id_number_enc: idNumber === null ? null : next.encrypt(idNumber),
              id_number_hash: idNumber === null ? null : next.blindIndex(idNumber),
            },
            trx,
          );
        }
        const verifications = await repo.listEncryptedVerifications(trx);
        for (const v of verifications) {
          const idNumber = pii.decrypt(v.id_number_enc);
          await repo.updateVerificationCiphertexts(
            v.id,
            { name_enc: next.encrypt(pii.decrypt(v.name_enc)), id_number_enc: next.encrypt(idNumber), id_number_hash: next.blindIndex(idNumber) },
            trx,
          );
        }
        await repo.deleteAllSmsCodes(trx);
        return { workers: workers.length, verifications: verifications.length };
      });
    },

    /** Deletes SMS code rows older than a day (housekeeping job). */
    async purgeSmsCodes(): Promise<number> {
      return repo.purgeSmsCodes(new Date(clock.now().getTime() - 24 * 3600 * 1000));
    },

    // ---------------- worker log-in ----------------

    /** Sends a 6-digit log-in code. Limits (per phone, per IP, resend interval) are counted in the database. */
    async requestLoginCode(input: { phone: string; ip?: string; cityCode?: string }): Promise<SmsCodeResponse> {
      const phone = requirePhone(input.phone);
      const cityCode = input.cityCode ?? DEFAULT_WORKER_CITY;
      const phoneHash = pii.blindIndex(phone);
      const ip = input.ip ?? null;
      const now = clock.now();
      const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');

      const codeId = newId();
      await repo.transaction(async (trx) => {
        // Several processes may answer at once: the locks make check-then-insert atomic per phone and per IP.
        await repo.lock(`sms:phone:${phoneHash}`, trx);
        if (ip) await repo.lock(`sms:ip:${ip}`, trx);
        const s = await repo.smsStats({ phoneHash, ip, since: new Date(now.getTime() - 3600_000) }, trx);
        const wait = (from: Date, seconds: number) => Math.max(1, Math.ceil((from.getTime() + seconds * 1000 - now.getTime()) / 1000));
        const limited = (retryAfterSeconds: number, why: string) =>
          new AppError('sms.rate_limited', `${why}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
        if (s.phoneLatest && now.getTime() - s.phoneLatest.getTime() < SMS_RESEND_AFTER_SECONDS * 1000) {
          throw limited(wait(s.phoneLatest, SMS_RESEND_AFTER_SECONDS), 'A code was just sent to this phone');
        }
        if (s.phoneCount >= config.sms.perPhonePerHour) throw limited(wait(s.phoneOldest!, 3600), 'Too many codes for this phone');
        if (ip && s.ipCount >= config.sms.perIpPerHour) throw limited(wait(s.ipOldest!, 3600), 'Too many codes from this network');
        await repo.insertSmsCode(
          {
            id: codeId,
            city_code: cityCode,
            phone_hash: phoneHash,
            code_hash: codeHash(phone, code),
            ip,
            created_at: now,
            expires_at: new Date(now.getTime() + SMS_CODE_TTL_SECONDS * 1000),
            attempts: 0,
            consumed_at: null,
          },
          trx,
        );
      });
      try {
        await sms.send({ phone, template: 'login_code', params: { code } });
      } catch (err) {
        // The gateway failed: the code never reached the phone, so it must not count against the limits.
        await repo.deleteSmsCode(codeId);
        throw new AppError('sms.send_failed', `The SMS gateway did not accept the message (${(err as Error).message}); try again shortly`);
      }
      return { sentTo: maskPhone(phone), expiresInSeconds: SMS_CODE_TTL_SECONDS, resendAfterSeconds: SMS_RESEND_AFTER_SECONDS };
    },

    /**
     * Checks the latest code sent to the phone (single use, 5 guesses, 5 minutes), creates the worker on
     * first log-in and opens a session.
     */
    async loginWithCode(
      input: { phone: string; code: string; ip?: string; userAgent?: string; cityCode?: string },
      ctx: AuditContext,
    ): Promise<{ me: WorkerMe; session: CreatedSession }> {
      const phone = requirePhone(input.phone);
      const cityCode = input.cityCode ?? DEFAULT_WORKER_CITY;
      const now = clock.now();
      const failed = async (code: 'sms.code_invalid' | 'sms.code_expired' | 'sms.too_many_attempts', message: string) => {
        await audit.record(ctx, { cityCode, action: 'workers.login', outcome: 'failure', detail: { reason: code } });
        return new AppError(code, message);
      };

      const row = await repo.latestSmsCode(cityCode, pii.blindIndex(phone));
      if (!row || row.consumed_at) throw await failed('sms.code_invalid', 'The code is wrong; request a new one if needed');
      if (row.attempts >= SMS_MAX_ATTEMPTS) throw await failed('sms.too_many_attempts', 'Too many wrong codes; request a new one');
      if (row.expires_at <= now) throw await failed('sms.code_expired', 'The code has expired; request a new one');
      if (!sameHash(row.code_hash, codeHash(phone, input.code))) {
        const attempts = await repo.addSmsAttempt(row.id, SMS_MAX_ATTEMPTS);
        if (attempts === undefined || attempts >= SMS_MAX_ATTEMPTS) throw await failed('sms.too_many_attempts', 'Too many wrong codes; request a new one');
        throw await failed('sms.code_invalid', 'The code is wrong');
      }
      if (!(await repo.consumeSmsCode(row.id, now))) throw await failed('sms.code_invalid', 'The code was already used');

      const { worker, created } = await repo.insertWorkerIfAbsent(newWorkerRow(cityCode, phone, now));
      const principal: WorkerPrincipal = { kind: 'worker', id: worker.id, cityCode: worker.city_code };
      const session = await sessions.create(principal, {
        lifetimeSeconds: config.workerSessionDays * 86_400,
        idleTimeoutSeconds: null,
        ip: input.ip,
        userAgent: input.userAgent,
      });
      const asWorker = { ...ctx, principal };
      if (created) await audit.record(asWorker, { cityCode, action: 'workers.create', targetKind: 'worker', targetId: worker.id });
      await audit.record(asWorker, { cityCode, action: 'workers.login', targetKind: 'worker', targetId: worker.id });
      return { me: await toWorkerMe(worker), session };
    },

    // ---------------- worker self-service ----------------

    async getMe(workerId: string): Promise<WorkerMe> {
      return toWorkerMe(await loadWorker(workerId));
    },

    async acceptConsent(workerId: string, input: ConsentRequest, meta: { userAgent?: string }, ctx: AuditContext): Promise<WorkerMe> {
      if (input.version !== PRIVACY_NOTICE_VERSION) {
        throw new AppError('request.invalid', `Accept the current privacy notice (${PRIVACY_NOTICE_VERSION})`, {
          errors: [{ field: 'version', message: `must be the current version ${PRIVACY_NOTICE_VERSION}` }],
        });
      }
      const w = await loadWorker(workerId);
      const active = await repo.activeConsent(w.id, input.kind);
      if (active?.version !== input.version) {
        const id = newId();
        await repo.insertConsent({
          id,
          city_code: w.city_code,
          worker_id: w.id,
          kind: input.kind,
          version: input.version,
          accepted_at: clock.now(),
          withdrawn_at: null,
          ip: ctx.ip ?? null,
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
        });
        await audit.record(ctx, { cityCode: w.city_code, action: 'workers.consent.accept', targetKind: 'worker', targetId: w.id, detail: { kind: input.kind, version: input.version, consentId: id } });
      }
      return toWorkerMe(w);
    },

    async withdrawConsent(workerId: string, kind: 'privacy', ctx: AuditContext): Promise<WorkerMe> {
      const w = await loadWorker(workerId);
      const withdrawn = await repo.withdrawConsents(w.id, kind, clock.now());
      if (withdrawn > 0) {
        await audit.record(ctx, { cityCode: w.city_code, action: 'workers.consent.withdraw', targetKind: 'worker', targetId: w.id, detail: { kind } });
      }
      return toWorkerMe(w);
    },

    /** A real-name submission: one pending at a time, consent first, ID number unique in the city. */
    async submitVerification(workerId: string, input: VerificationRequest, ctx: AuditContext): Promise<WorkerMe> {
      const w = await loadWorker(workerId);
      const consent = await repo.activeConsent(w.id, 'privacy');
      if (consent?.version !== PRIVACY_NOTICE_VERSION) {
        throw new AppError('workers.consent_required', `Accept the privacy notice (${PRIVACY_NOTICE_VERSION}) before verifying`);
      }
      const assertCanSubmit = (status: VerificationStatus) => {
        if (status === 'approved') throw new AppError('workers.already_verified', 'You are already verified');
        if (status === 'pending') throw new AppError('workers.verification_pending', 'Your previous submission is still being reviewed');
      };
      assertCanSubmit(w.verification_status);

      const name = input.name.trim();
      if (Array.from(name).length < 2) {
        throw new AppError('request.invalid', 'name: at least 2 characters', { errors: [{ field: 'name', message: 'at least 2 characters' }] });
      }
      const platform = input.platform.trim();
      const station = input.station.trim();
      for (const [field, value] of [['platform', platform], ['station', station]] as const) {
        if (!value) throw new AppError('request.invalid', `${field}: required`, { errors: [{ field, message: 'required' }] });
      }
      if (!(industries as readonly string[]).includes(input.industry)) {
        throw new AppError('request.invalid', 'industry: unknown', { errors: [{ field: 'industry', message: 'unknown industry' }] });
      }
      const checked = checkIdNumber(input.idNumber, clock.now());
      if (!checked.ok) {
        const message = idNumberMessages[checked.reason];
        throw new AppError(checked.reason === 'underage' ? 'workers.underage' : 'workers.invalid_id_number', `idNumber: ${message}`, {
          errors: [{ field: 'idNumber', message }],
        });
      }
      const area = await areas.find(input.areaCode);
      if (!area || (area.level !== AREA_LEVEL.street && area.level !== AREA_LEVEL.community) || !isWithin(w.city_code, area.code)) {
        throw new AppError('areas.not_found', 'Choose a street or community of this city', { errors: [{ field: 'areaCode', message: 'not a street or community of this city' }] });
      }

      const idNumberHash = pii.blindIndex(checked.value);
      const now = clock.now();
      const verificationId = newId();
      await repo.transaction(async (trx) => {
        await repo.lock(`workers:id-number:${w.city_code}:${idNumberHash}`, trx);
        const fresh = await repo.findWorker(w.id, trx, { forUpdate: true });
        assertCanSubmit(fresh!.verification_status);
        if (await repo.idNumberHolder(w.city_code, idNumberHash, w.id, trx)) {
          throw new AppError('workers.id_number_taken', 'This ID number is already registered to another account', {
            errors: [{ field: 'idNumber', message: 'already registered to another account' }],
          });
        }
        await repo.insertVerification(
          {
            id: verificationId,
            city_code: w.city_code,
            worker_id: w.id,
            name_enc: pii.encrypt(name),
            id_number_enc: pii.encrypt(checked.value),
            id_number_hash: idNumberHash,
            industry: input.industry,
            platform,
            station,
            area_code: area.code,
            status: 'pending',
            reason: null,
            submitted_at: now,
            reviewed_at: null,
            reviewed_by: null,
            reviewed_by_label: null,
          },
          trx,
        );
        await repo.setWorkerPending(w.id, area.code, now, trx);
      });
      await audit.record(ctx, {
        cityCode: w.city_code,
        action: 'workers.verification.submit',
        targetKind: 'worker_verification',
        targetId: verificationId,
        detail: { workerId: w.id, areaCode: area.code, industry: input.industry },
      });
      return toWorkerMe((await repo.findWorker(w.id))!);
    },

    // ---------------- staff: verification review ----------------

    async listVerifications(p: StaffPrincipal, q: VerificationListQuery, ctx: AuditContext): Promise<PageOf<VerificationItem>> {
      requireRole(p, REVIEW_ROLES);
      const areaPrefix = scopedPrefix(p, q.areaCode);
      const { rows, total } = await repo.listVerifications({
        cityCode: p.cityCode,
        areaPrefix,
        status: q.status,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const cache = new Map<string, string>();
      const items: VerificationItem[] = [];
      for (const r of rows) items.push(await toVerificationItem(r, cache));
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'workers.verifications.list',
        targetKind: 'worker_verification',
        detail: { count: items.length, total, status: q.status, areaCode: areaPrefix, page: q.page },
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async getVerification(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<VerificationItem> {
      requireRole(p, REVIEW_ROLES);
      const v = visibleVerification(p, await repo.findVerification(id));
      await audit.record(ctx, { cityCode: p.cityCode, action: 'workers.verification.read', targetKind: 'worker_verification', targetId: v.id, detail: { workerId: v.worker_id } });
      return toVerificationItem(v);
    },

    async approveVerification(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<VerificationItem> {
      requireRole(p, REVIEW_ROLES);
      const now = clock.now();
      let decided: VerificationWithPhone;
      try {
        decided = await repo.transaction(async (trx) => {
          const v = visibleVerification(p, await repo.findVerification(id, trx, { forUpdate: true }));
          if (v.status !== 'pending') throw new AppError('workers.verification_not_pending', `This verification is already ${v.status}`);
          const review = { status: 'approved' as const, reason: null, at: now, by: p.id, byLabel: p.username };
          await repo.reviewVerification(v.id, review, trx);
          await repo.applyApprovedVerification(v.worker_id, v, now, trx);
          return { ...v, status: 'approved', reviewed_at: now, reviewed_by: p.id, reviewed_by_label: p.username };
        });
      } catch (e) {
        // Another worker was approved with the same ID number in the meantime (workers_id_number_hash_uq).
        if (isPgUniqueViolation(e)) throw new AppError('workers.id_number_taken', 'Another verified worker holds this ID number');
        throw e;
      }
      await audit.record(ctx, { cityCode: decided.city_code, action: 'workers.verification.approve', targetKind: 'worker_verification', targetId: decided.id, detail: { workerId: decided.worker_id } });
      await notifyWorker(ctx, decided.city_code, decided.worker_id, 'verification.approved', {});
      return toVerificationItem(decided);
    },

    async rejectVerification(p: StaffPrincipal, id: string, input: { reason: string }, ctx: AuditContext): Promise<VerificationItem> {
      requireRole(p, REVIEW_ROLES);
      const reason = input.reason.trim();
      if (Array.from(reason).length < 2) {
        throw new AppError('workers.reason_required', 'Say why the submission is rejected', { errors: [{ field: 'reason', message: 'required' }] });
      }
      const now = clock.now();
      const decided = await repo.transaction(async (trx) => {
        const v = visibleVerification(p, await repo.findVerification(id, trx, { forUpdate: true }));
        if (v.status !== 'pending') throw new AppError('workers.verification_not_pending', `This verification is already ${v.status}`);
        await repo.reviewVerification(v.id, { status: 'rejected', reason, at: now, by: p.id, byLabel: p.username }, trx);
        await repo.setWorkerStatus(v.worker_id, 'rejected', now, trx);
        return { ...v, status: 'rejected' as const, reason, reviewed_at: now, reviewed_by: p.id, reviewed_by_label: p.username };
      });
      await audit.record(ctx, { cityCode: decided.city_code, action: 'workers.verification.reject', targetKind: 'worker_verification', targetId: decided.id, detail: { workerId: decided.worker_id, reason } });
      await notifyWorker(ctx, decided.city_code, decided.worker_id, 'verification.rejected', { reason });
      return toVerificationItem(decided);
    },

    // ---------------- staff: worker records ----------------

    async listWorkers(p: StaffPrincipal, q: WorkerListQuery, ctx: AuditContext): Promise<PageOf<AdminWorker>> {
      requireRole(p, READ_ROLES);
      const areaPrefix = scopedPrefix(p, q.areaCode);
      const phoneHash = q.phone ? pii.blindIndex(requirePhone(q.phone)) : undefined;
      const { rows, total } = await repo.listWorkers({
        cityCode: p.cityCode,
        areaPrefix,
        includeWithoutArea: areaPrefix === p.cityCode,
        phoneHash,
        status: q.status,
        industry: q.industry,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const cache = new Map<string, string>();
      const items: AdminWorker[] = [];
      for (const r of rows) items.push(await toAdminWorker(r, cache));
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'workers.list',
        targetKind: 'worker',
        // The phone searched for is personal data: record only that there was one.
        detail: { count: items.length, total, areaCode: areaPrefix, status: q.status ?? null, industry: q.industry ?? null, byPhone: Boolean(q.phone), page: q.page },
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async getWorker(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<AdminWorker> {
      requireRole(p, READ_ROLES);
      const w = visibleWorker(p, await repo.findWorker(id));
      await audit.record(ctx, { cityCode: p.cityCode, action: 'workers.read', targetKind: 'worker', targetId: w.id });
      return toAdminWorker(w);
    },

    /** One field in clear, for a stated reason. Refusals are audited too. */
    async unmaskWorker(p: StaffPrincipal, id: string, input: UnmaskRequest, ctx: AuditContext): Promise<{ field: string; value: string }> {
      const entry = { cityCode: p.cityCode, action: 'workers.unmask', targetKind: 'worker', targetId: id, detail: { field: input.field, reason: input.reason } };
      if (!UNMASK_ROLES.includes(p.role)) {
        await audit.record(ctx, { ...entry, outcome: 'denied' });
        throw forbidden(`Your role (${p.role}) may not see personal data in clear`);
      }
      const w = visibleWorker(p, await repo.findWorker(id));
      let stored: string | null;
      if (input.field === 'phone') stored = w.phone_enc;
      else {
        // Before approval the only copy is the latest submission (a reviewer checking it needs that one).
        const latest = w.verification_status === 'approved' ? undefined : await repo.latestVerification(w.id);
        stored = input.field === 'name' ? (w.name_enc ?? latest?.name_enc ?? null) : (w.id_number_enc ?? latest?.id_number_enc ?? null);
      }
      if (!stored) throw new AppError('workers.not_found', `This worker has no ${input.field} on record`);
      const value = pii.decrypt(stored);
      await audit.record(ctx, entry);
      return { field: input.field, value };
    },

    // ---------------- for other modules and the demo seed ----------------

    /** Masked essentials of a worker, for other modules (passes, reports, appeals). */
    async getWorkerSummary(id: string): Promise<WorkerSummary | undefined> {
      const w = await repo.findWorker(id);
      if (!w) return undefined;
      return {
        id: w.id,
        cityCode: w.city_code,
        phoneMasked: maskPhone(pii.decrypt(w.phone_enc)),
        nameMasked: w.name_enc ? maskName(pii.decrypt(w.name_enc)) : null,
        verificationStatus: w.verification_status,
        areaCode: w.area_code,
        industry: w.industry,
        platform: w.platform,
      };
    },

    /**
     * Name, 身份证 number and phone in clear, for a document the worker is a party to (an appeal's
     * legal-aid or arbitration application). The calling module decides who may ask and audits it.
     */
    async identityInClear(id: string): Promise<{ name: string | null; idNumber: string | null; phone: string } | undefined> {
      const w = await repo.findWorker(id);
      if (!w) return undefined;
      return {
        name: w.name_enc ? pii.decrypt(w.name_enc) : null,
        idNumber: w.id_number_enc ? pii.decrypt(w.id_number_enc) : null,
        phone: pii.decrypt(w.phone_enc),
      };
    },

    /** A worker by phone number (as people type it), for other modules: 微光榜 nominations, the ledger's filter. */
    async findWorkerByPhone(cityCode: string, phone: string): Promise<WorkerSummary | undefined> {
      const normalised = normalisePhone(phone);
      if (!normalised) return undefined;
      const w = await repo.findWorkerByPhoneHash(cityCode, pii.blindIndex(normalised));
      if (!w) return undefined;
      return {
        id: w.id,
        cityCode: w.city_code,
        phoneMasked: maskPhone(pii.decrypt(w.phone_enc)),
        nameMasked: w.name_enc ? maskName(pii.decrypt(w.name_enc)) : null,
        verificationStatus: w.verification_status,
        areaCode: w.area_code,
        industry: w.industry,
        platform: w.platform,
      };
    },

    /**
     * Creates a worker in a given state, for the demo seed and tests. Idempotent by phone: an existing
     * worker is returned untouched. Throws a plain Error on bad seed data (a programming mistake).
     */
    async seedWorker(input: SeedWorkerInput): Promise<{ id: string; created: boolean }> {
      const phone = normalisePhone(input.phone);
      if (!phone) throw new Error('seedWorker: invalid phone');
      const cityCode = input.cityCode ?? DEFAULT_WORKER_CITY;
      const existing = await repo.findWorkerByPhoneHash(cityCode, pii.blindIndex(phone));
      if (existing) return { id: existing.id, created: false };

      const now = clock.now();
      let verification: VerificationRow | undefined;
      if (input.status !== 'unverified') {
        const checked = input.idNumber ? checkIdNumber(input.idNumber, now) : undefined;
        if (!input.name || !checked?.ok || !input.areaCode) throw new Error('seedWorker: a verified state needs name, a valid idNumber and areaCode');
        const decided = input.status !== 'pending';
        verification = {
          id: newId(),
          city_code: cityCode,
          worker_id: '',
          name_enc: pii.encrypt(input.name),
          id_number_enc: pii.encrypt(checked.value),
          id_number_hash: pii.blindIndex(checked.value),
          industry: input.industry ?? 'food_delivery',
          platform: input.platform ?? '美团',
          station: input.station ?? '甬爱驿站',
          area_code: input.areaCode,
          status: input.status,
          reason: input.status === 'rejected' ? (input.rejectReason ?? '材料不清晰') : null,
          submitted_at: now,
          reviewed_at: decided ? now : null,
          reviewed_by: null,
          reviewed_by_label: decided ? 'seed' : null,
        };
      }
      return repo.transaction(async (trx) => {
        const { worker, created } = await repo.insertWorkerIfAbsent(newWorkerRow(cityCode, phone, now), trx);
        if (!created) return { id: worker.id, created };
        if (input.consent ?? input.status !== 'unverified') {
          await repo.insertConsent(
            { id: newId(), city_code: cityCode, worker_id: worker.id, kind: 'privacy', version: PRIVACY_NOTICE_VERSION, accepted_at: now, withdrawn_at: null, ip: null, user_agent: 'seed' },
            trx,
          );
        }
        if (verification) {
          verification.worker_id = worker.id;
          await repo.insertVerification(verification, trx);
          await repo.setWorkerPending(worker.id, verification.area_code, now, trx);
          if (input.status === 'approved') await repo.applyApprovedVerification(worker.id, verification, now, trx);
          else if (input.status === 'rejected') await repo.setWorkerStatus(worker.id, 'rejected', now, trx);
        }
        return { id: worker.id, created };
      });
    },
  };
}
export type WorkersService = ReturnType<typeof createWorkersService>;
