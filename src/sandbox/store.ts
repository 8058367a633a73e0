// What the sandbox holds, per account: DLR locations, AEUIs and orders; unified addresses,
// endpoints and orders; and the counters the ledger reports. Plain data in Maps, with indexes
// rebuilt on load, so the whole state serializes to one JSON file (--data).

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DlrAddress, StdAddress } from './dlr/geocoder.js';

export interface ItemError {
  code: number;
  description: string;
}

/** `anonymous`: made from an endpoint's address without a LocationId: the account lists it without one (the reference's examples). */
export interface DlrLocation {
  locationId: string;
  address: StdAddress;
  adjusted: boolean;
  seq: number;
  created: string;
  updated: string;
  anonymous?: boolean;
}
export interface DlrAeui {
  identifier: string;
  callbackNumber: string;
  callerName: string;
  preferredLanguage: string;
  locationId: string;
  seq: number;
  created: string;
  updated: string;
}
export type DlrOrderKind = 'location' | 'endpoint' | 'endpointDelete' | 'locationDelete';
/** One item of an order as received: its leaf fields, and an inline Address for an AEUI. */
export interface DlrItem {
  fields: Record<string, string>;
  address?: DlrAddress;
}
export interface DlrItemResult {
  error?: ItemError;
  address?: StdAddress;
  adjusted?: boolean;
  invalidAddress?: boolean;
}
export interface DlrOrder {
  orderId: string;
  accountId: string;
  customerOrderId?: string;
  createdByUser: string;
  kind: DlrOrderKind;
  created: number;
  processingAt: number;
  finalAt: number;
  items: DlrItem[];
  preErrors: (ItemError | null)[];
  final?: { status: string; results: DlrItemResult[] };
}

export type UnifiedOrderType = 'ADD_ENDPOINTS' | 'UPDATE_ENDPOINTS' | 'DELETE_ENDPOINTS';
export interface UnifiedAddress {
  id: string;
  validationStatus: 'VALID' | 'INVALID';
  fields: Record<string, unknown>;
  key: string;
  created: string;
  updated: string;
}
export interface UnifiedEndpoint {
  id: string;
  phoneNumber: string;
  name: string;
  lang: string;
  country: string;
  addressId: string | null;
  created: string;
  updated: string;
}
export interface UnifiedItem {
  id: string;
  input: Record<string, unknown>;
  preError?: { code: string; error: string };
}
export interface UnifiedItemResult {
  status: 'SUCCESS' | 'ERROR';
  error: string;
  errorCode: string;
}
export interface UnifiedOrder {
  id: string;
  type: UnifiedOrderType;
  action?: string;
  updatedBy: string;
  created: number;
  processingAt: number;
  finalAt: number;
  items: UnifiedItem[];
  acceptedCount: number;
  invalidCount: number;
  final?: { status: 'COMPLETED' | 'PARTIAL' | 'FAILED'; results: UnifiedItemResult[] };
}

/** Counters behind the ledger. Keys of `calls` are call kinds such as `dlr.geocode`. */
export interface Counters {
  calls: Map<string, number>;
  writeCalls: number;
  faults: Map<string, number>;
  identifierSubmissions: Map<string, number>;
  locationIdSubmissions: Map<string, number>;
  geocodes: Map<string, number>;
  customerOrderIds: Map<string, number>;
  dlrLargestOrder: number;
  phoneSubmissions: Map<string, number>;
  addressSubmissions: Map<string, number>;
  unifiedLargestOrder: number;
}

