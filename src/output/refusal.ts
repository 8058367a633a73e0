// Every error that stops a command reaches the user the same way: one line `esprov: <message>
// [CODE]` on standard error, exit code 2, and (with --summary-json) a summary saying so, so a
// nightly job never reads yesterday's summary as today's. Never a stack trace.

import { EXIT } from '../exit-codes.js';
import type { StopCode } from '../rules/codes.js';
import type { RunStamp } from './out-name.js';
import { Summary, writeSummaryJson } from './summary.js';

export interface Refusal {
  /** One of STOP_CODES, or the code of the error (a UsageError's, an input or API error's). */
  readonly code: StopCode | (string & {});
  readonly message: string;
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is under a file, not a folder',
  EISDIR: 'is a folder',
  EROFS: 'is on a read-only file system',
  EEXIST: 'exists and is not a folder',
  EACCES: 'is not accessible to this user',
  EPERM: 'is not accessible to this user',
  ENOSPC: 'is on a full disk',
  EDQUOT: 'is over the disk quota',
};

/** The code and sentence of an error; one that carries no code of ours is a file error or an internal one. */
export function refusalOf(err: unknown): Refusal {
  if (!(err instanceof Error)) return { code: 'INTERNAL_ERROR', message: `unexpected error: ${String(err)}` };
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code) && !e.code.startsWith('ERR_') && e.syscall === undefined) return { code: e.code, message: e.message };
  if (e.syscall !== undefined && e.path !== undefined) {
    return { code: 'FILE_ERROR', message: `${e.path} ${FILE_ERRORS[e.code ?? ''] ?? `cannot be used (${e.code ?? e.message})`} (${e.syscall}): check the path and run again.` };
  }
  return { code: 'INTERNAL_ERROR', message: `unexpected error: ${e.message}` };
}

/** One line for standard error. */
export function refusalLine(r: Refusal): string {
  return `esprov: ${r.message} [${r.code}]\n`;
}

/**
 * The summary of a command that stopped with exit 2, naming the run (its id, start and state store)
 * as a finished one does; a summary that cannot be written is left as it is.
 */
export async function writeRefusalSummary(path: string, command: string, input: string, output: string, r: Refusal, run?: RunStamp & { readonly state?: string | undefined }): Promise<void> {
  const summary = new Summary(Date.now, run?.startedAt);
  summary.runId = run?.runId;
  summary.state = run?.state;
  try {
    await writeSummaryJson(path, { ...summary.toJson(command, input, output, EXIT.USAGE), error: { code: r.code, message: r.message } });
  } catch {
    // The refusal itself (often: this very path) is already on standard error.
  }
}
