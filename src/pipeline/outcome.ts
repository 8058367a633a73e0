// A row's outcome: what the result file says of the row beside its planned action. Made by the
// small constructors below and never changed once made: the planner makes the outcome of a row
// that is final at planning, each stage returns the outcomes of the rows it settled, and
// `resultRow` joins a planned row and its outcome into its result row (the one place that does).

import type { MemberResult } from '../orders/engine.js';
import { rulesOf } from '../profiles/index.js';
import type { ResultAction, ResultRow, RowStatus } from '../output/result.js';
import { changesText } from '../rules/changes.js';
import type { NormalizedRow } from '../rules/types.js';
import type { RunRow } from './context.js';
import type { Planned } from './plan.js';
import { NO_CHANGES } from './warnings.js';

export interface Outcome {
  readonly status: RowStatus;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Shared by the rows that have the same (see `warnings.ts`): never changed in place. */
  readonly warnings: readonly string[];
  readonly addressRef: string;
  readonly orderId: string;
  readonly stdAddress: string;
}

/** Where a row's address stands when it is settled: its warnings, its location or address ID, and the address as the result shows it. */
export interface Addressed {
  readonly warnings: readonly string[];
  readonly addressRef: string;
  readonly stdAddress: string;
}

/** The code and sentence of a row esprov did not get to because the run was stopped. */
export const STOPPED = {
  code: 'STOPPED',
  message: "Not sent: esprov was stopped (SIGINT/SIGTERM) before this row's turn; run the same file again, or esprov reconcile, to finish it.",
} as const;

const outcome = (status: RowStatus, errorCode: string, errorMessage: string, at: Addressed, orderId: string): Outcome => ({
  status,
  errorCode,
  errorMessage,
  warnings: at.warnings,
  addressRef: at.addressRef,
  orderId,
  stdAddress: at.stdAddress,
});

/** Provisioned (SUCCESS), deleted (DELETED), or nothing to do (UNCHANGED). */
export const done = (status: 'SUCCESS' | 'DELETED' | 'UNCHANGED', at: Addressed, orderId: string): Outcome => outcome(status, '', '', at, orderId);

/** A row that holds no endpoint (SKIPPED) or cannot be sent as it is (INVALID). */
export const refused = (status: 'INVALID' | 'SKIPPED', code: string, message: string, warnings: readonly string[]): Outcome =>
  outcome(status, code, message, { warnings, addressRef: '', stdAddress: '' }, '');

/** Refused by the API with a reason of its own: kept until the row changes. */
export const rejected = (at: Addressed, code: string, message: string, orderId: string): Outcome => outcome('REJECTED', code, message, at, orderId);

/** Not provisioned, without a reason of the row's own: the next run sends it again. */
export const failed = (at: Addressed, code: string, message: string, orderId: string): Outcome => outcome('FAILED', code, message, at, orderId);

/** Not finished: a row without a message of its own says why and what to do. */
export function pending(at: Addressed, orderId: string, code = '', message = ''): Outcome {
  if (message !== '') return outcome('PENDING', code, message, at, orderId);
  const text =
    orderId === ''
      ? 'Not sent: an earlier stage of this row did not finish; run esprov reconcile to finish it.'
      : `Order ${orderId} had not finished when esprov stopped following it: run esprov reconcile to finish it.`;
  return outcome('PENDING', 'ORDER_PENDING', text, at, orderId);
}

/** Left PENDING because the run was stopped before the row was sent. */
export const stopped = (at: Addressed, orderId = ''): Outcome => outcome('PENDING', STOPPED.code, STOPPED.message, at, orderId);

/** A dry run: the row would be sent. */
export const planned = (at: Addressed, action: string): Outcome => outcome('PLANNED', 'DRY_RUN', `Dry run: this row would be sent (${action}); nothing was sent.`, at, '');

/**
 * A row's outcome from its order's result: `done` is SUCCESS (or DELETED for a delete), refused
 * REJECTED, retried or not sent FAILED (sent again by the next run), still open PENDING.
 */
export function settled(at: Addressed, r: MemberResult, end: 'SUCCESS' | 'DELETED', what: string): Outcome {
  switch (r.result) {
    case 'done':
      return done(end, at, r.orderId);
    case 'refused':
      return rejected(at, r.code, r.message, r.orderId);
    case 'retry':
      return failed(at, r.code, r.message, r.orderId);
    case 'pending':
      return pending(at, r.orderId, r.code, r.message);
    case 'not-sent':
      return failed(at, r.code, `The ${what} order could not be sent: ${r.message}`, r.orderId);
  }
}

/** The address as esprov sends it. */
export const formattedAddress = (row: NormalizedRow): string => (row.action === 'DELETE' ? '' : rulesOf(row).formatAddress(row));

/** Where the address of a row with something to do stands before any stage: as planned. */
export function asPlanned(plan: Exclude<Planned, { kind: 'final' }>): Addressed {
  if (plan.kind === 'send') return { warnings: plan.warnings, addressRef: '', stdAddress: formattedAddress(plan.row) };
  if (plan.kind === 'delete') return { warnings: plan.warnings, addressRef: '', stdAddress: '' };
  return plan;
}

/** What the result file says a planned row does. */
export const actionOf = (plan: Planned): ResultAction => (plan.kind === 'final' || plan.kind === 'send' ? plan.action : 'DELETE');

/** A row's outcome: its own when final at planning, else what a stage settled; a row no stage settled did not get its turn. */
export const outcomeOf = (r: RunRow, settledRows: ReadonlyMap<RunRow, Outcome>): Outcome => (r.plan.kind === 'final' ? r.plan.outcome : (settledRows.get(r) ?? pending(asPlanned(r.plan), '')));

/** The result row of a planned row and its outcome. */
export function resultRow(r: RunRow, o: Outcome): ResultRow {
  return {
    line: r.line,
    cells: r.cells,
    action: actionOf(r.plan),
    status: o.status,
    errorCode: o.errorCode,
    errorMessage: o.errorMessage,
    warnings: o.warnings.join(' '),
    changes: changesText(r.plan.kind === 'send' ? r.plan.changes : NO_CHANGES),
    addressRef: o.addressRef,
    orderId: o.orderId,
    stdAddress: o.stdAddress,
  };
}
