/**
 * The API layer the pipeline uses: `createApi(config)` builds one transport (keep-alive pool,
 * retries, rate limiter, auth, logging) and the client of the chosen profile on top of it.
 */
import { DlrClient, DLR_DEFAULT_BASE_URL } from './dlr/client.js';
import { ConfigError } from './errors.js';
import type { ApiStats } from './stats.js';
import { createTransport, type TransportConfig } from './transport.js';
import { UnifiedClient, UNIFIED_DEFAULT_BASE_URL } from './unified/client.js';
import { checkedUrl } from './url.js';

/** The transport's settings (auth, rate, timeouts, retries, pool …) plus what the clients need. */
export interface ApiConfig extends TransportConfig {
  profile: 'dlr' | 'unified';
  /** API root; the profile's default when empty */
  baseUrl?: string;
  accountId: string;
  /** page size of the list calls */
  pageSize?: number;
  /** DLR: lookups by CustomerOrderId after an ambiguous POST */
  lookup?: { attempts: number; delayMs: number };
}

export interface Api {
  dlr?: DlrClient;
  unified?: UnifiedClient;
  stats(): ApiStats;
  /** current requests/second of a rate group (undefined = unlimited) */
  currentRate(group: 'geocode' | 'order' | 'read'): number | undefined;
  close(): Promise<void>;
}

export const DEFAULT_BASE_URLS = { dlr: DLR_DEFAULT_BASE_URL, unified: UNIFIED_DEFAULT_BASE_URL } as const;

export function createApi(config: ApiConfig): Api {
  if (config.profile !== 'dlr' && config.profile !== 'unified') {
    throw new ConfigError('CONFIG_INVALID', `unknown profile ${String(config.profile)}: use dlr or unified`);
  }
  if (!config.accountId || !/^[A-Za-z0-9_-]+$/.test(config.accountId)) {
    throw new ConfigError('CONFIG_INVALID', 'the account id is missing or not letters and digits');
  }
  if (config.rate !== undefined && !(Number.isFinite(config.rate) && config.rate >= 0)) {
    throw new ConfigError('CONFIG_INVALID', 'the rate must be a number of requests per second (0 = unlimited)');
  }
  const baseUrl = checkedUrl(config.baseUrl || DEFAULT_BASE_URLS[config.profile]);
  if (config.auth.kind === 'oauth2') checkedUrl(config.auth.tokenUrl, 'OAuth2 token URL');

  // The client-only fields (profile, baseUrl, accountId, pageSize, lookup) are ignored by the transport.
  const transport = createTransport(config);
  const common = {
    send: transport.send,
    baseUrl,
    accountId: config.accountId,
    ...(config.pageSize !== undefined ? { pageSize: config.pageSize } : {}),
  };
  const api: Api = {
    stats: () => transport.stats(),
    currentRate: (group) => transport.limiter.currentRate(group),
    close: () => transport.close(),
  };
  if (config.profile === 'dlr') {
    api.dlr = new DlrClient({
      ...common,
      ...(config.clock ? { clock: config.clock } : {}),
      ...(config.lookup ? { lookup: config.lookup } : {}),
    });
  } else {
    api.unified = new UnifiedClient(common);
  }
  return api;
}

export { authFromEnv, DEFAULT_TOKEN_URL, type AuthConfig } from './auth.js';
export { customerOrderId, type DlrOrderKind } from './dlr/order-id.js';
export { DlrClient } from './dlr/client.js';
export { UnifiedClient } from './unified/client.js';
export * from './errors.js';
export type { ApiStats } from './stats.js';
export type { Timeouts } from './http.js';
export type { RetryPolicy } from './retry.js';
export type * from './dlr/types.js';
export { DLR_ORDER_STATUSES, DLR_FINAL_STATUSES } from './dlr/types.js';
export { normalizeOrderStatus, normalizeEndpointStatus } from './unified/client.js';
export type * from './unified/types.js';
