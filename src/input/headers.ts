// Which column holds which canonical field: header names are matched case-insensitively, ignoring
// spaces, "_", "-" and "."; common aliases are known; a --mapping file overrides.

import { profileOf } from '../profiles/index.js';
import type { Profile } from '../rules/types.js';
import { UNIT_DESIGNATORS } from '../rules/abbreviations.js';
import { DLR_ADDRESS_CELLS } from '../rules/dlr-fields.js';
import { InputError } from './errors.js';

export const DLR_FIELDS = ['Identifier', 'CallbackNumber', 'CallerName', 'PreferredLanguage', 'LocationId', ...DLR_ADDRESS_CELLS, 'Action'] as const;

export const UNIFIED_FIELDS = [
  'PhoneNumber',
  'CallerName',
  'Lang',
  'Country',
  'AddressLine1',
  'AddressLine2',
  'City',
  'PostalCode',
  'CompanyName',
  'CustomerType',
  'FriendlyName',
  'Service',
  'AddressId',
  'Action',
] as const;

export const FIELDS: Record<Profile, readonly string[]> = { dlr: DLR_FIELDS, unified: UNIFIED_FIELDS };

const ALIASES: Record<Profile, Record<string, string>> = {
  dlr: {
    aeui: 'Identifier',
    alternateenduseridentifier: 'Identifier',
    endpointidentifier: 'Identifier',
    endpointid: 'Identifier',
    callback: 'CallbackNumber',
    callbacktn: 'CallbackNumber',
    phone: 'CallbackNumber',
    phonenumber: 'CallbackNumber',
    tn: 'CallbackNumber',
    telephonenumber: 'CallbackNumber',
    callbackphone: 'CallbackNumber',
    name: 'CallerName',
    displayname: 'CallerName',
    cnam: 'CallerName',
    language: 'PreferredLanguage',
    lang: 'PreferredLanguage',
    location: 'LocationId',
    geolocationid: 'LocationId',
    locid: 'LocationId',
    numberprefix: 'HousePrefix',
    numbersuffix: 'HouseSuffix',
    streetnumber: 'HouseNumber',
    housenum: 'HouseNumber',
    predir: 'PreDirectional',
    predirection: 'PreDirectional',
    postdir: 'PostDirectional',
    postdirection: 'PostDirectional',
    street: 'StreetName',
    suffix: 'StreetSuffix',
    streettype: 'StreetSuffix',
    address: 'AddressLine1',
    address1: 'AddressLine1',
    streetaddress: 'AddressLine1',
    addr1: 'AddressLine1',
    line1: 'AddressLine1',
    address2: 'AddressLine2',
    addr2: 'AddressLine2',
    line2: 'AddressLine2',
    town: 'City',
    municipality: 'City',
    locality: 'City',
    state: 'StateCode',
    province: 'StateCode',
    provincecode: 'StateCode',
    stateprovince: 'StateCode',
    st: 'StateCode',
    zipcode: 'Zip',
    postalcode: 'Zip',
    postcode: 'Zip',
    zip5: 'Zip',
    postal: 'Zip',
    zip4: 'PlusFour',
    zipplus4: 'PlusFour',
    plus4: 'PlusFour',
    countrycode: 'Country',
    operation: 'Action',
  },
  unified: {
    phone: 'PhoneNumber',
    tn: 'PhoneNumber',
    telephonenumber: 'PhoneNumber',
    number: 'PhoneNumber',
    e164: 'PhoneNumber',
    did: 'PhoneNumber',
    name: 'CallerName',
    displayname: 'CallerName',
    language: 'Lang',
    preferredlanguage: 'Lang',
    countrycode: 'Country',
    address: 'AddressLine1',
    address1: 'AddressLine1',
    street: 'AddressLine1',
    streetaddress: 'AddressLine1',
    line1: 'AddressLine1',
    address2: 'AddressLine2',
    line2: 'AddressLine2',
    town: 'City',
    municipality: 'City',
    locality: 'City',
    zip: 'PostalCode',
    zipcode: 'PostalCode',
    postcode: 'PostalCode',
    postal: 'PostalCode',
    company: 'CompanyName',
    type: 'CustomerType',
    friendly: 'FriendlyName',
    description: 'FriendlyName',
    operation: 'Action',
  },
};

export const headerKey = (name: string): string => name.toLowerCase().replace(/[\s_.-]/g, '');

