import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AmbiguousWriteError, createApi, type Api } from '../../src/api/index.js';
import { normalizeEndpointStatus, normalizeOrderStatus } from '../../src/api/unified/client.js';
import { fakeClock, sendJson, startServer, type Handler } from './helpers.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/api/unified/${name}`, import.meta.url), 'utf8'));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(handler: Handler, pageSize = 2) {
  const server = await startServer(handler);
  const api: Api = createApi({
    profile: 'unified',
    baseUrl: `${server.url}/api/v2`,
    accountId: '5001232',
    auth: { kind: 'bearer', token: 't' },
    clock: fakeClock(),
    maxAttempts: 3,
    pageSize,
  });
  cleanups.push(
    () => api.close(),
    () => server.close(),
  );
  const unified = api.unified;
  if (!unified) throw new Error('no unified client');
  return { server, api, unified };
}

const path = (url: string | undefined) => new URL(url ?? '', 'http://x');

describe('UnifiedClient addresses', () => {
  it('creates an address with region=ROW and reads UNVALIDATED, keeping unknown fields', async () => {
    const { server, unified } = await setup((_q, res) => sendJson(res, 201, fixture('address-201-gbr-unvalidated.json')));
    const input = {
      addressLine1: '102-104 Albert Street',
      city: 'London',
      postalCode: 'NW1 7NE',
      country: 'GBR',
      service: 'ES',
      customerType: 'BUS',
      companyName: 'Acme Ltd',
      friendlyName: 'London office',
    };
    const address = await unified.createAddress(input);
    expect(address).toMatchObject({ id: 'london_office_01', validationStatus: 'UNVALIDATED', address: '102-104 ALBERT STREET LONDON NW1 7NE' });
    expect(address.raw['streetType']).toBe('STREET');
    const seen = server.seen[0];
    expect(seen?.method).toBe('POST');
    expect(path(seen?.url).pathname).toBe('/api/v2/accounts/5001232/emergency/addresses');
    expect(path(seen?.url).searchParams.get('region')).toBe('ROW');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen?.body ?? '')).toEqual(input);
  });

  it('a 201 can say INVALID; numbers in string fields are tolerated', async () => {
    const { unified } = await setup((_q, res) => sendJson(res, 201, fixture('address-201-invalid.json')));
    const address = await unified.createAddress({ addressLine1: 'x', country: 'USA' });
    expect(address.validationStatus).toBe('INVALID');
    expect(address.raw['houseNumber']).toBe('14024');
  });

  it('an error body becomes an ApiError with the API code and description', async () => {
    const { unified } = await setup((_q, res) => sendJson(res, 400, fixture('error-400.json')));
    await expect(unified.createAddress({ addressLine1: 'x', country: 'NLD' })).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      status: 400,
      apiCode: '205617',
      apiDescription: 'postalCode is required for country NLD',
    });
  });

  it('never repeats a create whose connection dropped: AmbiguousWriteError', async () => {
    const { server, unified } = await setup((req) => void req.socket.destroy());
    await expect(unified.createAddress({ addressLine1: 'x', country: 'NLD' })).rejects.toBeInstanceOf(AmbiguousWriteError);
    expect(server.seen).toHaveLength(1);
  });

  it('gets (undefined on 404), patches and deletes addresses', async () => {
    const { server, unified } = await setup((req, res) => {
      const p = path(req.url).pathname;
      if (req.method === 'GET' && p.endsWith('/missing')) return sendJson(res, 404, { errors: [{ type: 'resource-not-found', code: 50420, description: 'not found' }] });
      if (req.method === 'GET' || req.method === 'PATCH') return sendJson(res, 200, fixture('address-201-invalid.json'));
      // every error of the API carries its errors list (api-notes §1.6); an empty 404 is not the API's
      if (req.method === 'DELETE') return p.endsWith('/gone') ? sendJson(res, 404, { errors: [{ type: 'resource-not-found', code: 50420, description: 'not found' }] }) : sendJson(res, 204, undefined);
      sendJson(res, 500, {});
    });
    expect(await unified.getAddress('missing')).toBeUndefined();
    expect((await unified.getAddress('homeoffice'))?.id).toBe('homeoffice');
    expect((await unified.patchAddress('homeoffice', { description: 'upstairs' })).id).toBe('homeoffice');
    expect(await unified.deleteAddress('homeoffice')).toBe('deleted');
    expect(await unified.deleteAddress('gone')).toBe('not-found');
    expect(server.seen.every((r) => path(r.url).searchParams.get('region') === 'ROW')).toBe(true);
    expect(JSON.parse(server.seen[2]?.body ?? '')).toEqual({ description: 'upstairs' });
  });

  it('pages addresses by limit/offset without links', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, validationStatus: 'VALID' }));
    const { server, unified } = await setup((req, res) => {
      const q = path(req.url).searchParams;
      const offset = Number(q.get('offset') ?? 0);
      const limit = Number(q.get('limit'));
      sendJson(res, 200, { links: null, addresses: rows.slice(offset, offset + limit) });
    });
    const ids: string[] = [];
    for await (const a of unified.listAddresses()) ids.push(a.id);
    expect(ids).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(server.seen.map((r) => path(r.url).searchParams.get('offset'))).toEqual([null, '2', '4']);
  });
});

