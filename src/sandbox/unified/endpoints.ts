// Unified endpoints: POST (ADD_ENDPOINTS), PATCH (UPDATE_ENDPOINTS: PROVISION / UNPROVISION an
// address), DELETE with {endpointIds} (DELETE_ENDPOINTS) — each answers 202 with a provisioning
// order that reaches its final status later — and GET list / one.

import { jsonReply, type Ctx, type Reply } from '../http.js';
import { bump, type UnifiedEndpoint, type UnifiedItem, type UnifiedOrder, type UnifiedOrderType } from '../store.js';
import { badRequest, E164, isoSeconds, notFound, pageLinks, readJson, readPage, str } from './common.js';
import { ENDPOINT_ERRORS } from './processing.js';

export const MAX_ENDPOINTS_PER_ORDER = 5000;

export function endpointJson(ctx: Ctx, endpoint: UnifiedEndpoint): Record<string, unknown> {
  const nameField = ctx.core.options.dialect === 'openapi' ? 'name' : 'callerName';
  return {
    id: endpoint.id,
    accountId: ctx.account.id,
    phoneNumber: endpoint.phoneNumber,
    [nameField]: endpoint.name,
    lang: endpoint.lang,
    created: endpoint.created,
    updated: endpoint.updated,
    country: endpoint.country,
    addressId: endpoint.addressId,
  };
}

function createOrder(ctx: Ctx, type: UnifiedOrderType, items: UnifiedItem[], action?: string): Reply {
  const { account, core, now } = ctx;
  const invalidCount = items.filter((item) => item.preError !== undefined).length;
  const order: UnifiedOrder = {
    id: core.newId(),
    type,
    updatedBy: ctx.user,
    created: now,
    ...core.orderTimes(now),
    items,
    acceptedCount: items.length - invalidCount,
    invalidCount,
  };
  if (action !== undefined) order.action = action;
  account.addUnifiedOrder(order);
  account.counters.unifiedLargestOrder = Math.max(account.counters.unifiedLargestOrder, items.length);
  core.scheduleAdvance(account, order.finalAt);
  core.markDirty();
  return jsonReply(202, {
    orderId: order.id,
    updatedBy: order.updatedBy,
    orderType: type,
    orderStatus: 'RECEIVED',
    acceptedCount: order.acceptedCount,
    invalidCount,
    updated: isoSeconds(now),
    totalNumber: items.length,
  });
}

function objectList(value: unknown, name: string): Record<string, unknown>[] | Reply {
  if (!Array.isArray(value) || value.length === 0) return badRequest(`${name} must be a non-empty array.`, { field: name });
  if (value.length > MAX_ENDPOINTS_PER_ORDER) {
    return badRequest(`At most ${MAX_ENDPOINTS_PER_ORDER} endpoints can be sent in one request.`, { field: name });
  }
  if (!value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    return badRequest(`Every element of ${name} must be an object.`, { field: name });
  }
  return value as Record<string, unknown>[];
}

export function postEndpoints(ctx: Ctx): Reply {
  const body = readJson(ctx);
  if (!body.ok) return body.reply;
  const list = objectList(body.value.endpoints, 'endpoints');
  if (!Array.isArray(list)) return list;
  const { account } = ctx;
  ctx.core.advance(account, ctx.now);
  const phones = list.map((input) => str(input.phoneNumber).trim());
  const seen = new Set<string>();
  const items = list.map((input, index): UnifiedItem => {
    const phone = phones[index] ?? '';
    bump(account.counters.phoneSubmissions, phone);
    const item: UnifiedItem = { id: str(input.id).trim() || phone, input };
    const repeated = seen.has(phone);
    seen.add(phone);
    if (!E164.test(phone)) item.preError = { code: ENDPOINT_ERRORS.notE164, error: `Phone number ${phone} is not in E.164 format (e.g. +31798080101)` };
    else if (repeated) item.preError = { code: ENDPOINT_ERRORS.repeated, error: `Phone number ${phone} appears more than once in the order` };
    else if (account.pendingPhones.has(phone)) {
      item.preError = { code: ENDPOINT_ERRORS.pending, error: `Phone number ${phone} is being processed on another order; try again later` };
    } else if (str(input.callerName).trim() === '' && str(input.name).trim() === '') {
      item.preError = { code: ENDPOINT_ERRORS.missingName, error: 'callerName is required' };
    } else if (str(input.addressId).trim() === '') item.preError = { code: ENDPOINT_ERRORS.missingAddress, error: 'addressId is required' };
    return item;
  });
  return createOrder(ctx, 'ADD_ENDPOINTS', items);
}

