// npm run bench:nearby — k = 10 nearest places with type + open-now filters, side by side in one run:
// a brute-force oracle, the in-memory index, PGlite, and the PostgreSQL server when DATABASE_URL is set;
// then requests per second of GET /api/places/nearby next to a trivial route (/healthz) of the same
// server. Datasets are generated from a fixed seed: a city (30 k places in Ningbo) and a nation (1 M
// places over China, one tenant). Targets (issue 3): top-10 identical to brute force on 100 % of
// queries; nearby ≥ 30 % of the trivial route's requests per second at 1 M places; index p99 ≤ 5 ms
// at 1 M places; index memory ≤ 25 MB per million places.
//
// Options (env): BENCH_SIZES=30000,1000000  BENCH_QUERIES=1000  BENCH_SECONDS=10  BENCH_CONNECTIONS=16
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { Database } from '../src/db/database.js';
import { openEngine } from './engines.js';
import { cityBounds } from '../src/contracts/places.js';
import { NearbyIndex, bruteForceNearest, toE7, type PlacePoint } from '../src/modules/places/nearby-index.js';
import { generate, queries, type Dataset } from './places-dataset.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_SIZES ?? '30000,1000000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const AT = new Date('2026-11-23T12:30:00Z'); // 20:30 in Ningbo, a Monday evening: many places closing

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

async function insertDataset(database: Database, ds: Dataset) {
  const db = database.db;
  await sql`drop index if exists places_knn_idx`.execute(db);
  const now = new Date();
  const B = 10_000;
  for (let i = 0; i < ds.rows.length; i += B) {
    const chunk = ds.rows.slice(i, i + B);
    await sql`
      insert into places (city_code, area_code, type, name, address, lon, lat, services, hours, status, certified, created_at, updated_at)
      select ${ds.cityCode}, '330212011', t, n, '基准测试地址', lo, la, string_to_array(s, ','), h, 'active', true, ${now}, ${now}
      from unnest(${chunk.map((c) => c.type)}::text[], ${chunk.map((_, j) => `场所${i + j + 1}`)}::text[], ${chunk.map((c) => c.lon)}::float8[],
                  ${chunk.map((c) => c.lat)}::float8[], ${chunk.map((c) => c.services.join(','))}::text[], ${chunk.map((c) => c.hours)}::text[])
        as u(t, n, lo, la, s, h)`.execute(db);
  }
  await sql`create index places_knn_idx on places using gist (city_code, ll_to_earth(lat, lon)) where listed`.execute(db);
  await sql`analyze places`.execute(db);
}

/** Requests per second of one URL list, measured by autocannon in a child process (the other core). */
function loadTest(urls: string[]): Promise<{ rps: number; p99: number; errors: number }> {
  const file = path.join(os.tmpdir(), `yongai-bench-urls-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(urls));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bench/load.mjs'), file, String(SECONDS), String(CONNECTIONS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load test exited ${code}`))));
  });
}

