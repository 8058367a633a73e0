import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { customerOrderId } from '../../src/api/dlr/order-id.js';
import { findOrder, nextPage, normalizeStatus, readAdjustments, readAeuiDetails, readAeuiList, readApiError, readHistory, readLocationList, readOrder, readSummaries } from '../../src/api/dlr/read.js';
import { buildEndpointDelete, buildEndpointOrder, buildGeocodeRequest, buildLocationDelete, buildLocationOrder, escapeXml, parseXml, XML_OPTIONS } from '../../src/api/dlr/xml.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/api/dlr/${name}`, import.meta.url), 'utf8');
const parse = (name: string) => parseXml(fixture(name), '/test', 200);

/** element names of a built document, in order, to compare with the reference examples */
function elementOrder(xml: string, parent: string): string[] {
  const inner = new RegExp(`<${parent}>(.*?)</${parent}>`, 's').exec(xml)?.[1] ?? '';
  return [...inner.matchAll(/<([A-Za-z0-9]+)(?:\/>|>)/g)].map((m) => m[1] ?? '');
}

describe('parseXml safety', () => {
  it('refuses a DOCTYPE or ENTITY declaration', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><E911Order><OrderId>&lol2;</OrderId></E911Order>';
    expect(() => parseXml(bomb, '/x', 200)).toThrow(expect.objectContaining({ code: 'XML_UNSAFE' }));
    expect(() => parseXml('<!ENTITY x SYSTEM "file:///etc/passwd"><a/>', '/x', 200)).toThrow(expect.objectContaining({ code: 'XML_UNSAFE' }));
    expect(() => parseXml('<?xml version="1.0"?>\n<!doctype a SYSTEM "http://evil/x.dtd"><a/>', '/x', 200)).toThrow(expect.objectContaining({ code: 'XML_UNSAFE' }));
  });

  it('refuses malformed XML as BAD_RESPONSE', () => {
    expect(() => parseXml('<E911Order><OrderId>1</E911Order>', '/x', 200)).toThrow(expect.objectContaining({ code: 'BAD_RESPONSE' }));
  });

  it('reads an order POST answer for its id, status and errors alone, as the whole parse reads them', () => {
    const reference = (name: string) => readFileSync(new URL(`../../fixtures/reference/dlr/${name}`, import.meta.url), 'utf8');
    for (const body of [reference('create-endpoint.response.xml'), reference('create-location.response.xml'), fixture('e911-order-400-duplicate.xml')]) {
      const whole = readOrder(findOrder(parseXml(body, '/x', 200))!);
      const ref = readOrder(findOrder(parseXml(body, '/x', 200, true))!);
      expect(ref.orderId).not.toBe('');
      expect({ ...ref, addresses: [], aeuis: [] }).toEqual({ ...whole, addresses: [], aeuis: [] });
      // the echoed items are not built
      expect(ref.addresses.length + ref.aeuis.length).toBe(0);
      expect(whole.addresses.length + whole.aeuis.length).toBeGreaterThan(0);
    }
    expect(readOrder(findOrder(parseXml(fixture('e911-order-400-duplicate.xml'), '/x', 400, true))!).errors.length).toBeGreaterThan(0);
    const refused = fixture('e911-order-400-response-status.xml');
    expect(readApiError(parseXml(refused, '/x', 400, true))).toEqual({ code: '5070', description: 'Telephone number is invalid.' });
    // still checked whole: a malformed item list is a bad answer
    expect(() => parseXml('<E911Order><OrderId>1</OrderId><AlternateEndUserIdentifiers><A></AlternateEndUserIdentifiers></E911Order>', '/x', 200, true)).toThrow(
      expect.objectContaining({ code: 'BAD_RESPONSE' }),
    );
  });

  it("reads an answer without '&' as the entity decoder would (it is skipped there), and decodes one with it", () => {
    const decoding = new XMLParser(XML_OPTIONS);
    for (const name of ['geocode-200-valid.xml', 'geocode-409-adjusted.xml', 'e911-order-partial-errors.xml', 'aeuis-page-1.xml']) {
      expect(parseXml(fixture(name), '/x', 200)).toEqual(decoding.parse(fixture(name)));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const body = `<E911Order><CallerName>${escapeXml(text)}</CallerName></E911Order>`;
        expect(parseXml(body, '/x', 200)).toEqual(decoding.parse(body));
      }),
    );
    expect(parseXml('<a><b>Caf&#233; &amp; Co</b></a>', '/x', 200)).toEqual({ a: { b: 'Café & Co' } });
  });

  it('keeps numeric-looking values as strings, leading zeros included', () => {
    const doc = parse('addresses-e911.xml');
    expect(readLocationList(doc)[0]?.zip).toBe('02134');
    const aeuis = readAeuiList(parse('aeuis-page-1.xml'));
    expect(aeuis[0]?.callbackNumber).toBe('0195550100');
  });

  it('reads GET aeuis/{acid} as api-notes §2.6 shows it: E911 caller name and address, no LocationId', () => {
    const aeui = readAeuiDetails(parse('aeui-get.xml'));
    expect(aeui).toEqual({
      identifier: 'DID4032calling',
      callbackNumber: '8042104032',
      callerName: 'Hank & Sons',
      address: { houseNumber: '900', streetName: 'MAIN CAMPUS', streetSuffix: 'DR', addressLine2: 'STE 500', city: 'RALEIGH', stateCode: 'NC', zip: '27606', plusFour: '1234', country: 'US' },
    });
    expect(readAeuiDetails(parseXml('<AlternateEndUserIdentifierResponse/>', '/x', 200))).toBeUndefined();
  });

  it('decodes the predefined entities in values', () => {
    const order = readOrder(findOrder(parse('e911-order-partial-errors.xml')) ?? {});
    expect(order.aeuis[0]?.callerName).toBe('Alice & Co <HQ>');
    const refs = parseXml('<A><City>Montr&#233;al &#x41;</City><Name>&amp;#233; &amp;lt;</Name></A>', '/x', 200);
    expect(refs).toEqual({ A: { City: 'Montréal A', Name: '&#233; &lt;' } });
  });
});

