import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abbreviateAddressLine2 } from '../src/rules/abbreviations.js';
import { normalizeDlr } from '../src/rules/dlr.js';
import type { DlrRow, UnifiedRow } from '../src/rules/types.js';
import { normalizeUnified } from '../src/rules/unified.js';
import { DLR_FIELDS, UNIFIED_FIELDS } from '../src/input/headers.js';

const words = fc.constantFrom('Suite', 'STE', 'floor', 'Room', 'building', 'A', '12', 'rear', 'pier', 'Unit', '7B', 'apartment', ' ');
const line2 = fc.array(words, { maxLength: 12 }).map((w) => w.join(' '));

const places = fc.constantFrom(
  { City: 'Raleigh', StateCode: 'NC', Zip: '27606', Country: 'US' },
  { City: 'Raleigh', StateCode: 'North Carolina', Zip: '27606-1234', Country: 'USA' },
  { City: 'Boston', StateCode: 'MA', Zip: '2110', Country: '' },
  { City: 'Toronto', StateCode: 'Ontario', Zip: 'm5j2r8', Country: 'Canada' },
  { City: 'Toronto', StateCode: 'ON', Zip: 'M5J 2R8', Country: 'CA' },
  { City: 'Nowhere', StateCode: 'XX', Zip: '12', Country: 'DE' },
);

const dlrRecord = fc
  .tuple(
    fc.record({
      Identifier: fc.stringMatching(/^[A-Za-z0-9]{8,32}$/),
      CallerName: fc.string({ maxLength: 60 }),
      CallbackNumber: fc.constantFrom('9195552101', '+1 (617) 555-2202', '1.416.555.3101', '303555240', '911'),
      PreferredLanguage: fc.constantFrom('', 'en', 'fr', 'English', 'French', 'de'),
      HouseNumber: fc.stringMatching(/^[0-9]{1,6}[A-Z]?$/),
      PreDirectional: fc.constantFrom('', 'N', 'North', 'southwest', 'Q'),
      StreetName: fc.constantFrom('Main Campus', 'Bay', 'Peachtree', 'Main Campus Dr', ''),
      StreetSuffix: fc.constantFrom('', 'Drive', 'St', 'Str', 'Parkway', 'Zzyzx'),
      AddressLine2: line2,
    }),
    places,
  )
  .map(([r, p]) => ({ ...r, ...p }));

/** The fields a normalized dlr row would be written back as. */
function dlrBack(row: DlrRow): Record<string, string> {
  const a = row.address;
  return {
    Identifier: row.identifier,
    CallerName: row.callerName,
    CallbackNumber: row.callbackNumber,
    PreferredLanguage: row.preferredLanguage,
    LocationId: row.locationIdDerived ? '' : row.locationId,
    HousePrefix: a.HousePrefix,
    HouseNumber: a.HouseNumber,
    HouseSuffix: a.HouseSuffix,
    PreDirectional: a.PreDirectional,
    StreetName: a.StreetName,
    StreetSuffix: a.StreetSuffix,
    PostDirectional: a.PostDirectional,
    AddressLine1: a.AddressLine1,
    AddressLine2: a.AddressLine2,
    City: a.City,
    StateCode: a.StateCode,
    Zip: a.Zip,
    PlusFour: a.PlusFour,
    County: a.County,
    Country: a.Country,
  };
}

function unifiedBack(row: UnifiedRow): Record<string, string> {
  const a = row.address;
  return {
    PhoneNumber: row.phoneNumber,
    CallerName: row.callerName,
    Lang: row.lang,
    Country: row.country,
    AddressLine1: a.addressLine1,
    AddressLine2: a.addressLine2,
    City: a.city,
    PostalCode: a.postalCode,
    CompanyName: a.companyName,
    CustomerType: a.customerType,
    FriendlyName: a.friendlyName,
    Service: a.service,
    AddressId: row.addressId,
  };
}

