/**
 * Every failure the transport or a client can raise, each with a stable `code` to branch on
 * (never the message). Messages name the route and the status, never a credential.
 */

export type ApiErrorCode =
  | 'AUTH_FAILED'
  | 'AMBIGUOUS_WRITE'
  | 'RETRIES_EXHAUSTED'
  | 'HTTP_ERROR'
  | 'NETWORK_ERROR'
  | 'RESPONSE_TOO_LARGE'
  | 'CONFIG_INSECURE_URL'
  | 'CONFIG_INVALID_URL'
  | 'CONFIG_MISSING_CREDENTIALS'
  | 'CONFIG_INVALID'
  | 'XML_UNSAFE'
  | 'BAD_RESPONSE'
  | 'API_MISCONFIGURED'
  | 'CLIENT_CLOSED';

/** One sentence for the user and what to do about it, next to each code (README lists them). */
export const API_ERROR_MESSAGES: Record<ApiErrorCode, { summary: string; action: string }> = {
  AUTH_FAILED: {
    summary: 'The API refused the credentials (401/403).',
    action: 'Check the BW_* variables (BW_USERNAME/BW_PASSWORD, BW_TOKEN or BW_CLIENT_ID/BW_CLIENT_SECRET) and --account: running again unchanged fails the same way.',
  },
  AMBIGUOUS_WRITE: {
    summary: 'A request that creates something was sent and no answer said whether it was made (row PENDING).',
    action: 'Run `esprov reconcile` or the same file again: the order is looked up, not sent again.',
  },
  RETRIES_EXHAUSTED: {
    summary: 'The API kept failing (rate limit, server error or network) after every retry.',
    action: 'A passing fault: run the same file again later; nothing already provisioned is sent twice.',
  },
  HTTP_ERROR: {
    summary: 'The API refused the request.',
    action: "Read the API's own code and description in the error; fix the data and run again.",
  },
  NETWORK_ERROR: {
    summary: 'The API could not be reached (TLS or network failure that retrying cannot fix).',
    action: 'Check the base URL, proxy and certificates.',
  },
  RESPONSE_TOO_LARGE: {
    summary: 'The API answered with a body larger than the configured limit.',
    action: 'Check the base URL points at the API; raise the limit only if the answer is expected.',
  },
  CONFIG_INSECURE_URL: {
    summary: 'Only https:// URLs are allowed (http:// only on loopback, for the sandbox).',
    action: 'Use an https:// base URL.',
  },
  CONFIG_INVALID_URL: { summary: 'The URL cannot be parsed.', action: 'Fix --base-url.' },
  CONFIG_MISSING_CREDENTIALS: {
    summary: 'No complete set of credentials in the environment.',
    action: 'Set BW_USERNAME and BW_PASSWORD, or BW_TOKEN, or BW_CLIENT_ID and BW_CLIENT_SECRET.',
  },
  CONFIG_INVALID: { summary: 'The API configuration is not valid.', action: 'Fix the named setting.' },
  XML_UNSAFE: {
    summary: 'The API answered with XML containing a DOCTYPE or ENTITY declaration, which is refused.',
    action: 'Check the base URL points at the Bandwidth API.',
  },
  BAD_RESPONSE: {
    summary: 'The API answered with a body esprov cannot read.',
    action: 'Run again; if it persists, report the route and status shown.',
  },
  API_MISCONFIGURED: {
    summary: "The answer is not the API's (a 404 without the API's error body or on a path every account has, HTML, the other profile's format): the base URL or the account id is wrong.",
    action: 'Check --base-url (the API root, e.g. https://dashboard.bandwidth.com/api for dlr, …/api/v2 for unified) and --account.',
  },
  CLIENT_CLOSED: { summary: 'The API client was closed.', action: 'This is a bug in esprov; report it.' },
};

