// Issue 15: a one-word mistake on the command line prints one line (what is wrong, commander's
// suggestion, the hint to --help) and exit 2, never the whole help.

import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('a mistake on the command line', () => {
  it.each([
    ['a misspelled command', ['rn', 'samples/dlr-offices.csv', '--api', 'dlr'], /unknown command 'rn'.*Did you mean run\?/],
    ['a misspelled flag', ['run', 'samples/dlr-offices.csv', '--apii', 'dlr'], /unknown option '--apii'.*Did you mean --api\?/],
    ['a missing argument', ['check', '--api', 'dlr'], /missing required argument 'input'/],
    ['a value outside the choices', ['check', 'samples/dlr-offices.csv', '--api', 'dlx'], /'dlx' is invalid.*dlr, unified/],
  ])('%s: one line, the hint to --help, exit 2', async (_what, args, says) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(says);
    expect(lines[0]).toMatch(/--help.*\[USAGE_INVALID\]$/);
    expect(r.stdout).toBe('');
  });
});
