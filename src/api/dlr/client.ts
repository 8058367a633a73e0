import { dlrAnswerProblem } from '../answer.js';
import { AmbiguousWriteError, ApiError, BadResponseError, ConfigError, MisconfiguredError } from '../errors.js';
import { joinUrl } from '../url.js';
import { realClock, type ApiRequest, type ApiResponse, type Clock, type RateGroup, type Send } from '../types.js';
import { CUSTOMER_ORDER_ID } from './order-id.js';
import { findOrder, nextPage, readAdjustments, readAddress, readAeuiDetails, readAeuiList, readApiError, readHistory, readLocationList, readOrder, readSummaries } from './read.js';
import type {
  DlrAddress,
  DlrAeui,
  DlrAeuiDetails,
  DlrAeuiListItem,
  DlrGeocodeResult,
  DlrLocation,
  DlrLocationListItem,
  DlrOrder,
  DlrOrderHistoryEntry,
  DlrOrderRef,
  DlrOrderSummary,
} from './types.js';
import { buildEndpointDelete, buildEndpointOrder, buildGeocodeRequest, buildLocationDelete, buildLocationOrder, child, parseXml, text, type XmlObject } from './xml.js';

import { refusesAddress } from './error-codes.js';

export const DLR_DEFAULT_BASE_URL = 'https://dashboard.bandwidth.com/api';

/** Calls on paths every account has: a 404 there, whatever its body, means the account (or root) is wrong. */
const ALWAYS_THERE = new Set(['geocode', 'orderPost']);

/** orders created this long before the POST started are not the one we sent (clock skew allowance) */
const RECOVERY_SKEW_MS = 10 * 60_000;

export interface DlrClientOptions {
  send: Send;
  baseUrl: URL;
  accountId: string;
  clock?: Clock;
  /** after an ambiguous POST: how often and how far apart to look the order up */
  lookup?: { attempts: number; delayMs: number };
  pageSize?: number;
}

interface Call {
  method: ApiRequest['method'];
  path: string;
  route: string;
  kind: string;
  group: RateGroup;
  idempotent: boolean;
  query?: Record<string, string | number | undefined>;
  body?: string;
}

export class DlrClient {
  private readonly send: Send;
  private readonly base: URL;
  private readonly account: string;
  private readonly accountId: string;
  private readonly clock: Clock;
  private readonly lookup: { attempts: number; delayMs: number };
  private readonly pageSize: number;

  constructor(options: DlrClientOptions) {
    this.send = options.send;
    this.base = options.baseUrl;
    this.account = `/accounts/${encodeURIComponent(options.accountId)}`;
    this.accountId = options.accountId;
    this.clock = options.clock ?? realClock;
    this.lookup = options.lookup ?? { attempts: 4, delayMs: 1_000 };
    this.pageSize = options.pageSize ?? 500;
  }

  /** 200 valid as sent; 409 valid after adjustment (a success: read GeocodedAddress); 400 12110 invalid. */
  async geocode(address: DlrAddress): Promise<DlrGeocodeResult> {
    const route = '/accounts/:accountId/geocodeRequest';
    const res = await this.call({
      method: 'POST',
      path: '/geocodeRequest',
      route,
      kind: 'geocode',
      group: 'geocode',
      idempotent: true, // validates only, creates nothing
      body: buildGeocodeRequest(address),
    });
    const doc = parseXml(res.body, route, res.status);
    if (res.status === 200 || res.status === 409) {
      const geocoded = child(doc, 'GeocodeRequestResponse', 'GeocodedAddress') ?? child(doc, 'GeocodedAddress');
      if (!geocoded) throw new BadResponseError(route, res.status, 'no GeocodedAddress');
      return {
        outcome: res.status === 200 ? 'valid' : 'adjusted',
        standardized: readAddress(geocoded),
        adjustments: res.status === 409 ? readAdjustments(doc) : [],
      };
    }
    const { code, description } = readApiError(doc);
    if (res.status >= 400 && res.status < 500 && refusesAddress(code)) {
      // 12112 gives the closest verifiable address: a person can compare it with what they wrote.
      const closest = child(doc, 'GeocodeRequestResponse', 'GeocodedAddress') ?? child(doc, 'GeocodedAddress');
      return {
        outcome: 'invalid',
        adjustments: [],
        code: code!,
        ...(description !== undefined ? { description } : {}),
        ...(closest !== undefined ? { standardized: readAddress(closest) } : {}),
      };
    }
    throw new ApiError(res.status, route, code, description);
  }

