// The sandbox's state and clock: accounts, seeded ids, order timing, the background step that
// moves orders to their final status, the ledger and persistence. Independent of HTTP.

import { Authenticator, type Credentials } from './auth.js';
import { finalizeDlrOrder } from './dlr/processing.js';
import { FaultInjector, type FaultRates } from './faults.js';
import { buildLedger, type Ledger } from './ledger.js';
import { seededRandom, seededUuid, type Random } from './rng.js';
import { Account, emptyCounters, countersFromJson, loadState, saveState, type Counters } from './store.js';
import { finalizeUnifiedOrder } from './unified/processing.js';

export type Dialect = 'reference' | 'openapi';
export interface OrderTiming {
  processingAfterMs: number;
  finalAfterMs: number;
}

export interface CoreOptions {
  credentials: Credentials;
  faults: FaultRates;
  latencyMs: number | undefined;
  seed: number;
  orderTiming: OrderTiming;
  dataFile: string | undefined;
  dialect: Dialect;
  tokenTtlSeconds: number;
  /** Told of every API call the ledger records, after it was processed: a crash test kills its client here. */
  onCall?: ((call: SandboxCall) => void) | undefined;
  /** The accounts the credentials may use; undefined = any account id (each starts empty). */
  accounts?: readonly string[] | undefined;
  /** The most elements one list page holds, whatever was asked; undefined = as asked. */
  maxPageSize?: number | undefined;
}

/** One call as the ledger records it. */
export interface SandboxCall {
  readonly account: string;
  /** `dlr.geocode`, `dlr.order.post`, `unified.endpoints.post` … as in the ledger's `calls`. */
  readonly kind: string;
  readonly method: string;
  readonly body: string;
}

const SAVE_DELAY_MS = 200;
/** A big state takes a while to serialize: wait at least this many times the last save's duration. */
const SAVE_BACKOFF = 5;

export class SandboxCore {
  readonly accounts = new Map<string, Account>();
  global: Counters = emptyCounters();
  readonly faults: FaultInjector;
  readonly auth: Authenticator;
  private ids: Random;
  private readonly timers = new Set<NodeJS.Timeout>();
  private saveTimer: NodeJS.Timeout | undefined;
  private lastSaveMs = 0;
  private closed = false;

  constructor(readonly options: CoreOptions) {
    this.faults = new FaultInjector(options.faults, seededRandom(options.seed));
    this.ids = seededRandom(options.seed ^ 0x5bd1e995);
    this.auth = new Authenticator(options.credentials, seededRandom(options.seed ^ 0x27d4eb2f), options.tokenTtlSeconds);
    if (options.dataFile !== undefined) {
      const saved = loadState(options.dataFile);
      // A restarted sandbox must not hand out the ids it gave before: seed the ids from what was saved.
      this.ids = seededRandom((options.seed ^ 0x5bd1e995) + JSON.stringify(saved).length * 7919);
      for (const account of saved.accounts) this.accounts.set(account.id, account);
      this.global = countersFromJson(saved.globalCounters);
      const now = Date.now();
      for (const account of this.accounts.values()) {
        this.advance(account, now);
        for (const order of [...account.pendingDlr, ...account.pendingUnified]) this.scheduleAdvance(account, order.finalAt);
      }
    }
  }

  account(id: string): Account {
    let account = this.accounts.get(id);
    if (account === undefined) {
      account = new Account(id);
      this.accounts.set(id, account);
    }
    return account;
  }

  newId(): string {
    return seededUuid(this.ids);
  }

  /** When an order received now turns PROCESSING and final (slowOrders stretches both). */
  orderTimes(now: number): { processingAt: number; finalAt: number } {
    const factor = this.faults.orderSlowdown();
    const { processingAfterMs, finalAfterMs } = this.options.orderTiming;
    return { processingAt: now + processingAfterMs * factor, finalAt: now + Math.max(finalAfterMs, processingAfterMs) * factor };
  }

  /** Makes sure the account's orders are finalized at `at` even if nobody asks about them. */
  scheduleAdvance(account: Account, at: number): void {
    if (this.closed) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.advance(account, Date.now());
      },
      Math.max(0, at - Date.now()) + 1,
    );
    timer.unref();
    this.timers.add(timer);
  }

  /** Finalizes, in the order they were received, every order of the account whose time has come. */
  advance(account: Account, now: number): void {
    let changed = false;
    if (account.pendingDlr.some((order) => order.finalAt <= now)) {
      for (const order of account.pendingDlr) if (order.finalAt <= now) finalizeDlrOrder(account, order);
      account.pendingDlr = account.pendingDlr.filter((order) => order.final === undefined);
      changed = true;
    }
    if (account.pendingUnified.some((order) => order.finalAt <= now)) {
      for (const order of account.pendingUnified) if (order.finalAt <= now) finalizeUnifiedOrder(account, order);
      account.pendingUnified = account.pendingUnified.filter((order) => order.final === undefined);
      changed = true;
    }
    if (changed) this.markDirty();
  }

  advanceAll(now: number): void {
    for (const account of this.accounts.values()) this.advance(account, now);
  }

  ledger(): Ledger {
    this.advanceAll(Date.now());
    return buildLedger(this.accounts.values(), this.global);
  }

  reset(): void {
    this.accounts.clear();
    this.global = emptyCounters();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.markDirty();
  }

  markDirty(): void {
    if (this.options.dataFile === undefined || this.saveTimer !== undefined || this.closed) return;
    this.saveTimer = setTimeout(
      () => {
        this.saveTimer = undefined;
        this.save();
      },
      Math.max(SAVE_DELAY_MS, SAVE_BACKOFF * this.lastSaveMs),
    );
    this.saveTimer.unref();
  }

  save(): void {
    if (this.options.dataFile === undefined) return;
    const started = Date.now();
    saveState(this.options.dataFile, this.accounts.values(), this.global);
    this.lastSaveMs = Date.now() - started;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.save();
  }
}
