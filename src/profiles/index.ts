// What differs between the two APIs outside their calls, in one place each (dlr.ts, unified.ts):
// which field names an endpoint, what its content hash is made of, how its address reads, which
// columns an input needs, what the account's address records are called. Pure: no call, no store
// write; the unified rules (libphonenumber, country names) load only when a unified file is read.
// The calls each API makes are in calls.ts.

import type { Held } from '../rules/dlr.js';
import type { Problem } from '../rules/codes.js';
import type { FieldValues, NormalizedRow, Profile, RuleResult } from '../rules/types.js';
import { dlrRules } from './dlr.js';
import { unifiedRules } from './unified.js';

/** A row through a profile's rules. */
export type Normalize<R> = (values: FieldValues) => RuleResult<R>;

/** A record the account lists, through the rules: the row and the content hash to store, or why the rules refuse it. */
export type Adopted<R> = { readonly row: R; readonly hash: string } | { readonly problem: string };

export interface ProfileRules<R extends NormalizedRow = NormalizedRow> {
  readonly name: Profile;
  /** The canonical column that names an endpoint. */
  readonly keyField: 'Identifier' | 'PhoneNumber';
  /** What the account's address records are called (dlr: its location pool). */
  readonly poolWord: 'locations' | 'addresses';
  /** Whether the state store keeps the account's address records as a location pool of their own (dlr). */
  readonly locationPool: boolean;
  /** The result column of the row's address record. */
  readonly refColumn: 'result_location_id' | 'result_address_id';
  /** The API root under the sandbox's URL. */
  readonly sandboxRoot: '/api' | '/api/v2';
  /** Whether asking the API about an address creates a record on the account (unified). */
  readonly validationCreates: boolean;
  /** Fields the account does not report: an export takes them from the state store. */
  readonly unreportedFields: readonly string[];
  /** The columns an export writes; `optionalExportColumns` only when some endpoint has them. */
  readonly exportColumns: readonly string[];
  readonly optionalExportColumns: readonly string[];

  /** The endpoint the row names (dlr: Identifier; unified: phone number). */
  endpointKey(row: R): string;
  /** The content that, when unchanged, means the endpoint needs nothing sent. */
  contentHash(row: R): string;
  /** Whether the row holds what `hash` was made of. */
  sameContent(row: R, hash: string): boolean;
  /** The row's address on one line (not for a DELETE row). */
  formatAddress(row: R): string;
  /** The address record a checked row names ('' when none). */
  addressRef(row: R): string;
  /** Whether the API is asked about the row's address. */
  asksAddress(row: R): boolean;
  /** The problem of a row whose key an earlier row has. */
  duplicate(params: Readonly<Record<string, string | number>>): Problem;
  /** The LocationId an ADD row names itself, with its address key (dlr); undefined when it names none. */
  namedLocation(row: R): { readonly id: string; readonly addressKey: string } | undefined;
  /** The fields an input without them cannot be read with (`has`: whether a column holds the field). */
  missingColumns(has: (field: string) => boolean): string[];
  /** Another form of a key as an input cell gives it that names the same endpoint (unified: the phone number in E.164). */
  keyForm(): Promise<(raw: string) => string | undefined>;
  /** The profile's rules (`held`: what the account holds, accepted in the API's wider form). */
  normalizer(held: Held): Promise<Normalize<R>>;
  /** A record the account lists as a stored endpoint (`atAddress`: the account's named location at an address key). */
  adopted(normalize: Normalize<R>, fields: Readonly<Record<string, string>>, atAddress: ReadonlyMap<string, string>): Adopted<R>;
  /** An exported record's fields as a run should read them. */
  exportedFields(fields: Readonly<Record<string, string>>): Readonly<Record<string, string>>;
}

const RULES: Readonly<Record<Profile, ProfileRules>> = { dlr: dlrRules, unified: unifiedRules };

/** The rules of a profile. */
export const profileOf = (name: Profile): ProfileRules => RULES[name];

/** The rules of a row's own profile. */
export const rulesOf = (row: NormalizedRow): ProfileRules => RULES[row.profile];

/** The rules of a profile name read from a file (the state store), or undefined when esprov has no such profile. */
export const knownProfile = (name: string): ProfileRules | undefined => (Object.hasOwn(RULES, name) ? RULES[name as Profile] : undefined);
