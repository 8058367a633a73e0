// --prune-locations: after deletes, the locations (dlr) or addresses (unified) esprov provisioned
// that no endpoint uses any more are deleted too. A location still bound to an endpoint is kept
// (the API would refuse it: 8051).

import { driverFor } from '../orders/drivers.js';
import { sendAndFollow } from '../orders/engine.js';
import { chunks, isFatal, type RunContext } from './context.js';

export async function pruneLocations(ctx: RunContext): Promise<number> {
  const { account, profile } = ctx.settings;
  const inUse = new Set(
    ctx.store
      .listEndpoints(account, profile)
      .filter((e) => e.status !== 'deleted')
      .map((e) => e.addressRef),
  );
  if (profile === 'dlr') {
    const unused = ctx.store.listLocations(account).filter((l) => l.status === 'provisioned' && !inUse.has(l.locationId));
    if (unused.length === 0) return 0;
    ctx.note(`prune-locations: ${unused.length} location(s) no endpoint uses`);
    const plans = chunks(
      unused.map((l) => l.locationId),
      ctx.settings.chunkSize,
    ).map((chunk) => ({
      kind: 'del-loc' as const,
      members: chunk,
      content: chunk,
      post: (key: string) => ctx.api.dlr!.deleteLocations(chunk, key),
    }));
    let pruned = 0;
    for (const r of await sendAndFollow(ctx, driverFor(profile, ctx.api), plans)) {
      if (r.result === 'done') pruned++;
      // A location still bound to an endpoint is refused (8051) and kept.
      else if (r.result !== 'pending') ctx.note(`could not delete location ${r.member}: ${r.message}`);
    }
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