  /** Address-pool order (AdditionalAddresses); an existing LocationId is overwritten. */
  async createLocationOrder(locations: readonly DlrLocation[], customerOrderId: string): Promise<DlrOrderRef> {
    nonEmpty(locations, 'locations');
    return this.submit(buildLocationOrder(locations, customerOrderId), customerOrderId);
  }

  /** Endpoint order: AEUIs referencing LocationIds already provisioned. */
  async createEndpointOrder(aeuis: readonly DlrAeui[], customerOrderId: string): Promise<DlrOrderRef> {
    nonEmpty(aeuis, 'aeuis');
    return this.submit(buildEndpointOrder(aeuis, customerOrderId), customerOrderId);
  }

  async deleteEndpoints(identifiers: readonly string[], customerOrderId: string): Promise<DlrOrderRef> {
    nonEmpty(identifiers, 'identifiers');
    return this.submit(buildEndpointDelete(identifiers, customerOrderId), customerOrderId);
  }

  /** Fails per location with 8051 while endpoints still use it. */
  async deleteLocations(locationIds: readonly string[], customerOrderId: string): Promise<DlrOrderRef> {
    nonEmpty(locationIds, 'locationIds');
    return this.submit(buildLocationDelete(locationIds, customerOrderId), customerOrderId);
  }

  async getOrder(orderId: string): Promise<DlrOrder> {
    const route = '/accounts/:accountId/e911s/:orderId';
    const res = await this.call({
      method: 'GET',
      path: `/e911s/${encodeURIComponent(orderId)}`,
      route,
      kind: 'orderGet',
      group: 'read',
      idempotent: true,
    });
    const doc = this.expectOk(res, route);
    const order = findOrder(doc);
    if (!order) throw new BadResponseError(route, res.status, 'no E911Order');
    return readOrder(order);
  }

  /** `GET e911s?customerOrderId=`; an empty list when none (the API may answer 404). */
  async findOrdersByCustomerOrderId(customerOrderId: string): Promise<DlrOrderSummary[]> {
    const route = '/accounts/:accountId/e911s';
    const res = await this.call({
      method: 'GET',
      path: '/e911s',
      route,
      kind: 'orderList',
      group: 'read',
      idempotent: true,
      query: { customerOrderId },
    });
    if (res.status === 404) return [];
    return readSummaries(this.expectOk(res, route), customerOrderId);
  }

  /**
   * `GET e911s?lastModifiedAfter=…` (api-notes §2.5): a summary of every order changed after
   * `after` (an ISO 8601 time), in one call, so one poll reads many open orders. Summaries, not
   * whole orders (`orderDetails=true`): an order that ended COMPLETE needs nothing more, and only
   * one that did not is read for its errors. Undefined when the API does not take the query (it
   * answers a query string with errors with a 404): the caller then reads each order. `complete`
   * is false when the API listed fewer orders than it counted (it lists at most 1,000).
   */
  async listChangedOrders(after: string): Promise<{ orders: DlrOrderSummary[]; complete: boolean } | undefined> {
    const route = '/accounts/:accountId/e911s';
    const res = await this.call({
      method: 'GET',
      path: '/e911s',
      route,
      kind: 'orderPoll',
      group: 'read',
      idempotent: true,
      query: { lastModifiedAfter: after },
    });
    if (res.status === 404 || res.status === 400) return undefined;
    const doc = this.expectOk(res, route);
    const orders = readSummaries(doc, '');
    const total = Number(text(child(doc, 'E911Orders'), 'TotalCount') ?? orders.length);
    return { orders, complete: !(total > orders.length) };
  }

