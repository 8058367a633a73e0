// GET aeuis, GET aeuis/{acid} and GET addresses?type=e911. Paging as the numbers API does it:
// `page` is the id of the first element (the first page is 1), `size` defaults to 500, and
// <Links> carries first/next as `Link=<url>;rel="first";`.

import { xmlReply, type Ctx, type Reply } from '../http.js';
import type { DlrAeui, DlrLocation } from '../store.js';
import { document, el, opt, responseStatus, wrap } from './xml.js';

export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 5000;

interface Paged<T> { items: T[]; total: number; next: number | undefined; page: number; size: number }

function paginate<T extends { seq: number }>(all: T[], query: URLSearchParams): Paged<T> | string {
  const page = query.get('page') === null ? 1 : Number(query.get('page'));
  const size = query.get('size') === null ? DEFAULT_PAGE_SIZE : Number(query.get('size'));
  if (!Number.isInteger(page) || page < 1) return 'page must be the id of the first element (1 for the first page)';
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return `size must be an integer from 1 to ${MAX_PAGE_SIZE}`;
  // Maps keep insertion order and seq grows with insertion, so `all` is already sorted by seq.
  const start = all.findIndex((item) => item.seq >= page);
  const items = start < 0 ? [] : all.slice(start, start + size);
  const after = start < 0 ? undefined : all[start + size];
  return { items, total: all.length, next: after?.seq, page, size };
}

function linksXml(url: string, paged: Paged<unknown>, params: Record<string, string>): string {
  const link = (page: number, rel: string): string => {
    const search = new URLSearchParams({ ...params, page: String(page), size: String(paged.size) });
    return `Link=<${url}?${search.toString()}>;rel="${rel}";`;
  };
  return wrap('Links', el('first', link(1, 'first')) + (paged.next === undefined ? '' : el('next', link(paged.next, 'next'))));
}

export function listAeuis(ctx: Ctx): Reply {
  const { account, query } = ctx;
  ctx.core.advance(account, ctx.now);
  const aeui = query.get('aeui');
  const callback = query.get('callback');
  const all = [...account.aeuis.values()].filter((x) =>
    (aeui === null || x.identifier === aeui) && (callback === null || x.callbackNumber === callback));
  const paged = paginate(all, query);
  if (typeof paged === 'string') return xmlReply(400, responseStatus('AlternateEndUserIdentifiersResponse', 12087, paged));
  if (paged.items.length === 0) {
    return xmlReply(404, responseStatus('AlternateEndUserIdentifiersResponse', 12087, 'Alternate End User Identifiers were not found.'));
  }
  const params: Record<string, string> = {};
  if (aeui !== null) params.aeui = aeui;
  if (callback !== null) params.callback = callback;
  const list = paged.items.map((x) => wrap('AlternateEndUserIdentifier', el('Identifier', x.identifier) + el('CallbackNumber', x.callbackNumber))).join('');
  return xmlReply(200, document('AlternateEndUserIdentifiersResponse',
    el('TotalCount', paged.total) + linksXml(`${ctx.base}/aeuis`, paged, params) + wrap('AlternateEndUserIdentifiers', list)));
}

function locationXml(location: DlrLocation, endpointCount: number | undefined): string {
  const a = location.address;
  let inner = '';
  for (const name of ['HousePrefix', 'HouseNumber', 'HouseSuffix', 'PreDirectional', 'StreetName', 'StreetSuffix', 'PostDirectional', 'AddressLine2'] as const) {
    inner += opt(name, a[name]);
  }
  for (const name of ['City', 'StateCode', 'Zip', 'PlusFour', 'County', 'Country'] as const) inner += el(name, a[name]);
  inner += el('AddressType', 'E911') + el('LocationId', location.locationId);
  if (endpointCount !== undefined) inner += el('EndpointCount', endpointCount);
  return wrap('Address', inner + el('ValidationStatus', 'VALID'));
}

export function getAeui(ctx: Ctx, identifier: string): Reply {
  ctx.core.advance(ctx.account, ctx.now);
  const aeui: DlrAeui | undefined = ctx.account.aeuis.get(identifier);
  if (aeui === undefined) return xmlReply(404, responseStatus('AlternateEndUserIdentifierResponse', undefined, 'The resource does not exist'));
  const location = ctx.account.locations.get(aeui.locationId);
  const e911 = el('CallerName', aeui.callerName) + el('PreferredLanguage', aeui.preferredLanguage)
    + (location === undefined ? el('LocationId', aeui.locationId) : locationXml(location, undefined));
  return xmlReply(200, document('AlternateEndUserIdentifierResponse', wrap('AlternateEndUserIdentifier',
    el('Identifier', aeui.identifier) + el('CallbackNumber', aeui.callbackNumber) + el('PIDFLOEnabled', true) + wrap('E911', e911))));
}

export function listAddresses(ctx: Ctx): Reply {
  const { account, query } = ctx;
  ctx.core.advance(account, ctx.now);
  const type = query.get('type');
  if (type === null || type === '') return xmlReply(400, responseStatus('AddressesResponse', 12131, 'The type parameter is required (type=e911)'));
  const locationId = query.get('e911locationid');
  if (locationId !== null && type.toLowerCase() !== 'e911') {
    return xmlReply(400, responseStatus('AddressesResponse', 12132, 'e911locationid can only be used with type=e911'));
  }
  const suggestions = query.get('suggestions')?.toUpperCase();
  const all = type.toLowerCase() !== 'e911' ? [] : [...account.locations.values()].filter((x) =>
    (locationId === null || x.locationId === locationId) && (suggestions === undefined || x.locationId.toUpperCase().includes(suggestions)));
  const paged = paginate(all, query);
  if (typeof paged === 'string') return xmlReply(400, responseStatus('AddressesResponse', 12106, paged));
  if (paged.items.length === 0) return xmlReply(404, responseStatus('AddressesResponse', 12106, 'E911 addresses not found'));
  const params: Record<string, string> = { type };
  if (locationId !== null) params.e911locationid = locationId;
  const list = paged.items.map((x) => locationXml(x, account.endpointCountByLocation.get(x.locationId) ?? 0)).join('');
  return xmlReply(200, document('AddressesResponse',
    el('TotalCount', paged.total) + linksXml(`${ctx.base}/addresses`, paged, params) + wrap('Addresses', list)));
}
