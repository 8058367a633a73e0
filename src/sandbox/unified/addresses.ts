// Unified addresses: POST (synchronous validation, 201 even when INVALID), GET one and list,
// PATCH (addressLine1, description), DELETE (204).

import { createRequire } from 'node:module';
import { STREET_SUFFIXES } from '../../rules/abbreviations.js';
import { jsonReply, type Ctx, type Reply } from '../http.js';
import { fnv1a } from '../rng.js';
import { bump, type UnifiedAddress } from '../store.js';
import { badRequest, isoMillis, notFound, pageLinks, readJson, readPage, str } from './common.js';

const codes = createRequire(import.meta.url)('i18n-iso-countries/codes.json') as [string, string, ...string[]][];
const ALPHA3 = new Set(codes.map((entry) => entry[1]));
/** Countries of region NA: their addresses belong to calls with region=NA. */
const NA_COUNTRIES = new Set(['USA', 'CAN']);
const NOWHERE = /\bNOWHERE\b/i;
const SERVICES = new Set(['ES', 'DS', 'ESDS', '[ES]', '[DS]', '[ES,DS]', '[ESDS]']);

/** Request fields echoed back as they were sent (everything else the API derives). */
const DERIVED = new Set(['id', 'addressLine1', 'city', 'postalCode', 'country', 'validationStatus', 'created', 'updated']);

export function addressKey(fields: Record<string, unknown>): string {
  return ['addressLine1', 'addressLine2', 'city', 'postalCode', 'country'].map((name) => str(fields[name]).toUpperCase().replace(/\s+/g, ' ').trim()).join('|');
}

/** "11 Plein v Verenigde Naties" → 11 / PLEIN V VERENIGDE NATIES; "Keizersgracht 123" → 123 / KEIZERSGRACHT. */
function splitStreet(line: string): { houseNumber: string; streetName: string; streetType?: string } {
  const words = line
    .trim()
    .toUpperCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  let houseNumber = '';
  if (words.length > 1 && /\d/.test(words[0] ?? '')) houseNumber = words.shift() ?? '';
  else if (words.length > 1 && /\d/.test(words.at(-1) ?? '')) houseNumber = words.pop() ?? '';
  const streetName = words.join(' ');
  const last = words.at(-1) ?? '';
  const isType = words.length > 1 && STREET_SUFFIXES[last] !== undefined && STREET_SUFFIXES[last] !== last;
  return isType ? { houseNumber, streetName, streetType: last } : { houseNumber, streetName };
}

function validationProblem(fields: Record<string, unknown>): Reply | undefined {
  for (const name of ['addressLine1', 'city', 'country'] as const) {
    if (str(fields[name]).trim() === '') return badRequest(`${name} is required.`, { field: name });
  }
  const country = str(fields.country);
  if (!/^[A-Z]{3}$/.test(country) || !ALPHA3.has(country)) {
    return badRequest(`country ${country} is not an ISO 3166-1 alpha-3 code (e.g. GBR, NLD).`, { field: 'country' });
  }
  if (NA_COUNTRIES.has(country)) return badRequest(`country ${country} belongs to region NA; this call is for region ROW.`, { field: 'country' });
  const customerType = fields.customerType;
  if (customerType !== undefined && customerType !== 'RES' && customerType !== 'BUS') {
    return badRequest('customerType must be RES or BUS.', { field: 'customerType' });
  }
  if (fields.service !== undefined && !SERVICES.has(str(fields.service))) {
    return badRequest('service must be ES, DS or ESDS.', { field: 'service' });
  }
  return undefined;
}

