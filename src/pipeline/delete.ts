// Rows with Action DELETE, and endpoints --delete-missing removes: the endpoint is deleted (dlr:
// Identifiers with DeleteTNSpecificE911Address; unified: DELETE endpoints with endpointIds), in
// chunked orders that the order engine sends, follows and settles.

import { driverFor } from '../orders/drivers.js';
import { sendAndFollow } from '../orders/engine.js';
import { chunks, settleRow, type RunContext, type RunRow } from './context.js';
import { endpointKey } from './plan.js';

export async function runDeletes(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  const { profile } = ctx.settings;
  const work = rows.filter((r) => r.out.todo === 'delete');
  if (work.length === 0) return;
  const byKey = new Map(work.map((r) => [r.deleteKey ?? endpointKey(r.row!), r]));
  const plans = chunks([...byKey.keys()], ctx.settings.chunkSize).map((chunk) => ({
    kind: profile === 'dlr' ? ('del-ep' as const) : ('del' as const),
    members: chunk,
    content: chunk,
    post: (key: string) => (profile === 'dlr' ? ctx.api.dlr!.deleteEndpoints(chunk, key) : ctx.api.unified!.deleteEndpoints(chunk)),
  }));
  for (const r of await sendAndFollow(ctx, driverFor(profile, ctx.api), plans)) settleRow(byKey.get(r.member)!.out, r, 'DELETED', 'delete');
}
