// The sandbox's address validator ("geocoder"): pure and deterministic. It standardizes a DLR
// address the way Bandwidth documents it (upper case, USPS abbreviations, AddressLine2 unit
// types, PlusFour) and decides valid / adjusted / invalid by the fixed rules listed in
// docs/sandbox.md. Location orders use the same function, so a geocoded address sent back in a
// location order is never adjusted a second time.

import { abbreviateAddressLine2, abbreviateSuffix, DIRECTIONALS, STREET_SUFFIXES, tokenKey } from '../../rules/abbreviations.js';
import { fnv1a } from '../rng.js';

export const ADDRESS_FIELDS = [
  'HousePrefix',
  'HouseNumber',
  'HouseSuffix',
  'PreDirectional',
  'StreetName',
  'StreetSuffix',
  'PostDirectional',
  'AddressLine2',
  'City',
  'StateCode',
  'Zip',
  'PlusFour',
  'County',
  'Country',
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
export type DlrAddress = Partial<Record<AddressField | 'AddressLine1', string>>;
export type StdAddress = Record<AddressField, string>;

export interface Adjustment {
  label: string;
  specified: string;
  valid: string;
}

export type GeocodeOutcome = { valid: true; address: StdAddress; addressLine1: string; adjustments: Adjustment[]; echo: DlrAddress } | { valid: false; reason: string; kind: 'not-found' | 'field' };

const LABELS: Record<AddressField, string> = {
  HousePrefix: 'House Prefix',
  HouseNumber: 'House Number',
  HouseSuffix: 'House Suffix',
  PreDirectional: 'Pre Directional',
  StreetName: 'Street Name',
  StreetSuffix: 'Street Suffix',
  PostDirectional: 'Post Directional',
  AddressLine2: 'Address Line 2',
  City: 'City',
  StateCode: 'State Code',
  Zip: 'Zip',
  PlusFour: 'Plus Four',
  County: 'County',
  Country: 'Country',
};

/** Limits of the DLR document's "Provisioning Limits" table (AddressLine2: the enforced 60). */
const MAX_LENGTH: Record<AddressField, number> = {
  HousePrefix: 6,
  HouseNumber: 45,
  HouseSuffix: 6,
  PreDirectional: 2,
  StreetName: 200,
  StreetSuffix: 45,
  PostDirectional: 2,
  AddressLine2: 60,
  City: 100,
  StateCode: 2,
  Zip: 10,
  PlusFour: 10,
  County: 100,
  Country: 2,
};

/** Street-name misspellings the simulated geocoder corrects (word → word). */
export const MISSPELLINGS: Readonly<Record<string, string>> = Object.freeze({
  ANSUN: 'ANSON',
  MAINE: 'MAIN',
  BRODWAY: 'BROADWAY',
  PENNSILVANIA: 'PENNSYLVANIA',
  MISSISIPPI: 'MISSISSIPPI',
});

/** PlusFour values of real addresses the documents use; every other one comes from a hash. */
const KNOWN_PLUS_FOUR: Readonly<Record<string, string>> = Object.freeze({ '904|E|ANSON|ST||50158': '3522' });

const US_STATES = new Set(
  ('AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY ' + 'NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI UM AA AE AP').split(
    ' ',
  ),
);
const CA_PROVINCES = new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' '));
const ENGLISH_DIRECTIONALS = new Set(['N', 'S', 'E', 'W', 'NE', 'NW', 'SE', 'SW', 'NORTH', 'SOUTH', 'EAST', 'WEST', 'NORTHEAST', 'NORTHWEST', 'SOUTHEAST', 'SOUTHWEST']);
const LINE1_UNIT_WORDS = new Set(['APT', 'APARTMENT', 'STE', 'SUITE', 'UNIT', 'RM', 'ROOM', 'FL', 'FLOOR', 'BLDG', 'BUILDING', 'DEPT', 'DEPARTMENT', '#']);
const NOWHERE = /\bNOWHERE\b/i;

const upper = (value: string | undefined): string => (value ?? '').toUpperCase().replace(/\s+/g, ' ').trim();
/** Case, periods and spacing alone are not adjustments. */
const comparable = (value: string): string => upper(value).replace(/\./g, '').replace(/\s+/g, ' ').trim();

function directional(value: string): string {
  const key = tokenKey(value);
  return key === '' ? '' : (DIRECTIONALS[key] ?? key);
}

function composeLine1(a: DlrAddress): string {
  return [a.HousePrefix, a.HouseNumber, a.HouseSuffix, a.PreDirectional, a.StreetName, a.StreetSuffix, a.PostDirectional].filter((part): part is string => part !== undefined && part !== '').join(' ');
}

