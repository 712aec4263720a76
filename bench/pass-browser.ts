// The browser half of `npm run bench:pass`: milliseconds per pass verification in Chromium, with
// WebCrypto Ed25519 and with the pure-JS fallback (@noble/ed25519), running the scanner's own code
// (src/contracts/pass-token.ts + pass-ed25519.ts, bundled with esbuild) on a page served from
// 127.0.0.1 (a secure context, so WebCrypto has Ed25519). Target: ≤ 5 ms per verification.
// Run alone: node --import tsx bench/pass-browser.ts [n]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { CompactSign } from 'jose';
import { chromium } from 'playwright-core';
import { packScope, PASS_TOKEN_PREFIX, PASS_TTL_SECONDS, type PassPolicyRule, type TrustBundle } from '../src/contracts/pass-token.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The per-verification budget in the browser (issue 4). */
export const BROWSER_TARGET_MS = 5;

export interface EngineTiming {
  /** Mean over n sequential verifications, after a warm-up. */
  msPerVerify: number;
  perSecond: number;
  /** Every verification gave green (a wrong answer is not a fast one). */
  allGreen: boolean;
}

export interface BrowserVerifyResult {
  browser: string;
  n: number;
  webcrypto: EngineTiming | null;
  noble: EngineTiming;
}

// The page's script: the verifier the scanner ships, timed on both engines.
const ENTRY = `
import { checkPassToken, fromBase64Url, webCryptoEd25519 } from './src/contracts/pass-token.ts';
import { nobleEd25519, pickEd25519 } from './src/contracts/pass-ed25519.ts';

async function time(verify, input, n) {
  const { token, bundle, policy } = input;
  const statusBits = fromBase64Url(bundle.status.bits);
  const run = () => checkPassToken(token, { bundle, statusBits, nowMs: Date.now(), verify, policy });
  for (let i = 0; i < Math.min(50, n); i++) await run();
  let green = true;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await run();
    if (r.verdict !== 'green') green = false;
  }
  const ms = (performance.now() - t0) / n;
  return { msPerVerify: ms, perSecond: 1000 / ms, allGreen: green };
}

window.runPassBench = async (input, n) => {
  const picked = await pickEd25519();
  const webcrypto = picked.engine === 'webcrypto' ? await time(webCryptoEd25519(), input, n) : null;
  const noble = await time(nobleEd25519, input, n);
  return { webcrypto, noble };
};
window.benchReady = true;
`;

function chromiumExecutable(): string {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(p)) throw new Error(`Chromium not found at ${p} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  return p;
}

const b64url = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');

/** A signed token and the bundle that trusts its key, made here with a throwaway key. */
async function fixture() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  const kid = 'benchkey';
  const i = Math.floor(Date.now() / 1000);
  const claims = {
    p: b64url(crypto.randomBytes(12)),
    i,
    e: i + PASS_TTL_SECONDS,
    n: b64url(crypto.randomBytes(9)),
    s: packScope({ industry: 'food_delivery', level: 1, platform: 'meituan' }),
    x: 131071,
  };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
  const bundle: TrustBundle = {
    v: 1,
    city: '3302',
    version: 1,
    // Valid for the whole run (verifications use the page's clock).
    issuedAt: Date.now(),
    keys: [{ kid, alg: 'EdDSA', x, status: 'active' }],
    status: { size: 131072, bits: b64url(new Uint8Array(131072 / 8)) },
    reasons: {},
  };
  const policy: PassPolicyRule[] = [{ grant: 'entry', industries: [], minLevel: 1 }];
  return { token: PASS_TOKEN_PREFIX + jws, bundle, policy };
}

export async function measureBrowserVerify(opts: { n?: number } = {}): Promise<BrowserVerifyResult> {
  const n = opts.n ?? 1000;
  const built = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js', sourcefile: 'pass-bench-entry.js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  const script = built.outputFiles[0].text;
  const server = http.createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><meta charset="utf-8"><title>pass bench</title><script type="module" src="/bench.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    // http://127.0.0.1 is a secure context: WebCrypto (Ed25519 included) is there, as on the HTTPS scanner.
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);
    const input = await fixture();
    const r = await page.evaluate(
      ([inp, count]) => (window as unknown as { runPassBench(i: unknown, n: number): Promise<{ webcrypto: EngineTiming | null; noble: EngineTiming }> }).runPassBench(inp, count),
      [input, n] as const,
    );
    return { browser: `Chromium ${browser.version()}`, n, ...r };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Markdown rows for the browser measurements (bench/pass.ts prints them in its table). */
export function browserRows(r: BrowserVerifyResult): string[] {
  const row = (name: string, t: EngineTiming | null) =>
    t
      ? `| ${r.browser}, ${name} (n = ${r.n}) | ${t.msPerVerify.toFixed(3)} ms / verification (${Math.round(t.perSecond).toLocaleString('en')}/s)${t.allGreen ? '' : ' — NOT ALL GREEN'} | ≤ ${BROWSER_TARGET_MS} ms | ${(t.msPerVerify / BROWSER_TARGET_MS).toFixed(3)} |`
      : `| ${r.browser}, ${name} | unavailable | ≤ ${BROWSER_TARGET_MS} ms | — |`;
  return [row('WebCrypto Ed25519', r.webcrypto), row('pure JS @noble/ed25519', r.noble)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const n = Number(process.argv[2] ?? 1000);
  const r = await measureBrowserVerify({ n });
  console.log('| measurement | result | target | result / target |');
  console.log('| --- | --- | --- | --- |');
  for (const line of browserRows(r)) console.log(line);
}