  async getOrderHistory(orderId: string): Promise<DlrOrderHistoryEntry[]> {
    const route = '/accounts/:accountId/e911s/:orderId/history';
    const res = await this.call({
      method: 'GET',
      path: `/e911s/${encodeURIComponent(orderId)}/history`,
      route,
      kind: 'orderHistory',
      group: 'read',
      idempotent: true,
    });
    if (res.status === 404) return [];
    return readHistory(this.expectOk(res, route));
  }

  /** Every AEUI of the account (`GET aeuis`), page by page. */
  listAeuis(): AsyncIterable<DlrAeuiListItem> {
    return this.paged('/aeuis', '/accounts/:accountId/aeuis', 'aeuiList', {}, 'AlternateEndUserIdentifiersResponse', readAeuiList);
  }

  /** `GET aeuis/{acid}`: one endpoint with its caller name, language and address; undefined on 404. */
  async getAeui(identifier: string): Promise<DlrAeuiDetails | undefined> {
    const route = '/accounts/:accountId/aeuis/:acid';
    const res = await this.call({
      method: 'GET',
      path: `/aeuis/${encodeURIComponent(identifier)}`,
      route,
      kind: 'aeuiGet',
      group: 'read',
      idempotent: true,
    });
    if (res.status === 404) return undefined;
    return readAeuiDetails(this.expectRoot(res, route, 'AlternateEndUserIdentifierResponse'));
  }

  /** Every location of the address pool (`GET addresses?type=e911`), page by page. */
  listLocations(): AsyncIterable<DlrLocationListItem> {
    return this.paged('/addresses', '/accounts/:accountId/addresses', 'locationList', { type: 'e911' }, 'AddressesResponse', readLocationList);
  }

  private async *paged<T>(path: string, route: string, kind: string, query: Record<string, string>, root: string, read: (doc: XmlObject) => T[]): AsyncGenerator<T> {
    let page: string | undefined = '1';
    const seen = new Set<string>();
    while (page !== undefined) {
      seen.add(page);
      const res = await this.call({
        method: 'GET',
        path,
        route,
        kind,
        group: 'read',
        idempotent: true,
        query: { ...query, page, size: this.pageSize },
      });
      if (res.status === 404) return; // the numbers API answers 404 (with its ResponseStatus) when nothing matches
      const doc = this.expectRoot(res, route, root);
      const items = read(doc);
      yield* items;
      const next = nextPage(doc);
      page = next !== undefined && items.length > 0 && !seen.has(next) ? next : undefined;
    }
  }

  /**
   * POST e911s, never repeated blindly: when no definite answer came, the order is looked up by
   * its CustomerOrderId (a few times, briefly) and returned; if it cannot be found the
   * AmbiguousWriteError is rethrown for the caller to leave the rows PENDING.
   */
  private async submit(xml: string, customerOrderId: string): Promise<DlrOrderRef> {
    if (!CUSTOMER_ORDER_ID.test(customerOrderId)) {
      throw new ConfigError('CONFIG_INVALID', 'CustomerOrderId must be 1-40 letters, digits, dashes or spaces');
    }
    const route = '/accounts/:accountId/e911s';
    const started = this.clock.now();
    let res: ApiResponse;
    try {
      res = await this.call({
        method: 'POST',
        path: '/e911s',
        route,
        kind: 'orderPost',
        group: 'order',
        idempotent: false,
        body: xml,
      });
    } catch (err) {
      if (err instanceof AmbiguousWriteError) return this.recover(customerOrderId, started, err);
      throw err;
    }
    if (res.status >= 200 && res.status < 300) {
      // accepted, but an answer without a readable order id is as good as no answer
      let order: XmlObject | undefined;
      try {
        order = findOrder(parseXml(res.body, route, res.status, true));
      } catch (err) {
        if (!(err instanceof BadResponseError)) throw err;
      }
      const read = order ? readOrder(order) : undefined;
      if (!read?.orderId) {
        return this.recover(customerOrderId, started, new AmbiguousWriteError(route, 'unreadable answer', res.status));
      }
      return { ...refOf(read), customerOrderId: read.customerOrderId || customerOrderId };
    }
    const doc = parseXml(res.body, route, res.status, true);
    const order = res.status === 400 ? findOrder(doc) : undefined;
    if (order && child(order, 'ErrorList')) {
      // a synchronous rejection that still names the items (e.g. 8033 duplicate order)
      const read = readOrder(order);
      return { ...refOf(read), status: 'FAILED', final: true, customerOrderId: read.customerOrderId || customerOrderId };
    }
    const { code, description } = readApiError(doc);
    throw new ApiError(res.status, route, code, description);
  }

