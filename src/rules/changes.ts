// What an update changes (pure): the fields esprov sends for an endpoint, by the names a person
// reads in the input, and the ones that differ from what was provisioned, old → new.

import { DLR_LOCATION_PARTS } from './dlr-fields.js';
import type { DlrAddress, DlrRow, UnifiedRow } from './types.js';

export type SentFields = Readonly<Record<string, string>>;

/** The parts of a dlr address a location order carries, in the template's order. */
export const DLR_ADDRESS_FIELDS = DLR_LOCATION_PARTS satisfies readonly (keyof DlrAddress)[];

export type DlrAddressParts = Readonly<Record<(typeof DLR_ADDRESS_FIELDS)[number], string>>;

/** dlr: the endpoint's fields and the address its location is provisioned with (as sent: standardized). */
export function dlrSentFields(row: DlrRow, address: DlrAddressParts): SentFields {
  const fields: Record<string, string> = {
    CallbackNumber: row.callbackNumber,
    CallerName: row.callerName,
    PreferredLanguage: row.preferredLanguage,
    LocationId: row.locationId,
  };
  for (const f of DLR_ADDRESS_FIELDS) fields[f] = address[f];
  return fields;
}

/**
 * unified: the endpoint's fields and its address ID; the address's own fields too when the row
 * gives them (a row naming an AddressId has none). The address is the API's by its ID: the same
 * address written another way ("2719 EG", "2719eg") is the same ID and nothing is sent.
 */
export function unifiedSentFields(row: UnifiedRow, addressId: string): SentFields {
  const fields: Record<string, string> = { CallerName: row.callerName, Lang: row.lang, Country: row.country, AddressId: addressId };
  if (row.addressId !== '') return fields;
  const a = row.address;
  return {
    ...fields,
    AddressLine1: a.addressLine1,
    AddressLine2: a.addressLine2,
    City: a.city,
    PostalCode: a.postalCode,
    CompanyName: a.companyName,
    CustomerType: a.customerType,
    FriendlyName: a.friendlyName,
    Service: a.service,
  };
}

/** Fields that decide whether a unified endpoint changed (the address by its ID). */
export const UNIFIED_COMPARED = ['CallerName', 'Lang', 'Country', 'AddressId'] as const;

/** `Field: "old" → "new"` for each of `compared` whose value differs (an unknown old value is ""). */
export function changedFields(old: SentFields, next: SentFields, compared: readonly string[] = Object.keys(next)): string[] {
  const changes: string[] = [];
  for (const f of compared) {
    const was = old[f] ?? '';
    const now = next[f] ?? '';
    if (was !== now) changes.push(`${f}: "${was}" → "${now}"`);
  }
  return changes;
}

/** unified: the changed fields, with the address's own fields (not its opaque ID) when it moved. */
export function unifiedChanges(old: SentFields, next: SentFields): string[] {
  const changes = changedFields(old, next, UNIFIED_COMPARED);
  if (old.AddressId === next.AddressId || old.AddressLine1 === undefined || next.AddressLine1 === undefined) return changes;
  const addressFields = Object.keys(next).filter((f) => !(UNIFIED_COMPARED as readonly string[]).includes(f));
  return [...changes.filter((c) => !c.startsWith('AddressId:')), ...changedFields(old, next, addressFields), ...changes.filter((c) => c.startsWith('AddressId:'))];
}

/** An UPDATE of an endpoint whose provisioned fields are not known. */
export const FIELDS_UNKNOWN = 'fields not known (provisioned by an earlier esprov version or adopted by import-state): every field is sent';

export const changesText = (changes: readonly string[]): string => changes.join('; ');
