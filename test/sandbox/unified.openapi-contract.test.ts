import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, finalUnifiedOrder, fixture, unified, unifiedPath } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ dialect: 'openapi', orderTiming: { processingAfterMs: 10, finalAfterMs: 30 } });
});
afterAll(async () => {
  await sandbox.close();
});

const example = (name: string): any => JSON.parse(fixture(`openapi/${name}.json`));
const keys = (value: object): string[] => Object.keys(value).sort();

describe('OpenAPI 2023 examples (openapi dialect)', () => {
  it('creates the GBR example address with the response fields the spec shows', async () => {
    const answer = await unified(sandbox, 'POST', 'addresses', example('gbr-add-address.request'));
    expect(answer.status).toBe(201);
    const documented = example('gbr-address.response');
    for (const name of Object.keys(documented)) expect(answer.json, name).toHaveProperty(name);
    expect(answer.json).toMatchObject({
      id: 'london_office',
      houseNumber: '102-104',
      streetName: 'ALBERT STREET',
      streetType: 'STREET',
      city: 'LONDON',
      postalCode: 'NW1 7NE',
      friendlyName: 'London office',
      customerType: 'BUS',
      service: 'ES',
    });
    // The spec's request says BGR (Bulgaria), its response GBR: the sandbox keeps what was sent.
    expect(answer.json.country).toBe('BGR');
  });

  it('refuses the US example address: region ROW takes ISO alpha-3 countries outside North America only', async () => {
    const answer = await unified(sandbox, 'POST', 'addresses', example('usa-add-address.request'));
    expect(answer.status).toBe(400);
    expect(answer.json.errors[0].source).toEqual({ field: 'country' });
  });

  it("lists endpoints, orders, details and history with the example's fields", async () => {
    const address = await unified(sandbox, 'POST', 'addresses', { addressLine1: '1 Main Street', city: 'London', country: 'GBR' });
    const order = await unified(sandbox, 'POST', 'endpoints', { endpoints: [{ phoneNumber: '+442071234567', name: 'Joe', lang: 'en', country: 'GBR', addressId: address.json.id }] });
    const details = await finalUnifiedOrder(sandbox, order.json.orderId as string);

    const endpoints = (await unified(sandbox, 'GET', 'endpoints')).json;
    const documentedEndpoints = example('list-endpoints.response');
    expect(keys(endpoints)).toEqual(keys(documentedEndpoints));
    expect(keys(endpoints.endpoints[0])).toEqual(keys(documentedEndpoints.endpoints[0]));
    expect(endpoints.links.map((l: any) => l.rel)).toEqual(documentedEndpoints.links.map((l: any) => l.rel));

    const orders = (await unified(sandbox, 'GET', 'orders')).json;
    const documentedOrders = example('list-orders.response');
    expect(keys(orders.orders[0])).toEqual(keys(documentedOrders.orders[0]));

    const documentedDetails = example('list-order-details.response');
    expect(keys(details)).toEqual(keys(documentedDetails));
    expect(keys(details.endpoints[0])).toEqual(keys(documentedDetails.endpoints[0]));
    expect(details.status).toBe('COMPLETED');

    const history = (await unified(sandbox, 'GET', `orders/${details.id as string}/history`)).json;
    const documentedHistory = example('list-order-history.response');
    expect(keys(history)).toEqual(keys(documentedHistory));
    expect(history.orderHistory.map((h: any) => h.status)).toEqual(['RECEIVED', 'PROCESSING', 'COMPLETED']);
  });

  it("answers errors with the example error objects' type and code", async () => {
    const unauthorized = await call(sandbox, 'GET', unifiedPath('addresses'), undefined, { authorization: 'Bearer wrong' });
    expect(JSON.parse(unauthorized.text).errors[0]).toMatchObject({ type: 'authentication-credentials', code: 206401 });
    const documented = example('error-unauthorized.response').errors[0];
    expect(JSON.parse(unauthorized.text).errors[0].description).toBe(documented.description);
    const notFound = await unified(sandbox, 'GET', 'addresses/nope');
    expect(notFound.json.errors[0]).toMatchObject({ type: 'resource-not-found', code: example('error-not-found.response').errors[0].code });
    const badRequest = await unified(sandbox, 'POST', 'addresses', {});
    expect(badRequest.json.errors[0]).toMatchObject({ type: 'bad-request', code: example('error-bad-request.response').errors[0].code });
  });
});
