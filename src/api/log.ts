import { performance } from 'node:perf_hooks';
import { pino, type Logger } from 'pino';
import { EsprovApiError, NetworkError } from './errors.js';
import type { StatsRecorder } from './stats.js';
import type { Send } from './types.js';

/**
 * Paths censored in anything the API logger writes. The transport never logs headers or bodies in
 * the first place; this is the second line of defence.
 */
export const REDACT_PATHS = [
  'authorization',
  'Authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'auth',
  '*.auth',
];

/** The injected logger (or a silent one), as a child with our redaction applied. */
export function apiLogger(logger?: Logger): Logger {
  const base = logger ?? pino({ level: 'silent' });
  return base.child({ component: 'api' }, { redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } });
}

function statusKey(status: number): string {
  return status >= 400 ? String(status) : `${Math.floor(status / 100)}xx`;
}

/** Transport layer: one debug line and one stats count per attempt actually sent. */
export function withLogging(send: Send, logger: Logger, stats: StatsRecorder): Send {
  return async (req) => {
    const started = performance.now();
    stats.call(req.kind);
    const fields = { method: req.method, route: req.route, kind: req.kind, attempt: req.attempt ?? 1 };
    try {
      const res = await send(req);
      stats.outcome(statusKey(res.status));
      logger.debug({ ...fields, status: res.status, durationMs: Math.round(performance.now() - started) }, 'api call');
      return res;
    } catch (err) {
      const code = err instanceof NetworkError ? err.errno : err instanceof EsprovApiError ? err.code : 'ERROR';
      stats.outcome(code);
      logger.debug({ ...fields, error: code, durationMs: Math.round(performance.now() - started) }, 'api call failed');
      throw err;
    }
  };
}
