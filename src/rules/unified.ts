// The unified profile's field rules (SPEC §3, the Unified API reference).

import { unifiedAddressKey } from './address-key.js';
import { Problems } from './collect.js';
import { countryName, lookupCountry } from './country.js';
import { normalizeAction } from './dlr.js';
import { normalizeE164 } from './phone.js';
import { checkPostalCode } from './postal.js';
import { clean } from './text.js';
import type { FieldValues, RuleResult, UnifiedRow } from './types.js';

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  english: 'en',
  french: 'fr',
  german: 'de',
  dutch: 'nl',
  spanish: 'es',
  italian: 'it',
  portuguese: 'pt',
  swedish: 'sv',
  danish: 'da',
  norwegian: 'no',
  finnish: 'fi',
  polish: 'pl',
  czech: 'cs',
  irish: 'ga',
  greek: 'el',
  hungarian: 'hu',
  romanian: 'ro',
  flemish: 'nl',
  deutsch: 'de',
  nederlands: 'nl',
  français: 'fr',
  español: 'es',
  italiano: 'it',
};

function lang(value: string, p: Problems): string {
  const v = value.toLowerCase();
  if (v === '') return 'en';
  const named = LANGUAGE_NAMES[v];
  if (named !== undefined) return named;
  const m = /^([a-z]{2})(?:[-_][a-z]{2})?$/.exec(v);
  if (m?.[1] !== undefined) return m[1];
  p.add('LANGUAGE_INVALID', 'Lang', { value, allowed: 'a two-letter language code such as en, nl or de' });
  return v;
}

function customerType(value: string, p: Problems): 'BUS' | 'RES' {
  const v = value.toUpperCase();
  if (v === '' || v === 'BUS' || v === 'BUSINESS' || v === 'B') return 'BUS';
  if (v === 'RES' || v === 'RESIDENTIAL' || v === 'RESIDENCE' || v === 'R') return 'RES';
  p.add('CUSTOMER_TYPE_INVALID', 'CustomerType', { value });
  return 'BUS';
}

/** The reference document sends the service in brackets ("[ES]"); ES, DS and ESDS are accepted. */
function service(value: string, p: Problems): string {
  const v = value.toUpperCase().replace(/[[\]\s,+]/g, '');
  if (v === '' || v === 'ES') return '[ES]';
  if (v === 'DS' || v === 'ESDS') return `[${v}]`;
  p.add('SERVICE_INVALID', 'Service', { value });
  return value;
}

/** Checks and normalizes one unified record. Pure. */
export function normalizeUnified(values: FieldValues): RuleResult<UnifiedRow> {
  const p = new Problems();
  const action = normalizeAction(clean(values.Action), p);
  if (!p.ok) return { ok: false, errors: p.errors, warnings: p.warnings };

  const rawCountry = clean(values.Country);
  const country = rawCountry === '' ? undefined : lookupCountry(rawCountry);
  if (rawCountry === '') p.add('FIELD_REQUIRED', 'Country');
  else if (country?.ok !== true) {
    if (country?.northAmerica) {
      p.add('COUNTRY_UNSUPPORTED', 'Country', { value: rawCountry, reason: 'is in North America: provision it with --api dlr (unified serves region ROW)' });
    } else {
      p.add('COUNTRY_INVALID', 'Country', { value: rawCountry });
    }
  }
  const alpha3 = country?.ok ? country.alpha3 : rawCountry.toUpperCase();
  const alpha2 = country?.ok ? country.alpha2 : undefined;

  const rawPhone = clean(values.PhoneNumber);
  let phoneNumber = '';
  if (rawPhone === '') p.add('FIELD_REQUIRED', 'PhoneNumber');
  else {
    const phone = normalizeE164(rawPhone, alpha2);
    if (phone.ok) phoneNumber = phone.value;
    else if (phone.scientific) p.add('CALLBACK_SCIENTIFIC', 'PhoneNumber', { value: rawPhone });
    else p.add('PHONE_INVALID', 'PhoneNumber', { value: rawPhone, reason: phone.reason });
  }

  const addressId = clean(values.AddressId);
  if (/\s/.test(addressId)) p.add('ADDRESS_ID_INVALID', 'AddressId', { value: addressId });
  if (action === 'DELETE') {
    if (!p.ok) return { ok: false, errors: p.errors, warnings: p.warnings };
    const address = { addressLine1: '', addressLine2: '', city: '', postalCode: '', country: alpha3, companyName: '', customerType: 'BUS', friendlyName: '', service: '[ES]' } as const;
    return { ok: true, warnings: p.warnings, row: { profile: 'unified', action, phoneNumber, callerName: '', lang: 'en', country: alpha3, addressId, address, addressKey: '' } };
  }

  const callerName = p.text('CallerName', clean(values.CallerName), { required: true, limit: 50, recommended: 32 });
  const needAddress = addressId === '';
  const address = {
    addressLine1: p.text('AddressLine1', clean(values.AddressLine1), { required: needAddress, limit: 250 }),
    addressLine2: p.text('AddressLine2', clean(values.AddressLine2), { limit: 250 }),
    city: p.text('City', clean(values.City), { required: needAddress, limit: 100 }),
    postalCode: p.text('PostalCode', clean(values.PostalCode).toUpperCase(), { required: needAddress, limit: 20 }),
    country: alpha3,
    companyName: p.text('CompanyName', clean(values.CompanyName), { limit: 250 }),
    customerType: customerType(clean(values.CustomerType), p),
    friendlyName: p.text('FriendlyName', clean(values.FriendlyName), { limit: 250 }),
    service: service(clean(values.Service), p),
  };
  if (alpha2 !== undefined && address.postalCode !== '') {
    const postal = checkPostalCode(alpha2, address.postalCode);
    if (!postal.ok) p.add('POSTAL_CODE_INVALID', 'PostalCode', { value: address.postalCode, country: countryName(alpha2), form: postal.form });
  }
  const language = lang(clean(values.Lang), p);
  if (!p.ok) return { ok: false, errors: p.errors, warnings: p.warnings };
  return {
    ok: true,
    warnings: p.warnings,
    row: {
      profile: 'unified',
      action,
      phoneNumber,
      callerName,
      lang: language,
      country: alpha3,
      addressId,
      address,
      addressKey: addressId !== '' ? `unified-id|${addressId}` : unifiedAddressKey(address),
    },
  };
}
