// What differs between the two APIs in the calls the steps outside the order bodies make, in one
// place each (dlr-calls.ts, unified-calls.ts): reading an order's answer, listing and reading the
// account, deleting endpoints, pruning address records, validating addresses, running the
// endpoint stages. Each holds its typed client, checked once when it is made (clients.ts).

import type { Api } from '../api/index.js';
import type { OrderDriver } from '../orders/drivers.js';
import type { AccountContents, ReadAccountOptions } from '../pipeline/account.js';
import type { AddressContext, RunContext, RunRow, Settled } from '../pipeline/context.js';
import type { ImportRun } from '../pipeline/import.js';
import type { Validated } from '../pipeline/validate.js';
import type { NormalizedRow, Profile } from '../rules/types.js';
import { dlrCalls } from './dlr-calls.js';
import { unifiedCalls } from './unified-calls.js';

/** An endpoint the account lists: its key, and its list entry as the import listing stores it. */
export interface ListedEndpoint {
  readonly key: string;
  readonly item: object;
}

export interface ProfileCalls {
  /** The order engine's reads of this API's orders. */
  readonly orders: OrderDriver;
  /** The order kind of an endpoint delete. */
  readonly deleteKind: 'del-ep' | 'del';
  /** Every endpoint the account lists, page by page as the API gives them. */
  listEndpoints(): AsyncIterable<ListedEndpoint>;
  /** POSTs one delete order for these endpoints (dlr: under `orderKey`, its CustomerOrderId). */
  deleteEndpoints(keys: readonly string[], orderKey: string): Promise<{ orderId: string; rawStatus: string }>;
  /** Deletes the address records esprov provisioned that no endpoint uses (`inUse`); how many were deleted. */
  pruneUnused(ctx: RunContext, inUse: ReadonlySet<string>): Promise<number>;
  /** The whole account at once (export). */
  readAccount(o: ReadAccountOptions): Promise<AccountContents>;
  /** Adopts the account's address records and the listed endpoints (import-state). */
  importAccount(run: ImportRun): Promise<void>;
  /** Validates the addresses of `rows` (those whose address the API is asked about), once each. */
  validateAddresses(ctx: AddressContext, rows: readonly NormalizedRow[]): Promise<Validated>;
  /** The address and endpoint stages of a run, for its rows to send. */
  sendRows(ctx: RunContext, rows: readonly RunRow[]): Promise<Settled>;
}

const MAKERS: Readonly<Record<Profile, (api: Api) => ProfileCalls>> = { dlr: dlrCalls, unified: unifiedCalls };

const made = new WeakMap<Api, { readonly profile: Profile; readonly calls: ProfileCalls }>();

/** The calls of `profile` on `api` (made once per API); throws CONFIG_INVALID when the API has no client of that profile. */
export function connect(profile: Profile, api: Api): ProfileCalls {
  const known = made.get(api);
  if (known?.profile === profile) return known.calls;
  const calls = MAKERS[profile](api);
  made.set(api, { profile, calls });
  return calls;
}

/** The calls of a run's profile on its API (after `needApi`). */
export const callsOf = (ctx: { readonly settings: { readonly profile: Profile }; readonly api: Api }): ProfileCalls => connect(ctx.settings.profile, ctx.api);
