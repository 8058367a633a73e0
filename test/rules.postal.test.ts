// Issue 14 item 8: a unified row's PostalCode is held to its country's format offline, as the US
// ZIP ↔ state rule does for dlr; the value keeps the customer's form apart from case and spaces.
import { describe, expect, it } from 'vitest';
import { normalizeUnified } from '../src/rules/unified.js';

const base = {
  PhoneNumber: '+31798080101',
  CallerName: 'John Doe',
  Country: 'NLD',
  AddressLine1: '11 Plein v Verenigde Naties',
  City: 'Zoetermeer',
  PostalCode: '2719EG',
};
const uk = { ...base, Country: 'GBR', PhoneNumber: '020 7946 0000', City: 'London', AddressLine1: '10 Downing St' };
const de = { ...base, Country: 'DEU', PhoneNumber: '+49 30 901820', City: 'Berlin', AddressLine1: 'Unter den Linden 1' };

describe('postal codes outside North America', () => {
  it('refuses a UK postcode with a letter too many, naming the country and its format', () => {
    const r = normalizeUnified({ ...uk, PostalCode: 'SW1A 1ZZZ' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.code)).toEqual(['POSTAL_CODE_INVALID']);
    expect(r.errors[0]!.field).toBe('PostalCode');
    expect(r.errors[0]!.message).toContain('"SW1A 1ZZZ" is not a valid United Kingdom postal code');
    expect(r.errors[0]!.message).toContain('SW1A 1AA');
  });

  it('refuses a German postal code of 4 digits', () => {
    const r = normalizeUnified({ ...de, PostalCode: '1011' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/"1011" is not a valid Germany postal code: use the form 5 digits/);
  });

  it('keeps valid codes as written, apart from case and surrounding spaces', () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [base, '2719EG', '2719EG'],
      [base, ' 2719 eg ', '2719 EG'],
      [uk, 'sw1a 1aa', 'SW1A 1AA'],
      [uk, 'SW1A1AA', 'SW1A1AA'],
      [de, '10117', '10117'],
    ];
    for (const [row, given, kept] of cases) {
      const r = normalizeUnified({ ...row, PostalCode: given });
      expect(r.ok, `${row.Country} ${given}`).toBe(true);
      if (r.ok) expect(r.row.address.postalCode).toBe(kept);
    }
  });
});
