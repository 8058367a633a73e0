// What every run stage shares: the config, the state store, the API, and the rows in input order.

import type { Logger } from 'pino';
import type { Api } from '../api/index.js';
// Error classes only: the API stack (undici, zod) loads when the run first needs it.
import { AmbiguousWriteError, API_ERROR_MESSAGES, ApiError, AuthError, ConfigError, EsprovApiError, MisconfiguredError } from '../api/errors.js';
import type { ResultAction, RowStatus } from '../output/result.js';
import type { NormalizedRow, Profile } from '../rules/types.js';
import type { AddressRecord, StateStore } from '../state/store.js';
import type { MemberResult } from '../orders/engine.js';

export interface RunSettings {
  readonly profile: Profile;
  readonly account: string;
  readonly concurrency: number;
  readonly chunkSize: number;
  readonly pollTimeoutMs: number;
  /** The longest one request may live (the transport's deadline). */
  readonly requestTimeoutMs: number;
  readonly retryRejected: boolean;
  readonly dryRun: boolean;
  /** Delete known endpoints that are absent from the input (nightly sync). */
  readonly deleteMissing: boolean;
  /** The most deletes a run may make: a count, or a fraction of the known endpoints. */
  readonly maxDelete: { readonly count: number } | { readonly fraction: number };
  readonly force: boolean;
  /** After deletes, delete the locations (dlr) or addresses (unified) no endpoint uses any more. */
  readonly pruneLocations: boolean;
}

export interface Outcome {
  /** What this run must still do for the row; `action` and `status` are only what the result file says. */
  todo: 'send' | 'delete' | 'none';
  status: RowStatus;
  action: ResultAction;
  errorCode: string;
  errorMessage: string;
  /** Shared by the rows that have the same (see `pipeline/warnings.ts`): never changed in place. */
  warnings: readonly string[];
  /** For an UPDATE: each changed field, old → new. */
  changes: readonly string[];
  addressRef: string;
  orderId: string;
  stdAddress: string;
}

export interface RunRow {
  /** The row's line in the input; 0 for an endpoint deleted because it was missing from the input. */
  readonly line: number;
  /** The endpoint a missing-row delete removes (Identifier or phone number). */
  readonly deleteKey?: string;
  /** The endpoint this input row names, kept when its normalized row is not (nothing to send). */
  readonly key?: string;
  readonly cells: readonly string[];
  readonly row?: NormalizedRow;
  readonly out: Outcome;
}

export interface RunContext {
  readonly settings: RunSettings;
  readonly store: StateStore;
  /** The API clients; loaded and created by `needApi` the first time the run has a call to make. */
  api: Api;
  readonly needApi: () => Promise<void>;
  readonly runId: string;
  readonly logger: Logger;
  /** Called when something worth a line of progress happens (a stage starts, an order ends). */
  readonly note: (message: string) => void;
  /** The live progress display (stages, counts, waits); silent when not on a terminal. */
  readonly progress?: import('../output/progress.js').Progress;
  /** Aborted by SIGINT/SIGTERM: nothing new is sent, calls in flight end, the result is written. */
  readonly stop?: AbortSignal;
}

/** What the address stage needs (shared by `run` and `check --validate-addresses`). */
export interface AddressContext {
  readonly settings: Pick<RunSettings, 'profile' | 'account' | 'concurrency' | 'retryRejected'>;
  readonly store: StateStore;
  readonly api: Api;
  readonly note: (message: string) => void;
  readonly progress?: RunContext['progress'];
  readonly stop?: AbortSignal;
}

/** The code and sentence of a row esprov did not get to because the run was stopped. */
export const STOPPED = {
  code: 'STOPPED',
  message: "Not sent: esprov was stopped (SIGINT/SIGTERM) before this row's turn; run the same file again, or esprov reconcile, to finish it.",
} as const;

/** Leaves a row PENDING because the run was stopped before it was sent. */
export function stopped(out: Outcome): void {
  Object.assign(out, { status: 'PENDING', errorCode: STOPPED.code, errorMessage: STOPPED.message });
}

export function reject(out: Outcome, code: string, message: string): void {
  out.status = 'REJECTED';
  out.errorCode = code;
  out.errorMessage = message;
}

/** Remembers a row refused before any order (address not valid), so an unchanged rerun does not resend it. */
export function rememberRejected(ctx: RunContext, key: string, hash: string, out: Outcome): void {
  ctx.store.putEndpoint({
    account: ctx.settings.account,
    profile: ctx.settings.profile,
    endpointKey: key,
    contentHash: hash,
    addressRef: out.addressRef,
    status: 'rejected',
    orderId: out.orderId,
    runId: ctx.runId,
    errorCode: out.errorCode,
    errorMessage: out.errorMessage,
    stdText: out.stdAddress,
  });
}

