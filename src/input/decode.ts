// Bytes → UTF-8 bytes for the CSV parser. A BOM decides (UTF-8, UTF-16 LE/BE); without one, UTF-16
// is recognized by its zero bytes, an input that is not text at all (an archive, a PDF ...) is
// refused (input/binary.ts), and the bytes are UTF-8 unless they are not valid UTF-8, in which
// case they are Windows-1252 (what Excel writes as "CSV" on Western Windows). Valid UTF-8 passes
// through untouched: no decode and re-encode on the hot path.

import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { lookAt, SNIFF_BYTES } from './binary.js';
import { InputError } from './errors.js';

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

/**
 * The encoding of an input starting with `head`, and the length of its BOM; throws when the input
 * is not text. `name` says which input, for the message.
 */
function encodingOf(head: Uint8Array, name: string): { encoding: TextEncoding; length: number } {
  const bom = bomOf(head);
  if (bom !== undefined) return bom;
  const look = lookAt(head.subarray(0, SNIFF_BYTES));
  if (look.kind === 'binary') throw new InputError('INPUT_FORMAT', `${name} is ${look.what}: ${look.todo}.`);
  return { encoding: look.kind === 'text' ? 'utf-8' : look.kind, length: 0 };
}

/** The input as UTF-8 byte chunks; `state` tells which encoding the input had; `name` names it in messages. */
export async function* toUtf8(source: AsyncIterable<Uint8Array>, state: Decoded, name = 'The input'): AsyncGenerator<Uint8Array> {
  let carry: Uint8Array = new Uint8Array(0);
  let decoder: TextDecoder | undefined; // set once the input is known not to be UTF-8
  let started = false;
  let sawNonAscii = false;
  const recode = (bytes: Uint8Array, stream: boolean): Uint8Array => Buffer.from(decoder!.decode(bytes, { stream }), 'utf8');
  for await (const chunk of source) {
    let bytes = concat(carry, chunk);
    carry = new Uint8Array(0);
    if (!started) {
      if (bytes.length < SNIFF_BYTES) {
        carry = bytes;
        continue;
      }
      started = true;
      const found = encodingOf(bytes, name);
      state.encoding = found.encoding;
      if (state.encoding !== 'utf-8') decoder = new TextDecoder(state.encoding);
      bytes = bytes.subarray(found.length);
    }
    if (decoder !== undefined) {
      yield recode(bytes, true);
      continue;
    }
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
    const found = encodingOf(carry, name);
    state.encoding = found.encoding;
    carry = carry.subarray(found.length);
    if (state.encoding !== 'utf-8') decoder = new TextDecoder(state.encoding);
  }
  if (decoder !== undefined) {
    // Decoded as a stream, then flushed: Node 20's one-shot decode reads windows-1252 as Latin-1 (0x80 is not €).
    const rest = decoder.decode(carry, { stream: true }) + decoder.decode();
    if (rest !== '') yield Buffer.from(rest, 'utf8');
  } else if (carry.length > 0) {
    if (isUtf8(carry)) {
      yield carry;
    } else {
      state.encoding = 'windows-1252';
      state.mixed = sawNonAscii;
      const cp1252 = new TextDecoder('windows-1252');
      yield Buffer.from(cp1252.decode(carry, { stream: true }) + cp1252.decode(), 'utf8');
    }
  }
}
