// A fast scanner for the common shape of delimited text: records csv-parse (with the options
// input/csv.ts gives it) reads the same way whatever its relaxations. It stops at the first record
// it is not sure of; csv-parse reads from there on, so odd quoting is still read exactly as before.
// Each cell is decoded from the bytes on its own, as csv-parse does: a cell kept for long (an
// Identifier in a set) holds only its own text, never the chunk it was read from.

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Each record ends at CRLF, LF or a lone CR, whichever it uses: csv-parse is given all three (CRLF
 * first), so a file whose header ends in CRLF and whose rows end in LF reads like any other.
 */
export const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

export interface ScannedRecord {
  readonly cells: string[];
  /**
   * The record's raw text as csv-parse's `raw` gives it (up to the first character of its
   * delimiter), when it is needed to count its lines: only a record with a line break inside a
   * quoted cell has it; any other record is one line.
   */
  readonly raw: string | undefined;
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
 * `ascii`: the bytes as latin1 text when they are all ASCII (the caller decodes them once for all its
 * calls), so a short cell is cut from it, cheaper than decoding it, and still its own string (V8
 * copies a substring under 13 characters instead of pointing into its parent).
 */
export function scanRecords(bytes: Buffer, start: number, delimiter: number, out: ScannedRecord[], limit: number, ascii: string | undefined): ScanResult {
  const n = bytes.length;
  const encoding = ascii !== undefined ? 'latin1' : 'utf8';
  const text = ascii ?? '';
  const short = ascii !== undefined ? 13 : 0;
  const cell = (from: number, to: number): string => (to - from < short ? text.slice(from, to) : bytes.toString(encoding, from, to));
  let i = start;
  records: while (out.length < limit) {
    const recordStart = i;
    const cells: string[] = [];
    // A quoted cell that holds a line break: the record's lines are counted from its raw text.
    let multiline = false;
    for (;;) {
      if (i >= n) return { next: recordStart, unsure: false };
      if (bytes[i] === QUOTE) {
        // A quoted cell: "" inside is one quote; it must close right before a delimiter or line break.
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
          if (!multiline) multiline = holdsBreak(bytes, i + 1, q);
          if (after === delimiter) {
            cells.push(quotedCell(bytes, i + 1, q, encoding, escaped));
            i = q + 2;
            break;
          }
          if (after === LF || after === CR) {
            if (after === CR && q + 2 >= n) return { next: recordStart, unsure: false };
            cells.push(quotedCell(bytes, i + 1, q, encoding, escaped));
            out.push({ cells, raw: multiline ? bytes.toString('utf8', recordStart, q + 2) : undefined });
            i = q + (after === CR && bytes[q + 2] === LF ? 3 : 2);
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
        if (c <= CR && (c === LF || c === CR)) {
          // A CR may start a CRLF: the next byte tells.
          if (c === CR && j + 1 >= n) return { next: recordStart, unsure: false };
          cells.push(cell(i, j));
          out.push({ cells, raw: multiline ? bytes.toString('utf8', recordStart, j + 1) : undefined });
          i = j + (c === CR && bytes[j + 1] === LF ? 2 : 1);
          continue records;
        }
        j++;
      }
    }
  }
  return { next: i, unsure: false };
}

function holdsBreak(bytes: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = bytes[k]!;
    if (c <= CR && (c === LF || c === CR)) return true;
  }
  return false;
}

function quotedCell(bytes: Buffer, from: number, to: number, encoding: 'latin1' | 'utf8', escaped: boolean): string {
  const value = bytes.toString(encoding, from, to);
  return escaped ? value.replaceAll('""', '"') : value;
}
