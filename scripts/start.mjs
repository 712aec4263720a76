// `npm start`: builds what is out of date — the web apps (Vite) and the server (esbuild bundle of
// src/, dependencies left external) — then runs the server. Plain JS so it runs before anything is
// compiled. A second start with nothing changed skips both builds.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => path.join(root, ...p);

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}
const builtAt = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
const lockAt = newestMtime(at('package-lock.json'));

// Web apps.
const webStamp = at('dist/web/index.html');
if (Math.max(newestMtime(at('web')), newestMtime(at('src/contracts')), newestMtime(at('vite.config.ts')), lockAt) > builtAt(webStamp)) {
  console.log('Building the web apps (worker, admin, scanner)…');
  const r = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Server: one ESM bundle of our TypeScript (fast to load); migrations are copied beside it.
const serverOut = at('dist/server/main.mjs');
if (Math.max(newestMtime(at('src')), lockAt) > builtAt(serverOut)) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [at('src/server/main.ts')],
    outfile: serverOut,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  // the embedded database's thread is loaded by path, beside the bundle
  fs.copyFileSync(at('src/db/pglite-worker.mjs'), at('dist/server/pglite-worker.mjs'));
  fs.rmSync(at('dist/server/migrations'), { recursive: true, force: true });
  fs.cpSync(at('src/db/migrations'), at('dist/server/migrations'), { recursive: true });
}

const child = spawn(process.execPath, ['--enable-source-maps', serverOut], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 0 : code ?? 0));
