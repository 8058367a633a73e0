import { isIP } from 'node:net';
import { ConfigError } from './errors.js';

/** 127.0.0.0/8, ::1 (and its IPv4-mapped forms) and localhost: the only hosts plain http may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped?.[1]) return mapped[1].split('.')[0] === '127';
    return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
  }
  return false;
}

/**
 * Parses a base (or token) URL and refuses anything but https, except http on loopback (the
 * sandbox). Credentials in the URL are refused too: they would end up in logs.
 */
export function checkedUrl(raw: string, what = 'base URL'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('CONFIG_INVALID_URL', `the ${what} is not a valid URL`);
  }
  if (url.username || url.password) {
    throw new ConfigError('CONFIG_INVALID_URL', `the ${what} must not contain credentials`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new ConfigError('CONFIG_INSECURE_URL', `the ${what} ${url.protocol}//${url.host} is not allowed: use https:// (http:// only on loopback)`);
}

/** base + path segments + query; `path` starts with `/` and its variable parts are already encoded. */
export function joinUrl(base: URL, path: string, query?: Record<string, string | number | undefined>): URL {
  const url = new URL(base.href);
  url.pathname = base.pathname.replace(/\/+$/, '') + path;
  url.search = '';
  url.hash = '';
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}
