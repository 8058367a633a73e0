// Planning against records import-state adopted from the account: a customer's row that says what
// the account already holds is UNCHANGED, not sent again.

import type { DlrRow, NormalizedRow, Profile } from '../rules/types.js';
import type { EndpointRecord, StateStore } from '../state/store.js';
import { sameContent } from './plan.js';

export interface Adoption {
  /**
   * dlr: a row without a LocationId (esprov would derive one from its address) at an address where
   * the account has an adopted location joins that location, unless esprov already provisioned the
   * derived one: one address, one location, and nothing moved between runs.
   */
  location(row: NormalizedRow): NormalizedRow;
  /**
   * An adopted endpoint whose hash differs only because the row leaves out what the account
   * added (dlr: the PlusFour and County the geocoder filled in) is the same endpoint.
   */
  sameAsImported(row: NormalizedRow, known: EndpointRecord): boolean;
}

export function adoptRow(store: StateStore, account: string, profile: Profile): Adoption {
  return ADOPTION[profile](store, account);
}

function dlrAdoption(store: StateStore, account: string): Adoption {
  const adopted = store.adoptedLocations(account);
  const joined = new Map<string, string | null>();
  const joinedId = (row: DlrRow): string | null => {
    let id = joined.get(row.addressKey);
    if (id === undefined) {
      const candidate = adopted.get(row.addressKey);
      const own = store.getLocation(account, row.locationId);
      id = candidate !== undefined && own?.status !== 'provisioned' ? candidate : null;
      joined.set(row.addressKey, id);
    }
    return id;
  };
  return {
    location(row: DlrRow) {
      if (!row.locationIdDerived || row.action !== 'ADD' || adopted.size === 0) return row;
      const id = joinedId(row);
      return id === null ? row : { ...row, locationId: id };
    },
    sameAsImported(row: DlrRow, known) {
      if (known.source !== 'import' || known.contentHash === '') return false;
      // A LocationId esprov derived from this row's address names the account's location of it, as
      // the geocoder standardized it ("904 E Ansun Str" provisioned as 904 E ANSON ST).
      const location = row.locationIdDerived ? store.getLocation(account, row.locationId) : undefined;
      const addressKey = location?.source === 'import' && location.addressKey !== '' ? location.addressKey : row.addressKey;
      if (addressKey === row.addressKey && row.address.PlusFour !== '' && row.address.County !== '') return false;
      const std = store.getAddress(account, 'dlr', addressKey);
      if (std === undefined) return false;
      const filled: DlrRow = {
        ...row,
        addressKey,
        address: {
          ...row.address,
          PlusFour: row.address.PlusFour || (std.std.plusFour ?? ''),
          County: row.address.County || (std.std.county ?? ''),
        },
      };
      return sameContent(filled, known.contentHash);
    },
  };
}

/** unified: the account's addresses are bound by ID, and what an adopted endpoint holds is its content. */
const unifiedAdoption = (): Adoption => ({ location: (row) => row, sameAsImported: () => false });

const ADOPTION: Readonly<Record<Profile, (store: StateStore, account: string) => Adoption>> = { dlr: dlrAdoption, unified: unifiedAdoption };