describe('UnifiedClient endpoints and orders', () => {
  // The guide's example says callerName, the 2023 OpenAPI reference name: both carry the value (SPEC §1, #14 item 4).
  it('adds endpoints, sending the caller name as both callerName and name, and returns the order (202)', async () => {
    const { server, unified } = await setup((_q, res) => sendJson(res, 202, fixture('endpoints-202.json')));
    const order = await unified.addEndpoints([
      { phoneNumber: '+31798080101', callerName: 'John Doe', lang: 'en', country: 'NLD', addressId: 'e454ac5a-8c2c-45b0-8c7d-e6dd0b1a3582' },
      { id: 'home', phoneNumber: '+31798080102', callerName: 'Jane Doe', country: 'NLD', addressId: 'e454' },
    ]);
    expect(order).toEqual({
      orderId: '08e0be9a-52fd-45a0-be2e-86835c534aad',
      type: 'ADD_ENDPOINTS',
      status: 'RECEIVED',
      rawStatus: 'RECEIVED',
      final: false,
      acceptedCount: 2,
      invalidCount: 0,
      totalNumber: 2,
      updated: '2022-05-18T08:57:04Z',
    });
    expect(JSON.parse(server.seen[0]?.body ?? '')).toEqual({
      endpoints: [
        { phoneNumber: '+31798080101', callerName: 'John Doe', name: 'John Doe', lang: 'en', country: 'NLD', addressId: 'e454ac5a-8c2c-45b0-8c7d-e6dd0b1a3582' },
        { id: 'home', phoneNumber: '+31798080102', callerName: 'Jane Doe', name: 'Jane Doe', lang: 'en', country: 'NLD', addressId: 'e454' },
      ],
    });
  });

  it('never repeats an endpoints POST that timed out', async () => {
    const { server, unified } = await setup((_q, res) => sendJson(res, 504, {}));
    await expect(unified.addEndpoints([{ phoneNumber: '+1', callerName: 'a', country: 'NLD', addressId: 'x' }])).rejects.toMatchObject({ code: 'AMBIGUOUS_WRITE' });
    expect(server.seen).toHaveLength(1);
  });

  it('patches and deletes endpoints (DELETE with a JSON body)', async () => {
    const { server, unified } = await setup((req, res) => sendJson(res, 202, { orderId: req.method === 'PATCH' ? 'p1' : 'd1', orderType: 'X', orderStatus: 'RECEIVED' }));
    expect((await unified.patchEndpoints('PROVISION', [{ id: '+31798080101', addressId: 'a1' }])).orderId).toBe('p1');
    expect((await unified.deleteEndpoints(['+31798080101', '+31798080102'])).orderId).toBe('d1');
    expect(JSON.parse(server.seen[0]?.body ?? '')).toEqual({ action: 'PROVISION', endpoints: [{ id: '+31798080101', addressId: 'a1' }] });
    expect(server.seen[1]?.method).toBe('DELETE');
    expect(JSON.parse(server.seen[1]?.body ?? '')).toEqual({ endpointIds: ['+31798080101', '+31798080102'] });
  });

  it('lists endpoints by address, reading name or callerName', async () => {
    const { server, unified } = await setup((_q, res) =>
      sendJson(res, 200, {
        links: [],
        endpoints: [
          { id: 'e1', phoneNumber: '+31798080101', name: 'Old Spelling', addressId: 'a1' },
          { id: 'e2', callerName: 'New Spelling', addressId: 'a1' },
        ],
      }),
    );
    const all = [];
    for await (const e of unified.listEndpoints({ addressId: 'a1' })) all.push(e);
    expect(all.map((e) => e.callerName)).toEqual(['Old Spelling', 'New Spelling']);
    expect(path(server.seen[0]?.url).searchParams.get('addressId')).toBe('a1');
  });

  it('merges order details over pages, following links rel=next, tolerant of spellings', async () => {
    const { server, unified } = await setup((req, res) => {
      const offset = path(req.url).searchParams.get('offset');
      sendJson(res, 200, fixture(offset === '2' ? 'order-details-page-2.json' : 'order-details-page-1.json'));
    });
    const details = await unified.getOrderDetails('08e0be9a-52fd-45a0-be2e-86835c534aad');
    expect(details).toMatchObject({ orderId: '08e0be9a-52fd-45a0-be2e-86835c534aad', status: 'PARTIAL', final: true, totalNumber: 3 });
    expect(details.endpoints).toEqual([
      { id: '+31798080101', status: 'SUCCESS', rawStatus: 'SUCCESS', updatedBy: 'JJ' },
      { id: '+31798080102', status: 'ERROR', rawStatus: 'ERROR', error: 'Address not valid for emergency services', errorCode: '4021', updatedBy: 'JJ' },
      { id: '+31798080103', status: 'IN_PROGRESS', rawStatus: 'INPROGRESS', updatedBy: 'JJ' },
    ]);
    expect(path(server.seen[0]?.url).pathname).toBe('/api/v2/accounts/5001232/emergency/orders/08e0be9a-52fd-45a0-be2e-86835c534aad/details');
    expect(server.seen).toHaveLength(2);
  });

  it("reads the reference document's CREATED order as not final", async () => {
    const { unified } = await setup((_q, res) => sendJson(res, 200, fixture('order-details-reference.json')));
    const details = await unified.getOrderDetails('uUbvouVW');
    expect(details).toMatchObject({ status: 'CREATED', final: false });
    expect(details.endpoints[0]).toEqual({ id: '+31798080101', status: 'SUCCESS', rawStatus: 'SUCCESS', updatedBy: 'myUser' });
  });

  it('reads order history and lists orders', async () => {
    const { unified } = await setup((req, res) => {
      if (path(req.url).pathname.endsWith('/history')) return sendJson(res, 200, fixture('order-history.json'));
      sendJson(res, 200, { links: [{ rel: 'self', href: '/orders' }], orders: [{ id: 'o1', type: 'ADD_ENDPOINTS', status: 'COMPLETE' }] });
    });
    const history = await unified.getOrderHistory('kj8WzoJQ');
    expect(history).toMatchObject({ orderId: 'kj8WzoJQ', status: 'COMPLETED', created: '2023-09-07T17:34:27Z' });
    expect(history.entries.map((e) => e.status)).toEqual(['RECEIVED', 'PROCESSING', 'COMPLETED']);
    const orders = [];
    for await (const o of unified.listOrders({ orderType: 'ADD_ENDPOINTS' })) orders.push(o);
    expect(orders).toEqual([{ orderId: 'o1', type: 'ADD_ENDPOINTS', status: 'COMPLETED', rawStatus: 'COMPLETE', final: true }]);
  });

  it('an answer of the wrong shape is BAD_RESPONSE; to a write, it is AMBIGUOUS_WRITE (done, id unknown)', async () => {
    const { server, unified } = await setup((req, res) => (req.method === 'GET' ? sendJson(res, 200, { hello: 'world' }) : sendJson(res, 202, '<html>')));
    await expect(unified.getAddress('a1')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(unified.deleteEndpoints(['x'])).rejects.toMatchObject({ code: 'AMBIGUOUS_WRITE', status: 202 });
    await expect(unified.createAddress({ addressLine1: 'x', country: 'NLD' })).rejects.toMatchObject({ code: 'AMBIGUOUS_WRITE' });
    expect(server.seen.filter((r) => r.method !== 'GET')).toHaveLength(2);
  });
});

describe('status spellings', () => {
  it('normalizes order and endpoint statuses', () => {
    expect(['COMPLETE', 'COMPLETED', 'completed'].map(normalizeOrderStatus)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(['CREATED', 'PENDING', 'IN_PROGRESS', 'INPROGRESS', 'weird'].map(normalizeOrderStatus)).toEqual(['CREATED', 'PENDING', 'PROCESSING', 'PROCESSING', 'UNKNOWN']);
    expect(['SUCCESS', 'INPROGRESS', 'IN_PROGRESS', 'ERROR', '?'].map(normalizeEndpointStatus)).toEqual(['SUCCESS', 'IN_PROGRESS', 'IN_PROGRESS', 'ERROR', 'UNKNOWN']);
  });
});

describe('UnifiedClient and a wrong base URL', () => {
  it("a known account's 404 keeps its meaning; an HTML, XML or empty 404 is a misconfiguration", async () => {
    const { unified } = await setup((req, res) => {
      const p = path(req.url).pathname;
      if (p.endsWith('/addresses/missing')) return sendJson(res, 404, { errors: [{ type: 'resource-not-found', code: 50420, description: 'not found' }] });
      if (p.endsWith('/addresses')) {
        res.writeHead(404, { 'content-type': 'text/html' });
        return void res.end('<html><body>Not Found</body></html>');
      }
      if (p.endsWith('/endpoints')) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        return void res.end('<ResponseStatus><Description>The resource does not exist</Description></ResponseStatus>');
      }
      res.writeHead(404);
      res.end();
    });
    expect(await unified.getAddress('missing')).toBeUndefined();
    const list = async (items: AsyncIterable<unknown>) => {
      for await (const _ of items) void _;
    };
    await expect(list(unified.listAddresses())).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/HTML page.*--base-url .*--account 5001232/) });
    await expect(list(unified.listEndpoints())).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/XML body/) });
    await expect(unified.getAddress('other')).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/empty 404/) });
  });

  it('a 200 JSON answer without the list is not an empty account', async () => {
    const { unified } = await setup((_req, res) => sendJson(res, 200, { status: 'ok', version: '2.1' }));
    const list = async (items: AsyncIterable<unknown>) => {
      for await (const _ of items) void _;
    };
    await expect(list(unified.listEndpoints())).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/JSON without endpoints/) });
  });
});
