// npm run bench:reports — 随手拍 submissions with 2 MB photos through the real HTTP API, side by side on
// PGlite and (when DATABASE_URL is set) the PostgreSQL server. One submission is what the worker app
// does: POST /api/reports/photos (a 2 MB JPEG, checked without decoding it: type by its bytes, header,
// pixels, whole; the original stored) then POST /api/reports (Idempotency-Key, clientId) — timed from the
// first byte sent to the 201 of the report (the acknowledgement). The photo's one decode — its public
// copy (re-encoded ≤ 1280 px, no EXIF) and its perceptual hash, which may flag the report photo_reused —
// comes after the acknowledgement, in the photos sweep, which runs during the load every 5 s as the job
// runner runs it in production; the backlog it leaves is drained and timed after the load, and the
// sustained rate (reports / (load + drain)) is reported beside the acknowledged rate. The riders' side
// runs in a worker thread (bench/reports-load.ts) so it does not share the server's event loop (it still
// shares the 2 cores; its CPU per report is reported). Reported: submissions/s and p50/p95/p99 latency,
// and, beside them, the photo pipeline alone (the check, and the decode after it; no HTTP, no database)
// to show where the time goes.
// Target (issue 5): ≥ 20 reports/s with p95 ≤ 1 s.
//
// The city is not empty: BENCH_FILL_REPORTS closed reports of the last 90 days with 3 photos each (random
// hashes) are loaded first, so the reused-photo check (in the sweep) runs against a city's 90-day window; and a routing
// rule sends every report to a department, so each submission is triaged and dispatched as a work order
// with a working-day deadline. Beside the load, the reused-photo check alone: the banded index lookup
// against the full scan it replaced, on the same table.
//
// The embedded engine is measured three ways: in a thread of its own with the pool's THREAD_CONNECTIONS
// connections to it (as `npm start` runs it), with one connection, and in the server's thread
// (PGLITE_THREAD=false). For each variant: how busy the server's event loop was, its CPU per report
// (/proc), and a GET /healthz every 100 ms during the load (what any other request waits).
//
// Options (env): BENCH_SECONDS=10  BENCH_CONCURRENCY=8  BENCH_WORKERS=400  BENCH_FILL_REPORTS=40000
//   BENCH_ENGINE=pglite|pglite-1conn|pglite-inline|postgres (one only)  BENCH_MARK=1 (prints hrtime marks around the
//   load, to cut a `node --cpu-prof` profile to it)
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { enginesToRun, openEngine, type Engine } from './engines.js';
import type { LoadInput, LoadResult } from './reports-load.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/contracts/auth.js';
import { idNumberCheckChar } from '../src/shared/id-number.js';
import { inspectImage, prepareImage } from '../src/platform/images/images.js';
import { phashOfSample } from '../src/platform/images/phash.js';
import { REPORT_PHOTO_LIMITS } from '../src/modules/reports/photos.js';
import { createReportsRepository } from '../src/modules/reports/reports.repository.js';
import { REPORT_DEFAULTS } from '../src/contracts/reports.js';
import { THREAD_CONNECTIONS, type Db } from '../src/db/database.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 400);
const FILL_REPORTS = Number(process.env.BENCH_FILL_REPORTS ?? 40_000);
const TARGET_RPS = 20;
const TARGET_P95_MS = 1000;
const CITY = '3302';
const BAIHE = '330212011';

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Camera-like 2 MB JPEGs: noise over a gradient, each different (so no two photos hash alike). */
async function photos(n: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const [w, h] = [2000, 1500];
  for (let i = 0; i < n; i++) {
    const raw = Buffer.alloc(w * h * 3);
    const rnd = crypto.randomBytes(raw.length);
    for (let p = 0; p < raw.length; p++) raw[p] = ((p / 3) % w) * 0.1 + (rnd[p]! % 96) + i * 3;
    let q = 80;
    let jpeg = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: q }).toBuffer();
    // aim at ~2 MB
    while (jpeg.length < 1.9e6 && q < 98) jpeg = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: (q += 4) }).toBuffer();
    out.push(jpeg);
  }
  return out;
}

function idNumber(i: number): string {
  const day = String((i % 28) + 1).padStart(2, '0');
  const seq = String(100 + (Math.floor(i / 28) % 400) * 2 + (i % 2)).padStart(3, '0');
  const first17 = `33021219${80 + (Math.floor(i / 11200) % 20)}0${(Math.floor(i / 28) % 9) + 1}${day}${seq}`.slice(0, 17);
  return first17 + idNumberCheckChar(first17);
}