/** Splits a whole street line ("904 E Ansun Str Suite 5") into its parts, keeping the input's case. */
export function parseAddressLine1(line: string): DlrAddress {
  const tokens = line
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const out: DlrAddress = {};
  if (tokens.length > 0 && /\d/.test(tokens[0] ?? '')) out.HouseNumber = tokens.shift();
  if (tokens.length > 1 && /^\d+\/\d+$/.test(tokens[0] ?? '')) out.HouseSuffix = tokens.shift();
  if (tokens.length > 1 && ENGLISH_DIRECTIONALS.has(tokenKey(tokens[0] ?? ''))) out.PreDirectional = tokens.shift();
  const unitAt = tokens.findIndex((t, i) => i > 0 && (LINE1_UNIT_WORDS.has(tokenKey(t)) || t.startsWith('#')));
  if (unitAt > 0) out.AddressLine2 = tokens.splice(unitAt).join(' ');
  if (tokens.length > 1 && ENGLISH_DIRECTIONALS.has(tokenKey(tokens.at(-1) ?? ''))) out.PostDirectional = tokens.pop();
  if (tokens.length > 1 && STREET_SUFFIXES[tokenKey(tokens.at(-1) ?? '')] !== undefined) out.StreetSuffix = tokens.pop();
  if (tokens.length > 0) out.StreetName = tokens.join(' ');
  return out;
}

/** Writes `standard` in the letter case of `sample` ("Str" + "ST" → "St"). */
function inCaseOf(sample: string, standard: string): string {
  if (sample === sample.toUpperCase()) return standard.toUpperCase();
  if (sample === sample.toLowerCase()) return standard.toLowerCase();
  return standard.toLowerCase().replace(/(^|\s)(\S)/g, (_, space: string, ch: string) => space + ch.toUpperCase());
}

function plusFourFor(a: StdAddress): string {
  const key = [a.HouseNumber, a.PreDirectional, a.StreetName, a.StreetSuffix, a.PostDirectional, a.Zip].join('|');
  return KNOWN_PLUS_FOUR[key] ?? String(1000 + (fnv1a(key) % 9000));
}

/** The key the ledger counts geocodes under: the input, upper-cased, decomposed parts first. */
export function addressKey(input: DlrAddress): string {
  const decomposed = (input.HouseNumber ?? '').trim() !== '' && (input.StreetName ?? '').trim() !== '';
  const line1 = decomposed ? composeLine1(input) : (input.AddressLine1 ?? '');
  return [line1, input.AddressLine2, input.City, input.StateCode, input.Zip].map(upper).join('|');
}

