// The load generator of bench:reports, in a worker thread: the riders' phones are other machines, so
// their side (building 2 MB bodies, fetch, reading answers) must not run on the server's event loop.
// Sends CONCURRENCY submissions at a time for `seconds`; one submission is what the worker app does.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadInput {
  base: string;
  engine: string;
  sessions: { cookie: string; csrf: string }[];
  csrfHeader: string;
  categories: string[];
  photos: Uint8Array[];
  seconds: number;
  concurrency: number;
  warmup: number;
}
export interface LoadResult {
  latencies: number[];
  /** GET /healthz every 100 ms during the load: how long anything else waits for the server's event loop. */
  probes: number[];
  failures: [string, number][];
  elapsed: number;
  /** CPU seconds this thread used during the load: the phones' work, which here shares the server's 2 cores. */
  cpuSeconds: number;
}

/** CPU time of the calling thread, in seconds (/proc; clock ticks of 1/100 s). */
function threadCpuSeconds(): number {
  const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function run(input: LoadInput): Promise<LoadResult> {
  const { base, engine, sessions, csrfHeader, categories, photos } = input;
  let next = 0;
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const submit = async (i: number) => {
    const s = sessions[i % sessions.length]!;
    const headers = { cookie: s.cookie, [csrfHeader]: s.csrf };
    const t0 = performance.now();
    const up = await fetch(`${base}/api/reports/photos`, { method: 'POST', headers: { ...headers, 'content-type': 'image/jpeg', 'idempotency-key': `bp-${engine}-${i}` }, body: photos[i % photos.length] as Uint8Array<ArrayBuffer> });
    if (up.status !== 201) throw new Error(`photo ${up.status} ${(await up.text()).slice(0, 120)}`);
    const photo = (await up.json()) as { id: string };
    const clientId = `bench${engine}${i}${crypto.randomBytes(4).toString('hex')}`;
    const res = await fetch(`${base}/api/reports`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `br-${clientId}` },
      body: JSON.stringify({
        clientId,
        category: categories[i % categories.length]!,
        // around 白鹤街道, a few hundred metres apart
        lon: 121.56 + ((i * 37) % 100) / 5000,
        lat: 29.86 + ((i * 53) % 100) / 5000,
        accuracyM: 12,
        locationSource: 'device',
        description: '基准测试：路面积水',
        photoIds: [photo.id],
      }),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`report ${res.status} ${(await res.text()).slice(0, 120)}`);
    await res.arrayBuffer();
    return performance.now() - t0;
  };
  // warm-up, from the far end of the session list (each worker may send 10 reports an hour)
  for (let w = 0; w < input.warmup; w++) await submit(sessions.length * 10 - 1 - w).catch(() => undefined);

  const end = performance.now() + input.seconds * 1000;
  const t0 = performance.now();
  const cpu0 = threadCpuSeconds();
  const probes: number[] = [];
  const probing = (async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) probes.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (performance.now() < end) {
        const i = next++;
        try {
          latencies.push(await submit(i));
        } catch (e) {
          const k = (e as Error).message.slice(0, 60);
          failures.set(k, (failures.get(k) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpuSeconds = threadCpuSeconds() - cpu0;
  await probing;
  return { latencies, probes, failures: [...failures], elapsed, cpuSeconds };
}

if (parentPort && workerData) parentPort.postMessage(await run(workerData as LoadInput));
