// The run pipeline, in order: read + check → plan → the profile's stages (addresses, orders,
// following) → outcomes per row, in input order.

import type { ColumnMap } from '../input/headers.js';
import type { InputTable } from '../input/records.js';
import type { RunContext, RunRow, Settled } from './context.js';
import { actionOf, asPlanned, planned } from './outcome.js';
import { warningLists } from './warnings.js';
import { adoptRow } from './adopt.js';
import { changeCheck } from './changes.js';
import { Duplicates, isFedBack } from './duplicates.js';
import { warningText } from '../rules/codes.js';
import type { NamedInInput } from './missing.js';
import type { FinalRows, KeptRow } from './spill.js';
import { contentHash, endpointKey, planInput, type StoreView } from './plan.js';
import type { EndpointRecord } from '../state/store.js';
import { checkRows } from './read.js';
import { runDeletes } from './delete.js';
import { resumeOpenOrders } from './resume.js';
import { pruneLocations } from './prune.js';
import { refuseUnknownHeld } from './guard.js';
import { callsOf } from '../profiles/calls.js';

export interface PlanSinks {
  /** Rows final at planning go here (in input order) instead of staying in memory; the cells of the others too. */
  readonly final?: FinalRows;
  /** Collects the endpoints the input names, for --delete-missing. */
  readonly named?: NamedInInput;
}

/**
 * Reads, checks and plans every row. Rows with something to send (or delete) are returned with
 * their input position; rows final already (UNCHANGED, INVALID, kept REJECTED, in flight) go to
 * the spill when there is one, else they are returned too.
 */
export async function readAndPlan(ctx: RunContext, table: InputTable, columns: ColumnMap, sinks: PlanSinks = {}): Promise<KeptRow[]> {
  const { account, profile, retryRejected } = ctx.settings;
  // A dry run sends nothing, not even the reads that finish earlier orders.
  if (!ctx.settings.dryRun) await resumeOpenOrders(ctx);
  // Runs that did not finish (killed, or rows left PENDING): what they provisioned is this run's SUCCESS.
  const unfinished = new Set(
    ctx.store
      .lastRuns(account, profile, 50)
      .filter((r) => r.status !== 'finished')
      .map((r) => r.runId),
  );
  // One query for what the store knows of this account, not one per row.
  const knownEndpoints = ctx.store.endpointIndex(account, profile);
  const adopt = adoptRow(ctx.store, account, profile);
  const changes = changeCheck(ctx.store, account, profile);
  // The run was started (startRun) with its input: a duplicate found in it is recorded by the file's name.
  const duplicates = new Duplicates(ctx.store, account, profile, isFedBack(table.header), ctx.store.lastRuns(account, profile, 1)[0]?.input ?? '');
  const rows: KeptRow[] = [];
  const warningList = warningLists();
  const learned: EndpointRecord[] = [];
  let index = 0;
  ctx.progress?.stage('rows read and planned');
  const held = { identifier: (id: string) => knownEndpoints.has(id), locationId: (id: string) => ctx.store.getLocation(account, id) !== undefined };
  const view: StoreView = {
    changed: changes.changed,
    sameAsImported: adopt.sameAsImported,
    orderOpen: (orderId) => ctx.store.getOrderById(account, profile, orderId)?.final === false,
    unfinished: (runId) => unfinished.has(runId),
  };
  for await (const batch of checkRows(table, columns, profile, held)) {
    ctx.progress?.tick(batch.length);
    for (const checked of batch) {
      const known = checked.row === undefined ? undefined : knownEndpoints.get(endpointKey(checked.row));
      const refusal = checked.row === undefined ? undefined : duplicates.refusal(checked.row, known);
      duplicates.note(checked);
      const row = checked.row === undefined || refusal !== undefined ? undefined : changes.location(adopt.location(checked.row), known);
      const plan = planInput({ checked, refusal, warnings: warningList(checked.warnings.map(warningText)), row, known }, view, retryRejected);
      // A store of an older esprov learns the fields of its unchanged endpoints as they pass.
      if (plan.kind === 'final' && row !== undefined && !ctx.settings.dryRun && known?.fieldsKnown === false && known.status === 'provisioned' && known.contentHash === contentHash(row)) {
        const fields = changes.learned(row, known);
        if (fields !== undefined) learned.push({ ...known, fields });
      }
      const entry: RunRow = { line: checked.line, cells: checked.cells, plan };
      sinks.named?.add(entry);
      if (plan.kind === 'final' && sinks.final !== undefined) sinks.final.add(index, entry, rows.length > 0);
      // A literal of one shape: a spread copy gets a hidden class of its own, some 250 bytes a row.
      else if (sinks.final !== undefined) rows.push({ line: entry.line, cells: sinks.final.park(index, entry.cells), plan, index });
      else rows.push({ line: entry.line, cells: entry.cells, plan, index });
      index++;
    }
    if (learned.length > 0) {
      const batchLearned = learned.splice(0);
      ctx.store.transaction(() => {
        for (const e of batchLearned) ctx.store.putEndpoint(e);
      });
    }
    await sinks.final?.flush();
  }
  if (!ctx.settings.dryRun) duplicates.commit();
  return rows;
}

/**
 * Sends what the planned rows need (nothing in a dry run): each stage returns the outcomes of the
 * rows it settled, merged here into the run's outcomes.
 */
export async function provision(ctx: RunContext, rows: readonly RunRow[]): Promise<Settled> {
  if (ctx.settings.dryRun) {
    const outcomes: Settled = new Map();
    for (const r of rows) if (r.plan.kind !== 'final') outcomes.set(r, planned(asPlanned(r.plan), actionOf(r.plan)));
    return outcomes;
  }
  // An unchanged rerun has nothing to send: the API stack is not even loaded.
  if (rows.length === 0 && !ctx.settings.pruneLocations) return new Map();
  await ctx.needApi();
  await refuseUnknownHeld(ctx, rows);
  const outcomes = await callsOf(ctx).sendRows(ctx, rows);
  for (const [r, o] of await runDeletes(ctx, rows)) outcomes.set(r, o);
  if (ctx.settings.pruneLocations) {
    const pruned = await pruneLocations(ctx);
    if (pruned > 0) ctx.note(`prune-locations: ${pruned} deleted`);
  }
  return outcomes;
}
