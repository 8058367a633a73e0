// Exit codes (SPEC §2).
export const EXIT = {
  /** Every row SUCCESS, UNCHANGED or DELETED (check: every row VALID). */
  OK: 0,
  /** Some row INVALID, REJECTED or FAILED. */
  ROWS_FAILED: 1,
  /** Usage, configuration, unreadable input or authentication error. */
  USAGE: 2,
  /** Rows left PENDING and none failed. */
  PENDING: 3,
  /** Stopped by SIGINT (Ctrl-C): the result was written, unfinished rows PENDING. */
  SIGINT: 130,
  /** Stopped by SIGTERM (a cron timeout, a service stop): the result was written, unfinished rows PENDING. */
  SIGTERM: 143,
  /** The reader of standard output went away (`esprov --help | head`): ended quietly, as SIGPIPE would end it. */
  BROKEN_PIPE: 141,
} as const;

/** A problem that stops the command before or instead of producing results (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API refused the credentials (401/403): the command stops at once, saying what `what` left undone. */
export function authFailed(detail: string, what: string): UsageError {
  return new UsageError('AUTH_FAILED', `the API refused the credentials (${detail}); ${what}. Check BW_USERNAME/BW_PASSWORD, BW_TOKEN or BW_CLIENT_ID/BW_CLIENT_SECRET and the account id.`);
}
