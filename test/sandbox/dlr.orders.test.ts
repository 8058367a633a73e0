import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { seededRandom } from '../../src/sandbox/rng.js';
import { aeui, dlr, endpointOrder, finalDlrOrder, fixture, list, locationOrder, postOrder, RALEIGH, xml } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ orderTiming: { processingAfterMs: 20, finalAfterMs: 60 } });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

async function provision(locationId: string, fields: Record<string, string> = RALEIGH): Promise<void> {
  const order = await finalDlrOrder(sandbox, await postOrder(sandbox, locationOrder([{ LocationId: locationId, ...fields }])));
  expect(order.ProcessingStatus).toMatch(/COMPLETE$/);
}

function errors(order: any): { kind: string; code: string; description: string; keys: string[] }[] {
  const out: { kind: string; code: string; description: string; keys: string[] }[] = [];
  for (const e of list<any>(order.ErrorList?.AEUIError)) {
    out.push({ kind: 'AEUIError', code: e.Code, description: e.Description, keys: list<any>(e.AlternateEndUserIdentifiers.AlternateEndUserIdentifier).map((x) => x.Identifier) });
  }
  for (const e of list<any>(order.ErrorList?.E911AddressError)) {
    out.push({ kind: 'E911AddressError', code: e.Code, description: e.Description, keys: list<any>(e.Addresses.Address).map((x) => x.LocationId) });
  }
  return out;
}

