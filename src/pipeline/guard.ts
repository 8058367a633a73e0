// A lost or emptied state store must never mean a resend (SPEC §4). When the store cannot vouch
// for what the account holds — it knows no endpoint of this account, or the last run on it did not
// finish (a kill, after which a damaged or missing -wal may have lost its last writes) — the
// account's endpoint list is read once before anything is sent, and a run that would add endpoints
// the account already holds but the store does not know is refused unless --force.

import { UsageError } from '../exit-codes.js';
import { callsOf } from '../profiles/calls.js';
import type { RunContext, RunRow } from './context.js';
import { endpointKey } from './plan.js';

/** Whether the store can vouch for the account: it knows endpoints of it, and the last run on it finished. */
export function storeVouches(ctx: RunContext): boolean {
  const { account, profile } = ctx.settings;
  const counts = ctx.store.countEndpoints(account, profile);
  if (Object.values(counts).reduce((a, b) => a + b, 0) === 0) return false;
  // A run that was killed stays 'running' in the store.
  const previous = ctx.store.lastRuns(account, profile, 5).find((r) => r.runId !== ctx.runId && r.command === 'run');
  return previous === undefined || previous.status !== 'running';
}

/** Refuses (exit 2) a run whose ADD rows name endpoints the account holds and the store does not know. */
export async function refuseUnknownHeld(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  const { account, profile } = ctx.settings;
  const adds = rows.flatMap((r) => (r.plan.kind === 'send' && r.plan.action === 'ADD' ? [endpointKey(r.plan.row)] : []));
  if (adds.length === 0 || ctx.settings.force || storeVouches(ctx)) return;
  const unknown = new Set(adds.filter((key) => ctx.store.getEndpoint(account, profile, key) === undefined));
  if (unknown.size === 0) return;
  await ctx.needApi();
  let held = 0;
  let first = '';
  for await (const { key } of callsOf(ctx).listEndpoints()) {
    if (!unknown.has(key)) continue;
    held++;
    if (first === '') first = key;
  }
  if (held === 0) return;
  throw new UsageError(
    'ACCOUNT_HOLDS_UNKNOWN',
    `Account ${account} already holds ${held} of the endpoints this run would add (first: ${first}), and the state store ${ctx.store.path} does not know them — it is new, was emptied or restored, or another tool made them. Nothing was sent. Adopt what the account holds with esprov import-state --api ${profile} --state ${ctx.store.path}, then run again; or pass --force to send them anyway.`,
  );
}
