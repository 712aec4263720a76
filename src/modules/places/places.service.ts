import gcoord from 'gcoord';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { Config } from '../../server/config.js';
import type { Principal, StaffPrincipal, StaffRole } from '../../contracts/auth.js';
import type { PageOf } from '../../contracts/common.js';
import type { ErrorCode } from '../../contracts/errors.js';
import {
  cityBounds,
  entryBuckets,
  placeServices,
  placeTransitions,
  placeTypes,
  type Access,
  type AdminPlace,
  type AdminPlaceListQuery,
  type CabinetStatus,
  type CoordinateSystem,
  type Friendliness,
  type Gate,
  type ImportResult,
  type ImportRowError,
  type PlaceDetail,
  type PlaceDetails,
  type PlaceExportQuery,
  type PlaceFileFormat,
  type PlaceHistoryItem,
  type PlaceImportQuery,
  type PlaceInput,
  type PlaceStatus,
  type PlaceType,
  type PlaceUpdate,
  type RatingInput,
  type ServiceCircleQuery,
  type ServiceCircleReport,
  type StatusChange,
  type WorstRated,
  type WorstRatedQuery,
} from '../../contracts/places.js';
import { AppError, forbidden } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { prepareImage, storeImage } from '../../platform/images/images.js';
import type { Storage } from '../../platform/storage/storage.js';
import type { AuditContext, AuditService } from '../audit/audit.service.js';
import { AREA_LEVEL, isWithin, type AreasService } from '../areas/areas.service.js';
import { isValidHours, openState } from './opening-hours.js';
import type { NearbyService, BatteryReadiness } from './places.nearby.js';
import { createPlacesRepository, type NewPlaceRow, type PhotoRow, type PlaceFields, type PlaceRow, type RatingRow } from './places.repository.js';
import { createServiceCircle } from './places.circle.js';
import {
  READ_ROLES,
  WRITE_ROLES,
  MAX_PHOTOS,
  RATING_WINDOW_DAYS,
  MIN_RATINGS_FOR_RANKING,
  DUPLICATE_DISTANCE_M,
  MAX_EXPORT_ROWS,
  RATED_TYPES,
  type PlaceDraft,
  type Issue,
  toWgs84,
  normaliseDraft,
  draftIssues,
  issuesError,
  friendlinessOf,
  shanghaiDay,
  photoUrl,
  parseId,
  requireRole,
  scopedPrefix,
  draftOfRow,
  fieldsOfDraft,
  draftOfInput,
  draftWithUpdate,
  changedFields,
  distanceM,
} from './places.rules.js';
import {
  MAX_IMPORT_ROWS,
  UnreadableFileError,
  crsFromCell,
  importTemplate,
  numberFromCell,
  readPlaceSheet,
  servicesFromCell,
  typeFromCell,
  writePlaceSheet,
  type ExportRecord,
  type ImportColumn,
  type SheetRow,
} from './places.import.js';

export interface CabinetsProvider extends BatteryReadiness {
  cabinetsForPlace(placeId: string): Promise<CabinetStatus[]>;
}

export interface PlacesServiceDeps {
  db: Db;
  clock: Clock;
  config: Config;
  audit: Pick<AuditService, 'record'>;
  areas: AreasService;
  storage: Storage;
  nearby: Pick<NearbyService, 'refresh' | 'nearest'>;
  cabinets: CabinetsProvider;
}

/** What other modules (merchants, charging) may know of a place. */
export interface PlaceRef {
  id: string;
  type: PlaceType;
  cityCode: string;
  areaCode: string;
  name: string;
  status: PlaceStatus;
  certified: boolean;
}

/** Operators everywhere in their scope; street/department handlers and grid workers read in theirs. */
// ---------------- the service ----------------

/**
 * Places (甬爱场景): the registry staff keep — create, edit with optimistic versions, lifecycle with
 * reasons and history, photos, spreadsheet import/export — and what workers see and add: the place
 * page and friendliness ratings. Writes refresh the nearby index so the writer sees them at once.
 */
