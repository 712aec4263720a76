// npm run bench:pass — pass verifications: per second on one server core, and milliseconds per
// verification in Chromium (bench/pass-browser.ts). Targets from issue 4: ≥ 5,000/s per core on the
// server, ≤ 5 ms in the browser. Prints one markdown table for BENCHMARKS.md.
//   node --import tsx bench/pass.ts [N server tokens = 20000] [n browser verifications = 1000] [--no-browser]
//
// Server measurements run sequentially in this one process (each verification awaited before the next),
// over N distinct tokens signed by the server's own signer (jose, Ed25519), against a trust bundle with
// the default 131,072-bit status list. "Per core" is verifications per second of this process's CPU
// time (user + system), so work WebCrypto hands to libuv's thread pool is counted too.
import os from 'node:os';
import { compactVerify, importJWK } from 'jose';
import { PASS_TOKEN_PREFIX, checkPassToken, fromBase64Url, packScope, toBase64Url, webCryptoEd25519, type Ed25519Verify, type TrustBundle } from '../src/contracts/pass-token.js';
import { createSigner, generatePassKey, newNonce, newPseudonym, nodeEd25519, publicJwk } from '../src/modules/pass/pass.keys.js';
import { browserRows, measureBrowserVerify } from './pass-browser.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const N = Number(args[0] ?? 20_000);
const browserN = Number(args[1] ?? 1000);
const withBrowser = !process.argv.includes('--no-browser');
const SERVER_TARGET_PER_S = 5000;
const STATUS_LIST_SIZE = 131_072;

interface Timing {
  name: string;
  n: number;
  wallMs: number;
  cpuMs: number;
  ok: boolean;
}

async function measure(name: string, tokens: string[], once: (token: string) => Promise<boolean>): Promise<Timing> {
  for (let i = 0; i < Math.min(500, tokens.length); i++) await once(tokens[i]); // warm-up (JIT, imported keys)
  let ok = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const token of tokens) if (!(await once(token))) ok = false;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { name, n: tokens.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, ok };
}

async function serverTimings(): Promise<Timing[]> {
  const key = generatePassKey();
  const signer = await createSigner(key.kid, key.privateKeyDer);
  const nowS = Math.floor(Date.now() / 1000);
  const s = packScope({ industry: 'food_delivery', level: 1, platform: 'meituan' });
  const tokens: string[] = [];
  for (let k = 0; k < N; k++) {
    tokens.push(await signer.signToken({ p: newPseudonym(), i: nowS, e: nowS + 90, n: newNonce(), s, x: k % STATUS_LIST_SIZE }));
  }
  // Some revoked passes (not those of the tokens above: every token must verify green).
  const bits = new Uint8Array(STATUS_LIST_SIZE >> 3);
  const reasons: TrustBundle['reasons'] = {};
  for (let i = N; i < Math.min(STATUS_LIST_SIZE, N + 2000); i++) {
    bits[i >> 3] |= 0x80 >> (i & 7);
    reasons[String(i)] = 'lost_phone';
  }
  const bundle: TrustBundle = {
    v: 1,
    city: '3302',
    version: 1,
    issuedAt: Date.now(),
    keys: [{ kid: key.kid, alg: 'EdDSA', x: key.publicKey, status: 'active' }],
    status: { size: STATUS_LIST_SIZE, bits: toBase64Url(bits) },
    reasons,
  };
  const statusBits = fromBase64Url(bundle.status.bits)!;
  const nowMs = nowS * 1000 + 1000;
  const viaCheck = (verify: Ed25519Verify) => async (token: string) => (await checkPassToken(token, { bundle, statusBits, nowMs, verify })).verdict === 'green';

  const joseKey = await importJWK(publicJwk(key.kid, key.publicKey), 'EdDSA');
  const viaJose = async (token: string) => {
    try {
      await compactVerify(token.slice(PASS_TOKEN_PREFIX.length), joseKey, { algorithms: ['EdDSA'] });
      return true;
    } catch {
      return false;
    }
  };

  return [
    await measure('checkPassToken + WebCrypto Ed25519 (Node)', tokens, viaCheck(webCryptoEd25519())),
    await measure('checkPassToken + node:crypto Ed25519 (the server’s verifier)', tokens, viaCheck(nodeEd25519())),
    await measure('jose compactVerify (signature only)', tokens, viaJose),
  ];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

const server = await serverTimings();
const browser = withBrowser ? await measureBrowserVerify({ n: browserN }) : undefined;

console.log(`\nPass verification on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), node ${process.version}; server N = ${fmt(N)} tokens`);
console.log('| measurement | result | target | result / target |');
console.log('| --- | --- | --- | --- |');
for (const t of server) {
  const perCpuS = (t.n / t.cpuMs) * 1000;
  const perWallS = (t.n / t.wallMs) * 1000;
  console.log(
    `| server, ${t.name} | ${fmt(perCpuS)}/s per core (${fmt(perWallS)}/s wall, ${((t.wallMs * 1000) / t.n).toFixed(1)} µs each)${t.ok ? '' : ' — NOT ALL VALID'} | ≥ ${fmt(SERVER_TARGET_PER_S)}/s | ${(perCpuS / SERVER_TARGET_PER_S).toFixed(2)} |`,
  );
}
if (browser) for (const line of browserRows(browser)) console.log(line);
