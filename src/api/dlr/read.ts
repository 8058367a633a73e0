/** XML answers of the DLR API → typed plain objects. Tolerant: unknown elements are ignored. */
import { child, findAll, list, text, texts, type XmlObject } from './xml.js';
import {
  DLR_FINAL_STATUSES,
  DLR_ORDER_STATUSES,
  type DlrAddress,
  type DlrAeuiDetails,
  type DlrAeuiListItem,
  type DlrItemError,
  type DlrLocationListItem,
  type DlrOrder,
  type DlrOrderAeui,
  type DlrOrderHistoryEntry,
  type DlrOrderStatus,
  type DlrOrderSummary,
} from './types.js';

const ADDRESS_FIELDS: ReadonlyArray<[keyof DlrAddress, string]> = [
  ['addressLine1', 'AddressLine1'],
  ['housePrefix', 'HousePrefix'],
  ['houseNumber', 'HouseNumber'],
  ['houseSuffix', 'HouseSuffix'],
  ['preDirectional', 'PreDirectional'],
  ['streetName', 'StreetName'],
  ['streetSuffix', 'StreetSuffix'],
  ['postDirectional', 'PostDirectional'],
  ['addressLine2', 'AddressLine2'],
  ['city', 'City'],
  ['stateCode', 'StateCode'],
  ['zip', 'Zip'],
  ['plusFour', 'PlusFour'],
  ['county', 'County'],
  ['country', 'Country'],
];

