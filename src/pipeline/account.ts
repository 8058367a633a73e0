// What an account holds, read through the list endpoints (paged) and turned into esprov's own
// input fields: the ground both `import-state` (adopt it into the state store) and `export` (write
// it as an input file) stand on.
//
// dlr: `GET addresses?type=e911` lists the location pool with whole addresses, but `GET aeuis`
// lists only Identifier and CallbackNumber (api-notes §2.6), so each endpoint's caller name,
// language and location are read with `GET aeuis/{acid}`, concurrently under the rate limit.
// unified: `GET addresses` and `GET endpoints` carry everything.

import pLimit from 'p-limit';
import type { Api, DlrAddress as ApiDlrAddress, DlrAeuiDetails, DlrAeuiListItem, DlrClient, DlrLocationListItem, UnifiedAddress, UnifiedClient, UnifiedEndpoint } from '../api/index.js';
import { lookupNorthAmericanCountry } from '../rules/geo.js';
import type { Profile } from '../rules/types.js';
import { isFatal } from './context.js';

/** Canonical field name → value, as an input row of esprov's own format would hold it. */
export type Fields = Record<string, string>;

export interface AccountLocation {
  /** dlr: the LocationId ('' when the account lists the address without one); unified: the address ID. */
  readonly id: string;
  readonly fields: Fields;
}

export interface AccountEndpoint {
  /** dlr: the Identifier; unified: the phone number. */
  readonly key: string;
  /** The LocationId (dlr) or address ID (unified) it is bound to; '' when the answer names none. */
  readonly ref: string;
  readonly fields: Fields;
}

export interface AccountReadProblem {
  readonly key: string;
  readonly message: string;
}

export interface AccountContents {
  readonly locations: AccountLocation[];
  readonly endpoints: AccountEndpoint[];
  /** Endpoints listed but not readable one by one (each named, with why): neither adopted nor exported. */
  readonly unreadable: AccountReadProblem[];
}

export interface ReadAccountOptions {
  readonly concurrency: number;
  /** Called as the work goes: a stage starts (with its size when known), an item is read. */
  readonly progress?: { stage(name: string, total?: number): void; tick(n?: number): void };
  /** dlr: endpoints whose details need no reading (already known); they are listed with key only. */
  readonly skipDetails?: (identifier: string) => boolean;
}

const DLR_ADDRESS_FIELDS: ReadonlyArray<[keyof ApiDlrAddress, string]> = [
  ['housePrefix', 'HousePrefix'],
  ['houseNumber', 'HouseNumber'],
  ['houseSuffix', 'HouseSuffix'],
  ['preDirectional', 'PreDirectional'],
  ['streetName', 'StreetName'],
  ['streetSuffix', 'StreetSuffix'],
  ['postDirectional', 'PostDirectional'],
  ['addressLine1', 'AddressLine1'],
  ['addressLine2', 'AddressLine2'],
  ['city', 'City'],
  ['stateCode', 'StateCode'],
  ['zip', 'Zip'],
  ['plusFour', 'PlusFour'],
  ['county', 'County'],
  ['country', 'Country'],
];

export function dlrAddressFields(a: ApiDlrAddress): Fields {
  const fields: Fields = {};
  for (const [from, to] of DLR_ADDRESS_FIELDS) {
    const value = a[from];
    if (value !== undefined && value !== '') fields[to] = value;
  }
  // A location order carries parts; a whole line beside them is the same street said twice.
  if (fields.StreetName !== undefined) delete fields.AddressLine1;
  // The reference's answers spell the country out ("United States"): written back as its code.
  if (fields.Country !== undefined) fields.Country = lookupNorthAmericanCountry(fields.Country) ?? fields.Country;
  return fields;
}

const UNIFIED_ADDRESS_FIELDS: ReadonlyArray<[string, string]> = [
  ['addressLine1', 'AddressLine1'],
  ['addressLine2', 'AddressLine2'],
  ['city', 'City'],
  ['postalCode', 'PostalCode'],
  ['country', 'Country'],
  ['companyName', 'CompanyName'],
  ['customerType', 'CustomerType'],
  ['friendlyName', 'FriendlyName'],
  ['service', 'Service'],
];

