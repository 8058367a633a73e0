// Duplicate keys across runs. Two rows of one file with one Identifier (phone number): the first
// is provisioned, the second refused and listed in --errors-out. Fed back from there without the
// first, the second would look like an update and move the first row's endpoint; so the store
// keeps the duplicate, a fed-back row with its key stays refused (naming both lines), and a run of
// a regular input in which the key appears exactly once (a person removed one row) clears it.

import { basename } from 'node:path';
import { ERRORS_OUT_COLUMNS } from '../output/writer.js';
import { rulesOf } from '../profiles/index.js';
import type { Problem } from '../rules/codes.js';
import type { NormalizedRow } from '../rules/types.js';
import type { DuplicateRecord, EndpointRecord, StateStore } from '../state/store.js';
import { endpointKey, sameContent } from './plan.js';
import type { CheckedRow } from './read.js';

/** A file esprov wrote (its --errors-out, or a result file) carries esprov's result columns. */
export const isFedBack = (header: readonly string[]): boolean => ERRORS_OUT_COLUMNS.every((c) => header.includes(c));

export class Duplicates {
  private readonly open: Map<string, DuplicateRecord>;
  /** Regular input: valid rows per key with an unresolved duplicate. */
  private readonly rows = new Map<string, number>();
  /** Regular input: the duplicates found in this file. */
  private readonly found = new Map<string, DuplicateRecord>();

  constructor(
    private readonly store: StateStore,
    private readonly account: string,
    private readonly profile: 'dlr' | 'unified',
    private readonly fedBack: boolean,
    private readonly input: string,
  ) {
    this.open = store.duplicates(account, profile);
  }

  /**
   * The problem that keeps a fed-back row refused (an ADD, or a DELETE: either would undo what the
   * other row provisioned): its key has a duplicate no run resolved. Which of the two rows it is
   * cannot be told for sure (result_row of a file fed back twice is a line of the first fed-back
   * file), so both are refused until the original file gives the key once — unless the row is
   * what was provisioned (`known`, unchanged): it sends nothing and undoes nothing, so it is UNCHANGED.
   */
  refusal(row: NormalizedRow, known: EndpointRecord | undefined): Problem | undefined {
    if (!this.fedBack) return undefined;
    if (row.action !== 'DELETE' && known?.status === 'provisioned' && sameContent(row, known.contentHash)) return undefined;
    const d = this.open.get(endpointKey(row));
    if (d === undefined) return undefined;
    const params = { value: d.endpointKey, line: d.firstLine, second: d.secondLine, input: d.input || 'the original file' };
    return rulesOf(row).duplicate(params);
  }

  /** Counts a row of a regular input. */
  note(checked: CheckedRow): void {
    if (this.fedBack) return;
    const dup = checked.duplicateOf;
    if (dup !== undefined) {
      if (!this.found.has(dup.key))
        this.found.set(dup.key, { endpointKey: dup.key, input: this.input === '-' ? 'standard input' : basename(this.input), firstLine: dup.line, secondLine: checked.line });
      return;
    }
    const row = checked.row;
    if (row === undefined) return;
    const key = endpointKey(row);
    if (this.open.has(key)) this.rows.set(key, (this.rows.get(key) ?? 0) + 1);
  }

  /** After a regular input is read: records its duplicates, clears those it gives once. */
  commit(): void {
    if (this.fedBack) return;
    this.store.transaction(() => {
      for (const d of this.found.values()) this.store.putDuplicate(this.account, this.profile, d);
      for (const key of this.open.keys()) {
        if (!this.found.has(key) && this.rows.get(key) === 1) this.store.clearDuplicate(this.account, this.profile, key);
      }
    });
  }
}