/** A row whose address has no usable answer: the API refused it, the call failed, or the command stopped first. */
export type AddressProblem = { readonly kind: 'stopped' } | { readonly kind: 'rejected' | 'failed'; readonly code: string; readonly message: string };

/** What the address stage's answer (or its failure) makes of a row; undefined when the address is usable. */
export function addressProblem(record: AddressRecord | undefined, failure: unknown, what: 'validated' | 'created'): AddressProblem | undefined {
  if (record === undefined) return failure === undefined ? { kind: 'stopped' } : { kind: 'failed', code: failureCode(failure), message: `The address could not be ${what}: ${failureText(failure)}` };
  if (record.outcome === 'invalid') return { kind: 'rejected', code: record.errorCode, message: record.errorMessage };
  return undefined;
}

/** Settles a run's row on its address problem; a refused row is remembered so an unchanged rerun does not resend it. */
export function settleAddressProblem(ctx: RunContext, key: string, hash: string, out: Outcome, p: AddressProblem): void {
  if (p.kind === 'stopped') return stopped(out);
  if (p.kind === 'failed') return fail(out, p.code, p.message);
  reject(out, p.code, p.message);
  rememberRejected(ctx, key, hash, out);
}

/**
 * A row's outcome from its order's result: `done` is SUCCESS (or DELETED for a delete), refused
 * REJECTED, retried or not sent FAILED (sent again by the next run), still open PENDING.
 */
export function settleRow(out: Outcome, r: MemberResult, done: 'SUCCESS' | 'DELETED', what: string): void {
  out.orderId = r.orderId;
  switch (r.result) {
    case 'done':
      out.status = done;
      break;
    case 'refused':
      reject(out, r.code, r.message);
      break;
    case 'retry':
      fail(out, r.code, r.message);
      break;
    case 'pending':
      Object.assign(out, { status: 'PENDING', errorCode: r.code, errorMessage: r.message });
      break;
    case 'not-sent':
      fail(out, r.code, `The ${what} order could not be sent: ${r.message}`);
      break;
  }
}

export function fail(out: Outcome, code: string, message: string): void {
  out.status = 'FAILED';
  out.errorCode = code;
  out.errorMessage = message;
}

/** Errors that end the run (credentials, configuration, an answer not the API's); anything else fails only the rows it touches. */
export function isFatal(err: unknown): boolean {
  return err instanceof AuthError || err instanceof ConfigError || err instanceof MisconfiguredError;
}

/** The most of `known` endpoints a command may delete (or mark deleted), and the limit as a person reads it. */
export function deleteLimit(maxDelete: RunSettings['maxDelete'], known: number): { limit: number; text: string } {
  if ('count' in maxDelete) return { limit: maxDelete.count, text: String(maxDelete.count) };
  const limit = Math.floor(maxDelete.fraction * known);
  return { limit, text: `${Math.round(maxDelete.fraction * 100)}% of ${known} = ${limit}` };
}

/** Sent, but no answer said whether it was made: the order may exist. */
export const isAmbiguous = (err: unknown): boolean => err instanceof AmbiguousWriteError;

/**
 * One sentence for a row whose call failed, with the advice its cause calls for: a passing fault
 * (retries used up on a 429, 5xx, timeout or dropped connection) is run again; a setup cause (a
 * refused credential, a 404, a 400 for the request as a whole, an answer not the API's) is checked
 * first, because running again unchanged fails the same way.
 */
export function failureText(err: unknown): string {
  if (err instanceof AmbiguousWriteError) return 'The API did not answer whether the order was made; run esprov reconcile to find out and finish it.';
  if (err instanceof ApiError && err.status === 404) {
    return `The API answered 404 for ${err.route}${err.apiDescription ? ` (${err.apiDescription})` : ''}: check --account, and that the account has this service (ask Bandwidth); running again unchanged fails the same way.`;
  }
  if (err instanceof ApiError) {
    return `The API refused the request as a whole (${err.apiCode ?? err.status}: ${err.apiDescription ?? err.message}), not one row of it: check what it names (the rows of this request, or the account's setup) before running again; running again unchanged fails the same way.`;
  }
  if (err instanceof EsprovApiError) return `The call failed (${err.message}). ${API_ERROR_MESSAGES[err.code].action}`;
  return `The call failed (${(err as Error).message}); run again later.`;
}

export function failureCode(err: unknown): string {
  if (err instanceof ApiError && err.apiCode) return err.apiCode;
  return (err as { code?: string }).code ?? 'CALL_FAILED';
}

/** Splits items into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
