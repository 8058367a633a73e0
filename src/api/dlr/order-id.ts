import { createHash } from 'node:crypto';

export type DlrOrderKind = 'loc' | 'ep' | 'del-ep' | 'del-loc';

/** JSON with object keys sorted and undefined members dropped: equal content, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The CustomerOrderId of an order: `esp-<kind>-` and the sha256 of its items (order-insensitive),
 * in hex, 40 characters in all (the API's limit), letters, digits and dashes only. The same items
 * always give the same id, so after an ambiguous failure the order is found again by this id.
 */
export function customerOrderId(kind: DlrOrderKind, content: unknown): string {
  const items = Array.isArray(content) ? content.map(canonicalJson).sort() : [canonicalJson(content)];
  const digest = createHash('sha256')
    .update(`${kind}\n${items.join('\n')}`)
    .digest('hex');
  const prefix = `esp-${kind}-`;
  return prefix + digest.slice(0, 40 - prefix.length);
}

export const CUSTOMER_ORDER_ID = /^[A-Za-z0-9 -]{1,40}$/;
