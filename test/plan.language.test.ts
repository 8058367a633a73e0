// Issue 14 item 2: the account does not report an endpoint's PreferredLanguage (the reference's GET
// aeuis/{acid} has none). import-state hashes such an endpoint with the language unknown, and a
// customer's row saying fr (or en) is then UNCHANGED, not an UPDATE; a known language still counts.
import { describe, expect, it } from 'vitest';
import { contentHash, LANGUAGE_UNKNOWN, planRow } from '../src/pipeline/plan.js';
import { normalizeDlr } from '../src/rules/dlr.js';
import type { DlrRow } from '../src/rules/types.js';
import type { EndpointRecord } from '../src/state/store.js';

const row = (language: string): DlrRow => {
  const r = normalizeDlr({
    Identifier: 'Lab0000000002',
    CallerName: 'Lab',
    CallbackNumber: '9194561202',
    PreferredLanguage: language,
    HouseNumber: '900',
    StreetName: 'MAIN CAMPUS',
    StreetSuffix: 'DR',
    City: 'RALEIGH',
    StateCode: 'NC',
    Zip: '27606',
    Country: 'US',
  });
  if (!r.ok || r.row.profile !== 'dlr') throw new Error('fixture row refused');
  return r.row;
};
const known = (hash: string): EndpointRecord => ({
  account: '1',
  profile: 'dlr',
  endpointKey: 'Lab0000000002',
  contentHash: hash,
  addressRef: '',
  status: 'provisioned',
  orderId: '',
  runId: '',
  errorCode: '',
  errorMessage: '',
  stdText: '',
  source: 'import',
});

describe('a language the account does not report', () => {
  const unknownHash = contentHash({ ...row('en'), preferredLanguage: LANGUAGE_UNKNOWN as DlrRow['preferredLanguage'] });
  it('is no change, whatever the row says', () => {
    expect(planRow(row('fr'), known(unknownHash), false).kind).toBe('unchanged');
    expect(planRow(row('en'), known(unknownHash), false).kind).toBe('unchanged');
  });
  it('a language the store knows still makes an update when the row says another', () => {
    expect(planRow(row('fr'), known(contentHash(row('en'))), false).kind).toBe('update');
  });
});
