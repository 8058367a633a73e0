// {date} and {runId} in --out, --errors-out and --summary-json: the run's local start date and its
// id, so a nightly job keeps each night's files; any other placeholder is refused, never a file
// literally named "{foo}".

import { describe, expect, it } from 'vitest';
import { expandOutName, localDate, tryExpandOutName } from '../src/output/out-name.js';

const STAMP = { runId: '5f0c2a9e-1111-4222-8333-944455556666', startedAt: new Date(2026, 0, 9, 23, 59, 30).getTime() };

describe('expandOutName', () => {
  it('puts the local start date and the run id where the name asks for them, anywhere in the path', () => {
    expect(localDate(STAMP.startedAt)).toBe('2026-01-09');
    expect(expandOutName('--out', 'results/{date}-{runId}.xlsx', STAMP)).toBe(`results/2026-01-09-${STAMP.runId}.xlsx`);
    expect(expandOutName('--summary-json', '{date}/{date}.json', STAMP)).toBe('2026-01-09/2026-01-09.json');
    expect(expandOutName('--out', 'result-{RUNID}.csv', STAMP)).toBe(`result-${STAMP.runId}.csv`);
    expect(expandOutName('--out', 'plain.csv', STAMP)).toBe('plain.csv');
  });

  it('refuses a placeholder it does not know, naming the flag, the placeholder and the ones it knows', () => {
    const refused = (path: string, flag = '--out') => {
      try {
        expandOutName(flag, path, STAMP);
      } catch (err) {
        return err as { code: string; message: string };
      }
      return undefined;
    };
    expect(refused('results/{time}.xlsx')).toMatchObject({ code: 'OUT_INVALID' });
    expect(refused('results/{time}.xlsx')?.message).toBe(
      "--out results/{time}.xlsx: {time} is not a placeholder esprov knows; use {date} (the run's start date, YYYY-MM-DD) or {runId} (the run id), or leave the braces out. Nothing was sent.",
    );
    expect(refused('fix-{date.csv', '--errors-out')?.message).toMatch(/^--errors-out fix-\{date\.csv: \{date\.csv is not a placeholder esprov knows/);
    expect(refused('s}.json', '--summary-json')?.message).toMatch(/^--summary-json s\}\.json: \}\.json is not a placeholder esprov knows/);
    expect(tryExpandOutName('x-{foo}.json', STAMP)).toBeUndefined();
    expect(tryExpandOutName('x-{runId}.json', STAMP)).toBe(`x-${STAMP.runId}.json`);
  });
});