export function readAddress(node: XmlObject | undefined): DlrAddress {
  const out: DlrAddress = {};
  for (const [field, element] of ADDRESS_FIELDS) {
    const value = text(node, element);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** COMPLETED read as COMPLETE; anything unknown is UNKNOWN (not final). */
export function normalizeStatus(raw: string | undefined): DlrOrderStatus {
  const s = (raw ?? '')
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  const fixed = s.replace(/COMPLETED$/, 'COMPLETE');
  return (DLR_ORDER_STATUSES as readonly string[]).includes(fixed) ? (fixed as DlrOrderStatus) : 'UNKNOWN';
}

export function isFinal(status: DlrOrderStatus): boolean {
  return DLR_FINAL_STATUSES.has(status);
}

const squash = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

function aeuisOf(node: XmlObject | undefined): XmlObject[] {
  return list(child(node, 'AlternateEndUserIdentifiers'), 'AlternateEndUserIdentifier');
}

function addressesOf(node: XmlObject | undefined): XmlObject[] {
  return [...list(child(node, 'Addresses'), 'Address'), ...list(child(node, 'AdditionalAddresses'), 'Address')];
}

/** ErrorList/AEUIError, ErrorList/E911AddressError, ErrorList/Error (api-notes §9). */
export function readErrors(errorList: XmlObject | undefined): DlrItemError[] {
  const out: DlrItemError[] = [];
  for (const g of list(errorList, 'AEUIError')) {
    const aeuis = aeuisOf(g);
    out.push({
      kind: 'aeui',
      code: text(g, 'Code') ?? '',
      description: squash(text(g, 'Description')),
      identifiers: aeuis.flatMap((a) => text(a, 'Identifier') ?? []),
      locationIds: aeuis.flatMap((a) => text(a, 'LocationId') ?? []),
    });
  }
  for (const g of list(errorList, 'E911AddressError')) {
    out.push({
      kind: 'address',
      code: text(g, 'Code') ?? '',
      description: squash(text(g, 'Description')),
      identifiers: [],
      locationIds: addressesOf(g).flatMap((a) => text(a, 'LocationId') ?? []),
    });
  }
  for (const g of list(errorList, 'Error')) {
    out.push({
      kind: 'order',
      code: text(g, 'Code') ?? text(g, 'ErrorCode') ?? '',
      description: squash(text(g, 'Description')),
      identifiers: [],
      locationIds: [],
    });
  }
  return out;
}

function readOrderAeui(node: XmlObject): DlrOrderAeui {
  const out: DlrOrderAeui = { identifier: text(node, 'Identifier') ?? '' };
  const set = (key: 'callbackNumber' | 'callerName' | 'preferredLanguage' | 'locationId', element: string) => {
    const value = text(node, element);
    if (value !== undefined) out[key] = value;
  };
  set('callbackNumber', 'CallbackNumber');
  set('callerName', 'CallerName');
  set('preferredLanguage', 'PreferredLanguage');
  set('locationId', 'LocationId');
  const pidflo = text(node, 'PIDFLOEnabled');
  if (pidflo !== undefined) out.pidfloEnabled = pidflo.toLowerCase() === 'true';
  return out;
}

export function readOrder(node: XmlObject): DlrOrder {
  const rawStatus = text(node, 'ProcessingStatus') ?? text(node, 'OrderStatus') ?? '';
  const status = normalizeStatus(rawStatus);
  const order: DlrOrder = {
    orderId: text(node, 'OrderId') ?? '',
    customerOrderId: text(node, 'CustomerOrderId') ?? '',
    status,
    rawStatus,
    final: isFinal(status),
    errors: readErrors(child(node, 'ErrorList')),
    addresses: list(child(node, 'AdditionalAddresses'), 'Address').map((a) => {
      const adjusted = text(a, 'Adjusted');
      const validationStatus = text(a, 'ValidationStatus');
      return {
        ...readAddress(a),
        locationId: text(a, 'LocationId') ?? '',
        ...(validationStatus !== undefined ? { validationStatus } : {}),
        ...(adjusted !== undefined ? { adjusted: adjusted.toLowerCase() === 'true' } : {}),
      };
    }),
    aeuis: aeuisOf(node).map(readOrderAeui),
  };
  const created = text(node, 'OrderCreateDate');
  const modified = text(node, 'LastModifiedDate');
  if (created !== undefined) order.createdAt = created;
  if (modified !== undefined) order.lastModifiedAt = modified;
  return order;
}

/** the E911Order of an answer, wrapped in E911OrderResponse or not */
export function findOrder(doc: XmlObject): XmlObject | undefined {
  return child(doc, 'E911OrderResponse', 'E911Order') ?? child(doc, 'E911Order') ?? findAll(doc, 'E911Order')[0];
}

/** ResponseStatus/ErrorCode+Description anywhere, else the first Error's Code+Description */
export function readApiError(doc: XmlObject): { code?: string; description?: string } {
  const status = findAll(doc, 'ResponseStatus')[0];
  const error = status ?? findAll(doc, 'Error')[0];
  const code = text(error, 'ErrorCode') ?? text(error, 'Code');
  const description = text(error, 'Description');
  return {
    ...(code !== undefined ? { code } : {}),
    ...(description !== undefined ? { description: squash(description) } : {}),
  };
}

/**
 * The 409 ErrorMessage lists each change as `Specified value - Street Name : "ANSUN" Valid value -
 * "ANSON"`, with the colons URL-encoded (%3A) in the reference example.
 */
export function readAdjustments(doc: XmlObject): string[] {
  const messages = findAll(doc, 'GeocodeRequestResponse').flatMap((r) => texts(r, 'ErrorMessage'));
  const all = messages.length > 0 ? messages : texts(doc, 'ErrorMessage');
  const out: string[] = [];
  for (const message of all) {
    const decoded = message.replace(/%([0-9A-Fa-f]{2})/g, (m, hex: string) => {
      const ch = String.fromCharCode(parseInt(hex, 16));
      return /[ -~]/.test(ch) ? ch : m;
    });
    const changes = [...decoded.matchAll(/Specified value\s*-\s*(.+?)\s*:\s*"([^"]*)"\s*Valid value\s*-\s*"([^"]*)"/g)];
    if (changes.length === 0) out.push(squash(decoded));
    for (const [, field, from, to] of changes) out.push(`${squash(field)}: ${from ?? ''} -> ${to ?? ''}`);
  }
  return out.filter((s) => s !== '');
}

export function readSummaries(doc: XmlObject, customerOrderId: string): DlrOrderSummary[] {
  const summaries = findAll(doc, 'E911OrderSummary');
  const detailed = summaries.length > 0 ? [] : findAll(doc, 'E911Order');
  return [...summaries, ...detailed].map((s) => {
    const rawStatus = text(s, 'OrderStatus') ?? text(s, 'ProcessingStatus') ?? '';
    const status = normalizeStatus(rawStatus);
    const out: DlrOrderSummary = {
      orderId: text(s, 'OrderId') ?? '',
      customerOrderId: text(s, 'CustomerOrderId') ?? customerOrderId,
      status,
      rawStatus,
      final: isFinal(status),
    };
    const orderDate = text(s, 'OrderDate') ?? text(s, 'OrderCreateDate');
    const modified = text(s, 'LastModifiedDate');
    if (orderDate !== undefined) out.orderDate = orderDate;
    if (modified !== undefined) out.lastModifiedDate = modified;
    return out;
  });
}

export function readHistory(doc: XmlObject): DlrOrderHistoryEntry[] {
  return findAll(doc, 'OrderHistory').map((h) => {
    const entry: DlrOrderHistoryEntry = {};
    const date = text(h, 'OrderDate');
    const status = text(h, 'Status');
    const note = text(h, 'Note');
    const author = text(h, 'Author');
    if (date !== undefined) entry.date = date;
    if (status !== undefined) entry.status = status;
    if (note !== undefined) entry.note = note;
    if (author !== undefined) entry.author = author;
    return entry;
  });
}

export function readAeuiList(doc: XmlObject): DlrAeuiListItem[] {
  return findAll(doc, 'AlternateEndUserIdentifier').map((a) => {
    const item: DlrAeuiListItem = { identifier: text(a, 'Identifier') ?? '' };
    const callback = text(a, 'CallbackNumber');
    const callerName = text(a, 'CallerName') ?? text(child(a, 'E911'), 'CallerName');
    const locationId = text(a, 'LocationId') ?? text(child(a, 'E911', 'Address'), 'LocationId');
    if (callback !== undefined) item.callbackNumber = callback;
    if (callerName !== undefined) item.callerName = callerName;
    if (locationId !== undefined) item.locationId = locationId;
    return item;
  });
}

/** `AlternateEndUserIdentifierResponse`; undefined when it holds no endpoint. */
export function readAeuiDetails(doc: XmlObject): DlrAeuiDetails | undefined {
  const a = findAll(doc, 'AlternateEndUserIdentifier')[0];
  const identifier = text(a, 'Identifier');
  if (a === undefined || identifier === undefined) return undefined;
  const e911 = child(a, 'E911');
  const addressNode = child(e911, 'Address');
  const item: DlrAeuiDetails = { identifier };
  const callback = text(a, 'CallbackNumber');
  const callerName = text(e911, 'CallerName') ?? text(a, 'CallerName');
  const language = text(e911, 'PreferredLanguage') ?? text(a, 'PreferredLanguage');
  const locationId = text(addressNode, 'LocationId') ?? text(e911, 'LocationId') ?? text(a, 'LocationId');
  if (callback !== undefined) item.callbackNumber = callback;
  if (callerName !== undefined) item.callerName = callerName;
  if (language !== undefined) item.preferredLanguage = language;
  if (locationId !== undefined) item.locationId = locationId;
  if (addressNode !== undefined) item.address = readAddress(addressNode);
  return item;
}

export function readLocationList(doc: XmlObject): DlrLocationListItem[] {
  return findAll(doc, 'Address').map((a) => {
    const item: DlrLocationListItem = readAddress(a);
    const locationId = text(a, 'LocationId');
    const validationStatus = text(a, 'ValidationStatus');
    const endpointCount = text(a, 'EndpointCount');
    const addressType = text(a, 'AddressType');
    if (locationId !== undefined) item.locationId = locationId;
    if (validationStatus !== undefined) item.validationStatus = validationStatus;
    if (endpointCount !== undefined && /^\d+$/.test(endpointCount)) item.endpointCount = Number(endpointCount);
    if (addressType !== undefined) item.addressType = addressType;
    return item;
  });
}

/** `page` of the next page from `Links/next` (`Link=<…?type=e911&page=X&size=500>;rel="next";`) */
export function nextPage(doc: XmlObject): string | undefined {
  const links = findAll(doc, 'Links')[0];
  const next = text(links, 'next');
  if (!next) return undefined;
  const match = /[?&]page=([^&>;"\s]+)/.exec(next);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
