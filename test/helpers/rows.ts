// A valid dlr row for tests that need a normalized row and not its rules.

import { normalizeDlr } from '../../src/rules/dlr.js';
import type { DlrRow } from '../../src/rules/types.js';

/** The input fields of a valid dlr row (900 Main Campus DR, Raleigh). */
export const DLR_VALUES = {
  Identifier: 'RDUhq5thFloorConf01',
  CallerName: 'Conference',
  CallbackNumber: '9195552101',
  PreferredLanguage: 'en',
  HouseNumber: '900',
  StreetName: 'Main Campus',
  StreetSuffix: 'DR',
  City: 'Raleigh',
  StateCode: 'NC',
  Zip: '27606',
  Country: 'US',
};

/** The normalized row of DLR_VALUES with `over` in place; throws when that is not valid. */
export function dlrRow(over: Record<string, string> = {}): DlrRow {
  const r = normalizeDlr({ ...DLR_VALUES, ...over });
  if (!r.ok) throw new Error(`not a valid dlr row: ${JSON.stringify(r.errors)}`);
  return r.row;
}
