// Bytes → UTF-8 bytes for the CSV parser. A BOM decides (UTF-8, UTF-16 LE/BE); without one the
// bytes are UTF-8 unless they are not valid UTF-8, in which case they are Windows-1252 (what Excel
// writes as "CSV" on Western Windows). Valid UTF-8 passes through untouched: no decode and
// re-encode on the hot path.

import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Decoded {
  encoding: TextEncoding;
  /** True when the bytes switched from UTF-8 to Windows-1252 after non-ASCII UTF-8 text. */
  mixed: boolean;
}

function bomOf(bytes: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** Where the last complete UTF-8 sequence of `bytes` ends (a chunk may split a character). */
function completeEnd(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return i + need > n ? i : n;
    }
  }
  return n;
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => (a.length === 0 ? b : Buffer.concat([a, b]));

/** The input as UTF-8 byte chunks; `state` tells which encoding the input had. */
export async function* toUtf8(source: AsyncIterable<Uint8Array>, state: Decoded): AsyncGenerator<Uint8Array> {
  let carry: Uint8Array = new Uint8Array(0);
  let decoder: TextDecoder | undefined; // set once the input is known not to be UTF-8
  let started = false;
  let sawNonAscii = false;
  const recode = (bytes: Uint8Array, stream: boolean): Uint8Array => Buffer.from(decoder!.decode(bytes, { stream }), 'utf8');
  for await (const chunk of source) {
    let bytes = concat(carry, chunk);
    carry = new Uint8Array(0);
    if (!started) {
      if (bytes.length < 3) { carry = bytes; continue; }
      started = true;
      const bom = bomOf(bytes);
      state.encoding = bom?.encoding ?? 'utf-8';
      if (state.encoding !== 'utf-8') decoder = new TextDecoder(state.encoding);
      bytes = bytes.subarray(bom?.length ?? 0);
    }
    if (decoder !== undefined) { yield recode(bytes, true); continue; }
    const end = completeEnd(bytes);
    const head = bytes.subarray(0, end);
    if (isUtf8(head)) {
      if (!sawNonAscii && !isAscii(head)) sawNonAscii = true;
      carry = bytes.subarray(end);
      yield head;
    } else {
      // Not UTF-8: this chunk and everything after it is Windows-1252.
      state.mixed = sawNonAscii;
      state.encoding = 'windows-1252';
      decoder = new TextDecoder('windows-1252');
      yield recode(bytes, true);
    }
  }
  if (!started && carry.length > 0) {
    const bom = bomOf(carry);
    state.encoding = bom?.encoding ?? 'utf-8';
    carry = carry.subarray(bom?.length ?? 0);
    if (state.encoding !== 'utf-8') decoder = new TextDecoder(state.encoding);
  }
  if (decoder !== undefined) {
    const rest = decoder.decode(carry);
    if (rest !== '') yield Buffer.from(rest, 'utf8');
  } else if (carry.length > 0) {
    if (isUtf8(carry)) {
      yield carry;
    } else {
      state.encoding = 'windows-1252';
      state.mixed = sawNonAscii;
      yield Buffer.from(new TextDecoder('windows-1252').decode(carry), 'utf8');
    }
  }
}
