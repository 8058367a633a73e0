import { AmbiguousWriteError, NetworkError, RetriesExhaustedError } from './errors.js';
import type { StatsRecorder } from './stats.js';
import type { ApiResponse, Clock, Send } from './types.js';

export interface RetryPolicy {
  /** attempts in all, the first included */
  maxAttempts: number;
  /** first backoff ceiling; doubles per attempt */
  baseDelayMs: number;
  /** backoff ceiling (a server's Retry-After may ask for more, and is obeyed within maxElapsedMs) */
  maxDelayMs: number;
  /** no retry is scheduled that would end later than this after the first attempt */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxElapsedMs: 300_000,
};

/** Statuses worth another attempt. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Statuses that say the request was not processed, so even a request that creates something may be
 * sent again. 500/502/504 do not: the server (or the one behind a gateway) may have acted first.
 */
export const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export interface RetryInput {
  /** the attempt that just failed, 1-based */
  attempt: number;
  /** time since the first attempt started */
  elapsedMs: number;
  /** what the server asked for (Retry-After / X-RateLimit-Reset), if anything */
  serverDelayMs?: number;
  /** uniform in [0, 1) */
  random: number;
}

/**
 * Exponential backoff with full jitter (a uniform delay up to min(maxDelay, base·2^(attempt-1))),
 * never shorter than what the server asked for. `undefined` means give up: attempts used up, or
 * the wait would overrun the time budget.
 */
export function retryDelay(input: RetryInput, policy: RetryPolicy): number | undefined {
  if (!(input.attempt < policy.maxAttempts)) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, input.attempt - 1));
  const random = Number.isFinite(input.random) ? Math.min(1, Math.max(0, input.random)) : 0.5;
  let delay = Math.max(0, random * ceiling);
  const server = input.serverDelayMs;
  if (server !== undefined && Number.isFinite(server)) delay = Math.max(delay, Math.max(0, server));
  if (!(Math.max(0, input.elapsedMs) + delay <= policy.maxElapsedMs)) return undefined;
  return delay;
}

const DIGITS = /^\d+(\.\d+)?$/;

/**
 * How long the server asked us to wait, from `Retry-After` (seconds or HTTP date) or, for the
 * numbers API, `X-RateLimit-Reset` (epoch seconds). Dates are measured against the response's own
 * `Date` header when present, so a skewed local clock does not matter.
 */
export function serverDelayMs(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const dated = headers['date'] ? Date.parse(headers['date']) : Number.NaN;
  const reference = Number.isFinite(dated) ? dated : nowMs;
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (DIGITS.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - reference);
  }
  const reset = headers['x-ratelimit-reset']?.trim();
  if (reset && DIGITS.test(reset)) {
    const value = Number(reset);
    if (value < 1e9) return value * 1000; // a small number is a delta in seconds, not an epoch
    if (value > 1e12) return Math.max(0, value - reference); // epoch milliseconds
    return Math.max(0, value * 1000 - reference);
  }
  return undefined;
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  stats: StatsRecorder;
  random?: () => number;
}

/**
 * Repeats retryable failures. A request marked `idempotent: false` is never repeated once it may
 * have been delivered: the caller gets an AmbiguousWriteError and decides.
 */
export function withRetry(send: Send, options: RetryOptions): Send {
  const { policy, clock, stats } = options;
  const random = options.random ?? Math.random;
  return async (req) => {
    const started = clock.now();
    for (let attempt = 1; ; attempt++) {
      let res: ApiResponse | undefined;
      let failure: NetworkError | undefined;
      try {
        res = await send({ ...req, attempt });
      } catch (err) {
        if (!(err instanceof NetworkError) || err.delivery === 'fatal') throw err;
        failure = err;
      }
      if (res && !RETRYABLE_STATUSES.has(res.status)) return res;

      if (!req.idempotent) {
        if (failure?.delivery === 'maybe-sent') {
          stats.ambiguous();
          throw new AmbiguousWriteError(req.route, failure.errno, undefined, { cause: failure });
        }
        if (res && !NOT_PROCESSED_STATUSES.has(res.status)) {
          stats.ambiguous();
          throw new AmbiguousWriteError(req.route, `status ${res.status}`, res.status);
        }
      }

      const server = res ? serverDelayMs(res.headers, clock.now()) : undefined;
      const delay = retryDelay({ attempt, elapsedMs: clock.now() - started, serverDelayMs: server, random: random() }, policy);
      if (delay === undefined) {
        const described = res ? req.describeError?.(res) : undefined;
        throw new RetriesExhaustedError(req.route, attempt, res?.status, described?.code, described?.description, {
          cause: failure,
        });
      }
      stats.retry(delay);
      stats.retryWall.begin(clock.now());
      try {
        await clock.sleep(delay, req.signal);
      } finally {
        stats.retryWall.end(clock.now());
      }
    }
  };
}
