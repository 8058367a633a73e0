// An address on one line, as a person reads it in the result file.

import type { DlrAddress, UnifiedAddress } from '../rules/types.js';

const join = (parts: readonly string[], sep: string): string => parts.filter((p) => p !== '').join(sep);

/** Rows at one address share its normalized object (rules/dlr.ts memo): format it once. */
const formatted = new WeakMap<DlrAddress, string>();

export function formatDlrAddress(a: DlrAddress): string {
  let text = formatted.get(a);
  if (text === undefined) {
    text = formatDlrAddressOnce(a);
    formatted.set(a, text);
  }
  return text;
}

function formatDlrAddressOnce(a: DlrAddress): string {
  const street =
    a.AddressLine1 !== ''
      ? a.AddressLine1
      : join([a.HousePrefix, `${a.HouseNumber}${a.HouseSuffix === '' ? '' : ` ${a.HouseSuffix}`}`, a.PreDirectional, a.StreetName, a.StreetSuffix, a.PostDirectional], ' ');
  const zip = a.PlusFour === '' ? a.Zip : `${a.Zip}-${a.PlusFour}`;
  return join([street, a.AddressLine2, a.City, join([a.StateCode, zip], ' '), a.Country], ', ');
}

export function formatUnifiedAddress(a: UnifiedAddress): string {
  return join([a.addressLine1, a.addressLine2, join([a.postalCode, a.city], ' '), a.country], ', ');
}
