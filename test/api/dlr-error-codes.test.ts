// Issue 14 item 5: every official geocode/E911 code that says "this address is not valid" makes
// the row REJECTED (the client's 'invalid' outcome), never FAILED; 12112 was missing.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DlrClient } from '../../src/api/dlr/client.js';
import { DLR_ERROR_CODES } from '../../src/api/dlr/error-codes.js';
import { ApiError } from '../../src/api/errors.js';
import { createTransport } from '../../src/api/transport.js';
import { fakeClock, send, startServer, type Handler } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/api/dlr/${name}`, import.meta.url), 'utf8');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(handler: Handler) {
  const server = await startServer(handler);
  const transport = createTransport({ auth: { kind: 'basic', username: 'u', password: 'p' }, clock: fakeClock(), maxAttempts: 1 });
  const dlr = new DlrClient({ send: transport.send, baseUrl: new URL(`${server.url}/api`), accountId: '9900778' });
  cleanups.push(
    () => transport.close(),
    () => server.close(),
  );
  return dlr;
}

const ansun = { houseNumber: '904', houseSuffix: 'E', streetName: 'Ansun', streetSuffix: 'Str', city: 'Marshalltown', stateCode: 'IA', zip: '50158' };
const refusal = (code: string) => `<GeocodeRequestResponse><ResponseStatus><ErrorCode>${code}</ErrorCode><Description>official ${code}</Description></ResponseStatus></GeocodeRequestResponse>`;

describe('geocode error codes (official E911 table)', () => {
  it('400 12112: REJECTED, with the closest verifiable address the API gives', async () => {
    const dlr = await setup((_q, res) => send(res, 400, fixture('geocode-400-12112-closest.xml')));
    const r = await dlr.geocode(ansun);
    expect(r).toMatchObject({ outcome: 'invalid', code: '12112' });
    expect(r.description).toContain('closest');
    expect(r.standardized).toMatchObject({ streetName: 'ANSON', plusFour: '3522' });
  });

  const addressCodes = Object.entries(DLR_ERROR_CODES)
    .filter(([, e]) => e.kind === 'address')
    .map(([code]) => code);
  it.each(addressCodes)('400 %s: the address is not valid (REJECTED)', async (code) => {
    const dlr = await setup((_q, res) => send(res, 400, refusal(code)));
    expect(await dlr.geocode(ansun)).toMatchObject({ outcome: 'invalid', code, description: `official ${code}` });
  });

  it('covers every geocoding code of the table, and a request error stays an error', async () => {
    for (const code of ['12052', '12053', '12109', '12110', '12111', '12112', '12113', '12133']) expect(DLR_ERROR_CODES[code], code).toBeDefined();
    const dlr = await setup((_q, res) => send(res, 400, refusal('12105')));
    await expect(dlr.geocode(ansun)).rejects.toBeInstanceOf(ApiError);
  });
});