/** Control characters and line or direction marks, which would break a message or the terminal. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A header cell (or sheet name) as a message shows it: each unprintable character as \xNN or \uNNNN. */
export function shown(text: string): string {
  const safe = text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return safe.length > 80 ? `${safe.slice(0, 79)}…` : safe;
}

/**
 * A column that feeds AddressLine2: the canonical column or an alias ("Address 2"), or a column that
 * names a unit ("Suite", "Floor"), whose bare values take the header's word ("12" under Floor → "Floor 12").
 */
export interface Line2Column {
  readonly index: number;
  /** The unit word a bare value takes, as the header says it; undefined for an AddressLine2 column. */
  readonly unit?: string;
}

export interface ColumnMap {
  /** The canonical field each input column holds, or undefined for a column esprov does not use. */
  readonly fieldOf: readonly (string | undefined)[];
  readonly has: (field: string) => boolean;
  /** The columns joined, in header order, into AddressLine2 (SPEC §3: a floor or suite is never dropped). */
  readonly line2: readonly Line2Column[];
}

/**
 * Header keys that name a unit (SPEC §3). "Suite #", "Floor Number", "Apt No" name one too: a trailing
 * #, no, nbr, num or number is ignored. Their cells feed AddressLine2.
 */
const UNIT_HEADERS = new Set([
  'suite',
  'ste',
  'unit',
  'apt',
  'apartment',
  'floor',
  'fl',
  'flr',
  'room',
  'rm',
  'building',
  'bldg',
  'lot',
  'space',
  'spc',
  'trailer',
  'hangar',
  'pier',
  'slip',
  'penthouse',
]);
// Not "Department" or "Office": in a phone-system export they name an org unit ("Finance", "Raleigh HQ"),
// not a door; such columns are named as unused, and --mapping sends one to AddressLine2 when it is meant.
/** Header keys of a second address line that carries its own words ("Address 2", "Street 2"). */
const LINE2_HEADERS = new Set(['address2', 'addressline2', 'addr2', 'line2', 'street2', 'streetaddress2', 'streetline2', 'address2line']);

