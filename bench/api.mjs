// Transport benchmark: N concurrent DLR geocodes through the built client (dist/api/index.js)
// against a server that answers after ~50 ms (the built sandbox with latencyMs 50, in a worker
// thread; else a tiny local server with a fixed 50 ms delay). With keep-alive and no limiter the
// client should reach the bound N / 0.05 s (target ≥ 90%); with --rate R the limiter should hold R
// (target within 5%).
//
//   npx tsc -p tsconfig.build.json && node bench/api.mjs [--rate 50] [--seconds 3]

import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const LATENCY_MS = 50;
const CONCURRENCY = [4, 16, 64];
const ACCOUNT = '9900000';
const CREDENTIALS = { username: 'bench', password: 'bench-password' };
const apiModule = new URL('../dist/api/index.js', import.meta.url);
const sandboxModule = new URL('../dist/sandbox/index.js', import.meta.url);

const GEOCODED =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><GeocodeRequestResponse><GeocodedAddress>' +
  '<AddressLine1>904 E ANSON ST</AddressLine1><HouseNumber>904</HouseNumber><PreDirectional>E</PreDirectional>' +
  '<StreetName>ANSON</StreetName><StreetSuffix>ST</StreetSuffix><City>MARSHALLTOWN</City><StateCode>IA</StateCode>' +
  '<Zip>50158</Zip><PlusFour>3522</PlusFour><Country>US</Country></GeocodedAddress></GeocodeRequestResponse>';

const ADDRESS = {
  addressLine1: '904 E Anson St',
  houseNumber: '904',
  preDirectional: 'E',
  streetName: 'Anson',
  streetSuffix: 'St',
  city: 'Marshalltown',
  stateCode: 'IA',
  zip: '50158',
  country: 'US',
};

/** worker thread: the server, so the client under test has the main event loop to itself */
async function serve() {
  if (workerData.sandbox) {
    const { startSandbox } = await import(sandboxModule.href);
    const sandbox = await startSandbox({ latencyMs: LATENCY_MS, credentials: { ...CREDENTIALS, token: 'bench-token' } });
    parentPort.postMessage({ url: sandbox.url, kind: 'sandbox (latencyMs 50, uniform 25-75 ms)' });
    parentPort.once('message', async () => {
      await sandbox.close();
      parentPort.postMessage({ closed: true });
    });
    return;
  }
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(GEOCODED) });
        res.end(GEOCODED);
      }, LATENCY_MS),
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  parentPort.postMessage({ url: `http://127.0.0.1:${server.address().port}`, kind: 'local server (fixed 50 ms)' });
  parentPort.once('message', () => {
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({ closed: true }));
  });
}

function startServer() {
  const sandbox = existsSync(fileURLToPath(sandboxModule));
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { sandbox } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', ({ url, kind }) =>
      resolve({
        url,
        kind,
        close: () =>
          new Promise((done) => {
            worker.once('message', () => worker.terminate().then(done, done));
            worker.postMessage('close');
          }),
      }),
    );
  });
}

/** `workers` loops of geocodes for `seconds`; returns completions and their times */
async function drive(dlr, workers, seconds) {
  const done = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        await dlr.geocode(ADDRESS);
        done.push(performance.now());
      }
    }),
  );
  return done;
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

export async function benchApi(options = {}) {
  if (!existsSync(fileURLToPath(apiModule))) {
    throw new Error('dist/api/index.js is missing: run `npx tsc -p tsconfig.build.json` first');
  }
  const seconds = options.seconds ?? 3;
  const rate = options.rate ?? 50;
  const { createApi } = await import(apiModule.href);
  const server = await startServer();
  const base = { profile: 'dlr', baseUrl: `${server.url}/api`, accountId: ACCOUNT, auth: { kind: 'basic', ...CREDENTIALS } };
  const results = { server: server.kind, concurrency: [], limiter: undefined };
  try {
    console.log(`api bench against ${server.kind}`);
    console.log('  N   achieved req/s   bound N/0.05   ratio    (target ≥ 90%)');
    for (const n of CONCURRENCY) {
      const api = createApi({ ...base, connections: Math.max(64, n) });
      await drive(api.dlr, n, 0.3); // warm-up: connections open, JIT warm
      const started = performance.now();
      const done = await drive(api.dlr, n, seconds);
      const elapsed = (performance.now() - started) / 1000;
      await api.close();
      const achieved = done.length / elapsed;
      const bound = n / (LATENCY_MS / 1000);
      const row = { n, achieved: Math.round(achieved), bound, ratio: achieved / bound, ok: achieved / bound >= 0.9 };
      results.concurrency.push(row);
      console.log(`${String(n).padStart(3)}   ${String(row.achieved).padStart(14)}   ${String(bound).padStart(12)}   ${pct(row.ratio).padStart(6)}   ${row.ok ? 'ok' : 'BELOW TARGET'}`);
    }

    const api = createApi({ ...base, rate, connections: 64 });
    const done = await drive(api.dlr, 32, seconds);
    const stats = api.stats();
    await api.close();
    const achieved = (done.length - 1) / ((done.at(-1) - done[0]) / 1000);
    const error = Math.abs(achieved - rate) / rate;
    results.limiter = { rate, achieved: Number(achieved.toFixed(2)), error, ok: error <= 0.05, rateLimitWaitMs: stats.rateLimitWaitMs };
    console.log(`limiter: --rate ${rate} → achieved ${achieved.toFixed(2)} req/s with 32 workers (off by ${pct(error)}; target within 5%) ${error <= 0.05 ? 'ok' : 'OUT OF TARGET'}`);
  } finally {
    await server.close();
  }
  return results;
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rate') options.rate = Number(argv[++i]);
    else if (argv[i] === '--seconds') options.seconds = Number(argv[++i]);
  }
  return options;
}

if (!isMainThread) {
  await serve();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchApi(parseArgs(process.argv.slice(2)));
}
