// import-state: adopt what an account already holds (provisioned by other means, or by esprov
// with another state store) into the state store, so the next run compares the customer's rows
// with it instead of sending everything again.
//
// Each record read from the account is passed through the same rules as an input row, so its
// address key and content hash are the ones a customer's row with the same content produces:
// such a row is UNCHANGED and costs nothing. The store then holds the account's truth: endpoints
// it knew as provisioned that the account no longer lists are marked deleted (the next run adds
// them again).

import type { Api } from '../api/index.js';
import { UsageError } from '../exit-codes.js';
import { formatDlrAddress, formatUnifiedAddress } from '../output/address.js';
import { HOLDS_ALL, normalizeDlr } from '../rules/dlr.js';
import type { DlrAddress, NormalizedRow, Profile } from '../rules/types.js';
import { normalizeUnified } from '../rules/unified.js';
import type { EndpointRecord, StateStore } from '../state/store.js';
import { readAccount, type AccountReadProblem, type Fields, type ReadAccountOptions } from './account.js';
import { deleteLimit, type RunSettings } from './context.js';
import { hashOf, toApi } from './dlr.js';
import { contentHash, LANGUAGE_UNKNOWN } from './plan.js';

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

/**
 * `atAddress`: the account's named location at an address key, if any. An endpoint the account
 * lists without a LocationId is bound by its address: to that location, else to the LocationId a
 * row without one derives — what the customer's row (or the export) will say, so it is UNCHANGED.
 */
function normalize(profile: Profile, fields: Fields, atAddress: Map<string, string>): { row: NormalizedRow; hash: string } | { problem: string } {
  if (profile === 'unified') {
    const r = normalizeUnified(fields);
    return r.ok ? { row: r.row, hash: contentHash(r.row) } : { problem: r.errors[0]?.message ?? 'not accepted by the unified rules' };
  }
  // The LocationId is the account's, whatever its form: an id esprov derived from the address as
  // a customer wrote it stays bound to the address as the geocoder standardized it.
  const r = normalizeDlr({ ...fields, LocationId: '' }, HOLDS_ALL);
  if (!r.ok) return { problem: r.errors[0]?.message ?? 'not accepted by the dlr rules' };
  const given = fields.LocationId ?? '';
  const row = { ...r.row, locationId: given !== '' ? given : (atAddress.get(r.row.addressKey) ?? r.row.locationId), locationIdDerived: false };
  // A language the account does not report is unknown: any language a row says matches it.
  const unknown = (fields.PreferredLanguage ?? '') === '';
  return { row, hash: contentHash(unknown ? { ...row, preferredLanguage: LANGUAGE_UNKNOWN as typeof row.preferredLanguage } : row) };
}

/**
 * An account that lists far fewer endpoints than the store knows is more often the wrong account
 * (or a listing gone wrong) than a mass deletion: refuse, as `run --delete-missing` does.
 */
function refuseMassDelete(settings: ImportSettings, known: Map<string, EndpointRecord>, listed: Set<string>): void {
  const provisioned = [...known.values()].filter((e) => e.status === 'provisioned');
  const gone = provisioned.filter((e) => !listed.has(e.endpointKey)).length;
  const { limit, text } = deleteLimit(settings.maxDelete, provisioned.length);
  if (gone <= limit || settings.force) return;
  throw new UsageError(
    'MAX_DELETE_EXCEEDED',
    `import-state would mark ${gone} of the ${provisioned.length} endpoints esprov knows for account ${settings.account} deleted (the account does not list them), over the limit of ${text}: nothing was imported. Check --base-url and --account; if the account really lost them, raise --max-delete or pass --force.`,
  );
}

