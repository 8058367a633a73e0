// Bytes → text for delimited files: a BOM decides (UTF-8, UTF-16 LE/BE); without one the text is
// UTF-8 unless its bytes are not valid UTF-8, in which case it is Windows-1252 (what Excel writes
// as "CSV" on Western Windows).

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

const hasNonAscii = (bytes: Uint8Array): boolean => bytes.some((b) => b > 0x7f);

/** Decodes a byte stream to text chunks; `state` tells which encoding was used. */
export async function* decodeText(source: AsyncIterable<Uint8Array>, state: Decoded): AsyncGenerator<string> {
  let head: Uint8Array = new Uint8Array(0);
  let decoder: TextDecoder | undefined;
  let sawNonAscii = false;
  for await (const chunk of source) {
    let bytes: Uint8Array = chunk;
    if (decoder === undefined) {
      head = concat(head, bytes);
      if (head.length < 3) continue;
      const bom = bomOf(head);
      state.encoding = bom?.encoding ?? 'utf-8';
      decoder = new TextDecoder(state.encoding, { fatal: state.encoding === 'utf-8' });
      bytes = head.subarray(bom?.length ?? 0);
    }
    yield decodeChunk(bytes);
  }
  if (decoder === undefined) {
    const bom = bomOf(head);
    state.encoding = bom?.encoding ?? 'utf-8';
    decoder = new TextDecoder(state.encoding, { fatal: state.encoding === 'utf-8' });
    head = head.subarray(bom?.length ?? 0);
    yield decodeChunk(head);
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;

  function decodeChunk(bytes: Uint8Array): string {
    if (state.encoding !== 'utf-8' || decoder === undefined) return decoder?.decode(bytes, { stream: true }) ?? '';
    try {
      const text = decoder.decode(bytes, { stream: true });
      if (!sawNonAscii && hasNonAscii(bytes)) sawNonAscii = true;
      return text;
    } catch {
      // Not UTF-8: this chunk and everything after it is Windows-1252.
      state.mixed = sawNonAscii;
      state.encoding = 'windows-1252';
      decoder = new TextDecoder('windows-1252');
      return decoder.decode(bytes, { stream: true });
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
