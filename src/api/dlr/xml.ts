import { XMLParser, type X2jOptions } from 'fast-xml-parser';
import { BadResponseError, XmlUnsafeError } from '../errors.js';
import type { DlrAddress, DlrAeui, DlrLocation } from './types.js';

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [key: string]: XmlValue;
}

/** Elements the API has as lists: always read as arrays, whether one element came or many. */
const LIST_ELEMENTS = new Set(['Address', 'AlternateEndUserIdentifier', 'AEUIError', 'E911AddressError', 'Error', 'ErrorMessage', 'E911OrderSummary', 'OrderHistory', 'TelephoneNumber']);

export const XML_OPTIONS = {
  ignoreAttributes: true,
  // keep every value a string: zip 02134 and callback 5555561234 keep their digits
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // only predefined entities and character references (&#233;) can occur: a DOCTYPE, the only
  // place entities are declared, is refused before parsing, so nothing can expand
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // The path is given as a matcher and made a string only where it decides (E911Order): making it
  // for every element was a fifth of the parser's time.
  jPath: false,
  isArray: (name, jpath) => LIST_ELEMENTS.has(name) || (name === 'E911Order' && String(jpath).endsWith('E911Orders.E911Order')),
} satisfies X2jOptions;

const parser = new XMLParser(XML_OPTIONS);
/** For an answer without '&', which has no entity to decode: the decoder's pass was a third of a small answer's parse. */
const plainParser = new XMLParser({ ...XML_OPTIONS, processEntities: false, htmlEntities: false });

/**
 * For an order's POST answer, which echoes every item of the order (100 addresses or AEUIs in a
 * chunk) though only its id, status and ErrorList are read: the item lists are checked for
 * well-formedness but not built (building them was a tenth of a migration's CPU time).
 */
const ITEM_LISTS = ['AlternateEndUserIdentifiers', 'AdditionalAddresses', 'Addresses'].flatMap((list) => [`E911OrderResponse.E911Order.${list}`, `E911Order.${list}`]);
const refParser = new XMLParser({ ...XML_OPTIONS, stopNodes: ITEM_LISTS });
const plainRefParser = new XMLParser({ ...XML_OPTIONS, processEntities: false, htmlEntities: false, stopNodes: ITEM_LISTS });

const UNSAFE = /<!\s*(DOCTYPE|ENTITY)/i;

/**
 * Parses an API answer; refuses DTDs and entity declarations (XML_UNSAFE), malformed XML
 * (BAD_RESPONSE). `orderRef`: an order's POST answer, read for its id, status and errors only.
 */
export function parseXml(body: string, route: string, status: number, orderRef = false): XmlObject {
  if (UNSAFE.test(body)) throw new XmlUnsafeError(route);
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    const plain = !body.includes('&');
    parsed = (orderRef ? (plain ? plainRefParser : refParser) : plain ? plainParser : parser).parse(body, true);
  } catch (err) {
    throw new BadResponseError(route, status, 'malformed XML', { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadResponseError(route, status, 'not an XML document');
  }
  return parsed as XmlObject;
}

// ---- reading helpers ---------------------------------------------------------------------------

export function asObject(value: XmlValue | undefined): XmlObject | undefined {
  if (Array.isArray(value)) return asObject(value[0]);
  return typeof value === 'object' ? value : undefined;
}

export function child(node: XmlObject | undefined, ...path: string[]): XmlObject | undefined {
  let current = node;
  for (const key of path) current = asObject(current?.[key]);
  return current;
}

/** every `key` child as an object (an empty element reads as none) */
export function list(node: XmlObject | undefined, key: string): XmlObject[] {
  const value = node?.[key];
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => (typeof item === 'object' && !Array.isArray(item) ? [item] : []));
}

function textOf(value: XmlValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'object') return textOf(value['#text']);
  return value === '' ? undefined : value;
}

/** the text of child `key` (case-insensitive fallback: the e911s list mixes `OrderId` and `orderId`) */
export function text(node: XmlObject | undefined, key: string): string | undefined {
  if (!node) return undefined;
  if (key in node) return textOf(node[key]);
  const lower = key.toLowerCase();
  const found = Object.keys(node).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : textOf(node[found]);
}

