// The dlr profile's field rules (SPEC §3; limits from the DLR reference's table).

import { abbreviateAddressLine2, abbreviateDirectional, abbreviateSuffix } from './abbreviations.js';
import { deriveLocationId, dlrAddressKey } from './address-key.js';
import type { Problem } from './codes.js';
import { Problems } from './collect.js';
import { lookupNorthAmericanCountry, lookupState, provincesOfPostalCode, statesOfZip } from './geo.js';
import { normalizeNanpa } from './nanpa.js';
import { BoundedMemo, tupleKey } from './memo.js';
import { clean, dropFloatTail } from './text.js';
import { DLR_ADDRESS_CELLS } from './dlr-fields.js';
import type { DlrAddress, DlrRow, FieldValues, RowAction, RuleResult } from './types.js';

export function normalizeAction(value: string, p: Problems): RowAction {
  const v = value.toUpperCase();
  if (v === '' || v === 'ADD' || v === 'A' || v === 'CREATE' || v === 'UPDATE') return 'ADD';
  if (v === 'DELETE' || v === 'D' || v === 'REMOVE') return 'DELETE';
  p.add('ACTION_INVALID', 'Action', { value });
  return 'ADD';
}

/**
 * What the account already holds (the state store knows it, from a run or import-state). A new
 * Identifier or LocationId follows the DLR guide; one the account holds may have the API's wider
 * form (the reference's 8- and 9-character identifiers, error 8023's LocationIds): esprov never
 * refuses what an account holds, it warns (SPEC §3).
 */
export interface Held {
  identifier(value: string): boolean;
  locationId(value: string): boolean;
}

export const HOLDS_NOTHING: Held = { identifier: () => false, locationId: () => false };
/** Whatever an account lists, it holds (import-state, export). */
export const HOLDS_ALL: Held = { identifier: () => true, locationId: () => true };

function identifier(value: string, p: Problems, held: Held): string {
  if (value === '') {
    p.add('FIELD_REQUIRED', 'Identifier');
  } else if (/[^A-Za-z0-9]/.test(value)) {
    p.add('IDENTIFIER_INVALID', 'Identifier', { value, reason: 'contains characters other than letters and digits' });
  } else if (value.length > 30) {
    p.add('IDENTIFIER_INVALID', 'Identifier', { value, reason: `is ${value.length} characters` });
  } else if (value.length < 10) {
    if (held.identifier(value)) p.add('ACCOUNT_FORM', 'Identifier', { value, reason: `is ${value.length} characters, under the guide's 10` });
    else p.add('IDENTIFIER_INVALID', 'Identifier', { value, reason: `is ${value.length} characters` });
  }
  return value;
}

/** A LocationId of the API's wider form (error 8023): letters, digits, `-`, `_`, `.`; at most 128. */
const WIDE_LOCATION_ID = /^[A-Za-z0-9._-]{1,128}$/;

function locationIdProblem(value: string, held: Held): { code: 'LOCATION_ID_INVALID' | 'ACCOUNT_FORM'; reason: string } | undefined {
  const narrow = /[^A-Za-z0-9]/.test(value) ? 'contains characters other than letters and digits' : value.length > 50 ? `is ${value.length} characters` : undefined;
  if (narrow === undefined) return undefined;
  if (WIDE_LOCATION_ID.test(value) && held.locationId(value)) return { code: 'ACCOUNT_FORM', reason: `${narrow}, outside the guide's form` };
  return { code: 'LOCATION_ID_INVALID', reason: narrow };
}