async function main() {
  console.log(`bench:nearby — ${os.cpus().length} cores, Node ${process.version}, ${QUERIES} queries per dataset, k = 10, types + open now at ${AT.toISOString()}\n`);
  const engines: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  const summary: string[][] = [];
  for (const n of SIZES) {
    const ds = generate(n);
    // The nation dataset is one tenant spanning China: register its region for this process.
    for (const k of Object.keys(cityBounds)) delete cityBounds[k];
    cityBounds[ds.cityCode] = ds.bounds;
    const qs = queries(ds, n > 100_000 ? Math.min(QUERIES, 500) : QUERIES);

    // -- in-process: oracle vs index (ids are 1..n as the database will number them)
    const scratch = new NearbyIndex();
    const points: PlacePoint[] = ds.rows.map((r, i) => ({ id: i + 1, type: r.type, lonE7: toE7(r.lon), latE7: toE7(r.lat), services: 0, schedule: scratch.scheduleOf(r.hours), score: 255 }));
    global.gc?.();
    const heap0 = process.memoryUsage();
    const t0 = performance.now();
    const index = new NearbyIndex(points);
    Object.assign(index, { schedules: scratch.schedules });
    const buildMs = performance.now() - t0;
    global.gc?.();
    const heap1 = process.memoryUsage();
    const measuredBytes = heap1.heapUsed + heap1.arrayBuffers - (heap0.heapUsed + heap0.arrayBuffers);
    const idxTimes: number[] = [];
    const oracleTimes: number[] = [];
    let identical = 0;
    for (const q of qs) {
      const f = { types: q.types, openAt: AT };
      let s = performance.now();
      const a = index.nearest(q.lon, q.lat, 10, f);
      idxTimes.push(performance.now() - s);
      s = performance.now();
      const b = bruteForceNearest(points, scratch.schedules, q.lon, q.lat, 10, f);
      oracleTimes.push(performance.now() - s);
      if (a.length === b.length && a.every((h, i) => h.id === b[i]!.id)) identical++;
    }
    const perMillion = (index.bytes() / n) * 1e6 / 2 ** 20;
    console.log(`== ${ds.name}: ${n.toLocaleString()} places`);
    console.log(`  index build ${buildMs.toFixed(0)} ms; index bytes ${(index.bytes() / 2 ** 20).toFixed(1)} MiB (${perMillion.toFixed(1)} MiB per million; heap+buffers delta ${(measuredBytes / 2 ** 20).toFixed(1)} MiB)`);
    console.log(`  brute-force oracle  p50 ${fmt(pct(oracleTimes, 50))}  p99 ${fmt(pct(oracleTimes, 99))}`);
    console.log(`  in-memory index     p50 ${fmt(pct(idxTimes, 50))}  p99 ${fmt(pct(idxTimes, 99))}  identical top-10: ${identical}/${qs.length}`);
    summary.push([ds.name, 'index p99', fmt(pct(idxTimes, 99)), '≤ 5 ms', (pct(idxTimes, 99) / 5).toFixed(2)]);
    summary.push([ds.name, 'index memory per million places', `${perMillion.toFixed(1)} MiB`, '≤ 25 MB', ((perMillion * 2 ** 20) / 25e6).toFixed(2)]);
    summary.push([ds.name, 'identical to brute force', `${((identical / qs.length) * 100).toFixed(1)} %`, '100 %', '']);

    for (const engine of engines) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-bench-'));
      const { database, drop } = await openEngine(engine, { dataDir: path.join(dir, 'pgdata') });
      let s = performance.now();
      await insertDataset(database, ds);
      const insertMs = performance.now() - s;
      const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dir, JOBS_ENABLED: 'false', SEED_DEMO: 'false', PORT: '0', MAP_TILES: 'none' });
      const app = await buildApp(config, { database, keys: { pii: crypto.randomBytes(64) }, clock: { now: () => AT } });
      s = performance.now();
      await app.ready(); // loads the index from the table
      const loadMs = performance.now() - s;
      const { nearby } = app.services;
      const sqlTimes: number[] = [];
      const svcTimes: number[] = [];
      let sqlSame = 0;
      let svcSame = 0;
      const sqlQs = qs.slice(0, engine === 'pglite' && n > 100_000 ? 200 : qs.length);
      for (const q of sqlQs) {
        const query = { lon: q.lon, lat: q.lat, types: q.types.join(','), openNow: true, limit: 10 };
        const oracle = bruteForceNearest(points, scratch.schedules, q.lon, q.lat, 10, { types: q.types, openAt: AT }).map((h) => String(h.id));
        let t = performance.now();
        const viaSql = await nearby.query(query, { forceSql: true });
        sqlTimes.push(performance.now() - t);
        t = performance.now();
        const viaIndex = await nearby.query(query);
        svcTimes.push(performance.now() - t);
        if (viaSql.items.map((i) => i.id).join() === oracle.join()) sqlSame++;
        if (viaIndex.items.map((i) => i.id).join() === oracle.join()) svcSame++;
      }
      console.log(`  ${engine.padEnd(8)} insert ${(insertMs / 1000).toFixed(1)} s, index load ${(loadMs / 1000).toFixed(1)} s`);
      console.log(`  ${engine.padEnd(8)} SQL kNN (GiST)      p50 ${fmt(pct(sqlTimes, 50))}  p99 ${fmt(pct(sqlTimes, 99))}  same as oracle: ${sqlSame}/${sqlQs.length}`);
      console.log(`  ${engine.padEnd(8)} service via index   p50 ${fmt(pct(svcTimes, 50))}  p99 ${fmt(pct(svcTimes, 99))}  same as oracle: ${svcSame}/${sqlQs.length} (names from the table)`);
      summary.push([ds.name, `${engine} SQL kNN p99`, fmt(pct(sqlTimes, 99)), '', '']);

      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const trivial = await loadTest([`${base}/healthz`]);
      const nearbyUrls = qs.map((q) => `${base}/api/places/nearby?lon=${q.lon.toFixed(6)}&lat=${q.lat.toFixed(6)}&types=${q.types.join(',')}&openNow=true&limit=10`);
      const near = await loadTest(nearbyUrls);
      const ratio = near.rps / trivial.rps;
      console.log(`  ${engine.padEnd(8)} HTTP: /healthz ${trivial.rps.toFixed(0)} req/s; /api/places/nearby ${near.rps.toFixed(0)} req/s (p99 ${near.p99} ms, errors ${near.errors}) → ${(ratio * 100).toFixed(0)} % of trivial`);
      summary.push([ds.name, `${engine} nearby req/s vs trivial`, `${near.rps.toFixed(0)} / ${trivial.rps.toFixed(0)} = ${(ratio * 100).toFixed(0)} %`, '≥ 30 %', (0.3 / ratio).toFixed(2)]);
      await app.close();
      await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log('');
  }
  console.log('| dataset | measurement | measured | target | target-ratio (≤ 1 meets) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of summary) console.log(`| ${row.join(' | ')} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
