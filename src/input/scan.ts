// A fast scanner for the common shape of delimited text: records csv-parse (with the options
// input/csv.ts gives it) reads the same way whatever its relaxations. It reads text, not bytes,
// and stops at the first record it is not sure of; csv-parse reads from there on, so odd quoting
// is still read exactly as before.

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** csv-parse's record delimiter: the first line break outside quotes decides it for the file. */
export type RecordDelimiter = '\r\n' | '\n' | '\r';

export interface ScannedRecord {
  readonly cells: string[];
  /** The record's raw text as csv-parse's `raw` gives it: up to the first character of its delimiter. */
  readonly raw: string;
}

export type Discovery =
  | { readonly kind: 'found'; readonly delimiter: RecordDelimiter }
  /** More text is needed to tell. */
  | { readonly kind: 'wait' }
  /** The first line holds a quote: csv-parse reads the whole input. */
  | { readonly kind: 'unsure' };

/** The record delimiter csv-parse would discover in text starting with `text`. */
export function discoverRecordDelimiter(text: string): Discovery {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { kind: 'unsure' };
    if (c === LF) return { kind: 'found', delimiter: '\n' };
    if (c === CR) {
      if (i + 1 >= n) return { kind: 'wait' };
      return { kind: 'found', delimiter: text.charCodeAt(i + 1) === LF ? '\r\n' : '\r' };
    }
  }
  return { kind: 'wait' };
}

export interface ScanResult {
  /** Where the text not yet read as records starts. */
  readonly next: number;
  /** True when the record at `next` is one csv-parse must read (quoting the scanner is not sure of). */
  readonly unsure: boolean;
}

/**
 * Reads the complete records of `text` from `start` into `out`, at most `limit` of them. Stops at
 * an incomplete record (more text is needed) or at one whose quoting is irregular (a quoted cell
 * not closed right before a delimiter or line break): csv-parse decides what that one is.
 */
export function scanRecords(
  text: string,
  start: number,
  delimiter: number,
  recordDelimiter: RecordDelimiter,
  out: ScannedRecord[],
  limit: number,
): ScanResult {
  const n = text.length;
  const rd0 = recordDelimiter.charCodeAt(0);
  const crlf = recordDelimiter === '\r\n';
  let i = start;
  records: while (out.length < limit) {
    const recordStart = i;
    const cells: string[] = [];
    for (;;) {
      if (i >= n) return { next: recordStart, unsure: false };
      if (text.charCodeAt(i) === QUOTE) {
        // A quoted cell: "" inside is one quote; it must close right before a delimiter or line break.
        let from = i + 1;
        let escaped = false;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1 || q + 1 >= n) return { next: recordStart, unsure: false };
          const after = text.charCodeAt(q + 1);
          if (after === QUOTE) {
            escaped = true;
            from = q + 2;
            continue;
          }
          const value = text.slice(i + 1, q);
          const cell = escaped ? value.replaceAll('""', '"') : value;
          if (after === delimiter) {
            cells.push(cell);
            i = q + 2;
            break;
          }
          if (after === rd0) {
            if (crlf) {
              if (q + 2 >= n) return { next: recordStart, unsure: false };
              if (text.charCodeAt(q + 2) !== LF) return { next: recordStart, unsure: true };
            }
            cells.push(cell);
            out.push({ cells, raw: text.slice(recordStart, q + 2) });
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
        const c = text.charCodeAt(j);
        if (c === delimiter) {
          cells.push(text.slice(i, j));
          i = j + 1;
          break;
        }
        if (c === rd0) {
          if (crlf) {
            if (j + 1 >= n) return { next: recordStart, unsure: false };
            if (text.charCodeAt(j + 1) !== LF) { j++; continue; }
          }
          cells.push(text.slice(i, j));
          out.push({ cells, raw: text.slice(recordStart, j + 1) });
          i = j + recordDelimiter.length;
          continue records;
        }
        j++;
      }
    }
  }
  return { next: i, unsure: false };
}
