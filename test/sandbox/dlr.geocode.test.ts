import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { dlr, fixture, xml } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

function requestAddress(fields: Record<string, string>): string {
  return `<RequestAddress>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</RequestAddress>`;
}

describe('POST geocodeRequest', () => {
  it('answers the document\'s "904 E Ansun Str" request with 409 and exactly the documented GeocodeRequestResponse', async () => {
    const answer = await dlr(sandbox, 'POST', 'geocodeRequest', fixture('dlr/geocode-ansun.request.xml'));
    expect(answer.status).toBe(409);
    expect(answer.headers['content-type']).toMatch(/^application\/xml/);
    const got = xml(answer.text).GeocodeRequestResponse;
    const documented = xml(fixture('dlr/geocode-ansun.response.xml')).GeocodeRequestResponse;
    expect(got.GeocodedAddress).toStrictEqual(documented.GeocodedAddress);
    expect(got.RequestAddress).toStrictEqual(documented.RequestAddress);
    // Element order as in the document, too.
    const geocodedXml = answer.text.slice(answer.text.indexOf('<GeocodedAddress>'), answer.text.indexOf('</GeocodedAddress>'));
    expect([...geocodedXml.matchAll(/<(\w+)>/g)].map((m) => m[1])).toEqual([
      'GeocodedAddress',
      'AddressLine1',
      'HouseNumber',
      'PreDirectional',
      'StreetName',
      'StreetSuffix',
      'City',
      'StateCode',
      'Zip',
      'PlusFour',
      'Country',
    ]);
    expect(got.ErrorMessage).toContain('Specified value - Street Name : "ANSUN" Valid value - "ANSON"');
    expect(got.ErrorMessage).toContain('Specified value - Street Suffix : "STR" Valid value - "ST"');
  });

  it('answers 200 without ErrorMessage for an address that is already standard', async () => {
    const answer = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        HouseNumber: '904',
        PreDirectional: 'E',
        StreetName: 'ANSON',
        StreetSuffix: 'ST',
        City: 'MARSHALLTOWN',
        StateCode: 'IA',
        Zip: '50158',
        PlusFour: '3522',
        Country: 'US',
      }),
    );
    expect(answer.status).toBe(200);
    const got = xml(answer.text).GeocodeRequestResponse;
    expect(got.ErrorMessage).toBeUndefined();
    expect(got.GeocodedAddress.AddressLine1).toBe('904 E ANSON ST');
  });

  it('treats a difference of case alone as no adjustment', async () => {
    const answer = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        HouseNumber: '904',
        PreDirectional: 'e',
        StreetName: 'Anson',
        StreetSuffix: 'st',
        City: 'Marshalltown',
        StateCode: 'ia',
        Zip: '50158',
        PlusFour: '3522',
      }),
    );
    expect(answer.status).toBe(200);
  });

  it('adjusts a missing PlusFour of a US ZIP, deterministically', async () => {
    const body = requestAddress({ AddressLine1: '100 Oak Ave', City: 'Austin', StateCode: 'TX', Zip: '78701' });
    const first = await dlr(sandbox, 'POST', 'geocodeRequest', body);
    const second = await dlr(sandbox, 'POST', 'geocodeRequest', body);
    expect(first.status).toBe(409);
    const plusFour = xml(first.text).GeocodeRequestResponse.GeocodedAddress.PlusFour;
    expect(plusFour).toMatch(/^\d{4}$/);
    expect(xml(second.text).GeocodeRequestResponse.GeocodedAddress.PlusFour).toBe(plusFour);
    expect(xml(first.text).GeocodeRequestResponse.ErrorMessage).toContain('Plus Four');
  });

  it('gives a Canadian address no PlusFour', async () => {
    const answer = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        HouseNumber: '100',
        StreetName: 'WELLINGTON',
        StreetSuffix: 'ST',
        PostDirectional: 'W',
        City: 'OTTAWA',
        StateCode: 'ON',
        Zip: 'K1A 0B1',
        Country: 'CA',
      }),
    );
    expect(answer.status).toBe(200);
    const geocoded = xml(answer.text).GeocodeRequestResponse.GeocodedAddress;
    expect(geocoded.PlusFour).toBeUndefined();
    expect(geocoded.Country).toBe('CA');
  });

  it.each([
    ['Street → ST', { StreetSuffix: 'Street' }, 'Street Suffix'],
    ['Drive → DR', { StreetSuffix: 'Drive' }, 'Street Suffix'],
    ['North → N', { PreDirectional: 'North' }, 'Pre Directional'],
    ['Suite → STE', { AddressLine2: 'Suite 500' }, 'Address Line 2'],
  ])('adjusts %s (409)', async (_, change, label) => {
    const answer = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        HouseNumber: '12',
        StreetName: 'ELM',
        StreetSuffix: 'ST',
        City: 'DENVER',
        StateCode: 'CO',
        Zip: '80202',
        PlusFour: '1111',
        ...change,
      }),
    );
    expect(answer.status).toBe(409);
    expect(xml(answer.text).GeocodeRequestResponse.ErrorMessage).toContain(`Specified value - ${label}`);
  });

  it('makes an address invalid when AddressLine1 says NOWHERE, even beside valid decomposed fields', async () => {
    const answer = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        AddressLine1: '1 Nowhere Rd',
        HouseNumber: '12',
        StreetName: 'ELM',
        StreetSuffix: 'ST',
        City: 'DENVER',
        StateCode: 'CO',
        Zip: '80202',
        PlusFour: '1111',
      }),
    );
    expect(answer.status).toBe(400);
  });

  it('lets the decomposed fields win over AddressLine1', async () => {
    const other = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        AddressLine1: '77 Other Blvd',
        HouseNumber: '12',
        StreetName: 'ELM',
        StreetSuffix: 'ST',
        City: 'DENVER',
        StateCode: 'CO',
        Zip: '80202',
        PlusFour: '1111',
      }),
    );
    expect(other.status).toBe(200);
    expect(xml(other.text).GeocodeRequestResponse.GeocodedAddress.AddressLine1).toBe('12 ELM ST');
  });

  it.each([
    ['NOWHERE in the street name', { HouseNumber: '5', StreetName: 'Nowhere', StreetSuffix: 'Ln' }],
    ['nowhere in AddressLine1', { AddressLine1: '5 nowhere lane' }],
    ['house number 0', { HouseNumber: '0', StreetName: 'ELM', StreetSuffix: 'ST' }],
    ['an unknown state', { HouseNumber: '5', StreetName: 'ELM', StreetSuffix: 'ST', StateCode: 'XX' }],
  ])('answers 400 code 12110 for %s', async (_, fields) => {
    const answer = await dlr(sandbox, 'POST', 'geocodeRequest', requestAddress({ City: 'DENVER', StateCode: 'CO', Zip: '80202', ...fields }));
    expect(answer.status).toBe(400);
    const status = xml(answer.text).GeocodeRequestResponse.ResponseStatus;
    expect(status.ErrorCode).toBe('12110');
    expect(status.Description).toBe('This address could not be validated / geocoded');
  });

  it('refuses a DOCTYPE (no entity expansion) and malformed XML with 400', async () => {
    const evil = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa">]><RequestAddress><City>&a;</City></RequestAddress>';
    expect((await dlr(sandbox, 'POST', 'geocodeRequest', evil)).status).toBe(400);
    expect((await dlr(sandbox, 'POST', 'geocodeRequest', '<RequestAddress><City>x</RequestAddress>')).status).toBe(400);
  });

  it('drops character references XML does not allow, so the answer stays well-formed', async () => {
    const answer = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        HouseNumber: '12',
        StreetName: 'ELM&#1;',
        StreetSuffix: 'ST',
        City: 'DENVER',
        StateCode: 'CO',
        Zip: '80202',
        PlusFour: '1111',
      }),
    );
    expect(answer.status).toBe(200);
    expect(XMLValidator.validate(answer.text)).toBe(true);
    expect(xml(answer.text).GeocodeRequestResponse.GeocodedAddress.StreetName).toBe('ELM');
  });

  it('decodes the predefined XML entities in values and escapes them in answers', async () => {
    const answer = await dlr(
      sandbox,
      'POST',
      'geocodeRequest',
      requestAddress({
        HouseNumber: '12',
        StreetName: 'A &amp; B',
        StreetSuffix: 'ST',
        City: 'DENVER',
        StateCode: 'CO',
        Zip: '80202',
        PlusFour: '1111',
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<StreetName>A &amp; B</StreetName>');
  });
});
