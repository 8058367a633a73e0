// A second run on the same state store while one runs is refused. (Kills at given calls, with the
// ledger as proof that nothing was created twice, are in crash.points.test.ts.)

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { ...process.env, BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

function args(sandbox: Sandbox, account: string, dir: string): string[] {
  return [
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
    '--concurrency',
    '4',
    '--chunk-size',
    '5',
    '--rate',
    '0',
    '-q',
  ];
}

describe('crash safety', () => {
  it('a second run on the same state while one is running is refused, and does not corrupt it', async () => {
    const slow = await startSandbox({ latencyMs: 200, seed: 10 });
    try {
      const dir = tempDir();
      const first = runCli(args(slow, 'lock1', dir), { env: ENV, spawn: true });
      await new Promise((r) => setTimeout(r, 700));
      const second = await runCli(args(slow, 'lock1', dir), { env: ENV, spawn: true });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/Another esprov run .* is using the state store/);
      expect((await first).code).toBe(1);
      expect(readResult(join(dir, 'result.csv')).filter((r) => r.result_status === 'SUCCESS')).toHaveLength(37);
    } finally {
      await slow.close();
    }
  });
});
