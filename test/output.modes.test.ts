// Result files (and --errors-out, --summary-json) follow the umask like any file the user writes,
// CSV and xlsx alike; the state store, which holds every row, stays readable by its owner only.

import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, tempDir } from './helpers/cli.js';

const ENV = { ...process.env, BW_USERNAME: 'demo', BW_PASSWORD: 'demo-password', BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

/** The CLI under a known umask (a shell sets it, as cron's would). */
function underUmask(umask: string, args: string[]): Promise<number> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `umask ${umask}; exec '${process.execPath}' '${CLI}' ${quoted}`], { cwd: ROOT, env: ENV, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('file modes', () => {
  it.each([
    ['022', '644'],
    ['077', '600'],
  ])('check under umask %s writes its CSV and xlsx results %s', async (umask, expected) => {
    const dir = tempDir();
    for (const ext of ['csv', 'xlsx']) {
      const args = ['check', 'samples/dlr-offices.csv', '--api', 'dlr', '-q', '--out', join(dir, `r.${ext}`), '--errors-out', join(dir, `e.${ext}`), '--summary-json', join(dir, `s-${ext}.json`)];
      expect(await underUmask(umask, args)).toBe(1); // the sample has INVALID rows
      expect([mode(join(dir, `r.${ext}`)), mode(join(dir, `e.${ext}`)), mode(join(dir, `s-${ext}.json`))]).toEqual([expected, expected, expected]);
    }
  });

  it('run under umask 022: the result is 644, the state store stays 600', async () => {
    const dir = tempDir();
    const args = ['run', 'samples/dlr-bandwidth-template.csv', '--api', 'dlr', '--sandbox', '-q', '--state', join(dir, 'state.db'), '--out', join(dir, 'r.csv'), '--summary-json', join(dir, 's.json')];
    expect(await underUmask('022', args)).toBe(0);
    expect([mode(join(dir, 'r.csv')), mode(join(dir, 's.json')), mode(join(dir, 'state.db'))]).toEqual(['644', '644', '600']);
  });
});
