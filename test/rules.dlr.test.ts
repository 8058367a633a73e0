import { describe, expect, it } from 'vitest';
import { normalizeDlr } from '../src/rules/dlr.js';
import type { DlrRow } from '../src/rules/types.js';

const base = {
  Identifier: 'RDUhq00000000001',
  CallerName: 'Reception',
  CallbackNumber: '9195552101',
  HouseNumber: '900',
  StreetName: 'Main Campus',
  StreetSuffix: 'Drive',
  AddressLine2: 'Suite 500',
  City: 'Raleigh',
  StateCode: 'NC',
  Zip: '27606',
  Country: 'US',
};

function ok(values: Record<string, string>): DlrRow {
  const r = normalizeDlr(values);
  if (!r.ok) throw new Error(`expected ok, got ${r.errors.map((e) => e.code).join(', ')}`);
  return r.row;
}

function codes(values: Record<string, string>): string[] {
  const r = normalizeDlr(values);
  return r.ok ? [] : r.errors.map((e) => e.code);
}

function warnings(values: Record<string, string>): string[] {
  return normalizeDlr(values).warnings.map((w) => w.code);
}

describe('dlr rules', () => {
  it('normalizes a good row: suffix and AddressLine2 abbreviated, upper case', () => {
    const row = ok(base);
    expect(row.address).toMatchObject({ HouseNumber: '900', StreetName: 'MAIN CAMPUS', StreetSuffix: 'DR', AddressLine2: 'STE 500', City: 'RALEIGH', StateCode: 'NC', Zip: '27606', Country: 'US' });
    expect(row.preferredLanguage).toBe('en');
    expect(row.locationIdDerived).toBe(true);
    expect(row.locationId).toMatch(/^[A-Za-z0-9]{1,50}$/);
  });

  it('gives "Suite 500" and "STE 500" at the same street one address key and LocationId', () => {
    const a = ok(base);
    const b = ok({ ...base, AddressLine2: 'STE 500', StreetSuffix: 'Dr', Zip: '27606-1234' });
    expect(b.addressKey).toBe(a.addressKey);
    expect(b.locationId).toBe(a.locationId);
    expect(ok({ ...base, AddressLine2: 'Suite 600' }).addressKey).not.toBe(a.addressKey);
  });

  it('matches an AddressLine1 row to the same address given in parts', () => {
    const parts = ok(base);
    const line = ok({ ...base, HouseNumber: '', StreetName: '', StreetSuffix: '', AddressLine1: '900 Main Campus Drive' });
    expect(line.addressKey).toBe(parts.addressKey);
    expect(line.address.AddressLine1).toBe('900 MAIN CAMPUS DRIVE');
  });

  describe('Identifier', () => {
    it.each(['ABCDEFGHI', 'A'.repeat(31), 'MIA-brickell-03', 'has space 12345'])('rejects %s', (id) => {
      expect(codes({ ...base, Identifier: id })).toEqual(['IDENTIFIER_INVALID']);
    });
    it('requires it', () => expect(codes({ ...base, Identifier: '' })).toEqual(['FIELD_REQUIRED']));
    it('accepts 10 and 30 characters', () => {
      expect(ok({ ...base, Identifier: 'A123456789' }).identifier).toBe('A123456789');
      expect(ok({ ...base, Identifier: 'B'.repeat(30) }).identifier).toBe('B'.repeat(30));
    });
  });

  describe('CallbackNumber', () => {
    it.each(['+1 (919) 555-2101', '1.919.555.2101', '919-555-2101', '19195552101', '9195552101.0'])('%s → 9195552101', (n) => {
      expect(ok({ ...base, CallbackNumber: n }).callbackNumber).toBe('9195552101');
    });
    it.each(['919555210', '911', '1195552101', '9115552101', '9191115555', '+44 20 7946 0000', '919-555-2101 x12'])('rejects %s', (n) => {
      expect(codes({ ...base, CallbackNumber: n })).toEqual(['CALLBACK_NOT_NANPA']);
    });
    it('names Excel scientific notation', () => {
      const r = normalizeDlr({ ...base, CallbackNumber: '9.19555E+09' });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors[0]?.code).toBe('CALLBACK_SCIENTIFIC');
        expect(r.errors[0]?.message).toMatch(/format the column as Text/);
      }
    });
  });

  describe('CallerName', () => {
    it('fails over 50 and warns over 32', () => {
      expect(codes({ ...base, CallerName: 'x'.repeat(51) })).toEqual(['FIELD_TOO_LONG']);
      expect(warnings({ ...base, CallerName: 'x'.repeat(33) })).toContain('OVER_RECOMMENDED_SIZE');
      expect(warnings({ ...base, CallerName: 'x'.repeat(32) })).not.toContain('OVER_RECOMMENDED_SIZE');
    });
  });

  describe('AddressLine2', () => {
    it('fails over 60 characters after abbreviation, with the exact sentence', () => {
      const line2 = 'Suite 8400 Training Room 3 behind the elevator bank on the left side';
      const r = normalizeDlr({ ...base, AddressLine2: line2 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]?.message).toBe('AddressLine2 is 64 characters after abbreviation; the limit is 60: shorten it.');
    });
    it('passes when abbreviation brings it under 60', () => {
      const line2 = 'Building 12 Floor 3 Department 7 Apartment 9 Suite 5 Room 1'; // 60 before, shorter after
      expect(ok({ ...base, AddressLine2: `${line2} Lobby` }).address.AddressLine2).toBe('BLDG 12 FL 3 DEPT 7 APT 9 STE 5 RM 1 LBBY');
    });
  });

  describe('state, country, ZIP', () => {
    it('maps names', () => {
      const r = ok({ ...base, StateCode: 'North Carolina', Country: 'United States' });
      expect([r.address.StateCode, r.address.Country]).toEqual(['NC', 'US']);
    });
    it('infers the country from the state with a warning', () => {
      expect(ok({ ...base, Country: '' }).address.Country).toBe('US');
      expect(warnings({ ...base, Country: '' })).toContain('COUNTRY_INFERRED');
    });
    it('rejects an unknown state and a country dlr does not serve', () => {
      expect(codes({ ...base, StateCode: 'XX' })).toContain('STATE_INVALID');
      expect(codes({ ...base, Country: 'Germany' })).toContain('COUNTRY_UNSUPPORTED');
    });
    it('splits ZIP+4', () => {
      const r = ok({ ...base, Zip: '27606-1234' });
      expect([r.address.Zip, r.address.PlusFour]).toEqual(['27606', '1234']);
      expect(ok({ ...base, Zip: '276061234' }).address.PlusFour).toBe('1234');
    });
    it('rejects a ZIP of another state', () => {
      const r = normalizeDlr({ ...base, StateCode: 'OR', Zip: '98101' });
      expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual(['Zip 98101 belongs to WA, not OR: correct the ZIP or the state.']);
    });
    it('restores a lost leading zero only when the result belongs to the state', () => {
      const boston = { ...base, City: 'Boston', StateCode: 'MA', Zip: '2110' };
      expect(ok(boston).address.Zip).toBe('02110');
      expect(warnings(boston)).toContain('ZIP_ZERO_RESTORED');
      expect(codes({ ...base, Zip: '2760' })).toEqual(['ZIP_INVALID']);
    });
    it('checks PlusFour', () => {
      expect(codes({ ...base, PlusFour: '12' })).toEqual(['PLUS_FOUR_INVALID']);
      expect(codes({ ...base, Zip: '27606-1234', PlusFour: '9999' })).toEqual(['PLUS_FOUR_INVALID']);
    });
    it('normalizes a Canadian postal code and checks its province', () => {
      const toronto = { ...base, City: 'Toronto', StateCode: 'Ontario', Zip: 'm5j2r8', Country: 'Canada' };
      expect(ok(toronto).address).toMatchObject({ Zip: 'M5J 2R8', StateCode: 'ON', Country: 'CA', PlusFour: '' });
      expect(codes({ ...toronto, StateCode: 'QC' })).toEqual(['POSTAL_CODE_PROVINCE_MISMATCH']);
      expect(codes({ ...toronto, Zip: 'D5J 2R8' })).toEqual(['POSTAL_CODE_INVALID']);
      expect(codes({ ...toronto, StateCode: 'NC', Country: 'CA' })).toContain('STATE_COUNTRY_MISMATCH');
    });
  });

  it('maps directionals and languages', () => {
    const r = ok({ ...base, PreDirectional: 'North', PostDirectional: 'south west', PreferredLanguage: 'French' });
    expect([r.address.PreDirectional, r.address.PostDirectional, r.preferredLanguage]).toEqual(['N', 'SW', 'fr']);
    expect(codes({ ...base, PreDirectional: 'Upward' })).toEqual(['DIRECTIONAL_INVALID']);
    expect(codes({ ...base, PreferredLanguage: 'de' })).toEqual(['LANGUAGE_INVALID']);
  });

  it('refuses a derived LocationId copied onto another address, accepts it on its own', () => {
    const own = ok(base).locationId;
    expect(ok({ ...base, LocationId: own }).locationId).toBe(own);
    expect(codes({ ...base, AddressLine2: 'Suite 600', LocationId: own })).toEqual(['LOCATION_ID_INVALID']);
  });

  it('checks LocationId', () => {
    expect(ok({ ...base, LocationId: 'CorpOffice5thFloor' }).locationId).toBe('CorpOffice5thFloor');
    expect(codes({ ...base, LocationId: 'Corp-Office' })).toEqual(['LOCATION_ID_INVALID']);
    expect(codes({ ...base, LocationId: 'L'.repeat(51) })).toEqual(['LOCATION_ID_INVALID']);
  });

  it('needs a street', () => {
    expect(codes({ ...base, HouseNumber: '', StreetName: '' })).toEqual(['ADDRESS_MISSING']);
    expect(codes({ ...base, HouseNumber: '' })).toEqual(['FIELD_REQUIRED']);
  });

  it('a DELETE row needs only its Identifier', () => {
    const r = normalizeDlr({ Identifier: 'RDUhq00000000001', Action: 'delete' });
    expect(r.ok && r.row.action).toBe('DELETE');
    expect(codes({ Identifier: 'RDUhq00000000001', Action: 'purge' })).toEqual(['ACTION_INVALID']);
  });

  it('reports every problem of a row, each naming its field', () => {
    const r = normalizeDlr({ ...base, CallbackNumber: '123', City: '', Zip: 'abc' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.field).sort()).toEqual(['CallbackNumber', 'City', 'Zip']);
      for (const e of r.errors) expect(e.message).toMatch(/\.$/);
    }
  });
});
