// The live progress line: on a terminal only, never with --quiet, no colour with NO_COLOR, redrawn
// at most ~10 times a second; and once for real, under a pseudo-terminal made by `script`.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgress, describeStage, type ProgressStream } from '../src/output/progress.js';
import { ROOT, tempDir } from './helpers/cli.js';

const SGR = /\x1b\[[\d;]*m/;
const CLEAR = '\r\x1b[K';

function fakeStream(isTTY: boolean, columns = 120): ProgressStream & { text: () => string } {
  let out = '';
  const stream = {
    isTTY,
    columns,
    write(chunk: string | Uint8Array): boolean {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    },
    text: () => out,
  };
  return stream as unknown as ProgressStream & { text: () => string };
}

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

/** 100 items over 10 simulated seconds, a 429 wait in the middle. */
function work(stream: ProgressStream, env: NodeJS.ProcessEnv = {}, quiet = false): void {
  const c = clock();
  const p = createProgress({ stream, quiet, env, now: c.now });
  p.note('resuming 1 open order');
  p.stage('addresses', 200);
  for (let i = 0; i < 100; i++) {
    c.advance(100);
    p.tick();
    if (i === 50) p.waiting('429 back-off, 2s');
    if (i === 60) p.waiting(undefined);
  }
  p.note('order ord-1 is taking long');
  p.stage('orders');
  p.tick(3);
  p.done();
}

describe('progress on a terminal', () => {
  it('redraws one line with count/total, percent, rate and ETA, and the wait', () => {
    const stream = fakeStream(true);
    work(stream);
    const text = stream.text();
    const frames = text.split(CLEAR).map((f) => f.replace(new RegExp(SGR.source, 'g'), ''));
    expect(frames).toContain('addresses  100/200  50%  10/s  ETA 10s  10s elapsed');
    expect(frames.some((f) => f.includes('waiting: 429 back-off, 2s'))).toBe(true);
    // The note sits above the live line, on a line of its own.
    expect(frames).toContain('esprov: order ord-1 is taking long\n');
    expect(frames.some((f) => f.startsWith('✓ addresses 100/200 in 10s, 10/s\n'))).toBe(true);
    // done() leaves the last stage's line and the cursor on a fresh line, ready for the summary.
    expect(text.replace(new RegExp(SGR.source, 'g'), '').endsWith('✓ orders 3 in 0s\n')).toBe(true);
    expect(text).toMatch(SGR);
  });

  it('draws at most about 10 times a second however often it ticks', () => {
    const stream = fakeStream(true);
    const c = clock();
    const p = createProgress({ stream, quiet: false, env: {}, now: c.now });
    p.stage('check', 100_000);
    for (let i = 0; i < 100_000; i++) {
      if (i % 1000 === 0) c.advance(10);
      p.tick();
    }
    // 1 s of simulated time: the first draw and about 10 more.
    const draws = stream.text().split(CLEAR).length - 1;
    expect(draws).toBeGreaterThan(2);
    expect(draws).toBeLessThanOrEqual(12);
    p.done();
  });

  it('keeps the line narrower than the terminal', () => {
    const stream = fakeStream(true, 40);
    const c = clock();
    const p = createProgress({ stream, quiet: false, env: { NO_COLOR: '1' }, now: c.now });
    p.stage('addresses', 1_000_000);
    c.advance(2000);
    p.waiting('order 0f9a8b7c-1d2e-4f5a-9b8c-7d6e5f4a3b2c to finish');
    for (const frame of stream.text().split(CLEAR)) expect(frame.length).toBeLessThan(40);
    p.done();
  });

  it('has no colour codes with NO_COLOR, whatever its value', () => {
    for (const value of ['1', '', 'false']) {
      const stream = fakeStream(true);
      work(stream, { NO_COLOR: value });
      expect(stream.text()).not.toMatch(SGR);
      expect(stream.text()).toContain('10/s');
    }
  });
});

describe('progress elsewhere', () => {
  it('prints only the notes, as plain lines, when not a terminal', () => {
    const stream = fakeStream(false);
    work(stream);
    expect(stream.text()).toBe('esprov: resuming 1 open order\nesprov: order ord-1 is taking long\n');
  });

  it('prints nothing at all with --quiet, terminal or not', () => {
    for (const isTTY of [true, false]) {
      const stream = fakeStream(isTTY);
      work(stream, {}, true);
      expect(stream.text()).toBe('');
    }
  });
});

describe('describeStage', () => {
  it('says nothing about rate or ETA before it knows, and no ETA without a total', () => {
    expect(describeStage({ name: 'orders', count: 0, total: undefined, elapsedMs: 0, ratePerSecond: undefined, waiting: undefined }).numbers).toBe('0  0s elapsed');
    expect(describeStage({ name: 'orders', count: 12, total: undefined, elapsedMs: 4000, ratePerSecond: 3, waiting: 'order polling' })).toEqual({
      head: 'orders',
      numbers: '12  3/s  4s elapsed',
      tail: 'waiting: order polling',
    });
    expect(describeStage({ name: 'addresses', count: 1500, total: 20_000, elapsedMs: 65_000, ratePerSecond: 25, waiting: undefined }).numbers).toBe(
      '1,500/20,000  7%  25/s  ETA 12m 20s  1m 05s elapsed',
    );
  });
});

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).error === undefined;

describe('progress under a real pseudo-terminal', () => {
  const name = hasScript
    ? 'draws the live line when standard error is a terminal, and no colour with NO_COLOR'
    : 'draws the live line under a pseudo-terminal (skipped: util-linux `script` is not installed here)';
  it.skipIf(!hasScript)(name, async () => {
    const built = join(ROOT, 'dist/output/progress.js');
    expect(existsSync(built), 'dist/ is not built: run npx tsc -p tsconfig.build.json').toBe(true);
    const dir = tempDir();
    const program = join(dir, 'progress.mjs');
    writeFileSync(
      program,
      `
import { createProgress } from ${JSON.stringify(pathToFileURL(built).href)};
const p = createProgress({ stream: process.stderr, quiet: false });
p.stage('addresses', 40);
for (let i = 0; i < 40; i++) { await new Promise((r) => setTimeout(r, 25)); p.tick(); }
p.done();
process.stderr.write(process.stderr.isTTY ? 'stderr is a terminal\\n' : 'stderr is not a terminal\\n');
`,
    );
    const underPty = (env: NodeJS.ProcessEnv): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(program)}`, '/dev/null'], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NO_COLOR')), TERM: 'xterm', ...env },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    const colour = await underPty({});
    expect(colour).toContain('stderr is a terminal');
    expect(colour).toContain(CLEAR);
    expect(colour).toMatch(/addresses\S* {2}\d+\/40 {2}\d+% {2}\d+(\.\d)?\/s {2}ETA /);
    expect(colour).toMatch(SGR);
    const plain = await underPty({ NO_COLOR: '1' });
    expect(plain).toContain(CLEAR);
    expect(plain).not.toMatch(SGR);

    // The same program with standard error on a pipe draws nothing.
    const piped = spawnSync(process.execPath, [program], { encoding: 'utf8' });
    expect(piped.stderr).toBe('stderr is not a terminal\n');
  });
});