export function addressJson(address: UnifiedAddress): Record<string, unknown> {
  const f = address.fields;
  const echoed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(f)) if (!DERIVED.has(name)) echoed[name] = value;
  const line1 = str(f.addressLine1).replace(/\s+/g, ' ').trim();
  const hash = fnv1a(address.key);
  return {
    ...echoed,
    id: address.id,
    validationStatus: address.validationStatus,
    address: line1,
    ...splitStreet(line1),
    city: str(f.city).toUpperCase(),
    postalCode: str(f.postalCode).toUpperCase(),
    country: str(f.country),
    latitude: Math.round((35 + (hash % 2000) / 100) * 1e6) / 1e6,
    longitude: Math.round((-5 + ((hash >>> 11) % 2500) / 100) * 1e6) / 1e6,
    created: address.created,
    updated: address.updated,
  };
}

export function postAddress(ctx: Ctx): Reply {
  const body = readJson(ctx);
  if (!body.ok) return body.reply;
  const fields = body.value;
  const problem = validationProblem(fields);
  if (problem !== undefined) return problem;
  const { account, core } = ctx;
  const requested = fields.id;
  if (requested !== undefined && (typeof requested !== 'string' || !/^\S+$/.test(requested))) {
    return badRequest('id must be a string without spaces.', { field: 'id' });
  }
  if (requested !== undefined && account.addresses.has(requested)) {
    return badRequest(`An address with id ${requested} already exists.`, { field: 'id' });
  }
  const key = addressKey(fields);
  bump(account.counters.addressSubmissions, key);
  const at = isoMillis(ctx.now);
  const address: UnifiedAddress = {
    id: requested ?? core.newId(),
    validationStatus: NOWHERE.test(str(fields.addressLine1)) ? 'INVALID' : 'VALID',
    fields,
    key,
    created: at,
    updated: at,
  };
  account.addresses.set(address.id, address);
  core.markDirty();
  return jsonReply(201, addressJson(address));
}

export function getAddress(ctx: Ctx, id: string): Reply {
  const address = ctx.account.addresses.get(id);
  return address === undefined ? notFound(`Address ${id} does not exist.`, { reference: `/addresses/${id}` }) : jsonReply(200, addressJson(address));
}

export function listAddresses(ctx: Ctx): Reply {
  const page = readPage(ctx.query, ctx.core.options.maxPageSize);
  if ('status' in page) return page;
  const all = [...ctx.account.addresses.values()];
  const slice = all.slice(page.offset, page.offset + page.limit);
  return jsonReply(200, { links: pageLinks('/addresses', page, all.length), addresses: slice.map(addressJson) });
}

export function patchAddress(ctx: Ctx, id: string): Reply {
  const address = ctx.account.addresses.get(id);
  if (address === undefined) return notFound(`Address ${id} does not exist.`, { reference: `/addresses/${id}` });
  const body = readJson(ctx);
  if (!body.ok) return body.reply;
  const extra = Object.keys(body.value).filter((name) => name !== 'addressLine1' && name !== 'description');
  if (extra.length > 0) return badRequest(`Only addressLine1 and description can be updated (not ${extra.join(', ')}).`, { field: extra[0] ?? '' });
  const fields = { ...address.fields, ...body.value };
  if (str(fields.addressLine1).trim() === '') return badRequest('addressLine1 is required.', { field: 'addressLine1' });
  const updated: UnifiedAddress = {
    ...address,
    fields,
    key: addressKey(fields),
    updated: isoMillis(ctx.now),
    validationStatus: NOWHERE.test(str(fields.addressLine1)) ? 'INVALID' : 'VALID',
  };
  ctx.account.addresses.set(id, updated);
  ctx.core.markDirty();
  return jsonReply(200, addressJson(updated));
}

export function deleteAddress(ctx: Ctx, id: string): Reply {
  const { account } = ctx;
  if (!account.addresses.has(id)) return notFound(`Address ${id} does not exist.`, { reference: `/addresses/${id}` });
  ctx.core.advance(account, ctx.now);
  let users = 0;
  for (const endpoint of account.endpoints.values()) if (endpoint.addressId === id) users++;
  if (users > 0) return badRequest(`Address ${id} is used by ${users} endpoint(s); unprovision or delete them first.`, { reference: `/addresses/${id}` });
  account.addresses.delete(id);
  ctx.core.markDirty();
  return { status: 204 };
}
