// Every sample in samples/ runs here, so the examples cannot rot.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const expected: Record<string, { api: string; valid: number; invalid: number; skipped?: number }> = {
  'dlr-offices.csv': { api: 'dlr', valid: 39, invalid: 11 },
  'dlr-bandwidth-template.csv': { api: 'dlr', valid: 2, invalid: 0 },
  'unified-europe.csv': { api: 'unified', valid: 15, invalid: 3 },
  // A phone system's export as customers send it: Suite and Floor columns, columns esprov does not
  // read, rows appended with other line endings, an empty row, a total line, a lost ZIP zero, a bad callback.
  'dlr-messy-export.csv': { api: 'dlr', valid: 8, invalid: 1, skipped: 3 },
};

describe('samples', () => {
  it('has an expectation for every sample', () => {
    expect(
      readdirSync(join(ROOT, 'samples'))
        .filter((f) => !f.includes('.result.'))
        .sort(),
    ).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('esprov check samples/%s', async (name, e) => {
    const out = join(tempDir(), 'result.csv');
    const run = await runCli(['check', join('samples', name), '--api', e.api, '--out', out]);
    expect(run.code).toBe(e.invalid > 0 ? 1 : 0);
    const rows = readResult(out);
    expect(rows.filter((r) => r.result_status === 'VALID')).toHaveLength(e.valid);
    expect(rows.filter((r) => r.result_status === 'INVALID')).toHaveLength(e.invalid);
    expect(rows.filter((r) => r.result_status === 'SKIPPED')).toHaveLength(e.skipped ?? 0);
    for (const r of rows.filter((x) => x.result_status === 'INVALID')) {
      expect(r.result_error_code).toMatch(/^[A-Z_0-9]+$/);
      expect(r.result_error_message).toMatch(/\.$/);
    }
  });
});
