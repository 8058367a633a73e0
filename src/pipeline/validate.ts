// check --validate-addresses (SPEC §2): each distinct address of the valid rows goes through the
// run's own address stage — dlr geocodes, which create nothing; unified address records, which the
// run reuses — and the answers are committed to the state store, so the run after asks nothing again.

import type { ResultRow } from '../output/result.js';
import type { DlrRow, NormalizedRow, UnifiedRow } from '../rules/types.js';
import { addressProblem, type AddressContext, type AddressProblem } from './context.js';
import { asksAddress } from './read.js';
import { addressVerdict, geocodeAddresses, stdText } from './dlr.js';
import { addressWarning, createAddresses } from './unified.js';

/** What a row's address answer changes in its check result; undefined when nothing was asked for it. */
export type AddressAnswer = (row: NormalizedRow) => Partial<ResultRow> | undefined;

export interface Validated {
  readonly answer: AddressAnswer;
  /** Addresses the API was asked about (unified: address records created on the account). */
  readonly asked: number;
}

/** Validates the addresses of `rows` (rows to provision; a DELETE has no address to validate). */
export async function validateAddresses(ctx: AddressContext, rows: readonly NormalizedRow[]): Promise<Validated> {
  const failed = new Map<string, unknown>();
  const asked = new Set<string>();
  const sent = rows.filter(asksAddress);
  if (ctx.settings.profile === 'dlr') {
    const records = await geocodeAddresses(ctx, sent as DlrRow[], failed, asked);
    const answer: AddressAnswer = (row) => {
      if (row.profile !== 'dlr' || !asksAddress(row)) return undefined;
      const verdict = addressVerdict(row, records.get(row.addressKey), failed.get(row.addressKey), asked);
      if (verdict.kind !== 'ok') return problemCells(verdict);
      return { stdAddress: stdText(verdict.address), ...(verdict.warning !== undefined ? { warnings: verdict.warning } : {}) };
    };
    return { answer, asked: asked.size };
  }
  const records = await createAddresses(ctx, sent as UnifiedRow[], failed, asked);
  const answer: AddressAnswer = (row) => {
    if (row.profile !== 'unified' || !asksAddress(row)) return undefined;
    const record = records.get(row.addressKey);
    const ids = record === undefined ? {} : { addressRef: record.addressId, ...(record.stdText !== '' ? { stdAddress: record.stdText } : {}) };
    const problem = addressProblem(record, failed.get(row.addressKey), 'created');
    if (problem !== undefined) return { ...ids, ...problemCells(problem) };
    const warning = addressWarning(record);
    return { ...ids, ...(warning !== undefined ? { warnings: warning } : {}) };
  };
  return { answer, asked: asked.size };
}

/** A refused address is REJECTED, as a run would say; a call that failed is FAILED (check again later). */
function problemCells(p: AddressProblem): Partial<ResultRow> {
  if (p.kind === 'stopped') return {};
  return { status: p.kind === 'rejected' ? 'REJECTED' : 'FAILED', errorCode: p.code, errorMessage: p.message };
}
