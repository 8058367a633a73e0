// The order lifecycle, written once (SPEC §1, §4): intent and members committed → POST → order id
// committed → follow → settle the answer into one outcome per member, committed with the order's
// end. The live run, a resumed run, reconcile, deletes and pruning all go through here.
//
//   planned ──intent──▶ sent ──id──▶ open ──final answer──▶ settled
//                        │ no answer: looked up (driver.find), never resent blindly
//                        └ refused for sure (not sent): closed NOT_SENT, members planned again
//
// Each order runs its own lifecycle: POSTs go concurrently within `postConcurrency` (the transport's
// rate limiter keeps the budget), and an order is followed from the moment it is sent, so a stage
// can release the work that waits on it (an endpoint chunk on its locations) as soon as it settles.

import pLimit, { type LimitFunction } from 'p-limit';
import { realClock, type Clock } from '../api/types.js';
import { failureCode, failureText, isAmbiguous, isFatal, STOPPED, type RunContext } from '../pipeline/context.js';
import type { OrderRecord } from '../state/store.js';
import type { OrderDriver } from './drivers.js';
import { currentAttempt, type OrderKind } from './keys.js';
import { ListPoller } from './poll.js';
import { settle, type MemberOutcome, type OrderAnswer } from './settle.js';

/** One order to send: its members, the content its key is made of, and how to send and mark it. */
export interface OrderPlan {
  readonly kind: OrderKind;
  readonly members: readonly string[];
  /** What the order's key is made of (with the attempt number): the items as sent. */
  readonly content: readonly unknown[];
  readonly post: (key: string) => Promise<{ orderId: string; rawStatus: string }>;
  /**
   * Writes the members as in flight on this order (id '' with the intent; the order's id when an
   * earlier attempt is found), inside the engine's transaction. Once the POST is answered, only the
   * id is set on the records it wrote.
   */
  readonly markPending?: (orderId: string) => void;
}

/** Where a member ended: settled from a final answer, still open, or not sent. */
export type MemberResult =
  | (MemberOutcome & { readonly orderId: string })
  | { readonly member: string; readonly result: 'pending' | 'not-sent'; readonly orderId: string; readonly code: string; readonly message: string };

interface Open {
  readonly key: string;
  readonly kind: string;
  readonly orderId: string;
  readonly members: readonly string[];
  /** Which attempt of this content the order is (unknown for an order an earlier run left open). */
  readonly attempt?: number;
}

/** What the progress line calls the orders of each kind. */
const PROGRESS_LABEL: Readonly<Record<string, string>> = {
  loc: 'location orders',
  ep: 'endpoint orders',
  add: 'endpoint orders',
  patch: 'endpoint update orders',
  'del-ep': 'endpoint delete orders',
  del: 'endpoint delete orders',
  'del-loc': 'location delete orders',
};
const progressLabel = (kind: string): string => PROGRESS_LABEL[kind] ?? `${kind} orders`;

/** The request deadline esprov used before runs recorded theirs (the transport's default). */
const DEFAULT_REQUEST_LIFETIME_MS = 60_000;
/** Clocks and queues differ a little between esprov and the API. */
const REQUEST_MARGIN_MS = 1_000;

/** Attempts of one order a run sends that get no answer and make nothing, before it leaves them to the next run. */
const UNANSWERED_ATTEMPTS = 3;

/** Waits between reads of one open order: short at first, longer later. */
const FOLLOW_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];

export interface EngineOptions {
  /** Orders POSTed at once (default 4); the transport's limiter holds --rate across them. */
  readonly postConcurrency?: number;
  readonly clock?: Clock;
}

/**
 * Writes a settled order's outcomes to the state store, the same for every path: the records the
 * intent wrote keep their content and take the outcome's status. A member retried keeps no order
 * id, so the next run sends it again.
 */
