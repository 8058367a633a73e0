// Checks across the rows of one file: an Identifier (or phone number) twice, a LocationId naming
// two different addresses. Kept in compact hash indexes so a million-row file stays small.

import { rulesOf } from '../profiles/index.js';
import { problem, type Problem } from './codes.js';
import { HashIndex, sameValue } from './hash-index.js';
import type { NormalizedRow } from './types.js';

export class FileChecks {
  private readonly endpoints = new HashIndex();
  private readonly locations = new HashIndex(true);

  /** The line of the first row with this row's Identifier (phone number), 0 when none. */
  firstLine(row: NormalizedRow): number {
    return this.endpoints.lineOf(rulesOf(row).endpointKey(row));
  }

  /** The problems this row has with rows seen before it; registers the row when it has none. */
  check(row: NormalizedRow, line: number): Problem[] {
    const rules = rulesOf(row);
    const key = rules.endpointKey(row);
    const location = rules.namedLocation(row);
    if (location === undefined) {
      const earlier = this.endpoints.add(key, line);
      return earlier === undefined ? [] : [rules.duplicate({ value: key, line: earlier.line })];
    }
    const earlier = this.endpoints.lineOf(key);
    if (earlier !== 0) return [rules.duplicate({ value: key, line: earlier })];
    const named = this.locations.get(location.id);
    if (named !== undefined && !sameValue(named, location.addressKey)) {
      return [problem('LOCATION_ID_CONFLICT', { value: location.id, line: named.line }, 'LocationId')];
    }
    if (named === undefined) this.locations.add(location.id, line, location.addressKey);
    this.endpoints.add(key, line);
    return [];
  }
}
