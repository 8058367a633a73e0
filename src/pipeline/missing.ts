// Nightly sync: endpoints the state store knows for this account and profile but that the input
// no longer has are deleted, within a safety limit, so a truncated export never wipes a customer's
// emergency records.

import { UsageError } from '../exit-codes.js';
import { warning } from '../rules/codes.js';
import { profileOf } from '../profiles/index.js';
import type { Profile } from '../rules/types.js';
import { keyColumn, type ColumnMap } from '../input/headers.js';
import type { RunContext, RunRow } from './context.js';
import { endpointKey } from './plan.js';

/**
 * Every endpoint identity the input names, valid rows or not (an INVALID row still keeps its
 * endpoint), and the lines that could not be read; collected row by row as the input is planned.
 */
export class NamedInInput {
  readonly named = new Set<string>();
  readonly unreadable: number[] = [];
  private readonly column: number;

  private constructor(
    columns: ColumnMap,
    profile: Profile,
    private readonly keyForm: (raw: string) => string | undefined,
  ) {
    this.column = keyColumn(columns, profile);
  }

  static async of(columns: ColumnMap, profile: Profile): Promise<NamedInInput> {
    return new NamedInInput(columns, profile, await profileOf(profile).keyForm());
  }

  add(r: RunRow): void {
    const p = r.plan;
    if (p.kind === 'final' && (p.outcome.errorCode === 'RECORD_UNPARSEABLE' || p.outcome.errorCode === 'RECORD_CELL_COUNT')) this.unreadable.push(r.line);
    const key = p.kind === 'send' ? endpointKey(p.row) : p.key;
    if (key !== '') this.named.add(key);
    const raw = (r.cells[this.column] ?? '').trim();
    if (raw === '') return;
    this.named.add(raw);
    const other = this.keyForm(raw);
    if (other !== undefined) this.named.add(other);
  }
}

/** Rows for the endpoints to delete, appended after the input's rows; throws when over the limit. */
export function planMissing(ctx: RunContext, input: NamedInInput, columns: ColumnMap, width: number): RunRow[] {
  const { account, profile, maxDelete, force } = ctx.settings;
  // A row that could not be read may name an endpoint that is still wanted: no deletes from such a file.
  const unreadable = input.unreadable;
  if (unreadable.length > 0) {
    throw new UsageError(
      'DELETE_UNSAFE',
      `--delete-missing refused: ${unreadable.length} line(s) of the input could not be read (first: line ${unreadable[0]!}), so esprov cannot tell which endpoints are really missing. Fix those lines (run esprov check) and run again; nothing was sent.`,
    );
  }
  const named = input.named;
  const known = ctx.store.listEndpoints(account, profile).filter((e) => e.status === 'provisioned' || e.status === 'pending');
  const missing = known.filter((e) => !named.has(e.endpointKey));
  const limit = 'count' in maxDelete ? maxDelete.count : Math.floor(maxDelete.fraction * known.length);
  if (missing.length > limit && !force) {
    const limitText = 'count' in maxDelete ? String(maxDelete.count) : `${Math.round(maxDelete.fraction * 100)}% of ${known.length} = ${limit}`;
    throw new UsageError(
      'MAX_DELETE_EXCEEDED',
      `--delete-missing would delete ${missing.length} of the ${known.length} endpoints esprov knows for account ${account}, over the limit of ${limitText}: nothing was sent. Check that the export is complete; if these deletes are intended, raise --max-delete or pass --force.`,
    );
  }
  const column = keyColumn(columns, profile);
  const warnings = [warning('DELETED_MISSING')];
  ctx.note(`delete-missing: ${missing.length} known endpoint(s) absent from the input will be deleted`);
  return missing.map((e) => {
    const cells = new Array<string>(width).fill('');
    if (column >= 0) cells[column] = e.endpointKey;
    return { line: 0, cells, plan: { kind: 'missing', key: e.endpointKey, addressRef: e.addressRef, stdAddress: e.stdText, warnings } };
  });
}