function updateItems(action: string, list: Record<string, unknown>[]): UnifiedItem[] {
  return list.map((input): UnifiedItem => {
    const item: UnifiedItem = { id: str(input.id).trim(), input };
    if (item.id === '') item.preError = { code: ENDPOINT_ERRORS.unknownEndpoint, error: 'id is required' };
    else if (action === 'PROVISION' && str(input.addressId).trim() === '') {
      item.preError = { code: ENDPOINT_ERRORS.missingAddress, error: 'addressId is required to PROVISION' };
    }
    return item;
  });
}

function readAction(value: Record<string, unknown>): string | Reply {
  const action = value.action;
  return action === 'PROVISION' || action === 'UNPROVISION' ? action : badRequest('action must be PROVISION or UNPROVISION.', { field: 'action' });
}

export function patchEndpoints(ctx: Ctx, endpointId?: string): Reply {
  const body = readJson(ctx);
  if (!body.ok) return body.reply;
  const action = readAction(body.value);
  if (typeof action !== 'string') return action;
  ctx.core.advance(ctx.account, ctx.now);
  if (endpointId !== undefined) return createOrder(ctx, 'UPDATE_ENDPOINTS', updateItems(action, [{ ...body.value, id: endpointId }]), action);
  const list = objectList(body.value.endpoints, 'endpoints');
  if (!Array.isArray(list)) return list;
  return createOrder(ctx, 'UPDATE_ENDPOINTS', updateItems(action, list), action);
}

export function deleteEndpoints(ctx: Ctx, endpointId?: string): Reply {
  let ids: unknown[] = [endpointId];
  if (endpointId === undefined) {
    const body = readJson(ctx);
    if (!body.ok) return body.reply;
    const list = body.value.endpointIds;
    if (!Array.isArray(list) || list.length === 0 || !list.every((id) => typeof id === 'string' && id !== '')) {
      return badRequest('endpointIds must be a non-empty array of endpoint ids.', { field: 'endpointIds' });
    }
    if (list.length > MAX_ENDPOINTS_PER_ORDER) return badRequest(`At most ${MAX_ENDPOINTS_PER_ORDER} endpoints per request.`, { field: 'endpointIds' });
    ids = list;
  }
  ctx.core.advance(ctx.account, ctx.now);
  return createOrder(
    ctx,
    'DELETE_ENDPOINTS',
    ids.map((id) => ({ id: str(id), input: {} })),
  );
}

export function listEndpoints(ctx: Ctx): Reply {
  const page = readPage(ctx.query, ctx.core.options.maxPageSize);
  if ('status' in page) return page;
  ctx.core.advance(ctx.account, ctx.now);
  const addressId = ctx.query.get('addressId');
  const all = [...ctx.account.endpoints.values()].filter((e) => addressId === null || e.addressId === addressId);
  const slice = all.slice(page.offset, page.offset + page.limit);
  return jsonReply(200, {
    links: pageLinks('/endpoints', page, all.length, addressId === null ? {} : { addressId }),
    endpoints: slice.map((endpoint) => endpointJson(ctx, endpoint)),
  });
}

export function getEndpoint(ctx: Ctx, id: string): Reply {
  ctx.core.advance(ctx.account, ctx.now);
  const endpoint = ctx.account.findEndpoint(id);
  return endpoint === undefined ? notFound(`Endpoint ${id} does not exist.`, { reference: `/endpoints/${id}` }) : jsonReply(200, endpointJson(ctx, endpoint));
}