describe("the document's examples", () => {
  it('creates a location: 201 with the documented E911OrderResponse, then ADJUSTED_COMPLETE with the standardized address', async () => {
    const answer = await dlr(sandbox, 'POST', 'e911s', fixture('dlr/create-location.request.xml'));
    expect(answer.status).toBe(201);
    const got = xml(answer.text).E911OrderResponse.E911Order;
    const documented = xml(fixture('dlr/create-location.response.xml')).E911OrderResponse.E911Order;
    expect(Object.keys(got)).toEqual(Object.keys(documented));
    for (const name of ['ProcessingStatus', 'AdditionalAddresses', 'ErrorList', 'OrderType']) expect(got[name]).toStrictEqual(documented[name]);
    expect(got.AccountId).toBe('9900000');
    expect(got.OrderId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(got.OrderCreateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(answer.text).toContain('<ErrorList/>');

    const final = await finalDlrOrder(sandbox, got.OrderId);
    const shown = xml(fixture('dlr/order-status-adjusted-complete.response.xml')).E911Order;
    expect(final.ProcessingStatus).toBe('ADJUSTED_COMPLETE');
    expect(Object.keys(final)).toEqual(Object.keys(shown));
    const address = final.AdditionalAddresses.Address;
    const documentedAddress = shown.AdditionalAddresses.Address;
    // The document's example shows PlusFour empty and a LocationId of another order (…6thFloor):
    // the sandbox fills PlusFour as its geocoder does and keeps the order's own LocationId.
    expect(Object.keys(address)).toEqual(Object.keys(documentedAddress));
    for (const name of ['HouseNumber', 'StreetName', 'StreetSuffix', 'AddressLine2', 'City', 'StateCode', 'Zip', 'Country', 'AddressType', 'ValidationStatus', 'Adjusted']) {
      expect(address[name], name).toBe(documentedAddress[name]);
    }
    expect(address.LocationId).toBe('CorpOffice5thFloor');
    expect(address.PlusFour).toMatch(/^\d{4}$/);
    expect(final.ErrorList).toBe('');
  });

  it('creates an endpoint on a provisioned location: 201 with the documented answer, then COMPLETE', async () => {
    await provision('CorpOffice5thFloor');
    const answer = await dlr(sandbox, 'POST', 'e911s', fixture('dlr/create-endpoint.request.xml'));
    expect(answer.status).toBe(201);
    const got = xml(answer.text).E911OrderResponse.E911Order;
    const documented = xml(fixture('dlr/create-endpoint.response.xml')).E911OrderResponse.E911Order;
    expect(Object.keys(got)).toEqual(Object.keys(documented));
    for (const name of ['CustomerOrderId', 'ProcessingStatus', 'AlternateEndUserIdentifiers', 'ErrorList', 'OrderType']) {
      expect(got[name], name).toStrictEqual(documented[name]);
    }
    expect(got.CreatedByUser).toBe('demo');
    const final = await finalDlrOrder(sandbox, got.OrderId);
    expect(final.ProcessingStatus).toBe('COMPLETE');
    expect(sandbox.ledger().accounts['9900000']?.dlr.aeuis['9zdRwdQqZW99uYr']).toEqual({
      callbackNumber: '5555561234',
      callerName: '5th Floor Conference Phone',
      preferredLanguage: 'en',
      locationId: 'CorpOffice5thFloor',
    });
  });

  it("deletes the endpoint with the document's cleanup request", async () => {
    await provision('CorpOffice5thFloor');
    await finalDlrOrder(sandbox, await postOrder(sandbox, fixture('dlr/create-endpoint.request.xml')));
    const final = await finalDlrOrder(sandbox, await postOrder(sandbox, fixture('dlr/delete-endpoint.request.xml')));
    expect(final.ProcessingStatus).toBe('COMPLETE');
    expect(final.CustomerOrderId).toBe('YourCustomOrderId2');
    expect(sandbox.ledger().accounts['9900000']?.dlr.aeuis).toEqual({});
  });
});

describe('order lifecycle', () => {
  it('moves RECEIVED → PROCESSING → final over time, and keeps a history', async () => {
    const slow = await startSandbox({ orderTiming: { processingAfterMs: 150, finalAfterMs: 400 } });
    try {
      const answer = await dlr(slow, 'POST', 'e911s', locationOrder([{ LocationId: 'L1', ...RALEIGH }]));
      const orderId = xml(answer.text).E911OrderResponse.E911Order.OrderId as string;
      expect(xml(answer.text).E911OrderResponse.E911Order.ProcessingStatus).toBe('RECEIVED');
      expect((await finalDlrOrder(slow, orderId)).ProcessingStatus).toBe('COMPLETE');
      const history = xml((await dlr(slow, 'GET', `e911s/${orderId}/history`)).text).OrderHistoryWrapper.OrderHistory;
      expect(list<any>(history).map((h) => h.Status)).toEqual(['RECEIVED', 'PROCESSING', 'COMPLETE']);
      expect(list<any>(history)[0]).toMatchObject({ Author: 'demo' });
    } finally {
      await slow.close();
    }
  });

  it('reports RECEIVED right after the POST while the order is young', async () => {
    const slow = await startSandbox({ orderTiming: { processingAfterMs: 60_000, finalAfterMs: 120_000 } });
    try {
      const orderId = await postOrder(slow, locationOrder([{ LocationId: 'L1', ...RALEIGH }]));
      const order = xml((await dlr(slow, 'GET', `e911s/${orderId}`)).text).E911Order;
      expect(order.ProcessingStatus).toBe('RECEIVED');
      expect(order.ErrorList).toBe('');
      expect(slow.ledger().accounts['9900000']?.dlr.locations).toEqual({});
    } finally {
      await slow.close();
    }
  });

  it('answers 404 E911OrderReportResponse for an unknown order', async () => {
    const answer = await dlr(sandbox, 'GET', 'e911s/00000000-0000-4000-8000-000000000000');
    expect(answer.status).toBe(404);
    expect(xml(answer.text).E911OrderReportResponse.ResponseStatus.Description).toBe('The resource does not exist');
  });
});

describe('rules enforced in orders', () => {
  it('fails an endpoint on a LocationId not provisioned yet with 8040', async () => {
    const final = await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([aeui('Endpoint000001', 'NotThere')])));
    expect(final.ProcessingStatus).toBe('FAILED');
    expect(errors(final)).toEqual([{ kind: 'AEUIError', code: '8040', description: 'LocationId NotThere should be provisioned first', keys: ['Endpoint000001'] }]);
  });

  it('provisions a location only when its order completes (8040 while it is still pending)', async () => {
    // slowOrders draws once per order from the seeded generator: pick a seed whose first order is
    // slow and whose next two are not, so the endpoint order finishes before its location order.
    const seed = Array.from({ length: 1000 }, (_, i) => i).find((candidate) => {
      const random = seededRandom(candidate);
      return random() < 0.5 && random() >= 0.5 && random() >= 0.5;
    });
    const slow = await startSandbox({
      seed: seed ?? 0,
      faults: { slowOrders: 0.5, slowOrderFactor: 30 },
      orderTiming: { processingAfterMs: 20, finalAfterMs: 60 },
    });
    try {
      const locationOrderId = await postOrder(slow, locationOrder([{ LocationId: 'Later1', ...RALEIGH }]));
      const early = await finalDlrOrder(slow, await postOrder(slow, endpointOrder([aeui('Endpoint000001', 'Later1')])));
      expect(errors(early)[0]).toMatchObject({ code: '8040', keys: ['Endpoint000001'] });
      expect((await finalDlrOrder(slow, locationOrderId)).ProcessingStatus).toBe('COMPLETE');
      const later = await finalDlrOrder(slow, await postOrder(slow, endpointOrder([aeui('Endpoint000001', 'Later1')])));
      expect(later.ProcessingStatus).toBe('COMPLETE');
    } finally {
      await slow.close();
    }
  });

  it('groups per-item errors by code: one AEUIError may name several AEUIs, PARTIAL when some succeed', async () => {
    await provision('Site1');
    const body = endpointOrder([
      aeui('GoodEndpoint01', 'Site1'),
      aeui('BadCallback001', 'Site1', { CallbackNumber: '2125550100' }),
      aeui('BadCallback002', 'Site1', { CallbackNumber: '2125550199' }),
      aeui('BadLanguage001', 'Site1', { PreferredLanguage: 'de' }),
    ]);
    const final = await finalDlrOrder(sandbox, await postOrder(sandbox, body));
    expect(final.ProcessingStatus).toBe('PARTIAL');
    const found = errors(final);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ code: '8014', keys: ['BadCallback001', 'BadCallback002'] });
    expect(found[1]).toMatchObject({ code: '8035', keys: ['BadLanguage001'] });
  });

  it.each([
    ['8012', aeui('', 'Site1')],
    ['8013', aeui('A'.repeat(31), 'Site1')],
    ['8045', aeui('Has_Underscore1', 'Site1')],
    ['8001', aeui('LongCallerName1', 'Site1', { CallerName: 'N'.repeat(51) })],
    ['8035', aeui('BadLanguage001', 'Site1', { PreferredLanguage: 'xx' })],
    ['8014', aeui('BadCallback001', 'Site1', { CallbackNumber: '1234' })],
    ['8023', aeui('BadLocation001', 'Bad/Location')],
  ])('rejects an AEUI with %s', async (code, item) => {
    await provision('Site1');
    const final = await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([item])));
    expect(final.ProcessingStatus).toBe('FAILED');
    expect(errors(final)[0]?.code).toBe(code);
  });

  it('rejects an Identifier twice in one order (8017) and a LocationId twice (8038)', async () => {
    await provision('Site1');
    const twice = await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([aeui('SameIdentifier', 'Site1'), aeui('SameIdentifier', 'Site1')])));
    expect(errors(twice)[0]).toMatchObject({ code: '8017', keys: ['SameIdentifier', 'SameIdentifier'] });
    const locations = await finalDlrOrder(
      sandbox,
      await postOrder(
        sandbox,
        locationOrder([
          { LocationId: 'Dup', ...RALEIGH },
          { LocationId: 'Dup', ...RALEIGH },
        ]),
      ),
    );
    expect(errors(locations)[0]).toMatchObject({ kind: 'E911AddressError', code: '8038', keys: ['Dup', 'Dup'] });
  });

  it('rejects an Identifier that another order still being processed carries (8019)', async () => {
    const slow = await startSandbox({ orderTiming: { processingAfterMs: 100, finalAfterMs: 1500 } });
    try {
      const first = await postOrder(slow, endpointOrder([aeui('Endpoint000001', 'Site1')]));
      const second = await postOrder(slow, endpointOrder([aeui('Endpoint000001', 'Site1')]));
      // The first fails for its own reason (Site1 is not provisioned); the second never got that far.
      expect(errors(await finalDlrOrder(slow, first))[0]?.code).toBe('8040');
      expect(errors(await finalDlrOrder(slow, second))[0]?.code).toBe('8019');
    } finally {
      await slow.close();
    }
  });

  it('rejects invalid LocationIds (8023) and invalid addresses (8006) in location orders, ADJUSTED_PARTIAL when the rest was adjusted', async () => {
    const final = await finalDlrOrder(
      sandbox,
      await postOrder(
        sandbox,
        locationOrder([
          { LocationId: 'Ok1', ...RALEIGH, StreetSuffix: 'Drive' },
          { LocationId: 'Bad/Id', ...RALEIGH },
          { LocationId: 'Nowhere1', ...RALEIGH, StreetName: 'NOWHERE' },
          { LocationId: 'Zero1', ...RALEIGH, HouseNumber: '0' },
        ]),
      ),
    );
    expect(final.ProcessingStatus).toBe('ADJUSTED_PARTIAL');
    const found = errors(final);
    expect(found.map((e) => [e.code, e.keys])).toEqual([
      ['8023', ['Bad/Id']],
      ['8006', ['Nowhere1', 'Zero1']],
    ]);
    const addresses = list<any>(final.AdditionalAddresses.Address);
    expect(addresses[0]).toMatchObject({ StreetSuffix: 'DR', ValidationStatus: 'VALID', Adjusted: 'true', AddressType: 'E911' });
    expect(addresses[2]).toMatchObject({ ValidationStatus: 'INVALID' });
  });

  it('overwrites the stored address when a location is resent with an existing LocationId', async () => {
    await provision('Site1');
    await provision('Site1', { ...RALEIGH, HouseNumber: '901' });
    const locations = sandbox.ledger().accounts['9900000']?.dlr.locations;
    expect(Object.keys(locations ?? {})).toEqual(['Site1']);
    expect(locations?.Site1?.addressLine1).toBe('901 MAIN CAMPUS DR');
  });

  it('updates a resent AEUI with an existing Identifier', async () => {
    await provision('Site1');
    await provision('Site2');
    await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([aeui('Endpoint000001', 'Site1')])));
    const again = await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([aeui('Endpoint000001', 'Site2', { CallerName: 'Renamed' })])));
    expect(again.ProcessingStatus).toBe('COMPLETE');
    const ledger = sandbox.ledger().accounts['9900000']?.dlr;
    expect(ledger?.aeuis.Endpoint000001).toMatchObject({ locationId: 'Site2', callerName: 'Renamed' });
    expect(ledger?.locations.Site1?.endpointCount).toBe(0);
    expect(ledger?.locations.Site2?.endpointCount).toBe(1);
    expect(ledger?.identifierSubmissions.Endpoint000001).toBe(2);
  });

  it('refuses to delete a location bound to endpoints (8051), deletes it once they are gone', async () => {
    await provision('Site1');
    await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([aeui('Endpoint000001', 'Site1')])));
    const refused = await finalDlrOrder(sandbox, await postOrder(sandbox, locationOrder([{ LocationId: 'Site1' }], undefined, true)));
    expect(refused.ProcessingStatus).toBe('FAILED');
    expect(errors(refused)[0]).toMatchObject({ code: '8051', keys: ['Site1'] });
    expect(errors(refused)[0]?.description).toContain('Endpoint000001');
    await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([{ Identifier: 'Endpoint000001' }], undefined, true)));
    const deleted = await finalDlrOrder(sandbox, await postOrder(sandbox, locationOrder([{ LocationId: 'Site1' }], undefined, true)));
    expect(deleted.ProcessingStatus).toBe('COMPLETE');
    expect(sandbox.ledger().accounts['9900000']?.dlr.locations).toEqual({});
  });

  it('fails deletes of an unknown AEUI (8021) and an unknown LocationId (8029)', async () => {
    const aeuiDelete = await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([{ Identifier: 'NeverCreated01' }], undefined, true)));
    expect(errors(aeuiDelete)[0]?.code).toBe('8021');
    const locationDelete = await finalDlrOrder(sandbox, await postOrder(sandbox, locationOrder([{ LocationId: 'NeverCreated' }], undefined, true)));
    expect(errors(locationDelete)[0]).toMatchObject({ kind: 'E911AddressError', code: '8029' });
  });
});

