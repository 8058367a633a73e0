import { describe, expect, it } from 'vitest';
import { changedFields, dlrSentFields, unifiedChanges, unifiedSentFields, type DlrAddressParts } from '../src/rules/changes.js';
import { normalizeDlr } from '../src/rules/dlr.js';
import { normalizeUnified } from '../src/rules/unified.js';
import type { DlrRow, UnifiedRow } from '../src/rules/types.js';

const dlrRow = (fields: Record<string, string>): DlrRow => {
  const r = normalizeDlr({
    Identifier: 'Desk000000001',
    CallerName: 'Desk 1',
    CallbackNumber: '9195552101',
    HouseNumber: '900',
    StreetName: 'Main Campus',
    StreetSuffix: 'DR',
    City: 'Raleigh',
    StateCode: 'NC',
    Zip: '27606',
    ...fields,
  });
  if (!r.ok || r.row.profile !== 'dlr') throw new Error('not valid');
  return r.row;
};
const ADDRESS: DlrAddressParts = {
  HousePrefix: '',
  HouseNumber: '900',
  HouseSuffix: '',
  PreDirectional: '',
  StreetName: 'MAIN CAMPUS',
  StreetSuffix: 'DR',
  PostDirectional: '',
  AddressLine2: '',
  City: 'RALEIGH',
  StateCode: 'NC',
  Zip: '27606',
  PlusFour: '6317',
  County: '',
  Country: 'US',
};

describe('changed fields', () => {
  it('names each changed field, old → new, and nothing for equal fields', () => {
    const old = dlrSentFields(dlrRow({}), ADDRESS);
    expect(changedFields(old, dlrSentFields(dlrRow({}), ADDRESS))).toEqual([]);
    expect(changedFields(old, dlrSentFields(dlrRow({ CallerName: 'Lobby', PreferredLanguage: 'French' }), ADDRESS))).toEqual(['CallerName: "Desk 1" → "Lobby"', 'PreferredLanguage: "en" → "fr"']);
    expect(changedFields(old, dlrSentFields(dlrRow({}), { ...ADDRESS, AddressLine2: 'FL 7' }))).toEqual(['AddressLine2: "" → "FL 7"']);
  });

  it('a field the old record does not have counts as empty', () => {
    expect(changedFields({ CallerName: 'A' }, { CallerName: 'A', County: 'WAKE' })).toEqual(['County: "" → "WAKE"']);
    expect(changedFields({ CallerName: 'A' }, { CallerName: 'A', County: '' })).toEqual([]);
  });

  it('unified: the same address ID is no change however the address is written; a new one names the address fields', () => {
    const row = (line1: string, postal: string): UnifiedRow => {
      const r = normalizeUnified({ PhoneNumber: '+31205550100', CallerName: 'Office', Country: 'NLD', AddressLine1: line1, City: 'Amsterdam', PostalCode: postal });
      if (!r.ok || r.row.profile !== 'unified') throw new Error('not valid');
      return r.row;
    };
    const old = unifiedSentFields(row('Herengracht 182', '1016 BR'), 'esp-1');
    expect(unifiedChanges(old, unifiedSentFields(row('Herengracht 182', '1016BR'), 'esp-1'))).toEqual([]);
    expect(unifiedChanges(old, unifiedSentFields(row('Herengracht 184', '1016 BR'), 'esp-2'))).toEqual(['AddressLine1: "Herengracht 182" → "Herengracht 184"', 'AddressId: "esp-1" → "esp-2"']);
  });
});
