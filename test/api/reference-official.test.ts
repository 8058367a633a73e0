// Issue 14 item 7: the example bodies of Bandwidth's API reference and official SDKs
// (fixtures/reference/official/, see its README) are facts about the API's format: esprov's
// parsers must read them — values padded with whitespace, the country spelled out, an
// EmergencyNotificationGroup, no LocationId, no PreferredLanguage — and import-state must adopt
// an account that answers with them.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/api/index.js';
import { readAeuiDetails, readAeuiList, readLocationList } from '../../src/api/dlr/read.js';
import { parseXml } from '../../src/api/dlr/xml.js';
import { readAccount } from '../../src/pipeline/account.js';
import { send, startServer } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/reference/official/${name}`, import.meta.url), 'utf8');
const doc = (name: string) => parseXml(fixture(name), '/test', 200);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("the reference's example bodies", () => {
  it('GET aeuis/{acid}: E911/CallerName and a Billing address, no LocationId, no language', () => {
    for (const name of ['aeui-get.response.xml', 'aeui-get-with-group.response.xml']) {
      const aeui = readAeuiDetails(doc(name));
      expect(aeui, name).toMatchObject({ identifier: 'DavidAcid', callbackNumber: '8042105760', callerName: 'David' });
      expect(aeui?.address).toMatchObject({
        houseNumber: '900',
        streetName: 'MAIN CAMPUS',
        streetSuffix: 'DR',
        city: 'RALEIGH',
        stateCode: 'NC',
        zip: '27606',
        plusFour: '5214',
        country: 'United States',
      });
      expect(aeui?.locationId).toBeUndefined();
      expect(aeui?.preferredLanguage).toBeUndefined();
    }
  });

  it('GET aeuis: identifiers of 8 and 9 characters, one with an EmergencyNotificationGroup', () => {
    expect(readAeuiList(doc('aeuis-list.response.xml'))).toEqual([
      { identifier: 'DavidAcid', callbackNumber: '8042105760' },
      { identifier: 'JohnAcid', callbackNumber: '8042105618' },
    ]);
  });

  it('GET addresses?type=e911: an address without a LocationId', () => {
    const [address, ...rest] = readLocationList(doc('addresses-e911.response.xml'));
    expect(rest).toEqual([]);
    expect(address).toMatchObject({ houseNumber: '207', streetName: 'Elmastar', city: 'Carpinteriaaly', stateCode: 'NY', zip: '93019', country: 'United States', validationStatus: 'VALID' });
    expect(address?.locationId).toBeUndefined();
  });

  it('an account answering with them is read whole: the location kept by its address, the endpoint with its address', async () => {
    const server = await startServer((req, res) => {
      const url = req.url ?? '';
      if (url.includes('/addresses')) return send(res, 200, fixture('addresses-e911.response.xml'));
      if (/\/aeuis\/DavidAcid$/.test(url)) return send(res, 200, fixture('aeui-get-with-group.response.xml'));
      if (/\/aeuis\/JohnAcid$/.test(url)) return send(res, 200, fixture('aeui-get.response.xml').replaceAll('DavidAcid', 'JohnAcid'));
      if (url.includes('/aeuis')) return send(res, 200, fixture('aeuis-list.response.xml'));
      return send(res, 404, '');
    });
    const api = createApi({ profile: 'dlr', baseUrl: `${server.url}/api`, accountId: '8000259', auth: { kind: 'basic', username: 'u', password: 'p' } });
    cleanups.push(
      () => api.close(),
      () => server.close(),
    );
    const contents = await readAccount(api, 'dlr', { concurrency: 2 });
    expect(contents.unreadable).toEqual([]);
    expect(contents.locations).toHaveLength(1);
    expect(contents.locations[0]).toMatchObject({ id: '', fields: { StreetName: 'Elmastar', Country: 'US' } });
    expect(contents.endpoints.map((e) => [e.key, e.ref, e.fields.CallerName, e.fields.PreferredLanguage, e.fields.StreetName, e.fields.Country])).toEqual([
      ['DavidAcid', '', 'David', '', 'MAIN CAMPUS', 'US'],
      ['JohnAcid', '', 'David', '', 'MAIN CAMPUS', 'US'],
    ]);
  });
});