/** The unit word of a header that names a unit ("Suite #" → "Suite"), or undefined. */
function unitWord(header: string): string | undefined {
  const key = headerKey(header).replace(/(#|no|nbr|num|number)$/, '');
  if (!UNIT_HEADERS.has(key)) return undefined;
  return header
    .trim()
    .replace(/[\s_.-]*(#|no\.?|nbr|num|number)$/i, '')
    .trim();
}

export function mapColumns(header: readonly string[], profile: Profile, mapping: Readonly<Record<string, string>> = {}): ColumnMap {
  const fields = FIELDS[profile];
  const canonical = new Map(fields.map((f) => [headerKey(f), f] as const));
  const override = new Map<string, string>();
  for (const [from, to] of Object.entries(mapping)) {
    const field = canonical.get(headerKey(to));
    if (field === undefined) {
      throw new InputError('MAPPING_INVALID', `The mapping sends "${shown(from)}" to "${shown(to)}", which is not a ${profile} field; the fields are: ${fields.join(', ')}.`);
    }
    override.set(headerKey(from), field);
  }
  const line2: Line2Column[] = [];
  const fieldOf = header.map((h, index) => {
    const key = headerKey(h);
    const field = override.get(key) ?? canonical.get(key) ?? ALIASES[profile][key];
    if (field === 'AddressLine2' || (field === undefined && LINE2_HEADERS.has(key))) {
      line2.push({ index });
      return 'AddressLine2';
    }
    if (field !== undefined) return field;
    const unit = unitWord(h);
    if (unit === undefined) return undefined;
    line2.push({ index, unit });
    return 'AddressLine2';
  });
  const firstColumn = new Map<string, number>();
  fieldOf.forEach((field, i) => {
    // Several AddressLine2 columns are joined, not a conflict.
    if (field === undefined || field === 'AddressLine2') return;
    const earlier = firstColumn.get(field);
    if (earlier !== undefined) {
      throw new InputError('HEADER_DUPLICATE', `Columns "${shown(header[earlier] ?? '')}" and "${shown(header[i] ?? '')}" both hold ${field}: remove one, or map one elsewhere with --mapping.`);
    }
    firstColumn.set(field, i);
  });
  const has = (field: string): boolean => firstColumn.has(field);
  requireColumns(header, profile, has);
  return { fieldOf, has: (field) => has(field) || (field === 'AddressLine2' && line2.length > 0), line2 };
}

function requireColumns(header: readonly string[], profile: Profile, has: (f: string) => boolean): void {
  const missing = profileOf(profile).missingColumns(has);
  if (missing.length > 0) {
    throw new InputError('HEADER_MISSING_FIELD', `The input has no column for ${missing.join(', ')} (its columns are: ${header.map(shown).join(', ')}). Rename the column or map it with --mapping.`);
  }
}

/** A record's cells as canonical field → text. */
/** The input column that holds the row's key (the profile's key field), or -1. */
export const keyColumn = (map: ColumnMap, profile: Profile): number => map.fieldOf.indexOf(profileOf(profile).keyField);

export function fieldValues(cells: readonly string[], map: ColumnMap): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < map.fieldOf.length; i++) {
    const field = map.fieldOf[i];
    if (field !== undefined && field !== 'AddressLine2') values[field] = cells[i] ?? '';
  }
  if (map.line2.length > 0) values.AddressLine2 = joinLine2(cells, map.line2);
  return values;
}

const PLACEHOLDER = /^(-+|n\/?a|none|null)$/i;

/** A value that already says its unit type ("Suite 1200", "FL 12") keeps its words. */
const SAYS_UNIT = new RegExp(`(^|\\s)(${[...Object.keys(UNIT_DESIGNATORS), ...Object.values(UNIT_DESIGNATORS), 'STE', 'FLR'].join('|')})\\.?(\\s|$)`, 'i');

/**
 * AddressLine2 from its columns, in header order: each non-empty cell once; a value under a unit
 * header that does not say its type takes the header's word ("12" or "12th" under Floor → "Floor 12").
 */
export function joinLine2(cells: readonly string[], columns: readonly Line2Column[]): string {
  if (columns.length === 1 && columns[0]!.unit === undefined) return cells[columns[0]!.index] ?? '';
  const parts: string[] = [];
  for (const column of columns) {
    let value = (cells[column.index] ?? '').trim();
    if (column.unit !== undefined) value = value.replace(/^#\s*/, '');
    // A placeholder says there is no unit: "-" or "n/a" under Floor is not floor "-".
    if (value === '' || PLACEHOLDER.test(value)) continue;
    if (column.unit !== undefined && !SAYS_UNIT.test(value)) value = `${column.unit} ${value.replace(/^(\d+)(st|nd|rd|th)$/i, '$1')}`;
    if (!parts.some((p) => p.toUpperCase() === value.toUpperCase())) parts.push(value);
  }
  return parts.join(' ');
}

/** The columns esprov does not read, by their header (or their position when it has none). */
export function unusedColumns(header: readonly string[], map: ColumnMap): string[] {
  const unused: string[] = [];
  map.fieldOf.forEach((field, i) => {
    if (field === undefined) unused.push(shown(header[i]?.trim() || `column ${i + 1} (no header)`));
  });
  return unused;
}

/**
 * What a user must hear about the columns before any row: the columns joined into AddressLine2
 * and the ones esprov does not read (SPEC §3: named once per run on standard error).
 */
export function columnNotes(header: readonly string[], map: ColumnMap): string[] {
  const notes: string[] = [];
  const names = (indexes: readonly number[]): string => indexes.map((i) => `"${shown(header[i]?.trim() || `column ${i + 1}`)}"`).join(', ');
  if (map.line2.some((c) => c.unit !== undefined) || map.line2.length > 1) {
    notes.push(`columns: AddressLine2 is made of ${names(map.line2.map((c) => c.index))}${map.line2.length > 1 ? ', joined in this order' : ''}.`);
  }
  const unused = unusedColumns(header, map);
  if (unused.length > 0) {
    notes.push(`columns not used (kept as they are in the result; map one with --mapping if it holds a field): ${unused.map((u) => `"${u}"`).join(', ')}.`);
  }
  return notes;
}

/** Which input column feeds which field, one line each: the header report of `check --columns`. */
export function describeColumns(header: readonly string[], map: ColumnMap): string[] {
  return header.map((h, i) => {
    const name = `"${shown(h.trim() || `column ${i + 1}`)}"`;
    const field = map.fieldOf[i];
    if (field === undefined) return `  ${name} → not used (kept as it is in the result)`;
    const unit = map.line2.find((c) => c.index === i)?.unit;
    const joined = field === 'AddressLine2' && map.line2.length > 1 ? ', joined with the other AddressLine2 columns in this order' : '';
    return `  ${name} → ${field}${unit !== undefined ? ` (a value without a unit type becomes "${unit} <value>")` : ''}${joined}`;
  });
}
