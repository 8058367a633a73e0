// The DLR routes under /api/accounts/{accountId}/ and the API's own error bodies.

import { xmlReply, type Ctx, type Reply } from '../http.js';
import { geocodeRequest } from './geocode.js';
import { getAeui, listAddresses, listAeuis } from './lists.js';
import { getOrder, getOrderHistory, listOrders, postOrder } from './orders.js';
import { responseStatus } from './xml.js';

export interface Route {
  kind: string;
  run: (ctx: Ctx) => Reply;
}

export const dlrNotFound = (): Reply => xmlReply(404, responseStatus(undefined, undefined, 'The resource does not exist'));
const methodNotAllowed = (allowed: string): Reply => ({ ...xmlReply(405, responseStatus(undefined, undefined, `Method not allowed; use ${allowed}`)), headers: { Allow: allowed } });

function one(method: string, allowed: string, kind: string, run: (ctx: Ctx) => Reply): Route | Reply {
  return method === allowed ? { kind, run } : methodNotAllowed(allowed);
}

/** Resolves a route, or the 404/405 reply for a path or method the API does not have. */
export function dlrRoute(method: string, segments: readonly string[]): Route | Reply {
  const [first, second, third, extra] = segments;
  if (extra !== undefined) return dlrNotFound();
  switch (first) {
    case 'geocodeRequest':
      return second === undefined ? one(method, 'POST', 'geocode', geocodeRequest) : dlrNotFound();
    case 'e911s':
      if (second === undefined) {
        if (method === 'POST') return { kind: 'order.post', run: postOrder };
        return method === 'GET' ? { kind: 'order.list', run: listOrders } : methodNotAllowed('GET, POST');
      }
      if (third === undefined) return one(method, 'GET', 'order.get', (ctx) => getOrder(ctx, second));
      return third === 'history' ? one(method, 'GET', 'order.history', (ctx) => getOrderHistory(ctx, second)) : dlrNotFound();
    case 'aeuis':
      if (third !== undefined) return dlrNotFound();
      return second === undefined ? one(method, 'GET', 'aeuis.list', listAeuis) : one(method, 'GET', 'aeuis.get', (ctx) => getAeui(ctx, second));
    case 'addresses':
      return second === undefined ? one(method, 'GET', 'addresses.list', listAddresses) : dlrNotFound();
    default:
      return dlrNotFound();
  }
}

export const dlrForbidden = (): Reply => xmlReply(403, responseStatus(undefined, undefined, 'Access is denied: the user has no access to this account'));

export const dlrUnauthorized = (): Reply => ({
  ...xmlReply(401, responseStatus(undefined, undefined, 'Authentication failed: the credentials are missing or invalid')),
  headers: { 'WWW-Authenticate': 'Basic realm="esprov sandbox"' },
});

/** 429 with X-RateLimit-Reset: the epoch second after which the client may call again. */
export function dlrRateLimited(now: number, seconds: number): Reply {
  const reset = Math.ceil(now / 1000) + seconds;
  return xmlReply(429, responseStatus(undefined, undefined, 'Too many requests: wait until X-RateLimit-Reset before calling again'), { 'X-RateLimit-Reset': String(reset) });
}

export function dlrServerError(kind: string, status: number): Reply {
  if (kind === 'geocode') {
    return status === 503
      ? xmlReply(503, responseStatus('GeocodeRequestResponse', 12109, 'E911 Geocoding Service is temporary unavailable'))
      : xmlReply(500, responseStatus('GeocodeRequestResponse', 12111, 'Error during E911 Geocoding API response handling'));
  }
  return xmlReply(status, responseStatus(undefined, undefined, status === 503 ? 'Service temporarily unavailable' : 'Internal server error'));
}
