// The shape every route handler shares: a parsed request in, a reply out. Handlers are
// synchronous and never touch the socket; the server decides latency, faults and delivery.

import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxCore } from './core.js';
import type { Account } from './store.js';

export interface Reply {
  status: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Ctx {
  method: string;
  /** Path segments after the API prefix and account id, e.g. ['e911s', '<orderId>']. */
  segments: string[];
  query: URLSearchParams;
  body: string;
  headers: IncomingHttpHeaders;
  user: string;
  account: Account;
  core: SandboxCore;
  now: number;
  /** Absolute base of the current API for links, e.g. http://127.0.0.1:1234/api/accounts/9900000 */
  base: string;
}

export const XML = 'application/xml';
export const JSON_TYPE = 'application/json';

export function xmlReply(status: number, body: string, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, body, contentType: XML } : { status, body, contentType: XML, headers };
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  const body = JSON.stringify(value);
  return headers === undefined ? { status, body, contentType: JSON_TYPE } : { status, body, contentType: JSON_TYPE, headers };
}

/** A write for the ledger and for dropAfterProcessing: every method but GET/HEAD. */
export function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}
