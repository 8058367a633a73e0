// Writing E911Order documents the way the DLR document shows them: the POST answer
// (E911OrderResponse/E911Order, RECEIVED, the items echoed), the order as GET returns it over
// time (standardized addresses, ValidationStatus, Adjusted, grouped ErrorList), its history and
// the summaries of the order list.

import type { DlrItem, DlrItemResult, DlrOrder, ItemError } from '../store.js';
import { ADDRESS_FIELDS, type StdAddress } from './geocoder.js';
import { el, opt, wrap } from './xml.js';

export function orderStatus(order: DlrOrder, now: number): string {
  if (order.final !== undefined) return order.final.status;
  return now < order.processingAt ? 'RECEIVED' : 'PROCESSING';
}

export function lastModified(order: DlrOrder, now: number): number {
  if (order.final !== undefined) return order.finalAt;
  return now < order.processingAt ? order.created : order.processingAt;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const AEUI_FIELDS = ['Identifier', 'CallbackNumber', 'PIDFLOEnabled', 'CallerName', 'PreferredLanguage', 'LocationId'] as const;

function echoAddress(fields: Record<string, string>, extra = ''): string {
  let inner = fields.AddressLine1 === undefined ? '' : el('AddressLine1', fields.AddressLine1);
  for (const name of ADDRESS_FIELDS) if (fields[name] !== undefined) inner += el(name, fields[name]);
  if (fields.LocationId !== undefined) inner += el('LocationId', fields.LocationId);
  return wrap('Address', inner + extra);
}

function standardizedAddress(address: StdAddress, locationId: string, adjusted: boolean): string {
  let inner = '';
  for (const name of ['HousePrefix', 'HouseNumber', 'HouseSuffix', 'PreDirectional', 'StreetName', 'StreetSuffix', 'PostDirectional', 'AddressLine2'] as const) {
    inner += opt(name, address[name]);
  }
  for (const name of ['City', 'StateCode', 'Zip', 'PlusFour', 'County', 'Country'] as const) inner += el(name, address[name]);
  inner += el('AddressType', 'E911') + el('LocationId', locationId) + el('ValidationStatus', 'VALID') + el('Adjusted', adjusted);
  return wrap('Address', inner);
}

function echoAeui(item: DlrItem): string {
  let inner = '';
  for (const name of AEUI_FIELDS) if (item.fields[name] !== undefined) inner += el(name, item.fields[name]);
  if (item.address !== undefined) inner += echoAddress(item.address);
  return wrap('AlternateEndUserIdentifier', inner);
}

function itemsXml(order: DlrOrder): string {
  const results = order.final?.results;
  if (order.kind === 'endpoint' || order.kind === 'endpointDelete') {
    return wrap('AlternateEndUserIdentifiers', order.items.map(echoAeui).join(''));
  }
  const addresses = order.items.map((item, index) => {
    const result: DlrItemResult | undefined = results?.[index];
    if (order.kind === 'location' && result?.address !== undefined) {
      return standardizedAddress(result.address, (item.fields.LocationId ?? '').trim(), result.adjusted === true);
    }
    return echoAddress(item.fields, result?.invalidAddress === true ? el('ValidationStatus', 'INVALID') : '');
  });
  return wrap('AdditionalAddresses', addresses.join(''));
}

/** Per api-notes §9: one group per (Code, Description), naming every item it concerns. */
function errorListXml(order: DlrOrder): string {
  const results = order.final?.results;
  if (results === undefined) return '<ErrorList/>';
  const groups = new Map<string, { error: ItemError; keys: string[] }>();
  results.forEach((result, index) => {
    if (result.error === undefined) return;
    const groupKey = `${result.error.code}\u0000${result.error.description}`;
    const group = groups.get(groupKey) ?? { error: result.error, keys: [] };
    const fields = order.items[index]?.fields ?? {};
    group.keys.push((order.kind === 'endpoint' || order.kind === 'endpointDelete' ? fields.Identifier : fields.LocationId) ?? '');
    groups.set(groupKey, group);
  });
  let inner = '';
  for (const { error, keys } of groups.values()) {
    const tail = el('Code', error.code) + el('Description', error.description);
    if (order.kind === 'endpoint' || order.kind === 'endpointDelete') {
      const aeuis = keys.map((key) => wrap('AlternateEndUserIdentifier', el('Identifier', key))).join('');
      inner += wrap('AEUIError', wrap('AlternateEndUserIdentifiers', aeuis) + tail);
    } else {
      const addresses = keys.map((key) => wrap('Address', el('LocationId', key))).join('');
      inner += wrap('E911AddressError', wrap('Addresses', addresses) + tail);
    }
  }
  return wrap('ErrorList', inner);
}

/** The E911Order element at time `now`. */
export function orderXml(order: DlrOrder, now: number): string {
  return wrap('E911Order', orderInner(order, now));
}

/** The children of the E911Order element at time `now`. */
export function orderInner(order: DlrOrder, now: number): string {
  return (
    opt('CustomerOrderId', order.customerOrderId) +
    el('OrderCreateDate', iso(order.created)) +
    el('AccountId', order.accountId) +
    el('CreatedByUser', order.createdByUser) +
    el('OrderId', order.orderId) +
    el('LastModifiedDate', iso(lastModified(order, now))) +
    el('ProcessingStatus', orderStatus(order, now)) +
    itemsXml(order) +
    errorListXml(order) +
    el('OrderType', 'e911')
  );
}

/** The OrderHistory entries (children of OrderHistoryWrapper) reached at time `now`. */
export function historyInner(order: DlrOrder, now: number): string {
  const entry = (at: number, status: string, note: string): string => wrap('OrderHistory', el('OrderDate', iso(at)) + el('Note', note) + el('Author', order.createdByUser) + el('Status', status));
  let inner = entry(order.created, 'RECEIVED', 'Order received');
  if (order.final !== undefined || now >= order.processingAt) inner += entry(order.processingAt, 'PROCESSING', 'Order processing');
  if (order.final !== undefined) {
    const failed = order.final.results.filter((r) => r.error !== undefined).length;
    inner += entry(order.finalAt, order.final.status, failed === 0 ? 'Order completed' : `${failed} of ${order.items.length} items failed`);
  }
  return inner;
}

export function summaryXml(order: DlrOrder, now: number): string {
  return wrap(
    'E911OrderSummary',
    el('accountId', order.accountId) +
      el('CountOfTNs', 0) +
      el('userId', order.createdByUser) +
      el('lastModifiedDate', iso(lastModified(order, now))) +
      el('OrderDate', iso(order.created)) +
      el('OrderType', 'e911') +
      el('OrderStatus', orderStatus(order, now)) +
      el('OrderId', order.orderId),
  );
}
