// Planning an update against the fields esprov provisioned: what the row would send, worked out
// without a call (the address as the geocoder standardized it when the store knows that address;
// as the row gives it otherwise: a row that names exactly the provisioned address needs no
// geocode), compared field by field with what the store recorded.

import { DLR_ADDRESS_FIELDS, changedFields, dlrSentFields, unifiedChanges, unifiedSentFields, type SentFields } from '../rules/changes.js';
import type { DlrAddress as ApiAddress } from '../api/index.js';
import type { DlrRow, NormalizedRow, Profile, UnifiedRow } from '../rules/types.js';
import type { AddressRecord, EndpointRecord, StateStore } from '../state/store.js';
import { addressParts, provisionedAddress } from './dlr.js';
import { derivedAddressId } from './unified.js';

export interface Changes {
  /**
   * dlr: a row without a LocationId whose address is the one its endpoint's location was
   * provisioned with (an export gives the geocoder's form, "904 E ANSON ST", of the address a
   * customer wrote "904 E Ansun Str") keeps that location: esprov would otherwise derive another
   * id from the other spelling and put a twin location at the same address.
   */
  location(row: NormalizedRow, known: EndpointRecord | undefined): NormalizedRow;
  /** The changed fields of a provisioned endpoint's row ([] when none), or undefined when its provisioned fields are not known. */
  changed(row: NormalizedRow, known: EndpointRecord): string[] | undefined;
  /**
   * The fields of a row UNCHANGED by its content hash whose endpoint's fields the store does not
   * have (written by an older esprov, or adopted by import-state): equal content, so what this
   * row would send is what was provisioned. Undefined when that cannot be worked out offline
   * (dlr: its address never looked up).
   */
  learned(row: NormalizedRow, known: EndpointRecord): SentFields | undefined;
}

export function changeCheck(store: StateStore, account: string, profile: Profile): Changes {
  return CHANGES[profile](store, account);
}

/** The store's record of an address, when it can stand for the geocoder's answer. */
const usable = (record: AddressRecord | undefined): AddressRecord | undefined => (record !== undefined && record.outcome !== 'invalid' ? record : undefined);

function dlrChangeCheck(store: StateStore, account: string): Changes {
  const sentAddress = (row: DlrRow): ApiAddress => provisionedAddress(row, usable(store.getAddress(account, 'dlr', row.addressKey)));
  return {
    location(row: DlrRow, known) {
      if (!row.locationIdDerived || row.action !== 'ADD' || known?.status !== 'provisioned' || known.addressRef === row.locationId) return row;
      const old = store.endpointFields(account, 'dlr', known.endpointKey);
      if (old === undefined) return row;
      const address = addressParts(sentAddress(row));
      if (!DLR_ADDRESS_FIELDS.every((f) => (old[f] ?? '') === address[f])) return row;
      // Only while that location is provisioned.
      if (store.getLocation(account, known.addressRef)?.status !== 'provisioned') return row;
      return { ...row, locationId: known.addressRef };
    },
    changed(row: DlrRow, known) {
      const old: SentFields | undefined = store.endpointFields(account, 'dlr', known.endpointKey);
      if (old === undefined) return undefined;
      return changedFields(old, dlrSentFields(row, addressParts(sentAddress(row))));
    },
    learned(row: DlrRow) {
      const record = usable(store.getAddress(account, 'dlr', row.addressKey));
      if (record === undefined) return undefined;
      return dlrSentFields(row, addressParts(provisionedAddress(row, record)));
    },
  };
}

function unifiedChangeCheck(store: StateStore, account: string): Changes {
  return {
    location: (row) => row,
    changed(row: UnifiedRow, known) {
      const old: SentFields | undefined = store.endpointFields(account, 'unified', known.endpointKey);
      if (old === undefined) return undefined;
      const addressId = row.addressId || store.getAddress(account, 'unified', row.addressKey)?.addressId || derivedAddressId(row.addressKey);
      return unifiedChanges(old, unifiedSentFields(row, addressId));
    },
    learned: (row: UnifiedRow, known) => unifiedSentFields(row, known.addressRef),
  };
}

/** What differs between the APIs in what a row would send: dlr sends the address as geocoded, unified an address ID. */
const CHANGES: Readonly<Record<Profile, (store: StateStore, account: string) => Changes>> = { dlr: dlrChangeCheck, unified: unifiedChangeCheck };
