// The unified routes under /api/v2/accounts/{accountId}/emergency/.

import type { Ctx, Reply } from '../http.js';
import { deleteAddress, getAddress, listAddresses, patchAddress, postAddress } from './addresses.js';
import { methodNotAllowed, notFound } from './common.js';
import { deleteEndpoints, getEndpoint, listEndpoints, patchEndpoints, postEndpoints } from './endpoints.js';
import { listOrders, orderDetails, orderHistory } from './orders.js';

export interface Route {
  kind: string;
  run: (ctx: Ctx) => Reply;
}

type Table = Partial<Record<string, Route>>;

function pick(method: string, table: Table): Route | Reply {
  return table[method] ?? methodNotAllowed(method);
}

export function unifiedRoute(method: string, segments: readonly string[]): Route | Reply {
  const [first, second, third, extra] = segments;
  if (extra !== undefined) return notFound();
  switch (first) {
    case 'addresses':
      if (third !== undefined) return notFound();
      if (second === undefined) {
        return pick(method, { GET: { kind: 'address.list', run: listAddresses }, POST: { kind: 'address.post', run: postAddress } });
      }
      return pick(method, {
        GET: { kind: 'address.get', run: (ctx) => getAddress(ctx, second) },
        PATCH: { kind: 'address.patch', run: (ctx) => patchAddress(ctx, second) },
        DELETE: { kind: 'address.delete', run: (ctx) => deleteAddress(ctx, second) },
      });
    case 'endpoints':
      if (third !== undefined) return notFound();
      if (second === undefined) {
        return pick(method, {
          GET: { kind: 'endpoints.list', run: listEndpoints },
          POST: { kind: 'endpoints.post', run: postEndpoints },
          PATCH: { kind: 'endpoints.patch', run: (ctx) => patchEndpoints(ctx) },
          DELETE: { kind: 'endpoints.delete', run: (ctx) => deleteEndpoints(ctx) },
        });
      }
      return pick(method, {
        GET: { kind: 'endpoint.get', run: (ctx) => getEndpoint(ctx, second) },
        PATCH: { kind: 'endpoints.patch', run: (ctx) => patchEndpoints(ctx, second) },
        DELETE: { kind: 'endpoints.delete', run: (ctx) => deleteEndpoints(ctx, second) },
      });
    case 'orders':
      if (second === undefined) return pick(method, { GET: { kind: 'orders.list', run: listOrders } });
      if (third === 'details') return pick(method, { GET: { kind: 'order.details', run: (ctx) => orderDetails(ctx, second) } });
      if (third === 'history') return pick(method, { GET: { kind: 'order.history', run: (ctx) => orderHistory(ctx, second) } });
      return notFound();
    default:
      return notFound();
  }
}
