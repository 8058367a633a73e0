// Benchmark: the nightly rerun. A 100,000-row DLR export is provisioned once against the sandbox;
// then the same file again (target: zero write calls, wall time under 2× `check` of the same file),
// then with 1% of rows changed (target: calls equal to the changed rows' minimum); then
// import-state of the account, topped up to 100,000 endpoints, into a fresh store (peak RSS < 200 MB).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDlrExport, timedCli } from './check.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
/** import-state streams the account page by page: its peak RSS at 100,000 endpoints stays under this. */
const IMPORT_PEAK_MB = 200;

export async function benchSync(rows = 100_000, addresses = 2_000, chunkSize = 1000) {
  const { startSandbox, DEMO_CREDENTIALS } = await import(join(ROOT, 'dist/sandbox/index.js'));
  const dir = mkdtempSync(join(tmpdir(), 'esprov-sync-'));
  const input = join(dir, 'export.csv');
  await generateDlrExport(input, rows, addresses);
  const sandbox = await startSandbox({ seed: 6 });
  const env = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
  const run = (file, out) =>
    timedCli(
      [
        'run',
        file,
        '--api',
        'dlr',
        '--account',
        '8001',
        '--base-url',
        `${sandbox.url}/api`,
        '--state',
        join(dir, 'state.db'),
        '--rate',
        '0',
        '--concurrency',
        '16',
        '--chunk-size',
        String(chunkSize),
        '--out',
        join(dir, out),
        '--quiet',
      ],
      env,
    );
  try {
    const check = await timedCli(['check', input, '--api', 'dlr', '--out', join(dir, 'check.csv'), '--quiet']);
    const first = await run(input, 'first.csv');
    const ledger = () => sandbox.ledger().accounts['8001'];
    const writesBefore = ledger().writeCalls;
    const callsBefore = { ...ledger().dlr.calls };
    const rerun = await run(input, 'rerun.csv');
    const rerunWrites = ledger().writeCalls - writesBefore;
    const rerunCalls = Object.values(ledger().dlr.calls).reduce((a, b) => a + b, 0) - Object.values(callsBefore).reduce((a, b) => a + b, 0);
    const ratio = rerun.seconds / check.seconds;
    console.log(`sync: first run of ${rows.toLocaleString('en-US')} rows ${first.seconds.toFixed(1)} s; check ${check.seconds.toFixed(1)} s`);
    console.log(
      `  unchanged rerun ${rerun.seconds.toFixed(1)} s = ${ratio.toFixed(2)}× check (target < 2×), write calls ${rerunWrites}, calls of any kind ${rerunCalls} (target 0); peak RSS ${rerun.peakMb.toFixed(0)} MB`,
    );

    // 1% of rows change their caller name: one endpoint order per chunk of changed rows, nothing else.
    const lines = readFileSync(input, 'utf8').split('\n');
    let changed = 0;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === '' || i % 100 !== 7 || lines[i].split(',')[2] === '555') continue;
      lines[i] = lines[i].replace('"Desk ', '"Renamed desk ');
      changed++;
    }
    const changedInput = join(dir, 'changed.csv');
    writeFileSync(changedInput, lines.join('\n'));
    const before = { ...ledger().dlr.calls };
    const r = await run(changedInput, 'changed-result.csv');
    const after = ledger().dlr.calls;
    const d = Object.fromEntries(
      Object.keys(after)
        .map((k) => [k, after[k] - (before[k] ?? 0)])
        .filter(([, v]) => v > 0),
    );
    const minimum = Math.ceil(changed / chunkSize);
    const posts = d['order.post'] ?? 0;
    console.log(
      `  1% changed (${changed} rows): ${r.seconds.toFixed(1)} s, calls ${JSON.stringify(d)}; order POSTs ${posts} vs minimum ${minimum} (ceil(${changed} / ${chunkSize})), geocodes ${d.geocode ?? 0} (target 0) ${posts === minimum && !d.geocode ? 'OK' : 'MISSED'}`,
    );

    // The export's invalid rows (1%) were never provisioned: top the account up to `rows` endpoints
    // (valid rows again under new Identifiers), so import-state reads an account of that size.
    const missing = rows - Object.keys(ledger().dlr.aeuis).length;
    if (missing > 0) {
      const topUp = join(dir, 'top-up.csv');
      const valid = lines.slice(1).filter((l) => l !== '' && !l.includes(',555,'));
      writeFileSync(topUp, [lines[0], ...valid.slice(0, missing).map((l) => l.replace(/^EP/, 'EQ'))].join('\n'));
      await run(topUp, 'top-up-result.csv');
    }

    // An account provisioned without this state store (another machine, a lost store): import-state
    // adopts it; the next run of the same export then sends nothing.
    const adopt = await timedCli(
      ['import-state', '--api', 'dlr', '--account', '8001', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'adopted.db'), '--rate', '0', '--concurrency', '16', '--quiet'],
      env,
    );
    const beforeAdopted = Object.values(ledger().dlr.calls).reduce((a, b) => a + b, 0);
    const writesBeforeAdopted = ledger().writeCalls;
    const adoptedRun = await timedCli(
      ['run', changedInput, '--api', 'dlr', '--account', '8001', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'adopted.db'), '--rate', '0', '--out', join(dir, 'adopted.csv'), '--quiet'],
      env,
    );
    const adoptedCalls = Object.values(ledger().dlr.calls).reduce((a, b) => a + b, 0) - beforeAdopted;
    const adoptedWrites = ledger().writeCalls - writesBeforeAdopted;
    const endpoints = Object.keys(ledger().dlr.aeuis).length;
    console.log(
      `  import-state of the account (${endpoints.toLocaleString('en-US')} endpoints, one GET each at --concurrency 16): ${adopt.seconds.toFixed(1)} s = ${Math.round(endpoints / adopt.seconds).toLocaleString('en-US')} endpoints/s, exit ${adopt.code}; ` +
        `peak RSS ${adopt.peakMb.toFixed(0)} MB (bound < ${IMPORT_PEAK_MB} MB) ${adopt.code === 0 && adopt.peakMb < IMPORT_PEAK_MB ? 'OK' : 'BEYOND BOUND'}`,
    );
    console.log(
      `  then the same export on the adopted store: ${adoptedRun.seconds.toFixed(1)} s, calls of any kind ${adoptedCalls}, write calls ${adoptedWrites} (target 0) ${adoptedCalls === 0 ? 'OK' : 'MISSED'}`,
    );
    return { rerunRatio: ratio, rerunWrites, changed, posts, minimum, adoptedCalls, importPeakMb: adopt.peakMb };
  } finally {
    await sandbox.close();
    // A 100k-row run leaves some 280 MB here (export, state, results): gone once measured.
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSync();
