// Delimited text (CSV, TSV, TXT) → records, streaming. csv-parse reads the quoting; records with
// the wrong number of cells, and a quote that is never closed, become broken records with their
// line instead of stopping the file.

import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { decodeText, type Decoded } from './decode.js';
import { InputError } from './errors.js';
import { isBlank, type InputTable, type RecordItem } from './records.js';
import { sniffDelimiter, type Delimiter } from './sniff.js';

const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

export async function readDelimited(bytes: AsyncIterable<Uint8Array>, fallback: Delimiter): Promise<InputTable> {
  const decoded: Decoded = { encoding: 'utf-8', mixed: false };
  const text = decodeText(bytes, decoded)[Symbol.asyncIterator]();
  // Enough text to sniff the delimiter: the first 64 KiB or the whole input.
  const head: string[] = [];
  let size = 0;
  let done = false;
  while (size < 65536) {
    const next = await text.next();
    if (next.done) { done = true; break; }
    head.push(next.value);
    size += next.value.length;
  }
  const sample = head.join('');
  const delimiter = sniffDelimiter(sample, fallback);
  async function* all(): AsyncGenerator<string> {
    yield sample;
    if (done) return;
    for (let next = await text.next(); !next.done; next = await text.next()) yield next.value;
  }
  const items = parseRecords(all(), delimiter)[Symbol.asyncIterator]();
  let first = await items.next();
  while (!first.done && (first.value.broken !== undefined || isBlank(first.value.cells))) {
    if (first.value.broken !== undefined) {
      throw new InputError('INPUT_UNREADABLE', `The header on line ${first.value.line} could not be read: fix its quoting.`);
    }
    first = await items.next();
  }
  if (first.done) throw new InputError('INPUT_EMPTY', 'The input has no header row and no records.');
  const header = first.value.cells.map((h) => h.trim());
  const width = header.length;
  async function* records(): AsyncGenerator<RecordItem> {
    for (let next = await items.next(); !next.done; next = await items.next()) {
      const item = next.value;
      if (item.broken !== undefined) { yield item; continue; }
      if (isBlank(item.cells)) continue;
      let cells = item.cells;
      // Trailing empty cells (spreadsheets pad rows with delimiters) are not extra data.
      while (cells.length > width && cells[cells.length - 1]?.trim() === '') cells = cells.slice(0, -1);
      if (cells.length !== width) {
        yield { line: item.line, cells, broken: { code: 'RECORD_CELL_COUNT', params: { line: item.line, count: cells.length, expected: width, delimiter: DELIMITER_NAMES[delimiter] } } };
      } else {
        yield { line: item.line, cells };
      }
    }
  }
  return {
    header,
    records: records(),
    describe: () => `${decoded.encoding.toUpperCase()}${decoded.mixed ? ' (mixed with UTF-8)' : ''}, ${DELIMITER_NAMES[delimiter]}-delimited`,
  };
}

/**
 * Line breaks in a raw record: CRLF, LF and lone CR each count once (csv-parse's own line count
 * counts a CRLF inside quotes twice, and its raw text stops before the LF of a final CRLF).
 */
function lineBreaks(raw: string): number {
  let n = 0;
  for (let i = raw.indexOf('\n'); i !== -1; i = raw.indexOf('\n', i + 1)) n++;
  if (raw.includes('\r')) {
    for (let i = raw.indexOf('\r'); i !== -1; i = raw.indexOf('\r', i + 1)) if (raw.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

async function* parseRecords(text: AsyncIterable<string>, delimiter: Delimiter): AsyncGenerator<RecordItem> {
  // Records the parser had to skip, with how many records came before each.
  const skipped: { error: CsvError; after: number }[] = [];
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (err !== undefined) skipped.push({ error: err, after: typeof err.records === 'number' ? err.records : Number.MAX_SAFE_INTEGER });
      return undefined;
    },
  });
  Readable.from(text).pipe(parser);
  let lastLine = 0;
  let count = 0;
  const flushSkipped = function* (upTo: number): Generator<RecordItem> {
    while (skipped.length > 0 && (skipped[0]?.after ?? 0) <= upTo) {
      const { error } = skipped.shift()!;
      const line = lastLine + 1;
      const reason = error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quote opened on this line is never closed, so the rest of the file could not be read'
        : error.message.replace(/\s+at line \d+.*$/, '');
      lastLine = Number.MAX_SAFE_INTEGER - 1;
      yield { line, cells: [], broken: { code: 'RECORD_UNPARSEABLE', params: { line, reason } } };
    }
  };
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    yield* flushSkipped(count);
    count++;
    const line = lastLine + 1;
    const breaks = lineBreaks(raw);
    lastLine = line - 1 + breaks + (raw.endsWith('\n') || raw.endsWith('\r') ? 0 : 1);
    yield { line, cells: record };
  }
  yield* flushSkipped(Number.MAX_SAFE_INTEGER);
}