describe('reading DLR answers', () => {
  it('reads one element or many as a list', () => {
    const one = readOrder(findOrder(parse('e911-location-order-received.xml')) ?? {});
    expect(one.addresses).toHaveLength(1);
    expect(one.addresses[0]).toMatchObject({ locationId: 'CorpOffice5thFloor', houseNumber: '900', streetName: 'Main Campus', zip: '27606' });
    expect(one.addresses[0]?.houseSuffix).toBeUndefined();
    const many = readOrder(findOrder(parse('e911-order-partial-errors.xml')) ?? {});
    expect(many.aeuis.map((a) => a.identifier)).toEqual(['AliceDesk0001', 'BobDesk00002', 'CarolDesk003', 'DaveDesk0004']);
  });

  it('reads a created order, wrapped in E911OrderResponse', () => {
    const order = readOrder(findOrder(parse('e911-endpoint-order-received.xml')) ?? {});
    expect(order).toMatchObject({ orderId: '19fab1c0-5da9-4219-9a3b-e3630ccd7e9f', customerOrderId: 'CustomOrderId1', status: 'RECEIVED', final: false, errors: [] });
    expect(order.aeuis[0]).toEqual({
      identifier: '9zdRwdQqZW99uYr',
      callbackNumber: '5555561234',
      pidfloEnabled: true,
      callerName: '5th Floor Conference Phone',
      preferredLanguage: 'en',
      locationId: 'CorpOffice5thFloor',
    });
  });

  it('reads a finished order with its standardized, adjusted addresses', () => {
    const order = readOrder(findOrder(parse('e911-order-adjusted-complete.xml')) ?? {});
    expect(order).toMatchObject({ status: 'ADJUSTED_COMPLETE', final: true, createdAt: '2021-03-10T20:52:17.218Z' });
    expect(order.addresses[0]).toMatchObject({ locationId: 'CorpOffice6thFloor', streetSuffix: 'DR', addressLine2: 'STE 500', validationStatus: 'VALID', adjusted: true });
  });

  it('reads AEUIError, E911AddressError and Error groups with the items they name', () => {
    const order = readOrder(findOrder(parse('e911-order-partial-errors.xml')) ?? {});
    expect(order.status).toBe('ADJUSTED_PARTIAL');
    expect(order.errors).toEqual([
      { kind: 'aeui', code: '8040', description: 'LocationId Nowhere1 should be provisioned first', identifiers: ['BobDesk00002', 'CarolDesk003'], locationIds: ['Nowhere1', 'Nowhere1'] },
      { kind: 'aeui', code: '8020', description: 'Callback number and/or identifier already in use in this account', identifiers: ['DaveDesk0004'], locationIds: [] },
      { kind: 'address', code: '8059', description: 'The address with LocationId Garage7 is invalid', identifiers: [], locationIds: ['Garage7'] },
      { kind: 'order', code: '8042', description: 'General 911 provisioning error', identifiers: [], locationIds: [] },
    ]);
  });

  it('reads the 400 duplicate-order answer as a FAILED order with its item error', () => {
    const order = readOrder(findOrder(parseXml(fixture('e911-order-400-duplicate.xml'), '/x', 400)) ?? {});
    expect(order.status).toBe('FAILED');
    expect(order.errors[0]).toMatchObject({ kind: 'aeui', code: '8033', identifiers: ['9zdRwdQqZW99uYr'] });
    expect(order.errors[0]?.description).toMatch(/^This order is a duplicate of another E911 request\(orderId= ’4901d3bc/);
  });

  it('reads ResponseStatus errors', () => {
    expect(readApiError(parse('e911-order-400-response-status.xml'))).toEqual({ code: '5070', description: 'Telephone number is invalid.' });
    expect(readApiError(parse('geocode-400-invalid.xml'))).toEqual({ code: '12110', description: 'This address could not be validated / geocoded' });
  });

  it('reads the 409 adjustments, URL-encoded colons and all', () => {
    expect(readAdjustments(parse('geocode-409-adjusted.xml'))).toEqual(['Street Name: ANSUN -> ANSON', 'Street Suffix: STR -> ST']);
    expect(readAdjustments(parseXml('<GeocodeRequestResponse><ErrorMessage>Zip corrected</ErrorMessage></GeocodeRequestResponse>', '/x', 409))).toEqual(['Zip corrected']);
  });

  it('is tolerant of status spellings; unknown statuses are not final', () => {
    expect(normalizeStatus('COMPLETED')).toBe('COMPLETE');
    expect(normalizeStatus('adjusted_completed')).toBe('ADJUSTED_COMPLETE');
    expect(normalizeStatus(' PARTIAL ')).toBe('PARTIAL');
    expect(normalizeStatus('EXCEPTION')).toBe('UNKNOWN');
    expect(normalizeStatus(undefined)).toBe('UNKNOWN');
  });

  it('reads order summaries, history, AEUI and location lists, and the next page', () => {
    expect(readSummaries(parse('e911s-by-customer-order-id.xml'), 'CustomOrderId1')).toEqual([
      {
        orderId: '19fab1c0-5da9-4219-9a3b-e3630ccd7e9f',
        customerOrderId: 'CustomOrderId1',
        status: 'RECEIVED',
        rawStatus: 'RECEIVED',
        final: false,
        orderDate: '2021-03-10T21:14:24.620Z',
        lastModifiedDate: '2021-03-10T21:14:24.620Z',
      },
    ]);
    expect(readHistory(parse('order-history.xml')).map((h) => h.status)).toEqual(['RECEIVED', 'PARTIAL']);
    const page1 = parse('aeuis-page-1.xml');
    expect(readAeuiList(page1).map((a) => a.identifier)).toEqual(['AliceDesk0001', 'AnnDesk00001']);
    expect(nextPage(page1)).toBe('BobDesk00002');
    const page2 = parse('aeuis-page-2.xml');
    expect(readAeuiList(page2).map((a) => a.identifier)).toEqual(['BobDesk00002']);
    expect(nextPage(page2)).toBeUndefined();
    expect(readLocationList(parse('addresses-e911.xml'))[0]).toMatchObject({ locationId: 'Raleigh500', endpointCount: 2, validationStatus: 'VALID' });
  });
});

describe('building DLR requests', () => {
  const reference = new XMLParser({ parseTagValue: false });

  it('sends the geocode RequestAddress in the reference order, empty fields as empty elements', () => {
    const xml = buildGeocodeRequest({
      addressLine1: '904 E Ansun Str',
      houseNumber: '904',
      houseSuffix: 'E',
      streetName: 'Ansun',
      streetSuffix: 'Str',
      city: 'Marshalltown',
      stateCode: 'IA',
      zip: '50158',
    });
    expect(elementOrder(xml, 'RequestAddress')).toEqual([
      'AddressLine1',
      'HousePrefix',
      'HouseNumber',
      'HouseSuffix',
      'PreDirectional',
      'StreetName',
      'StreetSuffix',
      'PostDirectional',
      'AddressLine2',
      'City',
      'StateCode',
      'Zip',
      'PlusFour',
      'County',
      'Country',
    ]);
    expect(xml).toContain('<HousePrefix/>');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
  });

  it('sends locations as the reference example does', () => {
    const xml = buildLocationOrder(
      [
        {
          locationId: 'CorpOffice5thFloor',
          houseNumber: '900',
          streetName: 'Main Campus',
          streetSuffix: 'Drive',
          addressLine2: 'Suite 500',
          city: 'Raleigh',
          stateCode: 'NC',
          zip: '02134',
          country: 'US',
        },
      ],
      'esp-loc-abc',
    );
    expect(elementOrder(xml, 'Address')).toEqual([
      'LocationId',
      'HouseNumber',
      'HouseSuffix',
      'PreDirectional',
      'StreetName',
      'StreetSuffix',
      'PostDirectional',
      'AddressLine2',
      'City',
      'StateCode',
      'Zip',
      'PlusFour',
      'County',
      'Country',
    ]);
    expect(xml).toContain('<E911Order><CustomerOrderId>esp-loc-abc</CustomerOrderId><AdditionalAddresses><Address><LocationId>CorpOffice5thFloor</LocationId>');
    expect(reference.parse(xml).E911Order.AdditionalAddresses.Address.Zip).toBe('02134');
    const withPrefix = buildLocationOrder([{ locationId: 'L1', housePrefix: 'N', houseNumber: '1', streetName: 'A' }], 'c');
    expect(elementOrder(withPrefix, 'Address').slice(0, 3)).toEqual(['LocationId', 'HousePrefix', 'HouseNumber']);
  });

  it('sends AEUIs in the reference order with PIDFLOEnabled true', () => {
    const xml = buildEndpointOrder(
      [
        { identifier: '9zdRwdQqZW99uYr', callbackNumber: '5555561234', callerName: '5th Floor Conference Phone', preferredLanguage: 'en', locationId: 'CorpOffice5thFloor' },
        { identifier: 'Second0000002', callbackNumber: '5555561235', callerName: 'B', locationId: 'X' },
      ],
      'CustomOrderId1',
    );
    expect(elementOrder(xml, 'AlternateEndUserIdentifier')).toEqual(['PIDFLOEnabled', 'Identifier', 'CallbackNumber', 'CallerName', 'PreferredLanguage', 'LocationId']);
    const parsed = reference.parse(xml).E911Order;
    expect(parsed.CustomerOrderId).toBe('CustomOrderId1');
    expect(parsed.AlternateEndUserIdentifiers.AlternateEndUserIdentifier).toHaveLength(2);
    expect(parsed.AlternateEndUserIdentifiers.AlternateEndUserIdentifier[1].PreferredLanguage).toBe('en');
  });

  it('sends deletes with identifiers only and DeleteTNSpecificE911Address true', () => {
    expect(buildEndpointDelete(['9zdRwdQqZW99uYr'], 'YourCustomOrderId2')).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><E911Order><CustomerOrderId>YourCustomOrderId2</CustomerOrderId><AlternateEndUserIdentifiers><AlternateEndUserIdentifier><Identifier>9zdRwdQqZW99uYr</Identifier></AlternateEndUserIdentifier></AlternateEndUserIdentifiers><DeleteTNSpecificE911Address>true</DeleteTNSpecificE911Address></E911Order>',
    );
    expect(buildLocationDelete(['CorpOffice5thFloor'], 'YourCustomOrderId1')).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><E911Order><CustomerOrderId>YourCustomOrderId1</CustomerOrderId><AdditionalAddresses><Address><LocationId>CorpOffice5thFloor</LocationId></Address></AdditionalAddresses><DeleteTNSpecificE911Address>true</DeleteTNSpecificE911Address></E911Order>',
    );
  });

  it('escapes every value, so any text survives a round trip', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        const xml = buildEndpointOrder([{ identifier: 'Ident0000001', callbackNumber: '5555550100', callerName: name, locationId: 'L' }], 'c');
        const doc = parseXml(xml, '/x', 200);
        const back = readOrder(findOrder(doc) ?? {}).aeuis[0]?.callerName ?? '';
        // XML cannot carry control characters and the parser trims: compare what can be sent
        const sendable = name.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').trim();
        expect(back.trim()).toBe(sendable.replace(/\r\n?/g, '\n'));
      }),
    );
  });
});

