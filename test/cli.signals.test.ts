// SIGTERM or SIGINT stops a run cleanly: nothing new is sent, calls in flight end, the result (one
// row per input row, the unfinished ones PENDING) and the summary are written, the exit code is 143
// or 130; the next run finishes the work and sends nothing twice. Temporary files a killed run
// left are removed by the next run.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox, type SandboxCall } from '../src/sandbox/index.js';
import { CLI, ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { ...process.env, NO_COLOR: '1', BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

describe('a clean stop on SIGTERM / SIGINT', () => {
  let sandbox: Sandbox;
  let onCall: ((call: SandboxCall) => void) | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 51, latencyMs: 20, onCall: (c) => onCall?.(c) });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const argv = (account: string, dir: string) => [
    'run',
    'samples/dlr-offices.csv',
    '--api',
    'dlr',
    '--account',
    account,
    '--base-url',
    `${sandbox.url}/api`,
    '--state',
    join(dir, 'state.db'),
    '--out',
    join(dir, 'result.csv'),
    '--summary-json',
    join(dir, 'summary.json'),
    '--chunk-size',
    '5',
    '--concurrency',
    '2',
    '--rate',
    '0',
    '--request-timeout',
    '3s',
  ];

  /** Runs the CLI and sends `signal` right after the first call of `kind` for the account. */
  function runAndSignal(args: string[], account: string, kind: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; signalled: boolean }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let signalled = false;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      onCall = (call) => {
        if (signalled || call.account !== account || call.kind !== kind) return;
        signalled = true;
        child.kill(signal);
      };
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        onCall = undefined;
        resolve({ code, stderr, signalled });
      });
    });
  }

  it.each([
    ['SIGTERM', 143, 'dlr.order.post'],
    ['SIGINT', 130, 'dlr.geocode'],
  ] as const)('%s: exit %i, the result and summary written, the next run finishes without sending twice', async (signal, exitCode, kind) => {
    const account = `sig-${signal}`;
    const dir = tempDir();
    const stopped = await runAndSignal(argv(account, dir), account, kind, signal);
    expect(stopped.signalled).toBe(true);
    expect(stopped.code).toBe(exitCode);
    expect(stopped.stderr).toContain(`esprov: ${signal}: sending nothing new`);
    expect(stopped.stderr).toContain(`esprov: stopped (${signal}): run the same file again, or esprov reconcile, to finish`);
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    const rows = readResult(join(dir, 'result.csv'));
    expect(rows).toHaveLength(50);
    const pending = rows.filter((r) => r.result_status === 'PENDING');
    expect(pending.length).toBeGreaterThan(0); // the stop came before the work was done
    for (const r of pending) expect(['STOPPED', 'ORDER_PENDING']).toContain(r.result_error_code);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toMatchObject({ exitCode });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The next run finishes: every row final, nothing created twice.
    const again = await runCli(argv(account, dir), { env: ENV });
    expect(again.code).toBe(1); // the sample's INVALID and REJECTED rows
    const final = readResult(join(dir, 'result.csv'));
    expect(final.filter((r) => r.result_status === 'PENDING')).toEqual([]);
    expect(final.filter((r) => r.result_status === 'SUCCESS' || r.result_status === 'UNCHANGED')).toHaveLength(37);
    const ledger = sandbox.ledger().accounts[account]!.dlr;
    expect(Object.entries(ledger.identifierSubmissions).filter(([, n]) => n > 1)).toEqual([]);
    expect(Object.entries(ledger.locationIdSubmissions).filter(([, n]) => n > 1)).toEqual([]);
  });

  it('the next run removes the temporary files a killed run left beside the result, and only those', async () => {
    const dir = tempDir();
    const out = join(dir, 'result.csv');
    const dead = 2_147_483_000; // no such process
    writeFileSync(`${out}.${dead}.tmp`, 'half a result');
    writeFileSync(`${out}.${dead}.rows.tmp`, 'rows with names and numbers');
    writeFileSync(`${out}.${process.pid}.rows.tmp`, "a live process's file");
    // Its own process: the file of this (live) test process is another process's.
    const r = await runCli(argv('sig-stale', dir), { env: ENV, spawn: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('removed 2 temporary file(s) a killed run left beside the result');
    expect(existsSync(`${out}.${dead}.tmp`)).toBe(false);
    expect(existsSync(`${out}.${dead}.rows.tmp`)).toBe(false);
    expect(existsSync(`${out}.${process.pid}.rows.tmp`)).toBe(true);
  });
});
