// Stage 2, plan (pure): what each valid row needs, given what the state store says was provisioned.

import { createHash } from 'node:crypto';
import type { DlrRow, NormalizedRow } from '../rules/types.js';
import type { EndpointRecord } from '../state/store.js';

export type Plan =
  | { readonly kind: 'unchanged' }
  /** Sent by an earlier run whose order has not finished: not sent again. */
  | { readonly kind: 'in-flight' }
  | { readonly kind: 'keep-rejected'; readonly code: string; readonly message: string }
  | { readonly kind: 'add' }
  | { readonly kind: 'update' }
  | { readonly kind: 'delete' }
  /** An Action=DELETE row whose endpoint a run already deleted. */
  | { readonly kind: 'already-deleted' };

export const endpointKey = (row: NormalizedRow): string => (row.profile === 'dlr' ? row.identifier : row.phoneNumber);

/** The content that, when unchanged, means the endpoint needs nothing sent. */
export function contentHash(row: NormalizedRow): string {
  const content =
    row.profile === 'dlr'
      ? // County and PlusFour are not part of the address key (one address either way) but are provisioned.
        [row.identifier, row.callbackNumber, row.callerName, row.preferredLanguage, row.locationId, row.addressKey, row.address.County, row.address.PlusFour]
      : [row.phoneNumber, row.callerName, row.lang, row.country, row.addressKey];
  return createHash('sha256').update(content.join('\u0000')).digest('hex').slice(0, 32);
}

/**
 * dlr: the account does not report an endpoint's PreferredLanguage (the reference's GET aeuis/{acid}
 * has none): import-state hashes such an endpoint with this marker, and any language a row says is
 * then the same endpoint — a field the account does not report is unknown, not a change.
 */
export const LANGUAGE_UNKNOWN = '?';

/** Whether the row holds what `hash` was made of (an adopted endpoint's unknown language matches any). */
export function sameContent(row: NormalizedRow, hash: string): boolean {
  if (hash === contentHash(row)) return true;
  return row.profile === 'dlr' && hash === contentHash({ ...row, preferredLanguage: LANGUAGE_UNKNOWN as DlrRow['preferredLanguage'] });
}

export function planRow(row: NormalizedRow, known: EndpointRecord | undefined, retryRejected: boolean): Plan {
  if (row.action === 'DELETE') return known?.status === 'deleted' ? { kind: 'already-deleted' } : { kind: 'delete' };
  if (known === undefined || known.status === 'deleted') return { kind: 'add' };
  if (sameContent(row, known.contentHash)) {
    if (known.status === 'provisioned') return { kind: 'unchanged' };
    if (known.status === 'rejected' && !retryRejected) return { kind: 'keep-rejected', code: known.errorCode, message: known.errorMessage };
    if (known.status === 'pending' && known.orderId !== '') return { kind: 'in-flight' };
  }
  return known.status === 'provisioned' ? { kind: 'update' } : { kind: 'add' };
}
