// Following many open orders with one list call a round (api-notes §2.5), against a fake API and
// a virtual clock: orders settle from the list without a read of their own; an answer cut short,
// an order the list stops showing, and an API that refuses the query each fall back to reading the
// order on its own, and no path changes an order's outcome.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/api/types.js';
import type { ChangedOrders, OrderDriver } from '../src/orders/drivers.js';
import { sendAndFollow, type OrderPlan } from '../src/orders/engine.js';
import { dlrAnswer, type OrderAnswer } from '../src/orders/settle.js';
import type { RunContext } from '../src/pipeline/context.js';
import { StateStore } from '../src/state/store.js';

const ACCOUNT = '78';

/** Time moves only when someone sleeps; each sleep lets the other work run first. */
function virtualClock(): Clock & { t: number } {
  const clock = {
    t: Date.parse('2026-12-02T10:00:00Z'),
    now: () => clock.t,
    sleep: async (ms: number) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      clock.t += ms;
    },
  };
  return clock;
}

/**
 * A virtual clock where sleepers wake in the order of their times (an aborted sleep rejects), and
 * time jumps to the next sleeper once the work in hand has run.
 */
function scheduledClock(): Clock & { t: number; stop(): void } {
  const sleepers: { at: number; resolve: () => void }[] = [];
  let running = true;
  const clock = {
    t: Date.parse('2026-12-02T10:00:00Z'),
    now: () => clock.t,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper = { at: clock.t + ms, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            sleepers.splice(sleepers.indexOf(sleeper), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
    stop: () => {
      running = false;
    },
  };
  void (async () => {
    while (running) {
      for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift();
      if (next === undefined) continue;
      clock.t = Math.max(clock.t, next.at);
      next.resolve();
    }
  })();
  return clock;
}

function context(store: StateStore): RunContext {
  return {
    settings: {
      profile: 'dlr',
      account: ACCOUNT,
      concurrency: 4,
      chunkSize: 10,
      pollTimeoutMs: 600_000,
      requestTimeoutMs: 1_000,
      retryRejected: false,
      dryRun: false,
      deleteMissing: false,
      maxDelete: { fraction: 0.1 },
      force: false,
      pruneLocations: false,
    },
    store,
    api: undefined as never,
    needApi: async () => {},
    runId: 'run-1',
    logger: pino({ level: 'silent' }),
    note: () => {},
  };
}

const COMPLETE: OrderAnswer = dlrAnswer({ final: true, rawStatus: 'COMPLETE', status: 'COMPLETE', errors: [] }, 'identifiers');
const REFUSED = (id: string): OrderAnswer =>
  dlrAnswer({ final: true, rawStatus: 'PARTIAL', status: 'PARTIAL', errors: [{ code: '8003', description: 'Identifier already in use', identifiers: [id] }] } as never, 'identifiers');

/**
 * A fake dlr API whose orders finish `finishAfterMs` after their POST; `list` decides what the
 * list of changed orders shows (all changed orders by default), `undefined` for an API that
 * refuses the query.
 */
function fakeApi(
  clock: Clock & { t: number },
  finishAfterMs: number,
  options: { list?: 'all' | 'refuse' | { max: number } | 'never'; answer?: (orderId: string, member: string) => OrderAnswer; summaries?: boolean } = {},
) {
  const orders = new Map<string, { posted: number; members: string[] }>();
  const calls = { reads: 0, lists: 0 };
  const answerOf = (orderId: string): OrderAnswer => {
    const o = orders.get(orderId)!;
    if (clock.t < o.posted + finishAfterMs) return dlrAnswer({ final: false, rawStatus: 'PROCESSING', status: 'PROCESSING', errors: [] }, 'identifiers');
    return options.answer?.(orderId, o.members[0]!) ?? COMPLETE;
  };
  const list = options.list ?? 'all';
  const driver: OrderDriver = {
    read: async (_kind, orderId) => {
      calls.reads++;
      return answerOf(orderId);
    },
    find: async () => undefined,
    changed: async (after, kindOf): Promise<ChangedOrders | undefined> => {
      calls.lists++;
      if (list === 'refuse') return undefined;
      const since = Date.parse(after);
      const changed = [...orders.entries()].filter(([, o]) => Math.max(o.posted, Math.min(clock.t, o.posted + finishAfterMs)) > since);
      const shown = list === 'never' ? [] : typeof list === 'object' ? changed.slice(0, list.max) : changed;
      const answers = new Map<string, OrderAnswer | 'read'>();
      let latest: number | undefined;
      for (const [id, o] of shown) {
        const modified = Math.max(o.posted, Math.min(clock.t, o.posted + finishAfterMs));
        latest = Math.max(latest ?? modified, modified);
        if (kindOf(id) === undefined) continue;
        const answer = answerOf(id);
        // Summaries (as dlr lists them): an order that did not end with every item made must be read for its errors.
        answers.set(id, options.summaries === true && answer.final && !answer.complete ? 'read' : answer);
      }
      // 'never': a list that claims to be whole but lags behind (a replica), showing none of them.
      return { answers, latest, complete: list === 'never' || shown.length === changed.length };
    },
  };
  const plan = (members: string[]): OrderPlan => ({
    kind: 'ep',
    members,
    content: members,
    post: async () => {
      const id = `o${orders.size + 1}`;
      orders.set(id, { posted: clock.t, members });
      return { orderId: id, rawStatus: 'RECEIVED' };
    },
  });
  return { driver, calls, plan };
}

const plans = (api: ReturnType<typeof fakeApi>, n: number): OrderPlan[] => Array.from({ length: n }, (_, i) => api.plan([`EP${String(i).padStart(10, '0')}`]));

describe('following orders with the list of changed orders', () => {
  it('settles 40 orders from list rounds alone: no order read on its own, fewer list calls than orders', async () => {
    const clock = virtualClock();
    const api = fakeApi(clock, 3_000);
    const results = await sendAndFollow(context(new StateStore(':memory:')), api.driver, plans(api, 40), { clock, postConcurrency: 8 });
    expect(results).toHaveLength(40);
    expect(results.every((r) => r.result === 'done')).toBe(true);
    expect(api.calls.reads).toBe(0);
    expect(api.calls.lists).toBeGreaterThan(0);
    expect(api.calls.lists).toBeLessThan(40);
  });

  it('looks at an order sent just after a round began when its own first look is due, not a whole round later', async () => {
    const clock = scheduledClock();
    const api = fakeApi(clock, 250);
    const [a, b] = plans(api, 2) as [OrderPlan, OrderPlan];
    // B is answered 10 ms after A: the round A's first look brings (at 250 ms) is too soon for B.
    const late: OrderPlan = {
      ...b,
      post: async (key) => {
        await clock.sleep(10);
        return b.post(key);
      },
    };
    const started = clock.t;
    const results = await sendAndFollow(context(new StateStore(':memory:')), api.driver, [a, late], { clock, postConcurrency: 2 });
    clock.stop();
    expect(results.map((r) => r.result)).toEqual(['done', 'done']);
    // B is seen final at its first look (260 ms), not a round delay after the first round (500 ms).
    expect(clock.t - started).toBe(260);
    expect(api.calls).toEqual({ reads: 0, lists: 2 });
  });

  it('gives every order the same outcome as reading it alone (refused members stay refused)', async () => {
    const answer = (_orderId: string, member: string) => (/[37]$/.test(member) ? REFUSED(member) : COMPLETE);
    const outcomes = async (list: 'all' | 'refuse', summaries = false) => {
      const clock = virtualClock();
      const api = fakeApi(clock, 2_000, { list, answer, summaries });
      const results = await sendAndFollow(context(new StateStore(':memory:')), api.driver, plans(api, 12), { clock });
      return { results: results.map((r) => `${r.member}:${r.result}:${'code' in r ? r.code : ''}`).sort(), calls: api.calls };
    };
    const listed = await outcomes('all');
    const alone = await outcomes('refuse');
    const summarized = await outcomes('all', true);
    expect(listed.results).toEqual(alone.results);
    expect(summarized.results).toEqual(alone.results);
    // Only the two orders that did not end with every item made are read, for their errors.
    expect(summarized.calls.reads).toBe(2);
    expect(listed.results.filter((r) => r.includes(':refused:8003'))).toHaveLength(2);
    expect(listed.calls.reads).toBe(0);
    // Refused query: one list call, then every order read on its own.
    expect(alone.calls.lists).toBe(1);
    expect(alone.calls.reads).toBeGreaterThanOrEqual(12);
  });

  it('reads on their own the open orders a list cut short may have left out', async () => {
    const clock = virtualClock();
    const api = fakeApi(clock, 1_000, { list: { max: 3 } });
    const results = await sendAndFollow(context(new StateStore(':memory:')), api.driver, plans(api, 10), { clock });
    expect(results.every((r) => r.result === 'done')).toBe(true);
    expect(api.calls.reads).toBeGreaterThan(0);
  });

  it('reads an order on its own when the list has not shown it for a minute (a clock or replica behind)', async () => {
    const clock = virtualClock();
    const api = fakeApi(clock, 1_000, { list: 'never' });
    const started = clock.t;
    const results = await sendAndFollow(context(new StateStore(':memory:')), api.driver, plans(api, 3), { clock });
    expect(results.every((r) => r.result === 'done')).toBe(true);
    expect(api.calls.reads).toBe(3);
    expect(clock.t - started).toBeGreaterThanOrEqual(60_000);
  });

  it('leaves orders PENDING at the poll timeout, and commits the final ones', async () => {
    const clock = virtualClock();
    const api = fakeApi(clock, 10 * 60_000 + 1);
    const store = new StateStore(':memory:');
    const ctx = context(store);
    const results = await sendAndFollow({ ...ctx, settings: { ...ctx.settings, pollTimeoutMs: 30_000 } }, api.driver, plans(api, 2), { clock });
    expect(results.map((r) => r.result)).toEqual(['pending', 'pending']);
    expect(results.every((r) => 'code' in r && r.code === 'ORDER_PENDING')).toBe(true);
  });
});
