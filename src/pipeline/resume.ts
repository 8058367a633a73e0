// Before planning, orders an earlier run left open (a crash, a poll timeout) are finished: an
// intent without an order id is looked up by its CustomerOrderId (dlr) rather than resent, and
// every open order is followed; its results are written to the state store as the run that sent
// it would have.

import type { OrderRecord } from '../state/store.js';
import { isFatal, type RunContext } from './context.js';
import { followOrders } from './follow.js';

interface ItemResult { code: string; description: string }

interface Answer { final: boolean; rawStatus: string; failed: boolean; errors: Map<string, ItemResult> }

async function getAnswer(ctx: RunContext, o: OrderRecord): Promise<Answer> {
  if (ctx.settings.profile === 'dlr') {
    const order = await ctx.api.dlr!.getOrder(o.orderId);
    const errors = new Map<string, ItemResult>();
    for (const e of order.errors) for (const id of o.kind === 'loc' || o.kind === 'del-loc' ? e.locationIds : e.identifiers) errors.set(id, e);
    return { final: order.final, rawStatus: order.rawStatus, failed: order.status === 'FAILED', errors };
  }
  const order = await ctx.api.unified!.getOrderDetails(o.orderId);
  const errors = new Map(order.endpoints.filter((e) => e.status === 'ERROR').map((e) => [e.id, { code: e.errorCode ?? 'ENDPOINT_ERROR', description: e.error ?? 'refused' }]));
  return { final: order.final, rawStatus: order.rawStatus, failed: order.status === 'FAILED', errors };
}

function apply(ctx: RunContext, o: OrderRecord, answer: Answer): void {
  const { account, profile } = ctx.settings;
  ctx.store.transaction(() => {
    for (const id of o.members) {
      const err = answer.errors.get(id) ?? (answer.failed ? { code: 'ORDER_FAILED', description: `order ${o.orderId} failed` } : undefined);
      if (o.kind === 'loc') {
        const l = ctx.store.getLocation(account, id);
        if (l !== undefined) ctx.store.putLocation({ ...l, status: err ? 'rejected' : 'provisioned', orderId: o.orderId, errorCode: err?.code ?? '', errorMessage: err?.description ?? '' });
        continue;
      }
      const e = ctx.store.getEndpoint(account, profile, id);
      if (e === undefined) continue;
      const deleting = o.kind === 'del-ep' || o.kind === 'del';
      ctx.store.putEndpoint({
        ...e,
        runId: ctx.runId,
        status: err ? (deleting ? e.status : 'rejected') : deleting ? 'deleted' : 'provisioned',
        orderId: o.orderId, errorCode: err?.code ?? '', errorMessage: err ? `${err.description.replace(/\.$/, '')}.` : '',
      });
    }
  });
}

/** The order made from an unanswered POST: one of this type, updated since the intent, naming exactly its numbers. */
async function findUnifiedOrder(ctx: RunContext, o: OrderRecord): Promise<string | undefined> {
  const since = Date.parse(o.createdAt ?? '') - 60_000;
  const wanted = [...o.members].sort().join(',');
  for await (const order of ctx.api.unified!.listOrders({ orderType: o.kind === 'add' ? 'ADD_ENDPOINTS' : 'UPDATE_ENDPOINTS' })) {
    if (order.updated !== undefined && Date.parse(order.updated) < since) continue;
    const details = await ctx.api.unified!.getOrderDetails(order.orderId);
    if (details.endpoints.map((e) => e.id).sort().join(',') === wanted) return order.orderId;
  }
  return undefined;
}

/** An ADD_ENDPOINTS order whose answer never came: found in the order list, or else settled by the endpoint list. */
async function resolveUnifiedAdd(ctx: RunContext, o: OrderRecord): Promise<string | undefined> {
  const { account, profile } = ctx.settings;
  const orderId = await findUnifiedOrder(ctx, o);
  if (orderId !== undefined) {
    ctx.store.transaction(() => {
      ctx.store.updateOrder(account, profile, o.orderKey, orderId, 'FOUND', false);
      for (const id of o.members) {
        const e = ctx.store.getEndpoint(account, profile, id);
        if (e !== undefined) ctx.store.putEndpoint({ ...e, orderId });
      }
    });
    return orderId;
  }
  const records = o.members.map((phone) => ctx.store.getEndpoint(account, profile, phone)).filter((e) => e !== undefined);
  const existing = new Set<string>();
  for (const addressId of new Set(records.map((e) => e.addressRef))) {
    for await (const ep of ctx.api.unified!.listEndpoints({ addressId })) existing.add(ep.phoneNumber ?? ep.id);
  }
  ctx.store.transaction(() => {
    for (const e of records) {
      if (existing.has(e.endpointKey)) ctx.store.putEndpoint({ ...e, status: 'provisioned', runId: ctx.runId, errorCode: '', errorMessage: '' });
    }
    ctx.store.updateOrder(account, profile, o.orderKey, '', existing.size > 0 ? 'RECOVERED' : 'NOT_SENT', true);
  });
  return undefined;
}

export async function resumeOpenOrders(ctx: RunContext): Promise<void> {
  const { account, profile } = ctx.settings;
  const open = ctx.store.openOrders(account, profile);
  if (open.length === 0) return;
  await ctx.needApi();
  ctx.note(`finishing ${open.length} order(s) left open by an earlier run`);
  const follow: OrderRecord[] = [];
  for (const o of open) {
    if (o.orderId !== '') { follow.push(o); continue; }
    if (profile === 'unified' && o.kind === 'add') {
      // No CustomerOrderId to look up: the account's endpoint list says which numbers were made.
      try {
        const orderId = await resolveUnifiedAdd(ctx, o);
        if (orderId !== undefined) follow.push({ ...o, orderId });
      } catch (err) {
        if (isFatal(err)) throw err;
        ctx.note(`could not list endpoints to settle an unanswered order (${(err as Error).message}); it stays open for the next run`);
      }
      continue;
    }
    // The intent was written but the POST's answer never came back: was the order made?
    let found;
    try {
      found = profile === 'dlr' ? (await ctx.api.dlr!.findOrdersByCustomerOrderId(o.orderKey))[0] : undefined;
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.note(`could not look up order ${o.orderKey} (${(err as Error).message}); it stays open for the next run`);
      continue;
    }
    if (found !== undefined) {
      ctx.store.transaction(() => {
        ctx.store.updateOrder(account, profile, o.orderKey, found.orderId, found.rawStatus, false);
        // Its items are in flight on this order, not to be sent again.
        for (const id of o.members) {
          if (o.kind === 'loc') {
            const l = ctx.store.getLocation(account, id);
            if (l !== undefined) ctx.store.putLocation({ ...l, orderId: found.orderId });
          } else {
            const e = ctx.store.getEndpoint(account, profile, id);
            if (e !== undefined) ctx.store.putEndpoint({ ...e, orderId: found.orderId });
          }
        }
      });
      follow.push({ ...o, orderId: found.orderId });
    } else {
      // Never made: its items are planned again from scratch.
      ctx.store.updateOrder(account, profile, o.orderKey, '', 'NOT_SENT', true);
    }
  }
  const byKey = new Map(follow.map((o) => [o.orderKey, o]));
  await followOrders(ctx, follow.map((o) => ({ key: o.orderKey, orderId: o.orderId })), (id) => getAnswer(ctx, follow.find((o) => o.orderId === id)!),
    (key, answer) => apply(ctx, byKey.get(key)!, answer));
}
