// Issue 15 (SPEC §5): each warning in result_warnings starts with its code, so a support person can
// filter "ZIP_ZERO_RESTORED" out of the "ABBREVIATED" noise; every warning code is in the one table.
import { describe, expect, it } from 'vitest';
import * as codes from '../src/rules/codes.js';
import { normalizeDlr, type Held } from '../src/rules/dlr.js';
import * as read from '../src/pipeline/read.js';

const base = {
  Identifier: 'RDUhq00000000001',
  CallerName: 'Reception',
  CallbackNumber: '9195552101',
  HouseNumber: '900',
  StreetName: 'Main Campus',
  StreetSuffix: 'DR',
  City: 'Raleigh',
  StateCode: 'NC',
  Zip: '27606',
  Country: 'US',
};

/** result_warnings of a row, as `check` and `run` write it. */
function warningsCell(values: Record<string, string>, held?: Held): string {
  const join = (read as Record<string, unknown>).joinWarnings as ((p: readonly codes.Problem[]) => string) | undefined;
  expect(join, 'read.ts exports joinWarnings').toBeTypeOf('function');
  return join!(normalizeDlr(values, held).warnings);
}

describe('warnings lead with their code', () => {
  it.each([
    ['ABBREVIATED', { StreetSuffix: 'Drive' }, 'StreetSuffix abbreviated: "Drive" → "DR".'],
    ['OVER_RECOMMENDED_SIZE', { CallerName: 'x'.repeat(33) }, 'CallerName is 33 characters; over 32 it may be truncated for the PSAP.'],
    ['COUNTRY_INFERRED', { Country: '' }, 'Country was empty; US inferred from StateCode NC.'],
    ['ZIP_ZERO_RESTORED', { City: 'Boston', StateCode: 'MA', Zip: '2110' }, 'Zip "2110" had lost its leading zero; sent as 02110.'],
  ])('%s', (code, change, message) => {
    expect(warningsCell({ ...base, ...change })).toBe(`${code}: ${message}`);
  });

  it('ACCOUNT_FORM: a short identifier the account holds', () => {
    const held: Held = { identifier: (id) => id === 'DavidAcid', locationId: () => false };
    expect(warningsCell({ ...base, Identifier: 'DavidAcid' }, held)).toMatch(/^ACCOUNT_FORM: Identifier "DavidAcid" is 9 characters/);
  });

  it('two warnings of one row: each starts with its own code', () => {
    const cell = warningsCell({ ...base, StreetSuffix: 'Drive', Country: '' });
    expect(cell.match(/\b[A-Z][A-Z_]+: /g)).toEqual(['ABBREVIATED: ', 'COUNTRY_INFERRED: ']);
  });

  it('the warnings the run stages add are in the code table, as warnings', () => {
    for (const code of ['ADDRESS_ADJUSTED', 'ADDRESS_UNVALIDATED', 'REJECTED_KEPT', 'DELETED_MISSING']) {
      expect((codes.CODES as Record<string, { severity: string }>)[code]?.severity, code).toBe('warning');
    }
  });
});
