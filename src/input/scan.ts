// A fast scanner for the common shape of delimited text: records csv-parse (with the options
// input/csv.ts gives it) reads the same way whatever its relaxations. It stops at the first record
// it is not sure of; csv-parse reads from there on, so odd quoting is still read exactly as before.
// Each cell is decoded from the bytes on its own, as csv-parse does: a cell kept for long (an
// Identifier in a set) holds only its own text, never the chunk it was read from.

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** csv-parse's record delimiter: the first line break outside quotes decides it for the file. */
export type RecordDelimiter = '\r\n' | '\n' | '\r';

export interface ScannedRecord {
  readonly cells: string[];
  /**
   * The record's raw text as csv-parse's `raw` gives it (up to the first character of its
   * delimiter), when it is needed to count its lines: only a record with a quoted cell or a line
   * break inside a cell has it; any other record is one line.
   */
  readonly raw: string | undefined;
}

export type Discovery =
  | { readonly kind: 'found'; readonly delimiter: RecordDelimiter }
  /** More bytes are needed to tell. */
  | { readonly kind: 'wait' }
  /** The first line holds a quote: csv-parse reads the whole input. */
  | { readonly kind: 'unsure' };

/** The record delimiter csv-parse would discover in an input starting with `bytes`. */
export function discoverRecordDelimiter(bytes: Uint8Array): Discovery {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) return { kind: 'unsure' };
    if (c === LF) return { kind: 'found', delimiter: '\n' };
    if (c === CR) {
      if (i + 1 >= n) return { kind: 'wait' };
      return { kind: 'found', delimiter: bytes[i + 1] === LF ? '\r\n' : '\r' };
    }
  }
  return { kind: 'wait' };
}

export interface ScanResult {
  /** Where the bytes not yet read as records start. */
  readonly next: number;
  /** True when the record at `next` is one csv-parse must read (quoting the scanner is not sure of). */
  readonly unsure: boolean;
}

/**
 * Reads the complete records of UTF-8 `bytes` from `start` into `out`, at most `limit` of them.
 * Stops at an incomplete record (more bytes are needed) or at one whose quoting is irregular (a
 * quoted cell not closed right before a delimiter or line break): csv-parse decides what that is.
 * `ascii`: the bytes are all ASCII, so each cell is decoded the cheaper way.
 */
export function scanRecords(
  bytes: Buffer,
  start: number,
  delimiter: number,
  recordDelimiter: RecordDelimiter,
  out: ScannedRecord[],
  limit: number,
  ascii: boolean,
): ScanResult {
  const n = bytes.length;
  const encoding = ascii ? 'latin1' : 'utf8';
  // ASCII: a short cell is cut from the chunk's text, cheaper than decoding it, and still its own
  // string (V8 copies a substring under 13 characters instead of pointing into its parent).
  const text = ascii ? bytes.toString('latin1', 0, n) : '';
  const cell = (from: number, to: number): string => (ascii && to - from < 13 ? text.slice(from, to) : bytes.toString(encoding, from, to));
  const rd0 = recordDelimiter.charCodeAt(0);
  const crlf = recordDelimiter === '\r\n';
  let i = start;
  records: while (out.length < limit) {
    const recordStart = i;
    const cells: string[] = [];
    // A quoted cell or a line break inside a cell: the record's lines are counted from its raw text.
    let odd = false;
    for (;;) {
      if (i >= n) return { next: recordStart, unsure: false };
      if (bytes[i] === QUOTE) {
        // A quoted cell: "" inside is one quote; it must close right before a delimiter or line break.
        odd = true;
        let from = i + 1;
        let escaped = false;
        for (;;) {
          const q = bytes.indexOf(QUOTE, from);
          if (q === -1 || q + 1 >= n) return { next: recordStart, unsure: false };
          const after = bytes[q + 1];
          if (after === QUOTE) {
            escaped = true;
            from = q + 2;
            continue;
          }
          if (after === delimiter) {
            cells.push(quotedCell(bytes, i + 1, q, encoding, escaped));
            i = q + 2;
            break;
          }
          if (after === rd0) {
            if (crlf) {
              if (q + 2 >= n) return { next: recordStart, unsure: false };
              if (bytes[q + 2] !== LF) return { next: recordStart, unsure: true };
            }
            cells.push(quotedCell(bytes, i + 1, q, encoding, escaped));
            out.push({ cells, raw: bytes.toString('utf8', recordStart, q + 2) });
            i = q + 1 + recordDelimiter.length;
            continue records;
          }
          return { next: recordStart, unsure: true };
        }
        continue;
      }
      // An unquoted cell; a quote inside it (not first) is an ordinary character.
      let j = i;
      for (;;) {
        if (j >= n) return { next: recordStart, unsure: false };
        const c = bytes[j]!;
        if (c === delimiter) {
          cells.push(cell(i, j));
          i = j + 1;
          break;
        }
        if (c <= CR) {
          if (c === rd0 && (!crlf || bytes[j + 1] === LF)) {
            cells.push(cell(i, j));
            out.push({ cells, raw: odd ? bytes.toString('utf8', recordStart, j + 1) : undefined });
            i = j + recordDelimiter.length;
            continue records;
          }
          // A CR that may start a CRLF needs the next byte to tell.
          if (c === rd0 && j + 1 >= n) return { next: recordStart, unsure: false };
          if (c === CR || c === LF) odd = true;
        }
        j++;
      }
    }
  }
  return { next: i, unsure: false };
}

function quotedCell(bytes: Buffer, from: number, to: number, encoding: 'latin1' | 'utf8', escaped: boolean): string {
  const value = bytes.toString(encoding, from, to);
  return escaped ? value.replaceAll('""', '"') : value;
}