function emptyCounters(): Counters {
  return {
    calls: new Map(),
    writeCalls: 0,
    faults: new Map(),
    identifierSubmissions: new Map(),
    locationIdSubmissions: new Map(),
    geocodes: new Map(),
    customerOrderIds: new Map(),
    dlrLargestOrder: 0,
    phoneSubmissions: new Map(),
    addressSubmissions: new Map(),
    unifiedLargestOrder: 0,
  };
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export class Account {
  seq = 0;
  readonly locations = new Map<string, DlrLocation>();
  readonly aeuis = new Map<string, DlrAeui>();
  readonly dlrOrders: DlrOrder[] = [];
  readonly addresses = new Map<string, UnifiedAddress>();
  readonly endpoints = new Map<string, UnifiedEndpoint>();
  readonly unifiedOrders: UnifiedOrder[] = [];
  counters: Counters = emptyCounters();

  // Indexes, rebuilt from the data above.
  readonly dlrOrderById = new Map<string, DlrOrder>();
  readonly ordersByCustomerOrderId = new Map<string, DlrOrder[]>();
  readonly pendingIdentifiers = new Map<string, number>();
  readonly endpointCountByLocation = new Map<string, number>();
  readonly unifiedOrderById = new Map<string, UnifiedOrder>();
  readonly endpointIdByPhone = new Map<string, string>();
  readonly pendingPhones = new Map<string, number>();
  /** Orders not yet final, in the order they were received. */
  pendingDlr: DlrOrder[] = [];
  pendingUnified: UnifiedOrder[] = [];

  constructor(readonly id: string) {}

  addDlrOrder(order: DlrOrder): void {
    this.dlrOrders.push(order);
    this.dlrOrderById.set(order.orderId, order);
    if (order.customerOrderId !== undefined) {
      const list = this.ordersByCustomerOrderId.get(order.customerOrderId) ?? [];
      list.push(order);
      this.ordersByCustomerOrderId.set(order.customerOrderId, list);
    }
    if (order.final === undefined) {
      this.pendingDlr.push(order);
      for (const id of dlrIdentifiers(order)) bump(this.pendingIdentifiers, id);
    }
  }

  /** Called once an order reached its final status: it no longer blocks its identifiers (8019). */
  releaseDlrOrder(order: DlrOrder): void {
    for (const id of dlrIdentifiers(order)) {
      const left = (this.pendingIdentifiers.get(id) ?? 1) - 1;
      if (left <= 0) this.pendingIdentifiers.delete(id);
      else this.pendingIdentifiers.set(id, left);
    }
  }

  putAeui(aeui: DlrAeui): void {
    const previous = this.aeuis.get(aeui.identifier);
    if (previous !== undefined) bump(this.endpointCountByLocation, previous.locationId, -1);
    this.aeuis.set(aeui.identifier, aeui);
    bump(this.endpointCountByLocation, aeui.locationId);
  }

  deleteAeui(identifier: string): void {
    const previous = this.aeuis.get(identifier);
    if (previous === undefined) return;
    bump(this.endpointCountByLocation, previous.locationId, -1);
    this.aeuis.delete(identifier);
  }

  addUnifiedOrder(order: UnifiedOrder): void {
    this.unifiedOrders.push(order);
    this.unifiedOrderById.set(order.id, order);
    if (order.final !== undefined) return;
    this.pendingUnified.push(order);
    if (order.type === 'ADD_ENDPOINTS') for (const item of order.items) bump(this.pendingPhones, phoneOf(item));
  }

  releaseUnifiedOrder(order: UnifiedOrder): void {
    if (order.type !== 'ADD_ENDPOINTS') return;
    for (const item of order.items) {
      const phone = phoneOf(item);
      const left = (this.pendingPhones.get(phone) ?? 1) - 1;
      if (left <= 0) this.pendingPhones.delete(phone);
      else this.pendingPhones.set(phone, left);
    }
  }

  putEndpoint(endpoint: UnifiedEndpoint): void {
    this.endpoints.set(endpoint.id, endpoint);
    this.endpointIdByPhone.set(endpoint.phoneNumber, endpoint.id);
  }

  deleteEndpoint(id: string): void {
    const endpoint = this.endpoints.get(id);
    if (endpoint === undefined) return;
    this.endpoints.delete(id);
    if (this.endpointIdByPhone.get(endpoint.phoneNumber) === id) this.endpointIdByPhone.delete(endpoint.phoneNumber);
  }

  /** An endpoint by its id, or by its phone number. */
  findEndpoint(idOrPhone: string): UnifiedEndpoint | undefined {
    return this.endpoints.get(idOrPhone) ?? this.endpoints.get(this.endpointIdByPhone.get(idOrPhone) ?? '');
  }
}

function phoneOf(item: UnifiedItem): string {
  const phone = item.input.phoneNumber;
  return typeof phone === 'string' ? phone.trim() : '';
}

function dlrIdentifiers(order: DlrOrder): string[] {
  if (order.kind !== 'endpoint' && order.kind !== 'endpointDelete') return [];
  return order.items.map((item) => item.fields.Identifier ?? '').filter((id) => id !== '');
}

const FORMAT_VERSION = 1;

type CountersJson = Record<keyof Counters, unknown>;

function countersToJson(c: Counters): CountersJson {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c)) out[key] = value instanceof Map ? [...value] : value;
  return out as CountersJson;
}