export function geocode(input: DlrAddress): GeocodeOutcome {
  const decomposed = (input.HouseNumber ?? '').trim() !== '' && (input.StreetName ?? '').trim() !== '';
  const parts: DlrAddress = decomposed ? { ...input } : { ...input, ...parseAddressLine1(input.AddressLine1 ?? '') };
  if (!decomposed && input.AddressLine2 !== undefined && input.AddressLine2.trim() !== '') parts.AddressLine2 = input.AddressLine2;

  if (NOWHERE.test(input.StreetName ?? '') || NOWHERE.test(input.AddressLine1 ?? '')) {
    return { valid: false, kind: 'not-found', reason: 'the street is not known to the E911 service' };
  }
  if ((parts.HouseNumber ?? '').trim() === '0') return { valid: false, kind: 'not-found', reason: 'house number 0 does not exist' };
  for (const field of ['HouseNumber', 'StreetName', 'City', 'StateCode', 'Zip'] as const) {
    if (upper(parts[field]) === '') return { valid: false, kind: 'field', reason: `${field} is required` };
  }

  const std = {} as StdAddress;
  for (const field of ADDRESS_FIELDS) std[field] = upper(parts[field]);
  std.PreDirectional = directional(parts.PreDirectional ?? '');
  std.PostDirectional = directional(parts.PostDirectional ?? '');
  if (std.PreDirectional === '' && ENGLISH_DIRECTIONALS.has(std.HouseSuffix)) {
    std.PreDirectional = directional(std.HouseSuffix);
    std.HouseSuffix = '';
  }
  std.StreetName = std.StreetName.split(' ')
    .map((word) => MISSPELLINGS[word] ?? word)
    .join(' ');
  std.StreetSuffix = std.StreetSuffix === '' ? '' : (abbreviateSuffix(std.StreetSuffix) ?? tokenKey(std.StreetSuffix));
  const words = std.StreetName.split(' ');
  const trailing = abbreviateSuffix(words.at(-1) ?? '');
  if (std.StreetSuffix === '' && words.length > 1 && trailing !== undefined) {
    std.StreetSuffix = trailing;
    std.StreetName = words.slice(0, -1).join(' ');
  }
  std.AddressLine2 = abbreviateAddressLine2(parts.AddressLine2 ?? '');

  const state = std.StateCode;
  const country = std.Country === '' ? (CA_PROVINCES.has(state) ? 'CA' : 'US') : std.Country;
  if (country !== 'US' && country !== 'CA') return { valid: false, kind: 'not-found', reason: `country ${std.Country} is not supported` };
  if (!(country === 'US' ? US_STATES : CA_PROVINCES).has(state)) {
    return { valid: false, kind: 'not-found', reason: `${state} is not a ${country === 'US' ? 'USPS state' : 'Canada Post province'} code` };
  }
  std.Country = country;
  if (country === 'US') {
    const zip = /^(\d{5})(?:-?(\d{4}))?$/.exec(std.Zip.replace(/\s/g, ''));
    if (zip === null) return { valid: false, kind: 'not-found', reason: `${std.Zip} is not a US ZIP code` };
    std.Zip = zip[1] ?? '';
    if (zip[2] !== undefined && std.PlusFour === '') std.PlusFour = zip[2];
    if (std.PlusFour === '') std.PlusFour = plusFourFor(std);
  } else {
    const postal = /^([A-Z]\d[A-Z])(\d[A-Z]\d)$/.exec(std.Zip.replace(/\s/g, ''));
    if (postal === null) return { valid: false, kind: 'not-found', reason: `${std.Zip} is not a Canadian postal code` };
    std.Zip = `${postal[1]} ${postal[2]}`;
    std.PlusFour = '';
  }
  for (const field of ADDRESS_FIELDS) {
    if (std[field].length > MAX_LENGTH[field]) {
      return { valid: false, kind: 'field', reason: field === 'AddressLine2' ? 'loc cannot exceed 60 characters' : `${field} cannot exceed ${MAX_LENGTH[field]} characters` };
    }
  }

  const adjustments: Adjustment[] = [];
  for (const field of ADDRESS_FIELDS) {
    if (field === 'Country') continue;
    const specified = field === 'Zip' ? upper(parts.Zip).replace(/\s/g, '') : comparable(parts[field] ?? '');
    const valid = field === 'Zip' ? std.Zip.replace(/\s/g, '') : comparable(std[field]);
    if (specified !== valid) adjustments.push({ label: LABELS[field], specified: upper(parts[field]), valid: std[field] });
  }
  return { valid: true, address: std, addressLine1: composeLine1(std), adjustments, echo: echoOf(parts, std) };
}

/**
 * The RequestAddress a geocode answer carries, as the DLR document's example shows it: the
 * request's non-empty fields with spelling and abbreviation corrections applied in the request's
 * own letter case ("Ansun" → "Anson", "Str" → "St"), Country filled in, AddressLine1 last.
 */
function echoOf(parts: DlrAddress, std: StdAddress): DlrAddress {
  const echo: DlrAddress = {};
  for (const field of ADDRESS_FIELDS) {
    const given = (parts[field] ?? '').trim();
    if (field === 'Country') {
      echo.Country = given === '' ? std.Country : given;
      continue;
    }
    if (given === '') continue;
    let value = given;
    if (field === 'StreetName') {
      value = given
        .split(/\s+/)
        .map((word) => {
          const fixed = MISSPELLINGS[word.toUpperCase()];
          return fixed === undefined ? word : inCaseOf(word, fixed);
        })
        .join(' ');
    } else if (field === 'StreetSuffix' || field === 'PreDirectional' || field === 'PostDirectional') {
      const standard = field === 'StreetSuffix' ? abbreviateSuffix(given) : DIRECTIONALS[tokenKey(given)];
      if (standard !== undefined) value = inCaseOf(given, standard);
    }
    echo[field] = value;
  }
  echo.AddressLine1 = composeLine1(echo);
  return echo;
}

/** The 409 ErrorMessage: one "Specified value - X : "A" Valid value - "B"" per adjustment. */
export function adjustmentMessage(adjustments: readonly Adjustment[]): string {
  return 'Some adjustments are required to allow the address to pass geocoding:' + adjustments.map((a) => `Specified value - ${a.label} : "${a.specified}" Valid value - "${a.valid}"`).join('; ');
}
