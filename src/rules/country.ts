// ISO 3166 countries for the unified profile: alpha-3 is what the API takes; alpha-2 and English
// names are mapped.

import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(en);

/** Countries served by the dlr profile (region NA); the unified profile sends region=ROW only. */
const NORTH_AMERICA = new Set(['USA', 'CAN', 'PRI', 'VIR', 'GUM', 'ASM', 'MNP', 'UMI']);

export type CountryResult = { readonly ok: true; readonly alpha3: string; readonly alpha2: string } | { readonly ok: false; readonly northAmerica: boolean };

export function lookupCountry(value: string): CountryResult {
  const v = value.trim();
  let alpha3: string | undefined;
  if (v.toUpperCase() === 'UK' || /^great britain$/i.test(v)) alpha3 = 'GBR';
  else if (/^[A-Za-z]{3}$/.test(v) && countries.isValid(v.toUpperCase())) alpha3 = v.toUpperCase();
  else if (/^[A-Za-z]{2}$/.test(v)) alpha3 = countries.alpha2ToAlpha3(v.toUpperCase());
  else alpha3 = countries.getAlpha3Code(v, 'en') ?? countries.getSimpleAlpha3Code(v, 'en');
  if (alpha3 === undefined) return { ok: false, northAmerica: false };
  if (NORTH_AMERICA.has(alpha3)) return { ok: false, northAmerica: true };
  const alpha2 = countries.alpha3ToAlpha2(alpha3);
  return alpha2 === undefined ? { ok: false, northAmerica: false } : { ok: true, alpha3, alpha2 };
}

/** The English name of a country (alpha-2), for messages; the code itself when unknown. */
export function countryName(alpha2: string): string {
  return countries.getName(alpha2, 'en') ?? alpha2;
}
