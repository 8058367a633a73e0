// What a dlr geocode answer makes of a row, the one rule `run` and `check --validate-addresses`
// share (issue 14): refused, failed, lacking parts, or the address to provision with its warning.

import { describe, expect, it } from 'vitest';
import { RetriesExhaustedError } from '../src/api/errors.js';
import { addressVerdict } from '../src/pipeline/dlr.js';
import { normalizeDlr } from '../src/rules/dlr.js';
import type { DlrRow } from '../src/rules/types.js';
import type { AddressRecord } from '../src/state/store.js';

function row(values: Record<string, string>): DlrRow {
  const r = normalizeDlr({ Identifier: 'MSHplant0000000001', CallerName: 'Plant', CallbackNumber: '6415552101', City: 'Marshalltown', StateCode: 'IA', Zip: '50158', Country: 'US', ...values });
  if (!r.ok) throw new Error(r.errors.map((e) => e.code).join(', '));
  return r.row;
}

const ansun = row({ HouseNumber: '904', PreDirectional: 'E', StreetName: 'Ansun', StreetSuffix: 'Str' });
const record = (r: DlrRow, over: Partial<AddressRecord>): AddressRecord => ({
  account: '1',
  profile: 'dlr',
  addressKey: r.addressKey,
  outcome: 'adjusted',
  addressId: '',
  std: { houseNumber: '904', preDirectional: 'E', streetName: 'ANSON', streetSuffix: 'ST', city: 'MARSHALLTOWN', stateCode: 'IA', zip: '50158', plusFour: '3522', country: 'US' },
  stdText: '904 E ANSON ST, MARSHALLTOWN, IA 50158-3522, US',
  adjustments: 'StreetName ANSUN → ANSON',
  errorCode: '',
  errorMessage: '',
  ...over,
});

describe('addressVerdict', () => {
  it("an adjusted address is provisioned in the geocoder's form; the warning only from the command that asked", () => {
    const asked = addressVerdict(ansun, record(ansun, {}), undefined, new Set([ansun.addressKey]));
    expect(asked).toMatchObject({ kind: 'ok', address: { streetName: 'ANSON', plusFour: '3522' }, warning: 'ADDRESS_ADJUSTED: Address adjusted by the API: StreetName ANSUN → ANSON.' });
    const known = addressVerdict(ansun, record(ansun, {}), undefined, new Set());
    expect(known.kind).toBe('ok');
    expect('warning' in known).toBe(false);
  });

  it("a refused address is rejected with the API's code and message", () => {
    const refused = record(ansun, { outcome: 'invalid', std: {}, stdText: '', errorCode: '12110', errorMessage: 'The address could not be validated (not a valid address).' });
    expect(addressVerdict(ansun, refused, undefined, new Set())).toEqual({ kind: 'rejected', code: '12110', message: 'The address could not be validated (not a valid address).' });
  });

  it('a call that failed is FAILED with its code; no answer and no failure means the command stopped first', () => {
    const failed = addressVerdict(ansun, undefined, new RetriesExhaustedError('geocode', 4, 503), new Set());
    expect(failed).toMatchObject({ kind: 'failed', code: 'RETRIES_EXHAUSTED', message: expect.stringMatching(/^The address could not be validated: /) });
    expect(addressVerdict(ansun, undefined, undefined, new Set())).toEqual({ kind: 'stopped' });
  });

  it('a whole street line the geocoder did not split cannot make a location', () => {
    const line = row({ AddressLine1: '904 E Ansun Str' });
    const unsplit = record(line, { outcome: 'valid', std: { addressLine1: '904 E ANSON ST', city: 'MARSHALLTOWN', stateCode: 'IA', zip: '50158', country: 'US' } });
    expect(addressVerdict(line, unsplit, undefined, new Set())).toMatchObject({ kind: 'failed', code: 'ADDRESS_PARTS_MISSING' });
  });
});
