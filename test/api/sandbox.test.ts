/** The clients against the sandbox simulator (src/sandbox), whose ledger proves what was created. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, customerOrderId, type Api, type DlrOrder, type UnifiedOrderDetails } from '../../src/api/index.js';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { until } from '../helpers/until.js';

const ACCOUNT = '9900001';
const basic = { kind: 'basic' as const, username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password };

describe('DLR against the sandbox', () => {
  let sandbox: Sandbox;
  let api: Api;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    api = createApi({ profile: 'dlr', baseUrl: `${sandbox.url}/api`, accountId: ACCOUNT, auth: basic });
  });
  afterAll(async () => {
    await api.close();
    await sandbox.close();
  });

  it('geocodes the reference example: "904 E Ansun Str" is adjusted to "904 E ANSON ST"', async () => {
    const result = await api.dlr?.geocode({
      addressLine1: '904 E Ansun Str',
      houseNumber: '904',
      houseSuffix: 'E',
      streetName: 'Ansun',
      streetSuffix: 'Str',
      city: 'Marshalltown',
      stateCode: 'IA',
      zip: '50158',
    });
    expect(result?.outcome).toBe('adjusted');
    expect(result?.standardized?.addressLine1).toBe('904 E ANSON ST');
    expect(result?.adjustments.length).toBeGreaterThan(0);
  });

  it('provisions a location, then an endpoint on it, and follows both orders to the end', async () => {
    const dlr = api.dlr;
    if (!dlr) throw new Error('no dlr client');
    const location = {
      locationId: 'SbxRaleigh500',
      houseNumber: '900',
      streetName: 'Main Campus',
      streetSuffix: 'Drive',
      addressLine2: 'Suite 500',
      city: 'Raleigh',
      stateCode: 'NC',
      zip: '27606',
      country: 'US',
    };
    const locRef = await dlr.createLocationOrder([location], customerOrderId('loc', [location]));
    const locOrder = await until<DlrOrder>(
      () => dlr.getOrder(locRef.orderId),
      (o) => o.final,
    );
    expect(locOrder.final).toBe(true);
    expect(locOrder.status).toMatch(/COMPLETE$/);

    const aeui = { identifier: 'SbxDesk000001', callbackNumber: '9194561234', callerName: 'Desk 1', locationId: 'SbxRaleigh500' };
    const epRef = await dlr.createEndpointOrder([aeui], customerOrderId('ep', [aeui]));
    const epOrder = await until<DlrOrder>(
      () => dlr.getOrder(epRef.orderId),
      (o) => o.final,
    );
    expect(epOrder.status).toMatch(/COMPLETE$/);
    expect(epOrder.errors).toEqual([]);
    const ids: string[] = [];
    for await (const a of dlr.listAeuis()) ids.push(a.identifier);
    expect(ids).toContain('SbxDesk000001');
    expect(sandbox.ledger().accounts[ACCOUNT]?.dlr.aeuis['SbxDesk000001']).toBeTruthy();
  });
});

describe('DLR ambiguous writes against the sandbox (dropped connection after processing)', () => {
  let sandbox: Sandbox;
  let api: Api;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, faults: { dropAfterProcessing: 1 } });
    api = createApi({ profile: 'dlr', baseUrl: `${sandbox.url}/api`, accountId: ACCOUNT, auth: basic, lookup: { attempts: 3, delayMs: 50 } });
  });
  afterAll(async () => {
    await api.close();
    await sandbox.close();
  });

  it('finds the order by CustomerOrderId instead of sending it again', async () => {
    const location = { locationId: 'SbxDropped01', houseNumber: '900', streetName: 'Main Campus', streetSuffix: 'Drive', city: 'Raleigh', stateCode: 'NC', zip: '27606', country: 'US' };
    const id = customerOrderId('loc', [location]);
    const ref = await api.dlr?.createLocationOrder([location], id);
    expect(ref).toMatchObject({ customerOrderId: id, recovered: true });
    expect(ref?.orderId).toBeTruthy();
    const ledger = sandbox.ledger().accounts[ACCOUNT]?.dlr;
    expect(ledger?.locationIdSubmissions['SbxDropped01']).toBe(1);
    expect(ledger?.duplicateCustomerOrderIds).toEqual({});
    expect(api.stats().ambiguousWrites).toBe(1);
  });
});

describe('unified against the sandbox, with OAuth2 and 429s', () => {
  let sandbox: Sandbox;
  let api: Api;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dialect: 'openapi', faults: { rateLimit: 0.3, retryAfterSeconds: 0 } });
    api = createApi({
      profile: 'unified',
      baseUrl: `${sandbox.url}/api/v2`,
      accountId: ACCOUNT,
      auth: { kind: 'oauth2', clientId: DEMO_CREDENTIALS.username, clientSecret: DEMO_CREDENTIALS.password, tokenUrl: `${sandbox.url}/api/v1/oauth2/token` },
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      maxAttempts: 8,
    });
  });
  afterAll(async () => {
    await api.close();
    await sandbox.close();
  });

  it('creates an address and endpoints and follows the order to the end', async () => {
    const unified = api.unified;
    if (!unified) throw new Error('no unified client');
    const address = await unified.createAddress({
      addressLine1: '11 Plein v Verenigde Naties',
      city: 'Zoetermeer',
      postalCode: '2719EG',
      country: 'NLD',
      service: '[ES]',
      companyName: 'companyName',
      customerType: 'BUS',
      friendlyName: 'Test-12345',
    });
    expect(address.id).toBeTruthy();
    expect(['VALID', 'INVALID', 'UNVALIDATED']).toContain(address.validationStatus);
    const order = await unified.addEndpoints([{ phoneNumber: '+31798080101', callerName: 'John Doe', lang: 'en', country: 'NLD', addressId: address.id }]);
    const details = await until<UnifiedOrderDetails>(
      () => unified.getOrderDetails(order.orderId),
      (d) => d.final,
    );
    expect(details.final).toBe(true);
    expect(details.endpoints.map((e) => e.id)).toContain('+31798080101');
    const stats = api.stats();
    expect(stats.tokenFetches).toBe(1);
    expect(sandbox.ledger().accounts[ACCOUNT]?.unified.phoneSubmissions['+31798080101']).toBe(1);
  });
});
