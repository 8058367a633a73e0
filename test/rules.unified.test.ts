import { describe, expect, it } from 'vitest';
import { normalizeUnified } from '../src/rules/unified.js';

// The reference document's own example (Zoetermeer, NLD, +31798080101).
const base = {
  PhoneNumber: '+31798080101',
  CallerName: 'John Doe',
  Country: 'NLD',
  AddressLine1: '11 Plein v Verenigde Naties',
  City: 'Zoetermeer',
  PostalCode: '2719EG',
  CompanyName: 'companyName',
  CustomerType: 'BUS',
  FriendlyName: 'Test-12345',
};

const codes = (v: Record<string, string>): string[] => {
  const r = normalizeUnified(v);
  return r.ok ? [] : r.errors.map((e) => e.code);
};

describe('unified rules', () => {
  it('accepts the reference example as written', () => {
    const r = normalizeUnified(base);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.row).toMatchObject({ phoneNumber: '+31798080101', country: 'NLD', lang: 'en' });
      expect(r.row.address).toMatchObject({ service: '[ES]', customerType: 'BUS', postalCode: '2719EG' });
    }
  });

  // Each with a postal code of its own country: the code is held to the country's format.
  it.each([
    ['NL', 'NLD', '2719EG'],
    ['Netherlands', 'NLD', '2719EG'],
    ['United Kingdom', 'GBR', 'NW1 7NE'],
    ['UK', 'GBR', 'NW1 7NE'],
    ['de', 'DEU', '10117'],
    ['DEU', 'DEU', '10117'],
  ])('maps country %s → %s', (c, a3, postal) => {
    const r = normalizeUnified({ ...base, Country: c, PhoneNumber: '+31798080101', PostalCode: postal });
    expect(r.ok && r.row.country).toBe(a3);
  });

  it('refuses North America and unknown countries', () => {
    expect(codes({ ...base, Country: 'USA' })).toContain('COUNTRY_UNSUPPORTED');
    expect(codes({ ...base, Country: 'Atlantis' })).toContain('COUNTRY_INVALID');
  });

  it('converts a national number with the row country to E.164', () => {
    const r = normalizeUnified({ ...base, PhoneNumber: '079 808 0101' });
    expect(r.ok && r.row.phoneNumber).toBe('+31798080101');
    const uk = normalizeUnified({ ...base, Country: 'GBR', PhoneNumber: '020 7946 0000', City: 'London', PostalCode: 'NW1 7NE' });
    expect(uk.ok && uk.row.phoneNumber).toBe('+442079460000');
    expect(normalizeUnified({ ...base, PhoneNumber: '0031 79 808 0101' }).ok).toBe(true);
  });

  it('rejects a number that is not valid', () => {
    expect(codes({ ...base, PhoneNumber: '12345' })).toEqual(['PHONE_INVALID']);
    expect(codes({ ...base, PhoneNumber: '3.17981E+10' })).toEqual(['CALLBACK_SCIENTIFIC']);
  });

  it('needs the address unless an AddressId is reused', () => {
    expect(codes({ ...base, AddressLine1: '', City: '' }).sort()).toEqual(['FIELD_REQUIRED', 'FIELD_REQUIRED']);
    const reuse = normalizeUnified({ ...base, AddressLine1: '', City: '', PostalCode: '', AddressId: 'e454ac5a-8c2c-45b0-8c7d-e6dd0b1a3582' });
    expect(reuse.ok && reuse.row.addressId).toBe('e454ac5a-8c2c-45b0-8c7d-e6dd0b1a3582');
  });

  it('maps customer type, service and language', () => {
    const r = normalizeUnified({ ...base, CustomerType: 'residential', Service: 'ESDS', Lang: 'Dutch' });
    expect(r.ok && [r.row.address.customerType, r.row.address.service, r.row.lang]).toEqual(['RES', '[ESDS]', 'nl']);
    expect(codes({ ...base, CustomerType: 'GOV' })).toEqual(['CUSTOMER_TYPE_INVALID']);
    expect(codes({ ...base, Service: 'XX' })).toEqual(['SERVICE_INVALID']);
  });

  it('one address key for the same address written differently', () => {
    const a = normalizeUnified(base);
    const b = normalizeUnified({ ...base, PhoneNumber: '+31798080102', AddressLine1: '11  plein v. verenigde naties', City: 'ZOETERMEER', PostalCode: '2719 eg' });
    expect(a.ok && b.ok && a.row.addressKey === b.row.addressKey).toBe(true);
  });
});
