// What the order engine needs of each API, in one place each: read an order's answer, and find
// the order an unanswered POST may have made. Bodies and POSTs stay with the stages that build them.

import type { Api } from '../api/index.js';
import { dlrClient, unifiedClient } from '../profiles/clients.js';
import type { OrderRecord } from '../state/store.js';
import type { OrderKind } from './keys.js';
import { dlrAnswer, unifiedAnswer, type OrderAnswer } from './settle.js';

export interface OrderDriver {
  /** The order's answer now, API-neutral. */
  read(kind: string, orderId: string): Promise<OrderAnswer>;
  /** The id of the order an unanswered POST made, or undefined when the API has none. */
  find(order: OrderRecord): Promise<string | undefined>;
  /**
   * Where the API offers it: the orders changed after `after` (an ISO 8601 time), read in one list
   * call, so a poll round reads many open orders at once. `kindOf` tells the kind of an order
   * esprov follows (undefined for any other). Undefined when the API does not take the query.
   */
  changed?(after: string, kindOf: (orderId: string) => string | undefined): Promise<ChangedOrders | undefined>;
}

export interface ChangedOrders {
  /** The followed orders that changed: their answer, or 'read' when only a read of the order itself can settle it. */
  readonly answers: ReadonlyMap<string, OrderAnswer | 'read'>;
  /** The API's own time of the latest change listed: the next poll starts there. */
  readonly latest: number | undefined;
  /** False when the API may have left changed orders out (it lists at most so many). */
  readonly complete: boolean;
}

const idsOf = (kind: string): 'locationIds' | 'identifiers' => (kind === 'loc' || kind === 'del-loc' ? 'locationIds' : 'identifiers');

/** dlr statuses that say every item was made: such an order needs no read for its errors. */
const ALL_MADE = new Set(['COMPLETE', 'ADJUSTED_COMPLETE']);

/**
 * dlr: orders carry our CustomerOrderId, so a lost answer is found by it; the order list with
 * `lastModifiedAfter` gives every changed order's status (api-notes §2.5). An order that ended
 * COMPLETE made every item (§2.4) and is settled from the list; one that ended otherwise is read
 * for its errors, so each member keeps its own reason.
 */
export function dlrDriver(api: Api): OrderDriver {
  const client = dlrClient(api);
  return {
    read: async (kind, orderId) => dlrAnswer(await client.getOrder(orderId), idsOf(kind)),
    find: async (order) => (await client.findOrdersByCustomerOrderId(order.orderKey))[0]?.orderId,
    changed: async (after, kindOf) => {
      const listed = await client.listChangedOrders(after);
      if (listed === undefined) return undefined;
      const answers = new Map<string, OrderAnswer | 'read'>();
      let latest: number | undefined;
      for (const order of listed.orders) {
        const modified = Date.parse(order.lastModifiedDate ?? '');
        if (!Number.isNaN(modified) && (latest === undefined || modified > latest)) latest = modified;
        const kind = kindOf(order.orderId);
        if (kind === undefined) continue;
        const settledByList = !order.final || ALL_MADE.has(order.status);
        answers.set(order.orderId, settledByList ? dlrAnswer({ ...order, errors: [] }, idsOf(kind)) : 'read');
      }
      return { answers, latest, complete: listed.complete };
    },
  };
}

const UNIFIED_ORDER_TYPES: Partial<Record<OrderKind, string>> = { add: 'ADD_ENDPOINTS', patch: 'UPDATE_ENDPOINTS', del: 'DELETE_ENDPOINTS', 'del-ep': 'DELETE_ENDPOINTS' };

/**
 * unified: no CustomerOrderId, so a lost answer is found in the order list: an order of this type,
 * updated since a minute before the intent, naming exactly the order's numbers.
 */
export function unifiedDriver(api: Api): OrderDriver {
  const client = unifiedClient(api);
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
