import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyNetworkFailure } from '../../src/api/http.js';
import { DEFAULT_RETRY_POLICY, retryDelay, serverDelayMs, type RetryPolicy } from '../../src/api/retry.js';

const policyArb: fc.Arbitrary<RetryPolicy> = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 20 }),
  baseDelayMs: fc.integer({ min: 0, max: 5_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
  maxElapsedMs: fc.integer({ min: 0, max: 3_600_000 }),
});

const inputArb = fc.record({
  attempt: fc.integer({ min: 1, max: 40 }),
  elapsedMs: fc.integer({ min: 0, max: 4_000_000 }),
  serverDelayMs: fc.option(fc.double({ min: -10_000, max: 600_000, noNaN: true }), { nil: undefined }),
  random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

describe('retryDelay (pure backoff policy)', () => {
  it('is never negative and never above the cap, unless the server asked for longer', () => {
    fc.assert(
      fc.property(policyArb, inputArb, (policy, input) => {
        const delay = retryDelay(input, policy);
        if (delay === undefined) return;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.max(policy.maxDelayMs, input.serverDelayMs ?? 0));
      }),
    );
  });

  it("honours Retry-After: never retries sooner than the server's delay", () => {
    fc.assert(
      fc.property(policyArb, inputArb, (policy, input) => {
        const delay = retryDelay(input, policy);
        if (delay !== undefined && input.serverDelayMs !== undefined) {
          expect(delay).toBeGreaterThanOrEqual(input.serverDelayMs);
        }
      }),
    );
  });

  it('stops after maxAttempts and never plans a wait past the time budget', () => {
    fc.assert(
      fc.property(policyArb, inputArb, (policy, input) => {
        const delay = retryDelay(input, policy);
        if (input.attempt >= policy.maxAttempts) expect(delay).toBeUndefined();
        if (delay !== undefined) expect(input.elapsedMs + delay).toBeLessThanOrEqual(policy.maxElapsedMs);
      }),
    );
  });

  it('backs off exponentially up to the cap (full jitter spans [0, ceiling))', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000, maxElapsedMs: 60_000 };
    const top = (attempt: number) => retryDelay({ attempt, elapsedMs: 0, random: 0.999999 }, policy) ?? -1;
    expect(top(1)).toBeCloseTo(100, 0);
    expect(top(2)).toBeCloseTo(200, 0);
    expect(top(3)).toBeCloseTo(400, 0);
    expect(top(5)).toBeCloseTo(1_000, 0);
    expect(top(9)).toBeCloseTo(1_000, 0);
    expect(retryDelay({ attempt: 3, elapsedMs: 0, random: 0 }, policy)).toBe(0);
  });

  it('gives up at once when the server asks for more than the remaining budget', () => {
    expect(retryDelay({ attempt: 1, elapsedMs: 0, random: 0.5, serverDelayMs: 400_000 }, DEFAULT_RETRY_POLICY)).toBeUndefined();
    expect(retryDelay({ attempt: 1, elapsedMs: 0, random: 0.5, serverDelayMs: 30_000 }, DEFAULT_RETRY_POLICY)).toBe(30_000);
  });
});

describe('serverDelayMs (Retry-After, X-RateLimit-Reset)', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('reads Retry-After in seconds', () => {
    expect(serverDelayMs({ 'retry-after': '7' }, now)).toBe(7_000);
    expect(serverDelayMs({ 'retry-after': '0' }, now)).toBe(0);
  });

  it("reads Retry-After as an HTTP date, measured against the response's Date header", () => {
    const headers = { 'retry-after': 'Wed, 01 May 2024 12:00:30 GMT', date: 'Wed, 01 May 2024 12:00:10 GMT' };
    expect(serverDelayMs(headers, now)).toBe(20_000);
    expect(serverDelayMs({ 'retry-after': 'Wed, 01 May 2024 12:00:30 GMT' }, now)).toBe(30_000);
    expect(serverDelayMs({ 'retry-after': 'Wed, 01 May 2024 11:00:00 GMT' }, now)).toBe(0);
  });

  it('reads X-RateLimit-Reset as epoch seconds (and small values as a delta)', () => {
    expect(serverDelayMs({ 'x-ratelimit-reset': String(now / 1000 + 12) }, now)).toBe(12_000);
    expect(serverDelayMs({ 'x-ratelimit-reset': String(now / 1000 - 5) }, now)).toBe(0);
    expect(serverDelayMs({ 'x-ratelimit-reset': '3' }, now)).toBe(3_000);
  });

  it('prefers Retry-After and ignores what it cannot read', () => {
    expect(serverDelayMs({ 'retry-after': '2', 'x-ratelimit-reset': String(now / 1000 + 60) }, now)).toBe(2_000);
    expect(serverDelayMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(serverDelayMs({}, now)).toBeUndefined();
  });
});

describe('classifyNetworkFailure', () => {
  it('separates failures before sending from failures after', () => {
    expect(classifyNetworkFailure('ECONNREFUSED')).toBe('not-sent');
    expect(classifyNetworkFailure('UND_ERR_CONNECT_TIMEOUT')).toBe('not-sent');
    expect(classifyNetworkFailure('ECONNRESET')).toBe('maybe-sent');
    expect(classifyNetworkFailure('UND_ERR_SOCKET')).toBe('maybe-sent');
    expect(classifyNetworkFailure('UND_ERR_HEADERS_TIMEOUT')).toBe('maybe-sent');
    expect(classifyNetworkFailure('TIMEOUT')).toBe('maybe-sent');
    expect(classifyNetworkFailure('CERT_HAS_EXPIRED')).toBe('fatal');
  });
});
