// esprov check: parse, normalize and validate every row, offline; VALID or INVALID per row.

import type { InputConfig } from '../config.js';
import { existsSync } from 'node:fs';
import { EXIT, UsageError } from '../exit-codes.js';
import { columnNotes, describeColumns, mapColumns, unusedColumns } from '../input/headers.js';
import { openInput } from '../input/open.js';
import { formatDlrAddress, formatUnifiedAddress } from '../output/address.js';
import { createProgress, type ProgressStream } from '../output/progress.js';
import type { ResultRow } from '../output/result.js';
import { fitNote, Summary, renderSummary, terminalWidth, writeSummaryJson } from '../output/summary.js';
import { checkWritable, outputsOf } from '../output/writable.js';
import { openResultWriter } from '../output/writer.js';
import { checkRows, joinMessages, joinWarnings, type CheckedRow } from '../pipeline/read.js';
import { HOLDS_NOTHING, type Held } from '../rules/dlr.js';

const DEFAULT_STATE = '.esprov/state.db';

function resultOf(checked: CheckedRow): ResultRow {
  const row = checked.row;
  return {
    line: checked.line,
    cells: checked.cells,
    action: row === undefined ? 'NONE' : row.action,
    status: checked.skipped !== undefined ? 'SKIPPED' : row === undefined ? 'INVALID' : 'VALID',
    errorCode: checked.skipped?.code ?? checked.errors[0]?.code ?? '',
    errorMessage: checked.skipped?.message ?? joinMessages(checked.errors),
    warnings: joinWarnings(checked.warnings),
    changes: '',
    addressRef: row?.profile === 'dlr' ? (row.action === 'ADD' ? row.locationId : '') : (row?.addressId ?? ''),
    orderId: '',
    stdAddress: row === undefined || row.action === 'DELETE' ? '' : row.profile === 'dlr' ? formatDlrAddress(row.address) : formatUnifiedAddress(row.address),
  };
}

/**
 * What the state store says the account holds (SPEC §3: `check` reads it when `--state` is given
 * or the default store exists), so an adopted account's short identifiers and wide LocationIds pass.
 */
async function heldOf(state: string | undefined): Promise<{ held: Held; close(): void }> {
  const path = state ?? DEFAULT_STATE;
  if (!existsSync(path)) {
    if (state !== undefined) throw new UsageError('STATE_NOT_FOUND', `--state ${state}: no state store there; name the store a run or import-state wrote, or leave --state out.`);
    return { held: HOLDS_NOTHING, close: () => undefined };
  }
  const { StateStore } = await import('../state/store.js');
  const store = new StateStore(path);
  return { held: { identifier: (id) => store.knowsEndpoint('dlr', id), locationId: (id) => store.knowsLocation(id) }, close: () => store.close() };
}

export async function checkCommand(config: InputConfig, stderr: ProgressStream = process.stderr, state?: string): Promise<number> {
  checkWritable(outputsOf(config));
  const { held, close } = await heldOf(state);
  try {
    return await checkWith(config, stderr, held);
  } finally {
    close();
  }
}

async function checkWith(config: InputConfig, stderr: ProgressStream, held: Held): Promise<number> {
  const table = await openInput(config.input, config.sheet === undefined ? {} : { sheet: config.sheet });
  const columns = mapColumns(table.header, config.profile, config.mapping);
  if (!config.quiet) for (const note of columnNotes(table.header, columns)) stderr.write(`${fitNote(note, terminalWidth(stderr))}\n`);
  const writer = await openResultWriter(config.out, table.header, config.profile, {
    bom: config.bom,
    ...(config.errorsOut !== undefined ? { errorsOut: config.errorsOut } : {}),
  });
  const summary = new Summary();
  summary.unusedColumns = unusedColumns(table.header, columns);
  const progress = createProgress({ stream: stderr, quiet: config.quiet });
  let json;
  try {
    progress.stage('rows checked');
    for await (const batch of checkRows(table, columns, config.profile, held)) {
      const rows = batch.map(resultOf);
      for (const r of rows) summary.add(r.status, r.action, r.errorCode, r.line, r.errorMessage);
      await writer.write(rows);
      progress.tick(rows.length);
    }
    const exitCode = summary.count('INVALID') > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
    if (config.errorsOut !== undefined) summary.errorsOutput = config.errorsOut;
    json = summary.toJson('check', config.input, config.out, exitCode);
    await writer.commit(json);
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    progress.done();
  }
  if (!config.quiet) stderr.write(`input: ${table.describe()}\n${renderSummary(json, terminalWidth(stderr))}`);
  if (config.summaryJson !== undefined) await writeSummaryJson(config.summaryJson, json);
  return json.exitCode;
}

/** `esprov check --columns`: which input column feeds which field, and nothing else. */
export async function columnsCommand(config: InputConfig, stdout: ProgressStream = process.stdout): Promise<number> {
  const table = await openInput(config.input, config.sheet === undefined ? {} : { sheet: config.sheet });
  const columns = mapColumns(table.header, config.profile, config.mapping);
  stdout.write(`${config.input} (${config.profile}): which column feeds which field\n${describeColumns(table.header, columns).join('\n')}\n`);
  return EXIT.OK;
}
