// Crash tests that prove they hit work: the CLI is killed (SIGKILL) right after the N-th request
// of a kind that the sandbox's ledger records — a geocode or address POST, a location order, an
// endpoint order, an order read, a delete — then run again (some with a second kill) to the end.
// Each case asserts that the kill interrupted real work (the count of that kind at the kill is
// below the final count), that nothing was created twice, and that every row ended final.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox, type SandboxCall } from '../src/sandbox/index.js';
import { CLI, ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { ...process.env, NO_COLOR: '1', BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

type Point = 'geocode' | 'loc-post' | 'ep-post' | 'order-read' | 'del-post' | 'address-post';

/** The kind of work a call is, as a crash point names it. */
function pointOf(call: SandboxCall): Point | undefined {
  if (call.kind === 'dlr.geocode') return 'geocode';
  // dlr reads open orders in the list of changed orders (and single orders where it must).
  if (call.kind === 'dlr.order.get' || call.kind === 'dlr.order.list' || call.kind === 'unified.order.details') return 'order-read';
  if (call.kind === 'unified.address.post') return 'address-post';
  if (call.kind === 'unified.endpoints.post') return 'ep-post';
  if (call.kind === 'unified.endpoints.delete') return 'del-post';
  if (call.kind !== 'dlr.order.post') return undefined;
  const deleting = call.body.includes('DeleteTNSpecificE911Address');
  if (call.body.includes('<AlternateEndUserIdentifiers>')) return deleting ? 'del-post' : 'ep-post';
  return deleting ? undefined : 'loc-post';
}

interface Armed {
  point: Point;
  n: number;
  child: ChildProcess;
  countAtKill?: number;
}

/** Counts each account's calls by crash point, and kills a child at the N-th call of a point (one child per account at a time). */
class Killer {
  readonly counts = new Map<string, Map<Point, number>>();
  private readonly armed = new Map<string, Armed>();

  onCall = (call: SandboxCall): void => {
    const point = pointOf(call);
    if (point === undefined) return;
    const byPoint = this.counts.get(call.account) ?? new Map<Point, number>();
    this.counts.set(call.account, byPoint);
    const n = (byPoint.get(point) ?? 0) + 1;
    byPoint.set(point, n);
    const a = this.armed.get(call.account);
    if (a !== undefined && a.point === point && a.countAtKill === undefined && n >= a.n) {
      a.countAtKill = n;
      a.child.kill('SIGKILL');
    }
  };

  count(account: string, point: Point): number {
    return this.counts.get(account)?.get(point) ?? 0;
  }

  /** Runs the CLI until it ends or is killed at the N-th call of `point`; the count at the kill, or undefined when it ended first. */
  runUntil(argv: string[], account: string, point: Point, n: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...argv], { cwd: ROOT, env: ENV, stdio: 'ignore' });
      const armed: Armed = { point, n, child };
      this.armed.set(account, armed);
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', () => {
        clearTimeout(timer);
        this.armed.delete(account);
        resolve(armed.countAtKill);
      });
    });
  }
}

interface Case {
  profile: 'dlr' | 'unified';
  first: [Point, number];
  second?: [Point, number];
}

const CASES: Case[] = [
  { profile: 'dlr', first: ['geocode', 1] },
  { profile: 'dlr', first: ['geocode', 6], second: ['loc-post', 1] },
  { profile: 'dlr', first: ['loc-post', 1] },
  { profile: 'dlr', first: ['loc-post', 2], second: ['ep-post', 2] },
  { profile: 'dlr', first: ['ep-post', 1] },
  { profile: 'dlr', first: ['ep-post', 4], second: ['order-read', 2] },
  { profile: 'dlr', first: ['order-read', 1] },
  { profile: 'dlr', first: ['order-read', 3], second: ['order-read', 1] },
  { profile: 'unified', first: ['address-post', 1] },
  { profile: 'unified', first: ['address-post', 5], second: ['ep-post', 1] },
  { profile: 'unified', first: ['ep-post', 1] },
  { profile: 'unified', first: ['ep-post', 2], second: ['order-read', 1] },
  { profile: 'unified', first: ['order-read', 1] },
  { profile: 'unified', first: ['order-read', 2], second: ['order-read', 1] },
];

const SAMPLE = { dlr: 'samples/dlr-offices.csv', unified: 'samples/unified-europe.csv' };

