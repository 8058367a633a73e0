import type { Logger } from 'pino';
import { authProvider, withAuth, type AuthConfig } from './auth.js';
import { ClientClosedError } from './errors.js';
import { createDispatcher, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS, undiciSend, type Timeouts } from './http.js';
import { apiLogger, withLogging } from './log.js';
import { RateLimiter, withRateLimit } from './rate-limit.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';
import { StatsRecorder, type ApiStats } from './stats.js';
import { realClock, type Clock, type Send } from './types.js';

export interface TransportConfig {
  auth: AuthConfig;
  /** requests/second over all stages; undefined or 0 = unlimited */
  rate?: number;
  logger?: Logger;
  timeouts?: Partial<Timeouts>;
  /** shorthand for retry.maxAttempts */
  maxAttempts?: number;
  retry?: Partial<RetryPolicy>;
  /** keep-alive connections per origin (default 64) */
  connections?: number;
  maxResponseBytes?: number;
  /** tests only: a virtual clock and a fixed random source */
  clock?: Clock;
  random?: () => number;
}

export interface Transport {
  send: Send;
  limiter: RateLimiter;
  stats(): ApiStats;
  close(): Promise<void>;
}

/**
 * The layers, outermost first: retry → auth → rate limit → logging/stats → undici. Retry sees every
 * attempt; auth renews a token at most once per attempt; the limiter spaces every attempt sent;
 * logging and stats count what actually went on the wire. The OAuth token request takes the same
 * path without auth and without the limiter (it is another host and another budget).
 */
export function createTransport(config: TransportConfig): Transport {
  const clock = config.clock ?? realClock;
  const stats = new StatsRecorder();
  const logger = apiLogger(config.logger);
  const http = {
    connections: config.connections ?? 64,
    timeouts: { ...DEFAULT_TIMEOUTS, ...config.timeouts },
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...config.retry,
    ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}),
  };
  const retryOptions = { policy, clock, stats, ...(config.random ? { random: config.random } : {}) };

  const dispatcher = createDispatcher(http);
  const wire = withLogging(undiciSend(dispatcher, http), logger, stats);
  const provider = authProvider(config.auth, withRetry(wire, retryOptions), clock);
  const limiter = new RateLimiter({ rate: config.rate, clock });
  const send = withRetry(withAuth(withRateLimit(wire, limiter, stats, clock), provider), retryOptions);

  let closed = false;
  return {
    send: (req) => (closed ? Promise.reject(new ClientClosedError()) : send(req)),
    limiter,
    stats: () => stats.snapshot(),
    close: async () => {
      if (closed) return;
      closed = true;
      limiter.close();
      await dispatcher.close();
    },
  };
}
