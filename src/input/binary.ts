// What the first bytes of an input say about it, before it is read as text: a gzip or zip archive,
// an .xlsx or old .xls workbook, a PDF, an image, other binary data, or UTF-16 without a BOM
// (recognized by its zero bytes). A file that is not text is refused in one line that says what it
// looks like and what to do; its bytes are never printed.

/** How many bytes of the input are enough to tell. */
export const SNIFF_BYTES = 4096;

export type Look = { readonly kind: 'text' } | { readonly kind: 'utf-16le' | 'utf-16be' } | { readonly kind: 'binary'; readonly what: string; readonly todo: string };

const starts = (bytes: Uint8Array, ...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const EXPORT = 'export the data as CSV (or .xlsx) and run again';

/** What a file starting with `head` (at most SNIFF_BYTES of it, the whole file if shorter) is. */
export function lookAt(head: Uint8Array): Look {
  const binary = (what: string, todo: string): Look => ({ kind: 'binary', what, todo });
  if (starts(head, 0x1f, 0x8b)) return binary('a gzip-compressed file', 'unpack it first (gunzip, or 7-Zip on Windows) and run esprov on the CSV inside');
  if (starts(head, 0x50, 0x4b, 0x03, 0x04) || starts(head, 0x50, 0x4b, 0x05, 0x06)) {
    // An .xlsx is a zip whose parts live under xl/; it is often renamed .csv by mistake.
    const names = Buffer.from(head).toString('latin1');
    return names.includes('xl/') || names.includes('[Content_Types].xml')
      ? binary('an Excel workbook (a zip of .xlsx parts), not CSV text', 'name it .xlsx, or save it from Excel as CSV, and run again')
      : binary('a zip archive', 'unpack it first and run esprov on the CSV inside');
  }
  if (starts(head, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return binary('an old Excel .xls workbook (or another old Office file)', 'save it as .xlsx or CSV and run again');
  if (starts(head, ...ascii('%PDF-'))) return binary('a PDF document, not a spreadsheet', EXPORT);
  if (starts(head, 0x89, ...ascii('PNG'))) return binary('a PNG image, not a spreadsheet', EXPORT);
  if (starts(head, 0xff, 0xd8, 0xff)) return binary('a JPEG image, not a spreadsheet', EXPORT);
  if (starts(head, ...ascii('GIF8'))) return binary('a GIF image, not a spreadsheet', EXPORT);
  const utf16 = utf16ByZeros(head);
  if (utf16 !== undefined) return { kind: utf16 };
  // Text holds next to no control characters but tab, LF, CR, form feed and vertical tab (FileMaker
  // writes a line break inside a cell as one); binary data holds about one byte in ten.
  let controls = 0;
  for (const b of head) if ((b < 0x20 && (b < 9 || b > 13)) || b === 0x7f) controls++;
  if (controls >= 8 && controls * 100 >= head.length) return binary('binary data, not text', 'save it as CSV (UTF-8) or .xlsx and run again');
  return { kind: 'text' };
}

/**
 * UTF-16 without a BOM: most characters of a CSV are ASCII, so every other byte is zero (the
 * second of each pair in little-endian, the first in big-endian) and the others almost never are.
 */
function utf16ByZeros(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  const many = (n: number): boolean => n >= 2 && n * 2 >= pairs;
  const few = (n: number): boolean => n * 20 <= pairs;
  if (many(odd) && few(even)) return 'utf-16le';
  if (many(even) && few(odd)) return 'utf-16be';
  return undefined;
}
