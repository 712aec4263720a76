import crypto from 'node:crypto';
import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { REPORT_DEFAULTS } from '../../contracts/reports.js';
import type { AppError } from '../../shared/errors.js';
import { hammingDistance } from '../../platform/images/phash.js';
import { DEMO_REPORTER_PHONE, seedReportsCaptureDemo } from './reports.demo-seed.js';
import { createReportsService, type ReportsService } from './reports.service.js';
import { createReportsRepository, PHASH_BANDED_MAX_DISTANCE } from './reports.repository.js';
import { AREAS, BAIHE, insertPlace, loadCity, nextPhone, setReport, setShanghai, submission, testImage, verifiedWorker, workerOf } from './reports.test-support.js';

let t: TestApp;
let r: ReportsService;
let seed = 1000;
const ctx = {};
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: AppError) => e.code ?? String(e),
  );

async function photo(workerId: string, s = ++seed) {
  return r.uploadPhoto({ kind: 'worker', id: workerId }, '3302', await testImage(s));
}

async function file(workerId: string, overrides: Parameters<typeof submission>[1] = {}) {
  const p = await photo(workerId);
  return r.submit(workerOf(workerId), submission([p.id], overrides), ctx);
}

beforeAll(async () => {
  t = await createTestApp();
  r = t.services.reportsModule.reports;
  setShanghai(t, '2026-11-10 10:00');
  await loadCity(t);
  // A place at 白鹤 community level: reports nearby take its area.
  await insertPlace(t, { type: 'compound', name: '白鹤花园', areaCode: '330212011001', lon: BAIHE.lon + 0.001, lat: BAIHE.lat });
  await t.services.nearby.refresh();
});
afterAll(() => t.close());

describe('categories', () => {
  it('every city starts with the default taxonomy: the rider-first short list first, with quick tags', async () => {
    const list = await r.listCategories('3302', { activeOnly: true });
    expect(list.slice(0, 8).map((c) => c.code)).toEqual(['manhole_missing', 'flooding', 'traffic_light', 'fire_lane_blocked', 'compound_entry', 'predatory_rental', 'road_damage', 'charging_hazard']);
    expect(list.slice(0, 8).every((c) => c.riderFirst)).toBe(true);
    expect(list.map((c) => c.code)).toEqual(expect.arrayContaining(['street_light', 'street_vending', 'illegal_parking', 'garbage', 'other']));
    const flooding = list.find((c) => c.code === 'flooding')!;
    expect(flooding).toMatchObject({ nameZh: '积水内涝', group: 'safety', pointsRule: 'valid_report', dedupeRadiusM: 250, dedupeMax: 5 });
    expect(flooding.quickTags).toContain('积水过膝');
    // seeding twice changes nothing
    await r.ensureDefaultCategories('3302');
    expect((await r.listCategories('3302')).length).toBe(13);
    expect(await r.categoryOf('3302', 'nope')).toBeNull();
  });
});

