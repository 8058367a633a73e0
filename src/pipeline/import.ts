// import-state: adopt what an account already holds (provisioned by other means, or by esprov
// with another state store) into the state store, so the next run compares the customer's rows
// with it instead of sending everything again.
//
// Each record read from the account is passed through the same rules as an input row, so its
// address key and content hash are the ones a customer's row with the same content produces:
// such a row is UNCHANGED and costs nothing. The store then holds the account's truth: endpoints
// it knew as provisioned that the account no longer lists are marked deleted (the next run adds
// them again).
//
// At account scale (100,000 endpoints) nothing holds the whole account: its endpoint list is
// staged in the store's listing (a temporary table), the refusal is decided from it with SQL
// before anything is adopted, and each page is then read (dlr: GET aeuis/{acid} each) and written
// in a transaction of its own. Only the location pool (dlr) or address list (unified), which
// endpoints are bound to, is kept in memory.

import type { DlrAeuiListItem, DlrClient, UnifiedClient, UnifiedEndpoint } from '../api/index.js';
import { UsageError } from '../exit-codes.js';
import { formatDlrAddress } from '../output/address.js';
import type { ProfileCalls } from '../profiles/calls.js';
import { profileOf, type Adopted } from '../profiles/index.js';
import { HOLDS_ALL, normalizeDlr } from '../rules/dlr.js';
import type { DlrAddress, NormalizedRow, Profile } from '../rules/types.js';
import type { AccountListing } from '../state/listing.js';
import type { EndpointRecord, StateStore } from '../state/store.js';
import {
  DlrPool,
  inPages,
  readDlrDetails,
  unifiedEndpoint,
  unifiedLocation,
  type AccountEndpoint,
  type AccountLocation,
  type AccountReadProblem,
  type Fields,
  type ReadAccountOptions,
} from './account.js';
import { deleteLimit, type RunSettings } from './context.js';
import { hashOf, toApi } from './dlr.js';
import { formattedAddress } from './outcome.js';

export interface ImportSettings {
  readonly profile: Profile;
  readonly account: string;
  readonly concurrency: number;
  /** Read again endpoints the store already knows as provisioned by esprov (dlr: one GET each). */
  readonly full: boolean;
  /** The most known endpoints the import may mark deleted (as `run --max-delete`), unless `force`. */
  readonly maxDelete: RunSettings['maxDelete'];
  readonly force: boolean;
}

export interface ImportReport {
  /** Endpoints the account lists. */
  readonly listed: number;
  /** Written to the store from the account's data. */
  readonly adopted: number;
  /** Known to the store as provisioned by esprov and left as they are (dlr without --full). */
  readonly kept: number;
  /** Provisioned in the store, absent from the account: now marked deleted. */
  readonly markedDeleted: number;
  /** dlr locations / unified addresses adopted. */
  readonly locations: number;
  /** Records esprov's rules do not accept as they are (first problem each): adopted, but any row naming them is sent again. */
  readonly notUnderstood: AccountReadProblem[];
  /** Listed but unreadable: not adopted. */
  readonly unreadable: AccountReadProblem[];
}

/** A dlr address alone through the dlr rules: placeholder endpoint fields, only the address's problems count. */
const ADDRESS_ONLY: Fields = { Identifier: 'ESPROVIMPORT0', CallbackNumber: '9192971000', CallerName: 'IMPORT' };

function normalizeDlrAddress(fields: Fields): { address: DlrAddress; addressKey: string } | { problem: string } {
  const r = normalizeDlr({ ...fields, ...ADDRESS_ONLY, LocationId: '' });
  return r.ok ? { address: r.row.address, addressKey: r.row.addressKey } : { problem: r.errors[0]?.message ?? 'not accepted by the dlr rules' };
}

/** Endpoints per transaction, and per batch of dlr details read concurrently. */
const PAGE = 500;

type Progress = ReadAccountOptions['progress'];

/** What adopting an account's records shares: the store, the settings, the staged listing, the count so far. */
export interface ImportRun {
  readonly store: StateStore;
  readonly settings: ImportSettings;
  readonly listing: AccountListing;
  /** Whether esprov provisioned the endpoint itself (then it is kept as the store has it). */
  readonly own: (key: string) => boolean;
  /** The profile's rules over a record the account lists, and the row's content hash. */
  readonly adopted: (fields: Fields, atAddress: ReadonlyMap<string, string>) => Adopted<NormalizedRow>;
  readonly tally: Tally;
  readonly progress: Progress;
}

