// Unified orders: GET /orders (orderType filter), /orders/{id}/details (per-endpoint status,
// paged) and /orders/{id}/history. Status RECEIVED → PROCESSING → COMPLETED | PARTIAL | FAILED;
// endpoints IN_PROGRESS (reference dialect) or INPROGRESS (openapi dialect) until then.

import { jsonReply, type Ctx, type Reply } from '../http.js';
import type { UnifiedOrder } from '../store.js';
import { badRequest, isoSeconds, notFound, pageLinks, readPage } from './common.js';

const ORDER_TYPES = new Set(['ADD_ENDPOINTS', 'UPDATE_ENDPOINTS', 'DELETE_ENDPOINTS']);

export function unifiedStatus(order: UnifiedOrder, now: number): string {
  if (order.final !== undefined) return order.final.status;
  return now < order.processingAt ? 'RECEIVED' : 'PROCESSING';
}

function updated(order: UnifiedOrder, now: number): string {
  if (order.final !== undefined) return isoSeconds(order.finalAt);
  return isoSeconds(now < order.processingAt ? order.created : order.processingAt);
}

function summary(order: UnifiedOrder, now: number): Record<string, unknown> {
  return {
    id: order.id,
    type: order.type,
    status: unifiedStatus(order, now),
    acceptedCount: order.acceptedCount,
    invalidCount: order.invalidCount,
    updated: updated(order, now),
    totalNumber: order.items.length,
  };
}

function findOrder(ctx: Ctx, id: string): UnifiedOrder | undefined {
  ctx.core.advance(ctx.account, ctx.now);
  return ctx.account.unifiedOrderById.get(id);
}

export function listOrders(ctx: Ctx): Reply {
  const page = readPage(ctx.query, ctx.core.options.maxPageSize);
  if ('status' in page) return page;
  const type = ctx.query.get('orderType');
  if (type !== null && !ORDER_TYPES.has(type)) return badRequest('orderType must be ADD_ENDPOINTS, UPDATE_ENDPOINTS or DELETE_ENDPOINTS.', { parameter: 'orderType' });
  ctx.core.advance(ctx.account, ctx.now);
  const all = ctx.account.unifiedOrders.filter((order) => type === null || order.type === type);
  const slice = all.slice(page.offset, page.offset + page.limit);
  return jsonReply(200, {
    links: pageLinks('/orders', page, all.length, type === null ? {} : { orderType: type }),
    orders: slice.map((order) => summary(order, ctx.now)),
  });
}

export function orderDetails(ctx: Ctx, id: string): Reply {
  const page = readPage(ctx.query, ctx.core.options.maxPageSize);
  if ('status' in page) return page;
  const order = findOrder(ctx, id);
  if (order === undefined) return notFound(`Order ${id} does not exist.`, { reference: `/orders/${id}` });
  const pending = ctx.core.options.dialect === 'openapi' ? 'INPROGRESS' : 'IN_PROGRESS';
  const endpoints = order.items.slice(page.offset, page.offset + page.limit).map((item, i) => {
    const result = order.final?.results[page.offset + i];
    if (result !== undefined) return { id: item.id, updatedBy: order.updatedBy, ...result };
    if (item.preError !== undefined) {
      return { id: item.id, updatedBy: order.updatedBy, status: 'ERROR', error: item.preError.error, errorCode: item.preError.code };
    }
    return { id: item.id, updatedBy: order.updatedBy, status: pending, error: '', errorCode: '' };
  });
  return jsonReply(200, { links: pageLinks(`/orders/${id}/details`, page, order.items.length), ...summary(order, ctx.now), endpoints });
}

export function orderHistory(ctx: Ctx, id: string): Reply {
  const order = findOrder(ctx, id);
  if (order === undefined) return notFound(`Order ${id} does not exist.`, { reference: `/orders/${id}` });
  const entry = (at: number, status: string, note: string): Record<string, string> => ({ status, updatedBy: order.updatedBy, updated: isoSeconds(at), note });
  const history = [entry(order.created, 'RECEIVED', '')];
  if (order.final !== undefined || ctx.now >= order.processingAt) history.push(entry(order.processingAt, 'PROCESSING', ''));
  if (order.final !== undefined) {
    const failed = order.final.results.flatMap((r, i) => (r.status === 'ERROR' ? [`${order.items[i]?.id ?? ''}: ${r.error}`] : []));
    const note = failed.length === 0 ? '' : `${failed.length} of ${order.items.length} endpoints failed: ${failed.slice(0, 5).join('; ')}`;
    history.push(entry(order.finalAt, order.final.status, note));
  }
  return jsonReply(200, { id: order.id, type: order.type, status: unifiedStatus(order, ctx.now), created: isoSeconds(order.created), orderHistory: history });
}
