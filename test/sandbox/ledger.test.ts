import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type Ledger } from '../../src/sandbox/index.js';
import { aeui, dlr, endpointOrder, finalDlrOrder, locationOrder, postOrder, RALEIGH, unified, xml } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'esprov-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GEOCODE = (street: string): string => `<RequestAddress><AddressLine1>${street}</AddressLine1><City>Denver</City><StateCode>CO</StateCode><Zip>80202</Zip></RequestAddress>`;

describe('ledger', () => {
  it('counts calls, submissions, geocodes per address, duplicate CustomerOrderIds and the largest order', async () => {
    const sandbox = await startSandbox({ orderTiming: { processingAfterMs: 10, finalAfterMs: 30 } });
    try {
      await dlr(sandbox, 'POST', 'geocodeRequest', GEOCODE('12 Elm St'));
      await dlr(sandbox, 'POST', 'geocodeRequest', GEOCODE('12  ELM st'));
      await dlr(sandbox, 'POST', 'geocodeRequest', GEOCODE('14 Elm St'));
      const locations = locationOrder(
        [
          { LocationId: 'Site1', ...RALEIGH },
          { LocationId: 'Site2', ...RALEIGH, HouseNumber: '2' },
        ],
        'loc-1',
      );
      await finalDlrOrder(sandbox, await postOrder(sandbox, locations));
      await finalDlrOrder(sandbox, await postOrder(sandbox, locations));
      await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([aeui('Endpoint000001', 'Site1')], 'ep-1')));
      await unified(sandbox, 'POST', 'addresses', { addressLine1: '1 Main Street', city: 'London', country: 'GBR' });
      await dlr(sandbox, 'GET', 'nothing');

      const ledger = sandbox.ledger();
      const account = ledger.accounts['9900000'];
      expect(account?.dlr.geocodes).toEqual({ '12 ELM ST||DENVER|CO|80202': 2, '14 ELM ST||DENVER|CO|80202': 1 });
      expect(account?.dlr.locationIdSubmissions).toEqual({ Site1: 2, Site2: 2 });
      expect(account?.dlr.identifierSubmissions).toEqual({ Endpoint000001: 1 });
      expect(account?.dlr.duplicateCustomerOrderIds).toEqual({ 'loc-1': 2 });
      expect(account?.dlr.largestOrder).toBe(2);
      expect(account?.dlr.orders).toEqual({ total: 3, byStatus: { COMPLETE: 3 } });
      expect(account?.dlr.calls).toMatchObject({ geocode: 3, 'order.post': 3, 'order.post.location': 2, 'order.post.endpoint': 1 });
      expect(account?.dlr.calls['order.get']).toBeGreaterThanOrEqual(3);
      expect(account?.unified.calls).toEqual({ 'address.post': 1 });
      expect(account?.unified.addressSubmissions).toEqual({ '1 MAIN STREET||LONDON||GBR': 1 });
      expect(account?.writeCalls).toBe(4);
      expect(ledger.calls.notFound).toBe(1);
      expect(ledger.writeCalls).toBe(4);

      const overHttp = await request(`${sandbox.url}/_sandbox/ledger`);
      expect(overHttp.statusCode).toBe(200);
      const json = (await overHttp.body.json()) as Ledger;
      expect(json.accounts['9900000']?.dlr.locations).toEqual(account?.dlr.locations);

      const reset = await request(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
      expect(reset.statusCode).toBe(200);
      await reset.body.dump();
      expect(sandbox.ledger().accounts).toEqual({});
    } finally {
      await sandbox.close();
    }
  });

  it("keeps each account's data apart", async () => {
    const sandbox = await startSandbox({ orderTiming: { processingAfterMs: 10, finalAfterMs: 30 } });
    try {
      await finalDlrOrder(sandbox, await postOrder(sandbox, locationOrder([{ LocationId: 'Site1', ...RALEIGH }]), '1111111'), '1111111');
      const other = await finalDlrOrder(sandbox, await postOrder(sandbox, endpointOrder([aeui('Endpoint000001', 'Site1')]), '2222222'), '2222222');
      expect(other.ProcessingStatus).toBe('FAILED');
      const ledger = sandbox.ledger();
      expect(Object.keys(ledger.accounts['1111111']?.dlr.locations ?? {})).toEqual(['Site1']);
      expect(ledger.accounts['2222222']?.dlr.locations).toEqual({});
    } finally {
      await sandbox.close();
    }
  });
});

describe('persistence (--data)', () => {
  it('survives a restart: data, orders, counters; an order pending at close finishes after the restart', async () => {
    const dataFile = join(dir, 'sandbox.json');
    const first = await startSandbox({ dataFile, orderTiming: { processingAfterMs: 10, finalAfterMs: 30 } });
    await finalDlrOrder(first, await postOrder(first, locationOrder([{ LocationId: 'Site1', ...RALEIGH }], 'loc-1')));
    const address = await unified(first, 'POST', 'addresses', { addressLine1: '1 Main Street', city: 'London', country: 'GBR' });
    await first.close();
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).version).toBe(1);

    const second = await startSandbox({ dataFile, orderTiming: { processingAfterMs: 200, finalAfterMs: 400 } });
    const pending = await postOrder(second, endpointOrder([aeui('Endpoint000001', 'Site1')], 'ep-1'));
    await second.close();

    const third = await startSandbox({ dataFile, orderTiming: { processingAfterMs: 10, finalAfterMs: 30 } });
    try {
      const found = xml((await dlr(third, 'GET', 'e911s?customerOrderId=loc-1')).text).E911Orders;
      expect(found.TotalCount).toBe('1');
      expect((await finalDlrOrder(third, pending)).ProcessingStatus).toBe('COMPLETE');
      const ledger = third.ledger().accounts['9900000'];
      expect(Object.keys(ledger?.dlr.aeuis ?? {})).toEqual(['Endpoint000001']);
      expect(ledger?.dlr.locationIdSubmissions).toEqual({ Site1: 1 });
      expect((await unified(third, 'GET', `addresses/${address.json.id as string}`)).json.address).toBe('1 Main Street');
    } finally {
      await third.close();
    }
  });
});