export function texts(node: XmlObject | undefined, key: string): string[] {
  const value = node?.[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => textOf(v) ?? []);
}

/** depth-first: every element named `name`, not looking inside the ones found */
export function findAll(node: XmlValue | undefined, name: string): XmlObject[] {
  if (node === undefined || typeof node === 'string') return [];
  if (Array.isArray(node)) return node.flatMap((n) => findAll(n, name));
  const out: XmlObject[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === name) {
      const found = Array.isArray(value) ? value : [value];
      for (const v of found) {
        const o = asObject(v);
        if (o) out.push(o);
      }
    } else out.push(...findAll(value, name));
  }
  return out;
}

// ---- building ----------------------------------------------------------------------------------

// characters XML 1.0 cannot carry at all, even escaped
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(value: string): string {
  return value.replace(INVALID_XML_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<Name>value</Name>`, or `<Name/>` when empty (as the reference examples send empty fields) */
function el(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? `<${name}/>` : `<${name}>${escapeXml(value)}</${name}>`;
}

function optional(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : el(name, value);
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** the address fields after HousePrefix, in the order of the reference examples */
function addressTail(a: DlrAddress): string {
  return [
    el('HouseNumber', a.houseNumber),
    el('HouseSuffix', a.houseSuffix),
    el('PreDirectional', a.preDirectional),
    el('StreetName', a.streetName),
    el('StreetSuffix', a.streetSuffix),
    el('PostDirectional', a.postDirectional),
    el('AddressLine2', a.addressLine2),
    el('City', a.city),
    el('StateCode', a.stateCode),
    el('Zip', a.zip),
    el('PlusFour', a.plusFour),
    el('County', a.county),
    el('Country', a.country),
  ].join('');
}

export function buildGeocodeRequest(a: DlrAddress): string {
  return `${DECLARATION}<RequestAddress>${el('AddressLine1', a.addressLine1)}${el('HousePrefix', a.housePrefix)}${addressTail(a)}</RequestAddress>`;
}

function locationXml(l: DlrLocation): string {
  return `<Address>${el('LocationId', l.locationId)}${optional('HousePrefix', l.housePrefix)}${addressTail(l)}</Address>`;
}

function aeuiXml(e: DlrAeui): string {
  return (
    '<AlternateEndUserIdentifier>' +
    el('PIDFLOEnabled', 'true') +
    el('Identifier', e.identifier) +
    el('CallbackNumber', e.callbackNumber) +
    el('CallerName', e.callerName) +
    el('PreferredLanguage', e.preferredLanguage || 'en') +
    el('LocationId', e.locationId) +
    '</AlternateEndUserIdentifier>'
  );
}

function order(customerOrderId: string, inner: string, del = false): string {
  const flag = del ? el('DeleteTNSpecificE911Address', 'true') : '';
  return `${DECLARATION}<E911Order>${el('CustomerOrderId', customerOrderId)}${inner}${flag}</E911Order>`;
}

export function buildLocationOrder(locations: readonly DlrLocation[], customerOrderId: string): string {
  return order(customerOrderId, `<AdditionalAddresses>${locations.map(locationXml).join('')}</AdditionalAddresses>`);
}

export function buildEndpointOrder(aeuis: readonly DlrAeui[], customerOrderId: string): string {
  return order(customerOrderId, `<AlternateEndUserIdentifiers>${aeuis.map(aeuiXml).join('')}</AlternateEndUserIdentifiers>`);
}

export function buildEndpointDelete(identifiers: readonly string[], customerOrderId: string): string {
  const items = identifiers.map((id) => `<AlternateEndUserIdentifier>${el('Identifier', id)}</AlternateEndUserIdentifier>`);
  return order(customerOrderId, `<AlternateEndUserIdentifiers>${items.join('')}</AlternateEndUserIdentifiers>`, true);
}

export function buildLocationDelete(locationIds: readonly string[], customerOrderId: string): string {
  const items = locationIds.map((id) => `<Address>${el('LocationId', id)}</Address>`);
  return order(customerOrderId, `<AdditionalAddresses>${items.join('')}</AdditionalAddresses>`, true);
}
