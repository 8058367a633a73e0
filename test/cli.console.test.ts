// The console as an operator meets it: a profile name in any case, and `status --sandbox` reading
// the store the sandbox runs wrote (#15, first items).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

describe('the console', () => {
  it('--api takes a profile name in any case, and still refuses one that is not a profile in one line', async () => {
    const dir = tempDir();
    const ok = await runCli(['check', join(ROOT, 'samples/dlr-bandwidth-template.csv'), '--api', 'DLR', '--out', join(dir, 'a.csv'), '-q']);
    expect(ok.code).toBe(0);
    expect(readResult(join(dir, 'a.csv')).map((r) => r.result_status)).toEqual(['VALID', 'VALID']);
    const bad = await runCli(['check', join(ROOT, 'samples/dlr-bandwidth-template.csv'), '--api', 'usa', '--out', join(dir, 'b.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('dlr, unified');
  });

  it('status --sandbox reads the store of the --sandbox runs', async () => {
    const dir = tempDir();
    const run = await runCli(['run', join(ROOT, 'samples/dlr-bandwidth-template.csv'), '--api', 'Dlr', '--sandbox', '--out', join(dir, 'r.csv'), '-q'], { cwd: dir });
    expect(run.code).toBe(0);
    const status = await runCli(['status', '--sandbox'], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('sandbox-state.db');
    const plain = await runCli(['status'], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('STATE_NOT_FOUND');
  });
});
