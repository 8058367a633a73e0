// Benchmark: `esprov check` over generated 1,000,000-row DLR exports of two shapes: "repeating"
// (2,000 addresses in turn) and "scattered" (20,000 addresses scattered through rows sorted by
// Identifier, as a real export is). Prints rows per second, the time against a bare csv-parse →
// csv-stringify pass over the same file measured in the same run (bench/bare.mjs), and peak RSS,
// each beside its bound.
// Usage: node bench/check.mjs [rows] [runs] [shape]; with several runs, the median and the range.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'bench/out');

const CITIES = [
  ['Raleigh', 'NC', '27606'],
  ['Boston', 'MA', '02110'],
  ['Chicago', 'IL', '60606'],
  ['Denver', 'CO', '80202'],
  ['Seattle', 'WA', '98101'],
  ['Austin', 'TX', '78758'],
  ['Toronto', 'ON', 'M5J 2R8'],
  ['Montreal', 'QC', 'H3B 4W5'],
];
const SUFFIXES = ['Street', 'St', 'Drive', 'Ave', 'Boulevard', 'Pkwy'];

/** Row i's address: in turn, or scattered (a fixed pseudo-random permutation of the rows). */
const ADDRESS_OF = {
  repeating: (i, addresses) => i % addresses,
  scattered: (i, addresses) => Number((BigInt(i) * 2654435761n + 97n) % 4294967291n) % addresses,
};

/**
 * A DLR export of `rows` rows over `addresses` distinct addresses; about 1% of rows are invalid.
 * `shape`: "repeating" (the addresses in turn) or "scattered" (each row's address at random).
 */
export async function generateDlrExport(path, rows, addresses, shape = 'repeating') {
  mkdirSync(join(path, '..'), { recursive: true });
  const out = createWriteStream(path);
  out.write('Identifier,CallerName,CallbackNumber,PreferredLanguage,HouseNumber,StreetName,StreetSuffix,AddressLine2,City,StateCode,Zip,Country\n');
  for (let i = 0; i < rows; i++) {
    const a = ADDRESS_OF[shape](i, addresses);
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
      city,
      state,
      zip,
      country,
    ].join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** Runs the CLI, sampling the child's peak RSS (VmHWM) from /proc while it runs. */
export function timedCli(args, env = {}) {
  return timedNode(join(ROOT, 'dist/cli.js'), args, env);
}

/** Runs a Node script, sampling the child's peak RSS (VmHWM) from /proc while it runs. */
export function timedNode(script, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', join(ROOT, 'bench/cpu-report.cjs'), script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let peakKb = 0;
    let stderr = '';
    let cpu = '';
    child.stdio[3].on('data', (d) => {
      cpu += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.resume();
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        /* the process has ended */
      }
    };
    const timer = setInterval(sample, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: Number(cpu) / 1e6, peakMb: peakKb / 1024, stderr });
    });
  });
}

const SHAPES = { repeating: 2_000, scattered: 20_000 };
/** Bounds: rows per second, time against the bare csv-parse pass, peak RSS. */
const BOUNDS = { rate: 100_000, ratio: 1.25, peakMb: 150 };

const fmt = (n) => Math.round(n).toLocaleString('en-US');

/**
 * Runs the check `runs` times on each shape, each run next to a bare csv-parse pass over the same
 * file; reports each run and, with several, the median with the range (the machine is shared and noisy).
 */
export async function benchCheck(rows = 1_000_000, runs = 1, shapes = Object.keys(SHAPES)) {
  const results = {};
  for (const shape of shapes) {
    const input = join(OUT, `dlr-${rows}-${shape}.csv`);
    if (!existsSync(input)) await generateDlrExport(input, rows, SHAPES[shape], shape);
    const result = join(OUT, `dlr-${rows}-${shape}.result.csv`);
    const all = [];
    for (let i = 0; i < runs; i++) {
      const bare = await timedNode(join(ROOT, 'bench/bare.mjs'), [input, join(OUT, `dlr-${rows}-${shape}.bare.csv`)]);
      const r = await timedCli(['check', input, '--api', 'dlr', '--out', result, '--quiet']);
      const rate = rows / r.seconds;
      // The ratio is of CPU time: on a shared machine the wall clock mostly measures the neighbours.
      const ratio = r.cpuSeconds / bare.cpuSeconds;
      const ok = rate >= BOUNDS.rate && ratio <= BOUNDS.ratio && r.peakMb < BOUNDS.peakMb;
      console.log(
        `check ${shape} (${fmt(SHAPES[shape])} addresses): ${fmt(rows)} rows (${(statSync(input).size / 1e6).toFixed(0)} MB) in ${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(1)} s CPU) = ${fmt(rate)} rows/s (bound ≥ ${fmt(BOUNDS.rate)}); ` +
          `${ratio.toFixed(2)}× the CPU time of a bare csv-parse pass (${bare.seconds.toFixed(1)} s, ${bare.cpuSeconds.toFixed(1)} s CPU, ${bare.peakMb.toFixed(0)} MB; bound ≤ ${BOUNDS.ratio}×); peak RSS ${r.peakMb.toFixed(0)} MB (bound < ${BOUNDS.peakMb} MB); exit ${r.code} ${ok ? 'OK' : 'BEYOND BOUND'}`,
      );
      all.push({ rows, seconds: r.seconds, rate, ratio, bareSeconds: bare.seconds, peakMb: r.peakMb, ok });
    }
    const median = (key) => [...all].sort((a, b) => a[key] - b[key])[Math.floor(all.length / 2)][key];
    const range = (key, digits = 0) => `${Math.min(...all.map((r) => r[key])).toFixed(digits)}–${Math.max(...all.map((r) => r[key])).toFixed(digits)}`;
    if (runs > 1) {
      console.log(
        `check ${shape} over ${runs} runs: median ${fmt(median('rate'))} rows/s, ${median('ratio').toFixed(2)}× the bare pass (${range('ratio', 2)}, bound ≤ ${BOUNDS.ratio}×), ` +
          `peak RSS median ${median('peakMb').toFixed(0)} MB (${range('peakMb')}, bound < ${BOUNDS.peakMb} MB); ${all.every((r) => r.ok) ? 'OK' : 'BEYOND BOUND'}`,
      );
    }
    results[shape] = { rows, seconds: median('seconds'), rate: median('rate'), ratio: median('ratio'), peakMb: median('peakMb'), ok: all.every((r) => r.ok), runs: all };
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchCheck(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 1), process.argv[4] ? [process.argv[4]] : undefined);
}