describe('photos', () => {
  it('are checked by content, re-encoded without EXIF/GPS after the acknowledgement, the original kept privately, with a 64-bit perceptual hash', async () => {
    const w = await verifiedWorker(t);
    const original = await testImage(7, { gps: true });
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const up = await r.uploadPhoto({ kind: 'worker', id: w.id }, '3302', original);
    expect(up).toMatchObject({ url: `/api/reports/photos/${up.id}`, width: 96, height: 72 });
    const stored = async () => (await sql<{ public_key: string; private_key: string; phash: string | null; report_id: string | null }>`select * from report_photos where id = ${up.id}`.execute(t.services.db)).rows[0]!;
    const row = await stored();
    expect(row.public_key).toBe(`reports/3302/${up.id}.jpg`);
    expect(row.private_key).toBe(`reports-private/3302/${up.id}.jpg`);
    // the one decode (public copy and hash) comes after the acknowledgement
    expect(row.phash).toBeNull();
    expect(row.report_id).toBeNull();
    // acknowledged with the original stored; the public copy comes from the photos sweep
    expect((await t.services.storage.get(row.private_key))!.body.equals(original)).toBe(true);
    expect(await t.services.storage.exists(row.public_key)).toBe(false);
    expect(await r.publishPendingPhotos()).toBeGreaterThanOrEqual(1);
    const pub = await t.services.storage.get(row.public_key);
    const meta = await sharp(pub!.body).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect((await stored()).phash).toMatch(/^[0-9a-f]{16}$/);
    expect(await r.publishPendingPhotos()).toBe(0);

    expect(await code(r.uploadPhoto({ kind: 'worker', id: w.id }, '3302', Buffer.from('not an image at all')))).toBe('storage.unsupported_type');
    // a truncated photo fails at upload, not later in the sweep
    expect(await code(r.uploadPhoto({ kind: 'worker', id: w.id }, '3302', original.subarray(0, Math.floor(original.length * 0.6))))).toBe('storage.unsupported_type');
  });

  it('a photo viewed before the sweep gets its public copy on the spot; big photos are at most 1280 px', async () => {
    const w = await verifiedWorker(t);
    const big = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 200, g: 90, b: 40 } } }).jpeg().toBuffer();
    const up = await r.uploadPhoto({ kind: 'worker', id: w.id }, '3302', big);
    expect(up).toMatchObject({ width: 1280, height: 960 });
    const served = await r.photoBytes(workerOf(w.id), up.id);
    expect(served.contentType).toBe('image/jpeg');
    expect(await sharp(served.body).metadata()).toMatchObject({ format: 'jpeg', width: 1280, height: 960 });
    const row = (await sql<{ processed_at: Date | null }>`select processed_at from report_photos where id = ${up.id}`.execute(t.services.db)).rows[0]!;
    expect(row.processed_at).not.toBeNull();
  });

  it('the photos sweep leaves the cores to arriving uploads, but no photo waits more than a minute', async () => {
    const w = await verifiedWorker(t);
    await r.publishPendingPhotos();
    const early = await photo(w.id);
    // an upload just finished: the sweep waits
    expect(await r.publishPendingPhotos(50, { yieldToUploads: true })).toBe(0);
    // a minute later (by the clock) the waiting photo is made even while uploads keep arriving
    setShanghai(t, '2026-11-10 10:01');
    t.clock.set(new Date(t.clock.now().getTime() + 1_000));
    const late = await photo(w.id);
    expect(await r.publishPendingPhotos(50, { yieldToUploads: true })).toBe(1);
    const processed = async (id: string) => (await sql<{ done: boolean }>`select processed_at is not null as done from report_photos where id = ${id}`.execute(t.services.db)).rows[0]!.done;
    expect(await processed(early.id)).toBe(true);
    expect(await processed(late.id)).toBe(false);
    // once uploads stop for a second, the sweep makes the rest
    await new Promise((res) => setTimeout(res, 1_100));
    expect(await r.publishPendingPhotos(50, { yieldToUploads: true })).toBe(1);
    expect(await processed(late.id)).toBe(true);
    setShanghai(t, '2026-11-10 10:00');
  });

  it('hamming distance counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
  });

  it('unattached photos older than a day are purged with both copies; attached ones stay', async () => {
    const w = await verifiedWorker(t);
    const stale = await photo(w.id);
    const kept = await file(w.id);
    const keptPhoto = kept.report.photos[0]!;
    const key = (await sql<{ public_key: string }>`select public_key from report_photos where id = ${stale.id}`.execute(t.services.db)).rows[0]!.public_key;
    t.clock.advance(25 * 3600_000);
    const fresh = await photo(w.id);
    expect(await r.purgeUnattachedPhotos()).toBeGreaterThanOrEqual(1);
    const left = (await sql<{ id: string }>`select id from report_photos where id in (${stale.id}, ${keptPhoto.id}, ${fresh.id})`.execute(t.services.db)).rows.map((x) => x.id);
    expect(left.sort()).toEqual([keptPhoto.id, fresh.id].sort());
    expect(await t.services.storage.exists(key)).toBe(false);
  });
});