export function applyOutcomes(ctx: RunContext, kind: string, orderId: string, outcomes: readonly MemberOutcome[]): void {
  const { account, profile } = ctx.settings;
  const { store } = ctx;
  // Endpoints with one outcome are settled together: a chunk of 100 that all went through is one UPDATE.
  const settled = new Map<string, { outcome: Parameters<typeof store.settleEndpoints>[3]; keys: string[] }>();
  for (const o of outcomes) {
    const error = o.result === 'done' ? { errorCode: '', errorMessage: '' } : { errorCode: o.code, errorMessage: o.message };
    if (kind === 'loc' || kind === 'del-loc') {
      const l = store.getLocation(account, o.member);
      if (l === undefined) continue;
      if (kind === 'del-loc') {
        if (o.result === 'done') store.putLocation({ ...l, status: 'deleted' });
        continue;
      }
      store.putLocation({ ...l, ...error, status: o.result === 'done' ? 'provisioned' : o.result === 'refused' ? 'rejected' : 'pending', orderId: o.result === 'retry' ? '' : orderId });
      continue;
    }
    if (kind === 'del-ep' || kind === 'del') {
      const e = store.getEndpoint(account, profile, o.member);
      if (o.result !== 'done') {
        if (e !== undefined) store.putEndpoint({ ...e, ...error });
        continue;
      }
      store.putEndpoint({
        account,
        profile,
        endpointKey: o.member,
        contentHash: '',
        addressRef: e?.addressRef ?? '',
        status: 'deleted',
        orderId,
        runId: ctx.runId,
        errorCode: '',
        errorMessage: '',
        stdText: '',
      });
      continue;
    }
    const outcome = {
      ...error,
      runId: ctx.runId,
      status: o.result === 'done' ? ('provisioned' as const) : o.result === 'refused' ? ('rejected' as const) : ('pending' as const),
      orderId: o.result === 'retry' ? '' : orderId,
    };
    const same = JSON.stringify([outcome.status, outcome.orderId, outcome.errorCode, outcome.errorMessage]);
    const group = settled.get(same);
    if (group === undefined) settled.set(same, { outcome, keys: [o.member] });
    else group.keys.push(o.member);
  }
  // No read: a 100k-row migration settles every endpoint here.
  for (const { outcome, keys } of settled.values()) store.settleEndpoints(account, profile, keys, outcome);
}

/** An order's members are in flight on it (its POST answered, or found again): they take its id, nothing else changes. */
function applyFound(ctx: RunContext, order: { readonly kind: string; readonly members: readonly string[] }, orderId: string): void {
  const { account, profile } = ctx.settings;
  if (order.kind === 'loc') ctx.store.setLocationsOrder(account, order.members, orderId);
  else if (order.kind !== 'del-loc' && order.kind !== 'del-ep' && order.kind !== 'del') ctx.store.setEndpointsOrder(account, profile, order.members, orderId);
}

const resultsOf = (members: readonly string[], result: 'pending' | 'not-sent', orderId: string, code: string, message: string): MemberResult[] =>
  members.map((member) => ({ member, result, orderId, code, message }));

export class OrderEngine {
  private readonly postLimit: LimitFunction;
  private readonly clock: Clock;
  /** Follows the open orders with one list call a round, where the API offers it. */
  private readonly poller: ListPoller<MemberResult[]> | undefined;

  constructor(
    private readonly ctx: RunContext,
    private readonly driver: OrderDriver,
    options: EngineOptions = {},
  ) {
    this.postLimit = pLimit(options.postConcurrency ?? 4);
    this.clock = options.clock ?? realClock;
    const changed = driver.changed;
    if (changed !== undefined) {
      this.poller = new ListPoller(
        { ...driver, changed },
        this.clock,
        {
          conclude: (o, answer) => this.conclude(o, answer),
          readAlone: (o) => this.readAlone(o),
          followAlone: (o, deadline) => this.followAlone(o, deadline),
          timedOut: (o) => this.timedOut(o),
          stopped: (o) => this.stopped(o),
          note: (text) => this.ctx.note(text),
          isFatal,
        },
        ctx.stop,
      );
    }
  }

