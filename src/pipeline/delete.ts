// Rows with Action DELETE, and endpoints --delete-missing removes: the endpoint is deleted (dlr:
// Identifiers with DeleteTNSpecificE911Address; unified: DELETE endpoints with endpointIds), in
// chunked orders that the order engine sends, follows and settles.

import { sendAndFollow } from '../orders/engine.js';
import { callsOf } from '../profiles/calls.js';
import { chunks, type RunContext, type RunRow, type Settled } from './context.js';
import { asPlanned, settled } from './outcome.js';
import type { Planned } from './plan.js';

type Work = RunRow & { readonly plan: Extract<Planned, { kind: 'delete' | 'missing' }> };

/** Deletes the endpoints of the rows to delete; the outcomes of those rows. */
export async function runDeletes(ctx: RunContext, rows: readonly RunRow[]): Promise<Settled> {
  const outcomes: Settled = new Map();
  const work = rows.filter((r): r is Work => r.plan.kind === 'delete' || r.plan.kind === 'missing');
  if (work.length === 0) return outcomes;
  const byKey = new Map(work.map((r) => [r.plan.key, r]));
  const calls = callsOf(ctx);
  const plans = chunks([...byKey.keys()], ctx.settings.chunkSize).map((chunk) => ({
    kind: calls.deleteKind,
    members: chunk,
    content: chunk,
    post: (key: string) => calls.deleteEndpoints(chunk, key),
  }));
  for (const r of await sendAndFollow(ctx, calls.orders, plans)) {
    const row = byKey.get(r.member)!;
    outcomes.set(row, settled(asPlanned(row.plan), r, 'DELETED', 'delete'));
  }
  return outcomes;
}
