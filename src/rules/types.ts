// The shapes the rules produce: a normalized row ready to send, or the problems that stop it.

import type { Problem } from './codes.js';

export type Profile = 'dlr' | 'unified';
export type RowAction = 'ADD' | 'DELETE';

/** A record as read from the input: canonical field name → cell text (absent column: undefined). */
export type FieldValues = Readonly<Record<string, string | undefined>>;

/** A DLR address in the API's element names, normalized (upper case, abbreviated). */
export interface DlrAddress {
  readonly HousePrefix: string;
  readonly HouseNumber: string;
  readonly HouseSuffix: string;
  readonly PreDirectional: string;
  readonly StreetName: string;
  readonly StreetSuffix: string;
  readonly PostDirectional: string;
  /** Set when the row gave a whole street line instead of its parts. */
  readonly AddressLine1: string;
  readonly AddressLine2: string;
  readonly City: string;
  readonly StateCode: string;
  readonly Zip: string;
  readonly PlusFour: string;
  readonly County: string;
  readonly Country: 'US' | 'CA';
}

export interface DlrRow {
  readonly profile: 'dlr';
  readonly action: RowAction;
  readonly identifier: string;
  readonly callbackNumber: string;
  readonly callerName: string;
  readonly preferredLanguage: 'en' | 'fr';
  readonly locationId: string;
  /** True when the row gave no LocationId and esprov derived it from the address. */
  readonly locationIdDerived: boolean;
  readonly address: DlrAddress;
  /** One key per distinct address: "Suite 500" and "STE 500" at the same street are one key. */
  readonly addressKey: string;
}

export interface UnifiedAddress {
  readonly addressLine1: string;
  readonly addressLine2: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
  readonly companyName: string;
  readonly customerType: 'BUS' | 'RES';
  readonly friendlyName: string;
  readonly service: string;
}

export interface UnifiedRow {
  readonly profile: 'unified';
  readonly action: RowAction;
  readonly phoneNumber: string;
  readonly callerName: string;
  readonly lang: string;
  readonly country: string;
  /** An existing address ID to reuse; empty when the address is given by its fields. */
  readonly addressId: string;
  readonly address: UnifiedAddress;
  readonly addressKey: string;
}

export type NormalizedRow = DlrRow | UnifiedRow;

export type RuleResult<T> =
  | { readonly ok: true; readonly row: T; readonly warnings: readonly Problem[] }
  | { readonly ok: false; readonly errors: readonly Problem[]; readonly warnings: readonly Problem[] };