/** 90 days of a city: FILL_REPORTS closed reports with 3 attached photos each (random 64-bit hashes). */
async function fillCity(db: Db): Promise<{ photos: number; ms: number }> {
  const t = performance.now();
  await sql`insert into reports (id, city_code, code, source, category_code, lon, lat, location_source, area_code, area_source, status, outcome, submitted_at, closed_at, updated_at)
    select gen_random_uuid(), ${CITY}, 'FILL' || g, 'staff', 'flooding', 121.56 + random() * 0.05, 29.86 + random() * 0.05, 'map', ${BAIHE}, 'staff', 'closed', 'fixed',
      now() - random() * interval '89 days', now(), now()
    from generate_series(1, ${FILL_REPORTS}::int) g`.execute(db);
  await sql`insert into report_photos (id, city_code, report_id, uploader_kind, uploader_id, kind, sort, public_key, private_key, width, height, phash, created_at, processed_at)
    select gen_random_uuid(), ${CITY}, r.id, 'staff', 'bench', 'before', s, 'bench', 'bench', 1280, 960,
      lpad(to_hex((random() * 4294967295)::bigint), 8, '0') || lpad(to_hex((random() * 4294967295)::bigint), 8, '0'), r.submitted_at, r.submitted_at
    from reports r, generate_series(0, 2) s where r.code like 'FILL%'`.execute(db);
  await sql`analyze report_photos`.execute(db);
  await sql`analyze reports`.execute(db);
  const n = await sql<{ n: number }>`select count(*)::int as n from report_photos`.execute(db);
  return { photos: Number(n.rows[0]!.n), ms: performance.now() - t };
}

/** The reused-photo check alone on the filled table, p50 of 50 random hashes: banded lookup vs the full scan it replaced. */
async function timePhashCheck(db: Db): Promise<{ bandsMs: number; scanMs: number }> {
  const repo = createReportsRepository(db);
  const since = new Date(Date.now() - 90 * 86_400_000);
  const bands: number[] = [];
  const scan: number[] = [];
  for (let i = 0; i < 50; i++) {
    const hash = crypto.randomBytes(8).toString('hex');
    let t = performance.now();
    await repo.phashReused(CITY, hash, since, REPORT_DEFAULTS.phashThreshold, null);
    bands.push(performance.now() - t);
    t = performance.now();
    await sql`select exists (select 1 from report_photos p where p.city_code = ${CITY} and p.report_id is not null and p.created_at >= ${since}
      and bit_count(('x' || p.phash)::bit(64) # ('x' || ${hash})::bit(64)) <= ${REPORT_DEFAULTS.phashThreshold}) as hit`.execute(db);
    scan.push(performance.now() - t);
  }
  return { bandsMs: pct(bands, 50), scanMs: pct(scan, 50) };
}

/** CPU time per thread of this process (clock ticks, 1/100 s), from /proc. */
function threadCpu(): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * What is measured: an engine, and for the embedded one whether it has a thread of its own and how many
 * connections the pool has to it (as `npm start` runs it: a thread, THREAD_CONNECTIONS connections).
 */
interface Variant {
  label: string;
  engine: Engine;
  pgliteThread?: boolean;
  connections?: number;
}

