import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DlrClient } from '../../src/api/dlr/client.js';
import { AmbiguousWriteError, ApiError } from '../../src/api/errors.js';
import { createTransport } from '../../src/api/transport.js';
import { fakeClock, send, startServer, type Handler } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/api/dlr/${name}`, import.meta.url), 'utf8');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(handler: Handler, lookup = { attempts: 3, delayMs: 500 }) {
  const server = await startServer(handler);
  const clock = fakeClock();
  const transport = createTransport({ auth: { kind: 'basic', username: 'u', password: 'p' }, clock, maxAttempts: 3 });
  const dlr = new DlrClient({ send: transport.send, baseUrl: new URL(`${server.url}/api`), accountId: '9900778', clock, lookup, pageSize: 2 });
  cleanups.push(
    () => transport.close(),
    () => server.close(),
  );
  return { server, dlr, clock, transport };
}

const aeui = { identifier: '9zdRwdQqZW99uYr', callbackNumber: '5555561234', callerName: '5th Floor Conference Phone', preferredLanguage: 'en', locationId: 'CorpOffice5thFloor' };
const ansun = { addressLine1: '904 E Ansun Str', houseNumber: '904', houseSuffix: 'E', streetName: 'Ansun', streetSuffix: 'Str', city: 'Marshalltown', stateCode: 'IA', zip: '50158' };

describe('DlrClient.geocode', () => {
  it('200: valid as sent, with the standardized address', async () => {
    const { server, dlr } = await setup((_q, res) => send(res, 200, fixture('geocode-200-valid.xml')));
    const result = await dlr.geocode(ansun);
    expect(result).toMatchObject({ outcome: 'valid', adjustments: [] });
    expect(result.standardized).toMatchObject({ addressLine1: '904 E ANSON ST', plusFour: '3522', country: 'US' });
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/api/accounts/9900778/geocodeRequest' });
    expect(server.seen[0]?.headers['content-type']).toContain('application/xml');
    expect(server.seen[0]?.body).toContain('<StreetName>Ansun</StreetName>');
  });

  it('409: a success, adjusted, with the adjustments listed', async () => {
    const { dlr } = await setup((_q, res) => send(res, 409, fixture('geocode-409-adjusted.xml')));
    const result = await dlr.geocode(ansun);
    expect(result.outcome).toBe('adjusted');
    expect(result.standardized?.streetName).toBe('ANSON');
    expect(result.adjustments).toEqual(['Street Name: ANSUN -> ANSON', 'Street Suffix: STR -> ST']);
  });

  it('400 12110: invalid address, with the code', async () => {
    const { dlr } = await setup((_q, res) => send(res, 400, fixture('geocode-400-invalid.xml')));
    expect(await dlr.geocode(ansun)).toEqual({ outcome: 'invalid', adjustments: [], code: '12110', description: 'This address could not be validated / geocoded' });
  });

  it('other 4xx: ApiError with the API code', async () => {
    const { dlr } = await setup((_q, res) =>
      send(res, 400, '<GeocodeRequestResponse><ResponseStatus><ErrorCode>12999</ErrorCode><Description>Bad request</Description></ResponseStatus></GeocodeRequestResponse>'),
    );
    const err = await dlr.geocode(ansun).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'HTTP_ERROR', status: 400, apiCode: '12999', apiDescription: 'Bad request' });
  });

  it('a geocode is safe to repeat: retried after a reset', async () => {
    const { server, dlr } = await setup((req, res, _b, seen) => (seen.length === 1 ? void req.socket.destroy() : send(res, 200, fixture('geocode-200-valid.xml'))));
    expect((await dlr.geocode(ansun)).outcome).toBe('valid');
    expect(server.seen).toHaveLength(2);
  });

  it('refuses an answer that declares entities', async () => {
    const { dlr } = await setup((_q, res) => send(res, 200, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><GeocodeRequestResponse/>'));
    await expect(dlr.geocode(ansun)).rejects.toMatchObject({ code: 'XML_UNSAFE' });
  });
});

describe('DlrClient orders', () => {
  it('creates an endpoint order and returns its id and status', async () => {
    const { server, dlr } = await setup((_q, res) => send(res, 201, fixture('e911-endpoint-order-received.xml')));
    const ref = await dlr.createEndpointOrder([aeui], 'CustomOrderId1');
    expect(ref).toEqual({ orderId: '19fab1c0-5da9-4219-9a3b-e3630ccd7e9f', customerOrderId: 'CustomOrderId1', status: 'RECEIVED', rawStatus: 'RECEIVED', final: false, errors: [], recovered: false });
    expect(server.seen[0]?.url).toBe('/api/accounts/9900778/e911s');
    expect(server.seen[0]?.body).toContain('<CustomerOrderId>CustomOrderId1</CustomerOrderId><AlternateEndUserIdentifiers>');
  });

  it('creates a location order (customerOrderId echoed from the request when the answer has none)', async () => {
    const { dlr } = await setup((_q, res) => send(res, 200, fixture('e911-location-order-received.xml')));
    const ref = await dlr.createLocationOrder(
      [{ locationId: 'CorpOffice5thFloor', houseNumber: '900', streetName: 'Main Campus', city: 'Raleigh', stateCode: 'NC', zip: '27606', country: 'US' }],
      'esp-loc-1',
    );
    expect(ref).toMatchObject({ orderId: '65c45d6a-0490-4167-8373-760ffd61a074', customerOrderId: 'esp-loc-1', status: 'RECEIVED' });
  });

  it('after a reset on the POST, finds the order by CustomerOrderId: exactly one POST', async () => {
    const { server, dlr } = await setup((req, res) => {
      if (req.method === 'POST') return void req.socket.destroy();
      const url = new URL(req.url ?? '', 'http://x');
      if (url.pathname === '/api/accounts/9900778/e911s' && url.searchParams.get('customerOrderId') === 'esp-ep-1') {
        return send(res, 200, fixture('e911s-by-customer-order-id.xml').replaceAll('2021-03-10T21:14:24.620Z', new Date().toISOString()));
      }
      send(res, 404, '<E911OrderReportResponse><ResponseStatus><Description>The resource does not exist</Description></ResponseStatus></E911OrderReportResponse>');
    });
    const ref = await dlr.createEndpointOrder([aeui], 'esp-ep-1');
    expect(ref).toMatchObject({ orderId: '19fab1c0-5da9-4219-9a3b-e3630ccd7e9f', customerOrderId: 'esp-ep-1', status: 'RECEIVED', recovered: true });
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('after a timeout on the POST with no order to be found, rethrows after a bounded lookup', async () => {
    const { server, dlr, clock } = await setup((req, res) => {
      if (req.method === 'POST') return void req.socket.destroy();
      send(res, 404, '<E911OrderReportResponse><ResponseStatus><Description>none</Description></ResponseStatus></E911OrderReportResponse>');
    });
    const started = clock.now();
    const err = await dlr.deleteEndpoints(['9zdRwdQqZW99uYr'], 'esp-del-ep-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmbiguousWriteError);
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(server.seen.filter((r) => r.method === 'GET')).toHaveLength(3);
    expect(clock.now() - started).toBeLessThanOrEqual(5_000);
  });

  it('ignores an old order that happens to carry the same CustomerOrderId', async () => {
    const { dlr } = await setup((req, res) => {
      if (req.method === 'POST') return send(res, 502);
      send(res, 200, fixture('e911s-by-customer-order-id.xml'));
    });
    await expect(dlr.createEndpointOrder([aeui], 'CustomOrderId1')).rejects.toBeInstanceOf(AmbiguousWriteError);
  });

  it('an accepted POST whose answer cannot be read is looked up too', async () => {
    const { server, dlr } = await setup((req, res) => {
      if (req.method === 'POST') return send(res, 201, '<html><body>Created</body></html>');
      send(res, 200, fixture('e911s-by-customer-order-id.xml').replaceAll('2021-03-10T21:14:24.620Z', new Date().toISOString()));
    });
    expect(await dlr.createEndpointOrder([aeui], 'esp-ep-2')).toMatchObject({ orderId: '19fab1c0-5da9-4219-9a3b-e3630ccd7e9f', recovered: true });
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('400 ResponseStatus: ApiError with the code', async () => {
    const { dlr } = await setup((_q, res) => send(res, 400, fixture('e911-order-400-response-status.xml')));
    await expect(dlr.createEndpointOrder([aeui], 'c1')).rejects.toMatchObject({ code: 'HTTP_ERROR', apiCode: '5070', apiDescription: 'Telephone number is invalid.' });
  });

  it('400 with a full E911Order: returned as a FAILED order with its item errors', async () => {
    const { dlr } = await setup((_q, res) => send(res, 400, fixture('e911-order-400-duplicate.xml')));
    const ref = await dlr.createEndpointOrder([aeui], 'CustomOrderId1');
    expect(ref).toMatchObject({ status: 'FAILED', final: true, orderId: '42d06090-a54f-4469-bb55-97eb5c0f3fea' });
    expect(ref.errors).toEqual([expect.objectContaining({ kind: 'aeui', code: '8033', identifiers: ['9zdRwdQqZW99uYr'] })]);
  });

  it('refuses a CustomerOrderId the API would refuse, and empty orders, before sending', async () => {
    const { server, dlr } = await setup((_q, res) => send(res, 201, fixture('e911-endpoint-order-received.xml')));
    await expect(dlr.createEndpointOrder([aeui], 'x'.repeat(41))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(dlr.createEndpointOrder([aeui], 'bad_id')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(dlr.deleteLocations([], 'ok')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(server.seen).toHaveLength(0);
  });

  it('reads an order with per-item errors, and its history', async () => {
    const { dlr } = await setup((req, res) => {
      if (req.url?.endsWith('/history')) return send(res, 200, fixture('order-history.xml'));
      send(res, 200, fixture('e911-order-partial-errors.xml'));
    });
    const order = await dlr.getOrder('7d0b2a7e-1111-4222-8333-944455556666');
    expect(order).toMatchObject({ status: 'ADJUSTED_PARTIAL', final: true });
    expect(order.errors.map((e) => e.code)).toEqual(['8040', '8020', '8059', '8042']);
    const history = await dlr.getOrderHistory('7d0b2a7e-1111-4222-8333-944455556666');
    expect(history[1]).toEqual({ date: '2021-03-10T21:14:29.001Z', status: 'PARTIAL', note: '8040: LocationId Nowhere1 should be provisioned first', author: 'System' });
  });

  it('a missing order is an ApiError 404', async () => {
    const { dlr } = await setup((_q, res) =>
      send(res, 404, '<E911OrderReportResponse><ResponseStatus><Description>The resource does not exist</Description></ResponseStatus></E911OrderReportResponse>'),
    );
    await expect(dlr.getOrder('nope')).rejects.toMatchObject({ status: 404, apiDescription: 'The resource does not exist' });
    expect(await dlr.findOrdersByCustomerOrderId('nope')).toEqual([]);
  });
});

describe('DlrClient lists', () => {
  it('pages through AEUIs following Links/next', async () => {
    const { server, dlr } = await setup((req, res) => {
      const page = new URL(req.url ?? '', 'http://x').searchParams.get('page');
      send(res, 200, fixture(page === 'BobDesk00002' ? 'aeuis-page-2.xml' : 'aeuis-page-1.xml'));
    });
    const ids: string[] = [];
    for await (const a of dlr.listAeuis()) ids.push(a.identifier);
    expect(ids).toEqual(['AliceDesk0001', 'AnnDesk00001', 'BobDesk00002']);
    expect(server.seen.map((r) => r.url)).toEqual(['/api/accounts/9900778/aeuis?page=1&size=2', '/api/accounts/9900778/aeuis?page=BobDesk00002&size=2']);
  });

  it('lists locations with type=e911, and nothing on 404', async () => {
    const { server, dlr } = await setup((_q, res, _b, seen) => (seen.length === 1 ? send(res, 200, fixture('addresses-e911.xml')) : send(res, 404, '<AddressesResponse/>')));
    const all = [];
    for await (const l of dlr.listLocations()) all.push(l);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ locationId: 'Raleigh500', zip: '02134' });
    expect(server.seen[0]?.url).toBe('/api/accounts/9900778/addresses?type=e911&page=1&size=2');
    const none = [];
    for await (const l of dlr.listLocations()) none.push(l);
    expect(none).toEqual([]);
  });
});

describe('DlrClient and a wrong base URL', () => {
  it("a known account's 404 keeps its meaning; a web server's 404, JSON or another document is a misconfiguration", async () => {
    const { dlr } = await setup((q, res) => {
      const url = q.url ?? '';
      if (url.includes('/aeuis/Gone'))
        return send(res, 404, '<AlternateEndUserIdentifierResponse><ResponseStatus><Description>The resource does not exist</Description></ResponseStatus></AlternateEndUserIdentifierResponse>');
      if (url.includes('/aeuis/Html')) return send(res, 404, '<!DOCTYPE html><html><body>Not Found</body></html>');
      if (url.includes('/addresses')) return send(res, 200, '<AlternateEndUserIdentifiersResponse><TotalCount>0</TotalCount></AlternateEndUserIdentifiersResponse>');
      if (url.includes('/e911s/')) return send(res, 404, '<E911OrderReportResponse><ResponseStatus><Description>The resource does not exist</Description></ResponseStatus></E911OrderReportResponse>');
      send(res, 404, '{"errors":[{"code":50420}]}');
    });
    expect(await dlr.getAeui('Gone')).toBeUndefined();
    await expect(dlr.getOrder('unknown')).rejects.toBeInstanceOf(ApiError);
    await expect(dlr.getAeui('Html')).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/HTML page.*--base-url .*\/api.*--account 9900778/) });
    const list = async (items: AsyncIterable<unknown>) => {
      for await (const _ of items) void _;
    };
    await expect(list(dlr.listAeuis())).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/JSON body/) });
    await expect(list(dlr.listLocations())).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/not AddressesResponse/) });
  });

  it('a 404 on a path every account has (geocodeRequest, e911s) is a misconfiguration, whatever its body', async () => {
    const { dlr } = await setup((_q, res) => send(res, 404, '<ResponseStatus><Description>The resource does not exist</Description></ResponseStatus>'));
    await expect(dlr.geocode(ansun)).rejects.toMatchObject({ code: 'API_MISCONFIGURED', message: expect.stringMatching(/every account has/) });
    await expect(dlr.createEndpointOrder([aeui], 'esp-ep-404')).rejects.toMatchObject({ code: 'API_MISCONFIGURED' });
  });
});
