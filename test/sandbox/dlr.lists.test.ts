import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { aeui, dlr, endpointOrder, finalDlrOrder, list, locationOrder, postOrder, RALEIGH, xml } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ orderTiming: { processingAfterMs: 10, finalAfterMs: 30 } });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

async function provision(count: number): Promise<void> {
  await finalDlrOrder(
    sandbox,
    await postOrder(
      sandbox,
      locationOrder([
        { LocationId: 'Site1', ...RALEIGH },
        { LocationId: 'Site2', ...RALEIGH, HouseNumber: '902' },
      ]),
    ),
  );
  const aeuis = Array.from({ length: count }, (_, i) => aeui(`Endpoint${String(i).padStart(6, '0')}`, 'Site1'));
  await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder(aeuis, 'endpoints-1')));
}

describe('GET aeuis', () => {
  it('answers 404 code 12087 when there is none', async () => {
    const answer = await dlr(sandbox, 'GET', 'aeuis');
    expect(answer.status).toBe(404);
    expect(xml(answer.text).AlternateEndUserIdentifiersResponse.ResponseStatus.ErrorCode).toBe('12087');
  });

  it('writes a list of one element the same way as a list of many', async () => {
    await provision(1);
    const one = await dlr(sandbox, 'GET', 'aeuis');
    expect(one.status).toBe(200);
    expect(one.text).toMatch(
      /<AlternateEndUserIdentifiers><AlternateEndUserIdentifier><Identifier>Endpoint000000<\/Identifier><CallbackNumber>9195551234<\/CallbackNumber><\/AlternateEndUserIdentifier><\/AlternateEndUserIdentifiers>/,
    );
    expect(xml(one.text).AlternateEndUserIdentifiersResponse.TotalCount).toBe('1');
  });

  it('pages with page = id of the first element and size, following Links/next', async () => {
    await provision(5);
    const identifiers: string[] = [];
    let path = 'aeuis?size=2';
    for (let pages = 0; pages < 10; pages++) {
      const body = xml((await dlr(sandbox, 'GET', path)).text).AlternateEndUserIdentifiersResponse;
      expect(body.TotalCount).toBe('5');
      identifiers.push(...list<any>(body.AlternateEndUserIdentifiers.AlternateEndUserIdentifier).map((x) => x.Identifier));
      expect(body.Links.first).toMatch(/^Link=<http:\/\/127\.0\.0\.1:\d+\/api\/accounts\/9900000\/aeuis\?page=1&size=2>;rel="first";$/);
      const next = body.Links.next as string | undefined;
      if (next === undefined) break;
      path = (/aeuis\?[^>]+/.exec(next) ?? [''])[0];
    }
    expect(identifiers).toEqual(['Endpoint000000', 'Endpoint000001', 'Endpoint000002', 'Endpoint000003', 'Endpoint000004']);
  });

  // The reference's example (fixtures/reference/official/aeui-get.response.xml): E911/CallerName, a
  // Billing address with the country spelled out and no LocationId; no PreferredLanguage or PIDFLOEnabled.
  it("gets one AEUI in the reference's shape", async () => {
    await provision(1);
    const one = xml((await dlr(sandbox, 'GET', 'aeuis/Endpoint000000')).text).AlternateEndUserIdentifierResponse.AlternateEndUserIdentifier;
    expect(one).toMatchObject({ Identifier: 'Endpoint000000', CallbackNumber: '9195551234', E911: { CallerName: 'Front Desk' } });
    expect(one.E911.Address).toMatchObject({ AddressType: 'Billing', Country: 'United States' });
    expect(one.E911.Address.LocationId).toBeUndefined();
    expect(one.E911.PreferredLanguage).toBeUndefined();
    expect(one.PIDFLOEnabled).toBeUndefined();
    expect((await dlr(sandbox, 'GET', 'aeuis/Unknown0000001')).status).toBe(404);
  });
});

