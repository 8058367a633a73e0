// One key per distinct address, so every row at an address shares one validation and one ID.

import { createHash } from 'node:crypto';
import { abbreviateDirectional, abbreviateSuffix } from './abbreviations.js';
import { keyText } from './text.js';
import type { DlrAddress, UnifiedAddress } from './types.js';

export interface StreetParts {
  readonly HouseNumber: string;
  readonly PreDirectional: string;
  readonly StreetName: string;
  readonly StreetSuffix: string;
  readonly PostDirectional: string;
}

/**
 * Splits a street line ("900 Main Campus Drive", "12 N Elm St SW") into its parts the way the
 * geocoder would: a leading house number, a directional only where a street name remains, a
 * known suffix at the end. Used for the address key; the line itself is what is sent.
 */
export function parseStreetLine(line: string): StreetParts {
  const words = keyText(line).split(' ').filter(Boolean);
  let house = '';
  if (words.length > 1 && /^\d/.test(words[0] ?? '')) house = words.shift() ?? '';
  let pre = '';
  let post = '';
  let suffix = '';
  if (words.length > 2) {
    const d = abbreviateDirectional(words[0] ?? '');
    if (d !== undefined) {
      pre = d;
      words.shift();
    }
  }
  if (words.length > 2) {
    const d = abbreviateDirectional(words[words.length - 1] ?? '');
    if (d !== undefined) {
      post = d;
      words.pop();
    }
  }
  if (words.length > 1) {
    const s = abbreviateSuffix(words[words.length - 1] ?? '');
    if (s !== undefined) {
      suffix = s;
      words.pop();
    }
  }
  return { HouseNumber: house, PreDirectional: pre, StreetName: words.join(' '), StreetSuffix: suffix, PostDirectional: post };
}

export function dlrAddressKey(a: DlrAddress): string {
  // A suffix or directional written inside StreetName ("Main Campus Dr") is the same address as
  // one given in its own column.
  const street =
    a.AddressLine1 !== '' && a.StreetName === ''
      ? parseStreetLine(a.AddressLine1)
      : a.StreetSuffix === '' && a.PostDirectional === ''
        ? { ...parseStreetLine(`${a.HouseNumber} ${a.PreDirectional} ${a.StreetName}`), HouseNumber: a.HouseNumber }
        : a;
  return [
    'dlr',
    a.HousePrefix,
    street.HouseNumber,
    a.HouseSuffix,
    street.PreDirectional,
    street.StreetName,
    street.StreetSuffix,
    street.PostDirectional,
    a.AddressLine2,
    a.City,
    a.StateCode,
    a.Zip,
    a.Country,
  ]
    .map(keyText)
    .join('|');
}

export function unifiedAddressKey(a: UnifiedAddress): string {
  return ['unified', a.country, keyText(a.postalCode).replace(/ /g, ''), keyText(a.city), keyText(a.addressLine1), keyText(a.addressLine2), keyText(a.companyName), a.customerType].join('|');
}

/**
 * A LocationId derived from the address key: the same address gives the same id on every run.
 * Each distinct address is derived once per file by the address memo in rules/dlr.ts.
 */
export function deriveLocationId(addressKey: string): string {
  return `esp${createHash('sha256').update(addressKey).digest('hex').slice(0, 29)}`;
}
