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
  /** wall-clock time during which at least one request waited for the rate limiter (the sum above counts each waiting request) */
  rateLimitWallMs: number;
  /** wall-clock time during which at least one request slept before a retry */
  retryWallMs: number;
  ambiguousWrites: number;
  tokenFetches: number;
}

/** Wall-clock time during which at least one of many concurrent waits was going on. */
export class WallTimer {
  private active = 0;
  private since = 0;
  total = 0;

  begin(now: number): void {
    if (this.active++ === 0) this.since = now;
  }

  end(now: number): void {
    if (this.active === 0) return;
    if (--this.active === 0) this.total += Math.max(0, now - this.since);
  }
}

export class StatsRecorder {
  /** Waits for the rate limiter and sleeps before retries, as wall-clock time. */
  readonly rateLimitWall = new WallTimer();
  readonly retryWall = new WallTimer();

  private readonly s: ApiStats = {
    calls: {},
    totalCalls: 0,
    retries: 0,
    throttled: 0,
    outcomes: {},
    rateLimitWaitMs: 0,
    retryWaitMs: 0,
    rateLimitWallMs: 0,
    retryWallMs: 0,
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
      rateLimitWallMs: Math.round(this.rateLimitWall.total),
      retryWallMs: Math.round(this.retryWall.total),
    };
  }
}
