// Delimited text (CSV, TSV, TXT) → records, streaming. csv-parse reads the quoting; records with
// the wrong number of cells, and a quote that is never closed, become broken records with their
// line instead of stopping the file.

import { isAscii } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { toUtf8, type Decoded } from './decode.js';
import { InputError } from './errors.js';
import { isBlank, isNoRecord, type InputTable, type RecordItem } from './records.js';
import { RECORD_DELIMITERS, scanRecords, type ScannedRecord } from './scan.js';
import { sniffDelimiter, type Delimiter } from './sniff.js';

const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** `name` names the input in messages (its path, or standard input). */
export async function readDelimited(bytes: AsyncIterable<Uint8Array>, fallback: Delimiter, name = 'The input'): Promise<InputTable> {
  const decoded: Decoded = { encoding: 'utf-8', mixed: false };
  const chunks = toUtf8(bytes, decoded, name)[Symbol.asyncIterator]();
  // Enough text to sniff the delimiter: the first 64 KiB or the whole input.
  const head: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < 65536) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const delimiter = sniffDelimiter(Buffer.concat(head).toString('utf8'), fallback);
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* head;
    if (done) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  const parsed = parseRecords(all(), delimiter)[Symbol.asyncIterator]();
  // The header is the first record with content; records after it in its batch are kept.
  let header: string[] | undefined;
  let rest: RecordItem[] = [];
  while (header === undefined) {
    const next = await parsed.next();
    if (next.done) throw new InputError('INPUT_EMPTY', 'The input has no header row and no records.');
    const at = next.value.findIndex((item) => item.broken !== undefined || !isBlank(item.cells));
    if (at === -1) continue;
    const first = next.value[at]!;
    if (first.broken !== undefined) {
      throw new InputError('INPUT_UNREADABLE', `The header on line ${first.line} could not be read: fix its quoting.`);
    }
    header = first.cells.map((h) => h.trim());
    rest = next.value.slice(at + 1);
  }
  const width = header.length;
  const pending = rest;
  const batches: AsyncIterator<RecordItem[]> = (async function* () {
    if (pending.length > 0) yield pending;
    for (let next = await parsed.next(); !next.done; next = await parsed.next()) yield next.value;
  })();
  const checkWidth = (item: RecordItem): RecordItem | undefined => {
    if (item.broken !== undefined) return item;
    if (isNoRecord(item.cells)) return undefined;
    let cells = item.cells;
    // Trailing empty cells (spreadsheets pad rows with delimiters) are not extra data.
    while (cells.length > width && cells[cells.length - 1]?.trim() === '') cells = cells.slice(0, -1);
    if (cells.length === width) return item.raw === undefined ? item : { line: item.line, cells: item.cells };
    return { line: item.line, cells, broken: { code: 'RECORD_CELL_COUNT', params: { line: item.line, count: cells.length, expected: width, delimiter: DELIMITER_NAMES[delimiter] } } };
  };
  /**
   * A record over several lines with the wrong cell count is almost always a stray quote that ran
   * lines together: each of those lines becomes its own INVALID row, so none is lost.
   */
  const d = delimiter === '|' ? '\\|' : delimiter;
  const recordLike = new RegExp(`[\\r\\n][^\\r\\n]*${d}[^\\r\\n]*${d}`);
  /** A quoted cell whose later lines hold delimiters of their own: other records swallowed by a stray quote. */
  const runaway = (cells: readonly string[]): boolean => cells.some((c) => recordLike.test(c));
  const splitBroken = (item: RecordItem): RecordItem[] => {
    const lines = item.raw!.replace(/\r?\n$|\r$/, '').split(/\r\n|\n|\r/);
    const last = item.line + lines.length - 1;
    return lines.map((text, i) => ({
      line: item.line + i,
      cells: text.split(delimiter),
      broken: { code: 'RECORD_UNPARSEABLE', params: { line: item.line + i, reason: `a quote opened on line ${item.line} runs lines ${item.line} to ${last} together` } },
    }));
  };
  async function* records(): AsyncGenerator<RecordItem[]> {
    // The first batch may hold records after the header.
    for (let next = await batches.next(); !next.done; next = await batches.next()) {
      const out: RecordItem[] = [];
      for (const item of next.value) {
        const checked = checkWidth(item);
        if (checked === undefined) continue;
        if (item.raw !== undefined && (checked.broken?.code === 'RECORD_CELL_COUNT' || runaway(item.cells))) out.push(...splitBroken(item));
        else out.push(checked);
      }
      if (out.length > 0) yield out;
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

/** How far the records read so far reach: their count and the last input line they cover. */
interface Progress {
  count: number;
  lastLine: number;
}

const BATCH = 256;
/** Bytes of one unfinished record past which csv-parse reads it (and the rest of the input). */
const LONG_RECORD = 1 << 20;

/**
 * Delimited text → records, in batches. The fast scanner reads the common shape of records;
 * from the first record it is not sure of, csv-parse reads the rest, so both give the same records.
 * The bytes are valid UTF-8 (toUtf8), and a BOM left in them is text, as csv-parse keeps it.
 */
export async function* parseRecords(chunks: AsyncIterable<Uint8Array>, delimiter: Delimiter): AsyncGenerator<RecordItem[]> {
  const source = chunks[Symbol.asyncIterator]();
  const progress: Progress = { count: 0, lastLine: 0 };
  const separator = delimiter.charCodeAt(0);
  // The bytes not yet read as records: the start of a record cut by the end of a chunk.
  let bytes: Buffer = Buffer.alloc(0);
  let eof = false;
  let unsure = false;
  const scanned: ScannedRecord[] = [];
  while (!unsure) {
    const next = await source.next();
    if (next.done) eof = true;
    else bytes = bytes.length === 0 ? asBuffer(next.value) : Buffer.concat([bytes, next.value]);
    // Decoded once for every scan of these bytes (a scan reads at most BATCH records of them).
    const ascii = isAscii(bytes) ? bytes.toString('latin1') : undefined;
    let at = 0;
    for (;;) {
      scanned.length = 0;
      const result = scanRecords(bytes, at, separator, scanned, BATCH, ascii);
      at = result.next;
      unsure = result.unsure;
      if (scanned.length > 0) yield scanned.map((r) => recordOf(r.cells, r.raw, progress));
      if (scanned.length < BATCH) break;
    }
    bytes = bytes.subarray(at);
    // What is left at the end (a last line without a line break, an unclosed quote) csv-parse reads,
    // and a record longer than LONG_RECORD (scanning it again for each chunk would be quadratic).
    if (eof || bytes.length > LONG_RECORD) {
      unsure = bytes.length > 0;
      break;
    }
  }
  if (!unsure) return;
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (bytes.length > 0) yield bytes;
    if (eof) return;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  }
  yield* parseWithCsvParse(rest(), delimiter, progress);
}

const asBuffer = (chunk: Uint8Array): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));

