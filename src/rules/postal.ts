// Postal codes outside North America (SPEC §3, unified): each country's format, checked offline
// with postcode-validator (per-country patterns, maintained), so a UK row with "SW1A 1ZZZ" or a
// German one with "1011" is INVALID here instead of refused by the API one row at a time.
// The value is kept as the customer wrote it, apart from case and surrounding spaces: the guide's
// own example sends the Dutch "2719EG" without its space.

import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';

/** How a person writes each country's postal code, for the message (9 = a digit, A = a letter). */
const FORMS: Readonly<Record<string, string>> = {
  GB: 'A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA or AA9A 9AA (SW1A 1AA)',
  IE: 'A99 A9A9 (D02 X285)',
  NL: '9999 AA (2719 EG)',
  DE: '5 digits (10115)',
  FR: '5 digits (75008)',
  IT: '5 digits (00184)',
  ES: '5 digits from 01000 to 52999 (28013)',
  BE: '4 digits (1000)',
  AT: '4 digits not starting with 0 (1010)',
  CH: '4 digits (8001)',
  DK: '4 digits (1050)',
  NO: '4 digits (0150)',
  SE: '999 99 (114 55)',
  FI: '5 digits (00100)',
  PL: '99-999 (00-950)',
  PT: '9999-999 (1000-001)',
  CZ: '999 99 (110 00)',
  AU: '4 digits (2000)',
  NZ: '4 digits (6011)',
  JP: '999-9999 (100-0001)',
  BR: '99999-999 (01310-100)',
  IN: '6 digits (110001)',
  LU: '4 digits (1009)',
  GR: '999 99 (105 57)',
  HU: '4 digits (1051)',
  RO: '6 digits (010011)',
  SG: '6 digits (018956)',
};

export type PostalCheck = { ok: true } | { ok: false; form: string };

/** Whether `value` (trimmed, upper-cased) is in the format of the country (ISO alpha-2); unknown countries pass. */
export function checkPostalCode(alpha2: string, value: string): PostalCheck {
  if (value === '' || !postcodeValidatorExistsForCountry(alpha2)) return { ok: true };
  if (postcodeValidator(value, alpha2)) return { ok: true };
  return { ok: false, form: FORMS[alpha2] ?? 'the form its post office uses' };
}
