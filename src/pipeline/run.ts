// The run pipeline, in order: read + check → plan → the profile's stages (addresses, orders,
// following) → outcomes per row, in input order.

import type { ColumnMap } from '../input/headers.js';
import type { InputTable } from '../input/records.js';
import { formatDlrAddress, formatUnifiedAddress } from '../output/address.js';
import type { Outcome, RunContext, RunRow } from './context.js';
import { addWarning, NO_CHANGES, warningLists } from './warnings.js';
import { runDlr } from './dlr.js';
import { adoptRow } from './adopt.js';
import { changeCheck } from './changes.js';
import { Duplicates, isFedBack } from './duplicates.js';
import { FIELDS_UNKNOWN } from '../rules/changes.js';
import { warning, warningText } from '../rules/codes.js';
import type { NamedInInput } from './missing.js';
import type { FinalRows, KeptRow } from './spill.js';
import { contentHash, endpointKey, planRow } from './plan.js';
import type { EndpointRecord } from '../state/store.js';
import { checkRows, joinMessages } from './read.js';
import { runUnified } from './unified.js';
import { runDeletes } from './delete.js';
import { resumeOpenOrders } from './resume.js';
import { pruneLocations } from './prune.js';
import { refuseUnknownHeld } from './guard.js';

export interface PlanSinks {
  /** Rows final at planning go here (in input order) instead of staying in memory; the cells of the others too. */
  readonly final?: FinalRows;
  /** Collects the endpoints the input names, for --delete-missing. */
  readonly named?: NamedInInput;
}

/** The message of a row left PENDING without one of its own. */
export function pendingMessage(out: Outcome): void {
  if (out.status !== 'PENDING' || out.errorMessage !== '') return;
  out.errorCode = 'ORDER_PENDING';
  out.errorMessage =
    out.orderId === ''
      ? 'Not sent: an earlier stage of this row did not finish; run esprov reconcile to finish it.'
      : `Order ${out.orderId} had not finished when esprov stopped following it: run esprov reconcile to finish it.`;
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
  for await (const batch of checkRows(table, columns, profile, held)) {
    ctx.progress?.tick(batch.length);
    for (const checked of batch) {
      const refusal = checked.row === undefined ? undefined : duplicates.refusal(checked.row, knownEndpoints.get(endpointKey(checked.row)));
      duplicates.note(checked);
      let row = refusal === undefined ? checked.row : undefined;
      const errors = refusal === undefined ? checked.errors : [refusal];
      const out: Outcome = {
        todo: 'none',
        status: checked.skipped !== undefined ? 'SKIPPED' : row === undefined ? 'INVALID' : 'PENDING',
        action: 'NONE',
        errorCode: checked.skipped?.code ?? errors[0]?.code ?? '',
        errorMessage: checked.skipped?.message ?? joinMessages(errors),
        warnings: warningList(checked.warnings.map(warningText)),
        changes: NO_CHANGES,
        addressRef: '',
        orderId: '',
        stdAddress: '',
      };
      // The address as esprov sends it; an endpoint the store knows shows the API's standardized one instead.
      const formatted = (): string => (row === undefined || row.action === 'DELETE' ? '' : row.profile === 'dlr' ? formatDlrAddress(row.address) : formatUnifiedAddress(row.address));
      if (row !== undefined) {
        const known = knownEndpoints.get(endpointKey(row));
        row = changes.location(adopt.location(row), known);
        let plan = planRow(row, known, retryRejected);
        if (plan.kind === 'update') {
          // A row that differs from what was provisioned in no field esprov sends is UNCHANGED.
          const changed = changes.changed(row, known!);
          if (changed === undefined ? adopt.sameAsImported(row, known!) : changed.length === 0) plan = { kind: 'unchanged' };
          else out.changes = changed ?? [FIELDS_UNKNOWN];
        }
        // In flight only while its order is open; an order that ended without a result for it is sent again.
        if (plan.kind === 'in-flight' && ctx.store.getOrderById(account, profile, known!.orderId)?.final !== false) plan = { kind: 'add' };
        switch (plan.kind) {
          case 'unchanged': {
            // A store of an older esprov learns the fields of its unchanged endpoints as they pass.
            if (!ctx.settings.dryRun && known!.fieldsKnown === false && known!.status === 'provisioned' && known!.contentHash === contentHash(row)) {
              const fields = changes.learned(row, known!);
              if (fields !== undefined) learned.push({ ...known!, fields });
            }
            const again = unfinished.has(known!.runId);
            out.status = again ? 'SUCCESS' : 'UNCHANGED';
            out.action = again ? 'ADD' : 'NONE';
            out.addressRef = known!.addressRef;
            out.orderId = known!.orderId;
            out.stdAddress = known!.stdText || formatted();
            break;
          }
          case 'in-flight':
            Object.assign(out, { status: 'PENDING', action: 'ADD', addressRef: known!.addressRef, orderId: known!.orderId, stdAddress: known!.stdText || formatted() });
            break;
          case 'keep-rejected':
            Object.assign(out, { status: 'REJECTED', errorCode: plan.code, errorMessage: plan.message, orderId: known!.orderId, addressRef: known!.addressRef, stdAddress: formatted() });
            addWarning(out, warning('REJECTED_KEPT'));
            break;
          case 'add':
            Object.assign(out, { action: 'ADD', todo: 'send', stdAddress: formatted() });
            break;
          case 'update':
            Object.assign(out, { action: 'UPDATE', todo: 'send', stdAddress: formatted() });
            break;
          case 'delete':
            Object.assign(out, { action: 'DELETE', todo: 'delete' });
            break;
          case 'already-deleted':
            Object.assign(out, { status: 'UNCHANGED', orderId: known!.orderId });
            break;
        }
      }
      // A row with nothing to send keeps only its key: a 100k-row nightly rerun stays small.
      const planned: RunRow =
        row === undefined
          ? { line: checked.line, cells: checked.cells, out }
          : out.todo === 'none'
            ? { line: checked.line, cells: checked.cells, key: endpointKey(row), out }
            : { line: checked.line, cells: checked.cells, row, out };
      sinks.named?.add(planned);
      if (out.todo === 'none') pendingMessage(out);
      if (out.todo === 'none' && sinks.final !== undefined) sinks.final.add(index, planned, rows.length > 0);
      // A literal of one shape: a spread copy gets a hidden class of its own, some 250 bytes a row.
      else if (row !== undefined && sinks.final !== undefined) rows.push({ line: planned.line, cells: sinks.final.park(index, planned.cells), row, out, index });
      else rows.push(Object.assign(planned, { index }));
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

export async function provision(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  if (ctx.settings.dryRun) {
    for (const r of rows) {
      if (r.out.todo === 'none') continue;
      r.out.status = 'PLANNED';
      r.out.errorCode = 'DRY_RUN';
      r.out.errorMessage = `Dry run: this row would be sent (${r.out.action}); nothing was sent.`;
    }
    return;
  }
  // An unchanged rerun has nothing to send: the API stack is not even loaded.
  if (rows.length === 0 && !ctx.settings.pruneLocations) return;
  await ctx.needApi();
  await refuseUnknownHeld(ctx, rows);
  if (ctx.settings.profile === 'dlr') await runDlr(ctx, rows);
  else await runUnified(ctx, rows);
  await runDeletes(ctx, rows);
  if (ctx.settings.pruneLocations) {
    const pruned = await pruneLocations(ctx);
    if (pruned > 0) ctx.note(`prune-locations: ${pruned} deleted`);
  }
  for (const r of rows) pendingMessage(r.out);
}
