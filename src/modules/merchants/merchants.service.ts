import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import {
  merchantActionFrom,
  merchantActions,
  WARNING_WINDOW_MONTHS,
  WARNINGS_TO_SUSPEND,
  type MerchantAction,
  type MerchantApplication,
  type MerchantApplicationDetail,
  type MerchantApplicationInput,
  type MerchantListQuery,
  type MerchantState,
} from '../../contracts/merchants.js';
import { checkUscc, usccProblemMessages } from '../../shared/uscc.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { maskName, maskPhone } from '../../shared/mask.js';
import { normalisePhone } from '../../shared/phone.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { AREA_LEVEL, isWithin, type AreasService } from '../areas/areas.service.js';
import { createMerchantsRepository, type CertificationRow, type CertificationWithCounts, type EventRow, type NewEventRow } from './merchants.repository.js';

/** What merchants need from the places service. */
export interface MerchantPlaces {
  lookup(id: string): Promise<{ id: string; type: string; cityCode: string; areaCode: string; name: string; status: string; certified: boolean } | undefined>;
  setCertified(placeId: string, certified: boolean, ctx: AuditContext): Promise<void>;
  /** The queue's search also matches the merchant place's name. */
  listPlaces(p: StaffPrincipal, q: { q?: string; type?: 'merchant'; page: number; pageSize: number }): Promise<{ items: { id: string }[] }>;
}

export interface MerchantsServiceDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  areas: Pick<AreasService, 'path'>;
  places: MerchantPlaces;
  pii: PiiCipher;
}

/** Who may read the queue, apply, and take each action (always within their area scope). */
const READ_ROLES: readonly StaffRole[] = ['operator', 'handler'];
const APPLY_ROLES: readonly StaffRole[] = ['operator', 'handler'];
const ACTION_ROLES: Record<MerchantAction, readonly StaffRole[]> = {
  review: ['operator'],
  certify: ['operator'],
  complaint: ['operator', 'handler'],
  warning: ['operator', 'handler'],
  suspend: ['operator'],
  reinstate: ['operator'],
  exit: ['operator'],
};

/** A landline as written on a shop sign: area code 0xx(x), then 7–8 digits. */
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

export interface SeedCertificationInput {
  placeId: string;
  uscc: string;
  legalName: string;
  contactName: string;
  contactPhone: string;
  state: 'applied' | 'reviewed' | 'certified';
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function requireRole(p: StaffPrincipal, roles: readonly StaffRole[], what: string): void {
  if (!roles.includes(p.role)) throw forbidden(`Your role (${p.role}) may not ${what}`);
}

function normaliseContactPhone(input: string): string {
  const mobile = normalisePhone(input);
  if (mobile) return mobile;
  const compact = input.replace(/[\s\u3000()（）]/g, '');
  if (LANDLINE.test(compact)) return compact;
  throw new AppError('request.invalid', 'contactPhone: not a mobile or landline number', {
    errors: [{ field: 'contactPhone', message: 'must be a mainland mobile number or a landline such as 0574-88881234' }],
  });
}

/** Whether a place in this state should be shown to workers as a certified merchant. */
const shows = (state: MerchantState) => state === 'certified';

/**
 * Merchant certification (进管出): application with the 统一社会信用代码, review (inspection), certification,
 * complaints and warnings (three within 12 months suspend), suspension, reinstatement and exit.
 * The place's `certified` flag follows the state, so only certified merchants appear to workers.
 */
export function createMerchantsService(deps: MerchantsServiceDeps) {
  const { clock, audit, areas, places, pii } = deps;
  const repo = createMerchantsRepository(deps.db);

  const warningsSince = (now = clock.now()) => {
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - WARNING_WINDOW_MONTHS);
    return d;
  };

  async function areaFullName(code: string, cache: Map<string, string>): Promise<string> {
    const hit = cache.get(code);
    if (hit) return hit;
    let name = code;
    try {
      const path = await areas.path(code);
      name = path.filter((a) => a.level > AREA_LEVEL.city).map((a) => a.name).join(' · ') || path.map((a) => a.name).join(' · ');
    } catch {
      // an unknown code shows as itself
    }
    cache.set(code, name);
    return name;
  }

  function actionsFor(p: StaffPrincipal, state: MerchantState): MerchantAction[] {
    return merchantActions.filter((a) => merchantActionFrom[a].includes(state) && ACTION_ROLES[a].includes(p.role));
  }

