// What a run prints is esprov's own words: many orders followed at once (a unified run of more than
// ten orders) once printed node's "MaxListenersExceededWarning: Possible EventTarget memory leak"
// — every order waiting between reads listens for a stop signal, which is no leak.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResult, runCli, tempDir } from './helpers/cli.js';

describe('a run with many orders in flight', () => {
  it('prints no node warning', async () => {
    const dir = tempDir();
    const out = join(dir, 'result.csv');
    const r = await runCli(['run', 'samples/unified-europe.csv', '--api', 'unified', '--sandbox', '--state', join(dir, 'state.db'), '--out', out, '--chunk-size', '1']);
    expect(r.code).toBe(1); // the sample has rows the API refuses
    // More than ten endpoint orders were followed at the same time.
    expect(
      new Set(
        readResult(out)
          .map((row) => row.result_order_id)
          .filter((id) => id !== ''),
      ).size,
    ).toBeGreaterThan(10);
    expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|Warning:|\(node:\d+\)/);
  });
});

describe('output piped to a reader that stops early', () => {
  it('ends quietly with 141, as SIGPIPE would, and no "unexpected error: write EPIPE"', async () => {
    // `esprov --help | head -0`: the reader is gone before esprov writes.
    const child = spawn(process.execPath, ['dist/cli.js', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});