function language(value: string, p: Problems): 'en' | 'fr' {
  const v = value.toLowerCase();
  if (v === '' || v === 'en' || v === 'english' || v === 'anglais' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  if (v === 'fr' || v === 'french' || v === 'français' || v === 'francais' || v.startsWith('fr-') || v.startsWith('fr_')) return 'fr';
  p.add('LANGUAGE_INVALID', 'PreferredLanguage', { value, allowed: 'en or fr' });
  return 'en';
}

function directional(field: string, value: string, p: Problems): string {
  if (value === '') return '';
  const d = abbreviateDirectional(value);
  if (d === undefined) {
    p.add('DIRECTIONAL_INVALID', field, { value });
    return value.toUpperCase();
  }
  if (d !== value.toUpperCase()) p.add('ABBREVIATED', field, { from: value, to: d });
  return d;
}

function callerName(value: string, p: Problems): string {
  if (/[<>{}\\^~|]/.test(value)) p.add('CALLER_NAME_INVALID', 'CallerName', { reason: 'symbols (< > { } \\ ^ ~ |)' });
  return p.text('CallerName', value, { required: true, limit: 50, recommended: 32 });
}

interface Place {
  readonly state: string;
  readonly country: 'US' | 'CA';
  readonly zip: string;
  readonly plusFour: string;
}

function place(values: FieldValues, p: Problems): Place {
  const rawState = clean(values.StateCode);
  const rawCountry = clean(values.Country);
  const state = rawState === '' ? undefined : lookupState(rawState);
  if (rawState === '') p.add('FIELD_REQUIRED', 'StateCode');
  else if (state === undefined) p.add('STATE_INVALID', 'StateCode', { value: rawState });

  let country = rawCountry === '' ? undefined : lookupNorthAmericanCountry(rawCountry);
  if (rawCountry !== '' && country === undefined) {
    p.add('COUNTRY_UNSUPPORTED', 'Country', { value: rawCountry, reason: 'is not US or CA: dlr serves the United States and Canada; use --api unified for other countries' });
  } else if (rawCountry === '' && state !== undefined) {
    country = state.country;
    p.add('COUNTRY_INFERRED', 'Country', { country, state: state.code });
  } else if (rawCountry === '' && rawState === '') {
    p.add('FIELD_REQUIRED', 'Country');
  }
  if (state !== undefined && country !== undefined && state.country !== country) {
    p.add('STATE_COUNTRY_MISMATCH', 'StateCode', { state: state.code, country });
  }
  const resolvedCountry = country ?? state?.country ?? 'US';
  const stateCode = state?.code ?? rawState.toUpperCase();
  const { zip, plusFour } =
    resolvedCountry === 'CA'
      ? { zip: canadianPostalCode(clean(values.Zip), stateCode, state !== undefined, p), plusFour: '' }
      : usZip(clean(values.Zip), clean(values.PlusFour), stateCode, state !== undefined, p);
  return { state: stateCode, country: resolvedCountry, zip, plusFour };
}

function usZip(raw: string, rawPlusFour: string, state: string, stateKnown: boolean, p: Problems): { zip: string; plusFour: string } {
  if (raw === '') {
    p.add('FIELD_REQUIRED', 'Zip');
    return { zip: '', plusFour: '' };
  }
  const value = dropFloatTail(raw);
  const belongs = (zip5: string): boolean => !stateKnown || statesOfZip(zip5).includes(state);
  let match = /^(\d{5})(?:[-\s]?(\d{4}))?$/.exec(value);
  if (match === null && /^\d{4}$|^\d{8}$|^\d{4}-\d{4}$/.test(value) && belongs(`0${value}`.slice(0, 5))) {
    // A spreadsheet stored the ZIP as a number and dropped its leading zero.
    match = /^(\d{5})(?:[-\s]?(\d{4}))?$/.exec(`0${value}`);
    if (match !== null) p.add('ZIP_ZERO_RESTORED', 'Zip', { value: raw, zip: match[1] ?? '' });
  }
  if (match === null) {
    p.add('ZIP_INVALID', 'Zip', { value: raw });
    return { zip: value.toUpperCase(), plusFour: '' };
  }
  const zip = match[1] ?? '';
  const states = statesOfZip(zip);
  if (stateKnown && states.length > 0 && !states.includes(state)) {
    p.add('ZIP_STATE_MISMATCH', 'Zip', { zip, expected: states.join(' or '), state });
  }
  const fromZip = match[2] ?? '';
  const plusFour = dropFloatTail(rawPlusFour);
  if (plusFour !== '' && !/^\d{4}$/.test(plusFour)) {
    p.add('PLUS_FOUR_INVALID', 'PlusFour', { value: rawPlusFour, reason: 'is not 4 digits' });
  } else if (plusFour !== '' && fromZip !== '' && plusFour !== fromZip) {
    p.add('PLUS_FOUR_INVALID', 'PlusFour', { value: rawPlusFour, reason: `disagrees with the ZIP+4 in Zip (${fromZip})` });
  }
  return { zip, plusFour: plusFour !== '' ? plusFour : fromZip };
}

function canadianPostalCode(raw: string, province: string, provinceKnown: boolean, p: Problems): string {
  if (raw === '') {
    p.add('FIELD_REQUIRED', 'Zip');
    return '';
  }
  const match = /^([A-Z]\d[A-Z])[\s-]*(\d[A-Z]\d)$/.exec(raw.toUpperCase());
  const code = match === null ? '' : `${match[1]} ${match[2]}`;
  if (match === null || /[DFIOQU]/.test(code) || /^[WZ]/.test(code)) {
    p.add('POSTAL_CODE_INVALID', 'Zip', { value: raw, country: 'Canadian', form: 'A1A 1A1' });
    return raw.toUpperCase();
  }
  const provinces = provincesOfPostalCode(code);
  if (provinceKnown && !provinces.includes(province)) {
    p.add('POSTAL_CODE_PROVINCE_MISMATCH', 'Zip', { zip: code, expected: provinces.join(' or '), state: province });
  }
  return code;
}

function address(values: FieldValues, p: Problems): DlrAddress {
  const up = (field: string): string => clean(values[field]).toUpperCase();
  const houseNumber = up('HouseNumber');
  const streetName = up('StreetName');
  // Decomposed parts win over a whole street line when both are given, as the API does.
  const useParts = houseNumber !== '' || streetName !== '';
  const line1 = useParts ? '' : up('AddressLine1');
  if (useParts) {
    p.text('HouseNumber', houseNumber, { required: true, limit: 45, recommended: 6 });
    p.text('StreetName', streetName, { required: true, limit: 200, recommended: 100 });
  } else if (line1 === '') {
    p.add('ADDRESS_MISSING', 'StreetName');
  } else {
    p.text('AddressLine1', line1, { limit: 250 });
  }
  const rawSuffix = clean(values.StreetSuffix);
  const suffix = rawSuffix === '' ? '' : (abbreviateSuffix(rawSuffix) ?? rawSuffix.toUpperCase());
  if (suffix !== rawSuffix.toUpperCase()) p.add('ABBREVIATED', 'StreetSuffix', { from: rawSuffix, to: suffix });
  p.text('StreetSuffix', suffix, { limit: 45, recommended: 10 });

  const rawLine2 = clean(values.AddressLine2);
  const line2 = abbreviateAddressLine2(rawLine2);
  if (line2.length > 60) p.add('ADDRESS_LINE2_TOO_LONG', 'AddressLine2', { length: line2.length });
  else if (line2 !== rawLine2.toUpperCase().replace(/\s+/g, ' ')) p.add('ABBREVIATED', 'AddressLine2', { from: rawLine2, to: line2 });

  const city = p.text('City', up('City'), { required: true, limit: 100 });
  const where = place(values, p);
  return {
    HousePrefix: p.text('HousePrefix', up('HousePrefix'), { limit: 6, recommended: 4 }),
    HouseNumber: houseNumber,
    HouseSuffix: p.text('HouseSuffix', up('HouseSuffix'), { limit: 6, recommended: 4 }),
    PreDirectional: directional('PreDirectional', clean(values.PreDirectional), p),
    StreetName: streetName,
    StreetSuffix: suffix,
    PostDirectional: directional('PostDirectional', clean(values.PostDirectional), p),
    AddressLine1: line1,
    AddressLine2: line2,
    City: city,
    StateCode: where.state,
    Zip: where.zip,
    PlusFour: where.plusFour,
    County: p.text('County', up('County'), { limit: 100 }),
    Country: where.country,
  };
}

/** A normalized address with the problems found in it, its key and the LocationId derived from it. */
interface CheckedAddress {
  readonly address: DlrAddress;
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
  readonly key: string;
  readonly derivedId: string;
}

/** The cells address() reads. */
const ADDRESS_FIELDS = DLR_ADDRESS_CELLS;

function checkAddress(values: FieldValues): CheckedAddress {
  const p = new Problems();
  const a = address(values, p);
  const key = dlrAddressKey(a);
  return { address: a, errors: p.errors, warnings: p.warnings, key, derivedId: deriveLocationId(key) };
}

/**
 * Rows repeat an export's addresses, in any order: each distinct one is checked once while it is in
 * the memo. A generation holds more addresses than an export of a million rows usually names
 * (20,000 scattered through rows sorted by Identifier); entries are kept small (see `compact`) so
 * that this many stay cheap.
 */
const addressMemo = new BoundedMemo<CheckedAddress>(32_768);

/** How many addresses the memo holds now (tests). */
export const addressMemoSize = (): number => addressMemo.size;

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/** Addresses share their problems ("Suite 5" → "STE 5" ...): entries keep one object for each. */
const sharedProblems = new Map<string, Problem>();
const MAX_SHARED_PROBLEMS = 4096;

function shared(problems: readonly Problem[]): readonly Problem[] {
  if (problems.length === 0) return NO_PROBLEMS;
  const out = new Array<Problem>(problems.length);
  for (let i = 0; i < problems.length; i++) {
    const p = problems[i]!;
    const key = `${p.code}\u0000${p.field ?? ''}\u0000${p.message}`;
    let kept = sharedProblems.get(key);
    if (kept === undefined) {
      if (sharedProblems.size >= MAX_SHARED_PROBLEMS) sharedProblems.clear();
      kept = p;
      sharedProblems.set(key, kept);
    }
    out[i] = kept;
  }
  return out;
}

/**
 * What a memo entry keeps of a checked address: its problems shared and in arrays of their own
 * size (a pushed-to array keeps room for 17), the derived LocationId as one flat string (not a
 * slice that keeps the whole SHA-256 hex alive).
 */
function compact(checked: CheckedAddress): CheckedAddress {
  return {
    address: checked.address,
    errors: shared(checked.errors),
    warnings: shared(checked.warnings),
    key: checked.key,
    derivedId: Buffer.from(checked.derivedId, 'latin1').toString('latin1'),
  };
}

function checkAddressMemoized(values: FieldValues): CheckedAddress {
  if (!addressMemo.active) return checkAddress(values);
  const key = tupleKey(values, ADDRESS_FIELDS);
  if (key === undefined) return checkAddress(values);
  let checked = addressMemo.get(key);
  if (checked === undefined) {
    checked = compact(checkAddress(values));
    addressMemo.set(key, checked);
  }
  return checked;
}

const EMPTY_ADDRESS: DlrAddress = {
  HousePrefix: '',
  HouseNumber: '',
  HouseSuffix: '',
  PreDirectional: '',
  StreetName: '',
  StreetSuffix: '',
  PostDirectional: '',
  AddressLine1: '',
  AddressLine2: '',
  City: '',
  StateCode: '',
  Zip: '',
  PlusFour: '',
  County: '',
  Country: 'US',
};

/** Checks and normalizes one dlr record. Pure: the same values always give the same result. */
export function normalizeDlr(values: FieldValues, held: Held = HOLDS_NOTHING): RuleResult<DlrRow> {
  return normalizeDlrWith(values, checkAddressMemoized, held);
}

/** normalizeDlr without the address memo: what the memo must always agree with (tests). */
export function normalizeDlrUncached(values: FieldValues, held: Held = HOLDS_NOTHING): RuleResult<DlrRow> {
  return normalizeDlrWith(values, checkAddress, held);
}

function normalizeDlrWith(values: FieldValues, checkAddressOf: (values: FieldValues) => CheckedAddress, held: Held): RuleResult<DlrRow> {
  const p = new Problems();
  const action = normalizeAction(clean(values.Action), p);
  const id = identifier(clean(values.Identifier), p, held);
  // With an unreadable Action the row's intent is unknown: report that alone, not every field.
  if (!p.ok && p.errors.some((e) => e.code === 'ACTION_INVALID')) return { ok: false, errors: p.errors, warnings: p.warnings };
  if (action === 'DELETE') {
    // A delete names the endpoint only; its address and caller data are not needed.
    if (!p.ok) return { ok: false, errors: p.errors, warnings: p.warnings };
    return {
      ok: true,
      warnings: p.warnings,
      row: {
        profile: 'dlr',
        action,
        identifier: id,
        callbackNumber: '',
        callerName: '',
        preferredLanguage: 'en',
        locationId: clean(values.LocationId),
        locationIdDerived: false,
        address: EMPTY_ADDRESS,
        addressKey: '',
      },
    };
  }
  const rawCallback = clean(values.CallbackNumber);
  let callbackNumber = '';
  if (rawCallback === '') {
    p.add('FIELD_REQUIRED', 'CallbackNumber');
  } else {
    const phone = normalizeNanpa(rawCallback);
    if (phone.ok) callbackNumber = phone.value;
    else if (phone.scientific) p.add('CALLBACK_SCIENTIFIC', 'CallbackNumber', { value: rawCallback });
    else p.add('CALLBACK_NOT_NANPA', 'CallbackNumber', { value: rawCallback, reason: phone.reason });
  }
  const name = callerName(clean(values.CallerName), p);
  const preferredLanguage = language(clean(values.PreferredLanguage), p);
  const checked = checkAddressOf(values);
  for (const e of checked.errors) p.errors.push(e);
  for (const w of checked.warnings) p.warnings.push(w);
  const addr = checked.address;
  const addressKey = checked.key;
  const givenLocationId = clean(values.LocationId);
  const locationProblem = givenLocationId === '' ? undefined : locationIdProblem(givenLocationId, held);
  if (locationProblem !== undefined) {
    p.add(locationProblem.code, 'LocationId', { value: givenLocationId, reason: locationProblem.reason });
  } else if (/^esp[0-9a-f]{29}$/.test(givenLocationId) && givenLocationId !== checked.derivedId) {
    // esprov derives ids of this form from an address; copied onto another address it would overwrite that location.
    p.add('LOCATION_ID_INVALID', 'LocationId', { value: givenLocationId, reason: 'is an id esprov derived for a different address' });
  }
  if (!p.ok) return { ok: false, errors: p.errors, warnings: p.warnings };
  return {
    ok: true,
    warnings: p.warnings,
    row: {
      profile: 'dlr',
      action,
      identifier: id,
      callbackNumber,
      callerName: name,
      preferredLanguage,
      locationId: givenLocationId === '' ? checked.derivedId : givenLocationId,
      locationIdDerived: givenLocationId === '',
      address: addr,
      addressKey,
    },
  };
}
