import type { Clock } from '../../shared/clock.js';
import type { StaffPrincipal } from '../../contracts/auth.js';
import type { FundInput, Sponsor, SponsorInput } from '../../contracts/points.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { maskName, maskPhone } from '../../shared/mask.js';
import { normalisePhone } from '../../shared/phone.js';
import type { PiiCipher } from '../../shared/pii.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { requireCityOperator } from './points.access.js';
import type { PointsRepository } from './points.repository.js';
import { SYSTEM, sponsorAccount, type PointsService } from './points.service.js';
import type { SponsorRow, SponsorsRepository } from './sponsors.repository.js';

const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

function normaliseContactPhone(input: string): string {
  const mobile = normalisePhone(input);
  if (mobile) return mobile;
  const compact = input.replace(/[\s\u3000()（）]/g, '');
  if (LANDLINE.test(compact)) return compact;
  throw new AppError('request.invalid', 'contactPhone: not a mobile or landline number', {
    errors: [{ field: 'contactPhone', message: 'must be a mainland mobile number or a landline such as 0574-88881234' }],
  });
}

/**
 * Sponsors (赞助方): merchants and companies whose budget funds earning rules and rewards. A budget is
 * a ledger account funded by an operator (a `budget` transaction from issuance); awards under a rule
 * that names the sponsor draw on it while it lasts. Contacts are encrypted and shown masked.
 */
export function createSponsorsService(deps: {
  repo: SponsorsRepository;
  ledger: Pick<PointsRepository, 'flowsOf'>;
  points: PointsService;
  clock: Clock;
  pii: PiiCipher;
  audit: Pick<AuditService, 'record'>;
  places?: { lookup(id: string): Promise<{ id: string; cityCode: string } | undefined> };
}) {
  const { repo, ledger, points, clock, pii, audit } = deps;

  async function toSponsors(cityCode: string, rows: SponsorRow[]): Promise<Sponsor[]> {
    const flows = new Map((await ledger.flowsOf(cityCode, 'sponsor', rows.map((r) => r.id))).map((f) => [f.ownerId, f]));
    return rows.map((r) => {
      const f = flows.get(r.id);
      return {
        id: r.id,
        name: r.name,
        kind: r.kind,
        contactNameMasked: maskName(pii.decrypt(r.contact_name_enc)),
        contactPhoneMasked: maskPhone(pii.decrypt(r.contact_phone_enc)),
        placeId: r.place_id === null ? null : String(r.place_id),
        balance: f?.balance ?? 0,
        funded: f?.credits ?? 0,
        awarded: f?.debits ?? 0,
        createdAt: r.created_at.toISOString(),
      };
    });
  }

  async function load(p: StaffPrincipal, id: string): Promise<SponsorRow> {
    const row = await repo.find(id);
    if (!row || row.city_code !== p.cityCode) throw new AppError('points.sponsor_not_found', 'No such sponsor');
    return row;
  }

  return {
    /** Sponsor names by id, for rules and rewards that name one. */
    async names(cityCode: string, ids: string[]): Promise<Map<string, string>> {
      return new Map((await repo.many(cityCode, [...new Set(ids)])).map((r) => [r.id, r.name]));
    },

    async list(p: StaffPrincipal): Promise<Sponsor[]> {
      return toSponsors(p.cityCode, await repo.list(p.cityCode));
    },

    async get(p: StaffPrincipal, id: string): Promise<Sponsor> {
      return (await toSponsors(p.cityCode, [await load(p, id)]))[0]!;
    },

    async create(p: StaffPrincipal, input: SponsorInput, ctx: AuditContext): Promise<Sponsor> {
      requireCityOperator(p, 'register sponsors');
      const name = input.name.trim();
      if (await repo.findByName(p.cityCode, name)) throw new AppError('points.sponsor_name_taken', 'A sponsor with this name exists');
      if (input.placeId && deps.places) {
        const place = await deps.places.lookup(input.placeId);
        if (!place || place.cityCode !== p.cityCode) throw new AppError('places.not_found', 'No such place');
      }
      const row: SponsorRow = {
        id: newId(),
        city_code: p.cityCode,
        area_code: p.areaCode,
        name,
        kind: input.kind,
        contact_name_enc: pii.encrypt(input.contactName.trim()),
        contact_phone_enc: pii.encrypt(normaliseContactPhone(input.contactPhone)),
        place_id: input.placeId ?? null,
        created_at: clock.now(),
        created_by: p.id,
      };
      try {
        await repo.insert(row);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new AppError('points.sponsor_name_taken', 'A sponsor with this name exists');
        throw e;
      }
      await audit.record(ctx, { cityCode: p.cityCode, action: 'points.sponsor_created', targetKind: 'points_sponsor', targetId: row.id, detail: { name, kind: input.kind } });
      return (await toSponsors(p.cityCode, [row]))[0]!;
    },

    /** Funds a sponsor's budget from issuance. The caller's idempotency key makes a retried funding one funding. */
    async fund(p: StaffPrincipal, id: string, input: FundInput, ctx: AuditContext, idempotencyKey?: string): Promise<Sponsor> {
      requireCityOperator(p, 'fund sponsor budgets');
      const row = await load(p, id);
      const posted = await points.post({
        cityCode: p.cityCode,
        kind: 'budget',
        reason: `赞助预算：${row.name}（${input.note.trim()}）`,
        source: { type: 'sponsor', id: row.id },
        idempotencyKey: `budget:${row.id}:${idempotencyKey ?? newId()}`,
        createdBy: p.id,
        lines: [
          { account: SYSTEM.issuance, amount: -input.amount },
          { account: sponsorAccount(row.id), amount: input.amount },
        ],
      });
      if (!posted.replayed) {
        await audit.record(ctx, { cityCode: p.cityCode, action: 'points.sponsor_funded', targetKind: 'points_sponsor', targetId: row.id, detail: { amount: input.amount, note: input.note, transactionId: posted.transactionId } });
      }
      return (await toSponsors(p.cityCode, [row]))[0]!;
    },

    /** For the demo seed: a sponsor by name, created if missing (no audit: no person acted). */
    async seedSponsor(cityCode: string, s: { name: string; kind: SponsorRow['kind']; contactName: string; contactPhone: string; areaCode: string }): Promise<string> {
      const existing = await repo.findByName(cityCode, s.name);
      if (existing) return existing.id;
      const id = newId();
      await repo.insert({
        id,
        city_code: cityCode,
        area_code: s.areaCode,
        name: s.name,
        kind: s.kind,
        contact_name_enc: pii.encrypt(s.contactName),
        contact_phone_enc: pii.encrypt(normaliseContactPhone(s.contactPhone)),
        place_id: null,
        created_at: clock.now(),
        created_by: null,
      });
      return id;
    },

    /** Re-encrypts sponsor contacts under a new key (npm run pii:rotate). */
    async rotatePiiKey(next: PiiCipher): Promise<{ sponsors: number }> {
      return repo.transaction(async (trx) => {
        const rows = await repo.all(trx);
        for (const r of rows) {
          await repo.setContact(r.id, { contact_name_enc: next.encrypt(pii.decrypt(r.contact_name_enc)), contact_phone_enc: next.encrypt(pii.decrypt(r.contact_phone_enc)) }, trx);
        }
        return { sponsors: rows.length };
      });
    },
  };
}
export type SponsorsService = ReturnType<typeof createSponsorsService>;
