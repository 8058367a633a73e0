// Stage 1, read + check: input records → normalized rows or their problems, in input order.

import { fieldValues, type ColumnMap } from '../input/headers.js';
import type { InputTable } from '../input/records.js';
import { problem, warningText, type Problem } from '../rules/codes.js';
import { profileOf, rulesOf } from '../profiles/index.js';
import { HOLDS_NOTHING, type Held } from '../rules/dlr.js';
import { FileChecks } from '../rules/file-checks.js';
import { skipReason } from '../rules/skip.js';
import type { NormalizedRow, Profile } from '../rules/types.js';

export interface CheckedRow {
  readonly line: number;
  readonly cells: readonly string[];
  readonly row?: NormalizedRow;
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
  /** Why the row holds no endpoint (empty, a total line): it is SKIPPED. */
  readonly skipped?: Problem;
  /** A row refused because an earlier row has its key: the key, and that row's line. */
  readonly duplicateOf?: { readonly key: string; readonly line: number };
}

/** Checks records batch by batch; yields the checked rows of each batch in input order. */
/** `held`: what the account already holds (from the state store): its identifiers and LocationIds are accepted in the API's wider form. */
export async function* checkRows(table: InputTable, columns: ColumnMap, profile: Profile, held: Held = HOLDS_NOTHING): AsyncGenerator<CheckedRow[]> {
  const file = new FileChecks();
  const rules = profileOf(profile);
  const normalize = await rules.normalizer(held);
  for await (const batch of table.records) {
    const out: CheckedRow[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const record = batch[i]!;
      // A footer written without the padding delimiters ("Total: 3" alone) is short, not unreadable.
      const skipped =
        record.broken === undefined || (record.broken.code === 'RECORD_CELL_COUNT' && record.cells.length < columns.fieldOf.length)
          ? skipReason(record.cells, columns.fieldOf, record.line)
          : undefined;
      if (skipped !== undefined && (record.broken === undefined || skipped.code === 'ROW_FOOTER')) {
        out[i] = { line: record.line, cells: record.cells, errors: [], warnings: [], skipped };
        continue;
      }
      if (record.broken !== undefined) {
        out[i] = { line: record.line, cells: record.cells, errors: [problem(record.broken.code, record.broken.params)], warnings: [] };
        continue;
      }
      const result = normalize(fieldValues(record.cells, columns));
      if (!result.ok) {
        out[i] = { line: record.line, cells: record.cells, errors: result.errors, warnings: result.warnings };
        continue;
      }
      const duplicate = file.check(result.row, record.line);
      if (duplicate.length === 0) {
        out[i] = { line: record.line, cells: record.cells, row: result.row, errors: [], warnings: result.warnings };
      } else {
        const key = rules.endpointKey(result.row);
        const first = duplicate[0]!.code === 'LOCATION_ID_CONFLICT' ? 0 : file.firstLine(result.row);
        out[i] = { line: record.line, cells: record.cells, errors: duplicate, warnings: result.warnings, ...(first > 0 ? { duplicateOf: { key, line: first } } : {}) };
      }
    }
    yield out;
  }
}

/** A row whose address the API is asked about (`check --validate-addresses`): not a DELETE, nor (unified) a row naming its AddressId. */
export const asksAddress = (row: NormalizedRow): boolean => rulesOf(row).asksAddress(row);

export const joinMessages = (problems: readonly Problem[]): string => problems.map((p) => p.message).join(' ');

/** A row's warnings for `result_warnings`, each led by its code. */
export const joinWarnings = (problems: readonly Problem[]): string => problems.map(warningText).join(' ');