describe('GET addresses?type=e911', () => {
  it('requires type, lists locations with EndpointCount and ValidationStatus', async () => {
    expect((await dlr(sandbox, 'GET', 'addresses')).status).toBe(400);
    expect((await dlr(sandbox, 'GET', 'addresses?type=e911')).status).toBe(404);
    await provision(3);
    const body = xml((await dlr(sandbox, 'GET', 'addresses?type=e911')).text).AddressesResponse;
    expect(body.TotalCount).toBe('2');
    const addresses = list<any>(body.Addresses.Address);
    expect(addresses.map((a) => [a.LocationId, a.EndpointCount, a.ValidationStatus])).toEqual([
      ['Site1', '3', 'VALID'],
      ['Site2', '0', 'VALID'],
    ]);
    const filtered = xml((await dlr(sandbox, 'GET', 'addresses?type=e911&e911locationid=Site2')).text).AddressesResponse;
    expect(list<any>(filtered.Addresses.Address).map((a) => a.HouseNumber)).toEqual(['902']);
  });
});

describe('GET e911s (order list)', () => {
  it('finds orders by customerOrderId, with E911OrderSummary entries', async () => {
    await provision(2);
    const found = xml((await dlr(sandbox, 'GET', 'e911s?customerOrderId=endpoints-1')).text).E911Orders;
    expect(found.TotalCount).toBe('1');
    const summary = list<any>(found.E911OrderSummary)[0];
    expect(Object.keys(summary)).toEqual(['accountId', 'CountOfTNs', 'userId', 'lastModifiedDate', 'OrderDate', 'OrderType', 'OrderStatus', 'OrderId']);
    expect(summary).toMatchObject({ accountId: '9900000', userId: 'demo', OrderType: 'e911', OrderStatus: 'COMPLETE' });
    const none = xml((await dlr(sandbox, 'GET', 'e911s?customerOrderId=never-sent')).text).E911Orders;
    expect(none.TotalCount).toBe('0');
    expect(none.E911OrderSummary).toBeUndefined();
  });

  it('lists every order newest first, filters by status, and returns full orders with orderDetails=true', async () => {
    await provision(1);
    const all = list<any>(xml((await dlr(sandbox, 'GET', 'e911s')).text).E911Orders.E911OrderSummary);
    expect(all).toHaveLength(2);
    expect(Date.parse(all[0].OrderDate)).toBeGreaterThanOrEqual(Date.parse(all[1].OrderDate));
    expect(xml((await dlr(sandbox, 'GET', 'e911s?status=FAILED')).text).E911Orders.TotalCount).toBe('0');
    const details = xml((await dlr(sandbox, 'GET', 'e911s?customerOrderId=endpoints-1&orderDetails=true')).text).E911Orders;
    expect(list<any>(details.E911Order)[0].CustomerOrderId).toBe('endpoints-1');
    const byAeui = xml((await dlr(sandbox, 'GET', 'e911s?aeui=Endpoint000000')).text).E911Orders;
    expect(byAeui.TotalCount).toBe('1');
  });

  it('lists the orders changed after lastModifiedAfter (a time or a date), and answers a query it cannot read with 404', async () => {
    await provision(1);
    const all = list<any>(xml((await dlr(sandbox, 'GET', 'e911s?orderDetails=true')).text).E911Orders.E911Order);
    const times = all.map((o) => Date.parse(o.LastModifiedDate)).sort((a, b) => a - b);
    const between = new Date(times[0]! + (times[1]! - times[0]!) / 2).toISOString();
    const after = xml((await dlr(sandbox, 'GET', `e911s?orderDetails=true&lastModifiedAfter=${encodeURIComponent(between)}`)).text).E911Orders;
    expect(after.TotalCount).toBe('1');
    expect(list<any>(after.E911Order)[0].LastModifiedDate).toBe(new Date(times[1]!).toISOString());
    const later = xml((await dlr(sandbox, 'GET', `e911s?lastModifiedAfter=${encodeURIComponent(new Date(times[1]!).toISOString())}`)).text).E911Orders;
    expect(later.TotalCount).toBe('0');
    expect(xml((await dlr(sandbox, 'GET', 'e911s?lastModifiedAfter=2000-01-01')).text).E911Orders.TotalCount).toBe('2');
    expect((await dlr(sandbox, 'GET', 'e911s?lastModifiedAfter=yesterday')).status).toBe(404);
  });
});
