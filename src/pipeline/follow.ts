// Following orders to their end: poll with backoff (short at first, longer later), every open
// order once per round, until each is final or the poll timeout passes.

import { isFatal, type RunContext } from './context.js';

export interface Followed<T> {
  readonly key: string;
  readonly orderId: string;
  /** The final answer, or undefined when the poll timeout passed first. */
  readonly final: T | undefined;
}

const DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];

export async function followOrders<T extends { final: boolean; rawStatus: string }>(
  ctx: RunContext,
  orders: readonly { key: string; orderId: string }[],
  get: (orderId: string) => Promise<T>,
  onFinal: (key: string, order: T) => void,
): Promise<Followed<T>[]> {
  const results = new Map<string, T | undefined>(orders.map((o) => [o.key, undefined]));
  let open = [...orders];
  const deadline = Date.now() + ctx.settings.pollTimeoutMs;
  if (orders.length > 0) ctx.progress?.stage('orders finished', orders.length);
  for (let round = 0; open.length > 0; round++) {
    const wait = Math.min(DELAYS_MS[Math.min(round, DELAYS_MS.length - 1)]!, Math.max(0, deadline - Date.now()));
    ctx.progress?.waiting(`${open.length} order(s) processing, next check in ${(wait / 1000).toFixed(1)}s`);
    await new Promise((resolve) => setTimeout(resolve, wait));
    ctx.progress?.waiting(undefined);
    const answers = await Promise.all(open.map(async (o) => {
      try {
        return { o, order: await get(o.orderId) };
      } catch (err) {
        // A read that keeps failing leaves the order open for this round; the deadline still holds.
        if (isFatal(err)) throw err;
        ctx.note(`could not read order ${o.orderId} (${(err as Error).message}); trying again`);
        return { o, order: undefined };
      }
    }));
    for (const { o, order } of answers) {
      if (order === undefined || !order.final) continue;
      results.set(o.key, order);
      ctx.progress?.tick();
      // The order's end and its items' results are one transaction: a crash never leaves one without the other.
      ctx.store.transaction(() => {
        ctx.store.updateOrder(ctx.settings.account, ctx.settings.profile, o.key, o.orderId, order.rawStatus, true);
        onFinal(o.key, order);
      });
    }
    open = open.filter((o) => results.get(o.key) === undefined);
    if (open.length > 0 && Date.now() >= deadline) {
      for (const o of open) ctx.note(`order ${o.orderId} is not finished after the poll timeout; its rows stay PENDING`);
      break;
    }
  }
  return orders.map((o) => ({ key: o.key, orderId: o.orderId, final: results.get(o.key) }));
}
