// XML for the DLR API: a tiny string writer (fast, no intermediate tree) and a safe reader on
// top of fast-xml-parser. The reader refuses DOCTYPE/ENTITY declarations outright and leaves
// entity processing off, decoding only the five predefined entities and character references
// itself, so no input can make it expand anything.

import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes element text (the writer never writes attributes, so quotes stay as they are). */
export function escapeXml(value: string): string {
  return /[&<>]/.test(value) ? value.replace(/[&<>]/g, (ch) => ESCAPES[ch] ?? ch) : value;
}

/** `<name>value</name>`; an empty value is written `<name></name>` as the API writes it. */
export function el(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Like `el` but writes nothing for an undefined or empty value. */
export function opt(name: string, value: string | number | undefined | null): string {
  return value === undefined || value === null || value === '' ? '' : el(name, value);
}

export function wrap(name: string, inner: string): string {
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

export function document(root: string, inner: string): string {
  return XML_DECLARATION + wrap(root, inner);
}

/** `<Xxx><ResponseStatus><ErrorCode>…</ErrorCode><Description>…</Description></ResponseStatus></Xxx>` */
export function responseStatus(root: string | undefined, code: number | undefined, description: string): string {
  const status = wrap('ResponseStatus', (code === undefined ? '' : el('ErrorCode', code)) + el('Description', description));
  return XML_DECLARATION + (root === undefined ? status : wrap(root, status));
}

/** A parsed element: text for a leaf, a record of children otherwise (lists as arrays). */
export type XmlNode = string | XmlRecord;
export interface XmlRecord {
  [name: string]: XmlNode | XmlNode[] | undefined;
}

const LIST_ELEMENTS = new Set(['Address', 'AlternateEndUserIdentifier', 'TelephoneNumber']);

const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // No element's path is read (lists are known by name): making it a string for every element
  // was the parser's largest single cost.
  jPath: false,
  isArray: (name) => LIST_ELEMENTS.has(name),
});

export class XmlInputError extends Error {
  override readonly name = 'XmlInputError';
}

/** Parses a request body; throws XmlInputError when it is not one well-formed element. */
export function parseXml(body: string): XmlRecord {
  if (/<!(DOCTYPE|ENTITY)/i.test(body)) throw new XmlInputError('DOCTYPE and ENTITY declarations are not accepted');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new XmlInputError(`the body is not well-formed XML (${valid.err.msg})`);
  const parsed: unknown = parser.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).length !== 1) {
    throw new XmlInputError('the body must hold exactly one root element');
  }
  return parsed as XmlRecord;
}

/** Characters XML 1.0 allows; a reference to any other one is dropped so answers stay well-formed. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_, name: string) => {
    switch (name) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return isXmlChar(code) ? String.fromCodePoint(code) : '';
      }
    }
  });
}

/** The text of a leaf child; undefined when absent; '' for `<X/>`; undefined if it has children. */
export function text(node: XmlRecord, name: string): string | undefined {
  const value = node[name];
  if (typeof value === 'string') return decodeEntities(value);
  if (Array.isArray(value)) {
    const first = value[0];
    return typeof first === 'string' ? decodeEntities(first) : undefined;
  }
  return undefined;
}

/** A child element as a record (an empty element reads as an empty record). */
export function child(node: XmlRecord, name: string): XmlRecord | undefined {
  const value = node[name];
  if (value === '') return {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  return undefined;
}

/** Repeated child elements (those in LIST_ELEMENTS always parse as arrays). */
export function children(node: XmlRecord | undefined, name: string): XmlRecord[] {
  if (node === undefined) return [];
  const value = node[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => (typeof item === 'string' ? {} : item));
}

/** All leaf children as decoded strings (nested elements are skipped). */
export function leaves(node: XmlRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(node)) {
    if (typeof value === 'string') out[name] = decodeEntities(value);
  }
  return out;
}
