// check --validate-addresses (SPEC §2): each distinct address of the valid rows goes through the
// run's own address stage — dlr geocodes, which create nothing; unified address records, which the
// run reuses — and the answers are committed to the state store, so the run after asks nothing again.

import type { ResultRow } from '../output/result.js';
import { callsOf } from '../profiles/calls.js';
import type { NormalizedRow } from '../rules/types.js';
import type { AddressContext } from './context.js';
import { asksAddress } from './read.js';

/** What a row's address answer changes in its check result; undefined when nothing was asked for it. */
export type AddressAnswer = (row: NormalizedRow) => Partial<ResultRow> | undefined;

export interface Validated {
  readonly answer: AddressAnswer;
  /** Addresses the API was asked about (unified: address records created on the account). */
  readonly asked: number;
}

/** Validates the addresses of `rows` (rows to provision; a DELETE has no address to validate). */
export function validateAddresses(ctx: AddressContext, rows: readonly NormalizedRow[]): Promise<Validated> {
  return callsOf(ctx).validateAddresses(ctx, rows.filter(asksAddress));
}