  /** The whole lifecycle of one planned order (or of the attempt an earlier run left open); its members' results. */
  async run(plan: OrderPlan): Promise<MemberResult[]> {
    this.ctx.progress?.expect(progressLabel(plan.kind));
    const sent = await this.postLimit(() => this.send(plan));
    return 'results' in sent ? sent.results : this.follow(sent);
  }

  /** Finishes an order an earlier run left open: found or closed, then followed and settled as the run that sent it would have. */
  async finish(record: OrderRecord): Promise<MemberResult[]> {
    this.ctx.progress?.expect(progressLabel(record.kind));
    const { account, profile } = this.ctx.settings;
    if (record.orderId !== '') return this.follow({ key: record.orderKey, kind: record.kind, orderId: record.orderId, members: record.members });
    let found: string | undefined;
    try {
      found = await this.find(record);
    } catch (err) {
      if (isFatal(err)) throw err;
      this.ctx.note(`could not look up order ${record.orderKey} (${(err as Error).message}); it stays open for the next run`);
      return resultsOf(record.members, 'pending', '', failureCode(err), failureText(err));
    }
    if (found !== undefined) return this.follow({ key: record.orderKey, kind: record.kind, orderId: found, members: record.members });
    if (this.ctx.stop?.aborted) return resultsOf(record.members, 'pending', '', STOPPED.code, STOPPED.message);
    // Never made: closed, and its members are planned again from scratch.
    this.ctx.store.updateOrder(account, profile, record.orderKey, '', 'NOT_SENT', true);
    return resultsOf(record.members, 'not-sent', '', 'ORDER_NOT_MADE', 'The order was never made; it is sent again on the next run.');
  }

  /**
   * Looks up the order an unanswered POST may have made; commits its id when found. "Not found" is
   * trusted only once the intent is older than the longest its request could live (the deadline of
   * the run that sent it): a POST held in transit may still land, and must not meet a resend.
   */
  private async find(record: OrderRecord, markPending?: (orderId: string) => void): Promise<string | undefined> {
    const { account, profile } = this.ctx.settings;
    let orderId = await this.driver.find(record);
    if (orderId === undefined) {
      const liveUntil = this.requestLiveUntil(record);
      const wait = liveUntil - this.clock.now();
      if (wait > 0) {
        this.ctx.note(`order ${record.orderKey} was not found; its request could still arrive for ${Math.ceil(wait / 1000)}s, so esprov waits before deciding it was never made`);
        await this.clock.sleep(wait, this.ctx.stop).catch(() => undefined);
        // Stopped while waiting: undecided, so the intent stays open for the next run.
        if (this.ctx.stop?.aborted) return undefined;
        orderId = await this.driver.find(record);
      }
    }
    if (orderId === undefined) return undefined;
    this.ctx.store.transaction(() => {
      this.ctx.store.updateOrder(account, profile, record.orderKey, orderId, 'FOUND', false);
      if (markPending !== undefined) markPending(orderId);
      else applyFound(this.ctx, record, orderId);
    });
    return orderId;
  }

  /** When the request of an intent can no longer arrive: its creation plus the sending run's request deadline and a margin. */
  private requestLiveUntil(record: OrderRecord): number {
    const created = Date.parse(record.createdAt ?? '');
    if (Number.isNaN(created)) return 0;
    const sentWith = this.ctx.store.runOptions(record.runId).requestTimeoutMs;
    const lifetime = typeof sentWith === 'number' ? sentWith : Math.max(this.ctx.settings.requestTimeoutMs, DEFAULT_REQUEST_LIFETIME_MS);
    return created + lifetime + REQUEST_MARGIN_MS;
  }

