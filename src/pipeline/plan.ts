// Stage 2, plan (pure): what each row needs, given what the state store says was provisioned. The
// planned row is plain data: final at planning (with its outcome), to send, or to delete.

import type { ResultAction } from '../output/result.js';
import { FIELDS_UNKNOWN } from '../rules/changes.js';
import { warning, type Problem } from '../rules/codes.js';
import { rulesOf } from '../profiles/index.js';
import type { NormalizedRow } from '../rules/types.js';
import type { EndpointRecord } from '../state/store.js';
import { done, formattedAddress, pending, refused, rejected, type Addressed, type Outcome } from './outcome.js';
import { joinMessages, type CheckedRow } from './read.js';
import { NO_CHANGES, withWarning } from './warnings.js';

export type Plan =
  | { readonly kind: 'unchanged' }
  /** Sent by an earlier run whose order has not finished: not sent again. */
  | { readonly kind: 'in-flight' }
  | { readonly kind: 'keep-rejected'; readonly code: string; readonly message: string }
  | { readonly kind: 'add' }
  | { readonly kind: 'update' }
  | { readonly kind: 'delete' }
  /** An Action=DELETE row whose endpoint a run already deleted. */
  | { readonly kind: 'already-deleted' };

/** The endpoint the row names (dlr: Identifier; unified: phone number). */
export const endpointKey = (row: NormalizedRow): string => rulesOf(row).endpointKey(row);

/** The content that, when unchanged, means the endpoint needs nothing sent. */
export const contentHash = (row: NormalizedRow): string => rulesOf(row).contentHash(row);

export { LANGUAGE_UNKNOWN } from '../profiles/dlr.js';

/** Whether the row holds what `hash` was made of (an adopted endpoint's unknown language matches any). */
export const sameContent = (row: NormalizedRow, hash: string): boolean => rulesOf(row).sameContent(row, hash);

export function planRow(row: NormalizedRow, known: EndpointRecord | undefined, retryRejected: boolean): Plan {
  if (row.action === 'DELETE') return known?.status === 'deleted' ? { kind: 'already-deleted' } : { kind: 'delete' };
  if (known === undefined || known.status === 'deleted') return { kind: 'add' };
  if (sameContent(row, known.contentHash)) {
    if (known.status === 'provisioned') return { kind: 'unchanged' };
    if (known.status === 'rejected' && !retryRejected) return { kind: 'keep-rejected', code: known.errorCode, message: known.errorMessage };
    if (known.status === 'pending' && known.orderId !== '') return { kind: 'in-flight' };
  }
  return known.status === 'provisioned' ? { kind: 'update' } : { kind: 'add' };
}

/** What a run must do for a row, as plain data. */
export type Planned =
  /**
   * Nothing to send: INVALID, SKIPPED, UNCHANGED, kept REJECTED, in flight, already deleted. `key`
   * is the endpoint the row names ('' when it names no valid one).
   */
  | { readonly kind: 'final'; readonly key: string; readonly action: ResultAction; readonly outcome: Outcome }
  | { readonly kind: 'send'; readonly row: NormalizedRow; readonly action: 'ADD' | 'UPDATE'; readonly changes: readonly string[]; readonly warnings: readonly string[] }
  /** An input row with Action DELETE. */
  | { readonly kind: 'delete'; readonly key: string; readonly warnings: readonly string[] }
  /** An endpoint esprov provisioned that the input no longer has (--delete-missing). */
  | { readonly kind: 'missing'; readonly key: string; readonly addressRef: string; readonly stdAddress: string; readonly warnings: readonly string[] };

/** A row to send. */
export type SendPlan = Extract<Planned, { kind: 'send' }>;

/** What the state store says, read by planning: reads only, so planning with the same answers plans the same. */
export interface StoreView {
  /** The fields that would change ([] none), or undefined when the provisioned ones are not known. */
  changed(row: NormalizedRow, known: EndpointRecord): readonly string[] | undefined;
  /** An adopted endpoint that differs only by what the account added (see `adopt.ts`). */
  sameAsImported(row: NormalizedRow, known: EndpointRecord): boolean;
  /** Whether the order is open (not known as final). */
  orderOpen(orderId: string): boolean;
  /** Whether the run did not finish (killed, or rows left PENDING): what it provisioned is this run's SUCCESS. */
  unfinished(runId: string): boolean;
}

/** A checked row, with what planning found for it. */
export interface PlanInput {
  readonly checked: CheckedRow;
  /** A duplicate fed back from --errors-out: the row is refused with this problem. */
  readonly refusal: Problem | undefined;
  /** The row's warnings as the result shows them (a shared list). */
  readonly warnings: readonly string[];
  /** The valid row as the store's locations place it (see `adopt.ts`, `changes.ts`); undefined when refused or not valid. */
  readonly row: NormalizedRow | undefined;
  /** The endpoint the row names, as the store knows it. */
  readonly known: EndpointRecord | undefined;
}

/** The planned row: what the run must do for it. Pure: no write, no call; the store is only read, through `view`. */
export function planInput(input: PlanInput, view: StoreView, retryRejected: boolean): Planned {
  const { checked, warnings, row, known } = input;
  if (checked.skipped !== undefined) return final('', 'NONE', refused('SKIPPED', checked.skipped.code, checked.skipped.message, warnings));
  if (row === undefined) {
    const errors = input.refusal === undefined ? checked.errors : [input.refusal];
    return final('', 'NONE', refused('INVALID', errors[0]?.code ?? '', joinMessages(errors), warnings));
  }
  const key = endpointKey(row);
  let plan = planRow(row, known, retryRejected);
  let changes: readonly string[] = NO_CHANGES;
  if (plan.kind === 'update') {
    // A row that differs from what was provisioned in no field esprov sends is UNCHANGED.
    const changed = view.changed(row, known!);
    if (changed === undefined ? view.sameAsImported(row, known!) : changed.length === 0) plan = { kind: 'unchanged' };
    else changes = changed ?? [FIELDS_UNKNOWN];
  }
  // In flight only while its order is open; an order that ended without a result for it is sent again.
  if (plan.kind === 'in-flight' && !view.orderOpen(known!.orderId)) plan = { kind: 'add' };
  const at = (addressRef: string, stdAddress: string): Addressed => ({ warnings, addressRef, stdAddress });
  switch (plan.kind) {
    // An endpoint the store knows shows the API's standardized address.
    case 'unchanged': {
      const again = view.unfinished(known!.runId);
      return final(key, again ? 'ADD' : 'NONE', done(again ? 'SUCCESS' : 'UNCHANGED', at(known!.addressRef, known!.stdText || formattedAddress(row)), known!.orderId));
    }
    case 'in-flight':
      return final(key, 'ADD', pending(at(known!.addressRef, known!.stdText || formattedAddress(row)), known!.orderId));
    case 'keep-rejected': {
      const kept = { warnings: withWarning(warnings, warning('REJECTED_KEPT')), addressRef: known!.addressRef, stdAddress: formattedAddress(row) };
      return final(key, 'NONE', rejected(kept, plan.code, plan.message, known!.orderId));
    }
    case 'already-deleted':
      return final(key, 'NONE', done('UNCHANGED', at('', ''), known!.orderId));
    case 'delete':
      return { kind: 'delete', key, warnings };
    case 'add':
      return { kind: 'send', row, action: 'ADD', changes, warnings };
    case 'update':
      return { kind: 'send', row, action: 'UPDATE', changes, warnings };
  }
}

const final = (key: string, action: ResultAction, outcome: Outcome): Planned => ({ kind: 'final', key, action, outcome });