describe('filing a report', () => {
  it('needs a verified worker', async () => {
    const { id } = await t.services.workers.seedWorker({ phone: nextPhone(), status: 'unverified' });
    const p = await photo(id);
    expect(await code(r.submit(workerOf(id), submission([p.id]), ctx))).toBe('reports.not_verified');
  });

  it('stores it pending triage with a code, the nearest place’s area, the photos and a public "submitted" event', async () => {
    setShanghai(t, '2026-11-12 09:30');
    const w = await verifiedWorker(t, { areaCode: AREAS.xiaying });
    const p1 = await photo(w.id);
    const p2 = await photo(w.id);
    const { report, created } = await r.submit(workerOf(w.id), submission([p1.id, p2.id], { tags: ['积水过膝', '积水过膝', '车辆熄火'], description: '  通道积水\r\n车辆熄火 ' }), ctx);
    expect(created).toBe(true);
    expect(report.code).toMatch(/^SP261112\d{5}$/);
    expect(report).toMatchObject({ status: 'pending_triage', category: 'flooding', mine: true, description: '通道积水\n车辆熄火', tags: ['积水过膝', '车辆熄火'], areaCode: '330212011001', locationSource: 'device', pointsGranted: 0 });
    expect(report.photos.map((p) => p.id)).toEqual([p1.id, p2.id]);
    expect(report.timeline.map((e) => e.type)).toContain('submitted');
    expect(report.timeline.every((e) => e.public)).toBe(true);
    const row = await r.getReport(report.id);
    expect(row).toMatchObject({ areaSource: 'nearest_place', source: 'app', reporterWorkerId: w.id, flags: [] });
  });

  it('a location far from every place takes the worker’s area, else the city’s', async () => {
    const w = await verifiedWorker(t, { areaCode: AREAS.xiaying });
    const far = { lon: 121.9, lat: 29.3 };
    const a = await file(w.id, far);
    expect(await r.getReport(a.report.id)).toMatchObject({ areaCode: AREAS.xiaying, areaSource: 'worker' });
    await sql`update workers set area_code = null where id = ${w.id}`.execute(t.services.db);
    const b = await file(w.id, far);
    expect(await r.getReport(b.report.id)).toMatchObject({ areaCode: '3302', areaSource: 'city' });
  });

  it('flags a map pick and a poor accuracy', async () => {
    const w = await verifiedWorker(t);
    const a = await file(w.id, { locationSource: 'map', accuracyM: 350 });
    expect((await r.getReport(a.report.id))!.flags.sort()).toEqual(['low_accuracy', 'map_picked']);
  });

  it('a retry with the same clientId returns the first report; other content under it is a conflict', async () => {
    const w = await verifiedWorker(t);
    const p = await photo(w.id);
    const input = submission([p.id]);
    const first = await r.submit(workerOf(w.id), input, ctx);
    const again = await r.submit(workerOf(w.id), { ...input }, ctx);
    expect(again.created).toBe(false);
    expect(again.report.id).toBe(first.report.id);
    expect(await code(r.submit(workerOf(w.id), { ...input, description: '另一件事' }, ctx))).toBe('reports.client_id_conflict');
    const n = (await sql<{ n: number }>`select count(*)::int as n from reports where reporter_worker_id = ${w.id}`.execute(t.services.db)).rows[0]!.n;
    expect(n).toBe(1);
  });

  it('refuses a location outside the city, an unknown or inactive category, photos not the worker’s own unused ones', async () => {
    const w = await verifiedWorker(t);
    const other = await verifiedWorker(t);
    const p = await photo(w.id);
    expect(await code(r.submit(workerOf(w.id), submission([p.id], { lon: 116.4, lat: 39.9 }), ctx))).toBe('reports.out_of_region');
    expect(await code(r.submit(workerOf(w.id), submission([p.id], { category: 'ufo_sighting' }), ctx))).toBe('reports.category_not_found');
    await sql`update report_categories set active = false where code = 'garbage'`.execute(t.services.db);
    expect(await code(r.submit(workerOf(w.id), submission([p.id], { category: 'garbage' }), ctx))).toBe('reports.category_not_found');
    await sql`update report_categories set active = true where code = 'garbage'`.execute(t.services.db);
    expect(await code(r.submit(workerOf(other.id), submission([p.id]), ctx))).toBe('reports.photo_not_found');
    expect(await code(r.submit(workerOf(w.id), submission(['00000000-0000-4000-8000-000000000000']), ctx))).toBe('reports.photo_not_found');
    expect(await code(r.submit(workerOf(w.id), submission([p.id, p.id]), ctx))).toBe('request.invalid');
    await r.submit(workerOf(w.id), submission([p.id]), ctx);
    expect(await code(r.submit(workerOf(w.id), submission([p.id]), ctx))).toBe('reports.photo_not_found');
  });

  it('the reused-photo lookup by hash bands finds exactly what comparing every hash finds, up to 7 bits', async () => {
    const w = await verifiedWorker(t);
    const { report } = await file(w.id);
    const repo = createReportsRepository(t.services.db);
    const flip = (hex: string, bits: number[]) => {
      let v = BigInt(`0x${hex}`);
      for (const b of bits) v ^= 1n << BigInt(b);
      return v.toString(16).padStart(16, '0');
    };
    // bits spread over the four bands first: at distance 7 no band is equal (2 + 2 + 2 + 1 bits differ)
    const spread = [0, 16, 32, 48, 1, 17, 33, 49, 2, 18];
    const since = new Date(t.clock.now().getTime() - 3600_000);
    for (let d = 0; d <= 9; d++) {
      const query = crypto.randomBytes(8).toString('hex');
      const stored = flip(query, spread.slice(0, d));
      expect(hammingDistance(query, stored)).toBe(d);
      await sql`insert into report_photos (id, city_code, report_id, uploader_kind, uploader_id, kind, public_key, private_key, width, height, phash, created_at)
        values (${crypto.randomUUID()}, '3302', ${report.id}, 'worker', ${w.id}, 'before', 'x', 'y', 1, 1, ${stored}, ${t.clock.now()})`.execute(t.services.db);
      for (const max of [REPORT_DEFAULTS.phashThreshold, 7]) {
        expect(await repo.phashReused('3302', query, since, max, null), `distance ${d}, threshold ${max}`).toBe(d <= max);
      }
      // photos of the report itself do not count, nor another city's
      expect(await repo.phashReused('3302', query, since, 7, report.id)).toBe(false);
      expect(await repo.phashReused('3301', query, since, 7, null)).toBe(false);
    }
    expect(REPORT_DEFAULTS.phashThreshold).toBeLessThanOrEqual(PHASH_BANDED_MAX_DISTANCE);
    await expect(repo.phashReused('3302', '0000000000000000', since, 8, null)).rejects.toThrow(/up to 7/);
  });

  it('flags a photo reused from another report (perceptual hash), not a fresh one, whether its hash is made before or after the report is sent', async () => {
    const a = await verifiedWorker(t);
    const b = await verifiedWorker(t);
    const c = await verifiedWorker(t);
    const bytes = await testImage(424242);
    const first = await r.submit(workerOf(a.id), submission([(await r.uploadPhoto({ kind: 'worker', id: a.id }, '3302', bytes)).id]), ctx);
    await r.publishPendingPhotos();
    expect((await r.getReport(first.report.id))!.flags).not.toContain('photo_reused');
    // the same photo, re-encoded smaller, by someone else (later: the later photo is the copy): sent before the sweep hashes it …
    t.clock.advance(1000);
    const resized = await sharp(bytes).resize(80).jpeg({ quality: 70 }).toBuffer();
    const second = await r.submit(workerOf(b.id), submission([(await r.uploadPhoto({ kind: 'worker', id: b.id }, '3302', resized)).id]), ctx);
    expect((await r.getReport(second.report.id))!.flags).not.toContain('photo_reused');
    await r.publishPendingPhotos();
    expect((await r.getReport(second.report.id))!.flags).toContain('photo_reused');
    // … or after (a photo its uploader viewed first is hashed on that view)
    t.clock.advance(1000);
    const third = await r.uploadPhoto({ kind: 'worker', id: c.id }, '3302', await sharp(bytes).resize(90).toBuffer());
    await r.photoBytes(workerOf(c.id), third.id);
    const sent = await r.submit(workerOf(c.id), submission([third.id]), ctx);
    expect((await r.getReport(sent.report.id))!.flags.filter((f) => f === 'photo_reused')).toEqual(['photo_reused']);
    await r.publishPendingPhotos();
    expect((await r.getReport(sent.report.id))!.flags.filter((f) => f === 'photo_reused')).toHaveLength(1);
    // the first report is not flagged for being copied
    expect((await r.getReport(first.report.id))!.flags).not.toContain('photo_reused');
  });

  it('flags the copy, not the original, when the copy is hashed first (viewed before the sweep reaches the original)', async () => {
    const a = await verifiedWorker(t);
    const b = await verifiedWorker(t);
    const bytes = await testImage(737373);
    const original = await r.submit(workerOf(a.id), submission([(await r.uploadPhoto({ kind: 'worker', id: a.id }, '3302', bytes)).id]), ctx);
    t.clock.advance(1000);
    const copyPhoto = await r.uploadPhoto({ kind: 'worker', id: b.id }, '3302', await sharp(bytes).resize(85).toBuffer());
    const copy = await r.submit(workerOf(b.id), submission([copyPhoto.id]), ctx);
    // the copier looks at the report: that photo is decoded and hashed now, the original not yet
    await r.photoBytes(workerOf(b.id), copyPhoto.id);
    expect((await r.getReport(copy.report.id))!.flags).not.toContain('photo_reused');
    await r.publishPendingPhotos();
    expect((await r.getReport(copy.report.id))!.flags).toContain('photo_reused');
    expect((await r.getReport(original.report.id))!.flags).not.toContain('photo_reused');
  });

  it('a whole photo that cannot be decoded is acknowledged, then has no public copy and its report is flagged photo_unreadable', async () => {
    const w = await verifiedWorker(t);
    const damaged = Buffer.from(await testImage(515151));
    // the scan names a Huffman table the file never defines: the header reads, the pixels do not
    damaged[damaged.indexOf(Buffer.from([0xff, 0xda])) + 6] = 0x33;
    const up = await r.uploadPhoto({ kind: 'worker', id: w.id }, '3302', damaged);
    const sent = await r.submit(workerOf(w.id), submission([up.id]), ctx);
    expect((await r.getReport(sent.report.id))!.flags).not.toContain('photo_unreadable');
    await r.publishPendingPhotos();
    expect((await r.getReport(sent.report.id))!.flags).toContain('photo_unreadable');
    const row = (await sql<{ processed_at: Date | null; phash: string | null }>`select processed_at, phash from report_photos where id = ${up.id}`.execute(t.services.db)).rows[0]!;
    expect(row.processed_at).not.toBeNull();
    expect(row.phash).toBeNull();
    expect(await code(r.photoBytes(workerOf(w.id), up.id))).toBe('reports.photo_not_found');
    // never retried
    expect(await r.publishPendingPhotos()).toBe(0);
  });

  it('limits each worker to the hourly quota, with a Retry-After', async () => {
    setShanghai(t, '2026-11-13 08:00');
    const w = await verifiedWorker(t);
    for (let i = 0; i < REPORT_DEFAULTS.rateLimitPerHour; i++) {
      await file(w.id);
      t.clock.advance(60_000);
    }
    const p = await photo(w.id);
    const err = await r.submit(workerOf(w.id), submission([p.id]), ctx).catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'reports.rate_limited' });
    expect((err as AppError).extra.retryAfterSeconds).toBeGreaterThan(0);
    expect((err as AppError).extra.retryAfterSeconds).toBeLessThanOrEqual(3600);
    t.clock.advance(3600_000);
    expect((await r.submit(workerOf(w.id), submission([p.id]), ctx)).created).toBe(true);
  });

  it('hands the committed report to triage; a failing hook never loses it', async () => {
    const calls: string[] = [];
    const d = t.services;
    const failing = createReportsService({
      db: d.db, clock: d.clock, config: d.config, pii: d.pii, storage: d.storage, jobs: d.jobs, calendar: d.calendar, audit: d.audit, areas: d.areas, staff: d.staff,
      workers: d.workers, notifications: d.notifications, places: d.places, nearby: d.nearby, earning: d.earning, points: d.points, ledger: d.pointsModule.ledger,
      hooks: {
        submitted: async (id) => {
          calls.push(id);
          throw new Error('triage is down');
        },
        feedback: async () => {},
      },
    });
    const w = await verifiedWorker(t);
    const p = await failing.uploadPhoto({ kind: 'worker', id: w.id }, '3302', await testImage(++seed));
    const quiet = console.error;
    console.error = () => {};
    try {
      const { report } = await failing.submit(workerOf(w.id), submission([p.id]), ctx);
      expect(calls).toEqual([report.id]);
      expect((await r.getReport(report.id))!.status).toBe('pending_triage');
    } finally {
      console.error = quiet;
    }
  });
});

