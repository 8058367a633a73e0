import { ClientClosedError } from './errors.js';
import { serverDelayMs } from './retry.js';
import type { StatsRecorder } from './stats.js';
import { realClock, type Clock, type RateGroup, type Send } from './types.js';

const GROUPS: readonly RateGroup[] = ['order', 'geocode', 'read'];
const EPSILON = 1e-9;

class TokenBucket {
  private tokens = 1;
  private capacity: number;

  constructor(
    private rate: number,
    private last: number,
    private readonly burstSeconds: number,
    startTokens = 1,
  ) {
    this.capacity = Math.max(1, rate * burstSeconds);
    this.tokens = Math.min(this.capacity, startTokens);
  }

  /** ms until one token is available */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 - EPSILON ? 0 : ((1 - this.tokens) * 1000) / this.rate;
  }

  take(): void {
    this.tokens -= 1;
  }

  setRate(rate: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    this.capacity = Math.max(1, rate * this.burstSeconds);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  private refill(now: number): void {
    if (now <= this.last) return;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
  }
}

interface Waiter {
  enqueuedAt: number;
  resolve: (waitedMs: number) => void;
  reject: (err: unknown) => void;
  cleanup: () => void;
}

interface GroupState {
  name: RateGroup;
  queue: Waiter[];
  /** own limit after a 429 (requests/second); undefined = only the overall rate applies */
  limit?: number;
  bucket?: TokenBucket;
  /** the limit to climb back to before the group limit is dropped */
  recoverTo?: number;
  blockedUntil: number;
  lastDecrease: number;
  /** grant times in the last second, to estimate the rate reached when no limit was set */
  recent: number[];
}

export interface RateLimiterOptions {
  /** requests/second over all groups; undefined or 0 = unlimited */
  rate?: number;
  clock?: Clock;
  /** floor for a group's rate after repeated 429s */
  minRate?: number;
  /** bucket depth in seconds of rate (absorbs timer lateness); at least one token */
  burstSeconds?: number;
  /** roughly how many seconds a halved rate takes to climb back */
  recoverySeconds?: number;
}

/**
 * Token buckets: one overall, plus one per rate-limit group once that group was throttled. Waiting
 * requests are served round-robin across groups, so a flood of polls cannot starve submissions. A
 * 429 halves the group's rate (at most once a second) and holds it until the server's reset time;
 * each success adds back a little (additive increase) until the group limit is dropped again.
 */
