// Checks across the rows of one file: an Identifier (or phone number) twice, a LocationId naming
// two different addresses. Kept in compact hash indexes so a million-row file stays small.

import { problem, type Problem } from './codes.js';
import { HashIndex, sameValue } from './hash-index.js';
import type { NormalizedRow } from './types.js';

export class FileChecks {
  private readonly endpoints = new HashIndex();
  private readonly locations = new HashIndex(true);

  /** The line of the first row with this row's Identifier (phone number), 0 when none. */
  firstLine(row: NormalizedRow): number {
    return this.endpoints.lineOf(row.profile === 'dlr' ? row.identifier : row.phoneNumber);
  }

  /** The problems this row has with rows seen before it; registers the row when it has none. */
  check(row: NormalizedRow, line: number): Problem[] {
    if (row.profile === 'dlr') {
      const earlier = this.endpoints.lineOf(row.identifier);
      if (earlier !== 0) {
        return [problem('IDENTIFIER_DUPLICATE', { value: row.identifier, line: earlier }, 'Identifier')];
      }
      // Derived LocationIds need no entry: a typed id of their form is refused unless it is its own address's (rules/dlr.ts).
      if (row.action === 'ADD' && !row.locationIdDerived) {
        const named = this.locations.get(row.locationId);
        if (named !== undefined && !sameValue(named, row.addressKey)) {
          return [problem('LOCATION_ID_CONFLICT', { value: row.locationId, line: named.line }, 'LocationId')];
        }
        if (named === undefined) this.locations.add(row.locationId, line, row.addressKey);
      }
      this.endpoints.add(row.identifier, line);
      return [];
    }
    const earlier = this.endpoints.add(row.phoneNumber, line);
    return earlier === undefined ? [] : [problem('PHONE_DUPLICATE', { value: row.phoneNumber, line: earlier.line }, 'PhoneNumber')];
  }
}
