// An order's key is a function of its content and its attempt number, never of the run: any run,
// after a crash or with another run id, finds an earlier attempt of the same order again (dlr: as
// its CustomerOrderId), and a resend after a failed attempt is a new order with a new key.

import { canonicalJson, customerOrderId, type DlrOrderKind } from '../api/dlr/order-id.js';

/** The kinds of order: dlr location/endpoint/delete orders, unified endpoint adds, patches and deletes. */
export type OrderKind = DlrOrderKind | 'add' | 'patch' | 'del';

/** The most attempts of one order's content: past it, something is wrong (every attempt failed). */
export const MAX_ATTEMPTS = 1000;

/**
 * The key of attempt `attempt` (from 1) of an order with this content: `esp-<kind>-` and a digest,
 * 40 characters at most, letters, digits and dashes (a valid CustomerOrderId). The first attempt's
 * key is the one esprov has always used, so orders left open by an earlier version are found again.
 */
export function orderKey(kind: OrderKind, content: readonly unknown[], attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number from 1, not ${attempt}`);
  // customerOrderId sorts the items of an array: an object keeps the attempt apart from them.
  return customerOrderId(kind as DlrOrderKind, attempt === 1 ? content : { items: content.map(canonicalJson).sort(), attempt });
}

/** An earlier attempt as the state store knows it. */
export interface KnownAttempt {
  readonly final: boolean;
}

/**
 * The attempt to use now: the first whose key the store does not know as final. An open attempt
 * (sent, or only intended) is returned to be finished, never resent under a new key.
 */
export function currentAttempt(kind: OrderKind, content: readonly unknown[], known: (key: string) => KnownAttempt | undefined): { key: string; attempt: number; open: boolean } {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const key = orderKey(kind, content, attempt);
    const earlier = known(key);
    if (earlier === undefined) return { key, attempt, open: false };
    if (!earlier.final) return { key, attempt, open: true };
  }
  throw new Error(`order content of kind ${kind} was attempted ${MAX_ATTEMPTS} times`);
}
