// npm run bench:startup — how long `npm start` takes on this machine: the first start on an empty
// DATA_DIR with the web build included, and a second start that reuses the data. Targets from the
// foundation issue: first < 60 s, second < 5 s. Results are printed side by side with the targets;
// record them in BENCHMARKS.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 2);

function timeStart(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/Admin\s+(http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        fetch(`${m[1]}/readyz`).then((r) => {
          const ms = performance.now() - t0;
          child.kill('SIGTERM');
          child.on('exit', () => (r.status === 200 ? resolve(ms) : reject(new Error('not ready'))));
        }, reject);
        child.stdout!.off('data', onData);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => code && reject(new Error(`exit ${code}\n${out}`)));
  });
}

const rows: { name: string; ms: number; targetMs: number }[] = [];
for (let i = 0; i < runs; i++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yongai-bench-'));
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true }); // web apps and server bundle
  rows.push({ name: `first start, build included (run ${i + 1})`, ms: await timeStart(dataDir), targetMs: 60_000 });
  rows.push({ name: `second start, data reused (run ${i + 1})`, ms: await timeStart(dataDir), targetMs: 5_000 });
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\nnpm start timings on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), node ${process.version}`);
console.log('| measurement | time | target | time / target |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${(r.ms / 1000).toFixed(1)} s | ${(r.targetMs / 1000).toFixed(0)} s | ${(r.ms / r.targetMs).toFixed(2)} |`);
