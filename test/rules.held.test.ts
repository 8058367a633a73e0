// Issue 14 item 3 (SPEC §3): new Identifiers and LocationIds follow the DLR guide; ones the account
// already holds are accepted in the API's wider form (the reference's 8- and 9-character
// identifiers, error 8023's LocationIds of up to 128 letters, digits, `-`, `_`, `.`), with a warning.
import { describe, expect, it } from 'vitest';
import { HOLDS_NOTHING, normalizeDlr, type Held } from '../src/rules/dlr.js';

const base = {
  Identifier: 'DavidAcid',
  CallerName: 'David',
  CallbackNumber: '8042105760',
  HouseNumber: '900',
  StreetName: 'MAIN CAMPUS',
  StreetSuffix: 'DR',
  City: 'RALEIGH',
  StateCode: 'NC',
  Zip: '27606',
  Country: 'United States',
};
const wide = 'campus-900_main.bldg5';
const held: Held = { identifier: (id) => id === 'DavidAcid', locationId: (id) => id === wide };

describe('identifiers and LocationIds the account already holds', () => {
  it('refuses a 9-character identifier the account does not hold (a new one follows the guide)', () => {
    const r = normalizeDlr(base, HOLDS_NOTHING);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.code)).toEqual(['IDENTIFIER_INVALID']);
  });

  it('accepts it, with an ACCOUNT_FORM warning, when the account holds it', () => {
    const r = normalizeDlr(base, held);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.code, w.field])).toEqual([['ACCOUNT_FORM', 'Identifier']]);
    expect(r.warnings[0]!.message).toContain('Identifier "DavidAcid" is 9 characters');
  });

  it('accepts a LocationId of the wider 8023 form only when the account holds it', () => {
    const row = { ...base, Identifier: 'DavidAcid0001', LocationId: wide };
    const refused = normalizeDlr(row, HOLDS_NOTHING);
    expect(refused.ok || refused.errors.map((e) => e.code)).toEqual(['LOCATION_ID_INVALID']);
    const accepted = normalizeDlr(row, held);
    expect(accepted.ok).toBe(true);
    if (accepted.ok) expect(accepted.row.locationId).toBe(wide);
    expect(accepted.warnings.map((w) => w.code)).toEqual(['ACCOUNT_FORM']);
  });

  it('never accepts what the API itself refuses, held or not', () => {
    const all: Held = { identifier: () => true, locationId: () => true };
    expect(normalizeDlr({ ...base, Identifier: 'has space' }, all).ok).toBe(false);
    expect(normalizeDlr({ ...base, Identifier: 'A'.repeat(31) }, all).ok).toBe(false);
    expect(normalizeDlr({ ...base, Identifier: 'DavidAcid0001', LocationId: 'x'.repeat(129) }, all).ok).toBe(false);
    expect(normalizeDlr({ ...base, Identifier: 'DavidAcid0001', LocationId: 'a/b' }, all).ok).toBe(false);
  });
});