/** One record and the input lines it covers; without its raw text, a record is one line. */
function recordOf(cells: string[], raw: string | undefined, progress: Progress): RecordItem {
  progress.count++;
  const line = progress.lastLine + 1;
  if (raw === undefined) {
    progress.lastLine = line;
    return { line, cells };
  }
  const breaks = lineBreaks(raw);
  const last = raw.charCodeAt(raw.length - 1);
  const endsWithBreak = last === 10 || last === 13;
  progress.lastLine = line - 1 + breaks + (endsWithBreak ? 0 : 1);
  // Only a record over several lines keeps its raw text (to be split back if a stray quote made it).
  return breaks > (endsWithBreak ? 1 : 0) ? { line, cells, raw } : { line, cells };
}

export async function* parseWithCsvParse(text: AsyncIterable<Uint8Array>, delimiter: Delimiter, progress: Progress): AsyncGenerator<RecordItem[]> {
  // Records the parser had to skip, with how many records came before each.
  const skipped: { error: CsvError; after: number }[] = [];
  const before = progress.count;
  const parser = parse({
    delimiter,
    record_delimiter: RECORD_DELIMITERS,
    relax_column_count: true,
    relax_quotes: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      if (err !== undefined) skipped.push({ error: err, after: typeof err.records === 'number' ? before + err.records : Number.MAX_SAFE_INTEGER });
      return undefined;
    },
  });
  const source = Readable.from(text);
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  const takeSkipped = (upTo: number, out: RecordItem[]): void => {
    while (skipped.length > 0 && (skipped[0]?.after ?? 0) <= upTo) {
      const { error } = skipped.shift()!;
      const line = progress.lastLine + 1;
      const reason = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote opened on this line is never closed, so the rest of the file could not be read' : error.message.replace(/\s+at line \d+.*$/, '');
      progress.lastLine = Number.MAX_SAFE_INTEGER - 1;
      out.push({ line, cells: [], broken: { code: 'RECORD_UNPARSEABLE', params: { line, reason } } });
    }
  };
  let ended = false;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  parser.on('readable', () => wake?.());
  parser.on('end', () => {
    ended = true;
    wake?.();
  });
  parser.on('error', (err) => {
    failed = err;
    wake?.();
  });
  for (;;) {
    // Everything the parser has ready is one batch: far fewer awaits than one per record.
    const batch: RecordItem[] = [];
    for (let r = parser.read() as { record: string[]; raw: string } | null; r !== null; r = parser.read() as typeof r) {
      takeSkipped(progress.count, batch);
      batch.push(recordOf(r.record, r.raw, progress));
      if (batch.length >= BATCH) break;
    }
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    if (failed !== undefined) throw failed;
    if (ended) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  const tail: RecordItem[] = [];
  takeSkipped(Number.MAX_SAFE_INTEGER, tail);
  if (tail.length > 0) yield tail;
}
