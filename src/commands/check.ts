// esprov check: parse, normalize and validate every row, offline; VALID or INVALID per row (with
// --validate-addresses, each distinct address also asked of the API: see check-addresses.ts).

import type { ApiStats } from '../api/index.js';
import { defaultState, type AccountConfig, type InputConfig } from '../config.js';
import { existsSync } from 'node:fs';
import { EXIT, UsageError } from '../exit-codes.js';
import { columnNotes, describeColumns, keyColumn, mapColumns, unusedColumns } from '../input/headers.js';
import { openInput } from '../input/open.js';
import { createProgress, type Progress, type ProgressStream } from '../output/progress.js';
import type { ResultRow } from '../output/result.js';
import { fitNote, Summary, renderSummary, terminalWidth, writeSummaryJson } from '../output/summary.js';
import { checkWritable, outputsOf } from '../output/writable.js';
import { openResultWriter } from '../output/writer.js';
import { formattedAddress } from '../pipeline/outcome.js';
import { asksAddress, checkRows, joinMessages, joinWarnings, type CheckedRow } from '../pipeline/read.js';
import type { AddressAnswer } from '../pipeline/validate.js';
import { rulesOf } from '../profiles/index.js';
import { HOLDS_NOTHING, type Held } from '../rules/dlr.js';
import type { NormalizedRow } from '../rules/types.js';
import type { StateStore } from '../state/store.js';

const DEFAULT_STATE = defaultState(false);

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
    addressRef: row === undefined ? '' : rulesOf(row).addressRef(row),
    orderId: '',
    stdAddress: row === undefined ? '' : formattedAddress(row),
  };
}

/** A check result with its address answer: the API's status, code and standardized address, its warning after ours. */
function withAnswer(result: ResultRow, answer: Partial<ResultRow> | undefined): ResultRow {
  if (answer === undefined) return result;
  const warnings = [result.warnings, answer.warnings ?? ''].filter((w) => w !== '').join(' ');
  return { ...result, ...answer, warnings };
}

/**
 * What the state store says the account holds (SPEC §3: `check` reads it when `--state` is given
 * or the default store exists), so an adopted account's short identifiers and wide LocationIds pass.
 */
async function heldOf(state: string | undefined): Promise<{ held: Held; path?: string; close(): void }> {
  const path = state ?? DEFAULT_STATE;
  if (!existsSync(path)) {
    if (state !== undefined) throw new UsageError('STATE_NOT_FOUND', `--state ${state}: no state store there; name the store a run or import-state wrote, or leave --state out.`);
    return { held: HOLDS_NOTHING, close: () => undefined };
  }
  const { StateStore } = await import('../state/store.js');
  const store = new StateStore(path);
  return { held: heldBy(store), path, close: () => store.close() };
}

export const heldBy = (store: StateStore): Held => ({ identifier: (id) => store.knowsEndpoint('dlr', id), locationId: (id) => store.knowsLocation(id) });

/** `--validate-addresses`: asks the API about the valid rows' addresses once all rows are checked. */
export interface AddressValidator {
  validate(rows: readonly NormalizedRow[], progress: Progress): Promise<AddressAnswer>;
  stats(): ApiStats;
}

/** `online`: the account to validate addresses with (`--validate-addresses`); without it, no network. */
export async function checkCommand(config: InputConfig, stderr: ProgressStream = process.stderr, state?: string, online?: AccountConfig): Promise<number> {
  checkWritable(outputsOf(config));
  if (online !== undefined) {
    const { checkAddresses } = await import('./check-addresses.js');
    return checkAddresses(config, online, stderr);
  }
  const { held, path, close } = await heldOf(state);
  try {
    return await checkWith(config, stderr, held, path);
  } finally {
    close();
  }
}

/** `state`: the store read for what the account holds, if any. */
export async function checkWith(config: InputConfig, stderr: ProgressStream, held: Held, state: string | undefined, validator?: AddressValidator): Promise<number> {
  const table = await openInput(config.input, config.sheet === undefined ? {} : { sheet: config.sheet });
  const columns = mapColumns(table.header, config.profile, config.mapping);
  if (!config.quiet) for (const note of columnNotes(table.header, columns)) stderr.write(`${fitNote(note, terminalWidth(stderr))}\n`);
  const writer = await openResultWriter(config.out, table.header, config.profile, {
    bom: config.bom,
    key: keyColumn(columns, config.profile),
    ...(config.errorsOut !== undefined ? { errorsOut: config.errorsOut } : {}),
  });
  const summary = new Summary(Date.now, config.startedAt);
  summary.runId = config.runId;
  summary.state = state;
  summary.unusedColumns = unusedColumns(table.header, columns);
  const progress = createProgress({ stream: stderr, quiet: config.quiet });
  let json;
  try {
    const write = async (batch: readonly CheckedRow[], answer?: AddressAnswer): Promise<void> => {
      const rows = batch.map((c) => withAnswer(resultOf(c), c.row === undefined ? undefined : answer?.(c.row)));
      for (const r of rows) summary.add(r.status, r.action, r.errorCode, r.line, r.errorMessage);
      await writer.write(rows);
    };
    progress.stage('rows checked');
    // Validating addresses needs every address first: this pass keeps one row per address (and,
    // from standard input, which cannot be read twice, every checked row); a file is read again to write.
    const toAsk = new Map<string, NormalizedRow>();
    const kept: CheckedRow[][] | undefined = validator !== undefined && config.input === '-' ? [] : undefined;
    for await (const batch of checkRows(table, columns, config.profile, held)) {
      if (validator === undefined) await write(batch);
      else for (const c of batch) if (c.row !== undefined && asksAddress(c.row) && !toAsk.has(c.row.addressKey)) toAsk.set(c.row.addressKey, c.row);
      kept?.push(batch);
      progress.tick(batch.length);
    }
    if (validator !== undefined) {
      const answer = await validator.validate([...toAsk.values()], progress);
      toAsk.clear();
      const again = kept ?? checkRows(await openInput(config.input, config.sheet === undefined ? {} : { sheet: config.sheet }), columns, config.profile, held);
      for await (const batch of again) await write(batch, answer);
      summary.setApi(validator.stats());
    }
    const failed = summary.count('INVALID') + summary.count('REJECTED') + summary.count('FAILED');
    const exitCode = failed > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
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
