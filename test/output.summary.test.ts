// The end-of-run summary: counts per status and action, top error codes with a sample row, calls by
// kind, retries and 429s, time; as JSON (only ever gaining fields) and as a short table.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Summary, renderSummary, writeSummaryJson } from '../src/output/summary.js';
import { tempDir } from './helpers/cli.js';

function sample(): Summary {
  let t = Date.parse('2025-01-02T03:04:05.000Z');
  const s = new Summary(() => t);
  for (let i = 0; i < 1200; i++) s.add('SUCCESS', 'ADD', '', i + 2, '');
  for (let i = 0; i < 80; i++) s.add('UNCHANGED', 'NONE', '', 1300 + i, '');
  s.add('REJECTED', 'ADD', '12110', 40, 'The address is not valid: correct the street or ZIP and run again.');
  s.add('INVALID', 'NONE', 'FIELD_TOO_LONG', 17, 'CallerName is 61 characters; the limit is 50: shorten it.');
  s.add('INVALID', 'NONE', 'FIELD_TOO_LONG', 18, 'CallerName is 70 characters; the limit is 50: shorten it.');
  s.add('REJECTED', 'ADD', '12110', 22, 'second sample, not shown');
  s.add('PENDING', 'UPDATE', '', 30, '');
  t += 83_400;
  return s;
}

describe('Summary.toJson', () => {
  it('keeps the fields it always had and adds run id, api counters and times', () => {
    const s = sample();
    s.runId = 'run-1';
    s.setApi({ calls: { geocode: 1200, orderPost: 24, orderGet: 80 }, retries: 3, throttled: 2, rateLimitWaitMs: 4100.4, retryWaitMs: 2000 });
    const json = s.toJson('run', 'in.csv', 'out.xlsx', 1);
    expect(json).toMatchObject({
      command: 'run',
      input: 'in.csv',
      output: 'out.xlsx',
      rows: 1285,
      exitCode: 1,
      seconds: 83.4,
      statuses: { SUCCESS: 1200, UNCHANGED: 80, REJECTED: 2, INVALID: 2, PENDING: 1 },
      actions: { ADD: 1202, NONE: 82, UPDATE: 1 },
      calls: { geocode: 1200, orderPost: 24, orderGet: 80 },
      runId: 'run-1',
      api: { calls: { geocode: 1200, orderPost: 24, orderGet: 80 }, totalCalls: 1304, retries: 3, throttled: 2, rateLimitWaitMs: 4100, retryWaitMs: 2000 },
      startedAt: '2025-01-02T03:04:05.000Z',
      finishedAt: '2025-01-02T03:05:28.400Z',
    });
    // Most frequent first; ties by the earliest row; the sample is the first row seen with the code.
    expect(json.topErrors).toEqual([
      { code: 'FIELD_TOO_LONG', count: 2, sampleRow: 17, sampleMessage: 'CallerName is 61 characters; the limit is 50: shorten it.' },
      { code: '12110', count: 2, sampleRow: 40, sampleMessage: 'The address is not valid: correct the street or ZIP and run again.' },
    ]);
    expect(s.count('INVALID')).toBe(2);
  });

  it('names the input and the state store by their absolute paths, beside the input as given', () => {
    const s = sample();
    s.state = 'stores/state.db';
    expect(s.toJson('check', 'in.csv', 'out.csv', 0)).toMatchObject({ input: 'in.csv', inputPath: resolve('in.csv'), state: resolve('stores/state.db') });
    const stdin = new Summary().toJson('run', '-', 'stdin.result.csv', 0);
    expect(stdin.inputPath).toBe('-');
    expect(stdin.state).toBeUndefined();
    // A summary of no input (a refused command line) names none.
    expect(new Summary().toJson('run', '', '', 2).inputPath).toBeUndefined();
  });

  it('starts when the command started, not when the summary was made', () => {
    let t = 5_000;
    const s = new Summary(() => t, 1_000);
    t = 7_000;
    expect(s.toJson('run', 'in.csv', 'out.csv', 0)).toMatchObject({ startedAt: '1970-01-01T00:00:01.000Z', seconds: 6 });
  });

  it('has no api block when only calls were set, the way callers did before', () => {
    const s = sample();
    s.calls = { geocode: 5, retries: 1, throttled: 1 };
    const json = s.toJson('run', 'in.csv', 'out.csv', 1);
    expect(json.api).toBeUndefined();
    expect(json.runId).toBeUndefined();
    expect(renderSummary(json)).toMatch(/calls +5 \(geocode 5\)\n +retries +1 \(1 answered 429\)/);
  });

  it('is written as JSON to a file', async () => {
    const path = join(tempDir(), 'summary.json');
    const json = sample().toJson('check', 'in.csv', 'out.csv', 1);
    await writeSummaryJson(path, json);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(json);
  });
});

