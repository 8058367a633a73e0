// POST e911s (201 E911OrderResponse, or 400 ResponseStatus), GET e911s/{orderId}, its history,
// and the order list with its filters.

import { xmlReply, type Ctx, type Reply } from '../http.js';
import { bump, type DlrOrder } from '../store.js';
import { readOrder } from './order-input.js';
import { historyInner, lastModified, orderInner, orderStatus, orderXml, summaryXml } from './order-xml.js';
import { document, el, responseStatus } from './xml.js';

const NOT_FOUND = 'The resource does not exist';
export const MAX_ORDERS_LISTED = 1000;

export function postOrder(ctx: Ctx): Reply {
  const { account, core, now } = ctx;
  core.advance(account, now);
  const input = readOrder(ctx.body, account);
  if (!input.ok) {
    bump(account.counters.calls, 'dlr.order.post.rejected');
    return xmlReply(400, responseStatus('E911OrderResponse', input.code, input.description));
  }
  const { kind, items } = input.order;
  bump(account.counters.calls, `dlr.order.post.${kind}`);
  const c = account.counters;
  c.dlrLargestOrder = Math.max(c.dlrLargestOrder, items.length);
  if (input.order.customerOrderId !== undefined) bump(c.customerOrderIds, input.order.customerOrderId);
  if (kind === 'endpoint') for (const item of items) bump(c.identifierSubmissions, (item.fields.Identifier ?? '').trim());
  if (kind === 'location') for (const item of items) bump(c.locationIdSubmissions, (item.fields.LocationId ?? '').trim());

  const order: DlrOrder = {
    orderId: core.newId(),
    accountId: account.id,
    createdByUser: ctx.user,
    kind,
    created: now,
    ...core.orderTimes(now),
    items,
    preErrors: input.order.preErrors,
  };
  if (input.order.customerOrderId !== undefined) order.customerOrderId = input.order.customerOrderId;
  account.addDlrOrder(order);
  core.scheduleAdvance(account, order.finalAt);
  core.markDirty();
  return xmlReply(201, document('E911OrderResponse', orderXml(order, now)));
}

function findOrder(ctx: Ctx, orderId: string): DlrOrder | undefined {
  ctx.core.advance(ctx.account, ctx.now);
  return ctx.account.dlrOrderById.get(orderId);
}

const notFound = (): Reply => xmlReply(404, responseStatus('E911OrderReportResponse', undefined, NOT_FOUND));

export function getOrder(ctx: Ctx, orderId: string): Reply {
  const order = findOrder(ctx, orderId);
  return order === undefined ? notFound() : xmlReply(200, document('E911Order', orderInner(order, ctx.now)));
}

export function getOrderHistory(ctx: Ctx, orderId: string): Reply {
  const order = findOrder(ctx, orderId);
  if (order === undefined) return notFound();
  return xmlReply(200, document('OrderHistoryWrapper', historyInner(order, ctx.now)));
}

function matches(order: DlrOrder, q: URLSearchParams, now: number, after: number): boolean {
  if (lastModified(order, now) <= after) return false;
  const customerOrderId = q.get('customerOrderId');
  if (customerOrderId !== null && order.customerOrderId !== customerOrderId) return false;
  const fragment = q.get('orderIdFragment');
  if (fragment !== null && !order.orderId.startsWith(fragment)) return false;
  const statuses = q
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  if (statuses.length > 0 && !statuses.includes(orderStatus(order, now))) return false;
  const aeui = q.get('aeui');
  if (aeui !== null && !order.items.some((item) => item.fields.Identifier?.trim() === aeui)) return false;
  const callBack = q.get('callBack');
  if (callBack !== null && !order.items.some((item) => item.fields.CallbackNumber?.trim() === callBack)) return false;
  return true;
}

/**
 * GET e911s: newest first, at most 1,000; orderDetails=true lists whole E911Order elements;
 * lastModifiedAfter (a date or an ISO 8601 time) keeps the orders changed since. A query string
 * with errors is a 404, as the API documents.
 */
export function listOrders(ctx: Ctx): Reply {
  const { account, now, query } = ctx;
  const afterText = query.get('lastModifiedAfter');
  const after = afterText === null ? Number.NEGATIVE_INFINITY : Date.parse(afterText);
  if (Number.isNaN(after)) return xmlReply(404, responseStatus('E911OrderReportResponse', undefined, `lastModifiedAfter ${afterText} is not a date`));
  ctx.core.advance(account, now);
  const candidates = query.get('customerOrderId') !== null ? (account.ordersByCustomerOrderId.get(query.get('customerOrderId') ?? '') ?? []) : account.dlrOrders;
  const found: DlrOrder[] = [];
  for (let i = candidates.length - 1; i >= 0; i--) {
    const order = candidates[i];
    if (order !== undefined && matches(order, query, now, after)) found.push(order);
  }
  const details = query.get('orderDetails') === 'true';
  const listed = found.slice(0, MAX_ORDERS_LISTED);
  const items = listed.map((order) => (details ? orderXml(order, now) : summaryXml(order, now))).join('');
  return xmlReply(200, document('E911Orders', el('TotalCount', found.length) + items));
}
