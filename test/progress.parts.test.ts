// Issue 15: the order stage's progress says which orders it counts ("orders finished: location
// orders 13/13, endpoint orders 14/14"), not two bare "orders finished" counts.

import { describe, expect, it } from 'vitest';
import { createProgress, describeStage, type ProgressStream } from '../src/output/progress.js';

const CLEAR = '\r\x1b[K';

function terminal(): ProgressStream & { text: () => string } {
  let out = '';
  const stream = {
    isTTY: true,
    columns: 120,
    write(chunk: string | Uint8Array): boolean {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    },
    text: () => out,
  };
  return stream as unknown as ProgressStream & { text: () => string };
}

describe('the orders stage, labelled per kind of order', () => {
  it('counts each kind against the orders of that kind sent, on the live line and the line it leaves', () => {
    const stream = terminal();
    let t = 0;
    const p = createProgress({ stream, quiet: false, env: { NO_COLOR: '1' }, now: () => t });
    p.stage('orders finished');
    for (let i = 0; i < 13; i++) p.expect('location orders');
    for (let i = 0; i < 13; i++) {
      t += 200;
      p.tick(1, 'location orders');
    }
    for (let i = 0; i < 14; i++) p.expect('endpoint orders');
    for (let i = 0; i < 14; i++) {
      t += 200;
      p.tick(1, 'endpoint orders');
    }
    p.done();
    const frames = stream.text().split(CLEAR);
    expect(frames.some((f) => f.startsWith('orders finished  location orders 13/13, endpoint orders 5/14'))).toBe(true);
    expect(stream.text()).toContain('✓ orders finished: location orders 13/13, endpoint orders 14/14 in 5.4s');
  });

  it('describeStage puts the kinds in place of the one count', () => {
    const d = describeStage({
      name: 'orders',
      count: 3,
      total: undefined,
      elapsedMs: 2000,
      ratePerSecond: undefined,
      waiting: undefined,
      parts: [
        ['location orders', 2, 2],
        ['endpoint orders', 1, 4],
      ],
    });
    expect(d.numbers).toBe('location orders 2/2, endpoint orders 1/4  2s elapsed');
  });
});
