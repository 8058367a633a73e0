// Pieces every unified (JSON) route uses: the genericError body, paging with limit/offset and
// the links array of the OpenAPI examples, and body parsing.

import { jsonReply, type Ctx, type Reply } from '../http.js';

export interface ErrorSource {
  parameter?: string;
  field?: string;
  header?: string;
  reference?: string;
}

export function errorReply(status: number, type: string, description: string, code: number, source?: ErrorSource, headers?: Record<string, string>): Reply {
  const error: Record<string, unknown> = { type, description, code };
  if (source !== undefined) error.source = source;
  return jsonReply(status, { errors: [error] }, headers);
}

export const badRequest = (description: string, source?: ErrorSource): Reply => errorReply(400, 'bad-request', description, 205617, source);
export const notFound = (description = 'The resource specified cannot be found.', source?: ErrorSource): Reply => errorReply(404, 'resource-not-found', description, 50420, source);
export const forbidden = (): Reply => errorReply(403, 'resource-permissions', 'The user has no access to this account.', 109107);
export const unauthorized = (): Reply =>
  errorReply(401, 'authentication-credentials', 'Invalid or missing credentials.', 206401, { header: 'Authorization' }, { 'WWW-Authenticate': 'Basic realm="esprov sandbox", Bearer' });
export const methodNotAllowed = (method: string): Reply =>
  jsonReply(405, { errors: [{ type: 'http-method-not-supported', description: 'The HTTP method used is not supported by this resource.', code: 205621, meta: { method } }] });
export const rateLimited = (seconds: number): Reply =>
  errorReply(429, 'rate-limiting', "Rate limit exceeded. Wait for the time specified in the 'Retry-After' header before sending another request.", 32002, undefined, {
    'Retry-After': String(seconds),
  });
export const serverError = (status: number): Reply =>
  errorReply(status, status === 503 ? 'service-unavailable' : 'internal-server-error', 'Unexpected internal server error. Contact Bandwidth Customer Support if this problem persists.', 32030);

/** `region=ROW` is required on every call; NA exists in the API but is not enabled for sandbox accounts. */
export function regionProblem(query: URLSearchParams): Reply | undefined {
  const region = query.get('region');
  if (region === null || region === '') {
    return badRequest('The query parameter region is required (region=ROW).', { parameter: 'region' });
  }
  if (region === 'NA') {
    return errorReply(403, 'resource-permissions', 'Region NA is not enabled for this account; use region=ROW.', 109107, { parameter: 'region' });
  }
  if (region !== 'ROW') return badRequest(`Unknown region ${region}; use region=ROW.`, { parameter: 'region' });
  return undefined;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface Page {
  offset: number;
  limit: number;
}

/** `cap`: the sandbox's most elements per page, whatever `limit` asked. */
export function readPage(query: URLSearchParams, cap?: number): Page | Reply {
  const rawLimit = query.get('limit');
  const rawOffset = query.get('offset');
  const limit = rawLimit === null ? DEFAULT_LIMIT : Number(rawLimit);
  const offset = rawOffset === null ? 0 : Number(rawOffset);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return badRequest(`limit must be an integer from 1 to ${MAX_LIMIT}`, { parameter: 'limit' });
  }
  if (!Number.isInteger(offset) || offset < 0) return badRequest('offset must be a non-negative integer', { parameter: 'offset' });
  return { offset, limit: Math.min(limit, cap ?? limit) };
}

export interface Link {
  href: string;
  rel: string;
  method: 'GET';
}

/**
 * The links array as the OpenAPI examples write it: hrefs relative to the emergency base,
 * without region, and a link that does not apply (prev on the first page, next on the last)
 * present with an empty href.
 */
export function pageLinks(path: string, page: Page, total: number, filters: Record<string, string> = {}): Link[] {
  const href = (offset: number): string => {
    const params = new URLSearchParams(filters);
    params.set('offset', String(offset));
    params.set('limit', String(page.limit));
    return `${path}?${params.toString()}`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / page.limit) * page.limit;
  return [
    { href: href(page.offset), rel: 'self', method: 'GET' },
    { href: href(0), rel: 'first', method: 'GET' },
    { href: href(lastOffset), rel: 'last', method: 'GET' },
    { href: page.offset > 0 ? href(Math.max(0, page.offset - page.limit)) : '', rel: 'prev', method: 'GET' },
    { href: page.offset + page.limit < total ? href(page.offset + page.limit) : '', rel: 'next', method: 'GET' },
  ];
}

export function readJson(ctx: Ctx): { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply } {
  let value: unknown;
  try {
    value = JSON.parse(ctx.body);
  } catch {
    return { ok: false, reply: badRequest('The request body is not valid JSON.') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reply: badRequest('The request body must be a JSON object.') };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

export const E164 = /^\+[1-9]\d{6,14}$/;

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const isoMillis = (ms: number): string => new Date(ms).toISOString();

export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
