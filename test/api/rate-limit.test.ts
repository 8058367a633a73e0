import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ClientClosedError } from '../../src/api/errors.js';
import { RateLimiter } from '../../src/api/rate-limit.js';
import type { RateGroup } from '../../src/api/types.js';
import { fakeClock } from './helpers.js';

/** acquire n times at once and record the (virtual) time each was granted */
async function grantTimes(limiter: RateLimiter, clock: { now(): number }, group: RateGroup, n: number) {
  const times: number[] = [];
  await Promise.all(Array.from({ length: n }, () => limiter.acquire(group).then(() => times.push(clock.now()))));
  return times.sort((a, b) => a - b);
}

describe('RateLimiter', () => {
  it('grants at once when unlimited', async () => {
    const limiter = new RateLimiter({});
    const waits = await Promise.all(Array.from({ length: 100 }, () => limiter.acquire('read')));
    expect(waits.every((w) => w === 0)).toBe(true);
    expect(limiter.currentRate('read')).toBeUndefined();
  });

  it('holds its rate: 200 requests at 20/s take about 10 virtual seconds', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 20, clock });
    const times = await grantTimes(limiter, clock, 'geocode', 200);
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(9_000);
    expect(span).toBeLessThanOrEqual(11_000);
    // count-based: no one-second window holds more than rate + burst
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(20 + 2);
    }
  });

  it('holds its rate on the real clock too (generous bounds)', async () => {
    const limiter = new RateLimiter({ rate: 50 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 26 }, () => limiter.acquire('read')));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(400); // 25 intervals of 20 ms, minus the burst allowance
    expect(elapsed).toBeLessThan(5_000);
  });

  it('shares the overall rate across groups, round-robin, so polls cannot starve orders', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 10, clock });
    const order: string[] = [];
    const reads = Array.from({ length: 30 }, () => limiter.acquire('read').then(() => order.push('read')));
    const orders = Array.from({ length: 5 }, () => limiter.acquire('order').then(() => order.push('order')));
    await Promise.all([...reads, ...orders]);
    const lastOrder = order.lastIndexOf('order');
    expect(lastOrder).toBeLessThan(12);
  });

  it('halves a group after a 429 (once per second at most) and recovers gradually', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 10, clock });
    limiter.onThrottle('order');
    expect(limiter.currentRate('order')).toBeLessThanOrEqual(5);
    const afterFirst = limiter.currentRate('order') ?? 0;
    limiter.onThrottle('order');
    expect(limiter.currentRate('order')).toBe(afterFirst);
    clock.advance(1_000);
    limiter.onThrottle('order');
    expect(limiter.currentRate('order')).toBeCloseTo(afterFirst / 2, 5);
    expect(limiter.currentRate('read')).toBe(10);

    let successes = 0;
    let previous = limiter.currentRate('order') ?? 0;
    while (limiter.currentRate('order') !== 10 && successes < 1_000) {
      limiter.onSuccess('order');
      successes++;
      const rate = limiter.currentRate('order') ?? 0;
      expect(rate).toBeGreaterThanOrEqual(previous);
      previous = rate;
    }
    expect(limiter.currentRate('order')).toBe(10);
    expect(successes).toBeGreaterThan(5);
  });

  it('never drops below the floor', () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 4, clock, minRate: 0.5 });
    for (let i = 0; i < 20; i++) {
      limiter.onThrottle('geocode');
      clock.advance(1_000);
    }
    expect(limiter.currentRate('geocode')).toBe(0.5);
  });

  it('learns a rate after a 429 even when unlimited', async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ clock });
    await Promise.all(Array.from({ length: 40 }, () => limiter.acquire('geocode')));
    limiter.onThrottle('geocode');
    expect(limiter.currentRate('geocode')).toBe(20);
    expect(limiter.currentRate('order')).toBeUndefined();
  });

  it("holds a throttled group until the server's reset time, other groups go on", async () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ rate: 100, clock });
    limiter.onThrottle('geocode', 5_000);
    expect(await limiter.acquire('read')).toBe(0);
    const waited = await limiter.acquire('geocode');
    expect(waited).toBeGreaterThanOrEqual(5_000);
  });

  it('drops a waiter whose signal aborts, and rejects waiters on close', async () => {
    const limiter = new RateLimiter({ rate: 1 });
    await limiter.acquire('read');
    const controller = new AbortController();
    const aborted = limiter.acquire('read', controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    const pending = limiter.acquire('read');
    limiter.close();
    await expect(pending).rejects.toBeInstanceOf(ClientClosedError);
  });
});
