// Rows share their warning lists: the same messages give one list, a warning added to a shared list
// gives one longer list, and no list is ever changed in place (another row holds it).

import { describe, expect, it } from 'vitest';
import { addWarning, NO_CHANGES, warningLists } from '../src/pipeline/warnings.js';

describe('warning lists', () => {
  it('gives the rows with the same messages one list, and none to rows without', () => {
    const list = warningLists();
    const a = list(['AddressLine2 abbreviated.', 'StreetSuffix abbreviated.']);
    expect(list(['AddressLine2 abbreviated.', 'StreetSuffix abbreviated.'])).toBe(a);
    expect(list(['StreetSuffix abbreviated.', 'AddressLine2 abbreviated.'])).not.toBe(a);
    expect(list(['AddressLine2 abbreviated. StreetSuffix abbreviated.'])).not.toBe(a);
    expect(list([])).toBe(NO_CHANGES);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('adds a warning without changing the list another row holds', () => {
    const list = warningLists();
    const one = { warnings: list(['AddressLine2 abbreviated.']) };
    const two = { warnings: list(['AddressLine2 abbreviated.']) };
    const three = { warnings: list(['AddressLine2 abbreviated.']) };
    addWarning(one, 'Address adjusted by the API: Plus Four.');
    addWarning(two, `Address adjusted by the API: ${'Plus Four'}.`);
    expect(one.warnings).toEqual(['AddressLine2 abbreviated.', 'Address adjusted by the API: Plus Four.']);
    expect(two.warnings).toBe(one.warnings);
    expect(three.warnings).toEqual(['AddressLine2 abbreviated.']);
    const none = { warnings: NO_CHANGES };
    addWarning(none, 'Not sent again.');
    expect(none.warnings).toEqual(['Not sent again.']);
    expect(NO_CHANGES).toEqual([]);
  });
});
