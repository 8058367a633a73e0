// Issue 14 item 7: Bandwidth's official Node client (@bandwidth/numbers) against the sandbox. Its
// requests are accepted, and it reads the sandbox's answers as it reads the reference's examples
// (the same elements, through its own XML parser).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { aeuisGet, aeuisList, e911Order, geocode, officialClient, parseXml, request } from '../helpers/official.js';

const reference = (path: string) => readFileSync(new URL(`../../fixtures/reference/${path}`, import.meta.url), 'utf8');
const ACCOUNT = '7401';
const street = { houseNumber: '900', streetName: 'Main Campus', streetSuffix: 'Drive', city: 'Raleigh', stateCode: 'NC', zip: '27606', country: 'US' };

/** The element paths of a parsed answer, values left out. */
function shape(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('the official client against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7 });
    const client = officialClient(sandbox, ACCOUNT);
    await e911Order(client, { customerOrderId: 'contract-loc', additionalAddresses: { address: [{ locationId: 'Site-1.a', ...street, addressLine2: 'Suite 500' }] } });
    await e911Order(client, {
      customerOrderId: 'contract-ep',
      alternateEndUserIdentifiers: {
        alternateEndUserIdentifier: [
          { pIDFLOEnabled: 'true', identifier: 'DavidAcid', callbackNumber: '8042105760', callerName: 'David', preferredLanguage: 'fr', locationId: 'Site-1.a' },
          { pIDFLOEnabled: 'true', identifier: 'JohnAcid', callbackNumber: '8042105618', callerName: 'John', address: { ...street, addressLine2: 'Suite 100' } },
        ],
      },
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("Geocode.request: the reference's Ansun example, 409 read as a success, as the client reads the reference's answer", async () => {
    const client = officialClient(sandbox, ACCOUNT);
    const got = await geocode(client, {
      addressLine1: '904 E Ansun Str',
      houseNumber: '904',
      houseSuffix: 'E',
      streetName: 'Ansun',
      streetSuffix: 'Str',
      city: 'Marshalltown',
      stateCode: 'IA',
      zip: '50158',
    });
    const expected = (await parseXml(client, reference('dlr/geocode-ansun.response.xml'))).geocodeRequestResponse.geocodedAddress;
    expect(got).toMatchObject({ addressLine1: '904 E ANSON ST', streetName: 'ANSON', streetSuffix: 'ST', city: 'MARSHALLTOWN', zip: 50158, plusFour: 3522 });
    expect(shape(got).sort()).toEqual(
      expect.arrayContaining(
        shape(expected)
          .filter((k) => !['housePrefix', 'postDirectional', 'addressLine2', 'county'].includes(k))
          .sort(),
      ),
    );
  });

  it('the orders it sends (options 1 and 2, an 8-character identifier, a LocationId with . and -) are made', () => {
    const dlr = sandbox.ledger().accounts[ACCOUNT]!.dlr;
    expect(Object.keys(dlr.aeuis).sort()).toEqual(['DavidAcid', 'JohnAcid']);
    expect(dlr.aeuis.DavidAcid).toMatchObject({ locationId: 'Site-1.a', preferredLanguage: 'fr' });
  });

  it("Aeuis.get reads the sandbox's answer with the elements of the reference's example", async () => {
    const client = officialClient(sandbox, ACCOUNT);
    const got = await aeuisGet(client, 'DavidAcid');
    const expected = (await parseXml(client, reference('official/aeui-get.response.xml'))).alternateEndUserIdentifierResponse;
    const fields = (x: unknown) =>
      shape(x)
        .filter((k) => !/(houseSuffix|preDirectional|addressLine2|county|plusFour|postDirectional|housePrefix)$/.test(k))
        .sort();
    expect(fields(got.alternateEndUserIdentifier)).toEqual(fields(expected.alternateEndUserIdentifier));
    expect(got.alternateEndUserIdentifier.e911).toMatchObject({ callerName: 'David', address: { country: 'United States', addressType: 'Billing' } });
    expect(got.alternateEndUserIdentifier.e911.preferredLanguage).toBeUndefined();
  });

  it('Aeuis.list pages by the identifier (page=<acid>)', async () => {
    const client = officialClient(sandbox, ACCOUNT);
    const all = await aeuisList(client, { size: '1' });
    expect(all.alternateEndUserIdentifiers.alternateEndUserIdentifier.identifier).toBe('DavidAcid');
    const next = await aeuisList(client, { page: 'JohnAcid', size: '1' });
    expect(next.alternateEndUserIdentifiers.alternateEndUserIdentifier.identifier).toBe('JohnAcid');
  });

  it('a list of addresses without its type is refused with 12105; type=e911 lists the endpoint-made address without a LocationId', async () => {
    const client = officialClient(sandbox, ACCOUNT);
    const refused = await request(client, 'get', 'addresses').then(
      () => undefined,
      (err: { status?: number; response?: { text?: string } }) => err,
    );
    expect(refused?.status).toBe(400);
    expect(refused?.response?.text).toContain('<ErrorCode>12105</ErrorCode>');
    const listed = await request(client, 'get', 'addresses', { type: 'e911' });
    const addresses = [listed.addresses.address].flat();
    expect(addresses.map((a: Record<string, string>) => [a.addressLine2, a.locationId])).toEqual([
      ['STE 500', 'Site-1.a'],
      ['STE 100', undefined],
    ]);
  });
});
