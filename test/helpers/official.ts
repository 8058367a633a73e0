// Bandwidth's official Node client for the numbers API (@bandwidth/numbers), promisified, pointed at
// the sandbox: the contract tests drive the sandbox with it (issue 14 item 7).

import numbers, { type Client } from '@bandwidth/numbers';
import { DEMO_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';
import { until } from './until.js';

export function officialClient(sandbox: Sandbox, account: string): Client {
  return new numbers.Client(account, DEMO_CREDENTIALS.username, DEMO_CREDENTIALS.password, undefined, undefined, { apiEndPoint: `${sandbox.url}/api` });
}

const promised = <T>(call: (cb: (err: (Error & { status?: number }) | null, res?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res as T))));

export const request = <T = any>(client: Client, method: 'get' | 'post', path: string, ...args: unknown[]): Promise<T> =>
  promised<T>((cb) => client.makeRequest(method, client.concatAccountPath(path), ...args, cb));
export const aeuisList = (client: Client, query: Record<string, string> = {}) => promised<any>((cb) => numbers.Aeuis.list(client, query, cb));
export const aeuisGet = (client: Client, acid: string) => promised<any>((cb) => numbers.Aeuis.get(client, acid, cb));
export const geocode = (client: Client, address: Record<string, string>) => promised<any>((cb) => numbers.Geocode.request(client, address, cb));
export const parseXml = (client: Client, xml: string) => promised<any>((cb) => client.parseXml(xml, cb));

/** POST e911s with the client's own XML builder (camelCase keys → elements), followed to a final status. */
export async function e911Order(client: Client, e911Order: Record<string, unknown>): Promise<any> {
  const created = await request(client, 'post', 'e911s', { e911Order });
  const id = JSON.stringify(created).match(/"orderId":"([^"]+)"/i)?.[1];
  if (id === undefined) throw new Error(`no order id in ${JSON.stringify(created)}`);
  return until(
    () => request(client, 'get', `e911s/${id}`),
    (o) => /"processingStatus":"(COMPLETE|ADJUSTED_COMPLETE|PARTIAL|ADJUSTED_PARTIAL|FAILED)"/.test(JSON.stringify(o)),
  );
}