  function inScope(p: StaffPrincipal, c: Pick<CertificationRow, 'city_code' | 'area_code'>): boolean {
    return c.city_code === p.cityCode && isWithin(p.areaCode, c.area_code);
  }

  async function toApplication(p: StaffPrincipal, c: CertificationWithCounts, caches: { areas: Map<string, string>; places: Map<string, string | null> }): Promise<MerchantApplication> {
    if (!caches.places.has(c.place_id)) caches.places.set(c.place_id, (await places.lookup(c.place_id))?.name ?? null);
    return {
      id: c.id,
      placeId: c.place_id,
      placeName: caches.places.get(c.place_id) ?? null,
      areaCode: c.area_code,
      areaName: await areaFullName(c.area_code, caches.areas),
      uscc: c.uscc,
      legalName: c.legal_name,
      contactNameMasked: maskName(pii.decrypt(c.contact_name_enc)),
      contactPhoneMasked: maskPhone(pii.decrypt(c.contact_phone_enc)),
      state: c.state,
      warnings: c.warnings,
      complaints: c.complaints,
      appliedAt: c.applied_at.toISOString(),
      updatedAt: c.updated_at.toISOString(),
      actions: actionsFor(p, c.state),
    };
  }

  async function toDetail(p: StaffPrincipal, id: string): Promise<MerchantApplicationDetail> {
    const c = (await repo.withCounts(id, warningsSince()))!;
    const events = await repo.events(id);
    return {
      ...(await toApplication(p, c, { areas: new Map(), places: new Map() })),
      reviewedAt: iso(c.reviewed_at),
      certifiedAt: iso(c.certified_at),
      suspendedAt: iso(c.suspended_at),
      closedAt: iso(c.closed_at),
      events: events.map((e: EventRow) => ({ id: e.id, kind: e.kind, note: e.note, automatic: e.automatic, actorName: e.actor_name, at: e.at.toISOString() })),
    };
  }

  /** The record, if the caller may see it: unknown → 404, another area → 403. */
  function visible(p: StaffPrincipal, c: CertificationRow | undefined): CertificationRow {
    if (!c || c.city_code !== p.cityCode) throw new AppError('merchants.not_found', 'No such merchant certification');
    if (!inScope(p, c)) throw new AppError('areas.out_of_scope', 'This merchant is outside your area');
    return c;
  }

  const event = (c: Pick<CertificationRow, 'id' | 'city_code'>, kind: NewEventRow['kind'], p: StaffPrincipal | null, at: Date, note: string | null, automatic = false): NewEventRow => ({
    id: newId(),
    certification_id: c.id,
    city_code: c.city_code,
    kind,
    note,
    automatic,
    actor_id: p?.id ?? null,
    actor_name: p ? p.displayName : 'system',
    at,
  });

  type ActionInput = { approve?: boolean; note?: string };