export function createPlacesService(deps: PlacesServiceDeps) {
  const { clock, config, audit, areas, storage, nearby, cabinets } = deps;
  const repo = createPlacesRepository(deps.db);
  const circle = createServiceCircle({ repo, areas, nearby, config });

  /** "鄞州区 白鹤街道 丹顶鹤社区" — the area's path below the city. */
  async function areaName(code: string, cache?: Map<string, string>): Promise<string> {
    const hit = cache?.get(code);
    if (hit) return hit;
    let name = code;
    try {
      const path = await areas.path(code);
      name = path.filter((a) => a.level > AREA_LEVEL.city).map((a) => a.name).join(' ') || path.map((a) => a.name).join(' ');
    } catch {
      // an unknown code shows as itself
    }
    cache?.set(code, name);
    return name;
  }

  /** Rules that need the areas: a street or community of the city, inside the writer's scope. */
  async function areaIssues(p: StaffPrincipal, areaCode: string): Promise<Issue[]> {
    const bad = (message: string): Issue[] => [{ field: 'areaCode', code: 'places.invalid_area', message }];
    if (!/^(\d{9}|\d{12})$/.test(areaCode)) return bad('must be a street (9 digits) or community (12 digits) code');
    if (!isWithin(p.cityCode, areaCode)) return bad('not in this city');
    const area = await areas.find(areaCode);
    if (!area || (area.level !== AREA_LEVEL.street && area.level !== AREA_LEVEL.community)) return bad('no such street or community');
    if (!isWithin(p.areaCode, areaCode)) return [{ field: 'areaCode', code: 'areas.out_of_scope', message: 'outside your scope' }];
    return [];
  }

  async function placeIssues(p: StaffPrincipal, d: PlaceDraft): Promise<Issue[]> {
    return [...(await areaIssues(p, d.areaCode)), ...draftIssues(d, p.cityCode)];
  }

  async function loadPlace(id: string): Promise<PlaceRow> {
    const n = parseId(id);
    const row = n === undefined ? undefined : await repo.findPlace(n);
    if (!row) throw new AppError('places.not_found', 'No such place');
    return row;
  }

  /** A place of the staff member's city; outside their area → 403. */
  function assertInScope(p: StaffPrincipal, row: PlaceRow): void {
    if (row.city_code !== p.cityCode) throw new AppError('places.not_found', 'No such place');
    if (!isWithin(p.areaCode, row.area_code)) throw new AppError('areas.out_of_scope', 'This place is outside your area');
  }

  async function staffPlace(p: StaffPrincipal, id: string, roles: readonly StaffRole[]): Promise<PlaceRow> {
    requireRole(p, roles);
    const row = await loadPlace(id);
    assertInScope(p, row);
    return row;
  }

  async function toAdminPlaces(rows: PlaceRow[]): Promise<AdminPlace[]> {
    const photos = groupPhotos(await repo.photosOf(rows.map((r) => r.id)));
    const names = new Map<string, string>();
    const out: AdminPlace[] = [];
    for (const r of rows) {
      out.push({
        id: String(r.id),
        type: r.type as PlaceType,
        name: r.name,
        areaCode: r.area_code,
        areaName: await areaName(r.area_code, names),
        address: r.address,
        lon: r.lon,
        lat: r.lat,
        phone: r.phone,
        hours: r.hours,
        services: r.services,
        description: r.description,
        access: r.access,
        gates: r.gates ?? [],
        details: r.details ?? {},
        photos: photos.get(r.id) ?? [],
        status: r.status,
        certified: r.certified,
        version: r.version,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      });
    }
    return out;
  }
  const toAdminPlace = async (r: PlaceRow) => (await toAdminPlaces([r]))[0];

  function groupPhotos(rows: PhotoRow[]): Map<number, { id: string; url: string }[]> {
    const by = new Map<number, { id: string; url: string }[]>();
    for (const ph of rows) {
      const list = by.get(ph.place_id) ?? [];
      list.push({ id: ph.id, url: photoUrl(ph.id) });
      by.set(ph.place_id, list);
    }
    return by;
  }

  const historyRow = (p: StaffPrincipal, placeId: number, from: PlaceStatus | null, to: PlaceStatus, reason: string | null, at: Date) => ({
    place_id: placeId,
    from_status: from,
    to_status: to,
    reason,
    actor_kind: 'staff',
    actor_id: p.id,
    actor_name: p.displayName || p.username,
    at,
  });

  const newPlaceRow = (p: StaffPrincipal, d: PlaceDraft, status: PlaceStatus, at: Date): NewPlaceRow => ({
    ...fieldsOfDraft(d),
    city_code: p.cityCode,
    status,
    created_by: p.id,
    created_at: at,
    updated_at: at,
  });

  async function recentFriendliness(placeIds: number[]): Promise<Map<number, Friendliness | null>> {
    const since = new Date(clock.now().getTime() - RATING_WINDOW_DAYS * 86400_000);
    const ratings = await repo.ratingsSince(placeIds, since);
    const by = new Map<number, typeof ratings>();
    for (const r of ratings) by.set(r.place_id, [...(by.get(r.place_id) ?? []), r]);
    return new Map(placeIds.map((id) => [id, friendlinessOf(by.get(id) ?? [])]));
  }

  // ---- import ----

  const columnOfField: Record<string, ImportColumn> = {
    type: 'type', name: 'name', areaCode: 'area_code', address: 'address', lon: 'longitude', lat: 'latitude',
    hours: 'hours', services: 'services', phone: 'phone', description: 'description',
  };

  /** A sheet row as a draft, or the reasons its cells cannot be read. */
  function draftOfSheetRow(r: SheetRow): { draft: PlaceDraft; issues: Issue[] } {
    const c = r.cells;
    const issues: Issue[] = [];
    const crs = crsFromCell(c.crs ?? '');
    if (!crs) issues.push({ field: 'crs', code: 'places.invalid_value', message: `unknown coordinate system "${c.crs}" (WGS84, GCJ02 or BD09)` });
    const lonIn = numberFromCell(c.longitude ?? '');
    const latIn = numberFromCell(c.latitude ?? '');
    if (lonIn === undefined) issues.push({ field: 'lon', code: 'places.invalid_value', message: `not a number: "${c.longitude ?? ''}"` });
    if (latIn === undefined) issues.push({ field: 'lat', code: 'places.invalid_value', message: `not a number: "${c.latitude ?? ''}"` });
    const [lon, lat] = toWgs84(lonIn ?? NaN, latIn ?? NaN, crs ?? 'WGS84');
    const draft: PlaceDraft = {
      type: typeFromCell(c.type ?? ''),
      name: c.name ?? '',
      areaCode: c.area_code ?? '',
      address: c.address ?? '',
      lon,
      lat,
      phone: c.phone ?? null,
      hours: c.hours ?? null,
      services: servicesFromCell(c.services ?? ''),
      description: c.description ?? null,
      access: null,
      gates: [],
      details: {},
    };
    return { draft, issues };
  }

  /** Rows of one type and name within DUPLICATE_DISTANCE_M of an earlier row or of a place not closed. */
  async function duplicateIssues(cityCode: string, rows: { row: number; draft: PlaceDraft }[]): Promise<Map<number, Issue>> {
    const found = new Map<number, Issue>();
    const key = (type: string, name: string) => `${type}\u0000${name}`;
    const existing = new Map<string, { id: number; lon: number; lat: number }[]>();
    for (const e of await repo.placesNamed(cityCode, rows.map((r) => r.draft.name))) {
      existing.set(key(e.type, e.name), [...(existing.get(key(e.type, e.name)) ?? []), e]);
    }
    const seen = new Map<string, { row: number; lon: number; lat: number }[]>();
    for (const { row, draft: d } of rows) {
      const k = key(d.type, d.name);
      const earlier = (seen.get(k) ?? []).find((s) => distanceM(s.lon, s.lat, d.lon, d.lat) <= DUPLICATE_DISTANCE_M);
      const stored = (existing.get(k) ?? []).find((s) => distanceM(s.lon, s.lat, d.lon, d.lat) <= DUPLICATE_DISTANCE_M);
      if (earlier) found.set(row, { field: 'name', code: 'places.duplicate_row', message: `same place as row ${earlier.row}` });
      else if (stored) found.set(row, { field: 'name', code: 'places.duplicate_row', message: `already registered as place ${stored.id}` });
      seen.set(k, [...(seen.get(k) ?? []), { row, lon: d.lon, lat: d.lat }]);
    }
    return found;
  }

  function importInvalid(rowErrors: ImportRowError[]): AppError {
    const rows = new Set(rowErrors.map((e) => e.row)).size;
    return new AppError('places.import_invalid', `${rowErrors.length} problem(s) in ${rows} row(s); nothing was imported`, { problem: { rowErrors } });
  }

  return {
    // ---------------- for other modules ----------------

    async lookup(id: string): Promise<PlaceRef | undefined> {
      const n = parseId(id);
      const r = n === undefined ? undefined : await repo.findPlace(n);
      if (!r) return undefined;
      return { id: String(r.id), type: r.type as PlaceType, cityCode: r.city_code, areaCode: r.area_code, name: r.name, status: r.status, certified: r.certified };
    },

    /** Merchants' certification (进管出) decides whether an active merchant is shown to workers. */
    async setCertified(placeId: string, certified: boolean, ctx: AuditContext): Promise<void> {
      const row = await loadPlace(placeId);
      if (row.type !== 'merchant') throw new AppError('merchants.place_not_merchant', 'Only merchants are certified');
      if (row.certified !== certified) await repo.setCertified(row.id, certified);
      await audit.record(ctx, { cityCode: row.city_code, action: certified ? 'places.certify' : 'places.uncertify', targetKind: 'place', targetId: String(row.id) });
      await nearby.refresh();
    },

    /** Ids of one type in a city, oldest first (demo seeds of other modules: cabinets, certifications). */
    async idsOfType(cityCode: string, type: PlaceType, limit = 10_000): Promise<string[]> {
      return (await repo.idsOfType(cityCode, type, limit)).map(String);
    },

    // ---------------- staff: the registry ----------------

    async listPlaces(p: StaffPrincipal, q: AdminPlaceListQuery): Promise<PageOf<AdminPlace>> {
      requireRole(p, READ_ROLES);
      const areaPrefix = scopedPrefix(p, q.areaCode);
      const { rows, total } = await repo.listPlaces({
        cityCode: p.cityCode,
        areaPrefix,
        q: q.q?.trim() || undefined,
        type: q.type,
        status: q.status,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return { items: await toAdminPlaces(rows), total, page: q.page, pageSize: q.pageSize };
    },

    async getPlace(p: StaffPrincipal, id: string): Promise<AdminPlace> {
      return toAdminPlace(await staffPlace(p, id, READ_ROLES));
    },

    /** A new place, as a draft. */
    async registerPlace(p: StaffPrincipal, input: PlaceInput, ctx: AuditContext): Promise<AdminPlace> {
      requireRole(p, WRITE_ROLES);
      const draft = normaliseDraft(draftOfInput(input));
      const issues = await placeIssues(p, draft);
      if (issues.length) throw issuesError(issues);
      const now = clock.now();
      const id = await repo.transaction(async (trx) => {
        const [placeId] = await repo.insertPlaces([newPlaceRow(p, draft, 'draft', now)], trx);
        await repo.insertHistory([historyRow(p, placeId, null, 'draft', null, now)], trx);
        return placeId;
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'places.create', targetKind: 'place', targetId: String(id), detail: { type: draft.type, areaCode: draft.areaCode } });
      await nearby.refresh();
      return toAdminPlace((await repo.findPlace(id))!);
    },

    /** Changes fields of the version the editor read; a newer version → 409 places.version_conflict. */
    async editPlace(p: StaffPrincipal, id: string, update: PlaceUpdate, ctx: AuditContext): Promise<AdminPlace> {
      const row = await staffPlace(p, id, WRITE_ROLES);
      const conflict = () => new AppError('places.version_conflict', `This place was changed by someone else (now version ${row.version}); reload it`);
      if (row.version !== update.version) throw conflict();
      const { draft: merged, issues: coordinateIssues } = draftWithUpdate(row, update);
      const draft = normaliseDraft(merged);
      const issues = [...coordinateIssues, ...(await placeIssues(p, draft))];
      if (issues.length) throw issuesError(issues);
      const before = fieldsOfDraft(normaliseDraft(draftOfRow(row)));
      const after = fieldsOfDraft(draft);
      const now = clock.now();
      await repo.transaction(async (trx) => {
        const fresh = await repo.findPlace(row.id, trx, { forUpdate: true });
        if (!fresh || fresh.version !== update.version) throw conflict();
        await repo.updatePlace(row.id, { ...after, version: fresh.version + 1, updated_at: now }, trx);
      });
      await audit.record(ctx, { cityCode: row.city_code, action: 'places.update', targetKind: 'place', targetId: String(row.id), detail: { fields: changedFields(before, after) } });
      await nearby.refresh();
      return toAdminPlace((await repo.findPlace(row.id))!);
    },

    /** draft → active → suspended → active | closed, with a reason and a history row. */
    async changeStatus(p: StaffPrincipal, id: string, change: StatusChange, ctx: AuditContext): Promise<AdminPlace> {
      const row = await staffPlace(p, id, WRITE_ROLES);
      const reason = change.reason.trim();
      if (Array.from(reason).length < 2) {
        throw new AppError('request.invalid', 'reason: say why', { errors: [{ field: 'reason', message: 'at least 2 characters' }] });
      }
      const now = clock.now();
      const from = await repo.transaction(async (trx) => {
        const fresh = (await repo.findPlace(row.id, trx, { forUpdate: true }))!;
        if (!placeTransitions[fresh.status].includes(change.to)) {
          throw new AppError('places.invalid_transition', `A ${fresh.status} place cannot become ${change.to}`, { errors: [{ field: 'to', message: `not allowed from ${fresh.status}` }] });
        }
        await repo.updatePlace(row.id, { status: change.to, version: fresh.version + 1, updated_at: now }, trx);
        await repo.insertHistory([historyRow(p, row.id, fresh.status, change.to, reason, now)], trx);
        return fresh.status;
      });
      await audit.record(ctx, { cityCode: row.city_code, action: 'places.status', targetKind: 'place', targetId: String(row.id), detail: { from, to: change.to, reason } });
      await nearby.refresh();
      return toAdminPlace((await repo.findPlace(row.id))!);
    },

    async statusHistory(p: StaffPrincipal, id: string): Promise<PlaceHistoryItem[]> {
      const row = await staffPlace(p, id, READ_ROLES);
      return (await repo.history(row.id)).map((h) => ({
        at: h.at.toISOString(),
        fromStatus: h.from_status,
        toStatus: h.to_status,
        reason: h.reason,
        actorName: h.actor_name,
      }));
    },

    // ---------------- staff: photos ----------------

    /** Checks the image by its bytes, stores the original privately and a re-encoded public copy. */
    async addPhoto(p: StaffPrincipal, id: string, body: Buffer, ctx: AuditContext): Promise<{ id: string; url: string }> {
      const row = await staffPlace(p, id, WRITE_ROLES);
      const full = () => new AppError('places.photo_limit', `A place has at most ${MAX_PHOTOS} photos`);
      if ((await repo.photoCount(row.id)).count >= MAX_PHOTOS) throw full();
      const image = await prepareImage(body);
      const photoId = newId();
      const keys = { publicKey: `places/${row.id}/${photoId}.${image.public.extension}`, originalKey: `places-originals/${row.id}/${photoId}.${image.original.extension}` };
      await storeImage(storage, keys, image);
      try {
        await repo.transaction(async (trx) => {
          await repo.lockPlace(row.id, trx);
          const { count, nextPosition } = await repo.photoCount(row.id, trx);
          if (count >= MAX_PHOTOS) throw full();
          await repo.insertPhoto({ id: photoId, place_id: row.id, public_key: keys.publicKey, original_key: keys.originalKey, position: nextPosition, created_at: clock.now() }, trx);
        });
      } catch (e) {
        await Promise.all([storage.delete(keys.publicKey), storage.delete(keys.originalKey)]);
        throw e;
      }
      await audit.record(ctx, { cityCode: row.city_code, action: 'places.photo.add', targetKind: 'place', targetId: String(row.id), detail: { photoId, bytes: body.length } });
      return { id: photoId, url: photoUrl(photoId) };
    },

    async removePhoto(p: StaffPrincipal, id: string, photoId: string, ctx: AuditContext): Promise<void> {
      const row = await staffPlace(p, id, WRITE_ROLES);
      const photo = await repo.findPhoto(photoId);
      if (!photo || photo.place_id !== row.id) throw new AppError('places.photo_not_found', 'No such photo of this place');
      await repo.deletePhoto(photo.id);
      await Promise.all([storage.delete(photo.public_key), storage.delete(photo.original_key)]);
      await audit.record(ctx, { cityCode: row.city_code, action: 'places.photo.delete', targetKind: 'place', targetId: String(row.id), detail: { photoId } });
    },

    /** The public copy of a photo: anyone for listed places, staff of the area for the others. */
    async publicPhoto(photoId: string, viewer: Principal | undefined): Promise<{ body: Buffer; contentType: string; listed: boolean }> {
      const photo = await repo.findPhoto(photoId);
      const staffMay = viewer?.kind === 'staff' && viewer.cityCode === photo?.city_code && isWithin(viewer.areaCode, photo.area_code);
      if (!photo || (!photo.listed && !staffMay)) throw new AppError('places.photo_not_found', 'No such photo');
      const stored = await storage.get(photo.public_key);
      if (!stored) throw new AppError('places.photo_not_found', 'No such photo');
      return { body: stored.body, contentType: stored.contentType, listed: photo.listed };
    },

    // ---------------- workers and the public ----------------

    /** The place page; only listed places (active, and merchants certified). */
    async placeDetail(id: string): Promise<PlaceDetail> {
      const row = await loadPlace(id);
      if (!row.listed) throw new AppError('places.not_found', 'No such place');
      const [photos, friendliness, placeCabinets, name] = await Promise.all([
        repo.photosOf([row.id]),
        RATED_TYPES.includes(row.type) ? recentFriendliness([row.id]).then((m) => m.get(row.id) ?? null) : Promise.resolve(null),
        row.type === 'charging' ? cabinets.cabinetsForPlace(String(row.id)) : Promise.resolve([]),
        areaName(row.area_code),
      ]);
      const open = openState(row.hours, clock.now());
      return {
        id: String(row.id),
        type: row.type as PlaceType,
        name: row.name,
        areaCode: row.area_code,
        areaName: name,
        address: row.address,
        lon: row.lon,
        lat: row.lat,
        phone: row.phone,
        hours: row.hours,
        openState: { open: open.open, nextChange: open.nextChange ? open.nextChange.toISOString() : null, alwaysOpen: open.alwaysOpen },
        services: row.services,
        description: row.description,
        access: row.access,
        gates: row.gates ?? [],
        details: row.details ?? {},
        photos: photos.map((ph) => ({ id: ph.id, url: photoUrl(ph.id) })),
        friendliness,
        cabinets: placeCabinets,
        certified: row.type === 'merchant' && row.certified,
      };
    },

    /**
     * A verified worker's two-tap rating of a compound or building; one per worker, place and Shanghai
     * day (the same day replaces). The place's score is recomputed over the last 180 days.
     */
    async ratePlace(worker: { id: string; cityCode: string; verified: boolean }, id: string, input: RatingInput): Promise<Friendliness> {
      if (!worker.verified) throw new AppError('places.worker_not_verified', 'Only verified workers rate places');
      const row = await loadPlace(id);
      if (!row.listed || row.city_code !== worker.cityCode) throw new AppError('places.not_found', 'No such place');
      if (!RATED_TYPES.includes(row.type)) throw new AppError('places.rating_not_allowed', 'Only compounds and buildings are rated');
      const now = clock.now();
      const since = new Date(now.getTime() - RATING_WINDOW_DAYS * 86400_000);
      const friendliness = await repo.transaction(async (trx) => {
        await repo.lockPlace(row.id, trx);
        await repo.upsertRating(
          { id: newId(), place_id: row.id, city_code: row.city_code, worker_id: worker.id, day: shanghaiDay(now), entry_minutes: input.entryMinutes, let_in: input.letIn, parking: input.parking, created_at: now },
          trx,
        );
        const ratings = await repo.ratingsSince([row.id], since, trx);
        const f = friendlinessOf(ratings)!;
        await repo.setScore(row.id, f.score, f.ratings, trx);
        return f;
      });
      await nearby.refresh();
      return friendliness;
    },

    async worstRated(p: StaffPrincipal, q: WorstRatedQuery): Promise<WorstRated[]> {
      requireRole(p, READ_ROLES);
      const rows = await repo.worstRated({ cityCode: p.cityCode, areaPrefix: scopedPrefix(p, q.areaCode), minCount: MIN_RATINGS_FOR_RANKING, limit: q.limit });
      const recent = await recentFriendliness(rows.map((r) => r.id));
      const names = new Map<string, string>();
      const out: WorstRated[] = [];
      for (const r of rows) {
        const f = recent.get(r.id);
        out.push({
          id: String(r.id),
          type: r.type,
          name: r.name,
          areaName: await areaName(r.area_code, names),
          friendliness: { score: r.score!, ratings: r.score_count, letInRate: f?.letInRate ?? 0, typicalEntry: f?.typicalEntry ?? 'lt2' },
        });
      }
      return out;
    },

    // ---------------- staff: spreadsheets ----------------

    /**
     * Validates every row of a CSV/XLSX file (type, services, hours, numbers, coordinate system, area and
     * scope, region, duplicates in the file and against the registry). Any problem → 400
     * places.import_invalid listing them all, nothing imported; otherwise all rows in one transaction.
     */
    async importPlaces(p: StaffPrincipal, bytes: Buffer, q: PlaceImportQuery, ctx: AuditContext): Promise<ImportResult> {
      requireRole(p, WRITE_ROLES);
      if (q.activate && p.role !== 'operator') throw forbidden('Only operators import places straight to active');
      let sheet;
      try {
        sheet = await readPlaceSheet(bytes, q.format);
      } catch (e) {
        if (e instanceof UnreadableFileError) throw new AppError('request.invalid', e.message, { errors: [{ field: 'body', message: e.message }] });
        throw e;
      }
      if (sheet.errors.length) throw importInvalid(sheet.errors);
      if (sheet.rows.length === 0) throw importInvalid([{ row: 2, column: '', code: 'places.invalid_value', message: 'The file has no rows' }]);
      if (sheet.rows.length > MAX_IMPORT_ROWS) {
        throw importInvalid([{ row: sheet.rows[MAX_IMPORT_ROWS].row, column: '', code: 'places.invalid_value', message: `At most ${MAX_IMPORT_ROWS} rows per file` }]);
      }

      const column = (field: string) => {
        const c = columnOfField[field] ?? (field.startsWith('lon') ? 'longitude' : field.startsWith('lat') ? 'latitude' : (field as ImportColumn));
        return sheet.headers[c] ?? c;
      };
      const rowErrors: ImportRowError[] = [];
      const valid: { row: number; draft: PlaceDraft }[] = [];
      for (const r of sheet.rows) {
        const { draft: raw, issues: cellIssues } = draftOfSheetRow(r);
        const draft = normaliseDraft(raw);
        const issues = [...cellIssues, ...(await placeIssues(p, draft))];
        // A number that does not parse is reported once, not again as "not a longitude".
        const seen = new Set<string>();
        for (const i of issues) {
          const k = `${i.field}|${i.code}`;
          if (seen.has(k)) continue;
          seen.add(k);
          rowErrors.push({ row: r.row, column: column(i.field), code: i.code, message: i.message });
        }
        if (issues.length === 0) valid.push({ row: r.row, draft });
      }
      for (const [row, i] of await duplicateIssues(p.cityCode, valid)) rowErrors.push({ row, column: column(i.field), code: i.code, message: i.message });
      if (rowErrors.length) throw importInvalid(rowErrors.sort((a, b) => a.row - b.row));

      const imported = valid.length;
      if (q.dryRun) return { imported, dryRun: true };
      const status: PlaceStatus = q.activate ? 'active' : 'draft';
      const now = clock.now();
      const reason = q.activate ? '批量导入并上线' : null;
      await repo.transaction(async (trx) => {
        const ids = await repo.insertPlaces(valid.map((v) => newPlaceRow(p, v.draft, status, now)), trx);
        await repo.insertHistory(ids.map((id) => historyRow(p, id, null, status, reason, now)), trx);
      });
      await audit.record(ctx, { cityCode: p.cityCode, action: 'places.import', targetKind: 'place', detail: { imported, status, format: q.format ?? null } });
      await nearby.refresh();
      return { imported, dryRun: false };
    },

    /** Every place matching the list filters, as CSV (with BOM) or XLSX in the import's columns. */
    async exportPlaces(p: StaffPrincipal, q: PlaceExportQuery): Promise<Buffer> {
      requireRole(p, READ_ROLES);
      const rows = await repo.allPlaces(
        { cityCode: p.cityCode, areaPrefix: scopedPrefix(p, q.areaCode), q: q.q?.trim() || undefined, type: q.type, status: q.status },
        MAX_EXPORT_ROWS,
      );
      const records: ExportRecord[] = rows.map((r) => ({
        name: r.name,
        type: r.type,
        area_code: r.area_code,
        address: r.address,
        longitude: r.lon,
        latitude: r.lat,
        crs: 'WGS84',
        hours: r.hours ?? '',
        services: r.services.join(','),
        phone: r.phone ?? '',
        description: r.description ?? '',
      }));
      return writePlaceSheet(records, q.format);
    },

    async importTemplate(format: PlaceFileFormat): Promise<Buffer> {
      return importTemplate(format);
    },

    // ---------------- staff: reports ----------------

    /** The 15-minute service circle of an area inside the caller's scope (default: the whole scope). */
    async serviceCircle(p: StaffPrincipal, q: ServiceCircleQuery): Promise<ServiceCircleReport> {
      requireRole(p, READ_ROLES);
      const areaCode = scopedPrefix(p, q.areaCode);
      if (!isWithin(p.cityCode, areaCode) || !(await areas.find(areaCode))) {
        throw new AppError('areas.not_found', 'No such area in this city', { errors: [{ field: 'areaCode', message: 'no such area' }] });
      }
      return circle.report(p.cityCode, areaCode);
    },
  };
}
export type PlacesService = ReturnType<typeof createPlacesService>;
