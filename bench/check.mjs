// Benchmark: `esprov check` over a generated 1,000,000-row DLR export. Prints rows per second and
// peak RSS against the targets (≥ 100,000 rows/s, < 200 MB).
// Usage: node bench/check.mjs [rows] [runs]; with several runs, the median and the range.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'bench/out');

const CITIES = [
  ['Raleigh', 'NC', '27606'], ['Boston', 'MA', '02110'], ['Chicago', 'IL', '60606'], ['Denver', 'CO', '80202'],
  ['Seattle', 'WA', '98101'], ['Austin', 'TX', '78758'], ['Toronto', 'ON', 'M5J 2R8'], ['Montreal', 'QC', 'H3B 4W5'],
];
const SUFFIXES = ['Street', 'St', 'Drive', 'Ave', 'Boulevard', 'Pkwy'];

/** A DLR export of `rows` rows over `addresses` distinct addresses; about 1% of rows are invalid. */
export async function generateDlrExport(path, rows, addresses) {
  mkdirSync(join(path, '..'), { recursive: true });
  const out = createWriteStream(path);
  out.write('Identifier,CallerName,CallbackNumber,PreferredLanguage,HouseNumber,StreetName,StreetSuffix,AddressLine2,City,StateCode,Zip,Country\n');
  for (let i = 0; i < rows; i++) {
    const a = i % addresses;
    const [city, state, zip] = CITIES[a % CITIES.length];
    const country = state === 'ON' || state === 'QC' ? 'CA' : 'US';
    const callback = `${[919, 617, 312, 303, 206, 512, 416, 514][a % 8]}555${String(2000 + (i % 8000)).padStart(4, '0')}`;
    const bad = i % 100 === 99;
    const line = [
      `EP${String(i).padStart(12, '0')}`,
      `"Desk ${i}, Floor ${a % 40}"`,
      bad ? '555' : callback,
      i % 3 === 0 ? 'fr' : 'en',
      String(100 + Math.floor(a / CITIES.length)),
      `Main ${a % 97}`,
      SUFFIXES[a % SUFFIXES.length],
      `Suite ${a % 500}`,
      city, state, zip, country,
    ].join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** Runs the CLI, sampling the child's peak RSS (VmHWM) from /proc while it runs. */
export function timedCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.resume();
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch { /* the process has ended */ }
    };
    const timer = setInterval(sample, 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peakKb / 1024, stderr });
    });
  });
}

/** Runs the check `runs` times; reports each run and the median with the range (the machine is shared and noisy). */
export async function benchCheck(rows = 1_000_000, runs = 1) {
  const input = join(OUT, `dlr-${rows}.csv`);
  if (!existsSync(input)) await generateDlrExport(input, rows, 2000);
  const result = join(OUT, `dlr-${rows}.result.csv`);
  const all = [];
  for (let i = 0; i < runs; i++) {
    const r = await timedCli(['check', input, '--api', 'dlr', '--out', result, '--quiet']);
    const rate = Math.round(rows / r.seconds);
    const ok = rate >= 100_000 && r.peakMb < 200;
    console.log(`check: ${rows.toLocaleString('en-US')} rows (${(statSync(input).size / 1e6).toFixed(0)} MB) in ${r.seconds.toFixed(1)} s = ${rate.toLocaleString('en-US')} rows/s (target ≥ 100,000); peak RSS ${r.peakMb.toFixed(0)} MB (target < 200 MB); exit ${r.code} ${ok ? 'OK' : 'BELOW TARGET'}`);
    all.push({ rows, seconds: r.seconds, rate, peakMb: r.peakMb, ok });
  }
  const median = (key) => [...all].sort((a, b) => a[key] - b[key])[Math.floor(all.length / 2)][key];
  const range = (key) => `${Math.round(Math.min(...all.map((r) => r[key]))).toLocaleString('en-US')}–${Math.round(Math.max(...all.map((r) => r[key]))).toLocaleString('en-US')}`;
  if (runs > 1) {
    console.log(`check over ${runs} runs: median ${median('rate').toLocaleString('en-US')} rows/s (${range('rate')}), peak RSS median ${median('peakMb').toFixed(0)} MB (${range('peakMb')}); ${all.every((r) => r.ok) ? 'OK' : 'BELOW TARGET'}`);
  }
  return { rows, seconds: median('seconds'), rate: median('rate'), peakMb: median('peakMb'), ok: all.every((r) => r.ok), runs: all };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchCheck(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 1));
}
