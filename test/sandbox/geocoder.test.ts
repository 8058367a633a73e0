import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADDRESS_FIELDS, geocode, parseAddressLine1, type DlrAddress } from '../../src/sandbox/dlr/geocoder.js';

describe('parseAddressLine1', () => {
  it.each([
    ['904 E Ansun Str', { HouseNumber: '904', PreDirectional: 'E', StreetName: 'Ansun', StreetSuffix: 'Str' }],
    ['900 Main Campus Drive Suite 500', { HouseNumber: '900', StreetName: 'Main Campus', StreetSuffix: 'Drive', AddressLine2: 'Suite 500' }],
    ['100 Wellington St W', { HouseNumber: '100', StreetName: 'Wellington', StreetSuffix: 'St', PostDirectional: 'W' }],
    ['12 1/2 Broadway', { HouseNumber: '12', HouseSuffix: '1/2', StreetName: 'Broadway' }],
  ])('splits %s', (line, parts) => {
    expect(parseAddressLine1(line)).toEqual(parts);
  });
});

describe('geocode', () => {
  it("moves a directional HouseSuffix to PreDirectional (the document's example sends E as HouseSuffix)", () => {
    const outcome = geocode({ HouseNumber: '904', HouseSuffix: 'E', StreetName: 'ANSON', StreetSuffix: 'ST', City: 'MARSHALLTOWN', StateCode: 'IA', Zip: '50158', PlusFour: '3522' });
    expect(outcome.valid && outcome.address.PreDirectional).toBe('E');
    expect(outcome.valid && outcome.address.HouseSuffix).toBe('');
  });

  it('splits ZIP+4 and rejects AddressLine2 over 60 characters after abbreviation', () => {
    const zip = geocode({ HouseNumber: '1', StreetName: 'ELM', StreetSuffix: 'ST', City: 'DENVER', StateCode: 'CO', Zip: '80202-1234' });
    expect(zip.valid && [zip.address.Zip, zip.address.PlusFour]).toEqual(['80202', '1234']);
    const long = geocode({ HouseNumber: '1', StreetName: 'ELM', City: 'DENVER', StateCode: 'CO', Zip: '80202', AddressLine2: `ROOM ${'X'.repeat(60)}` });
    expect(long).toMatchObject({ valid: false, kind: 'field', reason: 'loc cannot exceed 60 characters' });
  });

  it('rejects a ZIP of another country shape and a province code outside Canada', () => {
    expect(geocode({ HouseNumber: '1', StreetName: 'ELM', City: 'X', StateCode: 'CO', Zip: 'K1A 0B1' }).valid).toBe(false);
    expect(geocode({ HouseNumber: '1', StreetName: 'ELM', City: 'X', StateCode: 'ON', Zip: '80202', Country: 'US' }).valid).toBe(false);
  });

  const word = fc.stringMatching(/^[A-Za-z]{2,10}$/).filter((w) => !/nowhere/i.test(w));
  const address = fc.record({
    HouseNumber: fc.integer({ min: 1, max: 99999 }).map(String),
    PreDirectional: fc.constantFrom('', 'N', 'north', 'SW', 'East'),
    StreetName: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
    StreetSuffix: fc.constantFrom('', 'St', 'Street', 'AVE', 'avenue', 'Drive', 'Str', 'blvd'),
    AddressLine2: fc.constantFrom('', 'Suite 5', 'apt 3', 'Building A floor 3 Room 7'),
    City: word,
    StateCode: fc.constantFrom('IA', 'NC', 'CO', 'tx'),
    Zip: fc.integer({ min: 10000, max: 99999 }).map(String),
    PlusFour: fc.constantFrom('', '1234'),
  });

  it('is idempotent: a standardized address geocodes as valid with no adjustment', () => {
    fc.assert(
      fc.property(address, (input) => {
        const first = geocode(input);
        if (!first.valid) return;
        const again = geocode(first.address as DlrAddress);
        expect(again.valid).toBe(true);
        expect(again.valid && again.adjustments).toEqual([]);
        expect(again.valid && again.address).toEqual(first.address);
      }),
    );
  });

  it('does not care about letter case', () => {
    fc.assert(
      fc.property(address, (input) => {
        const lower = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.toLowerCase()])) as DlrAddress;
        const a = geocode(input);
        const b = geocode(lower);
        expect(b.valid).toBe(a.valid);
        if (a.valid && b.valid) {
          expect(b.address).toEqual(a.address);
          expect(b.adjustments.length).toBe(a.adjustments.length);
        }
      }),
    );
  });

  it('always writes every standardized field upper-cased', () => {
    fc.assert(
      fc.property(address, (input) => {
        const outcome = geocode(input);
        if (!outcome.valid) return;
        for (const field of ADDRESS_FIELDS) expect(outcome.address[field]).toBe(outcome.address[field].toUpperCase());
      }),
    );
  });
});
