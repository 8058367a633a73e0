// The order lifecycle, written once (SPEC §1, §4): intent and members committed → POST → order id
// committed → follow → settle the answer into one outcome per member, committed with the order's
// end. The live run, a resumed run, reconcile, deletes and pruning all go through here.
//
//   planned ──intent──▶ sent ──id──▶ open ──final answer──▶ settled
//                        │ no answer: looked up (driver.find), never resent blindly
//                        └ refused for sure (4xx, not sent): closed NOT_SENT, members planned again

import { isAmbiguous, isFatal, failureCode, failureText, type RunContext } from '../pipeline/context.js';
import { followOrders } from '../pipeline/follow.js';
import type { OrderRecord } from '../state/store.js';
import type { OrderDriver } from './drivers.js';
import { currentAttempt, type OrderKind } from './keys.js';
import { settle, type MemberOutcome, type OrderAnswer } from './settle.js';

/** One order to send: its members, the content its key is made of, and how to send and mark it. */
export interface OrderPlan {
  readonly kind: OrderKind;
  readonly members: readonly string[];
  /** What the order's key is made of (with the attempt number): the items as sent. */
  readonly content: readonly unknown[];
  readonly post: (key: string) => Promise<{ orderId: string; rawStatus: string }>;
  /** Writes the members as in flight on this order (id '' with the intent), inside the engine's transaction. */
  readonly markPending?: (orderId: string) => void;
}

/** Where a member ended: settled from a final answer, still open, or not sent. */
export type MemberResult =
  | (MemberOutcome & { readonly orderId: string })
  | { readonly member: string; readonly result: 'pending' | 'not-sent'; readonly orderId: string; readonly code: string; readonly message: string };

interface Open { readonly key: string; readonly kind: string; readonly orderId: string; readonly members: readonly string[] }

/**
 * Writes a settled order's outcomes to the state store, the same for every path: the records the
 * intent wrote keep their content and take the outcome's status. A member retried keeps no order
 * id, so the next run sends it again.
 */
export function applyOutcomes(ctx: RunContext, kind: string, orderId: string, outcomes: readonly MemberOutcome[]): void {
  const { account, profile } = ctx.settings;
  const { store } = ctx;
  for (const o of outcomes) {
    const error = o.result === 'done' ? { errorCode: '', errorMessage: '' } : { errorCode: o.code, errorMessage: o.message };
    if (kind === 'loc' || kind === 'del-loc') {
      const l = store.getLocation(account, o.member);
      if (l === undefined) continue;
      if (kind === 'del-loc') { if (o.result === 'done') store.putLocation({ ...l, status: 'deleted' }); continue; }
      store.putLocation({ ...l, ...error, status: o.result === 'done' ? 'provisioned' : o.result === 'refused' ? 'rejected' : 'pending', orderId: o.result === 'retry' ? '' : orderId });
      continue;
    }
    const e = store.getEndpoint(account, profile, o.member);
    if (kind === 'del-ep' || kind === 'del') {
      if (o.result !== 'done') { if (e !== undefined) store.putEndpoint({ ...e, ...error }); continue; }
      store.putEndpoint({
        account, profile, endpointKey: o.member, contentHash: '', addressRef: e?.addressRef ?? '', status: 'deleted', orderId,
        runId: ctx.runId, errorCode: '', errorMessage: '', stdText: '',
      });
      continue;
    }
    if (e === undefined) continue;
    store.putEndpoint({ ...e, ...error, runId: ctx.runId, status: o.result === 'done' ? 'provisioned' : o.result === 'refused' ? 'rejected' : 'pending', orderId: o.result === 'retry' ? '' : orderId });
  }
}

/** Follows open orders to their end (or the poll timeout); each final answer is settled and committed with the order's end. */
async function follow(ctx: RunContext, driver: OrderDriver, open: readonly Open[]): Promise<Map<string, MemberResult[]>> {
  const byKey = new Map(open.map((o) => [o.key, o]));
  const settled = new Map<string, MemberResult[]>();
  const followed = await followOrders<OrderAnswer>(ctx, open.map((o) => ({ key: o.key, orderId: o.orderId })),
    (orderId) => driver.read(open.find((o) => o.orderId === orderId)!.kind, orderId),
    (key, answer) => {
      const o = byKey.get(key)!;
      const outcomes = settle({ orderId: o.orderId, members: o.members }, answer);
      applyOutcomes(ctx, o.kind, o.orderId, outcomes);
      settled.set(key, outcomes.map((x) => ({ ...x, orderId: o.orderId })));
    });
  for (const f of followed) {
    if (f.final !== undefined) continue;
    const o = byKey.get(f.key)!;
    settled.set(f.key, o.members.map((member) => ({
      member, result: 'pending', orderId: o.orderId, code: 'ORDER_PENDING',
      message: `Order ${o.orderId} had not finished when esprov stopped following it: run esprov reconcile to finish it.`,
    })));
  }
  return settled;
}

/** Looks up the order an unanswered POST may have made; commits its id when found. */
async function findUnanswered(ctx: RunContext, driver: OrderDriver, record: OrderRecord, markPending?: (orderId: string) => void): Promise<string | undefined> {
  const { account, profile } = ctx.settings;
  const orderId = await driver.find(record);
  if (orderId === undefined) return undefined;
  ctx.store.transaction(() => {
    ctx.store.updateOrder(account, profile, record.orderKey, orderId, 'FOUND', false);
    if (markPending !== undefined) markPending(orderId);
    else applyPending(ctx, record, orderId);
  });
  return orderId;
}

