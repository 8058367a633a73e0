// Callback numbers for dlr: NANPA, North American 10-digit numbers. Apart from the E.164 rules
// (phone.ts) so that a dlr check does not load libphonenumber's metadata.

import { dropFloatTail, isScientific } from './text.js';

export type PhoneResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly scientific: boolean; readonly reason: string };

export const fail = (reason: string, scientific = false): PhoneResult => ({ ok: false, scientific, reason });

/**
 * A NANPA-valid 10-digit number: "+1 (919) 555-1234", "1.919.555.1234" and "9195551234" are all
 * 9195551234. Area code NXX with N = 2–9 and no N11 or N9X; exchange NXX with N = 2–9, no N11.
 */
export function normalizeNanpa(raw: string): PhoneResult {
  const value = dropFloatTail(raw.trim());
  if (isScientific(value)) return fail('is in scientific notation', true);
  if (/(?:x|ext\.?|extension)\s*\d+$/i.test(value)) return fail('has an extension; a callback number cannot');
  let digits = value.replace(/[\s().\-/]/g, '');
  if (digits.startsWith('+')) {
    if (!digits.startsWith('+1')) return fail('is not a North American (+1) number');
    digits = digits.slice(2);
  }
  if (!/^\d+$/.test(digits)) return fail('contains characters other than digits');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length !== 10) return fail(`has ${digits.length} digits, not 10`);
  const npa = digits.slice(0, 3);
  const nxx = digits.slice(3, 6);
  if (!/^[2-9][0-8]\d$/.test(npa) || npa.slice(1) === '11') return fail(`has an area code (${npa}) that cannot exist`);
  if (!/^[2-9]\d\d$/.test(nxx) || nxx.slice(1) === '11') return fail(`has an exchange (${nxx}) that cannot exist`);
  return { ok: true, value: digits };
}
