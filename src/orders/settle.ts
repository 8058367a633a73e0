// One answer, one outcome: every path that reads an order's answer (the live run, a resumed run,
// reconcile, deletes, pruning) settles it here, so the copies cannot drift (SPEC §1, §4).
//
// An answer is first read into the API-neutral OrderAnswer (dlrAnswer, unifiedAnswer), then
// `settle` gives each member of the order one outcome:
//   done     the API made (or deleted) it;
//   refused  the API named it with a reason of its own: REJECTED, kept until the row changes;
//   retry    not made and no reason of its own (the order failed as a whole, or ended without a word
//            on it): FAILED now, and sent again by the next run, whichever command settled it.

import type { DlrOrder, UnifiedOrderDetails } from '../api/index.js';

export type ItemAnswer = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly description: string };

export interface OrderAnswer {
  readonly final: boolean;
  readonly rawStatus: string;
  /** The order failed as a whole. */
  readonly failed: boolean;
  /** The order ended in the API's plain success: members it does not name were made. */
  readonly complete: boolean;
  /** What the answer says of the members it names. */
  readonly items: ReadonlyMap<string, ItemAnswer>;
  /** true when the answer names every member it processed (unified), false when only refused ones (dlr). */
  readonly listsEveryItem: boolean;
  /** The order's own reason, for a member that has none. */
  readonly reason: string;
}

export type MemberOutcome = { readonly member: string; readonly result: 'done' } | { readonly member: string; readonly result: 'refused' | 'retry'; readonly code: string; readonly message: string };

/** The sentence of an API's reason: one final period. */
const sentence = (text: string): string => `${text.trim().replace(/\.+$/, '')}.`;

/** From this attempt on, an order that fails as a whole is taken for a setup cause, not a passing one. */
export const FAILS_FOR_SETUP_AFTER = 3;

/** Why an order failed as a whole, and what to do: send it again, or (it failed on every attempt) check first. */
function orderFailed(orderId: string, reason: string, attempt: number): string {
  if (attempt < FAILS_FOR_SETUP_AFTER) return `Order ${orderId} failed (${reason}); it is sent again on the next run.`;
  return `Order ${orderId} failed (${reason}), as these rows' order did on all ${attempt} attempts, without a reason per row: check what the reason names (the account's E911 setup, these rows' locations) and ask Bandwidth support about order ${orderId}; running again unchanged fails the same way.`;
}

/**
 * Each member's outcome, in the order's member order. Pure: the same answer always settles the same way.
 * `attempt`: which attempt of these members' order this is (1 when not known).
 */
export function settle(order: { readonly orderId: string; readonly members: readonly string[]; readonly attempt?: number }, answer: OrderAnswer): MemberOutcome[] {
  return order.members.map((member): MemberOutcome => {
    const item = answer.items.get(member);
    if (item !== undefined && !item.ok) return { member, result: 'refused', code: item.code, message: sentence(item.description) };
    if (item !== undefined) return { member, result: 'done' };
    if (answer.failed) {
      return { member, result: 'retry', code: 'ORDER_FAILED', message: orderFailed(order.orderId, answer.reason, order.attempt ?? 1) };
    }
    if (!answer.listsEveryItem || answer.complete) return { member, result: 'done' };
    return {
      member,
      result: 'retry',
      code: 'ITEM_NOT_REPORTED',
      message: `Order ${order.orderId} ended ${answer.rawStatus} without a result for this item; it is sent again on the next run.`,
    };
  });
}

/** A dlr order's answer. Its errors name the refused items (AEUIs by Identifier, locations by LocationId); the others were made. */
export function dlrAnswer(order: Pick<DlrOrder, 'final' | 'rawStatus' | 'status' | 'errors'>, members: 'identifiers' | 'locationIds'): OrderAnswer {
  const items = new Map<string, ItemAnswer>();
  for (const e of order.errors) for (const id of e[members]) if (!items.has(id)) items.set(id, { ok: false, code: e.code, description: e.description });
  const first = order.errors[0];
  return {
    final: order.final,
    rawStatus: order.rawStatus,
    failed: order.status === 'FAILED',
    complete: order.status === 'COMPLETE' || order.status === 'ADJUSTED_COMPLETE',
    items,
    listsEveryItem: false,
    reason: first !== undefined ? `${first.description.replace(/\.+$/, '')}, code ${first.code}` : `it ended ${order.rawStatus} without a reason per item`,
  };
}

/** A unified order's details: each endpoint it processed, SUCCESS or ERROR (IN_PROGRESS is no answer yet). */
export function unifiedAnswer(order: Pick<UnifiedOrderDetails, 'final' | 'rawStatus' | 'status' | 'endpoints'>): OrderAnswer {
  const items = new Map<string, ItemAnswer>();
  for (const e of order.endpoints) {
    if (e.status === 'SUCCESS') items.set(e.id, { ok: true });
    else if (e.status === 'ERROR') items.set(e.id, { ok: false, code: e.errorCode || 'ENDPOINT_ERROR', description: e.error || 'The API refused this endpoint' });
  }
  const first = order.endpoints.find((e) => e.error);
  return {
    final: order.final,
    rawStatus: order.rawStatus,
    failed: order.status === 'FAILED',
    complete: order.status === 'COMPLETED',
    items,
    listsEveryItem: true,
    reason: first?.error ? `${first.error.replace(/\.+$/, '')}, code ${first.errorCode ?? ''}` : `it ended ${order.rawStatus} without a reason per endpoint`,
  };
}