interface Tally {
  adopted: number;
  kept: number;
  locations: number;
  readonly notUnderstood: AccountReadProblem[];
  readonly unreadable: AccountReadProblem[];
}

/**
 * An account that lists far fewer endpoints than the store knows is more often the wrong account
 * (or a listing gone wrong) than a mass deletion: refuse, as `run --delete-missing` does. Decided
 * from the listing alone, before anything is adopted or read one by one.
 */
function refuseMassDelete(settings: ImportSettings, store: StateStore, listing: AccountListing): void {
  const { account, profile } = settings;
  const provisioned = store.countEndpoints(account, profile).provisioned ?? 0;
  const gone = listing.countMissing(account, profile);
  const { limit, text } = deleteLimit(settings.maxDelete, provisioned);
  if (gone <= limit || settings.force) return;
  throw new UsageError(
    'MAX_DELETE_EXCEEDED',
    `import-state would mark ${gone} of the ${provisioned} endpoints esprov knows for account ${account} deleted (the account does not list them), over the limit of ${text}: nothing was imported. Check --base-url and --account; if the account really lost them, raise --max-delete or pass --force.`,
  );
}

/** Every endpoint the account lists, page by page into the store's listing. */
async function listEndpoints(store: StateStore, calls: ProfileCalls, listing: AccountListing, progress: Progress): Promise<void> {
  progress?.stage('endpoints listed');
  for await (const page of inPages(calls.listEndpoints(), PAGE)) {
    const items = page.map((e) => ({ key: e.key, item: JSON.stringify(e.item) }));
    store.transaction(() => listing.add(items));
    progress?.tick(page.length);
  }
}

function putImportedAddress(store: StateStore, settings: ImportSettings, addressKey: string, addressId: string, std: Record<string, string>, stdText: string): void {
  const { account, profile } = settings;
  if (store.getAddress(account, profile, addressKey) !== undefined) return;
  store.putAddress({ account, profile, addressKey, outcome: 'imported', addressId, std, stdText, adjustments: '', errorCode: '', errorMessage: '' });
}

function adoptLocation(store: StateStore, settings: ImportSettings, l: AccountLocation, tally: Tally): void {
  const { account } = settings;
  if (l.id === '') {
    // Listed without a LocationId: adopted by its address (no geocode for rows there), no location record.
    const n = normalizeDlrAddress(l.fields);
    if ('problem' in n) {
      tally.notUnderstood.push({ key: `location at ${[l.fields.HouseNumber, l.fields.StreetName, l.fields.City].filter(Boolean).join(' ')}`, message: n.problem });
      return;
    }
    putImportedAddress(store, settings, n.addressKey, '', toApi(n.address) as Record<string, string>, formatDlrAddress(n.address));
    tally.locations++;
    return;
  }
  const mine = store.getLocation(account, l.id);
  if (!settings.full && mine?.status === 'provisioned' && mine.source !== 'import') return;
  const n = normalizeDlrAddress(l.fields);
  if ('problem' in n) {
    tally.notUnderstood.push({ key: `location ${l.id}`, message: n.problem });
    // Known by id, never equal by content: a row naming it sends the location again.
    store.putLocation({ account, locationId: l.id, addressKey: '', contentHash: '', status: 'provisioned', orderId: '', errorCode: '', errorMessage: '', source: 'import' });
    return;
  }
  const std = toApi(n.address);
  store.putLocation({ account, locationId: l.id, addressKey: n.addressKey, contentHash: hashOf(std), status: 'provisioned', orderId: '', errorCode: '', errorMessage: '', source: 'import' });
  // The account's address stands for a geocode: rows at this address are not geocoded again.
  putImportedAddress(store, settings, n.addressKey, '', std as Record<string, string>, formatDlrAddress(n.address));
  tally.locations++;
}

/** `bind`: what else a profile adopts with the endpoint (unified: its address, which has no list of its own to come from). */
function adoptEndpoint(run: ImportRun, e: AccountEndpoint, atAddress: ReadonlyMap<string, string>, bind?: (row: NormalizedRow, record: EndpointRecord) => void): void {
  const { store, settings, tally } = run;
  const { account, profile } = settings;
  const n = run.adopted(e.fields, atAddress);
  const record: EndpointRecord = {
    account,
    profile,
    endpointKey: e.key,
    contentHash: '',
    addressRef: e.ref,
    status: 'provisioned',
    orderId: '',
    runId: '',
    errorCode: '',
    errorMessage: '',
    stdText: '',
    source: 'import',
  };
  if ('problem' in n) {
    tally.notUnderstood.push({ key: e.key, message: n.problem });
  } else {
    const row = n.row;
    record.contentHash = n.hash;
    // Listed without its location: bound by its address to the account's named location there (dlr).
    const bound = record.addressRef === '' ? atAddress.get(row.addressKey) : undefined;
    if (bound !== undefined) record.addressRef = bound;
    record.stdText = formattedAddress(row);
    bind?.(row, record);
  }
  store.putEndpoint(record);
  tally.adopted++;
}

