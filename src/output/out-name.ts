// {date} and {runId} in the names of the files a command writes (--out, --errors-out,
// --summary-json), so that a nightly job keeps each night's result: expanded once, as the
// configuration is read, so the writability check, the refusal and the summary all see the name
// that is written. A brace esprov does not know is refused, never left in a file's name.

import { randomUUID } from 'node:crypto';
import { UsageError } from '../exit-codes.js';

/** What names one run: its id and the time it started (ms since the epoch). */
export interface RunStamp {
  readonly runId: string;
  readonly startedAt: number;
}

export const newStamp = (): RunStamp => ({ runId: randomUUID(), startedAt: Date.now() });

const two = (n: number): string => String(n).padStart(2, '0');

/** The local date of a time, YYYY-MM-DD. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

const PLACEHOLDER = /\{(date|runid)\}/gi;
/** What is left of a brace after the known placeholders: "{foo}", or a brace and the rest of the name. */
const UNKNOWN = /\{[^{}]*\}|[{}][^{}]*/;

/** The path with its placeholders filled in, or an OUT_INVALID refusal naming the flag and the placeholder. */
export function expandOutName(flag: string, path: string, stamp: RunStamp): string {
  const expanded = path.replace(PLACEHOLDER, (_, name: string) => (name.toLowerCase() === 'date' ? localDate(stamp.startedAt) : stamp.runId));
  const unknown = UNKNOWN.exec(expanded);
  if (unknown === null) return expanded;
  throw new UsageError(
    'OUT_INVALID',
    `${flag} ${path}: ${unknown[0]} is not a placeholder esprov knows; use {date} (the run's start date, YYYY-MM-DD) or {runId} (the run id), or leave the braces out. Nothing was sent.`,
  );
}

/** The expanded path, or undefined when it holds a placeholder esprov does not know. */
export function tryExpandOutName(path: string, stamp: RunStamp): string | undefined {
  try {
    return expandOutName('', path, stamp);
  } catch {
    return undefined;
  }
}
