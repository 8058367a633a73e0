import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { finalUnifiedOrder, fixture, unified } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ orderTiming: { processingAfterMs: 20, finalAfterMs: 60 } });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const ADDRESS = JSON.parse(fixture('unified/create-address.request.json')) as Record<string, string>;
const ENDPOINTS = JSON.parse(fixture('unified/create-endpoints.request.json')) as { endpoints: Record<string, string>[] };
const DOCUMENTED_ADDRESS_ID = 'e454ac5a-8c2c-45b0-8c7d-e6dd0b1a3582';

async function address(fields: Record<string, unknown> = ADDRESS): Promise<string> {
  const answer = await unified(sandbox, 'POST', 'addresses', fields);
  expect(answer.status).toBe(201);
  return answer.json.id as string;
}

async function addEndpoints(endpoints: Record<string, unknown>[]): Promise<any> {
  const answer = await unified(sandbox, 'POST', 'endpoints', { endpoints });
  expect(answer.status).toBe(202);
  return finalUnifiedOrder(sandbox, answer.json.orderId as string);
}

describe("the document's examples", () => {
  it('creates the NLD address: 201 with an id and the parsed, validated address', async () => {
    const answer = await unified(sandbox, 'POST', 'addresses', ADDRESS);
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      validationStatus: 'VALID',
      address: '11 Plein v Verenigde Naties',
      houseNumber: '11',
      streetName: 'PLEIN V VERENIGDE NATIES',
      city: 'ZOETERMEER',
      postalCode: '2719EG',
      country: 'NLD',
      service: '[ES]',
      customerType: 'BUS',
      friendlyName: 'Test-12345',
    });
    expect(answer.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await unified(sandbox, 'GET', `addresses/${answer.json.id as string}`)).json).toEqual(answer.json);
  });

  it('creates the documented endpoint: 202 ADD_ENDPOINTS order, details and history shaped as documented', async () => {
    await address({ ...ADDRESS, id: DOCUMENTED_ADDRESS_ID });
    const answer = await unified(sandbox, 'POST', 'endpoints', ENDPOINTS);
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ orderType: 'ADD_ENDPOINTS', orderStatus: 'RECEIVED', acceptedCount: 1, invalidCount: 0, totalNumber: 1, updatedBy: 'demo' });
    expect(Object.keys(answer.json).sort()).toEqual(['acceptedCount', 'invalidCount', 'orderId', 'orderStatus', 'orderType', 'totalNumber', 'updated', 'updatedBy']);

    const details = await finalUnifiedOrder(sandbox, answer.json.orderId as string);
    const documented = JSON.parse(fixture('unified/order-details.response.json'));
    expect(Object.keys(details).sort()).toEqual(Object.keys(documented).sort());
    expect(details).toMatchObject({ id: answer.json.orderId, type: 'ADD_ENDPOINTS', status: 'COMPLETED', acceptedCount: 1, invalidCount: 0, totalNumber: 1 });
    expect(details.endpoints).toEqual([{ id: '+31798080101', updatedBy: 'demo', status: 'SUCCESS', error: '', errorCode: '' }]);
    expect(Object.keys(details.links[0]).sort()).toEqual(Object.keys(documented.links[0]).sort());

    const history = (await unified(sandbox, 'GET', `orders/${answer.json.orderId as string}/history`)).json;
    const documentedHistory = JSON.parse(fixture('unified/order-history.response.json'));
    expect(Object.keys(history).sort()).toEqual(Object.keys(documentedHistory).sort());
    expect(history.orderHistory.map((h: any) => h.status)).toEqual(documentedHistory.orderHistory.map((h: any) => h.status));
    expect(Object.keys(history.orderHistory[0]).sort()).toEqual(Object.keys(documentedHistory.orderHistory[0]).sort());

    const endpoint = (await unified(sandbox, 'GET', 'endpoints/%2B31798080101')).json;
    expect(endpoint).toMatchObject({ id: '+31798080101', phoneNumber: '+31798080101', callerName: 'John Doe', lang: 'en', country: 'NLD', addressId: DOCUMENTED_ADDRESS_ID });
  });
});