function countersFromJson(json: Partial<CountersJson> | undefined): Counters {
  const c = emptyCounters();
  if (json === undefined) return c;
  for (const key of Object.keys(c) as (keyof Counters)[]) {
    const value = json[key];
    const current = c[key];
    if (current instanceof Map && Array.isArray(value)) {
      for (const entry of value as [string, number][]) current.set(entry[0], entry[1]);
    } else if (typeof value === 'number') {
      (c as unknown as Record<string, number>)[key] = value;
    }
  }
  return c;
}

interface AccountJson {
  id: string;
  seq: number;
  locations: DlrLocation[];
  aeuis: DlrAeui[];
  dlrOrders: DlrOrder[];
  addresses: UnifiedAddress[];
  endpoints: UnifiedEndpoint[];
  unifiedOrders: UnifiedOrder[];
  counters: CountersJson;
}

export function accountToJson(a: Account): AccountJson {
  return {
    id: a.id,
    seq: a.seq,
    locations: [...a.locations.values()],
    aeuis: [...a.aeuis.values()],
    dlrOrders: a.dlrOrders,
    addresses: [...a.addresses.values()],
    endpoints: [...a.endpoints.values()],
    unifiedOrders: a.unifiedOrders,
    counters: countersToJson(a.counters),
  };
}

export function accountFromJson(json: AccountJson): Account {
  const a = new Account(json.id);
  a.seq = json.seq;
  for (const location of json.locations) a.locations.set(location.locationId, location);
  for (const aeui of json.aeuis) a.putAeui(aeui);
  for (const order of json.dlrOrders) a.addDlrOrder(order);
  for (const address of json.addresses) a.addresses.set(address.id, address);
  for (const endpoint of json.endpoints) a.putEndpoint(endpoint);
  for (const order of json.unifiedOrders) a.addUnifiedOrder(order);
  a.counters = countersFromJson(json.counters);
  return a;
}

export interface SavedState {
  accounts: Account[];
  globalCounters?: Partial<CountersJson>;
}

export function loadState(file: string): SavedState {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { accounts: [] };
    throw error;
  }
  const json = JSON.parse(raw) as { version?: number; accounts?: AccountJson[]; global?: Partial<CountersJson> };
  if (json.version !== FORMAT_VERSION) throw new Error(`${file} is not an esprov sandbox data file (version ${String(json.version)})`);
  return { accounts: (json.accounts ?? []).map(accountFromJson), globalCounters: json.global };
}

/** Writes to a temporary name and renames, so a crash never leaves half a file. */
export function saveState(file: string, accounts: Iterable<Account>, global: Counters): void {
  const body = JSON.stringify({ version: FORMAT_VERSION, accounts: [...accounts].map(accountToJson), global: countersToJson(global) });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, body);
  renameSync(temp, file);
}

export { countersFromJson, emptyCounters };
