// Shared helpers for the sandbox tests: real HTTP on 127.0.0.1 through undici.

import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { request } from 'undici';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';

export const ACCOUNT = DEMO_ACCOUNT_ID;
export const BASIC = 'Basic ' + Buffer.from(`${DEMO_CREDENTIALS.username}:${DEMO_CREDENTIALS.password}`).toString('base64');

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export async function call(sandbox: Sandbox, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await request(sandbox.url + path, {
    method: method as 'GET',
    headers: { authorization: BASIC, ...headers },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

export const dlrPath = (rest: string, account = ACCOUNT): string => `/api/accounts/${account}/${rest}`;
export const unifiedPath = (rest: string, account = ACCOUNT): string => {
  const sep = rest.includes('?') ? '&' : '?';
  return `/api/v2/accounts/${account}/emergency/${rest}${sep}region=ROW`;
};

export const dlr = (sandbox: Sandbox, method: string, rest: string, body?: string, account?: string): Promise<Answer> =>
  call(sandbox, method, dlrPath(rest, account), body, body === undefined ? {} : { 'content-type': 'application/xml' });

export async function unified(sandbox: Sandbox, method: string, rest: string, body?: unknown): Promise<{ status: number; json: any; headers: Answer['headers'] }> {
  const answer = await call(sandbox, method, unifiedPath(rest), body === undefined ? undefined : JSON.stringify(body), body === undefined ? {} : { 'content-type': 'application/json' });
  return { status: answer.status, headers: answer.headers, json: answer.text === '' ? undefined : JSON.parse(answer.text) };
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: true, htmlEntities: false });

/** Parses XML for assertions; every value stays a string. */
export function xml(text: string): any {
  return parser.parse(text);
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/reference/${name}`, import.meta.url), 'utf8');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** Polls GET e911s/{orderId} until it leaves RECEIVED/PROCESSING; returns the parsed E911Order. */
export async function finalDlrOrder(sandbox: Sandbox, orderId: string, account?: string): Promise<any> {
  return eventually(async () => {
    const answer = await dlr(sandbox, 'GET', `e911s/${orderId}`, undefined, account);
    const order = xml(answer.text).E911Order;
    return order.ProcessingStatus === 'RECEIVED' || order.ProcessingStatus === 'PROCESSING' ? undefined : order;
  });
}

export async function finalUnifiedOrder(sandbox: Sandbox, orderId: string): Promise<any> {
  return eventually(async () => {
    const answer = await unified(sandbox, 'GET', `orders/${orderId}/details`);
    const status = answer.json.status as string;
    return status === 'RECEIVED' || status === 'PROCESSING' ? undefined : answer.json;
  });
}

export interface LocationFields {
  [name: string]: string;
}

export function locationOrder(locations: LocationFields[], customerOrderId?: string, remove = false): string {
  const addresses = locations
    .map(
      (fields) =>
        `<Address>${Object.entries(fields)
          .map(([k, v]) => `<${k}>${v}</${k}>`)
          .join('')}</Address>`,
    )
    .join('');
  return (
    `<E911Order>${customerOrderId === undefined ? '' : `<CustomerOrderId>${customerOrderId}</CustomerOrderId>`}` +
    `<AdditionalAddresses>${addresses}</AdditionalAddresses>${remove ? '<DeleteTNSpecificE911Address>true</DeleteTNSpecificE911Address>' : ''}</E911Order>`
  );
}

export function endpointOrder(aeuis: LocationFields[], customerOrderId?: string, remove = false): string {
  const items = aeuis
    .map(
      (fields) =>
        `<AlternateEndUserIdentifier>${Object.entries(fields)
          .map(([k, v]) => `<${k}>${v}</${k}>`)
          .join('')}</AlternateEndUserIdentifier>`,
    )
    .join('');
  return (
    `<E911Order>${customerOrderId === undefined ? '' : `<CustomerOrderId>${customerOrderId}</CustomerOrderId>`}` +
    `<AlternateEndUserIdentifiers>${items}</AlternateEndUserIdentifiers>${remove ? '<DeleteTNSpecificE911Address>true</DeleteTNSpecificE911Address>' : ''}</E911Order>`
  );
}

export const RALEIGH = { HouseNumber: '900', StreetName: 'MAIN CAMPUS', StreetSuffix: 'DR', City: 'RALEIGH', StateCode: 'NC', Zip: '27606', PlusFour: '1234', Country: 'US' };

export function aeui(identifier: string, locationId: string, extra: LocationFields = {}): LocationFields {
  return { PIDFLOEnabled: 'true', Identifier: identifier, CallbackNumber: '9195551234', CallerName: 'Front Desk', PreferredLanguage: 'en', LocationId: locationId, ...extra };
}

/** Posts an order and returns its OrderId (asserting 201). */
export async function postOrder(sandbox: Sandbox, body: string, account?: string): Promise<string> {
  const answer = await dlr(sandbox, 'POST', 'e911s', body, account);
  if (answer.status !== 201) throw new Error(`expected 201, got ${answer.status}: ${answer.text}`);
  return xml(answer.text).E911OrderResponse.E911Order.OrderId as string;
}

/** A list as an array, whether the XML held one element or many. */
export function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