describe('addresses', () => {
  it('answers 201 INVALID for an addressLine1 with NOWHERE', async () => {
    const answer = await unified(sandbox, 'POST', 'addresses', { ...ADDRESS, addressLine1: '1 Nowhere Straat' });
    expect(answer.status).toBe(201);
    expect(answer.json.validationStatus).toBe('INVALID');
  });

  it.each([
    ['addressLine1', { addressLine1: '' }],
    ['city', { city: undefined }],
    ['country', { country: undefined }],
    ['country', { country: 'NL' }],
    ['country', { country: 'XYZ' }],
  ])('answers 400 bad-request naming %s', async (field, change) => {
    const answer = await unified(sandbox, 'POST', 'addresses', { ...ADDRESS, ...change });
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0]).toMatchObject({ type: 'bad-request', source: { field } });
  });

  it('lists with limit/offset and links, patches addressLine1/description only, deletes with 204', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await address({ ...ADDRESS, addressLine1: `${i} Plein v Verenigde Naties` }));
    const page = (await unified(sandbox, 'GET', 'addresses?limit=2&offset=0')).json;
    expect(page.addresses.map((a: any) => a.id)).toEqual(ids.slice(0, 2));
    const next = page.links.find((l: any) => l.rel === 'next');
    expect(next.href).toBe('/addresses?offset=2&limit=2');
    expect(page.links.find((l: any) => l.rel === 'prev').href).toBe('');
    const last = (await unified(sandbox, 'GET', 'addresses?limit=2&offset=2')).json;
    expect(last.addresses.map((a: any) => a.id)).toEqual(ids.slice(2));
    expect(last.links.find((l: any) => l.rel === 'next').href).toBe('');

    const patched = await unified(sandbox, 'PATCH', `addresses/${ids[0] ?? ''}`, { addressLine1: '12 Nowhere Weg', description: 'moved' });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ address: '12 Nowhere Weg', description: 'moved', validationStatus: 'INVALID' });
    expect((await unified(sandbox, 'PATCH', `addresses/${ids[0] ?? ''}`, { city: 'Delft' })).status).toBe(400);
    expect((await unified(sandbox, 'DELETE', `addresses/${ids[0] ?? ''}`)).status).toBe(204);
    expect((await unified(sandbox, 'GET', `addresses/${ids[0] ?? ''}`)).status).toBe(404);
  });

  it('refuses to delete an address endpoints still use', async () => {
    const id = await address();
    await addEndpoints([{ phoneNumber: '+31798080101', callerName: 'A', addressId: id }]);
    expect((await unified(sandbox, 'DELETE', `addresses/${id}`)).status).toBe(400);
  });
});

