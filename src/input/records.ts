// What every reader yields: the header, then one item per record, each with the line it starts on.

import type { ProblemCode } from '../rules/codes.js';

export interface RecordItem {
  readonly line: number;
  readonly cells: readonly string[];
  /** Set when the record could not be read as a whole; the row becomes INVALID. */
  readonly broken?: { readonly code: ProblemCode; readonly params: Record<string, string | number> };
  /** The record's raw text, when it spans more than one line (kept to split a broken one back). */
  readonly raw?: string;
}

export interface InputTable {
  readonly header: readonly string[];
  /** Records in input order, in batches (one await per batch, not per record). */
  readonly records: AsyncIterable<readonly RecordItem[]>;
  readonly describe: () => string;
}

/** A record with no text in any cell (only delimiters, or a blank line). */
export function isBlank(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/**
 * A blank line (one cell, no text) is not a record. A line of delimiters alone is: it is how a
 * spreadsheet writes an empty row, and every row of the file keeps its result row (SKIPPED).
 */
export const isNoRecord = (cells: readonly string[]): boolean => cells.length <= 1 && isBlank(cells);
