// Which column holds which canonical field: header names are matched case-insensitively, ignoring
// spaces, "_", "-" and "."; common aliases are known; a --mapping file overrides.

import type { Profile } from '../rules/types.js';
import { InputError } from './errors.js';

export const DLR_FIELDS = [
  'Identifier', 'CallbackNumber', 'CallerName', 'PreferredLanguage', 'LocationId', 'HousePrefix',
  'HouseNumber', 'HouseSuffix', 'PreDirectional', 'StreetName', 'StreetSuffix', 'PostDirectional',
  'AddressLine1', 'AddressLine2', 'City', 'StateCode', 'Zip', 'PlusFour', 'County', 'Country', 'Action',
] as const;

export const UNIFIED_FIELDS = [
  'PhoneNumber', 'CallerName', 'Lang', 'Country', 'AddressLine1', 'AddressLine2', 'City', 'PostalCode',
  'CompanyName', 'CustomerType', 'FriendlyName', 'Service', 'AddressId', 'Action',
] as const;

export const FIELDS: Record<Profile, readonly string[]> = { dlr: DLR_FIELDS, unified: UNIFIED_FIELDS };

const ALIASES: Record<Profile, Record<string, string>> = {
  dlr: {
    aeui: 'Identifier', alternateenduseridentifier: 'Identifier', endpointidentifier: 'Identifier', endpointid: 'Identifier',
    callback: 'CallbackNumber', callbacktn: 'CallbackNumber', phone: 'CallbackNumber', phonenumber: 'CallbackNumber',
    tn: 'CallbackNumber', telephonenumber: 'CallbackNumber', callbackphone: 'CallbackNumber',
    name: 'CallerName', displayname: 'CallerName', cnam: 'CallerName',
    language: 'PreferredLanguage', lang: 'PreferredLanguage',
    location: 'LocationId', geolocationid: 'LocationId', locid: 'LocationId',
    numberprefix: 'HousePrefix', numbersuffix: 'HouseSuffix', streetnumber: 'HouseNumber', housenum: 'HouseNumber',
    predir: 'PreDirectional', predirection: 'PreDirectional', postdir: 'PostDirectional', postdirection: 'PostDirectional',
    street: 'StreetName', suffix: 'StreetSuffix', streettype: 'StreetSuffix',
    address: 'AddressLine1', address1: 'AddressLine1', streetaddress: 'AddressLine1', addr1: 'AddressLine1', line1: 'AddressLine1',
    address2: 'AddressLine2', addr2: 'AddressLine2', line2: 'AddressLine2',
    town: 'City', municipality: 'City', locality: 'City',
    state: 'StateCode', province: 'StateCode', provincecode: 'StateCode', stateprovince: 'StateCode', st: 'StateCode',
    zipcode: 'Zip', postalcode: 'Zip', postcode: 'Zip', zip5: 'Zip', postal: 'Zip',
    zip4: 'PlusFour', zipplus4: 'PlusFour', plus4: 'PlusFour',
    countrycode: 'Country', operation: 'Action',
  },
  unified: {
    phone: 'PhoneNumber', tn: 'PhoneNumber', telephonenumber: 'PhoneNumber', number: 'PhoneNumber', e164: 'PhoneNumber', did: 'PhoneNumber',
    name: 'CallerName', displayname: 'CallerName',
    language: 'Lang', preferredlanguage: 'Lang',
    countrycode: 'Country',
    address: 'AddressLine1', address1: 'AddressLine1', street: 'AddressLine1', streetaddress: 'AddressLine1', line1: 'AddressLine1',
    address2: 'AddressLine2', line2: 'AddressLine2',
    town: 'City', municipality: 'City', locality: 'City',
    zip: 'PostalCode', zipcode: 'PostalCode', postcode: 'PostalCode', postal: 'PostalCode',
    company: 'CompanyName', type: 'CustomerType', friendly: 'FriendlyName', description: 'FriendlyName',
    operation: 'Action',
  },
};

export const headerKey = (name: string): string => name.toLowerCase().replace(/[\s_.\-]/g, '');

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

export interface ColumnMap {
  /** The canonical field each input column holds, or undefined for a column esprov does not use. */
  readonly fieldOf: readonly (string | undefined)[];
  readonly has: (field: string) => boolean;
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
  const fieldOf = header.map((h) => {
    const key = headerKey(h);
    return override.get(key) ?? canonical.get(key) ?? ALIASES[profile][key];
  });
  const firstColumn = new Map<string, number>();
  fieldOf.forEach((field, i) => {
    if (field === undefined) return;
    const earlier = firstColumn.get(field);
    if (earlier !== undefined) {
      throw new InputError('HEADER_DUPLICATE', `Columns "${shown(header[earlier] ?? '')}" and "${shown(header[i] ?? '')}" both hold ${field}: remove one, or map one elsewhere with --mapping.`);
    }
    firstColumn.set(field, i);
  });
  const has = (field: string): boolean => firstColumn.has(field);
  requireColumns(header, profile, has);
  return { fieldOf, has };
}

function requireColumns(header: readonly string[], profile: Profile, has: (f: string) => boolean): void {
  const missing: string[] = [];
  const need = (field: string): void => { if (!has(field)) missing.push(field); };
  if (profile === 'dlr') {
    need('Identifier');
    if (!has('Action')) {
      // A delete-only file (Identifier, Action) needs no address; every other file does.
      ['CallbackNumber', 'CallerName', 'City', 'StateCode', 'Zip'].forEach(need);
      if (!has('AddressLine1') && !(has('HouseNumber') && has('StreetName'))) missing.push('HouseNumber and StreetName (or AddressLine1)');
    }
  } else {
    need('PhoneNumber');
    if (!has('Action')) {
      need('CallerName');
      need('Country');
      if (!has('AddressId')) ['AddressLine1', 'City', 'PostalCode'].forEach(need);
    }
  }
  if (missing.length > 0) {
    throw new InputError(
      'HEADER_MISSING_FIELD',
      `The input has no column for ${missing.join(', ')} (its columns are: ${header.map(shown).join(', ')}). Rename the column or map it with --mapping.`,
    );
  }
}

/** A record's cells as canonical field → text. */
export function fieldValues(cells: readonly string[], map: ColumnMap): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < map.fieldOf.length; i++) {
    const field = map.fieldOf[i];
    if (field !== undefined) values[field] = cells[i] ?? '';
  }
  return values;
}