// Each case has its own account, state and result: they run side by side (vitest's maxConcurrency),
// their waits (the request lifetime a restarted run waits out) overlapping.
describe.concurrent('crash points: a kill right after real work, then a rerun, creates nothing twice', () => {
  let sandbox: Sandbox;
  const killer = new Killer();
  beforeAll(async () => {
    sandbox = await startSandbox({ latencyMs: 5, seed: 17, onCall: killer.onCall });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const argv = (profile: 'dlr' | 'unified', input: string, account: string, dir: string, ...flags: string[]) => [
    'run',
    input,
    '--api',
    profile,
    '--account',
    account,
    '--base-url',
    `${sandbox.url}${profile === 'dlr' ? '/api' : '/api/v2'}`,
    '--state',
    join(dir, 'state.db'),
    '--out',
    join(dir, 'result.csv'),
    '--concurrency',
    '2',
    '--chunk-size',
    '4',
    '--rate',
    '0',
    '--request-timeout',
    '3s',
    '-q',
    ...flags,
  ];

  function expectNothingTwice(profile: 'dlr' | 'unified', account: string): void {
    const twice = (m: Record<string, number>) => Object.entries(m).filter(([, n]) => n > 1);
    const ledger = sandbox.ledger().accounts[account]!;
    if (profile === 'dlr') {
      expect(twice(ledger.dlr.identifierSubmissions)).toEqual([]);
      expect(twice(ledger.dlr.locationIdSubmissions)).toEqual([]);
      expect(ledger.dlr.duplicateCustomerOrderIds).toEqual({});
      expect(Object.keys(ledger.dlr.aeuis)).toHaveLength(37);
    } else {
      expect(twice(ledger.unified.phoneSubmissions)).toEqual([]);
      expect(Object.keys(ledger.unified.endpoints)).toHaveLength(13);
    }
  }

  function expectFinal(profile: 'dlr' | 'unified', dir: string): void {
    const rows = readResult(join(dir, 'result.csv'));
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.result_status!] = (counts[r.result_status!] ?? 0) + 1;
    expect(counts.PENDING ?? 0).toBe(0);
    if (profile === 'dlr') {
      expect(rows).toHaveLength(50);
      expect((counts.SUCCESS ?? 0) + (counts.UNCHANGED ?? 0)).toBe(37);
      expect([counts.REJECTED, counts.INVALID]).toEqual([2, 11]);
    } else {
      expect(rows).toHaveLength(18);
      expect((counts.SUCCESS ?? 0) + (counts.UNCHANGED ?? 0)).toBe(13);
    }
  }

  it.each(CASES.map((c, i) => [`${c.profile} ${c.first.join(' #')}${c.second ? `, then ${c.second.join(' #')}` : ''}`, i] as const))('%s', async (_name, i) => {
    const c = CASES[i]!;
    const account = `cp${i}`;
    const dir = tempDir();
    const args = argv(c.profile, SAMPLE[c.profile], account, dir);
    const kills: [Point, number][] = [];
    const atFirst = await killer.runUntil(args, account, c.first[0], c.first[1]);
    expect(atFirst, 'the first kill landed on its call').toBe(c.first[1]);
    kills.push([c.first[0], atFirst!]);
    if (c.second !== undefined) {
      const before = killer.count(account, c.second[0]);
      const atSecond = await killer.runUntil(args, account, c.second[0], before + c.second[1]);
      expect(atSecond, 'the second kill landed on its call').toBe(before + c.second[1]);
      kills.push([c.second[0], atSecond!]);
    }
    const final = await runCli(args, { env: ENV });
    expect(final.code).toBe(1); // the samples' INVALID and REJECTED rows
    // The kills interrupted real work: more of that work was done after them.
    for (const [point, at] of kills) expect(killer.count(account, point), `${point} after the kill at #${at}`).toBeGreaterThan(at);
    expectNothingTwice(c.profile, account);
    expectFinal(c.profile, dir);
  });

  it.each([
    ['dlr', 1],
    ['unified', 1],
  ] as const)('%s: a delete order killed after its POST is finished, not sent again', async (profile, n) => {
    const account = `cpdel-${profile}`;
    const dir = tempDir();
    const first = await runCli(argv(profile, SAMPLE[profile], account, dir), { env: ENV });
    expect(first.code).toBe(1);
    // The export without its last valid rows, with --delete-missing: those endpoints are deleted.
    const lines = readFileSync(join(ROOT, SAMPLE[profile]), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l !== '');
    const truncated = join(dir, 'truncated.csv');
    writeFileSync(truncated, `${lines.slice(0, lines.length - 6).join('\n')}\n`);
    const args = argv(profile, truncated, account, dir, '--delete-missing', '--max-delete', '100%');
    const before = profile === 'dlr' ? Object.keys(sandbox.ledger().accounts[account]!.dlr.aeuis).length : Object.keys(sandbox.ledger().accounts[account]!.unified.endpoints).length;
    const at = await killer.runUntil(args, account, 'del-post', killer.count(account, 'del-post') + n);
    expect(at).toBeDefined();
    const deletesAtKill = killer.count(account, 'del-post');
    const final = await runCli(args, { env: ENV });
    expect([0, 1]).toContain(final.code);
    const after = profile === 'dlr' ? Object.keys(sandbox.ledger().accounts[account]!.dlr.aeuis).length : Object.keys(sandbox.ledger().accounts[account]!.unified.endpoints).length;
    expect(after).toBeLessThan(before);
    // The killed run's delete order was found and finished; only the chunks it had not sent were sent.
    const rows = readResult(join(dir, 'result.csv'));
    expect(rows.filter((r) => r.result_status === 'PENDING')).toEqual([]);
    const deleted = before - after;
    const chunksBefore = deletesAtKill - n; // delete POSTs before this case (none: the account is new)
    expect(chunksBefore).toBe(0);
    expect(killer.count(account, 'del-post')).toBe(Math.ceil(deleted / 4));
  });
});