/** A resumed order's members are in flight on the order found for it. */
function applyPending(ctx: RunContext, record: OrderRecord, orderId: string): void {
  const { account, profile } = ctx.settings;
  for (const id of record.members) {
    if (record.kind === 'loc' || record.kind === 'del-loc') {
      const l = ctx.store.getLocation(account, id);
      if (l !== undefined && record.kind === 'loc') ctx.store.putLocation({ ...l, orderId });
    } else {
      const e = ctx.store.getEndpoint(account, profile, id);
      if (e !== undefined && record.kind !== 'del-ep' && record.kind !== 'del') ctx.store.putEndpoint({ ...e, orderId });
    }
  }
}

/**
 * Sends each planned order (one after another, within the budget the transport keeps), or finds
 * the attempt an earlier run left open, then follows them all. Returns each member's result.
 */
export async function sendAndFollow(ctx: RunContext, driver: OrderDriver, plans: readonly OrderPlan[]): Promise<MemberResult[]> {
  const { account, profile } = ctx.settings;
  const { store } = ctx;
  const results: MemberResult[] = [];
  const open: Open[] = [];
  for (const plan of plans) {
    const attempt = currentAttempt(plan.kind, plan.content, (key) => store.getOrder(account, profile, key));
    const known = attempt.open ? store.getOrder(account, profile, attempt.key) : undefined;
    if (known !== undefined && known.orderId !== '') {
      open.push({ key: attempt.key, kind: plan.kind, orderId: known.orderId, members: plan.members });
      continue;
    }
    if (known !== undefined) {
      // An intent without an order id: a crash came between the POST and its answer. Look it up.
      try {
        const found = await findUnanswered(ctx, driver, known, plan.markPending);
        if (found !== undefined) { open.push({ key: attempt.key, kind: plan.kind, orderId: found, members: plan.members }); continue; }
      } catch (err) {
        if (isFatal(err)) throw err;
        for (const member of plan.members) results.push({ member, result: 'pending', orderId: '', code: failureCode(err), message: failureText(err) });
        continue;
      }
    }
    store.transaction(() => {
      store.putOrder({ account, profile, orderKey: attempt.key, orderId: '', kind: plan.kind, members: [...plan.members], status: 'INTENT', final: false, runId: ctx.runId });
      plan.markPending?.('');
    });
    let ref: { orderId: string; rawStatus: string } | undefined;
    try {
      ref = await plan.post(attempt.key);
    } catch (err) {
      // Credentials or target refused: the API did not take it. Closed, so no intent is left open.
      if (isFatal(err)) { store.updateOrder(account, profile, attempt.key, '', 'NOT_SENT', true); throw err; }
      if (isAmbiguous(err)) {
        // Sent, but no answer said whether it was made: ask the API now, so a dropped connection
        // does not change the row's outcome (dlr's client has already asked by CustomerOrderId).
        const found = await findUnanswered(ctx, driver, store.getOrder(account, profile, attempt.key)!, plan.markPending).catch((e: unknown) => { if (isFatal(e)) throw e; return undefined; });
        if (found !== undefined) { open.push({ key: attempt.key, kind: plan.kind, orderId: found, members: plan.members }); continue; }
        for (const member of plan.members) results.push({ member, result: 'pending', orderId: '', code: failureCode(err), message: failureText(err) });
        continue;
      }
      // Not made for sure: the intent is closed, and its members are planned again next run.
      store.updateOrder(account, profile, attempt.key, '', 'NOT_SENT', true);
      for (const member of plan.members) results.push({ member, result: 'not-sent', orderId: '', code: failureCode(err), message: failureText(err) });
      continue;
    }
    const sent = ref;
    store.transaction(() => {
      store.updateOrder(account, profile, attempt.key, sent.orderId, sent.rawStatus, false);
      plan.markPending?.(sent.orderId);
    });
    open.push({ key: attempt.key, kind: plan.kind, orderId: sent.orderId, members: plan.members });
  }
  for (const members of (await follow(ctx, driver, open)).values()) results.push(...members);
  return results;
}

/**
 * Finishes the orders earlier runs left open (a crash, a poll timeout, an unanswered POST): each is
 * found or closed, followed, and settled exactly as the run that sent it would have.
 */
export async function finishOpenOrders(ctx: RunContext, driver: OrderDriver, records: readonly OrderRecord[]): Promise<MemberResult[]> {
  const { account, profile } = ctx.settings;
  const open: Open[] = [];
  for (const record of records) {
    if (record.orderId !== '') { open.push({ key: record.orderKey, kind: record.kind, orderId: record.orderId, members: record.members }); continue; }
    let found: string | undefined;
    try {
      found = await findUnanswered(ctx, driver, record);
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.note(`could not look up order ${record.orderKey} (${(err as Error).message}); it stays open for the next run`);
      continue;
    }
    if (found !== undefined) open.push({ key: record.orderKey, kind: record.kind, orderId: found, members: record.members });
    // Never made: closed, and its members are planned again from scratch.
    else ctx.store.updateOrder(account, profile, record.orderKey, '', 'NOT_SENT', true);
  }
  const results: MemberResult[] = [];
  for (const members of (await follow(ctx, driver, open)).values()) results.push(...members);
  return results;
}