describe('endpoints', () => {
  it('reports per-endpoint errors: unknown address, INVALID address, duplicate, 0000, not E.164 — PARTIAL', async () => {
    const good = await address();
    const invalid = await address({ ...ADDRESS, addressLine1: '1 Nowhere' });
    await addEndpoints([{ phoneNumber: '+31798080102', callerName: 'Existing', addressId: good }]);
    const details = await addEndpoints([
      { phoneNumber: '+31798080101', callerName: 'Ok', addressId: good },
      { phoneNumber: '+31798080103', callerName: 'No address', addressId: 'missing' },
      { phoneNumber: '+31798080104', callerName: 'Invalid address', addressId: invalid },
      { phoneNumber: '+31798080102', callerName: 'Already there', addressId: good },
      { phoneNumber: '+31798080000', callerName: 'Rejected', addressId: good },
      { phoneNumber: '0798080105', callerName: 'Not E.164', addressId: good },
    ]);
    expect(details.status).toBe('PARTIAL');
    expect(details.acceptedCount).toBe(5);
    expect(details.invalidCount).toBe(1);
    expect(details.endpoints.map((e: any) => [e.status, e.errorCode])).toEqual([
      ['SUCCESS', ''],
      ['ERROR', '8040'],
      ['ERROR', '8059'],
      ['ERROR', '8020'],
      ['ERROR', '8014'],
      ['ERROR', '8065'],
    ]);
    expect(details.endpoints[3].error).toContain('use PATCH');
  });

  it('refuses at once a phone number that another unfinished order carries (8019), and keeps a chosen endpoint id', async () => {
    const slow = await startSandbox({ orderTiming: { processingAfterMs: 60_000, finalAfterMs: 120_000 } });
    try {
      const post = async (path: string, body: unknown): Promise<any> => {
        const res = await fetch(`${slow.url}/api/v2/accounts/9900000/emergency/${path}?region=ROW`, {
          method: 'POST',
          headers: { authorization: 'Bearer demo-token', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return res.json();
      };
      const id = (await post('addresses', ADDRESS)).id as string;
      const first = await post('endpoints', { endpoints: [{ id: 'desk-1', phoneNumber: '+31798080101', callerName: 'N', addressId: id }] });
      expect(first).toMatchObject({ acceptedCount: 1, invalidCount: 0 });
      const second = await post('endpoints', { endpoints: [{ phoneNumber: '+31798080101', callerName: 'N', addressId: id }] });
      expect(second).toMatchObject({ acceptedCount: 0, invalidCount: 1 });
      const res = await fetch(`${slow.url}/api/v2/accounts/9900000/emergency/orders/${second.orderId as string}/details?region=ROW`, {
        headers: { authorization: 'Bearer demo-token' },
      });
      const details = (await res.json()) as any;
      expect(details.endpoints[0]).toMatchObject({ status: 'ERROR', errorCode: '8019' });
      const firstDetails = (await (
        await fetch(`${slow.url}/api/v2/accounts/9900000/emergency/orders/${first.orderId as string}/details?region=ROW`, {
          headers: { authorization: 'Bearer demo-token' },
        })
      ).json()) as any;
      expect(firstDetails.endpoints[0].id).toBe('desk-1');
    } finally {
      await slow.close();
    }
  });

  it('FAILED when every endpoint failed', async () => {
    const details = await addEndpoints([{ phoneNumber: '+31798080000', callerName: 'Rejected', addressId: await address() }]);
    expect(details.status).toBe('FAILED');
  });

  it('shows endpoints IN_PROGRESS until the order is final (reference dialect), INPROGRESS in the openapi dialect', async () => {
    for (const [dialect, spelling] of [
      ['reference', 'IN_PROGRESS'],
      ['openapi', 'INPROGRESS'],
    ] as const) {
      const slow = await startSandbox({ dialect, orderTiming: { processingAfterMs: 60_000, finalAfterMs: 120_000 } });
      try {
        const post = async (path: string, body: unknown): Promise<any> => {
          const res = await fetch(`${slow.url}/api/v2/accounts/9900000/emergency/${path}?region=ROW`, {
            method: 'POST',
            headers: { authorization: 'Bearer demo-token', 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return res.json();
        };
        const id = (await post('addresses', ADDRESS)).id as string;
        const order = await post('endpoints', { endpoints: [{ phoneNumber: '+31798080101', name: 'N', addressId: id }] });
        const res = await fetch(`${slow.url}/api/v2/accounts/9900000/emergency/orders/${order.orderId as string}/details?region=ROW`, {
          headers: { authorization: 'Bearer demo-token' },
        });
        const details = (await res.json()) as any;
        expect(details.status).toBe('RECEIVED');
        expect(details.endpoints[0].status).toBe(spelling);
      } finally {
        await slow.close();
      }
    }
  });

  it('updates with PATCH (PROVISION / UNPROVISION) and deletes with DELETE {endpointIds}', async () => {
    const first = await address();
    const second = await address({ ...ADDRESS, addressLine1: '12 Plein v Verenigde Naties' });
    await addEndpoints([{ phoneNumber: '+31798080101', callerName: 'A', addressId: first }]);

    const patch = await unified(sandbox, 'PATCH', 'endpoints', { action: 'PROVISION', endpoints: [{ id: '+31798080101', addressId: second }] });
    expect(patch.status).toBe(202);
    expect(patch.json.orderType).toBe('UPDATE_ENDPOINTS');
    expect((await finalUnifiedOrder(sandbox, patch.json.orderId as string)).status).toBe('COMPLETED');
    expect((await unified(sandbox, 'GET', `endpoints?addressId=${second}`)).json.endpoints.map((e: any) => e.id)).toEqual(['+31798080101']);
    expect((await unified(sandbox, 'GET', `endpoints?addressId=${first}`)).json.endpoints).toEqual([]);

    const unprovision = await unified(sandbox, 'PATCH', 'endpoints/%2B31798080101', { action: 'UNPROVISION' });
    await finalUnifiedOrder(sandbox, unprovision.json.orderId as string);
    expect((await unified(sandbox, 'GET', 'endpoints/%2B31798080101')).json.addressId).toBeNull();

    const remove = await unified(sandbox, 'DELETE', 'endpoints', { endpointIds: ['+31798080101', '+31000000000'] });
    expect(remove.json.orderType).toBe('DELETE_ENDPOINTS');
    const removed = await finalUnifiedOrder(sandbox, remove.json.orderId as string);
    expect(removed.status).toBe('PARTIAL');
    expect(removed.endpoints[1].errorCode).toBe('8021');
    expect((await unified(sandbox, 'GET', 'endpoints/%2B31798080101')).status).toBe(404);
  });

  it('lists orders with an orderType filter and pages order details', async () => {
    const id = await address();
    const endpoints = Array.from({ length: 5 }, (_, i) => ({ phoneNumber: `+3179808010${i}`, callerName: 'X', addressId: id }));
    const details = await addEndpoints(endpoints);
    await finalUnifiedOrder(sandbox, (await unified(sandbox, 'DELETE', 'endpoints', { endpointIds: ['+31798080100'] })).json.orderId as string);
    const adds = (await unified(sandbox, 'GET', 'orders?orderType=ADD_ENDPOINTS')).json;
    expect(adds.orders.map((o: any) => o.id)).toEqual([details.id]);
    expect((await unified(sandbox, 'GET', 'orders')).json.orders).toHaveLength(2);
    const page = (await unified(sandbox, 'GET', `orders/${details.id as string}/details?limit=2&offset=2`)).json;
    expect(page.endpoints.map((e: any) => e.id)).toEqual(['+31798080102', '+31798080103']);
    expect(page.totalNumber).toBe(5);
  });

  it('answers 400 for a body without endpoints and 404 for an unknown order', async () => {
    expect((await unified(sandbox, 'POST', 'endpoints', { endpoints: [] })).status).toBe(400);
    expect((await unified(sandbox, 'POST', 'endpoints', { nope: 1 })).status).toBe(400);
    expect((await unified(sandbox, 'GET', 'orders/unknown/details')).status).toBe(404);
  });
});