  /**
   * One state-machine step under a row lock. The place's certified flag is set after the commit (the
   * places service writes its own table), then the step is audited.
   */
  async function act(p: StaffPrincipal, id: string, action: MerchantAction, input: ActionInput, ctx: AuditContext): Promise<MerchantApplicationDetail> {
    requireRole(p, READ_ROLES, 'work merchant certifications');
    const note = input.note?.trim() || null;
    const now = clock.now();
    const outcome = await repo.transaction(async (trx) => {
      const c = visible(p, await repo.findCertification(id, trx, { forUpdate: true }));
      requireRole(p, ACTION_ROLES[action], `${action} merchant certifications`);
      if (!merchantActionFrom[action].includes(c.state)) {
        throw new AppError('merchants.invalid_transition', `Cannot ${action} a certification that is ${c.state}`);
      }
      let to: MerchantState = c.state;
      let autoSuspended = false;
      const events: NewEventRow[] = [];
      switch (action) {
        case 'review':
          if (input.approve) {
            if (c.state !== 'applied') throw new AppError('merchants.invalid_transition', 'This application has already passed review');
            to = 'reviewed';
            events.push(event(c, 'reviewed', p, now, note));
            await repo.updateCertification(c.id, { state: to, reviewed_at: now, updated_at: now }, trx);
          } else {
            if (!note || Array.from(note).length < 2) {
              throw new AppError('request.invalid', 'note: say why the application is rejected', { errors: [{ field: 'note', message: 'required to reject (at least 2 characters)' }] });
            }
            to = 'rejected';
            events.push(event(c, 'rejected', p, now, note));
            await repo.updateCertification(c.id, { state: to, closed_at: now, updated_at: now }, trx);
          }
          break;
        case 'certify':
          to = 'certified';
          events.push(event(c, 'certified', p, now, note));
          await repo.updateCertification(c.id, { state: to, certified_at: now, updated_at: now }, trx);
          break;
        case 'complaint':
          events.push(event(c, 'complaint', p, now, note));
          await repo.updateCertification(c.id, { updated_at: now }, trx);
          break;
        case 'warning': {
          await repo.insertEvents([event(c, 'warning', p, now, note)], trx);
          if (c.state === 'certified' && (await repo.countWarnings(c.id, warningsSince(now), trx)) >= WARNINGS_TO_SUSPEND) {
            to = 'suspended';
            autoSuspended = true;
            events.push(event(c, 'suspended', null, now, null, true));
            await repo.updateCertification(c.id, { state: to, suspended_at: now, updated_at: now }, trx);
          } else {
            await repo.updateCertification(c.id, { updated_at: now }, trx);
          }
          break;
        }
        case 'suspend':
          to = 'suspended';
          events.push(event(c, 'suspended', p, now, note));
          await repo.updateCertification(c.id, { state: to, suspended_at: now, updated_at: now }, trx);
          break;
        case 'reinstate':
          to = 'certified';
          events.push(event(c, 'reinstated', p, now, note));
          await repo.updateCertification(c.id, { state: to, suspended_at: null, updated_at: now }, trx);
          break;
        case 'exit':
          to = 'exited';
          events.push(event(c, 'exited', p, now, note));
          await repo.updateCertification(c.id, { state: to, closed_at: now, updated_at: now }, trx);
          break;
      }
      await repo.insertEvents(events, trx);
      return { c, from: c.state, to, autoSuspended };
    });

    if (shows(outcome.from) !== shows(outcome.to)) await places.setCertified(outcome.c.place_id, shows(outcome.to), ctx);
    const auditAction = action === 'review' ? (outcome.to === 'rejected' ? 'reject' : 'review') : action;
    await audit.record(ctx, {
      cityCode: outcome.c.city_code,
      action: `merchants.${auditAction}`,
      targetKind: 'merchant_certification',
      targetId: outcome.c.id,
      detail: { placeId: outcome.c.place_id, from: outcome.from, to: outcome.to, note },
    });
    if (outcome.autoSuspended) {
      await audit.record(ctx, {
        cityCode: outcome.c.city_code,
        action: 'merchants.suspend',
        targetKind: 'merchant_certification',
        targetId: outcome.c.id,
        detail: { placeId: outcome.c.place_id, from: 'certified', to: 'suspended', automatic: true, rule: `${WARNINGS_TO_SUSPEND} warnings within ${WARNING_WINDOW_MONTHS} months` },
      });
    }
    return toDetail(p, outcome.c.id);
  }

