import { describe, expect, it } from 'vitest';
import { abbreviateAddressLine2, UNIT_DESIGNATORS, abbreviateSuffix, abbreviateDirectional } from '../src/rules/abbreviations.js';

describe('AddressLine2 abbreviation (DLR reference table)', () => {
  it.each([
    ['suite AA', 'STE AA'],
    ['building A floor 3 Room 7', 'BLDG A FL 3 RM 7'],
    ['wharf 7 pier A', 'WHARF 7 PIER A'],
  ])('the reference example %s → %s', (input, output) => {
    expect(abbreviateAddressLine2(input)).toBe(output);
  });

  const table: [string, string][] = [
    ['APARTMENT', 'APT'],
    ['BASEMENT', 'BSMT'],
    ['BUILDING', 'BLDG'],
    ['DEPARTMENT', 'DEPT'],
    ['FLOOR', 'FL'],
    ['FRONT', 'FRNT'],
    ['HANGAR', 'HGNR'],
    ['LOBBY', 'LBBY'],
    ['LOT', 'LOT'],
    ['LOWER', 'LOWR'],
    ['OFFICE', 'OFC'],
    ['PENTHOUSE', 'PH'],
    ['PIER', 'PIER'],
    ['REAR', 'REAR'],
    ['ROOM', 'RM'],
    ['SIDE', 'SIDE'],
    ['SLIP', 'SLIP'],
    ['SPACE', 'SPC'],
    ['STOP', 'STOP'],
    ['SUITE', 'STE'],
    ['TRAILER', 'TRLR'],
    ['UNIT', 'UNIT'],
    ['UPPER', 'UPPR'],
  ];

  it('has exactly the rows of the reference table', () => {
    expect(Object.entries(UNIT_DESIGNATORS).sort()).toEqual([...table].sort());
  });

  it.each(table)('%s 12 → %s 12, in any case', (word, abbreviation) => {
    expect(abbreviateAddressLine2(`${word.toLowerCase()} 12`)).toBe(`${abbreviation} 12`);
  });

  it('collapses spaces and keeps unknown words', () => {
    expect(abbreviateAddressLine2('  Suite   500   rear  door ')).toBe('STE 500 REAR DOOR');
  });
});

describe('street suffixes and directionals', () => {
  it.each([
    ['Drive', 'DR'],
    ['Str', 'ST'],
    ['street', 'ST'],
    ['Blvd.', 'BLVD'],
    ['Parkway', 'PKWY'],
    ['AVE', 'AVE'],
  ])('%s → %s', (s, a) => {
    expect(abbreviateSuffix(s)).toBe(a);
  });
  it('does not know a made-up suffix', () => {
    expect(abbreviateSuffix('Zzyzx')).toBeUndefined();
  });
  it.each([
    ['NORTH', 'N'],
    ['southwest', 'SW'],
    ['South West', 'SW'],
    ['E', 'E'],
  ])('%s → %s', (d, a) => {
    expect(abbreviateDirectional(d)).toBe(a);
  });
});