  private async recover(customerOrderId: string, started: number, original: AmbiguousWriteError): Promise<DlrOrderRef> {
    for (let attempt = 0; attempt < this.lookup.attempts; attempt++) {
      if (attempt > 0) await this.clock.sleep(this.lookup.delayMs);
      let found: DlrOrderSummary[];
      try {
        found = await this.findOrdersByCustomerOrderId(customerOrderId);
      } catch (err) {
        if (err instanceof MisconfiguredError) throw err;
        continue;
      }
      const candidates = found
        .filter((o) => o.orderId !== '')
        .filter((o) => {
          const at = o.orderDate ? Date.parse(o.orderDate) : Number.NaN;
          return !Number.isFinite(at) || at >= started - RECOVERY_SKEW_MS;
        })
        .sort((a, b) => (Date.parse(b.orderDate ?? '') || 0) - (Date.parse(a.orderDate ?? '') || 0));
      const hit = candidates[0];
      if (hit) {
        return {
          orderId: hit.orderId,
          customerOrderId,
          status: hit.status,
          rawStatus: hit.rawStatus,
          final: hit.final,
          errors: [],
          recovered: true,
        };
      }
    }
    throw original;
  }

  private expectOk(res: ApiResponse, route: string): XmlObject {
    const doc = parseXml(res.body, route, res.status);
    if (res.status >= 200 && res.status < 300) return doc;
    const { code, description } = readApiError(doc);
    throw new ApiError(res.status, route, code, description);
  }

  /** A list or endpoint answer whose root is another document's is not this account's answer. */
  private expectRoot(res: ApiResponse, route: string, root: string): XmlObject {
    const doc = this.expectOk(res, route);
    if (!(root in doc)) throw this.misconfigured(route, res.status, `XML that is not ${root} (${Object.keys(doc)[0] ?? 'empty'})`);
    return doc;
  }

  private misconfigured(route: string, status: number, detail: string): MisconfiguredError {
    return new MisconfiguredError(route, status, detail, { baseUrl: this.base.href, accountId: this.accountId });
  }

  private async call(c: Call): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/xml' };
    if (c.body !== undefined) headers['content-type'] = 'application/xml; charset=utf-8';
    const res = await this.send({
      method: c.method,
      url: joinUrl(this.base, this.account + c.path, c.query),
      route: c.route,
      kind: c.kind,
      group: c.group,
      idempotent: c.idempotent,
      headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
      describeError: describeDlrError,
    });
    // A write the API may have accepted (2xx) stays ambiguous, whatever came back: it is looked up, never forgotten.
    const problem = res.status === 404 && ALWAYS_THERE.has(c.kind) ? 'a 404 on a path every account has' : !c.idempotent && res.status >= 200 && res.status < 300 ? undefined : dlrAnswerProblem(res);
    if (problem !== undefined) throw this.misconfigured(c.route, res.status, problem);
    return res;
  }
}

function refOf(order: DlrOrder): DlrOrderRef {
  return {
    orderId: order.orderId,
    customerOrderId: order.customerOrderId,
    status: order.status,
    rawStatus: order.rawStatus,
    final: order.final,
    errors: order.errors,
    recovered: false,
  };
}

function nonEmpty(items: readonly unknown[], what: string): void {
  if (items.length === 0) throw new ConfigError('CONFIG_INVALID', `an order needs at least one item (${what} is empty)`);
}

export function describeDlrError(res: ApiResponse): { code?: string; description?: string } | undefined {
  try {
    return readApiError(parseXml(res.body, '', res.status));
  } catch {
    return undefined;
  }
}