export async function importState(store: StateStore, api: Api, settings: ImportSettings, progress?: ReadAccountOptions['progress']): Promise<ImportReport> {
  const { profile, account } = settings;
  const known = store.endpointIndex(account, profile);
  // Endpoints esprov provisioned itself hold exactly what it sent: reading them again costs a call each (dlr).
  const ownProvisioned = (key: string): boolean => {
    const e = known.get(key);
    return !settings.full && e !== undefined && e.status === 'provisioned' && e.source !== 'import';
  };
  const contents = await readAccount(api, profile, { concurrency: settings.concurrency, ...(progress ? { progress } : {}), skipDetails: ownProvisioned });
  refuseMassDelete(settings, known, new Set([...contents.endpoints, ...contents.unreadable].map((e) => e.key)));
  const notUnderstood: AccountReadProblem[] = [];
  let adopted = 0;
  let kept = 0;
  let locations = 0;
  let markedDeleted = 0;
  store.transaction(() => {
    if (profile === 'dlr') {
      for (const l of contents.locations) {
        if (l.id === '') {
          // Listed without a LocationId: adopted by its address (no geocode for rows there), no location record.
          const n = normalizeDlrAddress(l.fields);
          if ('problem' in n) {
            notUnderstood.push({ key: `location at ${[l.fields.HouseNumber, l.fields.StreetName, l.fields.City].filter(Boolean).join(' ')}`, message: n.problem });
            continue;
          }
          if (store.getAddress(account, profile, n.addressKey) === undefined) {
            store.putAddress({
              account,
              profile,
              addressKey: n.addressKey,
              outcome: 'imported',
              addressId: '',
              std: toApi(n.address) as Record<string, string>,
              stdText: formatDlrAddress(n.address),
              adjustments: '',
              errorCode: '',
              errorMessage: '',
            });
          }
          locations++;
          continue;
        }
        const mine = store.getLocation(account, l.id);
        if (!settings.full && mine?.status === 'provisioned' && mine.source !== 'import') continue;
        const n = normalizeDlrAddress(l.fields);
        if ('problem' in n) {
          notUnderstood.push({ key: `location ${l.id}`, message: n.problem });
          // Known by id, never equal by content: a row naming it sends the location again.
          store.putLocation({ account, locationId: l.id, addressKey: '', contentHash: '', status: 'provisioned', orderId: '', errorCode: '', errorMessage: '', source: 'import' });
          continue;
        }
        const std = toApi(n.address);
        store.putLocation({ account, locationId: l.id, addressKey: n.addressKey, contentHash: hashOf(std), status: 'provisioned', orderId: '', errorCode: '', errorMessage: '', source: 'import' });
        // The account's address stands for a geocode: rows at this address are not geocoded again.
        if (store.getAddress(account, profile, n.addressKey) === undefined) {
          store.putAddress({
            account,
            profile,
            addressKey: n.addressKey,
            outcome: 'imported',
            addressId: '',
            std: std as Record<string, string>,
            stdText: formatDlrAddress(n.address),
            adjustments: '',
            errorCode: '',
            errorMessage: '',
          });
        }
        locations++;
      }
    }
    const atAddress = profile === 'dlr' ? store.adoptedLocations(account) : new Map<string, string>();
    const listed = new Set<string>();
    for (const e of contents.endpoints) {
      listed.add(e.key);
      if (ownProvisioned(e.key)) {
        kept++;
        continue;
      }
      const n = normalize(profile, e.fields, atAddress);
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
        notUnderstood.push({ key: e.key, message: n.problem });
      } else {
        const row = n.row;
        record.contentHash = n.hash;
        if (row.profile === 'dlr' && record.addressRef === '' && atAddress.has(row.addressKey)) record.addressRef = row.locationId;
        record.stdText = row.profile === 'dlr' ? formatDlrAddress(row.address) : formatUnifiedAddress(row.address);
        if (row.profile === 'unified' && store.getAddress(account, profile, row.addressKey) === undefined) {
          store.putAddress({
            account,
            profile,
            addressKey: row.addressKey,
            outcome: 'imported',
            addressId: e.ref,
            std: {},
            stdText: record.stdText,
            adjustments: '',
            errorCode: '',
            errorMessage: '',
          });
          locations++;
        }
      }
      store.putEndpoint(record);
      adopted++;
    }
    for (const p of contents.unreadable) listed.add(p.key);
    for (const e of known.values()) {
      if (e.status !== 'provisioned' || listed.has(e.endpointKey)) continue;
      store.putEndpoint({ ...e, status: 'deleted', contentHash: '', orderId: '', errorCode: '', errorMessage: '' });
      markedDeleted++;
    }
  });
  return { listed: contents.endpoints.length + contents.unreadable.length, adopted, kept, markedDeleted, locations, notUnderstood, unreadable: contents.unreadable };
}
