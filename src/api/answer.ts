/**
 * Pure: whether an answer can be the API's at all. A wrong base URL or account id meets a web
 * server's 404 page, an empty 404, a redirect to a login page, or the other profile's format; the
 * API itself answers a missing resource of a known account with its own error body (dlr:
 * `ResponseStatus`, api-notes §2.3, §2.6; unified: `{errors: [...]}`, §1.6). Such answers are a
 * misconfiguration, never an empty account or a row to try again later.
 */
import type { ApiResponse } from './types.js';

const HTML = /^(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i;

/** Statuses whose body the client reads as data: a success, or a "not found" / "not allowed" that may mean "none". */
const readAsData = (status: number): boolean => (status >= 200 && status < 300) || status === 404 || status === 405;

function common(res: ApiResponse): { body: string; problem?: string } {
  const body = res.body.trim();
  const type = (res.headers['content-type'] ?? '').toLowerCase();
  if (res.status >= 300 && res.status < 400) return { body, problem: `a redirect${res.headers.location ? ` to ${res.headers.location.split('?')[0]}` : ''}` };
  if (res.status < 500 && (type.includes('text/html') || HTML.test(body))) return { body, problem: 'an HTML page' };
  return { body };
}

/** dlr answers XML: why this answer is not the API's, or undefined when it may be. */
export function dlrAnswerProblem(res: ApiResponse): string | undefined {
  const { body, problem } = common(res);
  if (problem !== undefined || !readAsData(res.status)) return problem;
  if (body.startsWith('{') || body.startsWith('[')) return 'a JSON body (the dlr API answers XML)';
  if (body !== '' && !body.startsWith('<')) return 'a body that is not XML';
  // its ResponseStatus, or at least the list's own root: XML in any case
  if ((res.status === 404 || res.status === 405) && body === '') return `an empty ${res.status}`;
  return undefined;
}

/** unified answers JSON: why this answer is not the API's, or undefined when it may be. */
export function unifiedAnswerProblem(res: ApiResponse): string | undefined {
  const { body, problem } = common(res);
  if (problem !== undefined || !readAsData(res.status)) return problem;
  if (body.startsWith('<')) return 'an XML body (the unified API answers JSON)';
  if (res.status === 404 || res.status === 405) {
    if (body === '') return `an empty ${res.status}`;
    let errors: unknown;
    try {
      errors = (JSON.parse(body) as { errors?: unknown }).errors;
    } catch {
      return 'a body that is not JSON';
    }
    if (!Array.isArray(errors)) return `a ${res.status} without the API's errors list`;
  }
  return undefined;
}
