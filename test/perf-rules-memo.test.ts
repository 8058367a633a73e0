// The memoized rules must give exactly what the rules give without the memo, whatever the order
// and repetition of rows, and the memo must stay bounded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DLR_FIELDS } from '../src/input/headers.js';
import { addressMemoSize, normalizeDlr, normalizeDlrUncached } from '../src/rules/dlr.js';
import { BoundedMemo, tupleKey } from '../src/rules/memo.js';

/** Cell texts that reach every branch: valid, abbreviated, too long, wrong, odd spacing. */
const cellOf: Record<string, fc.Arbitrary<string>> = {
  Identifier: fc.constantFrom('EP0000000001', 'EP0000000002', 'short', 'bad id!', ''),
  CallbackNumber: fc.constantFrom('9195552101', '+1 (617) 555-2202', '911', '9.19555E+09', ''),
  CallerName: fc.constantFrom('Desk 1', 'A'.repeat(40), 'A'.repeat(60), 'x<y', ''),
  PreferredLanguage: fc.constantFrom('', 'en', 'French', 'de'),
  LocationId: fc.constantFrom('', 'LOC1', 'esp0000000000000000000000000000a', 'bad-id', 'L'.repeat(51)),
  HousePrefix: fc.constantFrom('', 'A', 'ABCDEFG'),
  HouseNumber: fc.constantFrom('', '100', '9'.repeat(50), ' 12 '),
  HouseSuffix: fc.constantFrom('', '1/2'),
  PreDirectional: fc.constantFrom('', 'N', 'North', 'Q'),
  StreetName: fc.constantFrom('', 'Main', 'Main Campus Dr', 'Main  St'),
  StreetSuffix: fc.constantFrom('', 'Street', 'ST', 'Zzyzx'),
  PostDirectional: fc.constantFrom('', 'SW', 'southwest'),
  AddressLine1: fc.constantFrom('', '900 Main Campus Drive', '12 N Elm St SW'),
  AddressLine2: fc.constantFrom('', 'Suite 5', 'floor 3 room 7', 'X'.repeat(70)),
  City: fc.constantFrom('', 'Raleigh', 'Toronto'),
  StateCode: fc.constantFrom('', 'NC', 'North Carolina', 'ON', 'XX'),
  Zip: fc.constantFrom('', '27606', '2110', '27606-1234', 'M5J 2R8', 'm5j2r8', '123'),
  PlusFour: fc.constantFrom('', '1234', '12'),
  County: fc.constantFrom('', 'Wake'),
  Country: fc.constantFrom('', 'US', 'Canada', 'DE'),
  Action: fc.constantFrom('', '', '', 'DELETE', 'bogus'),
};

const record = fc.record(Object.fromEntries(DLR_FIELDS.map((f) => [f, fc.option(cellOf[f]!, { nil: undefined })])) as Record<string, fc.Arbitrary<string | undefined>>);

describe('memoized rules', () => {
  it('normalizeDlr with its address memo equals normalizeDlr without it, row after row', () => {
    // Few distinct addresses over many rows, so rows hit the memo.
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(29), { maxLength: 60 }), (records, order) => {
        for (const i of [...order, ...records.keys()]) {
          const values = records[i % records.length]!;
          expect(normalizeDlr(values)).toEqual(normalizeDlrUncached(values));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keys tuples unambiguously, an absent cell as an empty one', () => {
    const f = ['a', 'b'];
    expect(tupleKey({ a: 'x', b: 'yz' }, f)).not.toBe(tupleKey({ a: 'xy', b: 'z' }, f));
    expect(tupleKey({ a: '\u0001', b: '' }, f)).not.toBe(tupleKey({ a: '', b: '\u0001' }, f));
    expect(tupleKey({ a: undefined, b: 'q' }, f)).toBe(tupleKey({ a: '', b: 'q' }, f));
    expect(tupleKey({ a: 'x'.repeat(70_000) }, f)).toBeUndefined();
    fc.assert(
      fc.property(fc.tuple(fc.string(), fc.string()), fc.tuple(fc.string(), fc.string()), ([a, b], [c, d]) => {
        fc.pre(a !== c || b !== d);
        return tupleKey({ a, b }, f) !== tupleKey({ a: c, b: d }, f);
      }),
    );
  });

  it('stays bounded, and keeps what is still looked up', () => {
    const memo = new BoundedMemo<number>(4);
    for (let i = 0; i < 100; i++) {
      memo.set(`k${i}`, i);
      expect(memo.get('k0')).toBe(0); // used on every row: carried over each generation
      if (i === 0) continue;
      expect(memo.size).toBeLessThanOrEqual(8);
    }
    expect(memo.get('k1')).toBeUndefined();
    expect(memo.get('k99')).toBe(99);
  });

  it('rests after a generation of misses (every row its own address), then tries again', () => {
    const memo = new BoundedMemo<number>(4);
    const lookup = (key: string): void => {
      if (memo.get(key) === undefined) memo.set(key, 1);
    };
    for (let i = 0; i < 4; i++) lookup(`distinct${i}`);
    expect(memo.active).toBe(true);
    lookup('distinct4'); // the young generation is full, and was all misses
    expect(memo.size).toBe(0);
    let resting = 0;
    while (!memo.active) resting++;
    expect(resting).toBe(16 * 4);
    lookup('again');
    expect(memo.get('again')).toBe(1);
  });

  it('gives the same rows whether its memo is active or resting', () => {
    // 40,000 addresses, one a row, are more than a generation of the memo (32,768) all misses: it
    // rests from there to the end (a rest lasts 16 generations of lookups); then repeated ones.
    const rows = Array.from({ length: 80_000 }, (_, i) => ({
      Identifier: `EP${String(i).padStart(10, '0')}`,
      CallbackNumber: '9195552101',
      CallerName: 'Desk',
      HouseNumber: String(100 + (i < 40_000 ? i : i % 7)),
      StreetName: 'Main',
      StreetSuffix: 'Street',
      AddressLine2: 'Suite 5',
      City: 'Raleigh',
      StateCode: 'NC',
      Zip: '27606',
      Country: 'US',
    }));
    for (let i = 0; i < rows.length; i += 1999) expect(normalizeDlr(rows[i]!)).toEqual(normalizeDlrUncached(rows[i]!));
    expect(addressMemoSize(), 'active').toBeGreaterThan(0);
    for (const values of rows) normalizeDlr(values);
    expect(addressMemoSize(), 'resting').toBe(0);
    for (let i = 0; i < rows.length; i += 1999) expect(normalizeDlr(rows[i]!)).toEqual(normalizeDlrUncached(rows[i]!));
  });
});
