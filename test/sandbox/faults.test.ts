import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_PROFILES, MAX_CONSECUTIVE, resolveFaultRates } from '../../src/sandbox/faults.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { BASIC, dlr, dlrPath, finalDlrOrder, list, locationOrder, RALEIGH, unified, unifiedPath, xml } from './helpers.js';

const opened: Sandbox[] = [];
async function open(options: Parameters<typeof startSandbox>[0]): Promise<Sandbox> {
  const sandbox = await startSandbox({ orderTiming: { processingAfterMs: 10, finalAfterMs: 30 }, ...options });
  opened.push(sandbox);
  return sandbox;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const GEOCODE =
  '<RequestAddress><HouseNumber>1</HouseNumber><StreetName>ELM</StreetName><StreetSuffix>ST</StreetSuffix><City>DENVER</City><StateCode>CO</StateCode><Zip>80202</Zip><PlusFour>1111</PlusFour></RequestAddress>';

describe('fault injection', () => {
  it('answers DLR 429 with X-RateLimit-Reset (epoch seconds) and unified 429 with Retry-After', async () => {
    const sandbox = await open({ faults: { rateLimit: 1, retryAfterSeconds: 2 } });
    const before = Math.floor(Date.now() / 1000);
    const limited = await dlr(sandbox, 'POST', 'geocodeRequest', GEOCODE);
    expect(limited.status).toBe(429);
    const reset = Number(limited.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThanOrEqual(before + 2);
    expect(reset).toBeLessThan(before + 60);
    const json = await unified(sandbox, 'GET', 'addresses');
    expect(json.status).toBe(429);
    expect(json.headers['retry-after']).toBe('2');
    expect(json.json.errors[0]).toMatchObject({ type: 'rate-limiting', code: 32002 });
  });

  it(`never faults the same kind of call more than ${MAX_CONSECUTIVE} times in a row, so retries get through`, async () => {
    const sandbox = await open({ faults: { rateLimit: 0.5, serverError: 0.5 } });
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_CONSECUTIVE; i++) statuses.push((await dlr(sandbox, 'POST', 'geocodeRequest', GEOCODE)).status);
    expect(statuses.slice(0, MAX_CONSECUTIVE).every((s) => s === 429 || s >= 500)).toBe(true);
    expect(statuses[MAX_CONSECUTIVE]).toBe(200);
  });

  it('fails with 5xx before processing: nothing is created', async () => {
    const sandbox = await open({ faults: { serverError: 1 } });
    const answer = await dlr(sandbox, 'POST', 'e911s', locationOrder([{ LocationId: 'Site1', ...RALEIGH }], 'c1'));
    expect([500, 503]).toContain(answer.status);
    const ledger = sandbox.ledger().accounts['9900000'];
    expect(ledger?.dlr.orders.total).toBe(0);
    expect(ledger?.faults.serverError).toBe(1);
    expect(ledger?.writeCalls).toBe(1);
  });

  it('drops the connection after processing: the order exists, the ledger shows it, the client can find it by CustomerOrderId', async () => {
    const sandbox = await open({ faults: { dropAfterProcessing: 1 } });
    await expect(
      request(sandbox.url + dlrPath('e911s'), {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/xml' },
        body: locationOrder([{ LocationId: 'Site1', ...RALEIGH }], 'chunk-1'),
      }),
    ).rejects.toThrow();
    const ledger = sandbox.ledger().accounts['9900000'];
    expect(ledger?.dlr.orders.total).toBe(1);
    expect(ledger?.faults.dropAfterProcessing).toBe(1);
    expect(ledger?.faults.byKind['dlr.order.post']).toBe(1);
    // GETs are never dropped: the ambiguous failure is resolved by looking the order up.
    const found = xml((await dlr(sandbox, 'GET', 'e911s?customerOrderId=chunk-1')).text).E911Orders;
    expect(found.TotalCount).toBe('1');
    const orderId = list<any>(found.E911OrderSummary)[0].OrderId as string;
    expect((await finalDlrOrder(sandbox, orderId)).ProcessingStatus).toBe('COMPLETE');
    expect(Object.keys(sandbox.ledger().accounts['9900000']?.dlr.locations ?? {})).toEqual(['Site1']);
  });

  it('drops a unified address POST after creating the address', async () => {
    const sandbox = await open({ faults: { dropAfterProcessing: 1 } });
    await expect(
      request(sandbox.url + unifiedPath('addresses'), {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/json' },
        body: JSON.stringify({ addressLine1: '1 Main Street', city: 'London', postalCode: 'NW1 7NE', country: 'GBR' }),
      }),
    ).rejects.toThrow();
    const addresses = sandbox.ledger().accounts['9900000']?.unified.addresses ?? {};
    expect(Object.values(addresses).map((a) => a.addressLine1)).toEqual(['1 Main Street']);
  });

  it('adds latency (lower bound only)', async () => {
    const sandbox = await open({ latencyMs: 80 });
    const started = performance.now();
    await dlr(sandbox, 'POST', 'geocodeRequest', GEOCODE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
  });

  it('is reproducible: the same seed and calls give the same faults', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const sandbox = await open({ faults: 'chaos', seed, latencyMs: 0 });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        try {
          statuses.push((await dlr(sandbox, 'POST', 'geocodeRequest', GEOCODE)).status);
        } catch {
          statuses.push(-1);
        }
      }
      return statuses;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(first.some((s) => s !== 200)).toBe(true);
    expect(await run(43)).not.toEqual(first);
  });

  it('never faults the OAuth token endpoint or the ledger unless asked to', async () => {
    const sandbox = await open({ faults: { rateLimit: 1 } });
    const res = await request(`${sandbox.url}/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const ledger = await request(`${sandbox.url}/_sandbox/ledger`);
    expect(ledger.statusCode).toBe(200);
    await ledger.body.dump();
  });

  it('knows its profiles and refuses unknown ones', () => {
    expect(resolveFaultRates('none')).toEqual(FAULT_PROFILES.none);
    expect(resolveFaultRates('flaky').rateLimit).toBeGreaterThan(0);
    expect(resolveFaultRates('chaos').dropAfterProcessing).toBeGreaterThan(resolveFaultRates('flaky').dropAfterProcessing);
    expect(() => resolveFaultRates('nope')).toThrow(/unknown fault profile/);
    expect(() => resolveFaultRates({ rateLimit: 2 })).toThrow();
  });
});