describe('renderSummary', () => {
  it('is a short aligned table: statuses beside actions, top errors with a sample row, calls, time, result', () => {
    const s = sample();
    s.runId = 'run-1';
    s.errorsOutput = 'to-fix.csv';
    s.setApi({ calls: { geocode: 1200, orderPost: 24, orderGet: 80 }, retries: 3, throttled: 2, rateLimitWaitMs: 4100, retryWaitMs: 2000 });
    expect(renderSummary(s.toJson('run', 'in.csv', 'out.xlsx', 1), 120)).toBe(
      [
        'esprov run: 1,285 rows in 1m 23s, exit code 1',
        '  status      rows    action   rows',
        '  SUCCESS    1,200    ADD     1,202',
        '  UNCHANGED     80    UPDATE      1',
        '  PENDING        1    NONE       82',
        '  REJECTED       2',
        '  INVALID        2',
        '',
        '  error code      rows  first row  message',
        '  FIELD_TOO_LONG     2         17  CallerName is 61 characters; the limit is 50: shorten it.',
        '  12110              2         40  The address is not valid: correct the street or ZIP and run again.',
        '',
        '  calls    1,304 (geocode 1,200, orderGet 80, orderPost 24)',
        '  retries  3 (2 answered 429, 2s backing off, 4.1s waiting for the rate limit)',
        '  time     1m 23s',
        '  result   out.xlsx',
        '  to fix   to-fix.csv',
        '  run id   run-1',
        '',
      ].join('\n'),
    );
  });

  it('wraps a long message to at most three lines, the last cut with …, and leaves out calls when none were made', () => {
    const s = new Summary(() => 0);
    s.add('INVALID', 'NONE', 'X', 2, `line one\n${'word '.repeat(40)}`);
    const text = renderSummary(s.toJson('check', 'in.csv', 'out.csv', 1));
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  X '));
    expect(lines[at]).toContain('line one word');
    expect(lines[at + 1]).toMatch(/^ +word word/);
    expect(lines[at + 2]!.endsWith('word…')).toBe(true);
    expect(lines[at + 3]).toBe('');
    expect(text).not.toContain('calls');
    expect(text).toContain('esprov check: 1 row in 0s, exit code 1');
  });
});

describe('every error code', () => {
  it('the JSON lists every code; the table shows ten and says how many more, so its rows add up to the failed rows', () => {
    const s = new Summary(() => 0);
    for (let c = 0; c < 13; c++) for (let i = 0; i <= c; i++) s.add('INVALID', 'NONE', `CODE_${c}`, 100 * c + i + 2, `message ${c}.`);
    s.add('SKIPPED', 'NONE', 'ROW_FOOTER', 9999, 'Line 9999 holds only "Total: 91".');
    const json = s.toJson('check', 'in.csv', 'out.csv', 1);
    expect(json.topErrors.map((e) => e.code)).toHaveLength(13);
    expect(json.topErrors.reduce((n, e) => n + e.count, 0)).toBe(json.statuses.INVALID);
    const text = renderSummary(json);
    expect(text).toContain('CODE_12');
    expect(text).not.toContain('CODE_2 ');
    // The three smallest codes (1 + 2 + 3 rows) are counted, not dropped.
    expect(text).toContain('… and 3 more code(s) on 6 row(s)');
    expect(text).not.toContain('ROW_FOOTER');
  });
});