  /**
   * Intent → POST → order id, or the open attempt found again; the order to follow, or its members'
   * results when nothing is open. `sent`: the attempts of this run that got no answer and made nothing.
   */
  private async send(plan: OrderPlan, sent = 0): Promise<Open | { results: MemberResult[] }> {
    const { account, profile } = this.ctx.settings;
    const { store } = this.ctx;
    // Stopped (SIGINT/SIGTERM): nothing new is sent; no intent, so the next run plans these again.
    if (this.ctx.stop?.aborted) return { results: resultsOf(plan.members, 'pending', '', STOPPED.code, STOPPED.message) };
    const attempt = currentAttempt(plan.kind, plan.content, (key) => store.getOrder(account, profile, key));
    const open = (orderId: string): Open => ({ key: attempt.key, kind: plan.kind, orderId, members: plan.members, attempt: attempt.attempt });
    const known = attempt.open ? store.getOrder(account, profile, attempt.key) : undefined;
    if (known !== undefined && known.orderId !== '') return open(known.orderId);
    if (known !== undefined) {
      // An intent without an order id: a crash came between the POST and its answer. Look it up.
      try {
        const found = await this.find(known, plan.markPending);
        if (found !== undefined) return open(found);
        if (this.ctx.stop?.aborted) return { results: resultsOf(plan.members, 'pending', '', STOPPED.code, STOPPED.message) };
      } catch (err) {
        if (isFatal(err)) throw err;
        return { results: resultsOf(plan.members, 'pending', '', failureCode(err), failureText(err)) };
      }
    }
    store.transaction(() => {
      store.putOrder({ account, profile, orderKey: attempt.key, orderId: '', kind: plan.kind, members: [...plan.members], status: 'INTENT', final: false, runId: this.ctx.runId });
      plan.markPending?.('');
    });
    let ref: { orderId: string; rawStatus: string };
    try {
      ref = await plan.post(attempt.key);
    } catch (err) {
      // Credentials or target refused: the API did not take it. Closed, so no intent is left open.
      if (isFatal(err)) {
        store.updateOrder(account, profile, attempt.key, '', 'NOT_SENT', true);
        throw err;
      }
      if (isAmbiguous(err)) {
        // Sent, but no answer said whether it was made (a 5xx, a dropped connection): asked in the
        // run itself, so a fault does not change the rows' outcome (dlr's client has already asked
        // by CustomerOrderId). Not found, it is asked again once its request can no longer arrive;
        // still not found, it was never made, and it is sent again as a new attempt.
        let found: string | undefined;
        try {
          found = await this.find(store.getOrder(account, profile, attempt.key)!, plan.markPending);
        } catch (lookup) {
          if (isFatal(lookup)) throw lookup;
          return { results: resultsOf(plan.members, 'pending', '', failureCode(err), failureText(err)) };
        }
        if (found !== undefined) return open(found);
        if (this.ctx.stop?.aborted) return { results: resultsOf(plan.members, 'pending', '', STOPPED.code, STOPPED.message) };
        store.updateOrder(account, profile, attempt.key, '', 'NOT_SENT', true);
        if (sent + 1 < UNANSWERED_ATTEMPTS) return this.send(plan, sent + 1);
        return {
          results: resultsOf(
            plan.members,
            'not-sent',
            '',
            failureCode(err),
            `The API answered none of ${UNANSWERED_ATTEMPTS} attempts to send this order (${(err as Error).message}) and made none of them; it is sent again on the next run.`,
          ),
        };
      }
      // Not made for sure: the intent is closed, and its members are planned again next run.
      store.updateOrder(account, profile, attempt.key, '', 'NOT_SENT', true);
      return { results: resultsOf(plan.members, 'not-sent', '', failureCode(err), failureText(err)) };
    }
    store.transaction(() => {
      store.updateOrder(account, profile, attempt.key, ref.orderId, ref.rawStatus, false);
      // The intent wrote the members whole a moment ago; only the id is new.
      if (plan.markPending !== undefined) applyFound(this.ctx, plan, ref.orderId);
    });
    return open(ref.orderId);
  }

