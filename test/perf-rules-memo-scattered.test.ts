// The address memo on the shape of a real export. In a file of its own: the memo is one per
// process, and other tests send it to rest with a row per address.

import { describe, expect, it } from 'vitest';
import { addressMemoSize, normalizeDlr, normalizeDlrUncached } from '../src/rules/dlr.js';

describe('the address memo on a realistic export', () => {
  it('keeps 20,000 addresses scattered through a file sorted by Identifier, each checked once', () => {
    // The shape of a real export (bench/check.mjs "scattered"): rows in Identifier order, each
    // row's address anywhere among 20,000. A memo smaller than that rests and redoes every address.
    const suffixes = ['Street', 'St', 'Drive', 'Ave', 'Boulevard', 'Pkwy'];
    const addressOf = (i: number): number => Number((BigInt(i) * 2654435761n + 97n) % 4294967291n) % 20_000;
    const rowOf = (i: number): Record<string, string> => {
      const a = addressOf(i);
      return {
        Identifier: `EP${String(i).padStart(12, '0')}`,
        CallbackNumber: '9195552101',
        CallerName: `Desk ${i}`,
        HouseNumber: String(100 + Math.floor(a / 8)),
        StreetName: `Main ${a % 97}`,
        StreetSuffix: suffixes[a % 6]!,
        AddressLine2: `Suite ${a % 500}`,
        City: 'Raleigh',
        StateCode: 'NC',
        Zip: '27606',
        Country: 'US',
      };
    };
    for (let i = 0; i < 120_000; i++) normalizeDlr(rowOf(i));
    expect(addressMemoSize()).toBeGreaterThanOrEqual(20_000);
    for (let i = 120_000; i < 124_000; i += 7) expect(normalizeDlr(rowOf(i))).toEqual(normalizeDlrUncached(rowOf(i)));
  });

  it('gives each row its own problems when addresses share them, past the table of shared problems', () => {
    // 6,000 distinct warnings ("Suite N" → "STE N"), more than the memo shares at once.
    const rowOf = (n: number): Record<string, string> => ({
      Identifier: `EQ${String(n).padStart(12, '0')}`,
      CallbackNumber: '9195552101',
      CallerName: 'Desk',
      HouseNumber: '100',
      StreetName: 'Main',
      StreetSuffix: n % 2 === 0 ? 'Street' : 'ST',
      AddressLine2: `Suite ${n % 6000}`,
      City: 'Raleigh',
      StateCode: 'NC',
      Zip: n % 3 === 0 ? '2760' : '27606',
      Country: 'US',
    });
    for (let n = 0; n < 18_000; n++) {
      const values = rowOf(n);
      expect(normalizeDlr(values)).toEqual(normalizeDlrUncached(values));
    }
  });
});
