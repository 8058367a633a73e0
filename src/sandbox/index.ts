// esprov's local simulator of both Bandwidth emergency APIs (DLR XML and unified JSON), on
// loopback only. See docs/sandbox.md for its deterministic outcomes, faults and ledger.

import type { AddressInfo } from 'node:net';
import { DEMO_CREDENTIALS, resolveCredentials } from './auth.js';
import { SandboxCore, type Dialect, type OrderTiming, type SandboxCall } from './core.js';
import { resolveFaultRates, SLOW_ORDER_TIMING, type FaultProfileName, type FaultRates } from './faults.js';
import type { Ledger } from './ledger.js';
import { createSandboxServer } from './server.js';

export type { FaultProfileName, FaultRates } from './faults.js';
export type { SandboxCall } from './core.js';
export type { AccountLedger, DlrLedger, FaultCounts, Ledger, UnifiedLedger } from './ledger.js';
export { FAULT_PROFILES } from './faults.js';
export { DEMO_CREDENTIALS };

export const DEMO_ACCOUNT_ID = '9900000';

export interface SandboxOptions {
  /** Default '127.0.0.1'; anything that is not loopback is refused. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** 'none' (default) | 'flaky' | 'slow' | 'chaos', or explicit rates. */
  faults?: FaultProfileName | Partial<FaultRates>;
  /** Mean added latency in ms (uniform in [0.5 × mean, 1.5 × mean], seeded); overrides the profile's. */
  latencyMs?: number;
  /** Seed of everything random (ids, faults, latency, tokens). Default 1. */
  seed?: number;
  /** Default: env BW_USERNAME / BW_PASSWORD / BW_TOKEN when set, else DEMO_CREDENTIALS. */
  credentials?: { username?: string; password?: string; token?: string };
  /** How long an order stays RECEIVED, and when it reaches its final status. Default 50 / 150 ms. */
  orderTiming?: OrderTiming;
  /** Load at start, save on change and on close. */
  dataFile?: string;
  /** Spelling of the unified answers: reference (IN_PROGRESS, callerName) or openapi (INPROGRESS, name). */
  dialect?: Dialect;
  /** Lifetime of tokens from POST /api/v1/oauth2/token. Default 3600. */
  tokenTtlSeconds?: number;
  /** Told of every API call the ledger records, once processed (for tests that act at a given call). */
  onCall?: (call: SandboxCall) => void;
  /** The accounts the credentials may use: any other answers 403, as the real API does. Default: any account id. */
  accounts?: readonly string[];
  /** The most elements one page of a list holds, whatever `size` / `limit` asked (as a real API may answer fewer): tests page through small accounts. */
  maxPageSize?: number;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT — the DLR base is `${url}/api`, the unified base `${url}/api/v2`. */
  url: string;
  port: number;
  close(): Promise<void>;
  ledger(): Ledger;
  reset(): void;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export const DEFAULT_ORDER_TIMING: OrderTiming = Object.freeze({ processingAfterMs: 50, finalAfterMs: 150 });

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`the sandbox listens on loopback only, not on ${host}`);
  const profile = options.faults ?? 'none';
  const faults = resolveFaultRates(profile);
  const orderTiming = options.orderTiming ?? (profile === 'slow' ? SLOW_ORDER_TIMING : DEFAULT_ORDER_TIMING);
  if (!(orderTiming.processingAfterMs >= 0 && orderTiming.finalAfterMs >= 0)) throw new Error('orderTiming values must be ≥ 0');
  const core = new SandboxCore({
    credentials: resolveCredentials(options.credentials),
    faults,
    latencyMs: options.latencyMs,
    seed: options.seed ?? 1,
    orderTiming,
    dataFile: options.dataFile,
    dialect: options.dialect ?? 'reference',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    onCall: options.onCall,
    accounts: options.accounts,
    maxPageSize: options.maxPageSize,
  });
  let url = '';
  const server = createSandboxServer(core, () => url);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host === '[::1]' ? '::1' : host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${urlHost}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    ledger: () => core.ledger(),
    reset: () => core.reset(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        core.close();
      });
      return closing;
    },
  };
}
