// Sandbox throughput: geocode requests from 64 concurrent keep-alive clients for ~3 s against
// the built sandbox (dist/sandbox/index.js, from `npm run build`). The server runs in a worker
// thread so that the load generator does not share its event loop.
//
//   node bench/sandbox.mjs            prints "sandbox geocode: N req/s (target ≥ 5000)"

import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Agent, request } from 'undici';

const TARGET = 5000;
const CONNECTIONS = 64;
const DURATION_MS = 3000;
const ADDRESSES = [
  ['904 E Ansun Str', 'Marshalltown', 'IA', '50158'],
  ['900 Main Campus Dr', 'Raleigh', 'NC', '27606'],
  ['12 Elm St', 'Denver', 'CO', '80202'],
  ['1 Nowhere Rd', 'Austin', 'TX', '78701'],
].map(
  ([line, city, state, zip]) =>
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><RequestAddress><AddressLine1>${line}</AddressLine1>` +
    `<City>${city}</City><StateCode>${state}</StateCode><Zip>${zip}</Zip><Country>US</Country></RequestAddress>`,
);

const sandboxModule = new URL('../dist/sandbox/index.js', import.meta.url);

async function serve() {
  const { startSandbox } = await import(sandboxModule.href);
  const sandbox = await startSandbox({ credentials: { username: 'bench', password: 'bench-password', token: 'bench-token' } });
  parentPort.postMessage({ url: sandbox.url });
  parentPort.once('message', async () => {
    const ledger = sandbox.ledger();
    await sandbox.close();
    parentPort.postMessage({ geocodes: ledger.accounts['9900000']?.dlr.calls.geocode ?? 0 });
  });
}

function startServerWorker() {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'server' } });
  const url = new Promise((resolve, reject) => {
    worker.once('message', (message) => resolve(message.url));
    worker.once('error', reject);
  });
  return { worker, url };
}

export async function benchSandbox({ durationMs = DURATION_MS, connections = CONNECTIONS } = {}) {
  const { worker, url: urlPromise } = startServerWorker();
  const url = await urlPromise;
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const headers = {
    authorization: 'Basic ' + Buffer.from('bench:bench-password').toString('base64'),
    'content-type': 'application/xml',
  };
  const target = `${url}/api/accounts/9900000/geocodeRequest`;
  const statuses = {};
  let done = 0;
  let failed = 0;
  const fire = async (index) => {
    const res = await request(target, { method: 'POST', headers, body: ADDRESSES[index % ADDRESSES.length], dispatcher: agent });
    await res.body.dump();
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
  };
  // Warm up the connections and the JIT before measuring.
  await Promise.all(Array.from({ length: connections * 4 }, (_, i) => fire(i)));
  for (const key of Object.keys(statuses)) delete statuses[key];

  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: connections }, async (_, lane) => {
      let i = lane;
      while (performance.now() < deadline) {
        try {
          await fire(i);
          done++;
        } catch {
          failed++;
        }
        i += connections;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  const counted = new Promise((resolve) => worker.once('message', (message) => resolve(message.geocodes)));
  worker.postMessage('stop');
  const serverCount = await counted;
  await worker.terminate();

  const perSecond = Math.round(done / seconds);
  console.log(`sandbox geocode: ${perSecond} req/s (target ≥ ${TARGET})`);
  return { requests: done, failed, seconds: Math.round(seconds * 100) / 100, perSecond, target: TARGET, meetsTarget: perSecond >= TARGET, statuses, serverCount };
}

if (!isMainThread && workerData?.role === 'server') {
  await serve();
} else if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchSandbox();
  if (!result.meetsTarget) process.exitCode = 1;
}
