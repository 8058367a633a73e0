// The order lifecycle against a fake API and an in-memory state store: intent before POST, an
// unanswered POST found instead of resent, every path settling an answer the same way.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AmbiguousWriteError, ApiError } from '../src/api/errors.js';
import type { OrderDriver } from '../src/orders/drivers.js';
import { finishOpenOrders, sendAndFollow, type OrderPlan } from '../src/orders/engine.js';
import { dlrAnswer, type OrderAnswer } from '../src/orders/settle.js';
import type { RunContext } from '../src/pipeline/context.js';
import { StateStore } from '../src/state/store.js';

const ACCOUNT = '77';

function context(store: StateStore, runId = 'run-1'): RunContext {
  return {
    settings: {
      profile: 'dlr',
      account: ACCOUNT,
      concurrency: 2,
      chunkSize: 10,
      pollTimeoutMs: 5_000,
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
    runId,
    logger: pino({ level: 'silent' }),
    note: () => {},
  };
}

/** A fake dlr API: orders by id, each answering as told; a ledger of POSTs and lookups. */
function fakeApi(answers: Record<string, OrderAnswer>) {
  const posted: string[] = [];
  const made = new Map<string, string>(); // customer order id → order id
  const driver: OrderDriver = {
    read: async (_kind, orderId) => answers[orderId] ?? dlrAnswer({ final: true, rawStatus: 'COMPLETE', status: 'COMPLETE', errors: [] }, 'identifiers'),
    find: async (order) => made.get(order.orderKey),
  };
  return { driver, posted, made };
}

const endpoint = (store: StateStore, id: string, orderId = ''): void =>
  store.putEndpoint({
    account: ACCOUNT,
    profile: 'dlr',
    endpointKey: id,
    contentHash: `h-${id}`,
    addressRef: 'LOC1',
    status: 'pending',
    orderId,
    runId: 'run-1',
    errorCode: '',
    errorMessage: '',
    stdText: '',
  });

function plan(store: StateStore, fake: ReturnType<typeof fakeApi>, members: string[], post?: (key: string) => Promise<{ orderId: string; rawStatus: string }>): OrderPlan {
  return {
    kind: 'ep',
    members,
    content: members,
    post:
      post ??
      (async (key) => {
        const id = `o${fake.posted.length + 1}`;
        fake.posted.push(key);
        fake.made.set(key, id);
        return { orderId: id, rawStatus: 'RECEIVED' };
      }),
    markPending: (orderId) => {
      for (const m of members) endpoint(store, m, orderId);
    },
  };
}

describe('order engine', () => {
  it('commits the intent before the POST, then the order id, then the settled members', async () => {
    const store = new StateStore(':memory:');
    const ctx = context(store);
    const fake = fakeApi({});
    let seenAtPost: unknown;
    const p = plan(store, fake, ['A', 'B'], async (key) => {
      seenAtPost = store.getOrder(ACCOUNT, 'dlr', key);
      fake.made.set(key, 'o1');
      return { orderId: 'o1', rawStatus: 'RECEIVED' };
    });
    const results = await sendAndFollow(ctx, fake.driver, [p]);
    expect(seenAtPost).toMatchObject({ status: 'INTENT', orderId: '', members: ['A', 'B'], final: false });
    expect(results.map((r) => [r.member, r.result, r.orderId])).toEqual([
      ['A', 'done', 'o1'],
      ['B', 'done', 'o1'],
    ]);
    expect(store.getEndpoint(ACCOUNT, 'dlr', 'A')).toMatchObject({ status: 'provisioned', orderId: 'o1' });
    expect(store.openOrders(ACCOUNT, 'dlr')).toEqual([]);
  });

  it('an order that failed as a whole leaves its members to be sent again, whichever path settles it', async () => {
    const failed = dlrAnswer({ final: true, rawStatus: 'FAILED', status: 'FAILED', errors: [] }, 'identifiers');
    // The live run settles it.
    const live = new StateStore(':memory:');
    const fakeLive = fakeApi({ o1: failed });
    const liveResults = await sendAndFollow(context(live), fakeLive.driver, [plan(live, fakeLive, ['A'])]);
    // A resumed run settles the same answer.
    const resumed = new StateStore(':memory:');
    const fakeResumed = fakeApi({ o1: failed });
    endpoint(resumed, 'A', 'o1');
    resumed.putOrder({ account: ACCOUNT, profile: 'dlr', orderKey: 'k', orderId: 'o1', kind: 'ep', members: ['A'], status: 'RECEIVED', final: false, runId: 'run-0' });
    const resumedResults = await finishOpenOrders(context(resumed), fakeResumed.driver, resumed.openOrders(ACCOUNT, 'dlr'));
    expect(resumedResults).toEqual(liveResults);
    expect(liveResults[0]).toMatchObject({ result: 'retry', code: 'ORDER_FAILED' });
    for (const store of [live, resumed]) expect(store.getEndpoint(ACCOUNT, 'dlr', 'A')).toMatchObject({ status: 'pending', orderId: '', errorCode: 'ORDER_FAILED' });
  });

  it('a resend after a failed attempt is a new order with a new key; an open attempt is followed, never resent', async () => {
    const store = new StateStore(':memory:');
    const failed = dlrAnswer({ final: true, rawStatus: 'FAILED', status: 'FAILED', errors: [] }, 'identifiers');
    const fake = fakeApi({ o1: failed });
    await sendAndFollow(context(store), fake.driver, [plan(store, fake, ['A', 'B'])]);
    await sendAndFollow(context(store, 'run-2'), fake.driver, [plan(store, fake, ['B', 'A'])]);
    expect(fake.posted).toHaveLength(2);
    expect(new Set(fake.posted).size).toBe(2);
    expect(store.getEndpoint(ACCOUNT, 'dlr', 'A')).toMatchObject({ status: 'provisioned', orderId: 'o2' });
  });

  it('an intent left without an order id is looked up, not resent, in the live run and on resume', async () => {
    const store = new StateStore(':memory:');
    const fake = fakeApi({});
    // A first run crashed after its POST reached the API: the intent is there, the order exists.
    const crashed = plan(store, fake, ['A'], async (key) => {
      fake.made.set(key, 'o9');
      throw new Error('killed');
    });
    await expect(sendAndFollow(context(store), fake.driver, [crashed])).resolves.toMatchObject([{ result: 'not-sent' }]);
    // (a thrown error that is not ambiguous closes the intent; simulate the crash by reopening it)
    const key = fake.made.keys().next().value!;
    store.updateOrder(ACCOUNT, 'dlr', key, '', 'INTENT', false);
    const again = await sendAndFollow(context(store, 'run-2'), fake.driver, [plan(store, fake, ['A'])]);
    expect(fake.posted).toEqual([]);
    expect(again).toMatchObject([{ member: 'A', result: 'done', orderId: 'o9' }]);
  });

  it('an unanswered POST is looked up in the run itself: a dropped connection does not change the outcome', async () => {
    const store = new StateStore(':memory:');
    const fake = fakeApi({});
    const dropped = plan(store, fake, ['A', 'B'], async (key) => {
      fake.made.set(key, 'o5');
      throw new AmbiguousWriteError('POST /e911s', 'socket hang up after the request was sent');
    });
    const results = await sendAndFollow(context(store), fake.driver, [dropped]);
    expect(results.map((r) => r.result)).toEqual(['done', 'done']);
    expect(store.getEndpoint(ACCOUNT, 'dlr', 'B')).toMatchObject({ status: 'provisioned', orderId: 'o5' });
  });

  it('an unanswered POST that made nothing is sent again in the run, as a new attempt, once its request can no longer arrive', async () => {
    const store = new StateStore(':memory:');
    const fake = fakeApi({});
    const keys: string[] = [];
    const waits: number[] = [];
    let offset = 0;
    const clock = {
      now: () => Date.now() + offset,
      sleep: async (ms: number) => {
        waits.push(ms);
        offset += ms;
      },
    };
    // A 500 (or a dropped connection) on the first POST: the API made nothing.
    const flaky = plan(store, fake, ['A', 'B'], async (key) => {
      keys.push(key);
      if (keys.length === 1) throw new AmbiguousWriteError('POST /e911s', 'status 500', 500);
      fake.made.set(key, 'o7');
      return { orderId: 'o7', rawStatus: 'RECEIVED' };
    });
    const results = await sendAndFollow(context(store), fake.driver, [flaky], { clock });
    expect(results.map((r) => [r.member, r.result, r.orderId])).toEqual([
      ['A', 'done', 'o7'],
      ['B', 'done', 'o7'],
    ]);
    // It waited until the first request could no longer arrive (the run's 1 s deadline and a margin) before sending again.
    expect(waits.some((ms) => ms > 1_000)).toBe(true);
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    expect(store.getOrder(ACCOUNT, 'dlr', keys[0]!)).toMatchObject({ status: 'NOT_SENT', final: true });
    expect(store.getEndpoint(ACCOUNT, 'dlr', 'B')).toMatchObject({ status: 'provisioned', orderId: 'o7' });
  });

  it('a POST that never gets an answer is given up after three attempts: its members are sent again by the next run', async () => {
    const store = new StateStore(':memory:');
    const fake = fakeApi({});
    let posts = 0;
    const clock = { now: () => Date.now() + posts * 10_000, sleep: async () => undefined };
    const silent = plan(store, fake, ['A'], async () => {
      posts++;
      throw new AmbiguousWriteError('POST /e911s', 'status 502', 502);
    });
    const results = await sendAndFollow(context(store), fake.driver, [silent], { clock });
    expect(posts).toBe(3);
    expect(results).toMatchObject([{ member: 'A', result: 'not-sent', message: expect.stringMatching(/none of 3 attempts .* sent again on the next run/) }]);
    expect(store.openOrders(ACCOUNT, 'dlr')).toEqual([]);
  });

  it('a POST refused for sure closes its intent and its members are not sent', async () => {
    const store = new StateStore(':memory:');
    const fake = fakeApi({});
    const refused = plan(store, fake, ['A'], async () => {
      throw new ApiError(400, 'POST /e911s', '12000', 'bad request');
    });
    const results = await sendAndFollow(context(store), fake.driver, [refused]);
    expect(results).toMatchObject([{ member: 'A', result: 'not-sent' }]);
    expect(store.openOrders(ACCOUNT, 'dlr')).toEqual([]);
  });
});

describe('order engine, issue 15', () => {
  it('the progress line counts each kind of order under its own label', async () => {
    const store = new StateStore(':memory:');
    const calls: string[] = [];
    const progress = {
      stage: () => {},
      tick: (_n?: number, part?: string) => calls.push(`done ${part}`),
      expect: (part: string) => calls.push(`expect ${part}`),
      waiting: () => {},
      note: () => {},
      done: () => {},
    };
    const ctx = { ...context(store), progress };
    const fake = fakeApi({});
    await sendAndFollow(ctx, fake.driver, [{ ...plan(store, fake, ['L1']), kind: 'loc' }, plan(store, fake, ['A'])]);
    expect(calls.sort()).toEqual(['done endpoint orders', 'done location orders', 'expect endpoint orders', 'expect location orders']);
  });

  it('an order that failed as a whole on its third attempt says what to check, not that it is sent again', async () => {
    const store = new StateStore(':memory:');
    const failed = dlrAnswer({ final: true, rawStatus: 'FAILED', status: 'FAILED', errors: [] }, 'identifiers');
    const fake = fakeApi({ o1: failed, o2: failed, o3: failed });
    const messages: string[] = [];
    for (let run = 1; run <= 3; run++) {
      const [r] = await sendAndFollow(context(store, `run-${run}`), fake.driver, [plan(store, fake, ['A'])]);
      messages.push(r!.result === 'retry' ? r!.message : r!.result);
    }
    expect(fake.posted).toHaveLength(3);
    expect(messages[0]).toMatch(/sent again on the next run/);
    expect(messages[1]).toMatch(/sent again on the next run/);
    expect(messages[2]).toMatch(/all 3 attempts.*check.*order o3/);
  });
});
