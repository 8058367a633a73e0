// The HTTP front: routing by prefix, latency, authentication, region, fault injection, the
// ledger count of every call, and delivery (or the dropped connection of dropAfterProcessing).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { clientCredentials } from './auth.js';
import type { SandboxCore } from './core.js';
import { dlrForbidden, dlrNotFound, dlrRateLimited, dlrRoute, dlrServerError, dlrUnauthorized } from './dlr/routes.js';
import { isWrite, jsonReply, type Ctx, type Reply } from './http.js';
import { bump, type Counters } from './store.js';
import { forbidden, notFound as unifiedNotFound, rateLimited, regionProblem, serverError, unauthorized } from './unified/common.js';
import { unifiedRoute } from './unified/routes.js';

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DLR_PREFIX = '/api/accounts/';
const UNIFIED_PREFIX = '/api/v2/accounts/';
const TOKEN_PATH = '/api/v1/oauth2/token';
const ACCOUNT_ID = /^[A-Za-z0-9-]{1,40}$/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

type Api = 'dlr' | 'unified';

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.body !== undefined) {
    headers['Content-Type'] = reply.contentType ?? 'text/plain';
    headers['Content-Length'] = Buffer.byteLength(reply.body);
  }
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Over the limit: keep draining (so a 413 can still be answered) but stop keeping it.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(new BodyTooLarge());
      resolve(chunks.length === 1 ? (chunks[0] ?? Buffer.alloc(0)).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

class BodyTooLarge extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function createSandboxServer(core: SandboxCore, baseUrl: () => string): Server {
  const server = createServer((req, res) => {
    handle(core, baseUrl, req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return void res.destroy();
      const tooLarge = error instanceof BodyTooLarge;
      res.setHeader('Connection', 'close');
      send(
        res,
        jsonReply(tooLarge ? 413 : 500, {
          errors: [
            {
              type: tooLarge ? 'payload-too-large' : 'internal-server-error',
              description: tooLarge ? `The body is over ${MAX_BODY_BYTES} bytes.` : `Sandbox error: ${String(error)}`,
              code: tooLarge ? 413 : 32030,
            },
          ],
        }),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

async function handle(core: SandboxCore, baseUrl: () => string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const query = new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
  const method = req.method ?? 'GET';
  const body = await readBody(req);

  if (path.startsWith('/_sandbox/')) return admin(core, req, res, path, method);
  if (path === TOKEN_PATH) return token(core, req, res, method, body);

  let api: Api;
  let rest: string;
  if (path.startsWith(UNIFIED_PREFIX)) {
    api = 'unified';
    rest = path.slice(UNIFIED_PREFIX.length);
  } else if (path.startsWith(DLR_PREFIX)) {
    api = 'dlr';
    rest = path.slice(DLR_PREFIX.length);
  } else {
    // Outside the API roots the web server answers, not the API: a page, not an API error body.
    bump(core.global.calls, 'notFound');
    return send(res, { status: 404, body: '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>', contentType: 'text/html; charset=utf-8' });
  }
  const parts = rest
    .split('/')
    .filter((s) => s !== '')
    .map(safeDecode);
  const accountId = parts.shift() ?? '';
  const knownAccountPath = ACCOUNT_ID.test(accountId) && (api === 'dlr' || parts.shift() === 'emergency');
  const faults = core.faults;
  const latency = faults.latency(core.options.latencyMs);
  if (latency > 0) await sleep(latency);

  const now = Date.now();
  const user = core.auth.check(req.headers.authorization, now);
  if (user === undefined) {
    bump(core.global.calls, 'unauthorized');
    return send(res, api === 'dlr' ? dlrUnauthorized() : unauthorized());
  }
  if (!knownAccountPath) {
    bump(core.global.calls, 'notFound');
    return send(res, api === 'dlr' ? dlrNotFound() : unifiedNotFound());
  }
  if (core.options.accounts !== undefined && !core.options.accounts.includes(accountId)) {
    bump(core.global.calls, 'forbidden');
    return send(res, api === 'dlr' ? dlrForbidden() : forbidden());
  }
  if (api === 'unified') {
    const problem = regionProblem(query);
    if (problem !== undefined) {
      bump(core.global.calls, 'unified.badRegion');
      return send(res, problem);
    }
  }
  const route = api === 'dlr' ? dlrRoute(method, parts) : unifiedRoute(method, parts);
  if ('status' in route) {
    bump(core.global.calls, 'notFound');
    return send(res, route);
  }

  const account = core.account(accountId);
  const kind = `${api}.${route.kind}`;
  const counters: Counters = account.counters;
  bump(counters.calls, kind);
  const write = isWrite(method);
  if (write && route.kind !== 'geocode') counters.writeCalls++;

  const fault = faults.decide(kind, write);
  if (fault === 'rateLimit' || fault === 'serverError') {
    bump(counters.faults, `${fault}@${kind}`);
    core.markDirty();
    if (fault === 'rateLimit') {
      const seconds = faults.rates.retryAfterSeconds;
      return send(res, api === 'dlr' ? dlrRateLimited(now, seconds) : rateLimited(seconds));
    }
    const status = faults.serverStatus();
    return send(res, api === 'dlr' ? dlrServerError(route.kind, status) : serverError(status));
  }

  const ctx: Ctx = { method, segments: parts, query, body, headers: req.headers, user, account, core, now, base: `${baseUrl()}${DLR_PREFIX}${accountId}` };
  const reply = route.run(ctx);
  core.options.onCall?.({ account: accountId, kind, method, body: typeof body === 'string' ? body : String(body ?? '') });
  if (fault === 'dropAfterProcessing') {
    bump(counters.faults, `${fault}@${kind}`);
    core.markDirty();
    req.socket.destroy();
    return;
  }
  send(res, reply);
}

function admin(core: SandboxCore, req: IncomingMessage, res: ServerResponse, path: string, method: string): void {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, jsonReply(403, { error: 'loopback only' }));
  if (path === '/_sandbox/ledger' && method === 'GET') return send(res, jsonReply(200, core.ledger()));
  if (path === '/_sandbox/reset' && method === 'POST') {
    core.reset();
    return send(res, jsonReply(200, { reset: true }));
  }
  if (path === '/_sandbox/health' && method === 'GET') return send(res, jsonReply(200, { ok: true }));
  send(res, jsonReply(404, { error: `no such sandbox path: ${method} ${path}` }));
}

/** POST /api/v1/oauth2/token: client credentials (the sandbox username/password) → Bearer token. */
function token(core: SandboxCore, req: IncomingMessage, res: ServerResponse, method: string, body: string): void {
  bump(core.global.calls, 'oauth.token');
  if (method !== 'POST') return send(res, jsonReply(405, { error: 'invalid_request', error_description: 'use POST' }));
  const faults = core.faults;
  if (faults.rates.faultTokenEndpoint) {
    const fault = faults.decide('oauth.token', false);
    if (fault === 'rateLimit') return send(res, rateLimited(faults.rates.retryAfterSeconds));
    if (fault === 'serverError') return send(res, serverError(faults.serverStatus()));
  }
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') {
    return send(res, jsonReply(400, { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' }));
  }
  const client = clientCredentials(req.headers.authorization, form);
  if (client === undefined || !core.auth.checkClient(client.id, client.secret)) {
    return send(res, jsonReply(401, { error: 'invalid_client', error_description: 'Client authentication failed' }, { 'WWW-Authenticate': 'Basic realm="esprov sandbox"' }));
  }
  send(res, jsonReply(200, core.auth.issueToken(Date.now()), { 'Cache-Control': 'no-store' }));
}
