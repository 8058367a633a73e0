import { afterEach, describe, expect, it } from 'vitest';
import { AmbiguousWriteError, type NetworkError, ResponseTooLargeError, RetriesExhaustedError } from '../../src/api/errors.js';
import { createTransport, type Transport, type TransportConfig } from '../../src/api/transport.js';
import type { ApiRequest } from '../../src/api/types.js';
import { closedPort, fakeClock, send, startServer, type Handler, type TestServer } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(handler: Handler, config: Partial<TransportConfig> = {}) {
  const server = await startServer(handler);
  const clock = fakeClock();
  const transport = createTransport({
    auth: { kind: 'basic', username: 'u', password: 'p' },
    clock,
    maxAttempts: 4,
    random: () => 0.5,
    ...config,
  });
  cleanups.push(
    () => transport.close(),
    () => server.close(),
  );
  return { server, clock, transport };
}

function get(t: Transport | TestServer, path = '/thing'): ApiRequest {
  const base = 'url' in t ? t.url : 'http://127.0.0.1:1';
  return { method: 'GET', url: new URL(path, base), route: path, kind: 'orderGet', group: 'read', idempotent: true };
}

function post(server: TestServer, path = '/e911s'): ApiRequest {
  return {
    method: 'POST',
    url: new URL(path, server.url),
    route: path,
    kind: 'orderPost',
    group: 'order',
    idempotent: false,
    body: '<E911Order/>',
    headers: { 'content-type': 'application/xml' },
  };
}

/** fail the first `n` requests with `fail`, then answer 200 */
function failFirst(n: number, fail: Handler): Handler {
  return (req, res, body, seen) => (seen.length <= n ? fail(req, res, body, seen) : send(res, 200, '<ok/>'));
}

describe('retries on throttling', () => {
  it('waits the seconds of Retry-After on a 429, then succeeds', async () => {
    const { server, clock, transport } = await setup(failFirst(1, (_q, res) => send(res, 429, '', { 'retry-after': '7' })));
    const res = await transport.send(get(server));
    expect(res.status).toBe(200);
    expect(server.seen).toHaveLength(2);
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(7_000);
    expect(transport.stats()).toMatchObject({ throttled: 1, retries: 1, totalCalls: 2 });
  });

  it('waits until the HTTP date of Retry-After', async () => {
    const { server, clock, transport } = await setup(failFirst(1, (_q, res) => send(res, 429, '', { 'retry-after': new Date(Date.now() + 30_000).toUTCString() })));
    expect((await transport.send(get(server))).status).toBe(200);
    const longest = Math.max(...clock.sleeps);
    expect(longest).toBeGreaterThanOrEqual(28_000);
    expect(longest).toBeLessThanOrEqual(32_000);
  });

  it('waits until X-RateLimit-Reset (epoch seconds) and slows the group down', async () => {
    const { server, clock, transport } = await setup(
      failFirst(1, (_q, res) => send(res, 429, '', { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 20) })),
      { rate: 10 },
    );
    expect((await transport.send(get(server))).status).toBe(200);
    const longest = Math.max(...clock.sleeps);
    expect(longest).toBeGreaterThanOrEqual(18_000);
    expect(longest).toBeLessThanOrEqual(22_000);
    expect(transport.limiter.currentRate('read')).toBeLessThan(10);
    expect(transport.limiter.currentRate('order')).toBe(10);
  });

  it('retries a 429 on a write: nothing was processed', async () => {
    const { server, transport } = await setup(failFirst(1, (_q, res) => send(res, 429, '', { 'retry-after': '1' })));
    expect((await transport.send(post(server))).status).toBe(200);
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(2);
  });
});

