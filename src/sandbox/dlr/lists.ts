// GET aeuis, GET aeuis/{acid} and GET addresses?type=e911, in the shapes of the API reference's
// examples (fixtures/reference/official/): the country spelled out, the AEUI's address as its
// `Billing` address without a LocationId, no PreferredLanguage or PIDFLOEnabled in the AEUI's
// details, and locations made from an endpoint's address without a LocationId listed without one.
// Paging as the numbers API does it: `page` is the id of the first element (the first page is 1;
// on GET aeuis an identifier too), `size` defaults to 500, and <Links> carries first/next as
// `Link=<url>;rel="first";`.

import { xmlReply, type Ctx, type Reply } from '../http.js';
import type { DlrAeui, DlrLocation } from '../store.js';
import { document, el, opt, responseStatus, wrap } from './xml.js';

export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 5000;

interface Paged<T> {
  items: T[];
  total: number;
  next: number | undefined;
  page: number;
  size: number;
}

function paginate<T extends { seq: number }>(all: T[], ctx: Ctx, byKey?: (item: T) => string): Paged<T> | string {
  const { query } = ctx;
  const raw = query.get('page');
  // GET aeuis also takes the first element's identifier (`page=<acid>`).
  const keyed = raw !== null && byKey !== undefined && !/^\d+$/.test(raw) ? all.find((item) => byKey(item) === raw) : undefined;
  const page = keyed !== undefined ? keyed.seq : raw === null ? 1 : Number(raw);
  const asked = query.get('size') === null ? DEFAULT_PAGE_SIZE : Number(query.get('size'));
  if (!Number.isInteger(page) || page < 1) return 'page must be the id of the first element (1 for the first page)';
  if (!Number.isInteger(asked) || asked < 1 || asked > MAX_PAGE_SIZE) return `size must be an integer from 1 to ${MAX_PAGE_SIZE}`;
  const size = Math.min(asked, ctx.core.options.maxPageSize ?? asked);
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
  const all = [...account.aeuis.values()].filter((x) => (aeui === null || x.identifier === aeui) && (callback === null || x.callbackNumber === callback));
  const paged = paginate(all, ctx, (x) => x.identifier);
  if (typeof paged === 'string') return xmlReply(400, responseStatus('AlternateEndUserIdentifiersResponse', 12087, paged));
  if (paged.items.length === 0) {
    return xmlReply(404, responseStatus('AlternateEndUserIdentifiersResponse', 12087, 'Alternate End User Identifiers were not found.'));
  }
  const params: Record<string, string> = {};
  if (aeui !== null) params.aeui = aeui;
  if (callback !== null) params.callback = callback;
  const list = paged.items.map((x) => wrap('AlternateEndUserIdentifier', el('Identifier', x.identifier) + el('CallbackNumber', x.callbackNumber))).join('');
  return xmlReply(200, document('AlternateEndUserIdentifiersResponse', el('TotalCount', paged.total) + linksXml(`${ctx.base}/aeuis`, paged, params) + wrap('AlternateEndUserIdentifiers', list)));
}

/** The reference's examples spell the country out ("United States"). */
const COUNTRY_NAMES: Readonly<Record<string, string>> = { US: 'United States', CA: 'Canada' };

function addressInner(location: DlrLocation): string {
  const a = location.address;
  let inner = '';
  for (const name of ['HousePrefix', 'HouseNumber', 'HouseSuffix', 'PreDirectional', 'StreetName', 'StreetSuffix', 'PostDirectional', 'AddressLine2'] as const) {
    inner += opt(name, a[name]);
  }
  for (const name of ['City', 'StateCode', 'Zip', 'PlusFour', 'County'] as const) inner += el(name, a[name]);
  return inner + el('Country', COUNTRY_NAMES[a.Country] ?? a.Country);
}

function locationXml(location: DlrLocation, endpointCount: number): string {
  const id = location.anonymous === true ? '' : el('LocationId', location.locationId);
  return wrap('Address', addressInner(location) + el('AddressType', 'E911') + id + el('EndpointCount', endpointCount) + el('ValidationStatus', 'VALID'));
}

export function getAeui(ctx: Ctx, identifier: string): Reply {
  ctx.core.advance(ctx.account, ctx.now);
  const aeui: DlrAeui | undefined = ctx.account.aeuis.get(identifier);
  if (aeui === undefined) return xmlReply(404, responseStatus('AlternateEndUserIdentifierResponse', undefined, 'The resource does not exist'));
  const location = ctx.account.locations.get(aeui.locationId);
  // As the reference's example: the caller name and the address (type Billing, no LocationId), nothing else.
  const e911 = el('CallerName', aeui.callerName) + (location === undefined ? '' : wrap('Address', addressInner(location) + el('AddressType', 'Billing')));
  return xmlReply(
    200,
    document('AlternateEndUserIdentifierResponse', wrap('AlternateEndUserIdentifier', el('Identifier', aeui.identifier) + el('CallbackNumber', aeui.callbackNumber) + wrap('E911', e911))),
  );
}

export function listAddresses(ctx: Ctx): Reply {
  const { account, query } = ctx;
  ctx.core.advance(account, ctx.now);
  const type = query.get('type');
  if (type === null || type === '') return xmlReply(400, responseStatus('AddressesResponse', 12105, 'Address type is required (type=e911)'));
  const locationId = query.get('e911locationid');
  if (locationId !== null && type.toLowerCase() !== 'e911') {
    return xmlReply(400, responseStatus('AddressesResponse', 12132, 'e911locationid can only be used with type=e911'));
  }
  const suggestions = query.get('suggestions')?.toUpperCase();
  const all =
    type.toLowerCase() !== 'e911'
      ? []
      : [...account.locations.values()].filter(
          (x) => (locationId === null || (x.locationId === locationId && x.anonymous !== true)) && (suggestions === undefined || x.locationId.toUpperCase().includes(suggestions)),
        );
  const paged = paginate(all, ctx);
  if (typeof paged === 'string') return xmlReply(400, responseStatus('AddressesResponse', 12106, paged));
  if (paged.items.length === 0) return xmlReply(404, responseStatus('AddressesResponse', 12106, 'E911 addresses not found'));
  const params: Record<string, string> = { type };
  if (locationId !== null) params.e911locationid = locationId;
  const list = paged.items.map((x) => locationXml(x, account.endpointCountByLocation.get(x.locationId) ?? 0)).join('');
  return xmlReply(200, document('AddressesResponse', el('TotalCount', paged.total) + linksXml(`${ctx.base}/addresses`, paged, params) + wrap('Addresses', list)));
}
