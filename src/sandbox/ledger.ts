// The ledger: what exists now and what was asked for, per account and API, so a test can prove
// that nothing was created twice and that a second run made no write call.

import type { Account, Counters } from './store.js';

export interface FaultCounts {
  rateLimit: number;
  serverError: number;
  dropAfterProcessing: number;
  total: number;
  byKind: Record<string, number>;
}

export interface DlrLedger {
  /** AEUIs provisioned now, by Identifier. */
  aeuis: Record<string, { callbackNumber: string; callerName: string; preferredLanguage: string; locationId: string }>;
  /** Locations provisioned now, by LocationId, with the standardized address line. */
  locations: Record<string, { addressLine1: string; city: string; stateCode: string; zip: string; endpointCount: number }>;
  /** How many times each Identifier / LocationId was submitted in an add order. */
  identifierSubmissions: Record<string, number>;
  locationIdSubmissions: Record<string, number>;
  /** Geocode requests per normalized (upper-cased) input address. */
  geocodes: Record<string, number>;
  /** CustomerOrderIds that were submitted in more than one order, with their counts. */
  duplicateCustomerOrderIds: Record<string, number>;
  /** Items in the largest order received. */
  largestOrder: number;
  orders: { total: number; byStatus: Record<string, number> };
  calls: Record<string, number>;
}

export interface UnifiedLedger {
  addresses: Record<string, { addressLine1: string; city: string; postalCode: string; country: string; validationStatus: string }>;
  endpoints: Record<string, { phoneNumber: string; name: string; addressId: string | null }>;
  /** How many times each phone number was submitted in an ADD_ENDPOINTS order. */
  phoneSubmissions: Record<string, number>;
  /** Address POSTs per normalized address. */
  addressSubmissions: Record<string, number>;
  largestOrder: number;
  orders: { total: number; byStatus: Record<string, number> };
  calls: Record<string, number>;
}

export interface AccountLedger {
  accountId: string;
  dlr: DlrLedger;
  unified: UnifiedLedger;
  writeCalls: number;
  faults: FaultCounts;
}

export interface Ledger {
  accounts: Record<string, AccountLedger>;
  /** Calls of every account together, by kind (plus `unauthorized`, `oauth.token`, `notFound`). */
  calls: Record<string, number>;
  writeCalls: number;
  faults: FaultCounts;
}

function record<V>(map: Map<string, V>, keep: (value: V) => boolean = () => true): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of map) if (keep(value)) out[key] = value;
  return out;
}

function prefixed(calls: Map<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, count] of calls) if (kind.startsWith(prefix)) out[kind.slice(prefix.length)] = count;
  return out;
}

function faultCounts(faults: Map<string, number>): FaultCounts {
  const out: FaultCounts = { rateLimit: 0, serverError: 0, dropAfterProcessing: 0, total: 0, byKind: {} };
  for (const [key, count] of faults) {
    const [type, kind] = key.split('@');
    if (kind === undefined) continue;
    if (type === 'rateLimit' || type === 'serverError' || type === 'dropAfterProcessing') out[type] += count;
    out.total += count;
    out.byKind[kind] = (out.byKind[kind] ?? 0) + count;
  }
  return out;
}

function statuses(list: readonly { final?: { status: string } }[]): { total: number; byStatus: Record<string, number> } {
  const byStatus: Record<string, number> = {};
  for (const order of list) {
    const status = order.final?.status ?? 'PENDING';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  return { total: list.length, byStatus };
}

export function accountLedger(a: Account): AccountLedger {
  const c = a.counters;
  const aeuis: DlrLedger['aeuis'] = {};
  for (const [id, x] of a.aeuis) {
    aeuis[id] = { callbackNumber: x.callbackNumber, callerName: x.callerName, preferredLanguage: x.preferredLanguage, locationId: x.locationId };
  }
  const locations: DlrLedger['locations'] = {};
  for (const [id, x] of a.locations) {
    const s = x.address;
    const line1 = [s.HousePrefix, s.HouseNumber, s.HouseSuffix, s.PreDirectional, s.StreetName, s.StreetSuffix, s.PostDirectional].filter((p) => p !== '').join(' ');
    locations[id] = { addressLine1: line1, city: s.City, stateCode: s.StateCode, zip: s.Zip, endpointCount: a.endpointCountByLocation.get(id) ?? 0 };
  }
  const addresses: UnifiedLedger['addresses'] = {};
  for (const [id, x] of a.addresses) {
    const f = x.fields;
    addresses[id] = {
      addressLine1: String(f.addressLine1 ?? ''),
      city: String(f.city ?? ''),
      postalCode: String(f.postalCode ?? ''),
      country: String(f.country ?? ''),
      validationStatus: x.validationStatus,
    };
  }
  const endpoints: UnifiedLedger['endpoints'] = {};
  for (const [id, x] of a.endpoints) endpoints[id] = { phoneNumber: x.phoneNumber, name: x.name, addressId: x.addressId };
  return {
    accountId: a.id,
    dlr: {
      aeuis,
      locations,
      identifierSubmissions: record(c.identifierSubmissions),
      locationIdSubmissions: record(c.locationIdSubmissions),
      geocodes: record(c.geocodes),
      duplicateCustomerOrderIds: record(c.customerOrderIds, (n) => n > 1),
      largestOrder: c.dlrLargestOrder,
      orders: statuses(a.dlrOrders),
      calls: prefixed(c.calls, 'dlr.'),
    },
    unified: {
      addresses,
      endpoints,
      phoneSubmissions: record(c.phoneSubmissions),
      addressSubmissions: record(c.addressSubmissions),
      largestOrder: c.unifiedLargestOrder,
      orders: statuses(a.unifiedOrders),
      calls: prefixed(c.calls, 'unified.'),
    },
    writeCalls: c.writeCalls,
    faults: faultCounts(c.faults),
  };
}

export function buildLedger(accounts: Iterable<Account>, global: Counters): Ledger {
  const out: Ledger = { accounts: {}, calls: record(global.calls), writeCalls: global.writeCalls, faults: faultCounts(global.faults) };
  const allFaults = new Map(global.faults);
  for (const account of accounts) {
    out.accounts[account.id] = accountLedger(account);
    for (const [kind, count] of account.counters.calls) out.calls[kind] = (out.calls[kind] ?? 0) + count;
    for (const [key, count] of account.counters.faults) allFaults.set(key, (allFaults.get(key) ?? 0) + count);
    out.writeCalls += account.counters.writeCalls;
  }
  out.faults = faultCounts(allFaults);
  return out;
}
