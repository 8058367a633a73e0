import type { z } from 'zod';
import { unifiedAnswerProblem } from '../answer.js';
import { AmbiguousWriteError, ApiError, BadResponseError, MisconfiguredError } from '../errors.js';
import { joinUrl } from '../url.js';
import type { ApiRequest, ApiResponse, RateGroup, Send } from '../types.js';
import { normalizeEndpointStatus, normalizeOrderStatus, toAddress, toEndpoint, toOrderRef } from './read.js';
import type * as Schemas from './schemas.js';
import type { Links } from './schemas.js';
import type { UnifiedAddress, UnifiedAddressInput, UnifiedEndpoint, UnifiedEndpointInput, UnifiedOrderDetails, UnifiedOrderHistory, UnifiedOrderRef } from './types.js';

/**
 * The answer schemas (zod), loaded with the client's first call: a dlr command never loads them
 * (zod is a tenth of a second of a start). Every use comes after a call has loaded them.
 */
let loaded: typeof Schemas | undefined;
async function loadSchemas(): Promise<void> {
  loaded ??= await import('./schemas.js');
}
function schemas(): typeof Schemas {
  if (loaded === undefined) throw new Error('the unified answer schemas are read before any call loaded them');
  return loaded;
}

export { normalizeEndpointStatus, normalizeOrderStatus } from './read.js';

export const UNIFIED_DEFAULT_BASE_URL = 'https://dashboard.bandwidth.com/api/v2';

/** Calls on paths every account has: a 404 there, whatever its body, means the account (or root) is wrong. */
const ALWAYS_THERE = new Set(['addressPost', 'endpointsPost', 'endpointsPatch', 'endpointsDelete']);

export interface UnifiedClientOptions {
  send: Send;
  baseUrl: URL;
  accountId: string;
  /** page size for the lists (`limit`) */
  pageSize?: number;
  /** the region query parameter sent on every call */
  region?: string;
}

