// Following many open orders with one list call per round (SPEC §1, api-notes §2.5), where the
// API offers a list of the orders changed since a time: a round asks for the orders changed since
// the latest change it saw, settles the followed ones that are final, and leaves the rest open.
// Reads per order stay near zero however many orders are open.
//
// The list is trusted only as far as it proves itself: an answer that may be cut short (the API
// lists at most so many) has the orders it left out read one by one that round; an order the list
// has not shown for a while is read on its own (a clock or a replica behind); and an API that does
// not take the query is followed one order at a time, as before.

import type { Clock } from '../api/types.js';
import type { OrderDriver } from './drivers.js';
import type { OrderAnswer } from './settle.js';

export interface Followed {
  readonly key: string;
  readonly kind: string;
  readonly orderId: string;
  readonly members: readonly string[];
}

/** What the engine does for the poller: each the same as when it follows an order alone. */
export interface PollHooks<R> {
  /** A final answer: settled, committed, and the members' results. */
  conclude(o: Followed, answer: OrderAnswer): R;
  /** One order read on its own; undefined when the read failed for now (noted). */
  readAlone(o: Followed): Promise<OrderAnswer | undefined>;
  /** Follows an order alone until its deadline (when the API does not take the list query). */
  followAlone(o: Followed, deadline: number): Promise<R>;
  timedOut(o: Followed): R;
  stopped(o: Followed): R;
  note(text: string): void;
  isFatal(err: unknown): boolean;
}

interface Waiting<R> {
  readonly o: Followed;
  readonly deadline: number;
  /** When the list last showed it (or it began to be followed). */
  seen: number;
  /** When a read of the order alone would first come: a round is due by then. */
  readonly firstLook: number;
  readonly resolve: (r: R) => void;
  readonly reject: (err: unknown) => void;
}

/** The first round after an order is sent: as soon as a read of that order alone would come. */
const FIRST_ROUND_MS = 250;
/** Waits between rounds: short at first and after any change, longer while nothing moves. */
const ROUND_DELAYS_MS = [250, 500, 1000, 2000];
/** The first round looks this far back before the first order was followed (clocks differ). */
const START_MARGIN_MS = 60_000;
/** Each round overlaps the last by this much (a change stamped just before the latest one seen). */
const OVERLAP_MS = 2_000;
/** An order the list has not shown for this long is read on its own. */
const UNSEEN_MS = 60_000;

export class ListPoller<R> {
  private readonly waiting = new Map<string, Waiting<R>>();
  private loop: Promise<void> | undefined;
  /** The API's time of the latest change seen. */
  private latest: number | undefined;
  private start: number | undefined;
  private round = 0;
  /** When the next round is due, and how to wake the loop's sleep early when a new order makes it sooner. */
  private dueAt = 0;
  private wake: AbortController | undefined;
  /** False once the API refused the list query: every order is followed alone. */
  usable = true;

  constructor(
    private readonly driver: OrderDriver & Required<Pick<OrderDriver, 'changed'>>,
    private readonly clock: Clock,
    private readonly hooks: PollHooks<R>,
    private readonly stop: AbortSignal | undefined,
  ) {}

  follow(o: Followed, deadline: number): Promise<R> {
    const now = this.clock.now();
    this.start = Math.min(this.start ?? now, now);
    // A new order is looked at as soon as one followed alone would be (its first read), whatever the
    // rounds had slowed to; the rounds after it start short again.
    this.round = 0;
    const firstLook = now + FIRST_ROUND_MS;
    if (this.dueAt > firstLook) {
      this.dueAt = firstLook;
      this.wake?.abort();
    }
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(o.orderId, { o, deadline, seen: now, firstLook, resolve, reject });
      if (this.loop === undefined) {
        this.dueAt = firstLook;
        this.loop = this.run();
      }
    });
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.size > 0) {
        const earliest = Math.min(...[...this.waiting.values()].map((w) => w.deadline));
        const wait = Math.max(0, Math.min(this.dueAt, earliest) - this.clock.now());
        if (wait > 0) {
          this.wake = new AbortController();
          const signal = this.stop === undefined ? this.wake.signal : AbortSignal.any([this.stop, this.wake.signal]);
          await this.clock.sleep(wait, signal).catch(() => undefined);
          this.wake = undefined;
        }
        if (this.stop?.aborted) {
          this.endAll((w) => this.hooks.stopped(w.o));
          break;
        }
        // Woken early by a new order: sleep on to the (sooner) time now due.
        if (this.clock.now() < Math.min(this.dueAt, earliest)) continue;
        const began = this.clock.now();
        await this.pollRound();
        this.dueAt = this.clock.now() + ROUND_DELAYS_MS[Math.min(this.round, ROUND_DELAYS_MS.length - 1)]!;
        // An order sent just after this round began has not been looked at yet: its round comes when
        // its first look is due, not a whole round delay after this one (the end of a run waits on it).
        for (const w of this.waiting.values()) if (w.firstLook > began && w.firstLook < this.dueAt) this.dueAt = w.firstLook;
        this.round++;
        const now = this.clock.now();
        for (const w of [...this.waiting.values()]) if (now >= w.deadline) this.end(w, this.hooks.timedOut(w.o));
      }
    } catch (err) {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    }
    // Ended with nothing waiting, in the same turn as the last check: the next follow starts a new loop.
    this.loop = undefined;
  }

  private async pollRound(): Promise<void> {
    const since = (this.latest ?? (this.start ?? this.clock.now()) - START_MARGIN_MS) - OVERLAP_MS;
    let changed;
    try {
      changed = await this.driver.changed(new Date(since).toISOString(), (id) => this.waiting.get(id)?.o.kind);
    } catch (err) {
      if (this.hooks.isFatal(err)) throw err;
      this.hooks.note(`could not list the orders changed since ${new Date(since).toISOString()} (${(err as Error).message}); trying again`);
      return;
    }
    if (changed === undefined) {
      this.usable = false;
      this.hooks.note('the API does not list orders by their last change; each open order is read on its own');
      for (const w of [...this.waiting.values()]) {
        this.waiting.delete(w.o.orderId);
        this.hooks.followAlone(w.o, w.deadline).then(w.resolve, w.reject);
      }
      return;
    }
    if (changed.latest !== undefined) this.latest = Math.max(this.latest ?? changed.latest, changed.latest);
    const now = this.clock.now();
    let moved = false;
    const alone: Waiting<R>[] = [];
    for (const w of this.waiting.values()) {
      const answer = changed.answers.get(w.o.orderId);
      if (answer === 'read') {
        alone.push(w);
      } else if (answer !== undefined) {
        w.seen = now;
        if (answer.final) {
          this.end(w, this.hooks.conclude(w.o, answer));
          moved = true;
        }
      } else if (!changed.complete || now - w.seen >= UNSEEN_MS) {
        alone.push(w);
      }
    }
    for (const w of alone) {
      w.seen = now;
      const answer = await this.hooks.readAlone(w.o);
      if (answer?.final === true && this.waiting.has(w.o.orderId)) {
        this.end(w, this.hooks.conclude(w.o, answer));
        moved = true;
      }
    }
    if (moved) this.round = 0;
  }

  private end(w: Waiting<R>, result: R): void {
    this.waiting.delete(w.o.orderId);
    w.resolve(result);
  }

  private endAll(result: (w: Waiting<R>) => R): void {
    for (const w of [...this.waiting.values()]) this.end(w, result(w));
  }
}
