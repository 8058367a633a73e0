// --prune-locations: after deletes, the locations (dlr) or addresses (unified) esprov provisioned
// that no endpoint uses any more are deleted too. A location still bound to an endpoint is kept
// (the API would refuse it: 8051).

import { customerOrderId } from '../api/dlr/order-id.js';
import { chunks, isFatal, type RunContext } from './context.js';
import { followOrders } from './follow.js';

export async function pruneLocations(ctx: RunContext): Promise<number> {
  const { account, profile } = ctx.settings;
  const inUse = new Set(ctx.store.listEndpoints(account, profile).filter((e) => e.status !== 'deleted').map((e) => e.addressRef));
  if (profile === 'dlr') {
    const unused = ctx.store.listLocations(account).filter((l) => l.status === 'provisioned' && !inUse.has(l.locationId));
    if (unused.length === 0) return 0;
    ctx.note(`prune-locations: ${unused.length} location(s) no endpoint uses`);
    const sent: { key: string; orderId: string; members: string[] }[] = [];
    for (const chunk of chunks(unused.map((l) => l.locationId), ctx.settings.chunkSize)) {
      const key = customerOrderId('del-loc', { chunk, run: ctx.runId });
      ctx.store.putOrder({ account, profile, orderKey: key, orderId: '', kind: 'del-loc', members: chunk, status: 'INTENT', final: false, runId: ctx.runId });
      try {
        const ref = await ctx.api.dlr!.deleteLocations(chunk, key);
        ctx.store.updateOrder(account, profile, key, ref.orderId, ref.rawStatus, false);
        sent.push({ key, orderId: ref.orderId, members: chunk });
      } catch (err) {
        if (isFatal(err)) throw err;
        ctx.note(`could not delete locations ${chunk.join(', ')}: ${(err as Error).message}`);
      }
    }
    let pruned = 0;
    await followOrders(ctx, sent, (id) => ctx.api.dlr!.getOrder(id), (key, order) => {
      const refused = new Set(order.errors.flatMap((e) => e.locationIds));
      for (const id of sent.find((s) => s.key === key)!.members) {
        if (refused.has(id)) continue;
        const l = ctx.store.getLocation(account, id);
        if (l !== undefined) { ctx.store.putLocation({ ...l, status: 'deleted' }); pruned++; }
      }
    });
    return pruned;
  }
  let pruned = 0;
  for (const a of ctx.store.listAddresses(account, profile)) {
    if (a.addressId === '' || a.outcome === 'invalid' || inUse.has(a.addressId)) continue;
    try {
      await ctx.api.unified!.deleteAddress(a.addressId);
      ctx.store.deleteAddress(account, profile, a.addressKey);
      pruned++;
    } catch (err) {
      if (isFatal(err)) throw err;
      ctx.note(`could not delete address ${a.addressId}: ${(err as Error).message}`);
    }
  }
  return pruned;
}