async function runEngine(variant: Variant, jpegs: Buffer[]) {
  const engine = variant.engine;
  const { database, drop } = await openEngine(engine, { pgliteThread: variant.pgliteThread, pgliteConnections: variant.connections });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-bench-reports-data-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, JOBS_ENABLED: 'false', WEB_DIST: path.join(dataDir, 'no-web') });
  const app = await buildApp(config, { database, keys: { pii: crypto.randomBytes(64) } });
  try {
    await app.ready();
    await app.services.areas.ensureCity(CITY);
    await app.services.staff.ensureDefaultDepartments(CITY);
    const [department] = await app.services.staff.departmentsOf(CITY);
    await app.services.reportsModule.workflow.seedRule(CITY, { category: null, areaPrefix: CITY, departmentId: department!.id, streetCode: BAIHE.slice(0, 9), priority: 0, active: true, note: 'bench' });
    const fill = await fillCity(app.services.db);
    const phashCheck = await timePhashCheck(app.services.db);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    // verified workers with sessions (each may send 10 reports an hour: enough of them for the run)
    const sessions: { cookie: string; csrf: string }[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const phone = `139${String(10_000_000 + i).padStart(8, '0')}`;
      const { id } = await app.services.workers.seedWorker({ phone, status: 'approved', name: '基准骑手', idNumber: idNumber(i), areaCode: BAIHE, consent: true });
      const s = await app.services.sessions.create({ kind: 'worker', id, cityCode: CITY }, { lifetimeSeconds: 3600, idleTimeoutSeconds: null });
      sessions.push({ cookie: `${SESSION_COOKIE}=${s.token}`, csrf: s.csrfToken });
    }
    const categories = (await (await fetch(`${base}/api/reports/categories`, { headers: { cookie: sessions[0]!.cookie } })).json()) as { code: string }[];
    if (!Array.isArray(categories) || !categories.length) throw new Error(`no report categories: ${JSON.stringify(categories).slice(0, 200)}`);

    const input: LoadInput = {
      base,
      engine,
      sessions,
      csrfHeader: CSRF_HEADER,
      categories: categories.map((c) => c.code),
      photos: jpegs.map((b) => new Uint8Array(b)),
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      warmup: 4,
    };
    // (a .ts worker needs tsx registered inside the thread first)
    const entry = new URL('./reports-load.ts', import.meta.url).href;
    // the photos sweep, as the job runner runs it (every 5 s, 50 at a time)
    const reports = app.services.reportsModule.reports;
    let loading = true;
    const sweep = (async () => {
      while (loading) {
        await new Promise((r) => setTimeout(r, 5_000));
        if (loading) await reports.publishPendingPhotos(50, { yieldToUploads: true });
      }
    })();
    if (process.env.BENCH_MARK) console.log(`BENCH_MARK load-start ${process.hrtime.bigint() / 1000n}`);
    const cpu0 = threadCpu();
    const elu0 = performance.eventLoopUtilization();
    const load = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData: input });
    const { latencies, probes, failures: failed, elapsed, cpuSeconds: loadCpu } = await new Promise<LoadResult>((resolve, reject) => {
      load.once('message', resolve);
      load.once('error', reject);
    });
    await load.terminate();
    if (process.env.BENCH_MARK) console.log(`BENCH_MARK load-end ${process.hrtime.bigint() / 1000n}`);
    const elu = performance.eventLoopUtilization(elu0);
    const cpu1 = threadCpu();
    const mainCpu = ((cpu1.get(process.pid)?.ticks ?? 0) - (cpu0.get(process.pid)?.ticks ?? 0)) / 100;
    console.log(`== ${variant.label}: event loop utilisation ${(elu.utilization * 100).toFixed(0)} %; CPU seconds by thread: ` + [...cpu1].map(([tid, v]) => [tid, v.name, v.ticks - (cpu0.get(tid)?.ticks ?? 0)] as const).filter((x) => x[2] > 0).sort((a, b) => b[2] - a[2]).map(([tid, name, t]) => `${tid === process.pid ? 'main' : tid}/${name} ${(t / 100).toFixed(1)}`).join(', '));
    loading = false;
    await sweep;
    const backlog = await sql<{ n: number }>`select count(*)::int as n from report_photos where processed_at is null`.execute(app.services.db);
    const drainStart = performance.now();
    while ((await reports.publishPendingPhotos()) > 0);
    const drainMs = performance.now() - drainStart;
    const failures = new Map(failed);
    const stored = await sql<{ n: number }>`select count(*)::int as n from reports`.execute(app.services.db);
    return { engine, elu: elu.utilization, mainCpu, loadCpu, probeP50: pct(probes, 50), probeP95: pct(probes, 95), fill, phashCheck, ok: latencies.length, rps: latencies.length / elapsed, backlog: Number(backlog.rows[0]!.n), drainMs, sustained: latencies.length / (elapsed + drainMs / 1000), p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), failures, stored: Number(stored.rows[0]!.n) };
  } finally {
    await app.close();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`bench:reports — ${os.cpus().length} cores, Node ${process.version}, ${SECONDS} s, ${CONCURRENCY} submissions in flight, ${WORKERS} workers\n`);
  const jpegs = await photos(8);
  const mb = jpegs.reduce((s, b) => s + b.length, 0) / jpegs.length / 1e6;
  console.log(`photos: ${jpegs.length} JPEGs of 2000×1500, ${mb.toFixed(2)} MB on average\n`);

  // the photo pipeline alone, for comparison (one at a time, then 2 at once — 2 cores)
  const check: number[] = [];
  const publish: number[] = [];
  for (let i = 0; i < 10; i++) {
    let t = performance.now();
    await inspectImage(jpegs[i % jpegs.length]!, REPORT_PHOTO_LIMITS);
    check.push(performance.now() - t);
    t = performance.now();
    const image = await prepareImage(jpegs[i % jpegs.length]!, REPORT_PHOTO_LIMITS);
    phashOfSample(image.phashSample!);
    publish.push(performance.now() - t);
  }
  const checkMs = pct(check, 50);
  const publishMs = pct(publish, 50);

  // the embedded engine as `npm start` runs it (a thread of its own, THREAD_CONNECTIONS connections to it),
  // with one connection to its thread, and in the server's thread (PGLITE_THREAD=false);
  // BENCH_ENGINE=pglite|pglite-1conn|pglite-inline|postgres runs one of them only
  const variants: (Variant & { key: string })[] = enginesToRun().flatMap((engine): (Variant & { key: string })[] =>
    engine === 'pglite'
      ? [
          { key: 'pglite', label: `pglite (own thread, ${THREAD_CONNECTIONS} connections)`, engine, pgliteThread: true },
          { key: 'pglite-1conn', label: 'pglite (own thread, 1 connection)', engine, pgliteThread: true, connections: 1 },
          { key: 'pglite-inline', label: 'pglite (server thread)', engine, pgliteThread: false },
        ]
      : [{ key: engine, label: engine, engine }],
  );
  const rows: string[][] = [];
  let failed = false;
  for (const variant of variants.filter((v) => !process.env.BENCH_ENGINE || v.key === process.env.BENCH_ENGINE)) {
    const r = await runEngine(variant, jpegs);
    const engine = variant.label;
    console.log(`== ${engine}: filled ${r.fill.photos} photos in ${(r.fill.ms / 1000).toFixed(1)} s; reused-photo check p50 ${r.phashCheck.bandsMs.toFixed(2)} ms (full scan ${r.phashCheck.scanMs.toFixed(1)} ms)`);
    console.log(`== ${engine}: ${r.ok} reports acknowledged in ${SECONDS} s → ${r.rps.toFixed(1)}/s; latency p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms; stored ${r.stored}; ${r.backlog} public copies left for the sweep, drained in ${(r.drainMs / 1000).toFixed(1)} s → sustained ${r.sustained.toFixed(1)}/s`);
    for (const [k, n] of r.failures) console.log(`   failures: ${n} × ${k}`);
    if (r.stored < r.ok) failed = true; // an acknowledged report must be stored
    if (r.rps < TARGET_RPS || r.p95 > TARGET_P95_MS) failed = true;
    rows.push([engine, 'reports/s (2 MB photo + report, HTTP)', r.rps.toFixed(1), `≥ ${TARGET_RPS}`, (TARGET_RPS / r.rps).toFixed(2)]);
    rows.push([engine, 'p95 request → acknowledgement', `${r.p95.toFixed(0)} ms`, `≤ ${TARGET_P95_MS} ms`, (r.p95 / TARGET_P95_MS).toFixed(2)]);
    rows.push([engine, 'p50 / p99', `${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms`, '—', '—']);
    rows.push([engine, `reused-photo check over ${r.fill.photos.toLocaleString('en')} photos (90 days), p50: bands vs full scan`, `${r.phashCheck.bandsMs.toFixed(2)} vs ${r.phashCheck.scanMs.toFixed(1)} ms = ${(r.phashCheck.bandsMs / r.phashCheck.scanMs).toFixed(3)}`, '—', '—']);
    rows.push([engine, 'server event loop busy during the load; its CPU seconds per report', `${(r.elu * 100).toFixed(0)} %; ${((r.mainCpu * 1000) / Math.max(1, r.ok)).toFixed(0)} ms`, '—', '—']);
    rows.push([engine, 'load generator (the phones, in a thread on the same 2 cores): its CPU per report', `${((r.loadCpu * 1000) / Math.max(1, r.ok)).toFixed(0)} ms`, '—', '—']);
    rows.push([engine, 'GET /healthz during the load (every 100 ms), p50 / p95', `${r.probeP50.toFixed(1)} / ${r.probeP95.toFixed(1)} ms`, '—', '—']);
    rows.push([engine, 'sustained reports/s, public copies included (load + drain of the sweep backlog)', `${r.sustained.toFixed(1)} (backlog ${r.backlog}, drained in ${(r.drainMs / 1000).toFixed(1)} s)`, '—', '—']);
  }
  rows.push(['—', 'photo check before the acknowledgement (type by its bytes, header, pixels, whole; no decode), median', `${checkMs.toFixed(2)} ms`, '—', '—']);
  rows.push(['—', 'after it, the one decode: public copy (JPEG ≤ 1280 px without EXIF) and pHash, median', `${publishMs.toFixed(0)} ms`, '—', '—']);
  console.log('\n| engine | measurement | measured | target | target-ratio (≤ 1 meets) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (failed) process.exitCode = 1;
}

await main();
