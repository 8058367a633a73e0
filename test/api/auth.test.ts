import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authFromEnv, readTokenAnswer, type AuthConfig } from '../../src/api/auth.js';
import { AuthError, ConfigError } from '../../src/api/errors.js';
import { createTransport, type TransportConfig } from '../../src/api/transport.js';
import { checkedUrl, isLoopbackHost } from '../../src/api/url.js';
import type { ApiRequest } from '../../src/api/types.js';
import { captureLogger, fakeClock, send, sendJson, startServer, type Handler } from './helpers.js';

const PASSWORD = 'pa55-w0rd-SECRET';
const TOKEN = 'tok-SECRET-123456';
const CLIENT_SECRET = 'client-SECRET-abcdef';
const ACCESS_PREFIX = 'access-SECRET-';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function get(url: string, path = '/accounts/1/e911s/x'): ApiRequest {
  return { method: 'GET', url: new URL(path, url), route: '/accounts/:accountId/e911s/:orderId', kind: 'orderGet', group: 'read', idempotent: true };
}

async function setup(handler: Handler, auth: (url: string) => AuthConfig, extra: Partial<TransportConfig> = {}) {
  const server = await startServer(handler);
  const clock = fakeClock();
  const log = captureLogger();
  const transport = createTransport({ auth: auth(server.url), clock, logger: log.logger, maxAttempts: 3, ...extra });
  cleanups.push(
    () => transport.close(),
    () => server.close(),
  );
  return { server, clock, transport, log };
}

/** an OAuth server: /token hands out numbered tokens; the API accepts the tokens in `valid` */
function oauthServer(options: { expiresIn?: number; valid?: (n: number) => boolean; tokenStatus?: number } = {}) {
  let issued = 0;
  const handler: Handler = (req, res, body) => {
    if (req.url === '/token') {
      if (options.tokenStatus) return sendJson(res, options.tokenStatus, { error: 'invalid_client' });
      const expected = `Basic ${Buffer.from(`cid:${CLIENT_SECRET}`).toString('base64')}`;
      if (req.headers.authorization !== expected || body !== 'grant_type=client_credentials') {
        return sendJson(res, 401, { error: 'invalid_client' });
      }
      issued++;
      // answer a little later so concurrent callers overlap the fetch
      setTimeout(() => sendJson(res, 200, { access_token: `${ACCESS_PREFIX}${issued}`, expires_in: options.expiresIn ?? 3600, token_type: 'Bearer' }), 20);
      return;
    }
    const match = /^Bearer access-SECRET-(\d+)$/.exec(req.headers.authorization ?? '');
    const n = match ? Number(match[1]) : 0;
    if (n === 0 || !(options.valid ?? (() => true))(n)) return send(res, 401, '<Unauthorized/>');
    send(res, 200, `<ok>${n}</ok>`);
  };
  return { handler, issued: () => issued };
}

const oauth = (url: string): AuthConfig => ({ kind: 'oauth2', clientId: 'cid', clientSecret: CLIENT_SECRET, tokenUrl: `${url}/token` });

