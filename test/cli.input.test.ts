// Inputs a customer really sends, through the real CLI: line endings mixed in one file, files that
// are not text at all, and workbooks written by other programs than Excel.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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

/** No control character but the line break that ends a message. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Deterministic bytes that look like nothing in particular (a hash chain). */
function noise(length: number): Buffer {
  const out: Buffer[] = [];
  let block = createHash('sha256').update('esprov').digest();
  for (let n = 0; n < length; n += block.length) { out.push(block); block = createHash('sha256').update(block).digest(); }
  return Buffer.concat(out).subarray(0, length);
}

describe('esprov check: an input that is not text', () => {
  const text = readFileSync(fixture('input', 'utf8-semicolon.csv'));
  it.each([
    ['gzip', () => gzipSync(text), 'is a gzip-compressed file: unpack it first'],
    ['xlsx renamed .csv', () => Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000'), Buffer.from('[Content_Types].xml'), noise(2000)]), 'is an Excel workbook (a zip of .xlsx parts), not CSV text: name it .xlsx, or save it from Excel as CSV'],
    ['zip', () => Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000'), Buffer.from('export/acme.csv'), noise(2000)]), 'is a zip archive: unpack it first'],
    ['PDF', () => Buffer.concat([Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'), noise(2000)]), 'is a PDF document, not a spreadsheet: export the data as CSV'],
    ['PNG', () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(2000)]), 'is a PNG image, not a spreadsheet'],
    ['JPEG', () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise(2000)]), 'is a JPEG image'],
    ['GIF', () => Buffer.concat([Buffer.from('GIF89a'), noise(2000)]), 'is a GIF image'],
    ['random bytes', () => noise(3000), 'is binary data, not text: save it as CSV (UTF-8) or .xlsx'],
  ])('%s: exit 2, one line saying what it is and what to do, none of its bytes', async (_, bytes, says) => {
    const input = join(tempDir(), 'export.csv');
    writeFileSync(input, bytes());
    const { code, stderr, rows } = await check(input);
    expect(code).toBe(2);
    expect(stderr).toContain(`${input} ${says}`);
    expect(stderr).toContain('[INPUT_FORMAT]');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(CONTROL);
    expect(rows).toEqual([]);
  });

  it('says so for standard input too', async () => {
    const run = await runCli(['check', '-', '--api', 'dlr', '--out', join(tempDir(), 'out.csv')], { input: gzipSync(text) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Standard input is a gzip-compressed file');
  });

  it.each([
    ['utf-16le', 'UTF-16LE'],
    ['utf-16be', 'UTF-16BE'],
  ] as const)('reads %s without a BOM by its zero bytes', async (encoding, described) => {
    const input = join(tempDir(), 'unicode.txt');
    const le = Buffer.from(text.toString('utf8'), 'utf16le');
    writeFileSync(input, encoding === 'utf-16le' ? le : le.swap16());
    const { code, stderr, rows } = await check(input);
    expect(stderr).toContain(`${described}, semicolon`);
    expect(rows.map((r) => r.result_status)).toEqual(['VALID', 'VALID', 'VALID']);
    expect(rows[0]?.CallerName).toBe('Café Montréal');
    expect(code).toBe(0);
  });

  it('shows a header cell without its control characters', async () => {
    const input = join(tempDir(), 'odd-header.csv');
    writeFileSync(input, 'Ident\u0007ifier,Caller\u001b[31mName,Phone\u0000\nx,y,z\n');
    const { code, stderr } = await check(input);
    expect(code).toBe(2);
    expect(stderr).toContain('[HEADER_MISSING_FIELD]');
    expect(stderr).toContain('its columns are: Ident\\x07ifier, Caller\\x1b[31mName, Phone\\x00)');
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