describe('rules properties', () => {
  it('AddressLine2 abbreviation is idempotent', () => {
    fc.assert(fc.property(line2, (s) => abbreviateAddressLine2(abbreviateAddressLine2(s)) === abbreviateAddressLine2(s)));
  });

  it('normalizing a dlr row twice equals normalizing it once', () => {
    let accepted = 0;
    fc.assert(
      fc.property(dlrRecord, (rec) => {
        const once = normalizeDlr(rec);
        if (!once.ok) return;
        accepted++;
        const twice = normalizeDlr(dlrBack(once.row));
        expect(twice.ok).toBe(true);
        if (twice.ok) expect(twice.row).toEqual(once.row);
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });

  it('every accepted dlr value fits its limit', () => {
    const limits: Record<string, number> = {
      HousePrefix: 6,
      HouseNumber: 45,
      HouseSuffix: 6,
      PreDirectional: 2,
      StreetName: 200,
      StreetSuffix: 45,
      PostDirectional: 2,
      AddressLine2: 60,
      City: 100,
      StateCode: 2,
      Zip: 10,
      PlusFour: 10,
      Country: 2,
    };
    fc.assert(
      fc.property(dlrRecord, fc.string({ maxLength: 90 }), (rec, extra) => {
        const r = normalizeDlr({ ...rec, AddressLine2: `${rec.AddressLine2}${extra}` });
        if (!r.ok) return;
        for (const [field, limit] of Object.entries(limits)) {
          expect((r.row.address as unknown as Record<string, string>)[field]?.length ?? 0).toBeLessThanOrEqual(limit);
        }
        expect(r.row.callerName.length).toBeLessThanOrEqual(50);
        expect(r.row.identifier).toMatch(/^[A-Za-z0-9]{10,30}$/);
        expect(r.row.callbackNumber).toMatch(/^[2-9]\d{2}[2-9]\d{6}$/);
        expect(r.row.locationId).toMatch(/^[A-Za-z0-9]{1,50}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('no input crashes the rules, and every failure says why', () => {
    const anyRecord = (fields: readonly string[]) => fc.dictionary(fc.constantFrom(...fields), fc.oneof(fc.string({ maxLength: 80 }), fc.string({ maxLength: 40, unit: 'binary' })));
    fc.assert(
      fc.property(anyRecord(DLR_FIELDS), anyRecord(UNIFIED_FIELDS), (d, u) => {
        for (const r of [normalizeDlr(d), normalizeUnified(u)]) {
          if (!r.ok) {
            expect(r.errors.length).toBeGreaterThan(0);
            for (const e of r.errors) expect(e.message.length).toBeGreaterThan(10);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('normalizing a unified row twice equals normalizing it once', () => {
    const rec = fc.record({
      PhoneNumber: fc.constantFrom('+31798080101', '079 808 0101', '+442079460000', '+4930901820'),
      CallerName: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
      Country: fc.constantFrom('NLD', 'NL', 'Netherlands', 'GBR', 'DEU'),
      AddressLine1: fc.constantFrom('11 Plein v Verenigde Naties', '102-104 Albert Street', 'Unter den Linden 77'),
      City: fc.constantFrom('Zoetermeer', 'London', 'Berlin'),
      PostalCode: fc.constantFrom('2719EG', 'nw1 7ne', '10117'),
      CustomerType: fc.constantFrom('', 'BUS', 'residential'),
      Service: fc.constantFrom('', 'ES', '[ES]', 'ESDS'),
      Lang: fc.constantFrom('', 'en', 'Dutch', 'de-DE'),
    });
    fc.assert(
      fc.property(rec, (r) => {
        const once = normalizeUnified(r);
        if (!once.ok) return;
        const twice = normalizeUnified(unifiedBack(once.row));
        expect(twice.ok).toBe(true);
        if (twice.ok) expect(twice.row).toEqual(once.row);
      }),
      { numRuns: 300 },
    );
  });
});