describe('customerOrderId', () => {
  const aeui = (n: number) => ({ identifier: `Ident${String(n).padStart(8, '0')}`, callbackNumber: '5555550100', callerName: `N${n}`, locationId: 'L1' });

  it('is deterministic, at most 40 characters of letters, digits and dashes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 30 }), fc.constantFrom('loc', 'ep', 'del-ep', 'del-loc' as const), (ns, kind) => {
        const id = customerOrderId(kind, ns.map(aeui));
        expect(id).toMatch(/^[A-Za-z0-9-]{1,40}$/);
        expect(id).toHaveLength(40);
        expect(id.startsWith(`esp-${kind}-`)).toBe(true);
        expect(customerOrderId(kind, ns.map(aeui))).toBe(id);
        expect(customerOrderId(kind, [...ns].reverse().map(aeui))).toBe(id);
      }),
    );
  });

  it('differs when the content or the kind differs', () => {
    const a = customerOrderId('ep', [aeui(1), aeui(2)]);
    expect(customerOrderId('ep', [aeui(1), aeui(3)])).not.toBe(a);
    expect(customerOrderId('ep', [aeui(1)])).not.toBe(a);
    expect(customerOrderId('ep', [{ ...aeui(1), callerName: 'Other' }, aeui(2)])).not.toBe(a);
    expect(customerOrderId('del-ep', [aeui(1), aeui(2)])).not.toBe(a);
    expect(customerOrderId('ep', [{ b: 1, a: 2 }])).toBe(customerOrderId('ep', [{ a: 2, b: 1 }]));
  });
});
