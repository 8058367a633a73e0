// Where the overlap benchmark's wall time goes: runs the 4,000-row / 400-address dlr run of
// `bench/run.mjs overlap` (50 ms latency, --concurrency 16) and prints when each kind of call
// started and ended, from the CLI's own log. With --cpu-prof, also writes a V8 CPU profile of the
// CLI to bench/out/ (open it in Chrome DevTools).
//   npm run build && node bench/timeline.mjs [--cpu-prof] [--keep]

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDlrExport } from './check.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const { startSandbox, DEMO_CREDENTIALS } = await import(join(ROOT, 'dist/sandbox/index.js'));
const profile = process.argv.includes('--cpu-prof');
// --keep: leave the run's files (its log, state and result) for a closer look.
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(join(tmpdir(), 'esprov-timeline-'));
const input = join(dir, 'export.csv');
await generateDlrExport(input, 4_000, 400);
const sandbox = await startSandbox({ latencyMs: 50, seed: 5 });
const log = join(dir, 'run.log');
const args = ['run', input, '--api', 'dlr', '--account', '7001', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'state.db')];
args.push('--concurrency', '16', '--rate', '0', '--chunk-size', '100', '--out', join(dir, 'result.csv'), '--log-file', log, '--quiet');
if (profile) mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
const started = Date.now();
const cpu0 = process.cpuUsage();
const { monitorEventLoopDelay } = await import('node:perf_hooks');
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
// The CLI's own CPU time, when GNU time is there to tell it: a run whose CPU time is near its wall
// time is bound by the client's CPU, not by the API.
const cpuTimer = existsSync('/usr/bin/time') ? ['/usr/bin/time', '--quiet', '-f', 'CLI CPU: user %U s, system %S s, wall %e s'] : [];
const node = [process.execPath, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench/out')}`] : []), join(ROOT, 'dist/cli.js'), ...args];
const [command, ...commandArgs] = [...cpuTimer, ...node];
const child = spawn(command, commandArgs, {
  env: { ...process.env, BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' },
  stdio: 'inherit',
});
const code = await new Promise((resolve) => child.on('close', resolve));
const ended = Date.now();
const cpu = process.cpuUsage(cpu0);
await sandbox.close();
console.log(
  `sandbox process CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; its event loop delay mean ${(lag.mean / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`,
);
const at = (t) => `${((t - started) / 1000).toFixed(2)} s`;
const calls = readFileSync(log, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l))
  .filter((l) => l.msg === 'api call');
console.log(`timeline: exit ${code}, wall ${at(ended)}${profile ? ' (CPU profile in bench/out/)' : ''}`);
const kinds = new Map();
for (const c of calls) kinds.set(c.kind, [...(kinds.get(c.kind) ?? []), c]);
for (const [kind, list] of kinds) {
  console.log(
    `  ${kind.padEnd(10)} ${String(list.length).padStart(4)} calls, first sent ${at(Math.min(...list.map((c) => c.time - c.durationMs)))}, last answered ${at(Math.max(...list.map((c) => c.time)))}`,
  );
}
if (keep) console.log(`the run's files (log, state, result): ${dir}`);
else rmSync(dir, { recursive: true, force: true });
