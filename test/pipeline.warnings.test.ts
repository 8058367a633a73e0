// Rows share their warning lists: the same messages give one list, a warning added to a shared list
// gives one longer list, and no list is ever changed in place (another row holds it).

import { describe, expect, it } from 'vitest';
import { NO_CHANGES, warningLists, withWarning } from '../src/pipeline/warnings.js';

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
    const shared = list(['AddressLine2 abbreviated.']);
    const one = withWarning(shared, 'Address adjusted by the API: Plus Four.');
    const two = withWarning(list(['AddressLine2 abbreviated.']), `Address adjusted by the API: ${'Plus Four'}.`);
    expect(one).toEqual(['AddressLine2 abbreviated.', 'Address adjusted by the API: Plus Four.']);
    expect(two).toBe(one);
    expect(shared).toEqual(['AddressLine2 abbreviated.']);
    expect(withWarning(NO_CHANGES, 'Not sent again.')).toEqual(['Not sent again.']);
    expect(NO_CHANGES).toEqual([]);
  });
});