/** dlr: the location pool, then each listed endpoint's details (one GET each), bound to the pool. */
export async function importDlr(client: DlrClient, run: ImportRun): Promise<void> {
  const { store, settings, listing, own, tally, progress } = run;
  progress?.stage('locations listed');
  const pool = new DlrPool();
  for await (const page of inPages(client.listLocations(), PAGE)) {
    store.transaction(() => {
      for (const l of page) adoptLocation(store, settings, pool.add(l), tally);
    });
    progress?.tick(page.length);
  }
  const atAddress = store.adoptedLocations(settings.account);
  progress?.stage('endpoints read', listing.size);
  for (const page of listing.pages(PAGE)) {
    const listed = page.map((l) => JSON.parse(l.item) as DlrAeuiListItem);
    const toRead = listed.filter((a) => !own(a.identifier));
    tally.kept += listed.length - toRead.length;
    progress?.tick(listed.length - toRead.length);
    const read = await readDlrDetails(client, pool, toRead, { concurrency: settings.concurrency, ...(progress ? { progress } : {}) });
    store.transaction(() => {
      for (const e of read.endpoints) adoptEndpoint(run, e, atAddress);
    });
    tally.unreadable.push(...read.unreadable);
  }
}

/** unified: the address list, then the listed endpoints as they are, each bound to its address. */
export async function importUnified(client: UnifiedClient, run: ImportRun): Promise<void> {
  const { store, settings, listing, own, tally, progress } = run;
  const { account, profile } = settings;
  progress?.stage('addresses listed');
  const addresses = new Map<string, AccountLocation>();
  for await (const a of client.listAddresses()) {
    if (a.id !== '') addresses.set(a.id, unifiedLocation(a));
    progress?.tick();
  }
  const none = new Map<string, string>();
  const bindAddress = (row: NormalizedRow, record: EndpointRecord): void => {
    if (store.getAddress(account, profile, row.addressKey) !== undefined) return;
    putImportedAddress(store, settings, row.addressKey, record.addressRef, {}, record.stdText);
    tally.locations++;
  };
  for (const page of listing.pages(PAGE)) {
    store.transaction(() => {
      for (const l of page) {
        const e = unifiedEndpoint(JSON.parse(l.item) as Omit<UnifiedEndpoint, 'raw'>, addresses);
        if (!('fields' in e)) tally.unreadable.push(e);
        else if (own(e.key)) tally.kept++;
        else adoptEndpoint(run, e, none, bindAddress);
      }
    });
  }
}

/** `calls`: the API of the settings' profile. */
export async function importState(store: StateStore, calls: ProfileCalls, settings: ImportSettings, progress?: Progress): Promise<ImportReport> {
  const { profile, account } = settings;
  const listing = store.listing();
  await listEndpoints(store, calls, listing, progress);
  refuseMassDelete(settings, store, listing);
  // Endpoints esprov provisioned itself hold exactly what it sent: reading them again costs a call each (dlr).
  const own = (key: string): boolean => {
    if (settings.full) return false;
    const e = store.getEndpoint(account, profile, key);
    return e !== undefined && e.status === 'provisioned' && e.source !== 'import';
  };
  const tally: Tally = { adopted: 0, kept: 0, locations: 0, notUnderstood: [], unreadable: [] };
  const rules = profileOf(profile);
  // What the account lists it holds: its identifiers and LocationIds pass in the API's wider form.
  const normalize = await rules.normalizer(HOLDS_ALL);
  const adopted = (fields: Fields, atAddress: ReadonlyMap<string, string>): Adopted<NormalizedRow> => rules.adopted(normalize, fields, atAddress);
  await calls.importAccount({ store, settings, listing, own, adopted, tally, progress });
  // Every page is in: what the store knows as provisioned and the account does not list (unreadable ones are listed).
  const markedDeleted = store.transaction(() => listing.markMissingDeleted(account, profile));
  return { listed: listing.size, adopted: tally.adopted, kept: tally.kept, markedDeleted, locations: tally.locations, notUnderstood: tally.notUnderstood, unreadable: tally.unreadable };
}