describe('static credentials', () => {
  it('sends Basic and Bearer headers', async () => {
    const { server, transport } = await setup(
      (_q, res) => send(res, 200),
      () => ({ kind: 'basic', username: 'user', password: PASSWORD }),
    );
    await transport.send(get(server.url));
    expect(server.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`);
    const b = await setup(
      (_q, res) => send(res, 200),
      () => ({ kind: 'bearer', token: TOKEN }),
    );
    await b.transport.send(get(b.server.url));
    expect(b.server.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('stops at the first 401: AuthError, no retry storm, later calls fail without a request', async () => {
    const { server, transport } = await setup(
      (_q, res) => send(res, 401),
      () => ({ kind: 'basic', username: 'user', password: PASSWORD }),
    );
    const err = await transport.send(get(server.url)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
    const again = await Promise.all(Array.from({ length: 10 }, () => transport.send(get(server.url)).catch((e: unknown) => e)));
    expect(again.every((e) => e instanceof AuthError)).toBe(true);
    expect(server.seen).toHaveLength(1);
  });

  it('treats 403 as fatal too', async () => {
    const { server, transport } = await setup(
      (_q, res) => send(res, 403),
      () => ({ kind: 'bearer', token: TOKEN }),
    );
    await expect(transport.send(get(server.url))).rejects.toMatchObject({ code: 'AUTH_FAILED', status: 403 });
    expect(server.seen).toHaveLength(1);
  });
});

describe('OAuth2 client credentials', () => {
  it('fetches one token for 20 concurrent calls', async () => {
    const o = oauthServer();
    const { server, transport } = await setup(o.handler, oauth);
    const answers = await Promise.all(Array.from({ length: 20 }, () => transport.send(get(server.url))));
    expect(answers.every((a) => a.body === '<ok>1</ok>')).toBe(true);
    expect(o.issued()).toBe(1);
    expect(server.seen.filter((r) => r.url === '/token')).toHaveLength(1);
    expect(transport.stats().tokenFetches).toBe(1);
  });

  it('renews once, 60 s before expiry, for many concurrent calls', async () => {
    const o = oauthServer({ expiresIn: 3600 });
    const { server, clock, transport } = await setup(o.handler, oauth);
    await transport.send(get(server.url));
    clock.advance((3600 - 61) * 1000);
    await transport.send(get(server.url));
    expect(o.issued()).toBe(1);
    clock.advance(2_000); // now inside the last minute
    const answers = await Promise.all(Array.from({ length: 10 }, () => transport.send(get(server.url))));
    expect(answers.every((a) => a.body === '<ok>2</ok>')).toBe(true);
    expect(o.issued()).toBe(2);
  });

  it('renews once on a 401 and resends', async () => {
    const o = oauthServer({ valid: (n) => n >= 2 });
    const { server, transport } = await setup(o.handler, oauth);
    const answers = await Promise.all(Array.from({ length: 5 }, () => transport.send(get(server.url))));
    expect(answers.every((a) => a.body === '<ok>2</ok>')).toBe(true);
    expect(o.issued()).toBe(2);
  });

  it('a 401 that persists after the renewal is fatal', async () => {
    const o = oauthServer({ valid: () => false });
    const { server, transport } = await setup(o.handler, oauth);
    await expect(transport.send(get(server.url))).rejects.toBeInstanceOf(AuthError);
    expect(o.issued()).toBe(2);
    expect(server.seen.filter((r) => r.url !== '/token')).toHaveLength(2);
  });

  it('a refused token request is an AuthError, and is not asked again for every call', async () => {
    const o = oauthServer({ tokenStatus: 401 });
    const { server, transport } = await setup(o.handler, oauth);
    await expect(transport.send(get(server.url))).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(transport.send(get(server.url))).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(server.seen.filter((r) => r.url !== '/token')).toHaveLength(0);
    expect(server.seen.filter((r) => r.url === '/token')).toHaveLength(1);
  });
});

describe('secrets stay secret', () => {
  const secrets = [PASSWORD, TOKEN, CLIENT_SECRET, ACCESS_PREFIX, Buffer.from(`user:${PASSWORD}`).toString('base64')];

  it('never appear in debug logs or error messages', async () => {
    const texts: string[] = [];
    const runs: Array<[Handler, (url: string) => AuthConfig]> = [
      [(_q, res) => send(res, 401), () => ({ kind: 'basic', username: 'user', password: PASSWORD })],
      [(_q, res) => send(res, 500), () => ({ kind: 'bearer', token: TOKEN })],
      [oauthServer({ valid: () => false }).handler, oauth],
      [oauthServer({ tokenStatus: 400 }).handler, oauth],
      [oauthServer().handler, oauth],
    ];
    for (const [handler, auth] of runs) {
      const { server, transport, log } = await setup(handler, auth);
      const err = await transport.send(get(server.url)).catch((e: unknown) => e);
      if (err instanceof Error) texts.push(err.message, String(err.stack), JSON.stringify(err), String(err.cause ?? ''));
      texts.push(log.output());
    }
    expect(texts.join('\n')).toContain('"route":"/accounts/:accountId/e911s/:orderId"');
    for (const secret of secrets) expect(texts.join('\n')).not.toContain(secret);
  });

  it('are redacted if someone logs a config object through the API logger', async () => {
    const log = captureLogger();
    const { apiLogger } = await import('../../src/api/log.js');
    apiLogger(log.logger).debug({ auth: { password: PASSWORD }, headers: { authorization: `Bearer ${TOKEN}` }, clientSecret: CLIENT_SECRET }, 'oops');
    for (const secret of [PASSWORD, TOKEN, CLIENT_SECRET]) expect(log.output()).not.toContain(secret);
    expect(log.output()).toContain('[REDACTED]');
  });

  it('authFromEnv hides secret values from JSON and from its errors', () => {
    const basic = authFromEnv({ BW_USERNAME: 'user', BW_PASSWORD: PASSWORD });
    expect(basic).toMatchObject({ kind: 'basic', username: 'user' });
    expect(basic.kind === 'basic' && basic.password).toBe(PASSWORD);
    expect(JSON.stringify(basic)).not.toContain(PASSWORD);
    expect(JSON.stringify(authFromEnv({ BW_TOKEN: TOKEN }))).not.toContain(TOKEN);
    const o = authFromEnv({ BW_CLIENT_ID: 'cid', BW_CLIENT_SECRET: CLIENT_SECRET });
    expect(o).toMatchObject({ kind: 'oauth2', clientId: 'cid', tokenUrl: 'https://api.bandwidth.com/api/v1/oauth2/token' });
    expect(JSON.stringify(o)).not.toContain(CLIENT_SECRET);
  });
});

describe('authFromEnv', () => {
  it('prefers OAuth2, then the token, then Basic', () => {
    const all = { BW_CLIENT_ID: 'c', BW_CLIENT_SECRET: 's', BW_TOKEN: 't', BW_USERNAME: 'u', BW_PASSWORD: 'p' };
    expect(authFromEnv(all).kind).toBe('oauth2');
    expect(authFromEnv({ BW_TOKEN: 't', BW_USERNAME: 'u', BW_PASSWORD: 'p' }).kind).toBe('bearer');
    expect(authFromEnv({ BW_USERNAME: 'u', BW_PASSWORD: 'p' }).kind).toBe('basic');
    expect(authFromEnv({ BW_CLIENT_ID: 'c', BW_CLIENT_SECRET: 's' }, 'http://127.0.0.1:9/token')).toMatchObject({ tokenUrl: 'http://127.0.0.1:9/token' });
  });

  it('names the missing variable without printing any value', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ BW_USERNAME: 'someone' }, 'BW_PASSWORD'],
      [{ BW_PASSWORD: PASSWORD }, 'BW_USERNAME'],
      [{ BW_CLIENT_ID: 'cid' }, 'BW_CLIENT_SECRET'],
      [{ BW_CLIENT_SECRET: CLIENT_SECRET, BW_TOKEN: TOKEN }, 'BW_CLIENT_ID'],
      [{}, 'BW_TOKEN'],
      [{ BW_TOKEN: '  ' }, 'BW_USERNAME'],
    ];
    for (const [env, name] of cases) {
      const err = (() => {
        try {
          authFromEnv(env);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('CONFIG_MISSING_CREDENTIALS');
      expect((err as Error).message).toContain(name);
      for (const secret of [PASSWORD, CLIENT_SECRET, TOKEN, 'someone']) expect((err as Error).message).not.toContain(secret);
    }
  });

  it('refuses an insecure token URL', () => {
    expect(() => authFromEnv({ BW_CLIENT_ID: 'c', BW_CLIENT_SECRET: 's' }, 'http://auth.example.com/token')).toThrow(expect.objectContaining({ code: 'CONFIG_INSECURE_URL' }));
  });
});

describe('https only, except loopback', () => {
  it('accepts https anywhere and http on loopback only', () => {
    for (const ok of ['https://dashboard.bandwidth.com/api', 'http://127.0.0.1:8080/api', 'http://127.5.6.7', 'http://localhost:3000', 'http://[::1]:9000/x']) {
      expect(checkedUrl(ok).href).toBeTruthy();
    }
    for (const bad of ['http://dashboard.bandwidth.com/api', 'http://127.evil.com', 'http://10.0.0.1', 'ftp://127.0.0.1', 'http://[::2]/', 'file:///etc/passwd']) {
      expect(() => checkedUrl(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INSECURE_URL' }));
    }
    expect(() => checkedUrl('not a url')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID_URL' }));
    expect(() => checkedUrl(`https://user:${PASSWORD}@example.com`)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID_URL' }));
    try {
      checkedUrl(`https://user:${PASSWORD}@example.com`);
    } catch (e) {
      expect((e as Error).message).not.toContain(PASSWORD);
    }
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('the OAuth2 token answer', () => {
  // What the token answer was checked with before zod left the start of every command: the same
  // answers must be taken, with the same values.
  const zodTokenAnswer = z.looseObject({ access_token: z.string().min(1), expires_in: z.coerce.number().positive().optional() });
  const asZodReads = (body: string) => {
    try {
      const parsed = zodTokenAnswer.parse(JSON.parse(body));
      return { accessToken: parsed.access_token, expiresIn: parsed.expires_in };
    } catch {
      return undefined;
    }
  };

  it('takes an access_token and a positive expires_in (a string of digits too), and nothing else', () => {
    expect(readTokenAnswer('{"access_token":"abc","expires_in":3600,"token_type":"Bearer"}')).toEqual({ accessToken: 'abc', expiresIn: 3600 });
    expect(readTokenAnswer('{"access_token":"abc","expires_in":"60"}')).toEqual({ accessToken: 'abc', expiresIn: 60 });
    expect(readTokenAnswer('{"access_token":"abc"}')).toEqual({ accessToken: 'abc', expiresIn: undefined });
    for (const refused of ['{"access_token":""}', '{"expires_in":60}', '{"access_token":"a","expires_in":0}', '{"access_token":"a","expires_in":null}', '[]', 'null', 'not json']) {
      expect(readTokenAnswer(refused)).toBeUndefined();
    }
  });

  it('reads every answer as the zod schema did', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
    const answer = fc.oneof(
      fc.record({ access_token: value, expires_in: value }, { requiredKeys: [] }),
      fc.record({ access_token: fc.string({ minLength: 1 }), expires_in: fc.oneof(fc.integer(), fc.string(), fc.constant(undefined)) }),
      value,
    );
    fc.assert(
      fc.property(answer, (a) => {
        const body = JSON.stringify(a) ?? '';
        expect(readTokenAnswer(body)).toEqual(asZodReads(body));
      }),
      { numRuns: 500 },
    );
  });
});
