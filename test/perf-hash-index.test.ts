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
        const wrong: string[] = []; // one expect per run, not per operation (they cost more than the index)
        ops.forEach(([key, value], i) => {
          const line = i + 1;
          const earlier = index.add(key, line, value);
          const expected = reference.get(key);
          if (expected === undefined) {
            if (earlier !== undefined) wrong.push(`add ${i}: ${key} is new`);
            reference.set(key, { line, value });
          } else if (earlier === undefined || earlier.line !== expected.line || !sameValue(earlier, expected.value)) wrong.push(`add ${i}: ${key} was line ${expected.line}`);
        });
        expect(index.count).toBe(reference.size);
        for (const [key, { line }] of reference) if (index.lineOf(key) !== line) wrong.push(`lineOf ${key}`);
        expect(wrong).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('answers the same when the table grows into a new buffer (no room to grow in place)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 3 })), { minLength: 1500, maxLength: 3000 }), fc.boolean(), (ops, withValues) => {
        const inPlace = new HashIndex(withValues);
        const copied = new HashIndex(withValues, 1024 * 5 * 4 * 2);
        const wrong: string[] = [];
        ops.forEach(([key, value], i) => {
          const a = inPlace.add(key, i + 1, value);
          const b = copied.add(key, i + 1, value);
          if (b?.line !== a?.line || (a !== undefined && sameValue(b!, value) !== sameValue(a, value))) wrong.push(`add ${i}: ${key}`);
        });
        expect(copied.count).toBe(inPlace.count);
        for (const [key] of ops) if (copied.lineOf(key) !== inPlace.lineOf(key)) wrong.push(`lineOf ${key}`);
        expect(wrong).toEqual([]);
        expect(copied.lineOf('\u0000absent')).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  it('keeps every entry through many growths, probing past full slots', () => {
    const index = new HashIndex();
    const n = 200_000;
    // One expect over the lines that went wrong, not one per line: 200,000 expect() calls cost seconds.
    const repeated: number[] = [];
    for (let i = 0; i < n; i++) if (index.add(`EP${String(i).padStart(12, '0')}`, i + 2) !== undefined) repeated.push(i);
    expect(repeated).toEqual([]);
    expect(index.count).toBe(n);
    const lost: number[] = [];
    for (let i = 0; i < n; i += 997) if (index.lineOf(`EP${String(i).padStart(12, '0')}`) !== i + 2) lost.push(i);
    for (let i = n; i < n + 1000; i++) if (index.lineOf(`EP${String(i).padStart(12, '0')}`) !== 0) lost.push(i);
    expect(lost).toEqual([]);
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
