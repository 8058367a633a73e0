// --prune-locations: after deletes, the locations (dlr) or addresses (unified) esprov provisioned
// that no endpoint uses any more are deleted too. A location still bound to an endpoint is kept
// (the API would refuse it: 8051).

import { callsOf } from '../profiles/calls.js';
import type { RunContext } from './context.js';

export async function pruneLocations(ctx: RunContext): Promise<number> {
  const { account, profile } = ctx.settings;
  const inUse = new Set(
    ctx.store
      .listEndpoints(account, profile)
      .filter((e) => e.status !== 'deleted')
      .map((e) => e.addressRef),
  );
  return callsOf(ctx).pruneUnused(ctx, inUse);
}
