// Authentication: HTTP Basic with the sandbox's username/password, Bearer with its static token
// or with a token issued by the OAuth2 client-credentials endpoint (POST /api/v1/oauth2/token).

import { timingSafeEqual } from 'node:crypto';
import { seededHex, type Random } from './rng.js';

export interface Credentials {
  username: string;
  password: string;
  token: string;
  /** Extra OAuth2 client accepted by the token endpoint besides username/password (env BW_CLIENT_ID/SECRET). */
  client?: { id: string; secret: string };
}

export const DEMO_CREDENTIALS = Object.freeze({ username: 'demo', password: 'demo-password', token: 'demo-token' } as const);

/**
 * Credentials given explicitly win; else those of the environment (BW_USERNAME, BW_PASSWORD,
 * BW_TOKEN, and BW_CLIENT_ID + BW_CLIENT_SECRET as an extra OAuth2 client); else the demo ones.
 */
export function resolveCredentials(given: Partial<Credentials> | undefined, env: NodeJS.ProcessEnv = process.env): Credentials {
  const credentials: Credentials = {
    username: given?.username ?? env.BW_USERNAME ?? DEMO_CREDENTIALS.username,
    password: given?.password ?? env.BW_PASSWORD ?? DEMO_CREDENTIALS.password,
    token: given?.token ?? env.BW_TOKEN ?? DEMO_CREDENTIALS.token,
  };
  if (given === undefined && env.BW_CLIENT_ID !== undefined && env.BW_CLIENT_SECRET !== undefined) {
    credentials.client = { id: env.BW_CLIENT_ID, secret: env.BW_CLIENT_SECRET };
  }
  return credentials;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Authenticator {
  private readonly basicHeader: string;
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly credentials: Credentials,
    private readonly random: Random,
    private readonly tokenTtlSeconds: number,
  ) {
    this.basicHeader = 'Basic ' + Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  }

  /** The user an Authorization header authenticates, or undefined. */
  check(header: string | undefined, now: number): string | undefined {
    if (header === undefined) return undefined;
    if (header === this.basicHeader) return this.credentials.username;
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0 && same(decoded.slice(0, colon), this.credentials.username) && same(decoded.slice(colon + 1), this.credentials.password)) {
        return this.credentials.username;
      }
      return undefined;
    }
    if (scheme === 'bearer') {
      if (same(value, this.credentials.token)) return this.credentials.username;
      const expires = this.tokens.get(value);
      if (expires !== undefined && expires > now) return this.credentials.username;
      if (expires !== undefined) this.tokens.delete(value);
    }
    return undefined;
  }

  /** Whether client id/secret are the sandbox's username/password (or its extra client), as sent or form-decoded. */
  checkClient(clientId: string, clientSecret: string): boolean {
    const pairs: [string, string][] = [[this.credentials.username, this.credentials.password]];
    if (this.credentials.client !== undefined) pairs.push([this.credentials.client.id, this.credentials.client.secret]);
    return pairs.some(([id, secret]) => (same(clientId, id) && same(clientSecret, secret)) || (same(formDecode(clientId), id) && same(formDecode(clientSecret), secret)));
  }

  issueToken(now: number): { access_token: string; token_type: 'Bearer'; expires_in: number } {
    const token = 'sbx.' + seededHex(this.random, 40);
    this.tokens.set(token, now + this.tokenTtlSeconds * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: this.tokenTtlSeconds };
  }
}

/** Client id and secret from a Basic header or from the form body (RFC 6749 §2.3.1 allows both). */
export function clientCredentials(header: string | undefined, form: URLSearchParams): { id: string; secret: string } | undefined {
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : undefined;
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