describe('synchronous 400 answers', () => {
  async function rejected(body: string): Promise<{ code: string; description: string }> {
    const answer = await dlr(sandbox, 'POST', 'e911s', body);
    expect(answer.status).toBe(400);
    const status = xml(answer.text).E911OrderResponse.ResponseStatus;
    return { code: status.ErrorCode, description: status.Description };
  }

  it('refuses malformed XML, an empty order and mixed kinds', async () => {
    expect((await rejected('<E911Order><AdditionalAddresses></E911Order>')).code).toBe('8057');
    expect((await rejected('<E911Order/>')).code).toBe('8057');
    const mixed =
      '<E911Order><AdditionalAddresses><Address><LocationId>A</LocationId></Address></AdditionalAddresses>' +
      '<AlternateEndUserIdentifiers><AlternateEndUserIdentifier><Identifier>Endpoint000001</Identifier></AlternateEndUserIdentifier></AlternateEndUserIdentifiers></E911Order>';
    expect((await rejected(mixed)).code).toBe('8057');
  });

  it('refuses more than 5000 AEUIs (8016) or addresses (8049) in one order', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => aeui(`Endpoint${String(i).padStart(6, '0')}`, 'Site1'));
    expect((await rejected(endpointOrder(many))).code).toBe('8016');
    const addresses = Array.from({ length: 5001 }, (_, i) => ({ LocationId: `L${i}`, ...RALEIGH }));
    expect((await rejected(locationOrder(addresses))).code).toBe('8049');
  });

  it('refuses a CustomerOrderId over 40 characters or with other characters', async () => {
    expect((await rejected(locationOrder([{ LocationId: 'A', ...RALEIGH }], 'x'.repeat(41)))).description).toContain('CustomerOrderId');
    expect((await rejected(locationOrder([{ LocationId: 'A', ...RALEIGH }], 'bad_id!'))).description).toContain('CustomerOrderId');
    expect((await dlr(sandbox, 'POST', 'e911s', locationOrder([{ LocationId: 'A', ...RALEIGH }], 'run-2024-01 chunk 3'))).status).toBe(201);
  });
});
