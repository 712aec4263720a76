// A load generator for the benchmarks, run in its own process so it does not share the server's
// event loop: node bench/load.mjs <urls.json> <seconds> <connections> → prints {rps, p99, errors}.
// The URLs (same origin) are requested round-robin.
import fs from 'node:fs';
import autocannon from 'autocannon';

const [file, seconds = '10', connections = '16'] = process.argv.slice(2);
const urls = JSON.parse(fs.readFileSync(file, 'utf8'));
const origin = new URL(urls[0]).origin;
const paths = urls.map((u) => {
  const x = new URL(u);
  return x.pathname + x.search;
});
let next = 0;
const result = await autocannon({
  url: origin,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
});
process.stdout.write(JSON.stringify({ rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx }));