describe('nearby and "me too"', () => {
  it('lists open reports of the category within its radius, nearest first, at most its maximum', async () => {
    setShanghai(t, '2026-11-14 10:00');
    const spot = { lon: 121.61, lat: 29.88 };
    const a = await verifiedWorker(t);
    const near = await file(a.id, { category: 'manhole_missing', lon: spot.lon + 0.0005, lat: spot.lat }); // ~48 m
    const nearer = await file(a.id, { category: 'manhole_missing', lon: spot.lon + 0.0002, lat: spot.lat }); // ~19 m
    await file(a.id, { category: 'manhole_missing', lon: spot.lon + 0.004, lat: spot.lat }); // ~390 m: outside 250 m
    await file(a.id, { category: 'flooding', lon: spot.lon, lat: spot.lat }); // other category
    const closed = await file(a.id, { category: 'manhole_missing', lon: spot.lon, lat: spot.lat });
    await setReport(t, closed.report.id, { status: 'closed', outcome: 'fixed', closed_at: t.clock.now() });

    const b = await verifiedWorker(t);
    const list = await r.nearby(workerOf(b.id), { category: 'manhole_missing', ...spot });
    expect(list.map((x) => x.id)).toEqual([nearer.report.id, near.report.id]);
    expect(list[0]).toMatchObject({ code: nearer.report.code, status: 'pending_triage', following: false, followerCount: 0 });
    expect(list[0]!.distanceM).toBeGreaterThan(10);
    expect(list[0]!.distanceM).toBeLessThan(30);
    expect(list[0]!.photoUrl).toMatch(/^\/api\/reports\/photos\//);
    expect((await r.nearby(workerOf(a.id), { category: 'manhole_missing', ...spot }))[0]!.following).toBe(true);

    await sql`update report_categories set dedupe_max = 1 where code = 'manhole_missing'`.execute(t.services.db);
    expect((await r.nearby(workerOf(b.id), { category: 'manhole_missing', ...spot })).length).toBe(1);
    await sql`update report_categories set dedupe_max = 5 where code = 'manhole_missing'`.execute(t.services.db);
  });

  it('a second worker follows instead of filing: counted, private event, in their list, visible; unfollow undoes it', async () => {
    const a = await verifiedWorker(t);
    const b = await verifiedWorker(t);
    const { report } = await file(a.id, { category: 'traffic_light' });
    expect(await code(r.follow(workerOf(a.id), report.id, ctx))).toBe('request.invalid');
    expect(await code(r.workerView(workerOf(b.id), report.id))).toBe('reports.not_found');

    const view = await r.follow(workerOf(b.id), report.id, ctx);
    expect(view).toMatchObject({ id: report.id, mine: false, followerCount: 1, pointsGranted: 0 });
    expect(view.timeline.map((e) => e.type)).not.toContain('followed');
    expect((await r.follow(workerOf(b.id), report.id, ctx)).followerCount).toBe(1);
    // (the workflow adds its own triage events; capture's are these)
    const events = (await sql<{ type: string; public: boolean }>`select type, public from report_events where report_id = ${report.id} and type in ('submitted', 'followed') order by id`.execute(t.services.db)).rows;
    expect(events).toEqual([{ type: 'submitted', public: true }, { type: 'followed', public: false }]);

    const mine = await r.mine(workerOf(b.id), { page: 1, pageSize: 20 });
    expect(mine.items.map((i) => [i.id, i.mine])).toEqual([[report.id, false]]);
    expect((await r.mine(workerOf(b.id), { status: 'closed', page: 1, pageSize: 20 })).total).toBe(0);
    expect((await r.nearby(workerOf(b.id), { category: 'traffic_light', lon: BAIHE.lon, lat: BAIHE.lat }))[0]).toMatchObject({ id: report.id, following: true });

    await r.unfollow(workerOf(b.id), report.id, ctx);
    expect(await code(r.workerView(workerOf(b.id), report.id))).toBe('reports.not_found');
    expect((await r.getReport(report.id))!.followerCount).toBe(0);
  });

  it('a closed report cannot be followed; an unverified worker cannot follow', async () => {
    const a = await verifiedWorker(t);
    const { report } = await file(a.id);
    await setReport(t, report.id, { status: 'closed', outcome: 'invalid', closed_at: t.clock.now() });
    const b = await verifiedWorker(t);
    expect(await code(r.follow(workerOf(b.id), report.id, ctx))).toBe('reports.invalid_state');
    const open = await file(a.id);
    const { id: unverified } = await t.services.workers.seedWorker({ phone: nextPhone(), status: 'unverified' });
    expect(await code(r.follow(workerOf(unverified), open.report.id, ctx))).toBe('reports.not_verified');
  });
});

describe('the reporter’s view and feedback', () => {
  it('shows public events only, staff as their department, and opens feedback for 7 days after a fix', async () => {
    const { departments } = await loadCity(t);
    const dept = departments[0]!;
    const a = await verifiedWorker(t);
    const { report } = await file(a.id);
    const now = t.clock.now();
    await setReport(t, report.id, { status: 'closed', outcome: 'fixed', department_id: dept.id, closed_at: now, feedback_deadline: new Date(now.getTime() + 7 * 86400_000) });
    await sql`insert into report_events (report_id, at, type, actor_kind, actor_id, public, data) values
      (${report.id}, ${now}, 'routed', 'system', null, true, ${JSON.stringify({ departmentId: dept.id, departmentName: dept.nameZh, ruleId: 'r1', by: 'rule' })}::jsonb),
      (${report.id}, ${now}, 'note', 'staff', 'staff-1', false, '{}'::jsonb),
      (${report.id}, ${now}, 'handled', 'staff', 'staff-1', true, '{"result":"已加盖"}'::jsonb),
      (${report.id}, ${now}, 'points_awarded', 'system', null, true, '{"points":5}'::jsonb)`.execute(t.services.db);
    const view = await r.workerView(workerOf(a.id), report.id);
    expect(view.timeline.map((e) => e.type)).toEqual(['submitted', 'routed', 'handled', 'points_awarded']);
    expect(view.timeline[1]!.data).toEqual({ departmentId: dept.id, departmentName: dept.nameZh, by: 'rule' });
    expect(view.timeline[2]!.actor).toEqual({ kind: 'staff', name: dept.nameZh });
    expect(view).toMatchObject({ departmentName: dept.nameZh, canFeedback: true, feedback: null, areaName: '丹顶鹤社区' });

    // a follower sees neither the points nor a feedback button
    const b = await verifiedWorker(t);
    await sql`insert into report_followers (report_id, worker_id, via, created_at) values (${report.id}, ${b.id}, 'me_too', ${now})`.execute(t.services.db);
    const theirs = await r.workerView(workerOf(b.id), report.id);
    expect(theirs.timeline.map((e) => e.type)).not.toContain('points_awarded');
    expect(theirs.canFeedback).toBe(false);
    expect(await code(r.feedback(workerOf(b.id), report.id, { feedback: 'confirmed' }, ctx))).toBe('reports.feedback_closed');

    expect(await code(r.feedback(workerOf(a.id), report.id, { feedback: 'disputed', reason: '  ' }, ctx))).toBe('reports.reason_required');
    expect(await code(r.feedback(workerOf(a.id), report.id, { feedback: 'confirmed' }, ctx))).toBe('ok');

    t.clock.advance(8 * 86400_000);
    expect((await r.workerView(workerOf(a.id), report.id)).canFeedback).toBe(false);
    expect(await code(r.feedback(workerOf(a.id), report.id, { feedback: 'disputed', reason: '还是缺' }, ctx))).toBe('reports.feedback_closed');
  });
});

describe('Open311 intake', () => {
  it('stores an external report with its contact encrypted, the photo attached, masked for staff', async () => {
    const client = (await sql<{ id: string }>`insert into open311_clients (id, city_code, name, api_key_hash, api_key_prefix, created_at) values (gen_random_uuid(), '3302', '测试系统', 'hash-1', 'ya311_x', now()) returning id::text as id`.execute(t.services.db)).rows[0]!.id;
    const out = await r.submitExternal({
      cityCode: '3302',
      open311ClientId: client,
      category: 'road_damage',
      lon: BAIHE.lon,
      lat: BAIHE.lat,
      address: '天童南路 1 号',
      description: 'Pothole\r\nnear the gate',
      contact: { firstName: '小明', lastName: '王', email: 'wxm@example.com', phone: '13812345678' },
      photo: await testImage(++seed),
      tags: ['路面坑洼'],
    });
    expect(out.code).toMatch(/^SP\d{11}$/);
    expect(out.token).toBe(out.id);
    const row = (await r.getReport(out.id))!;
    expect(row).toMatchObject({ source: 'open311', description: 'Pothole\nnear the gate', tags: ['路面坑洼'], reporterWorkerId: null, status: 'pending_triage', areaSource: 'nearest_place' });
    expect(row.contactEnc).not.toContain('13812345678');
    expect(JSON.parse(t.services.pii.decrypt(row.contactEnc!))).toMatchObject({ phone: '13812345678', email: 'wxm@example.com' });
    expect((await r.photoUrls([out.id])).get(out.id)!.length).toBe(1);
    expect((await r.reporterMasked([row])).get(out.id)).toBe('王**');
    expect(await code(r.submitExternal({ cityCode: '3302', open311ClientId: client, category: 'nope', lon: BAIHE.lon, lat: BAIHE.lat, description: 'x' }))).toBe('reports.category_not_found');
  });
});

describe('demo seed', () => {
  it('files three demo reports by the demo rider, once', async () => {
    setShanghai(t, '2026-11-20 10:00');
    await verifiedWorker(t, { phone: DEMO_REPORTER_PHONE, name: '周建国' });
    expect(await seedReportsCaptureDemo(t.services, '3302')).toEqual({ reports: 3 });
    expect(await seedReportsCaptureDemo(t.services, '3302')).toEqual({ reports: 0 });
    const rows = (await sql<{ category_code: string; n: number }>`select r.category_code, count(p.id)::int as n from reports r join report_photos p on p.report_id = r.id where r.client_id like 'demo-report-%' group by 1 order by 1`.execute(t.services.db)).rows;
    expect(rows).toEqual([{ category_code: 'compound_entry', n: 1 }, { category_code: 'flooding', n: 1 }, { category_code: 'manhole_missing', n: 1 }]);
  });
});
