// Fault injection, seeded. Each API call draws, in a fixed order, whether it is rate limited,
// fails with a 5xx before any processing, or is processed and then loses its connection. A call
// kind is never faulted more than MAX_CONSECUTIVE times in a row, so a client that retries
// (at least that many times) always gets every write through.

import type { Random } from './rng.js';

export type FaultProfileName = 'none' | 'flaky' | 'slow' | 'chaos';

export interface FaultRates {
  /** Probability that a call is answered 429 (DLR: X-RateLimit-Reset; unified: Retry-After). */
  rateLimit: number;
  /** Probability that a call fails with 500 or 503 before anything is processed. */
  serverError: number;
  /** Probability that a write (any non-GET call) is processed and then its socket destroyed. */
  dropAfterProcessing: number;
  /** Mean latency added to every API call, in ms, drawn uniformly from [0.5 × mean, 1.5 × mean]. */
  latencyMs: number;
  /** Probability that an order takes `slowOrderFactor` times longer to reach its final status. */
  slowOrders: number;
  slowOrderFactor: number;
  /** Seconds a client is told to wait on a 429. */
  retryAfterSeconds: number;
  /** Whether the OAuth token endpoint may be faulted too (it is not by default). */
  faultTokenEndpoint: boolean;
}

export const NO_FAULTS: FaultRates = Object.freeze({
  rateLimit: 0,
  serverError: 0,
  dropAfterProcessing: 0,
  latencyMs: 0,
  slowOrders: 0,
  slowOrderFactor: 10,
  retryAfterSeconds: 1,
  faultTokenEndpoint: false,
});

export const FAULT_PROFILES: Readonly<Record<FaultProfileName, FaultRates>> = Object.freeze({
  none: NO_FAULTS,
  flaky: { ...NO_FAULTS, rateLimit: 0.03, serverError: 0.03, dropAfterProcessing: 0.02, latencyMs: 5, slowOrders: 0.05 },
  slow: { ...NO_FAULTS, latencyMs: 150, slowOrders: 0.25, slowOrderFactor: 5 },
  chaos: { ...NO_FAULTS, rateLimit: 0.15, serverError: 0.1, dropAfterProcessing: 0.08, latencyMs: 40, slowOrders: 0.2, retryAfterSeconds: 1 },
});

/** Order timing the 'slow' profile uses unless orderTiming is given. */
export const SLOW_ORDER_TIMING = Object.freeze({ processingAfterMs: 1500, finalAfterMs: 5000 });

export const MAX_CONSECUTIVE = 3;

export function resolveFaultRates(faults: FaultProfileName | Partial<FaultRates> | string | undefined): FaultRates {
  if (faults === undefined) return NO_FAULTS;
  if (typeof faults === 'string') {
    const profile = FAULT_PROFILES[faults as FaultProfileName] as FaultRates | undefined;
    if (profile === undefined) {
      throw new Error(`unknown fault profile "${faults}"; use one of ${Object.keys(FAULT_PROFILES).join(', ')}`);
    }
    return profile;
  }
  const rates = { ...NO_FAULTS, ...faults };
  for (const key of ['rateLimit', 'serverError', 'dropAfterProcessing', 'slowOrders'] as const) {
    if (!(rates[key] >= 0 && rates[key] <= 1)) throw new Error(`fault rate ${key} must be between 0 and 1`);
  }
  return rates;
}

export type FaultDecision = 'rateLimit' | 'serverError' | 'dropAfterProcessing' | undefined;

export class FaultInjector {
  private readonly streak = new Map<string, number>();

  constructor(
    readonly rates: FaultRates,
    private readonly random: Random,
  ) {}

  get active(): boolean {
    const r = this.rates;
    return r.rateLimit > 0 || r.serverError > 0 || r.dropAfterProcessing > 0 || r.latencyMs > 0 || r.slowOrders > 0;
  }

  /** Decides the fault for one call of `kind` (write = not a GET). */
  decide(kind: string, write: boolean): FaultDecision {
    const r = this.rates;
    if (r.rateLimit === 0 && r.serverError === 0 && r.dropAfterProcessing === 0) return undefined;
    const draw = this.random();
    let decision: FaultDecision;
    if (draw < r.rateLimit) decision = 'rateLimit';
    else if (draw < r.rateLimit + r.serverError) decision = 'serverError';
    else if (write && draw < r.rateLimit + r.serverError + r.dropAfterProcessing) decision = 'dropAfterProcessing';
    const streak = this.streak.get(kind) ?? 0;
    if (decision !== undefined && streak >= MAX_CONSECUTIVE) decision = undefined;
    this.streak.set(kind, decision === undefined ? 0 : streak + 1);
    return decision;
  }

  latency(extraMeanMs: number | undefined): number {
    const mean = extraMeanMs ?? this.rates.latencyMs;
    return mean > 0 ? Math.round(mean * (0.5 + this.random())) : 0;
  }

  /** How much longer than usual an order takes (1 = normal). */
  orderSlowdown(): number {
    return this.rates.slowOrders > 0 && this.random() < this.rates.slowOrders ? this.rates.slowOrderFactor : 1;
  }

  /** 500 or 503, seeded. */
  serverStatus(): number {
    return this.random() < 0.5 ? 500 : 503;
  }
}
