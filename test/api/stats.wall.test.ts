// Waits are reported as wall-clock time: sixteen requests waiting the same second for the rate
// limiter are one second of a run, not sixteen (#15: "6m 24s waiting" after a 52 s run).

import { describe, expect, it } from 'vitest';
import { WallTimer } from '../../src/api/stats.js';
import { Summary, renderSummary } from '../../src/output/summary.js';

describe('wall-clock waits', () => {
  it('counts the time at least one wait was going on, not the sum over waits', () => {
    const wall = new WallTimer();
    for (let i = 0; i < 16; i++) wall.begin(1_000);
    for (let i = 0; i < 16; i++) wall.end(2_000);
    wall.begin(5_000);
    wall.begin(5_500);
    wall.end(6_000);
    wall.end(7_000);
    wall.end(9_000); // an end without a begin changes nothing
    expect(wall.total).toBe(1_000 + 2_000);
  });

  it('the summary shows the wall time, and keeps the sums in its JSON', () => {
    const s = new Summary(() => 0);
    s.setApi({ calls: { geocode: 16 }, retries: 0, throttled: 0, rateLimitWaitMs: 16_000, retryWaitMs: 0, rateLimitWallMs: 1_000, retryWallMs: 0 });
    const json = s.toJson('run', 'in.csv', 'out.csv', 0);
    expect(json.api).toMatchObject({ rateLimitWaitMs: 16_000, rateLimitWallMs: 1_000 });
    const text = renderSummary(json);
    expect(text).toContain('1s waiting for the rate limit');
    expect(text).not.toContain('16s waiting');
  });
});