export abstract class EsprovApiError extends Error {
  abstract readonly code: ApiErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ConfigError extends EsprovApiError {
  readonly code: 'CONFIG_INSECURE_URL' | 'CONFIG_INVALID_URL' | 'CONFIG_MISSING_CREDENTIALS' | 'CONFIG_INVALID';
  constructor(code: 'CONFIG_INSECURE_URL' | 'CONFIG_INVALID_URL' | 'CONFIG_MISSING_CREDENTIALS' | 'CONFIG_INVALID', message: string) {
    super(message);
    this.code = code;
  }
}

/** 401/403 that a token refresh did not cure: the run must stop (exit 2), not fail row by row. */
export class AuthError extends EsprovApiError {
  readonly code = 'AUTH_FAILED' as const;
  constructor(
    readonly status: number,
    readonly route: string,
    message?: string,
  ) {
    // 403 with credentials the API accepts elsewhere: most often an account id they may not use
    super(message ?? (status === 403 ? `${route} answered 403: the credentials may not use this account (check --account)` : `authentication failed: ${route} answered ${status}`));
  }
}

/**
 * A non-idempotent request was (maybe) delivered and no usable answer came back. Repeating it could
 * create a duplicate, so the caller must find out what happened (e.g. by CustomerOrderId).
 */
export class AmbiguousWriteError extends EsprovApiError {
  readonly code = 'AMBIGUOUS_WRITE' as const;
  constructor(
    readonly route: string,
    readonly reason: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`no definite answer to ${route} (${reason}); it may or may not have been applied`, options);
  }
}

export class RetriesExhaustedError extends EsprovApiError {
  readonly code = 'RETRIES_EXHAUSTED' as const;
  constructor(
    readonly route: string,
    readonly attempts: number,
    readonly status?: number,
    readonly apiCode?: string,
    readonly apiDescription?: string,
    options?: { cause?: unknown },
  ) {
    const what = status !== undefined ? `status ${status}${apiCode ? ` (${apiCode})` : ''}` : causeCode(options?.cause);
    super(`${route} still failing after ${attempts} attempt(s): ${what}`, options);
  }
}

/** The API answered with an error; `apiCode`/`apiDescription` are the API's own (DLR ErrorCode, unified errors[0].code). */
export class ApiError extends EsprovApiError {
  readonly code = 'HTTP_ERROR' as const;
  constructor(
    readonly status: number,
    readonly route: string,
    readonly apiCode?: string,
    readonly apiDescription?: string,
  ) {
    super(`${route} answered ${status}${apiCode ? ` code ${apiCode}` : ''}${apiDescription ? `: ${apiDescription}` : ''}`);
  }
}

export class NetworkError extends EsprovApiError {
  readonly code = 'NETWORK_ERROR' as const;
  constructor(
    readonly route: string,
    /** the underlying code: ECONNREFUSED, UND_ERR_SOCKET, TIMEOUT ... */
    readonly errno: string,
    /** not-sent: safe to repeat; maybe-sent: the server may have received it; fatal: do not retry */
    readonly delivery: 'not-sent' | 'maybe-sent' | 'fatal',
    options?: { cause?: unknown },
  ) {
    super(`${route}: network failure ${errno}`, options);
  }
}

export class ResponseTooLargeError extends EsprovApiError {
  readonly code = 'RESPONSE_TOO_LARGE' as const;
  constructor(
    readonly route: string,
    readonly limitBytes: number,
  ) {
    super(`${route} answered with more than ${limitBytes} bytes`);
  }
}

export class XmlUnsafeError extends EsprovApiError {
  readonly code = 'XML_UNSAFE' as const;
  constructor(readonly route: string) {
    super(`${route} answered with a DOCTYPE or ENTITY declaration; refused`);
  }
}

export class BadResponseError extends EsprovApiError {
  readonly code = 'BAD_RESPONSE' as const;
  constructor(
    readonly route: string,
    readonly status: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${route} answered ${status} with an unreadable body: ${detail}`, options);
  }
}

/**
 * An answer that cannot come from the API for this account: a 404 with no API error body on an
 * account path, HTML, JSON for the XML profile, XML for the JSON one, a redirect. It is a
 * misconfiguration (base URL, account id), never data: the command stops (exit 2).
 */
export class MisconfiguredError extends EsprovApiError {
  readonly code = 'API_MISCONFIGURED' as const;
  constructor(
    readonly route: string,
    readonly status: number,
    readonly detail: string,
    where: { baseUrl: string; accountId: string },
  ) {
    super(`${route} answered ${status} with ${detail}, not the API's answer: check --base-url ${where.baseUrl} (the API root) and --account ${where.accountId}`);
  }
}

export class ClientClosedError extends EsprovApiError {
  readonly code = 'CLIENT_CLOSED' as const;
  constructor() {
    super('the API client is closed');
  }
}

function causeCode(cause: unknown): string {
  if (cause instanceof NetworkError) return cause.errno;
  if (cause instanceof Error) return (cause as { code?: string }).code ?? cause.name;
  return 'unknown failure';
}

export function isApiErrorCode(err: unknown, code: ApiErrorCode): boolean {
  return err instanceof EsprovApiError && err.code === code;
}