  /** Follows an open order until it is final (settled and committed with its end) or the poll timeout passes. */
  private follow(o: Open): Promise<MemberResult[]> {
    const deadline = this.clock.now() + this.ctx.settings.pollTimeoutMs;
    return this.poller?.usable === true ? this.poller.follow(o, deadline) : this.followAlone(o, deadline);
  }

  /** Reads one open order with backoff until it is final or `deadline` passes. */
  private async followAlone(o: Open, deadline: number): Promise<MemberResult[]> {
    for (let round = 0; ; round++) {
      const wait = Math.min(FOLLOW_DELAYS_MS[Math.min(round, FOLLOW_DELAYS_MS.length - 1)]!, Math.max(0, deadline - this.clock.now()));
      const stop = this.ctx.stop;
      await this.clock.sleep(wait, stop).catch(() => undefined);
      if (stop?.aborted) return this.stopped(o);
      const answer = await this.readAlone(o);
      if (answer?.final === true) return this.conclude(o, answer);
      if (this.clock.now() >= deadline) return this.timedOut(o);
    }
  }

  /** One read of one order; undefined when it failed for now (the deadline still holds). */
  private async readAlone(o: Open): Promise<OrderAnswer | undefined> {
    try {
      return await this.driver.read(o.kind, o.orderId);
    } catch (err) {
      if (isFatal(err)) throw err;
      this.ctx.note(`could not read order ${o.orderId} (${(err as Error).message}); trying again`);
      return undefined;
    }
  }

  /** A final answer: settled, and the order's end and its members' outcomes committed as one transaction. */
  private conclude(o: Open, answer: OrderAnswer): MemberResult[] {
    const { account, profile } = this.ctx.settings;
    const outcomes = settle(o, answer);
    // A crash never leaves the order's end without its members' outcomes, or the other way round.
    this.ctx.store.transaction(() => {
      this.ctx.store.updateOrder(account, profile, o.key, o.orderId, answer.rawStatus, true);
      applyOutcomes(this.ctx, o.kind, o.orderId, outcomes);
    });
    this.ctx.progress?.tick(1, progressLabel(o.kind));
    return outcomes.map((x) => ({ ...x, orderId: o.orderId }));
  }

  private timedOut(o: Open): MemberResult[] {
    this.ctx.note(`order ${o.orderId} is not finished after the poll timeout; its rows stay PENDING`);
    return resultsOf(o.members, 'pending', o.orderId, 'ORDER_PENDING', `Order ${o.orderId} had not finished when esprov stopped following it: run esprov reconcile to finish it.`);
  }

  private stopped(o: Open): MemberResult[] {
    return resultsOf(
      o.members,
      'pending',
      o.orderId,
      'ORDER_PENDING',
      `esprov was stopped before order ${o.orderId} finished: run esprov reconcile (or the same file again) to finish it; nothing is sent twice.`,
    );
  }
}

/** Sends and follows orders, each its own lifecycle; every member's result. */
export async function sendAndFollow(ctx: RunContext, driver: OrderDriver, plans: readonly OrderPlan[], options: EngineOptions = {}): Promise<MemberResult[]> {
  const engine = new OrderEngine(ctx, driver, options);
  return (await Promise.all(plans.map((p) => engine.run(p)))).flat();
}

/** Finishes the orders earlier runs left open (a crash, a poll timeout, an unanswered POST). */
export async function finishOpenOrders(ctx: RunContext, driver: OrderDriver, records: readonly OrderRecord[], options: EngineOptions = {}): Promise<MemberResult[]> {
  const engine = new OrderEngine(ctx, driver, options);
  return (await Promise.all(records.map((r) => engine.finish(r)))).flat();
}
