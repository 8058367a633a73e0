// A run killed at any instant (SIGKILL) and started again completes the work, loses no ID and
// creates nothing twice: the sandbox's ledger is the proof.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { CLI, ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { ...process.env, BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

function args(sandbox: Sandbox, account: string, dir: string): string[] {
  return ['run', 'samples/dlr-offices.csv', '--api', 'dlr', '--account', account, '--base-url', `${sandbox.url}/api`,
    '--state', join(dir, 'state.db'), '--out', join(dir, 'result.csv'), '--concurrency', '4', '--chunk-size', '5', '--rate', '0', '-q'];
}

/** Starts the CLI and kills it with SIGKILL after `ms` (or lets it finish first). */
function killAfter(argv: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...argv], { cwd: ROOT, env: ENV, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => { clearTimeout(timer); resolve(); });
  });
}

describe('crash safety', () => {
  let sandbox: Sandbox;
  beforeAll(async () => { sandbox = await startSandbox({ latencyMs: 25, seed: 9 }); });
  afterAll(async () => { await sandbox.close(); });

  it.each([150, 300, 450, 600, 800, 1000, 1300, 1700])('killed after %i ms, then run again: every row final, nothing twice', async (ms) => {
    const account = `crash${ms}`;
    const dir = tempDir();
    await killAfter(args(sandbox, account, dir), ms);
    // A second kill at another point of the resumed run, then a run to the end.
    await killAfter(args(sandbox, account, dir), ms / 2);
    const final = await runCli(args(sandbox, account, dir), { env: ENV });
    expect(final.code).toBe(1);
    const rows = readResult(join(dir, 'result.csv'));
    expect(rows).toHaveLength(50);
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.result_status!] = (counts[r.result_status!] ?? 0) + 1;
    // What the killed runs provisioned shows as SUCCESS (their runs never finished), never PENDING.
    expect((counts.SUCCESS ?? 0) + (counts.UNCHANGED ?? 0)).toBe(37);
    expect(counts.REJECTED).toBe(2);
    expect(counts.INVALID).toBe(11);
    const ledger = sandbox.ledger().accounts[account]!.dlr;
    expect(Object.keys(ledger.aeuis)).toHaveLength(37);
    const twice = (m: Record<string, number>) => Object.entries(m).filter(([, n]) => n > 1);
    expect(twice(ledger.identifierSubmissions)).toEqual([]);
    expect(twice(ledger.locationIdSubmissions)).toEqual([]);
    expect(ledger.duplicateCustomerOrderIds).toEqual({});
  });

  it('a second run on the same state while one is running is refused, and does not corrupt it', async () => {
    const slow = await startSandbox({ latencyMs: 200, seed: 10 });
    try {
      const dir = tempDir();
      const first = runCli(args(slow, 'lock1', dir), { env: ENV });
      await new Promise((r) => setTimeout(r, 700));
      const second = await runCli(args(slow, 'lock1', dir), { env: ENV });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/Another esprov run .* is using the state store/);
      expect((await first).code).toBe(1);
      expect(readResult(join(dir, 'result.csv')).filter((r) => r.result_status === 'SUCCESS')).toHaveLength(37);
    } finally {
      await slow.close();
    }
  });
});