const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');

/**
 * The street line of an address answer. Answers carry `addressLine1` as sent, or only the API's
 * `address` (one line: the street alone, or the whole address with the city) and its parts.
 */
function streetLine(raw: Record<string, unknown>): string {
  const line1 = textOf(raw.addressLine1);
  if (line1 !== '') return line1;
  const line = textOf(raw.address);
  const city = textOf(raw.city).toUpperCase();
  if (line !== '' && (city === '' || !line.toUpperCase().includes(city))) return line;
  return [textOf(raw.houseNumber), textOf(raw.streetName)].filter((x) => x !== '').join(' ');
}

export function unifiedAddressFields(a: UnifiedAddress): Fields {
  const fields: Fields = {};
  for (const [from, to] of UNIFIED_ADDRESS_FIELDS) {
    const value = from === 'addressLine1' ? streetLine(a.raw) : a.raw[from];
    if (typeof value === 'string' && value !== '') fields[to] = value;
    // The API may answer the service as a list: ["ES"] is sent back as [ES].
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) fields[to] = `[${value.join(',')}]`;
  }
  return fields;
}

/** The items of a paged list, in pages of `size` (the clients read one page per call and yield its items one by one). */
export async function* inPages<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let page: T[] = [];
  for await (const item of items) {
    page.push(item);
    if (page.length >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

async function collect<T>(items: AsyncIterable<T>, tick?: () => void): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    tick?.();
  }
  return out;
}

const DLR_SIGNATURE = (f: Fields): string => DLR_ADDRESS_FIELDS.map(([, name]) => (f[name] ?? '').toUpperCase()).join('|');

/**
 * dlr: the account's location pool as its pages arrive, and the binding of an endpoint to it.
 * The reference's examples list addresses without a LocationId: such a location is kept (id ''),
 * adopted by its address, and the endpoints at it are bound to it by address.
 */
export class DlrPool {
  private readonly byId = new Map<string, AccountLocation>();
  private readonly bySignature = new Map<string, string | null>();

  add(listed: DlrLocationListItem): AccountLocation {
    const location: AccountLocation = { id: listed.locationId ?? '', fields: { LocationId: listed.locationId ?? '', ...dlrAddressFields(listed) } };
    if (location.id === '') return location;
    this.byId.set(location.id, location);
    const sig = DLR_SIGNATURE(location.fields);
    this.bySignature.set(sig, this.bySignature.has(sig) ? null : location.id);
    return location;
  }

  /**
   * An endpoint from its list entry and its details. The real GET aeuis/{acid} may give the
   * address without its LocationId: the pool's location with exactly that address is the one
   * (when the pool has one such location only).
   */
  endpoint(a: DlrAeuiListItem, details: DlrAeuiDetails): AccountEndpoint {
    const given = details.locationId ?? a.locationId ?? '';
    const locationId = given !== '' || details.address === undefined ? given : (this.bySignature.get(DLR_SIGNATURE(dlrAddressFields(details.address))) ?? '');
    const location = this.byId.get(locationId);
    const address = location?.fields ?? (details.address !== undefined ? dlrAddressFields(details.address) : {});
    const fields: Fields = {
      Identifier: a.identifier,
      CallerName: details.callerName ?? a.callerName ?? '',
      CallbackNumber: details.callbackNumber ?? a.callbackNumber ?? '',
      // '' when the account does not report it (the reference's answer has none): unknown, not en.
      PreferredLanguage: details.preferredLanguage ?? '',
      ...address,
      LocationId: locationId,
    };
    return { key: a.identifier, ref: locationId, fields };
  }
}

/**
 * dlr: the details of some listed endpoints (`GET aeuis/{acid}` each, concurrently under the rate
 * limit), in the order the account lists them, whatever order the reads end in.
 */
