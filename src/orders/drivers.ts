// What the order engine needs of each API, in one place each: read an order's answer, and find
// the order an unanswered POST may have made. Bodies and POSTs stay with the stages that build them.

import type { Api } from '../api/index.js';
import type { OrderRecord } from '../state/store.js';
import type { OrderKind } from './keys.js';
import { dlrAnswer, unifiedAnswer, type OrderAnswer } from './settle.js';

export interface OrderDriver {
  /** The order's answer now, API-neutral. */
  read(kind: string, orderId: string): Promise<OrderAnswer>;
  /** The id of the order an unanswered POST made, or undefined when the API has none. */
  find(order: OrderRecord): Promise<string | undefined>;
}

/** dlr: orders carry our CustomerOrderId, so a lost answer is found by it. */
export function dlrDriver(api: Api): OrderDriver {
  const client = api.dlr!;
  return {
    read: async (kind, orderId) => dlrAnswer(await client.getOrder(orderId), kind === 'loc' || kind === 'del-loc' ? 'locationIds' : 'identifiers'),
    find: async (order) => (await client.findOrdersByCustomerOrderId(order.orderKey))[0]?.orderId,
  };
}

const UNIFIED_ORDER_TYPES: Partial<Record<OrderKind, string>> = { add: 'ADD_ENDPOINTS', patch: 'UPDATE_ENDPOINTS', del: 'DELETE_ENDPOINTS', 'del-ep': 'DELETE_ENDPOINTS' };

/**
 * unified: no CustomerOrderId, so a lost answer is found in the order list: an order of this type,
 * updated since a minute before the intent, naming exactly the order's numbers.
 */
export function unifiedDriver(api: Api): OrderDriver {
  const client = api.unified!;
  return {
    read: async (_kind, orderId) => unifiedAnswer(await client.getOrderDetails(orderId)),
    find: async (order) => {
      const orderType = UNIFIED_ORDER_TYPES[order.kind as OrderKind];
      const since = Date.parse(order.createdAt ?? '') - 60_000;
      const wanted = [...order.members].sort().join(',');
      for await (const o of client.listOrders(orderType !== undefined ? { orderType } : {})) {
        if (o.updated !== undefined && Date.parse(o.updated) < since) continue;
        const details = await client.getOrderDetails(o.orderId);
        if (
          details.endpoints
            .map((e) => e.id)
            .sort()
            .join(',') === wanted
        )
          return o.orderId;
      }
      return undefined;
    },
  };
}

export const driverFor = (profile: 'dlr' | 'unified', api: Api): OrderDriver => (profile === 'dlr' ? dlrDriver(api) : unifiedDriver(api));
