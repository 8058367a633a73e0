// What every run stage shares: the config, the state store, the API, and the rows in input order.

import type { Logger } from 'pino';
import type { Api } from '../api/index.js';
// Error classes only: the API stack (undici, zod) loads when the run first needs it.
import { AmbiguousWriteError, API_ERROR_MESSAGES, ApiError, AuthError, ConfigError, EsprovApiError, MisconfiguredError } from '../api/errors.js';
import type { ResultRow } from '../output/result.js';
import type { Profile } from '../rules/types.js';
import type { AddressRecord, StateStore } from '../state/store.js';
import { failed, rejected, stopped, type Addressed, type Outcome } from './outcome.js';
import type { Planned } from './plan.js';

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

/** An input row (or an endpoint --delete-missing removes) with what the run must do for it. */
export interface RunRow {
  /** The row's line in the input; 0 for an endpoint deleted because it was missing from the input. */
  readonly line: number;
  readonly cells: readonly string[];
  readonly plan: Planned;
}

/** The outcomes a stage settled, by row. */
export type Settled = Map<RunRow, Outcome>;

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

/** How an address stage (dlr geocodes, unified address creation) reports to the stages after it. */
export interface AddressStageOptions {
  /** Told each address key as its answer (or failure) is in, known ones first: later stages start on it at once. */
  readonly onAnswer?: (key: string, record: AddressRecord | undefined) => void;
  /** Counts the addresses as this part of the caller's stage instead of a stage of their own. */
  readonly part?: string;
}

export { STOPPED } from './outcome.js';

/** Remembers a row refused before any order (address not valid), so an unchanged rerun does not resend it. */
export function rememberRejected(ctx: RunContext, key: string, hash: string, out: Outcome): Outcome {
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
  return out;
}

/** A row whose address has no usable answer: the API refused it, the call failed, or the command stopped first. */
export type AddressProblem = { readonly kind: 'stopped' } | { readonly kind: 'rejected' | 'failed'; readonly code: string; readonly message: string };

/** What the address stage's answer (or its failure) makes of a row; undefined when the address is usable. */
export function addressProblem(record: AddressRecord | undefined, failure: unknown, what: 'validated' | 'created'): AddressProblem | undefined {
  if (record === undefined) return failure === undefined ? { kind: 'stopped' } : { kind: 'failed', code: failureCode(failure), message: `The address could not be ${what}: ${failureText(failure)}` };
  if (record.outcome === 'invalid') return { kind: 'rejected', code: record.errorCode, message: record.errorMessage };
  return undefined;
}

/** A run's row settled on its address problem; a refused row is remembered so an unchanged rerun does not resend it. */
export function settleAddressProblem(ctx: RunContext, key: string, hash: string, at: Addressed, p: AddressProblem): Outcome {
  if (p.kind === 'stopped') return stopped(at);
  if (p.kind === 'failed') return failed(at, p.code, p.message, '');
  return rememberRejected(ctx, key, hash, rejected(at, p.code, p.message, ''));
}

/** A refused address is REJECTED, as a run would say; a call that failed is FAILED (check again later). */
export function problemCells(p: AddressProblem): Partial<ResultRow> {
  if (p.kind === 'stopped') return {};
  return { status: p.kind === 'rejected' ? 'REJECTED' : 'FAILED', errorCode: p.code, errorMessage: p.message };
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
