// The fast record scanner must read every input exactly as csv-parse alone does: the same cells,
// line numbers, raw text and broken records, however the bytes arrive in chunks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecords, parseWithCsvParse } from '../src/input/csv.js';
import type { RecordItem } from '../src/input/records.js';
import { scanRecords, type ScannedRecord } from '../src/input/scan.js';
import type { Delimiter } from '../src/input/sniff.js';

async function* chunked(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b)) {
    if (cut > at) {
      yield bytes.subarray(at, cut);
      at = cut;
    }
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function all(batches: AsyncIterable<RecordItem[]>): Promise<RecordItem[]> {
  const out: RecordItem[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

const pieces = fc.constantFrom('a', 'bc', 'Café', '日本', ',', ';', '"', '""', '\r', '\n', '\r\n', ' ', '\t', '|', '\ufeff', '\u0000');
const texts = fc.array(pieces, { maxLength: 60 }).map((p) => p.join(''));
/** Mostly well-formed CSV, so the fast path is really exercised before any odd record. */
const cell = fc.oneof(
  fc.constantFrom('', 'x', 'Main St', 'Café', '12'),
  fc.array(pieces, { maxLength: 6 }).map((p) => `"${p.join('').replace(/"/g, '""')}"`),
  fc.array(pieces, { maxLength: 4 }).map((p) => p.join('')),
);
const eols = fc.constantFrom('\n', '\r\n', '\r');
const csvs = fc
  .tuple(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), eols, fc.boolean())
  .map(([rows, eol, last]) => rows.map((r) => r.join(',')).join(eol) + (last ? eol : ''));
/** Each record with its own line ending: rows appended to an export written elsewhere. */
const mixedCsvs = fc.array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 4 }), eols), { maxLength: 12 }).map((rows) => rows.map(([r, eol]) => r.join(',') + eol).join(''));
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });
const delimiters = fc.constantFrom<Delimiter>(',', ';', '\t', '|');

async function same(text: string, cutsAt: readonly number[], delimiter: Delimiter): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const fast = await all(parseRecords(chunked(bytes, cutsAt), delimiter));
  const reference = await all(parseWithCsvParse(chunked(bytes, []), delimiter, { count: 0, lastLine: 0 }));
  expect(fast).toEqual(reference);
}

describe('record scanner', () => {
  it('reads random text exactly as csv-parse does', async () => {
    await fc.assert(fc.asyncProperty(texts, cuts, delimiters, same), { numRuns: 600 });
  });

  it('reads mostly well-formed CSV exactly as csv-parse does', async () => {
    await fc.assert(
      fc.asyncProperty(csvs, cuts, (text, at) => same(text, at, ',')),
      { numRuns: 600 },
    );
  });

  it('reads CSV whose records end differently from one another exactly as csv-parse does', async () => {
    await fc.assert(
      fc.asyncProperty(mixedCsvs, cuts, (text, at) => same(text, at, ',')),
      { numRuns: 600 },
    );
  });

  it.each([
    ['a,b\r\nc,d\ne,f\n'],
    ['a,b\nc,d\r\ne,f\r\n'],
    ['a,b\rc,d\re,f\r'],
    ['a,b\r\nc,"d\ne"\rf,g\n'],
    ['a,b\nc,d\n'],
    ['a,b\r\n"c\r\nd",e\r\n'],
    ['a,b\n"c"x,d\ne,f\n'],
    ['a,b\nc,"d\ne,f\n'],
    ['a,b\nc,d'],
    ['"a",b\nc,d\n'],
    ['a,b\r\nc\rd,e\r\n'],
    ['a,b\n5" tall,x\n'],
    ['a,b\n\n\nc,d\n'],
    [''],
  ])('reads %j as csv-parse does', async (text) => {
    await same(text, [0.3, 0.6], ',');
  });

  it('leaves a record over 1 MiB (and a first line as long) to csv-parse, reading it the same', async () => {
    const big = 'x'.repeat((1 << 20) + 4096);
    const cuts = Array.from({ length: 60 }, (_, i) => i / 60);
    await same(`a,b\nc,"${big}\n${big}"\nd,e\n`, cuts, ',');
    await same(`${big},b\nc,d\n`, cuts, ',');
  });

  it('ends each record at CRLF, LF or CR, whichever it uses: no cell keeps a line break', async () => {
    const text = 'a,b\r\nc,d\ne,f\rg,"h\r\ni"\ny,z';
    for (const at of [[], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]]) {
      const records = await all(parseRecords(chunked(Buffer.from(text), at), ','));
      expect(records.map((r) => [r.line, r.cells, r.broken])).toEqual([
        [1, ['a', 'b'], undefined],
        [2, ['c', 'd'], undefined],
        [3, ['e', 'f'], undefined],
        [4, ['g', 'h\r\ni'], undefined],
        [6, ['y', 'z'], undefined],
      ]);
    }
  });

  it('stops before an incomplete record and at an irregular quote; keeps raw text only where lines are counted from it', () => {
    const out: ScannedRecord[] = [];
    const scan = (text: string) => scanRecords(Buffer.from(text), 0, 44, out, 10, text);
    expect(scan('a,"b\nc')).toEqual({ next: 0, unsure: false });
    expect(scan('a,b\r')).toEqual({ next: 0, unsure: false });
    expect(scan('a,b\n"c",d\n"e\nf",g\n"c"d,e\n')).toEqual({ next: 18, unsure: true });
    expect(out).toEqual([
      { cells: ['a', 'b'], raw: undefined },
      { cells: ['c', 'd'], raw: undefined },
      { cells: ['e\nf', 'g'], raw: '"e\nf",g\n' },
    ]);
  });

  it('decodes each cell on its own, in UTF-8 unless the bytes are ASCII', () => {
    const out: ScannedRecord[] = [];
    scanRecords(Buffer.from('Café,"日本 ""x"""\n'), 0, 44, out, 10, undefined);
    expect(out[0]?.cells).toEqual(['Café', '日本 "x"']);
  });
});