describe('retries on server errors', () => {
  for (const status of [500, 502, 503, 504]) {
    it(`retries a read after ${status}`, async () => {
      const { server, transport } = await setup(failFirst(2, (_q, res) => send(res, status, '<e/>')));
      expect((await transport.send(get(server))).status).toBe(200);
      expect(server.seen).toHaveLength(3);
      expect(transport.stats().retries).toBe(2);
    });
  }

  it('retries a write after 503 (not processed)', async () => {
    const { server, transport } = await setup(failFirst(1, (_q, res) => send(res, 503)));
    expect((await transport.send(post(server))).status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  for (const status of [500, 502, 504]) {
    it(`never repeats a write after ${status}: AmbiguousWriteError`, async () => {
      const { server, transport } = await setup((_q, res) => send(res, status));
      const err = await transport.send(post(server)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AmbiguousWriteError);
      expect((err as AmbiguousWriteError).code).toBe('AMBIGUOUS_WRITE');
      expect(server.seen).toHaveLength(1);
      expect(transport.stats().ambiguousWrites).toBe(1);
    });
  }

  it('gives up after maxAttempts with RetriesExhaustedError carrying the API code', async () => {
    const { server, transport } = await setup((_q, res) => send(res, 503, '<R><ResponseStatus><ErrorCode>12109</ErrorCode></ResponseStatus></R>'));
    const req = { ...get(server), describeError: () => ({ code: '12109', description: 'unavailable' }) };
    const err = await transport.send(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err).toMatchObject({ code: 'RETRIES_EXHAUSTED', attempts: 4, status: 503, apiCode: '12109' });
    expect(server.seen).toHaveLength(4);
  });

  it('bounds the total time: a Retry-After beyond the budget is not waited for', async () => {
    const { server, clock, transport } = await setup((_q, res) => send(res, 429, '', { 'retry-after': '3600' }), {
      retry: { maxElapsedMs: 60_000 },
    });
    const err = await transport.send(get(server)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RETRIES_EXHAUSTED', attempts: 1, status: 429 });
    expect(server.seen).toHaveLength(1);
    expect(clock.sleeps.filter((ms) => ms >= 3_600_000)).toHaveLength(0);
  });

  it('bounds the total time across many backoffs', async () => {
    const { server, clock, transport } = await setup((_q, res) => send(res, 500), {
      maxAttempts: 50,
      random: () => 0.999,
      retry: { baseDelayMs: 1_000, maxDelayMs: 10_000, maxElapsedMs: 45_000 },
    });
    const started = clock.now();
    await expect(transport.send(get(server))).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(clock.now() - started).toBeLessThanOrEqual(45_000);
    expect(server.seen.length).toBeLessThan(50);
  });

  it('returns other statuses to the caller without retrying', async () => {
    const { server, transport } = await setup((_q, res) => send(res, 404, '<nf/>'));
    expect((await transport.send(get(server))).status).toBe(404);
    expect(server.seen).toHaveLength(1);
  });
});

describe('retries on network failures', () => {
  it('retries a read after the connection is reset', async () => {
    const { server, transport } = await setup(failFirst(1, (req) => void req.socket.destroy()));
    expect((await transport.send(get(server))).status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it('never repeats a write whose connection was reset after sending: AmbiguousWriteError', async () => {
    const { server, transport } = await setup((req) => void req.socket.destroy());
    const err = await transport.send(post(server)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmbiguousWriteError);
    expect(server.seen).toHaveLength(1);
  });

  it('never repeats a write that timed out waiting for headers', async () => {
    // undici checks the headers timeout on a ~1 s tick: the server must stay silent longer than that
    const { server, transport } = await setup(() => undefined, { timeouts: { headersMs: 150 } });
    const err = await transport.send(post(server)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmbiguousWriteError);
    expect((err as AmbiguousWriteError).reason).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(server.seen).toHaveLength(1);
  });

  it('retries reads that hit the per-request deadline, then gives up', async () => {
    const { server, transport } = await setup(() => undefined, { maxAttempts: 2, timeouts: { requestMs: 150 } });
    const err = await transport.send(get(server)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(((err as RetriesExhaustedError).cause as NetworkError).errno).toBe('TIMEOUT');
    expect(server.seen).toHaveLength(2);
  });

  it('retries a refused connection, for writes too, then gives up with the cause', async () => {
    const port = await closedPort();
    const clock = fakeClock();
    const transport = createTransport({ auth: { kind: 'bearer', token: 't' }, clock, maxAttempts: 3 });
    cleanups.push(() => transport.close());
    const url = new URL(`http://127.0.0.1:${port}/e911s`);
    const write: ApiRequest = { ...get(transport), url, method: 'POST', idempotent: false, kind: 'orderPost' };
    const err = await transport.send(write).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect(err).toMatchObject({ attempts: 3 });
    expect(((err as RetriesExhaustedError).cause as NetworkError).errno).toBe('ECONNREFUSED');
    expect(transport.stats().outcomes['ECONNREFUSED']).toBe(3);
  });

  it('refuses a body over the size limit (declared or streamed)', async () => {
    const big = 'x'.repeat(5_000);
    const { server, transport } = await setup(
      (req, res) => {
        if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.write(big);
          res.end(big);
        } else send(res, 200, big);
      },
      { maxResponseBytes: 1_000 },
    );
    await expect(transport.send(get(server))).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(transport.send(get(server, '/chunked'))).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  });

  it('keeps connections alive across calls', async () => {
    const { server, transport } = await setup((_q, res) => send(res, 200, '<ok/>'));
    for (let i = 0; i < 5; i++) await transport.send(get(server));
    const ports = new Set(server.seen.map((r) => r.remotePort));
    expect(server.seen).toHaveLength(5);
    expect(ports.size).toBeLessThanOrEqual(3); // undici may open a second socket before the first is marked idle
  });
});
