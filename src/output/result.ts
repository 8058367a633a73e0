// One result row per input row (SPEC §5): the original cells, then the result columns.

import { profileOf } from '../profiles/index.js';
import type { Profile } from '../rules/types.js';

export type RowStatus =
  | 'VALID'
  | 'INVALID'
  | 'SKIPPED'
  | 'SUCCESS'
  | 'UNCHANGED'
  | 'DELETED'
  | 'REJECTED'
  | 'FAILED'
  | 'PENDING'
  /** --dry-run: the row would be sent. */
  | 'PLANNED';

export type ResultAction = 'ADD' | 'UPDATE' | 'DELETE' | 'NONE';

export interface ResultRow {
  /** The row's line number in the input. */
  readonly line: number;
  /** The original cells, verbatim, one per header column. */
  readonly cells: readonly string[];
  readonly action: ResultAction;
  readonly status: RowStatus;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly warnings: string;
  /** For an UPDATE: each changed field, old → new (`CallerName: "Desk 1" → "Lobby"`), joined by "; ". */
  readonly changes: string;
  /** The LocationId (dlr) or address ID (unified) this row's address has. */
  readonly addressRef: string;
  readonly orderId: string;
  readonly stdAddress: string;
}

export function resultColumns(profile: Profile): string[] {
  return [
    'result_row',
    'result_action',
    'result_status',
    'result_error_code',
    'result_error_message',
    'result_warnings',
    'result_changes',
    profileOf(profile).refColumn,
    'result_order_id',
    'result_std_address',
  ];
}

/** Every column esprov adds, under either profile: a result fed back in has them dropped and added anew. */
export const RESULT_COLUMNS: ReadonlySet<string> = new Set([...resultColumns('dlr'), ...resultColumns('unified')]);

/**
 * A row's input line; empty for a row esprov added (an endpoint deleted because it was missing from
 * the input). Not String(line): V8 keeps that text in its number-to-string cache, long enough that
 * a million of them moved to the long-lived heap (24 MB of garbage that no full GC collected).
 */
export const lineText = (line: number): string => (line > 0 ? line.toFixed(0) : '');

export function resultCells(r: ResultRow): string[] {
  return [lineText(r.line), r.action, r.status, r.errorCode, r.errorMessage, r.warnings, r.changes, r.addressRef, r.orderId, r.stdAddress];
}

/** Statuses that need a person. */
export const NEEDS_ATTENTION: ReadonlySet<RowStatus> = new Set(['INVALID', 'REJECTED', 'FAILED']);
