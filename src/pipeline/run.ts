// The run pipeline, in order: read + check → plan → the profile's stages (addresses, orders,
// following) → outcomes per row, in input order.

import type { ColumnMap } from '../input/headers.js';
import type { InputTable } from '../input/records.js';
import { formatDlrAddress, formatUnifiedAddress } from '../output/address.js';
import type { Outcome, RunContext, RunRow } from './context.js';
import { runDlr } from './dlr.js';
import { adoptRow } from './adopt.js';
import { endpointKey, planRow } from './plan.js';
import { checkRows, joinMessages } from './read.js';
import { runUnified } from './unified.js';
import { runDeletes } from './delete.js';
import { resumeOpenOrders } from './resume.js';
import { pruneLocations } from './prune.js';

export async function readAndPlan(ctx: RunContext, table: InputTable, columns: ColumnMap): Promise<RunRow[]> {
  const { account, profile, retryRejected } = ctx.settings;
  // A dry run sends nothing, not even the reads that finish earlier orders.
  if (!ctx.settings.dryRun) await resumeOpenOrders(ctx);
  // Runs that did not finish (killed, or rows left PENDING): what they provisioned is this run's SUCCESS.
  const unfinished = new Set(ctx.store.lastRuns(account, profile, 50).filter((r) => r.status !== 'finished').map((r) => r.runId));
  // One query for what the store knows of this account, not one per row.
  const knownEndpoints = new Map(ctx.store.listEndpoints(account, profile).map((e) => [e.endpointKey, e]));
  const adopt = adoptRow(ctx.store, account, profile);
  const rows: RunRow[] = [];
  ctx.progress?.stage('rows read and planned');
  for await (const batch of checkRows(table, columns, profile)) {
    ctx.progress?.tick(batch.length);
    for (const checked of batch) {
      let row = checked.row;
      const out: Outcome = {
        todo: 'none',
        status: row === undefined ? 'INVALID' : 'PENDING',
        action: 'NONE',
        errorCode: checked.errors[0]?.code ?? '',
        errorMessage: joinMessages(checked.errors),
        warnings: checked.warnings.map((w) => w.message),
        addressRef: '',
        orderId: '',
        stdAddress: row === undefined || row.action === 'DELETE' ? '' : row.profile === 'dlr' ? formatDlrAddress(row.address) : formatUnifiedAddress(row.address),
      };
      if (row !== undefined) {
        const known = knownEndpoints.get(endpointKey(row));
        row = adopt.location(row);
        let plan = planRow(row, known, retryRejected);
        if (plan.kind === 'update' && adopt.sameAsImported(row, known!)) plan = { kind: 'unchanged' };
        // In flight only while its order is open; an order that ended without a result for it is sent again.
        if (plan.kind === 'in-flight' && ctx.store.getOrderById(account, profile, known!.orderId)?.final !== false) plan = { kind: 'add' };
        switch (plan.kind) {
          case 'unchanged':
            Object.assign(out, {
              status: unfinished.has(known!.runId) ? 'SUCCESS' : 'UNCHANGED', action: unfinished.has(known!.runId) ? 'ADD' : 'NONE',
              addressRef: known!.addressRef, orderId: known!.orderId, stdAddress: known!.stdText || out.stdAddress,
            });
            break;
          case 'in-flight':
            Object.assign(out, { status: 'PENDING', action: 'ADD', addressRef: known!.addressRef, orderId: known!.orderId, stdAddress: known!.stdText || out.stdAddress });
            break;
          case 'keep-rejected':
            Object.assign(out, { status: 'REJECTED', errorCode: plan.code, errorMessage: plan.message, orderId: known!.orderId, addressRef: known!.addressRef });
            out.warnings.push('Not sent again: unchanged since the API refused it (use --retry-rejected to send it again).');
            break;
          case 'add': Object.assign(out, { action: 'ADD', todo: 'send' }); break;
          case 'update': Object.assign(out, { action: 'UPDATE', todo: 'send' }); break;
          case 'delete': Object.assign(out, { action: 'DELETE', todo: 'delete' }); break;
          case 'already-deleted': Object.assign(out, { status: 'UNCHANGED', orderId: known!.orderId }); break;
        }
      }
      // A row with nothing to send keeps only its key: a 100k-row nightly rerun stays small.
      if (row === undefined) rows.push({ line: checked.line, cells: checked.cells, out });
      else if (out.todo === 'none') rows.push({ line: checked.line, cells: checked.cells, key: endpointKey(row), out });
      else rows.push({ line: checked.line, cells: checked.cells, row, out });
    }
  }
  return rows;
}

export async function provision(ctx: RunContext, rows: readonly RunRow[]): Promise<void> {
  if (ctx.settings.dryRun) {
    for (const r of rows) {
      if (r.out.todo === 'none') continue;
      r.out.errorCode = 'DRY_RUN';
      r.out.errorMessage = `Dry run: this row would be sent (${r.out.action}); nothing was sent.`;
    }
    return;
  }
  if (ctx.settings.profile === 'dlr') await runDlr(ctx, rows);
  else await runUnified(ctx, rows);
  await runDeletes(ctx, rows);
  if (ctx.settings.pruneLocations) {
    const pruned = await pruneLocations(ctx);
    if (pruned > 0) ctx.note(`prune-locations: ${pruned} deleted`);
  }
  for (const r of rows) {
    if (r.out.status === 'PENDING' && r.out.errorMessage === '') {
      r.out.errorCode = 'ORDER_PENDING';
      r.out.errorMessage = r.out.orderId === ''
        ? 'Not sent: an earlier stage of this row did not finish; run esprov reconcile to finish it.'
        : `Order ${r.out.orderId} had not finished when esprov stopped following it: run esprov reconcile to finish it.`;
    }
  }
}
