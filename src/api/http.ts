import { Agent, request } from 'undici';
import { NetworkError, ResponseTooLargeError } from './errors.js';
import type { ApiResponse, Send } from './types.js';

export interface Timeouts {
  /** TCP + TLS handshake */
  connectMs: number;
  /** from the request being written to the response headers */
  headersMs: number;
  /** longest silence while reading the body */
  bodyMs: number;
  /** deadline for one attempt, start to finish */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000, requestMs: 60_000 };
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const USER_AGENT = 'esprov';

export interface HttpOptions {
  /** keep-alive connections per origin; size it for the concurrency */
  connections: number;
  timeouts: Timeouts;
  maxResponseBytes: number;
}

/** One keep-alive pool per origin (undici Agent), with the connect / headers / body timeouts. */
export function createDispatcher(options: HttpOptions): Agent {
  return new Agent({
    connections: options.connections,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    keepAliveTimeoutThreshold: 1_000,
    connect: { timeout: options.timeouts.connectMs },
    headersTimeout: options.timeouts.headersMs,
    bodyTimeout: options.timeouts.bodyMs,
  });
}

/** Failures before anything was written: the server cannot have acted on the request. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/** Failures after the request may have been written: the server may or may not have acted. */
const MAYBE_SENT = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'TIMEOUT',
]);

function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'UNKNOWN';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // happy-eyeballs connects report an AggregateError of per-address failures
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return errorCode(inner[0]);
  const cause = (err as { cause?: unknown }).cause;
  if (cause) return errorCode(cause);
  return (err as { name?: string }).name ?? 'UNKNOWN';
}

/** Pure: how a network failure relates to delivery. */
export function classifyNetworkFailure(code: string): NetworkError['delivery'] {
  if (NOT_SENT.has(code)) return 'not-sent';
  if (MAYBE_SENT.has(code)) return 'maybe-sent';
  return 'fatal';
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The innermost layer: one HTTP exchange through undici, body read in full within the size limit. */
export function undiciSend(dispatcher: Agent, options: HttpOptions): Send {
  return async (req) => {
    const deadline = AbortSignal.timeout(options.timeouts.requestMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const wrap = (err: unknown): unknown => {
      if (req.signal?.aborted) return req.signal.reason;
      if (err instanceof ResponseTooLargeError) return err;
      const code = deadline.aborted ? 'TIMEOUT' : errorCode(err);
      return new NetworkError(req.route, code, classifyNetworkFailure(code), { cause: err });
    };
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(req.url, {
        dispatcher,
        method: req.method,
        headers: { 'user-agent': USER_AGENT, ...req.headers },
        body: req.body,
        signal,
      });
    } catch (err) {
      throw wrap(err);
    }
    try {
      const headers = flattenHeaders(res.headers);
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        throw new ResponseTooLargeError(req.route, options.maxResponseBytes);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        total += buf.length;
        if (total > options.maxResponseBytes) throw new ResponseTooLargeError(req.route, options.maxResponseBytes);
        chunks.push(buf);
      }
      const out: ApiResponse = { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
      return out;
    } catch (err) {
      res.body.destroy();
      throw wrap(err);
    }
  };
}
