// The compact duplicate index: it must answer as a Map of the keys would, through growth and
// probing past occupied slots.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileChecks } from '../src/rules/file-checks.js';
import { HashIndex, hash64, sameValue } from '../src/rules/hash-index.js';
import { normalizeDlr } from '../src/rules/dlr.js';
import type { DlrRow } from '../src/rules/types.js';

describe('HashIndex', () => {
  it('answers as a Map does, for any keys in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 3 })), { maxLength: 400 }), (ops) => {
        const index = new HashIndex(true);
        const reference = new Map<string, { line: number; value: string }>();
        ops.forEach(([key, value], i) => {
          const line = i + 1;
          const earlier = index.add(key, line, value);
          const expected = reference.get(key);
          if (expected === undefined) {
            expect(earlier).toBeUndefined();
            reference.set(key, { line, value });
          } else {
            expect(earlier?.line).toBe(expected.line);
            expect(sameValue(earlier!, expected.value)).toBe(true);
          }
        });
        expect(index.count).toBe(reference.size);
        for (const [key, { line }] of reference) expect(index.lineOf(key)).toBe(line);
      }),
      { numRuns: 200 },
    );
  });

  it('answers the same when the table grows into a new buffer (no room to grow in place)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 3 })), { minLength: 1500, maxLength: 3000 }), fc.boolean(), (ops, withValues) => {
        const inPlace = new HashIndex(withValues);
        const copied = new HashIndex(withValues, 1024 * 5 * 4 * 2);
        ops.forEach(([key, value], i) => {
          const a = inPlace.add(key, i + 1, value);
          const b = copied.add(key, i + 1, value);
          expect(b?.line).toBe(a?.line);
          if (a !== undefined) expect(sameValue(b!, value)).toBe(sameValue(a, value));
        });
        expect(copied.count).toBe(inPlace.count);
        for (const [key] of ops) expect(copied.lineOf(key)).toBe(inPlace.lineOf(key));
        expect(copied.lineOf('\u0000absent')).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps every entry through many growths, probing past full slots', () => {
    const index = new HashIndex();
    const n = 200_000;
    for (let i = 0; i < n; i++) expect(index.add(`EP${String(i).padStart(12, '0')}`, i + 2)).toBeUndefined();
    expect(index.count).toBe(n);
    for (let i = 0; i < n; i += 997) expect(index.lineOf(`EP${String(i).padStart(12, '0')}`)).toBe(i + 2);
    for (let i = n; i < n + 1000; i++) expect(index.lineOf(`EP${String(i).padStart(12, '0')}`)).toBe(0);
    expect(index.add('EP000000000007', 99)?.line).toBe(9);
    expect(index.get('nope')).toBeUndefined();
  });

  it('an index without values gives each entry the empty value, as a value-less add always did', () => {
    const index = new HashIndex();
    index.add('k', 5);
    const entry = index.get('k')!;
    expect(entry.line).toBe(5);
    expect(entry.value).toEqual(hash64(''));
    expect(sameValue(entry, '')).toBe(true);
  });

  it('refuses a line it cannot hold rather than forgetting it', () => {
    expect(() => new HashIndex().add('k', 2 ** 33)).toThrow(RangeError);
  });
});

describe('FileChecks', () => {
  const row = (identifier: string, locationId: string, street: string): DlrRow => {
    const r = normalizeDlr({
      Identifier: identifier,
      CallbackNumber: '9195552101',
      CallerName: 'Desk',
      LocationId: locationId,
      HouseNumber: '100',
      StreetName: street,
      City: 'Raleigh',
      StateCode: 'NC',
      Zip: '27606',
      Country: 'US',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.row as DlrRow;
  };

  it('reports a repeated Identifier with the first line, and a LocationId naming two addresses', () => {
    const checks = new FileChecks();
    expect(checks.check(row('EP0000000001', 'LOC1', 'Main'), 2)).toEqual([]);
    expect(checks.check(row('EP0000000001', '', 'Main'), 3).map((p) => p.message)).toEqual(['Identifier "EP0000000001" is already used on line 2: each endpoint needs its own Identifier.']);
    expect(checks.check(row('EP0000000002', 'LOC1', 'Main'), 4)).toEqual([]);
    expect(checks.check(row('EP0000000003', 'LOC1', 'Elm'), 5).map((p) => p.code)).toEqual(['LOCATION_ID_CONFLICT']);
    // A row refused for its LocationId did not take its Identifier.
    expect(checks.check(row('EP0000000003', 'LOC2', 'Elm'), 6)).toEqual([]);
  });
});