export class RateLimiter {
  private readonly clock: Clock;
  private readonly rate: number | undefined;
  private readonly minRate: number;
  private readonly burstSeconds: number;
  private readonly recoverySeconds: number;
  private readonly overall: TokenBucket | undefined;
  private readonly groups = new Map<RateGroup, GroupState>();
  private roundRobin = 0;
  private timer: AbortController | undefined;
  private closed = false;

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.rate = options.rate !== undefined && options.rate > 0 ? options.rate : undefined;
    this.minRate = options.minRate ?? 0.5;
    this.burstSeconds = options.burstSeconds ?? 0.1;
    this.recoverySeconds = options.recoverySeconds ?? 20;
    const now = this.clock.now();
    this.overall = this.rate !== undefined ? new TokenBucket(this.rate, now, this.burstSeconds) : undefined;
    for (const name of GROUPS) {
      this.groups.set(name, { name, queue: [], blockedUntil: 0, lastDecrease: -Infinity, recent: [] });
    }
  }

  /** Resolves with the time waited once the request may go. */
  acquire(group: RateGroup, signal?: AbortSignal): Promise<number> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    const g = this.state(group);
    const now = this.clock.now();
    if (!this.anyWaiting() && this.waitFor(g, now) <= 0) {
      this.grant(g, now);
      return Promise.resolve(0);
    }
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        const i = g.queue.indexOf(waiter);
        if (i >= 0) g.queue.splice(i, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        enqueuedAt: now,
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      g.queue.push(waiter);
      this.pump();
    });
  }

  /** A 429 in this group: halve its rate (once per second at most) and hold it until the reset. */
  onThrottle(group: RateGroup, delayMs?: number): void {
    const g = this.state(group);
    const now = this.clock.now();
    if (delayMs !== undefined && delayMs > 0) g.blockedUntil = Math.max(g.blockedUntil, now + delayMs);
    if (now - g.lastDecrease >= 1000) {
      // unlimited: estimate the rate that drew the 429 from the grants of the last second
      const current = g.limit ?? this.rate ?? Math.max(this.recentCount(g, now), this.minRate * 2);
      g.limit = Math.max(this.minRate, current / 2);
      g.recoverTo = this.rate ?? current;
      if (g.bucket) g.bucket.setRate(g.limit, now);
      else g.bucket = new TokenBucket(g.limit, now, this.burstSeconds, 0);
      g.lastDecrease = now;
    }
    this.pump();
  }

  /** An answer that was not a 429: climb back towards the configured rate. */
  onSuccess(group: RateGroup): void {
    const g = this.state(group);
    if (g.limit === undefined || g.recoverTo === undefined) return;
    const step = Math.max(0.5, g.recoverTo / this.recoverySeconds);
    g.limit += step / Math.max(1, g.limit);
    if (g.limit >= g.recoverTo) {
      g.limit = undefined;
      g.bucket = undefined;
      g.recoverTo = undefined;
    } else {
      g.bucket?.setRate(g.limit, this.clock.now());
    }
    this.pump();
  }

  /** requests/second this group may use now; undefined = unlimited */
  currentRate(group: RateGroup): number | undefined {
    return this.state(group).limit ?? this.rate;
  }

  close(): void {
    this.closed = true;
    this.timer?.abort();
    this.timer = undefined;
    for (const g of this.groups.values()) {
      for (const w of g.queue.splice(0)) {
        w.cleanup();
        w.reject(new ClientClosedError());
      }
    }
  }

  private state(group: RateGroup): GroupState {
    const g = this.groups.get(group);
    if (!g) throw new Error(`unknown rate group ${String(group)}`);
    return g;
  }

  private anyWaiting(): boolean {
    for (const g of this.groups.values()) if (g.queue.length > 0) return true;
    return false;
  }

  private waitFor(g: GroupState, now: number): number {
    return Math.max(g.blockedUntil - now, g.bucket?.waitMs(now) ?? 0, this.overall?.waitMs(now) ?? 0);
  }

  private grant(g: GroupState, now: number): void {
    g.bucket?.take();
    this.overall?.take();
    g.recent.push(now);
    while (g.recent.length > 0 && (g.recent[0] ?? now) <= now - 1000) g.recent.shift();
    if (g.recent.length > 10_000) g.recent.splice(0, g.recent.length - 10_000);
  }

  private recentCount(g: GroupState, now: number): number {
    return g.recent.filter((t) => t > now - 1000).length;
  }

  /** Grant what can go now, round-robin over groups, then sleep until the next one can. */
  private pump(): void {
    if (this.closed) return;
    this.timer?.abort();
    this.timer = undefined;
    const now = this.clock.now();
    const order = [...this.groups.values()];
    let granted = true;
    while (granted) {
      granted = false;
      for (let i = 0; i < order.length; i++) {
        const index = (this.roundRobin + i) % order.length;
        const g = order[index];
        if (!g || g.queue.length === 0 || this.waitFor(g, now) > 0) continue;
        const waiter = g.queue.shift();
        if (!waiter) continue;
        this.grant(g, now);
        waiter.cleanup();
        waiter.resolve(now - waiter.enqueuedAt);
        this.roundRobin = (index + 1) % order.length;
        granted = true;
        break;
      }
    }
    let next = Infinity;
    for (const g of order) if (g.queue.length > 0) next = Math.min(next, this.waitFor(g, now));
    if (next === Infinity) return;
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleep(Math.max(1, Math.ceil(next)), timer.signal).then(
      () => {
        if (this.timer === timer) {
          this.timer = undefined;
          this.pump();
        }
      },
      () => undefined,
    );
  }
}

/** Transport layer: wait for the limiter before each attempt, and tell it about 429s. */
export function withRateLimit(send: Send, limiter: RateLimiter, stats: StatsRecorder, clock: Clock): Send {
  return async (req) => {
    stats.rateLimitWall.begin(clock.now());
    let waited: number;
    try {
      waited = await limiter.acquire(req.group, req.signal);
    } finally {
      stats.rateLimitWall.end(clock.now());
    }
    if (waited > 0) stats.rateLimitWait(waited);
    const res = await send(req);
    if (res.status === 429) limiter.onThrottle(req.group, serverDelayMs(res.headers, clock.now()));
    else limiter.onSuccess(req.group);
    return res;
  };
}
