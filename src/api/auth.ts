import { AuthError, BadResponseError, ConfigError } from './errors.js';
import { checkedUrl } from './url.js';
import type { ApiResponse, Clock, Send } from './types.js';

export type AuthConfig = { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'oauth2'; clientId: string; clientSecret: string; tokenUrl: string };

/** Bandwidth's OAuth2 token endpoint (ruby-bandwidth-iris, see reference/api-notes.md §1.1). */
export const DEFAULT_TOKEN_URL = 'https://api.bandwidth.com/api/v1/oauth2/token';

/** Secret fields are made non-enumerable, so a config object printed or logged whole does not show them. */
function hideSecrets<T extends object>(config: T, keys: readonly string[]): T {
  for (const key of keys) {
    const value = (config as Record<string, unknown>)[key];
    Object.defineProperty(config, key, { value, enumerable: false, writable: false });
  }
  return config;
}

/**
 * Credentials from the environment: BW_CLIENT_ID + BW_CLIENT_SECRET (OAuth2 client credentials),
 * else BW_TOKEN (Bearer), else BW_USERNAME + BW_PASSWORD (Basic). A pair set by half is an error
 * that names the missing variable; values are never printed.
 */
export function authFromEnv(env: NodeJS.ProcessEnv, tokenUrl: string = DEFAULT_TOKEN_URL): AuthConfig {
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value !== undefined && value.trim() !== '' ? value : undefined;
  };
  const half = (a: string, b: string): void => {
    if (Boolean(get(a)) !== Boolean(get(b))) {
      const missing = get(a) ? b : a;
      throw new ConfigError('CONFIG_MISSING_CREDENTIALS', `${missing} is not set (it goes with ${get(a) ? a : b})`);
    }
  };
  half('BW_CLIENT_ID', 'BW_CLIENT_SECRET');
  half('BW_USERNAME', 'BW_PASSWORD');
  const clientId = get('BW_CLIENT_ID');
  const clientSecret = get('BW_CLIENT_SECRET');
  if (clientId && clientSecret) {
    checkedUrl(tokenUrl, 'OAuth2 token URL');
    return hideSecrets({ kind: 'oauth2', clientId, clientSecret, tokenUrl }, ['clientSecret']);
  }
  const token = get('BW_TOKEN');
  if (token) return hideSecrets({ kind: 'bearer', token }, ['token']);
  const username = get('BW_USERNAME');
  const password = get('BW_PASSWORD');
  if (username && password) return hideSecrets({ kind: 'basic', username, password }, ['password']);
  throw new ConfigError('CONFIG_MISSING_CREDENTIALS', 'no credentials: set BW_USERNAME and BW_PASSWORD, or BW_TOKEN, or BW_CLIENT_ID and BW_CLIENT_SECRET');
}

export interface AuthProvider {
  /** the Authorization header value to send now */
  header(): Promise<string>;
  /** a fresh header after a 401 answered `stale`; undefined when these credentials cannot be renewed */
  refresh(stale: string): Promise<string | undefined>;
}

function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')}`;
}

class StaticAuth implements AuthProvider {
  constructor(private readonly value: string) {}
  header(): Promise<string> {
    return Promise.resolve(this.value);
  }
  refresh(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}

/**
 * The fields of a token answer esprov reads (RFC 6749 §5.1): a non-empty access_token, and
 * expires_in as a positive number of seconds (a string of digits too); undefined when unusable.
 */
export function readTokenAnswer(body: string): { accessToken: string; expiresIn: number | undefined } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { access_token: accessToken, expires_in: expires } = json as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  if (expires === undefined) return { accessToken, expiresIn: undefined };
  const expiresIn = Number(expires);
  return Number.isFinite(expiresIn) && expiresIn > 0 ? { accessToken, expiresIn } : undefined;
}

const TOKEN_ROUTE = '/oauth2/token';

/**
 * OAuth2 client credentials: the token is cached and renewed 60 s before it expires (half its
 * lifetime for tokens shorter than two minutes); concurrent callers share one fetch.
 */
export class OAuthTokenProvider implements AuthProvider {
  private current: { header: string; renewAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private readonly tokenUrl: URL;

  constructor(
    private readonly config: Extract<AuthConfig, { kind: 'oauth2' }>,
    private readonly send: Send,
    private readonly clock: Clock,
  ) {
    this.tokenUrl = checkedUrl(config.tokenUrl, 'OAuth2 token URL');
  }

  header(): Promise<string> {
    if (this.current && this.clock.now() < this.current.renewAt) return Promise.resolve(this.current.header);
    return this.fetchShared();
  }

  refresh(stale: string): Promise<string | undefined> {
    if (this.current && this.current.header !== stale && this.clock.now() < this.current.renewAt) {
      return Promise.resolve(this.current.header); // someone else already renewed it
    }
    if (this.current?.header === stale) this.current = undefined;
    return this.fetchShared();
  }

  private fetchShared(): Promise<string> {
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const res: ApiResponse = await this.send({
      method: 'POST',
      url: this.tokenUrl,
      route: TOKEN_ROUTE,
      kind: 'token',
      group: 'read',
      idempotent: true,
      headers: {
        authorization: basic(this.config.clientId, this.config.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    if (res.status < 200 || res.status >= 300) {
      throw new AuthError(res.status, TOKEN_ROUTE, `OAuth2 token request refused with status ${res.status}`);
    }
    const parsed = readTokenAnswer(res.body);
    if (parsed === undefined) throw new BadResponseError(TOKEN_ROUTE, res.status, 'no access_token in the token answer');
    const lifetimeS = parsed.expiresIn ?? 300;
    const marginS = Math.min(60, lifetimeS / 2);
    const header = `Bearer ${parsed.accessToken}`;
    this.current = { header, renewAt: this.clock.now() + (lifetimeS - marginS) * 1000 };
    return header;
  }
}

export function authProvider(config: AuthConfig, tokenSend: Send, clock: Clock): AuthProvider {
  switch (config.kind) {
    case 'basic':
      return new StaticAuth(basic(config.username, config.password));
    case 'bearer':
      return new StaticAuth(`Bearer ${config.token}`);
    case 'oauth2':
      return new OAuthTokenProvider(config, tokenSend, clock);
  }
}

/**
 * Transport layer: adds the Authorization header; a 401 triggers at most one token renewal and one
 * resend (a 401 means nothing was processed); a 401/403 that persists is fatal, and every later
 * call fails at once with the same AuthError instead of hammering the API with bad credentials.
 */
export function withAuth(send: Send, provider: AuthProvider): Send {
  let fatal: AuthError | undefined;
  const latch = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((err: unknown) => {
      if (err instanceof AuthError) fatal ??= err; // a refused token request is as final as a 401
      throw err;
    });
  return async (req) => {
    if (fatal) throw fatal;
    const header = await latch(provider.header());
    let res = await send({ ...req, headers: { ...req.headers, authorization: header } });
    if (res.status === 401) {
      const renewed = await latch(provider.refresh(header));
      if (renewed !== undefined) res = await send({ ...req, headers: { ...req.headers, authorization: renewed } });
    }
    if (res.status === 401 || res.status === 403) {
      fatal ??= new AuthError(res.status, req.route);
      throw fatal;
    }
    return res;
  };
}
