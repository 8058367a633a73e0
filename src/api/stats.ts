/** Counters for the run summary, kept by the transport layers and read as a plain object. */

export interface ApiStats {
  /** HTTP attempts actually sent, by kind (geocode, orderPost, orderGet, orderList, addressPost ...) */
  calls: Record<string, number>;
  totalCalls: number;
  /** attempts repeated after a retryable failure */
  retries: number;
  /** 429 answers */
  throttled: number;
  /** responses by status class or network failure code, e.g. "2xx", "429", "ECONNRESET" */
  outcomes: Record<string, number>;
  /** time spent waiting for the client-side rate limiter */
  rateLimitWaitMs: number;
  /** time spent sleeping between retries (backoff, Retry-After) */
  retryWaitMs: number;
  ambiguousWrites: number;
  tokenFetches: number;
}

export class StatsRecorder {
  private readonly s: ApiStats = {
    calls: {},
    totalCalls: 0,
    retries: 0,
    throttled: 0,
    outcomes: {},
    rateLimitWaitMs: 0,
    retryWaitMs: 0,
    ambiguousWrites: 0,
    tokenFetches: 0,
  };

  call(kind: string): void {
    this.s.calls[kind] = (this.s.calls[kind] ?? 0) + 1;
    this.s.totalCalls++;
    if (kind === 'token') this.s.tokenFetches++;
  }

  outcome(key: string): void {
    this.s.outcomes[key] = (this.s.outcomes[key] ?? 0) + 1;
    if (key === '429') this.s.throttled++;
  }

  retry(waitMs: number): void {
    this.s.retries++;
    this.s.retryWaitMs += waitMs;
  }

  rateLimitWait(ms: number): void {
    this.s.rateLimitWaitMs += ms;
  }

  ambiguous(): void {
    this.s.ambiguousWrites++;
  }

  /** a copy: callers may keep it without seeing later counts */
  snapshot(): ApiStats {
    return {
      ...this.s,
      calls: { ...this.s.calls },
      outcomes: { ...this.s.outcomes },
      rateLimitWaitMs: Math.round(this.s.rateLimitWaitMs),
      retryWaitMs: Math.round(this.s.retryWaitMs),
    };
  }
}
