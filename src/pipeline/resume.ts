// Before planning, orders an earlier run left open (a crash, a poll timeout, an unanswered POST)
// are finished by the order engine: an intent without an order id is looked up rather than
// resent, every open order is followed, and its answer is settled exactly as the run that sent it
// would have settled it.

import { finishOpenOrders } from '../orders/engine.js';
import { callsOf } from '../profiles/calls.js';
import type { RunContext } from './context.js';

export async function resumeOpenOrders(ctx: RunContext): Promise<void> {
  const { account, profile } = ctx.settings;
  const open = ctx.store.openOrders(account, profile);
  if (open.length === 0) return;
  await ctx.needApi();
  ctx.note(`finishing ${open.length} order(s) left open by an earlier run`);
  ctx.progress?.stage('orders of an earlier run finished');
  await finishOpenOrders(ctx, callsOf(ctx).orders, open);
}
