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
