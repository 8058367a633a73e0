// Callback numbers (NANPA, for dlr) and phone numbers (E.164, for unified).

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { fail, type PhoneResult } from './nanpa.js';
import { dropFloatTail, isScientific } from './text.js';

export { normalizeNanpa, type PhoneResult } from './nanpa.js';

/** An E.164 number ("+31798080101"), converting national formats with the row's country. */
export function normalizeE164(raw: string, countryAlpha2: string | undefined): PhoneResult {
  const value = dropFloatTail(raw.trim());
  if (isScientific(value)) return fail('is in scientific notation', true);
  let candidate = value.replace(/[^\d+]/g, '');
  if (candidate.startsWith('00')) candidate = `+${candidate.slice(2)}`;
  if (candidate === '' || candidate.indexOf('+') > 0) return fail('is not a phone number');
  const parsed = candidate.startsWith('+') ? parsePhoneNumberFromString(candidate) : countryAlpha2 === undefined ? undefined : parsePhoneNumberFromString(candidate, countryAlpha2 as CountryCode);
  if (parsed === undefined) {
    return fail(countryAlpha2 === undefined ? 'has no country code and the row has no valid Country' : 'is not a phone number');
  }
  if (!parsed.isValid()) return fail(`is not a valid number${parsed.country ? ` for ${parsed.country}` : ''}`);
  return { ok: true, value: parsed.number };
}
