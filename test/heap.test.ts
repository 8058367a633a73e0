// Peak memory (#13): esprov run's heap grows by a quarter between full collections, not up to four
// times what is live. Two node processes hold the same live rows and make the same garbage; the one
// that sets esprov's heap growth (dist/heap.js, as `esprov run` does) peaks far lower.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const HEAP = pathToFileURL(join(ROOT, 'dist/heap.js')).href;

/** The largest heap a process reached holding ~30 MB of rows while making ~300 MB of garbage that outlives a scavenge. */
const SCRIPT = `
import v8 from 'node:v8';
if (process.argv[1] === 'esprov') (await import(${JSON.stringify(HEAP)})).limitHeapGrowth();
const rows = Array.from({ length: 300_000 }, (_, i) => ({ id: 'EP' + i, name: 'Desk ' + i, n: i }));
let peak = 0;
let waiting = [];
for (let round = 0; round < 100; round++) {
  for (let i = 0; i < 20_000; i++) waiting.push({ a: 'x' + i + '.' + round, b: [i, round] });
  if (waiting.length >= 100_000) waiting = [];
  await new Promise((r) => setImmediate(r));
  peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
}
process.stdout.write(String(rows.length > 0 ? peak : 0));
`;

const peakOf = (mode: string): number => Number(execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, mode], { encoding: 'utf8' }));

describe('heap growth', () => {
  it("keeps the heap near what is live: esprov's setting peaks well below node's default", () => {
    const plain = peakOf('plain');
    const esprov = peakOf('esprov');
    expect(esprov).toBeGreaterThan(0);
    expect(esprov).toBeLessThan(0.8 * plain);
  });
});
