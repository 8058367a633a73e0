// Inputs a customer really sends, through the real CLI: line endings mixed in one file, files that
// are not text at all, and workbooks written by other programs than Excel.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, readResult, runCli, tempDir } from './helpers/cli.js';

async function check(input: string, ...flags: string[]): Promise<{ code: number; stderr: string; rows: Record<string, string>[] }> {
  const out = join(tempDir(), 'result.csv');
  const run = await runCli(['check', input, '--api', 'dlr', '--out', out, ...flags]);
  return { code: run.code, stderr: run.stderr, rows: existsSync(out) ? readResult(out) : [] };
}

/** The lines of a three-row fixture, without their line endings. */
const lines = readFileSync(fixture('input', 'utf8-semicolon.csv'), 'utf8').split(/\r\n|\n|\r/).filter((l) => l !== '');

describe('esprov check: line endings', () => {
  it.each([
    ['CRLF header, LF rows (rows appended to an Excel export)', `${lines[0]}\r\n${lines.slice(1).join('\n')}\n`],
    ['LF header, CRLF rows', `${lines[0]}\n${lines.slice(1).join('\r\n')}\r\n`],
    ['CR only', `${lines.join('\r')}\r`],
    ['every ending in turn', `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3]}`],
  ])('%s: every row is read, its cells without a stray CR', async (_, text) => {
    const input = join(tempDir(), 'mixed.csv');
    writeFileSync(input, text);
    const { code, rows } = await check(input);
    expect(rows.map((r) => [r.result_row, r.result_status, r.result_error_code])).toEqual([
      ['2', 'VALID', ''],
      ['3', 'VALID', ''],
      ['4', 'VALID', ''],
    ]);
    expect(rows.map((r) => r.Country)).toEqual(['CA', 'US', 'US']);
    expect(rows[2]?.CallerName).toBe('Lab "Blue" Phone');
    expect(code).toBe(0);
  });

  it('a stray quote in a file of mixed endings still names the lines it ran together', async () => {
    const input = join(tempDir(), 'stray.csv');
    const stray = readFileSync(fixture('input', 'stray-quote.csv'), 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(input, `${stray[0]}\r\n${stray.slice(1).join('\n')}\n`);
    const { rows } = await check(input);
    expect(rows.map((r) => [r.result_row, r.result_status])).toEqual([['2', 'INVALID'], ['3', 'INVALID'], ['4', 'INVALID'], ['5', 'VALID']]);
    expect(rows[0]?.result_error_message).toBe('Line 2 could not be read (a quote opened on line 2 runs lines 2 to 4 together): fix the quoting on that line and run again.');
  });
});
