// A row's outcome: what the result file says of the row beside its planned action. Made by the
// small constructors below and never changed once made: the planner makes the outcome of a row
// that is final at planning, each stage the outcomes of the rows it settles.

import type { RowStatus } from '../output/result.js';

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