interface Call {
  method: ApiRequest['method'];
  path: string;
  route: string;
  kind: string;
  group: RateGroup;
  idempotent: boolean;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export class UnifiedClient {
  private readonly send: Send;
  private readonly base: URL;
  private readonly prefix: string;
  private readonly pageSize: number;
  private readonly region: string;
  private readonly accountId: string;

  constructor(options: UnifiedClientOptions) {
    this.send = options.send;
    this.base = options.baseUrl;
    this.prefix = `/accounts/${encodeURIComponent(options.accountId)}/emergency`;
    this.pageSize = options.pageSize ?? 500;
    this.region = options.region ?? 'ROW';
    this.accountId = options.accountId;
  }

  /** Creates and validates an address (201). A 201 can say INVALID: read validationStatus. */
  async createAddress(input: UnifiedAddressInput): Promise<UnifiedAddress> {
    const route = '/accounts/:accountId/emergency/addresses';
    const res = await this.call({ method: 'POST', path: '/addresses', route, kind: 'addressPost', group: 'order', idempotent: false, body: input });
    return toAddress(this.created(res, route, schemas().AddressAnswer));
  }

  /** undefined when the API does not know the id (404) */
  async getAddress(addressId: string): Promise<UnifiedAddress | undefined> {
    const route = '/accounts/:accountId/emergency/addresses/:addressId';
    const res = await this.call({ method: 'GET', path: `/addresses/${encodeURIComponent(addressId)}`, route, kind: 'addressGet', group: 'read', idempotent: true });
    if (res.status === 404) return undefined;
    return toAddress(this.ok(res, route, schemas().AddressAnswer));
  }

  /** Only addressLine1 and description can change (2023 spec). */
  async patchAddress(addressId: string, patch: { addressLine1?: string; description?: string }): Promise<UnifiedAddress> {
    const route = '/accounts/:accountId/emergency/addresses/:addressId';
    const res = await this.call({ method: 'PATCH', path: `/addresses/${encodeURIComponent(addressId)}`, route, kind: 'addressPatch', group: 'order', idempotent: true, body: patch });
    return toAddress(this.ok(res, route, schemas().AddressAnswer));
  }

  async deleteAddress(addressId: string): Promise<'deleted' | 'not-found'> {
    const route = '/accounts/:accountId/emergency/addresses/:addressId';
    const res = await this.call({ method: 'DELETE', path: `/addresses/${encodeURIComponent(addressId)}`, route, kind: 'addressDelete', group: 'order', idempotent: true });
    if (res.status === 404) return 'not-found';
    if (res.status >= 200 && res.status < 300) return 'deleted';
    throw apiError(res, route);
  }

  listAddresses(): AsyncIterable<UnifiedAddress> {
    return this.paged('/addresses', '/accounts/:accountId/emergency/addresses', 'addressList', {}, (json, route, status) => {
      const page = parse(schemas().AddressList, this.listPage(json, 'addresses', route, status), route, status);
      return { items: page.addresses.map(toAddress), links: page.links };
    });
  }

  /** 202 with an order id. Never repeated after an ambiguous failure: AmbiguousWriteError reaches the caller. */
  async addEndpoints(endpoints: readonly UnifiedEndpointInput[]): Promise<UnifiedOrderRef> {
    const route = '/accounts/:accountId/emergency/endpoints';
    const body = { endpoints: endpoints.map(endpointBody) };
    const res = await this.call({ method: 'POST', path: '/endpoints', route, kind: 'endpointsPost', group: 'order', idempotent: false, body });
    return this.orderCreated(res, route);
  }

  /** PROVISION links each endpoint to addressId; UNPROVISION removes the link. */
  async patchEndpoints(action: 'PROVISION' | 'UNPROVISION', endpoints: ReadonlyArray<{ id: string; addressId: string }>): Promise<UnifiedOrderRef> {
    const route = '/accounts/:accountId/emergency/endpoints';
    const body = { action, endpoints: endpoints.map((e) => ({ id: e.id, addressId: e.addressId })) };
    const res = await this.call({ method: 'PATCH', path: '/endpoints', route, kind: 'endpointsPatch', group: 'order', idempotent: false, body });
    return this.orderCreated(res, route);
  }

  /** DELETE with a JSON body `{endpointIds}`; 202 with an order id. */
  async deleteEndpoints(endpointIds: readonly string[]): Promise<UnifiedOrderRef> {
    const route = '/accounts/:accountId/emergency/endpoints';
    const res = await this.call({ method: 'DELETE', path: '/endpoints', route, kind: 'endpointsDelete', group: 'order', idempotent: false, body: { endpointIds } });
    return this.orderCreated(res, route);
  }

  listEndpoints(filter: { addressId?: string } = {}): AsyncIterable<UnifiedEndpoint> {
    return this.paged('/endpoints', '/accounts/:accountId/emergency/endpoints', 'endpointList', { addressId: filter.addressId }, (json, route, status) => {
      const page = parse(schemas().EndpointList, this.listPage(json, 'endpoints', route, status), route, status);
      return { items: page.endpoints.map(toEndpoint), links: page.links };
    });
  }

  /** The order and the result of each endpoint, all pages merged. */
  async getOrderDetails(orderId: string): Promise<UnifiedOrderDetails> {
    let details: UnifiedOrderDetails | undefined;
    const pages = this.paged(
      `/orders/${encodeURIComponent(orderId)}/details`,
      '/accounts/:accountId/emergency/orders/:orderId/details',
      'orderDetails',
      {},
      (json, route, status) => {
        const page = parse(schemas().OrderDetailsPage, json, route, status);
        details ??= { ...toOrderRef({ ...page, orderId: page.orderId ?? page.id ?? orderId }, route, status), endpoints: [] };
        const items = page.endpoints.map((e) => {
          const rawStatus = e.status ?? '';
          return {
            id: e.id ?? '',
            status: normalizeEndpointStatus(rawStatus),
            rawStatus,
            ...(e.error ? { error: e.error } : {}),
            ...(e.errorCode ? { errorCode: e.errorCode } : {}),
            ...(e.updatedBy ? { updatedBy: e.updatedBy } : {}),
          };
        });
        return { items, links: page.links };
      },
      false,
    );
    for await (const endpoint of pages) details?.endpoints.push(endpoint);
    if (!details) throw new ApiError(404, '/accounts/:accountId/emergency/orders/:orderId/details', undefined, 'order not found');
    return details;
  }

  async getOrderHistory(orderId: string): Promise<UnifiedOrderHistory> {
    const route = '/accounts/:accountId/emergency/orders/:orderId/history';
    const res = await this.call({ method: 'GET', path: `/orders/${encodeURIComponent(orderId)}/history`, route, kind: 'orderHistory', group: 'read', idempotent: true });
    const h = this.ok(res, route, schemas().OrderHistoryAnswer);
    const rawStatus = h.status ?? '';
    return {
      orderId: h.id ?? orderId,
      ...(h.type ? { type: h.type } : {}),
      status: normalizeOrderStatus(rawStatus),
      rawStatus,
      ...(h.created ? { created: h.created } : {}),
      entries: h.orderHistory.map((e) => ({
        status: normalizeOrderStatus(e.status),
        rawStatus: e.status ?? '',
        ...(e.updated ? { updated: e.updated } : {}),
        ...(e.updatedBy ? { updatedBy: e.updatedBy } : {}),
        ...(e.note ? { note: e.note } : {}),
      })),
    };
  }

  listOrders(filter: { orderType?: string } = {}): AsyncIterable<UnifiedOrderRef> {
    return this.paged('/orders', '/accounts/:accountId/emergency/orders', 'orderList', { orderType: filter.orderType }, (json, route, status) => {
      const page = parse(schemas().OrderList, json, route, status);
      return { items: page.orders.map((o) => toOrderRef({ ...o, orderId: o.orderId ?? o.id }, route, status)), links: page.links };
    });
  }

  /**
   * limit/offset paging: the first page without offset (whether it counts from 0 or 1 is not
   * documented), then the `links` rel=next (only its offset and limit are used, never its host);
   * without links, a full page means "ask from offset + page length".
   */
  private async *paged<T>(
    path: string,
    route: string,
    kind: string,
    query: Record<string, string | undefined>,
    read: (json: unknown, route: string, status: number) => { items: T[]; links: z.infer<typeof Links> },
    emptyOn404 = true,
  ): AsyncGenerator<T> {
    let offset: number | undefined;
    let limit = this.pageSize;
    let previousFirst: string | undefined;
    for (let page = 0; page < 100_000; page++) {
      const res = await this.call({ method: 'GET', path, route, kind, group: 'read', idempotent: true, query: { ...query, limit, offset } });
      if (res.status === 404 && emptyOn404) return;
      if (res.status < 200 || res.status >= 300) throw apiError(res, route);
      const { items, links } = read(json(res, route), route, res.status);
      const first = items.length > 0 ? JSON.stringify(items[0]) : undefined;
      if (first !== undefined && first === previousFirst) return; // the server ignored the offset
      previousFirst = first;
      yield* items;
      const next = links.find((l) => l.rel?.toLowerCase() === 'next')?.href;
      const current = offset ?? 0;
      if (next) {
        const params = new URL(next, 'http://relative.invalid').searchParams;
        const nextOffset = Number(params.get('offset'));
        const nextLimit = Number(params.get('limit'));
        if (!Number.isInteger(nextOffset) || nextOffset <= current) return;
        offset = nextOffset;
        if (Number.isInteger(nextLimit) && nextLimit > 0) limit = nextLimit;
      } else if (links.length === 0 && items.length >= limit) {
        offset = current + items.length;
      } else {
        return;
      }
    }
  }

  /** a write's 2xx answer: unreadable means the change happened but its id is unknown, i.e. ambiguous */
  private created<S extends z.ZodType>(res: ApiResponse, route: string, schema: S): z.infer<S> {
    try {
      return this.ok(res, route, schema);
    } catch (err) {
      if (err instanceof BadResponseError && res.status >= 200 && res.status < 300) {
        throw new AmbiguousWriteError(route, 'unreadable answer', res.status, { cause: err });
      }
      throw err;
    }
  }

  private orderCreated(res: ApiResponse, route: string): UnifiedOrderRef {
    const order = this.created(res, route, schemas().ProvisioningOrder);
    try {
      return toOrderRef(order, route, res.status);
    } catch (err) {
      throw new AmbiguousWriteError(route, 'no order id in the answer', res.status, { cause: err });
    }
  }

  private ok<S extends z.ZodType>(res: ApiResponse, route: string, schema: S): z.infer<S> {
    if (res.status < 200 || res.status >= 300) throw apiError(res, route);
    return parse(schema, json(res, route), route, res.status);
  }

  /** A list answer without its list (nor links) is another JSON service's, not an empty account. */
  private listPage(json: unknown, key: string, route: string, status: number): unknown {
    if (typeof json === 'object' && json !== null && !Array.isArray(json) && (key in json || 'links' in json)) return json;
    throw new MisconfiguredError(route, status, `JSON without ${key}`, { baseUrl: this.base.href, accountId: this.accountId });
  }

  private async call(c: Call): Promise<ApiResponse> {
    await loadSchemas();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (c.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.send({
      method: c.method,
      url: joinUrl(this.base, this.prefix + c.path, { region: this.region, ...c.query }),
      route: c.route,
      kind: c.kind,
      group: c.group,
      idempotent: c.idempotent,
      headers,
      ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
      describeError: describeUnifiedError,
    });
    // A write the API may have accepted (2xx) stays ambiguous, whatever came back: it is looked up, never forgotten.
    const problem =
      res.status === 404 && ALWAYS_THERE.has(c.kind) ? 'a 404 on a path every account has' : !c.idempotent && res.status >= 200 && res.status < 300 ? undefined : unifiedAnswerProblem(res);
    if (problem !== undefined) throw new MisconfiguredError(c.route, res.status, problem, { baseUrl: this.base.href, accountId: this.accountId });
    return res;
  }
}

function endpointBody(e: UnifiedEndpointInput): Record<string, string> {
  return {
    ...(e.id !== undefined ? { id: e.id } : {}),
    phoneNumber: e.phoneNumber,
    // The guide's example names it callerName, the 2023 OpenAPI reference name: send both (SPEC §1).
    callerName: e.callerName,
    name: e.callerName,
    lang: e.lang ?? 'en',
    country: e.country,
    addressId: e.addressId,
  };
}

function json(res: ApiResponse, route: string): unknown {
  if (res.body.trim() === '') return {};
  try {
    return JSON.parse(res.body) as unknown;
  } catch (err) {
    throw new BadResponseError(route, res.status, 'not JSON', { cause: err });
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, route: string, status: number): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BadResponseError(route, status, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'unexpected shape'}`);
  }
  return result.data;
}

/** `{errors:[{type, description, code}]}` → ApiError with the API's code and description */
export function describeUnifiedError(res: ApiResponse): { code?: string; description?: string } | undefined {
  try {
    const body = schemas().ErrorBody.safeParse(JSON.parse(res.body));
    const first = body.success ? body.data.errors[0] : undefined;
    if (!first) return undefined;
    const code = first.code ?? first.type;
    return { ...(code ? { code } : {}), ...(first.description ? { description: first.description } : {}) };
  } catch {
    return undefined;
  }
}

function apiError(res: ApiResponse, route: string): ApiError {
  const d = describeUnifiedError(res);
  return new ApiError(res.status, route, d?.code, d?.description);
}