export async function readDlrDetails(client: DlrClient, pool: DlrPool, listed: readonly DlrAeuiListItem[], o: ReadAccountOptions): Promise<Omit<AccountContents, 'locations'>> {
  const unreadable: AccountReadProblem[] = [];
  const limit = pLimit(o.concurrency);
  const read = await Promise.all(
    listed.map((a) =>
      limit(async (): Promise<AccountEndpoint | undefined> => {
        if (o.skipDetails?.(a.identifier)) return { key: a.identifier, ref: '', fields: {} };
        let details;
        try {
          details = await client.getAeui(a.identifier);
        } catch (err) {
          if (isFatal(err)) throw err;
          unreadable.push({ key: a.identifier, message: `GET aeuis/${a.identifier} failed: ${(err as Error).message}` });
          return undefined;
        }
        o.progress?.tick();
        if (details !== undefined) return pool.endpoint(a, details);
        unreadable.push({ key: a.identifier, message: `listed, but GET aeuis/${a.identifier} answered 404 (deleted meanwhile?)` });
        return undefined;
      }),
    ),
  );
  return { endpoints: read.filter((e) => e !== undefined), unreadable };
}

/** dlr: the whole account at once. */
export async function readDlr(client: DlrClient, o: ReadAccountOptions): Promise<AccountContents> {
  o.progress?.stage('locations listed');
  const pool = new DlrPool();
  const locations = (await collect(client.listLocations(), () => o.progress?.tick())).map((l) => pool.add(l));
  o.progress?.stage('endpoints listed');
  const aeuis = await collect(client.listAeuis(), () => o.progress?.tick());
  o.progress?.stage('endpoints read', aeuis.filter((a) => !(o.skipDetails?.(a.identifier) ?? false)).length);
  return { locations, ...(await readDlrDetails(client, pool, aeuis, o)) };
}

/** unified: an address of the account's list, by its ID. */
export const unifiedLocation = (a: UnifiedAddress): AccountLocation => ({ id: a.id, fields: unifiedAddressFields(a) });

/** unified: a listed endpoint as fields, bound to its address (`addresses`: the account's, by ID), or why it cannot be. */
export function unifiedEndpoint(e: Omit<UnifiedEndpoint, 'raw'>, addresses: ReadonlyMap<string, AccountLocation>): AccountEndpoint | AccountReadProblem {
  const phone = e.phoneNumber ?? e.id;
  const addressId = e.addressId ?? '';
  const address = addresses.get(addressId);
  if (address === undefined) return { key: phone, message: addressId === '' ? 'the endpoint has no address' : `its address ${addressId} is not in the address list` };
  return {
    key: phone,
    ref: addressId,
    fields: {
      PhoneNumber: phone,
      CallerName: e.callerName ?? '',
      Lang: e.lang ?? '',
      ...address.fields,
      // The endpoint's country is the one provisioned; the address says the same where both are given.
      ...(e.country ? { Country: e.country } : {}),
    },
  };
}

/** unified: the whole account at once. */
export async function readUnified(client: UnifiedClient, o: ReadAccountOptions): Promise<AccountContents> {
  o.progress?.stage('addresses listed');
  const addresses = await collect(client.listAddresses(), () => o.progress?.tick());
  const locations = addresses.filter((a) => a.id !== '').map(unifiedLocation);
  const byId = new Map(locations.map((l) => [l.id, l]));
  o.progress?.stage('endpoints listed');
  const listed = await collect(client.listEndpoints(), () => o.progress?.tick());
  const endpoints: AccountEndpoint[] = [];
  const unreadable: AccountReadProblem[] = [];
  for (const e of listed) {
    const r = unifiedEndpoint(e, byId);
    if ('fields' in r) endpoints.push(r);
    else unreadable.push(r);
  }
  return { locations, endpoints, unreadable };
}

/** The whole account at once (export); import-state reads it page by page with the pieces above. */
export async function readAccount(api: Api, profile: Profile, o: ReadAccountOptions): Promise<AccountContents> {
  // The profile calls (each holding its reader above) import this module: loaded when first called.
  const { connect } = await import('../profiles/calls.js');
  return connect(profile, api).readAccount(o);
}