  return {
    /** Re-encrypts merchant contacts under a new key, in one transaction (npm run pii:rotate). */
    async rotatePiiKey(next: PiiCipher): Promise<{ merchants: number }> {
      return repo.transaction(async (trx) => {
        const rows = await repo.listContacts(trx);
        for (const r of rows) {
          await repo.setContact(r.id, { contact_name_enc: next.encrypt(pii.decrypt(r.contact_name_enc)), contact_phone_enc: next.encrypt(pii.decrypt(r.contact_phone_enc)) }, trx);
        }
        return { merchants: rows.length };
      });
    },

    async list(p: StaffPrincipal, q: MerchantListQuery, ctx: AuditContext): Promise<PageOf<MerchantApplication>> {
      requireRole(p, READ_ROLES, 'read merchant certifications');
      if (q.areaCode && !isWithin(p.areaCode, q.areaCode)) {
        throw new AppError('areas.out_of_scope', 'That area is outside your scope', { errors: [{ field: 'areaCode', message: 'outside your scope' }] });
      }
      const areaPrefix = q.areaCode ?? p.areaCode;
      const text = q.q?.trim() || undefined;
      // People search by the shop's name as often as by its licence: match the places' names too.
      const placeIds = text ? (await places.listPlaces(p, { q: text, type: 'merchant', page: 1, pageSize: 200 })).items.map((i) => i.id) : [];
      const { rows, total } = await repo.listCertifications({
        cityCode: p.cityCode,
        areaPrefix,
        state: q.state,
        q: text,
        placeIds,
        warningsSince: warningsSince(),
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const caches = { areas: new Map<string, string>(), places: new Map<string, string | null>() };
      const items: MerchantApplication[] = [];
      for (const r of rows) items.push(await toApplication(p, r, caches));
      await audit.record(ctx, {
        cityCode: p.cityCode,
        action: 'merchants.list',
        targetKind: 'merchant_certification',
        detail: { count: items.length, total, areaCode: areaPrefix, state: q.state ?? null, page: q.page },
      });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async get(p: StaffPrincipal, id: string, ctx: AuditContext): Promise<MerchantApplicationDetail> {
      requireRole(p, READ_ROLES, 'read merchant certifications');
      const c = visible(p, await repo.findCertification(id));
      await audit.record(ctx, { cityCode: c.city_code, action: 'merchants.read', targetKind: 'merchant_certification', targetId: c.id });
      return toDetail(p, c.id);
    },

    /** A merchant place applies (recorded by staff of its area): the code is checked, the contact stored encrypted. */
    async apply(p: StaffPrincipal, input: MerchantApplicationInput, ctx: AuditContext): Promise<MerchantApplicationDetail> {
      requireRole(p, APPLY_ROLES, 'record merchant applications');
      const checked = checkUscc(input.uscc);
      if (!checked.ok) {
        throw new AppError('merchants.invalid_uscc', `uscc: ${usccProblemMessages[checked.problem]}`, {
          errors: [{ field: 'uscc', message: usccProblemMessages[checked.problem] }],
        });
      }
      const legalName = input.legalName.trim();
      const contactName = input.contactName.trim();
      if (Array.from(legalName).length < 2) throw new AppError('request.invalid', 'legalName: at least 2 characters', { errors: [{ field: 'legalName', message: 'at least 2 characters' }] });
      if (!contactName) throw new AppError('request.invalid', 'contactName: required', { errors: [{ field: 'contactName', message: 'required' }] });
      const contactPhone = normaliseContactPhone(input.contactPhone);

      const place = await places.lookup(input.placeId);
      if (!place || place.cityCode !== p.cityCode || place.type !== 'merchant' || place.status === 'closed') {
        throw new AppError('merchants.place_not_merchant', `Place ${input.placeId} is not an open merchant place in your city`, {
          errors: [{ field: 'placeId', message: 'must be a merchant place (type merchant) of your city' }],
        });
      }
      if (!isWithin(p.areaCode, place.areaCode)) {
        throw new AppError('areas.out_of_scope', 'This merchant is outside your area', { errors: [{ field: 'placeId', message: 'outside your scope' }] });
      }
      const placeTaken = () => new AppError('merchants.already_applied', 'This merchant already has an open certification', { errors: [{ field: 'placeId', message: 'already has an open certification' }] });
      const usccTaken = () => new AppError('merchants.uscc_taken', 'This credit code already has an open certification', { errors: [{ field: 'uscc', message: 'already certified or under review' }] });
      if (await repo.findOpen({ cityCode: p.cityCode, placeId: place.id })) throw placeTaken();
      if (await repo.findOpen({ cityCode: p.cityCode, uscc: checked.value })) throw usccTaken();

      const now = clock.now();
      const row = {
        id: newId(),
        city_code: p.cityCode,
        area_code: place.areaCode,
        place_id: place.id,
        uscc: checked.value,
        legal_name: legalName,
        contact_name_enc: pii.encrypt(contactName),
        contact_phone_enc: pii.encrypt(contactPhone),
        state: 'applied' as const,
        applied_at: now,
        reviewed_at: null,
        certified_at: null,
        suspended_at: null,
        closed_at: null,
        updated_at: now,
        created_by: p.id,
      };
      try {
        await repo.transaction(async (trx) => {
          await repo.insertCertification(row, trx);
          await repo.insertEvents([event(row, 'applied', p, now, null)], trx);
        });
      } catch (e) {
        // Two staff recording the same merchant at once: the unique indexes decide.
        const err = e as { code?: string; constraint?: string };
        if (err.code === '23505') throw err.constraint?.includes('uscc') ? usccTaken() : placeTaken();
        throw e;
      }
      await audit.record(ctx, { cityCode: p.cityCode, action: 'merchants.apply', targetKind: 'merchant_certification', targetId: row.id, detail: { placeId: place.id, uscc: row.uscc } });
      return toDetail(p, row.id);
    },

    review: (p: StaffPrincipal, id: string, input: { approve: boolean; note?: string }, ctx: AuditContext) => act(p, id, 'review', input, ctx),
    certify: (p: StaffPrincipal, id: string, input: { note?: string }, ctx: AuditContext) => act(p, id, 'certify', input, ctx),
    complaint: (p: StaffPrincipal, id: string, note: string, ctx: AuditContext) => act(p, id, 'complaint', { note }, ctx),
    warning: (p: StaffPrincipal, id: string, note: string, ctx: AuditContext) => act(p, id, 'warning', { note }, ctx),
    suspend: (p: StaffPrincipal, id: string, reason: string, ctx: AuditContext) => act(p, id, 'suspend', { note: reason }, ctx),
    reinstate: (p: StaffPrincipal, id: string, note: string, ctx: AuditContext) => act(p, id, 'reinstate', { note }, ctx),
    exit: (p: StaffPrincipal, id: string, reason: string, ctx: AuditContext) => act(p, id, 'exit', { note: reason }, ctx),

    /** Whether a city has any certification record (the demo seed runs only on a city without). */
    async hasRecords(cityCode: string): Promise<boolean> {
      return repo.hasRecords(cityCode);
    },

    /**
     * Demo seed: certification records for merchant places, created with their history up to the
     * given state (the places are the seed's own, so no scope checks). Places with a record in any
     * state are left alone, so it is safe on every start. Returns how many were created.
     */
    async seedCertifications(cityCode: string, inputs: SeedCertificationInput[]): Promise<number> {
      const skip = await repo.placesWithRecords(inputs.map((i) => i.placeId));
      const now = clock.now();
      const created: { placeId: string; state: SeedCertificationInput['state'] }[] = [];
      // Look the places up first: the places service uses its own connection (PGlite has only one).
      const todo: { input: SeedCertificationInput; place: NonNullable<Awaited<ReturnType<MerchantPlaces['lookup']>>>; uscc: string }[] = [];
      for (const input of inputs) {
        if (skip.has(input.placeId)) continue;
        const place = await places.lookup(input.placeId);
        const checked = checkUscc(input.uscc);
        if (!place || place.type !== 'merchant' || !checked.ok) throw new Error(`seedCertifications: bad seed data for place ${input.placeId}`);
        skip.add(input.placeId);
        todo.push({ input, place, uscc: checked.value });
      }
      await repo.transaction(async (trx) => {
        for (const { input, place, uscc } of todo) {
          const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
          const row = {
            id: newId(),
            city_code: cityCode,
            area_code: place.areaCode,
            place_id: place.id,
            uscc,
            legal_name: input.legalName,
            contact_name_enc: pii.encrypt(input.contactName),
            contact_phone_enc: pii.encrypt(normaliseContactPhone(input.contactPhone)),
            state: input.state,
            applied_at: input.state === 'applied' ? at(1) : at(40),
            reviewed_at: input.state === 'applied' ? null : at(33),
            certified_at: input.state === 'certified' ? at(30) : null,
            suspended_at: null,
            closed_at: null,
            updated_at: input.state === 'applied' ? at(1) : input.state === 'reviewed' ? at(33) : at(30),
            created_by: 'seed',
          };
          await repo.insertCertification(row, trx);
          const seedEvent = (kind: NewEventRow['kind'], when: Date, note: string | null): NewEventRow => ({
            id: newId(), certification_id: row.id, city_code: cityCode, kind, note, actor_id: null, actor_name: 'seed', at: when,
          });
          const events = [seedEvent('applied', row.applied_at, null)];
          if (row.reviewed_at) events.push(seedEvent('reviewed', row.reviewed_at, '现场核查通过'));
          if (row.certified_at) events.push(seedEvent('certified', row.certified_at, null));
          await repo.insertEvents(events, trx);
          created.push({ placeId: place.id, state: input.state });
        }
      });
      for (const c of created) if (c.state === 'certified') await places.setCertified(c.placeId, true, {});
      return created.length;
    },
  };
}
export type MerchantsService = ReturnType<typeof createMerchantsService>;
