import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookAt } from '../src/input/binary.js';
import { toUtf8, type Decoded } from '../src/input/decode.js';
import { sniffDelimiter } from '../src/input/sniff.js';

async function decode(chunks: Uint8Array[]): Promise<{ text: string; state: Decoded }> {
  const state: Decoded = { encoding: 'utf-8', mixed: false };
  const out: Uint8Array[] = [];
  for await (const c of toUtf8(
    (async function* () {
      yield* chunks;
    })(),
    state,
  ))
    out.push(c);
  return { text: Buffer.concat(out).toString('utf8'), state };
}

function split(bytes: Buffer, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

describe('decoding', () => {
  it('keeps UTF-8 text whole however the chunks split its characters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.array(fc.nat(), { maxLength: 8 }), async (text, cuts) => {
        const { text: out, state } = await decode(split(Buffer.from(text, 'utf8'), cuts));
        expect(out).toBe(text);
        expect(state.encoding).toBe('utf-8');
      }),
      { numRuns: 300 },
    );
  });

  it('reads Windows-1252 when the bytes are not UTF-8, and UTF-16 by its BOM', async () => {
    const cp = await decode([Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x3b, 0x80])]);
    expect(cp.text).toBe('Café;€');
    expect(cp.state.encoding).toBe('windows-1252');
    const le = await decode([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Montréal,é', 'utf16le')])]);
    expect([le.text, le.state.encoding]).toEqual(['Montréal,é', 'utf-16le']);
    const bom = await decode([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, 0x61])]);
    expect(bom.text).toBe('a');
  });

  it('tells text from binary by the first bytes, and UTF-16 without a BOM by its zero bytes', async () => {
    expect(lookAt(Buffer.from('Identifier,CallerName\nA\u0007B,x\f\n'))).toEqual({ kind: 'text' });
    expect(lookAt(Buffer.from('Identifier,AddressLine2\n'.concat('A,Suite 5\u000bback door\n'.repeat(50))))).toEqual({ kind: 'text' });
    expect(lookAt(Buffer.from('Identifier;Ville\nA;Montréal\n', 'utf16le'))).toEqual({ kind: 'utf-16le' });
    expect(lookAt(Buffer.from('Identifier;Ville\nA;Montréal\n', 'utf16le').swap16())).toEqual({ kind: 'utf-16be' });
    expect(lookAt(Buffer.from([0x1f, 0x8b, 8, 0]))).toMatchObject({ kind: 'binary', what: 'a gzip-compressed file' });
    expect(lookAt(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toMatchObject({ kind: 'binary' });
    await fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(lookAt(Buffer.from(`Identifier,Name\n${text}`, 'utf8')).kind).not.toBe('binary');
      }),
      { numRuns: 300 },
    );
    await expect(decode([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])])).rejects.toThrow('The input is a gzip-compressed file: unpack it first');
  });

  it('sniffs the delimiter that splits the header and the lines alike', () => {
    expect(sniffDelimiter('a;b;c\n1;2,5;3\n')).toBe(';');
    expect(sniffDelimiter('a,b,c\n"x;y",2,3\n')).toBe(',');
    expect(sniffDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(sniffDelimiter('a|b|c\n1|2|3\n')).toBe('|');
    expect(sniffDelimiter('single\nvalue\n')).toBe(',');
    // Lines end at CR too (old Mac exports): each line counts on its own.
    expect(sniffDelimiter('a;b\r1,5;2,5\r3,5;4,5\r')).toBe(';');
    expect(sniffDelimiter('a;b\r\n1,5;2,5\n3,5;4,5\n')).toBe(';');
  });
});
