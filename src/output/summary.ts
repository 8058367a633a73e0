// Counts for the end of a run: per status and action, the most frequent error codes with a sample
// row each, calls made, retries and 429s, time taken. Printed to standard error as a short table
// and, on request, written as JSON (the JSON only ever gains fields).

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ResultAction, RowStatus } from './result.js';

export interface TopError {
  code: string;
  count: number;
  /** The first row (input line number) with this code, and its message. */
  sampleRow: number;
  sampleMessage: string;
}

/** What the transport counted; `api.stats()` fits as it is. */
export interface ApiCallStats {
  /** Attempts sent, by kind (geocode, orderPost, orderGet ...). */
  readonly calls: Readonly<Record<string, number>>;
  /** Attempts repeated after a retryable failure. */
  readonly retries: number;
  /** 429 answers. */
  readonly throttled: number;
  /** Time spent waiting for the client-side rate limiter. */
  readonly rateLimitWaitMs: number;
  /** Time spent sleeping between retries (backoff, Retry-After). */
  readonly retryWaitMs?: number;
  /** The same two waits as wall-clock time (at least one request waiting), which is what a run's length shows. */
  readonly rateLimitWallMs?: number;
  readonly retryWallMs?: number;
}

export interface SummaryJson {
  readonly command: string;
  /** The input as given; `inputPath` is where it is. */
  readonly input: string;
  readonly output: string;
  readonly rows: number;
  readonly statuses: Record<string, number>;
  readonly actions: Record<string, number>;
  readonly topErrors: TopError[];
  readonly calls: Record<string, number>;
  readonly seconds: number;
  readonly exitCode: number;
  readonly runId?: string;
  readonly api?: {
    calls: Record<string, number>;
    totalCalls: number;
    retries: number;
    throttled: number;
    rateLimitWaitMs: number;
    retryWaitMs: number;
    rateLimitWallMs?: number;
    retryWallMs?: number;
  };
  /** The rows that need a person, when written apart (--errors-out). */
  readonly errorsOutput?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Input columns esprov does not read (kept verbatim in the result). */
  readonly unusedColumns?: string[];
  /** The input's absolute path ('-': standard input), so that two nights' files cannot be confused. */
  readonly inputPath?: string;
  /** The state store's absolute path: the one the run used, or the one check read. */
  readonly state?: string;
  /** Why the command stopped with exit 2 (a refusal, a bad flag, an unreadable input). */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Error codes the console table shows; the JSON lists every one. */
const TOP_ERRORS = 10;

export class Summary {
  private readonly statuses = new Map<string, number>();
  private readonly actions = new Map<string, number>();
  private readonly errors = new Map<string, { count: number; sampleRow: number; sampleMessage: string }>();
  private readonly now: () => number;
  private readonly started: number;
  private apiStats: ApiCallStats | undefined;
  rows = 0;
  /** Calls by kind; kept for callers that set it directly (retries and throttled keys are read too). */
  calls: Record<string, number> = {};
  runId: string | undefined;
  /** Where the rows needing attention were written (--errors-out). */
  errorsOutput: string | undefined;
  /** Input columns esprov does not read. */
  unusedColumns: string[] | undefined;
  /** The state store the command used or read. */
  state: string | undefined;

  /** `now` is for tests; `started`, when the command started (its RunStamp), if before now. */
  constructor(now: () => number = Date.now, started: number = now()) {
    this.now = now;
    this.started = started;
  }

  add(status: RowStatus, action: ResultAction, errorCode: string, line: number, message: string): void {
    this.rows++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    this.actions.set(action, (this.actions.get(action) ?? 0) + 1);
    // A SKIPPED row's code says why it holds no endpoint: not an error to count.
    if (errorCode !== '' && status !== 'SKIPPED') {
      const e = this.errors.get(errorCode);
      if (e === undefined) this.errors.set(errorCode, { count: 1, sampleRow: line, sampleMessage: message });
      else e.count++;
    }
  }

  count(status: RowStatus): number {
    return this.statuses.get(status) ?? 0;
  }

  /** The transport's counters, e.g. `summary.setApi(api.stats())`. */
  setApi(stats: ApiCallStats): void {
    this.apiStats = stats;
    this.calls = { ...stats.calls };
  }

  toJson(command: string, input: string, output: string, exitCode: number): SummaryJson {
    const finished = this.now();
    const api = this.apiJson();
    return {
      command,
      input,
      output,
      rows: this.rows,
      statuses: Object.fromEntries(this.statuses),
      actions: Object.fromEntries(this.actions),
      topErrors: [...this.errors.entries()].map(([code, e]) => ({ code, ...e })).sort((a, b) => b.count - a.count || a.sampleRow - b.sampleRow),
      calls: this.calls,
      seconds: Math.round((finished - this.started) / 100) / 10,
      exitCode,
      ...(this.runId !== undefined ? { runId: this.runId } : {}),
      ...(api !== undefined ? { api } : {}),
      ...(this.errorsOutput !== undefined ? { errorsOutput: this.errorsOutput } : {}),
      ...(this.unusedColumns !== undefined ? { unusedColumns: this.unusedColumns } : {}),
      ...(input !== '' ? { inputPath: input === '-' ? input : resolve(input) } : {}),
      ...(this.state !== undefined ? { state: resolve(this.state) } : {}),
      startedAt: new Date(this.started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
    };
  }

  private apiJson(): SummaryJson['api'] {
    if (this.apiStats !== undefined) {
      const s = this.apiStats;
      const calls = { ...s.calls };
      return {
        calls,
        totalCalls: sum(calls),
        retries: s.retries,
        throttled: s.throttled,
        rateLimitWaitMs: Math.round(s.rateLimitWaitMs),
        retryWaitMs: Math.round(s.retryWaitMs ?? 0),
        rateLimitWallMs: Math.round(s.rateLimitWallMs ?? s.rateLimitWaitMs),
        retryWallMs: Math.round(s.retryWallMs ?? s.retryWaitMs ?? 0),
      };
    }
    return undefined;
  }
}

/** Good outcomes first, then the ones waiting, then the ones that need a person. */
const STATUS_ORDER = ['SUCCESS', 'UNCHANGED', 'DELETED', 'VALID', 'PLANNED', 'PENDING', 'REJECTED', 'FAILED', 'INVALID', 'SKIPPED'];
const ACTION_ORDER = ['ADD', 'UPDATE', 'DELETE', 'NONE'];
/** Keys of `calls` that are counters rather than kinds of call (set by older callers). */
const NOT_A_CALL = new Set(['retries', 'throttled', 'rateLimitWaitMs', 'retryWaitMs', 'totalCalls']);
/** Lines an error's message may take in the summary; the rest is cut with "…" (the result has it whole). */
const MESSAGE_LINES = 3;
/** The message column is never narrower than this, whatever the terminal says. */
const MESSAGE_MIN_WIDTH = 20;
/** The width of a console that says none (a pipe, a cron log). */
const DEFAULT_WIDTH = 80;

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function ordered(counts: Readonly<Record<string, number>>, order: readonly string[]): [string, number][] {
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(counts).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.4s, 12.3s, 4m 05s, 1h 02m. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The columns the summary may use: the terminal's, else COLUMNS, else 80 (not a terminal, or no width known). */
export function terminalWidth(stream: { readonly isTTY?: boolean; readonly columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY === true && (stream.columns ?? 0) > 0) return stream.columns!;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_WIDTH;
}

/**
 * `text` on lines of at most `width` characters, broken between words; past `max` lines, the last
 * one ends in "…". A word longer than a line is broken where the line ends, or with `keepWords`
 * (a path to copy) kept whole on a line of its own.
 */
export function wrap(text: string, width: number, max = Number.POSITIVE_INFINITY, keepWords = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    for (; !keepWords && line.length > width; line = line.slice(width)) lines.push(line.slice(0, width));
  }
  if (line !== '') lines.push(line);
  if (lines.length <= max) return lines;
  const last = lines[max - 1]!;
  const space = last.lastIndexOf(' ');
  lines[max - 1] = last.length < width ? `${last}…` : `${last.slice(0, space > 0 ? space : width - 1)}…`;
  return lines.slice(0, max);
}

/** A note for standard error in lines of at most `width`, between words, continuation lines indented. */
export function fitNote(text: string, width: number): string {
  return wrap(text, Math.max(MESSAGE_MIN_WIDTH, width - 2), Number.POSITIVE_INFINITY, true)
    .map((l, i) => (i === 0 ? l : `  ${l}`))
    .join('\n');
}

/**
 * Lined-up `left` columns, each followed by its `text` wrapped to what the width leaves, continuation
 * lines under it. Without `max`, words are kept whole: one too long for the column (a result path)
 * moves left on a line of its own, as far as it must to fit the width.
 */
function withText(left: readonly string[], texts: readonly string[], width: number, max?: number): string[] {
  const indent = Math.max(...left.map((l) => l.length)) + 2;
  const room = Math.max(MESSAGE_MIN_WIDTH, width - indent);
  const under = (line: string): string => `${' '.repeat(line.length <= room ? indent : Math.max(0, Math.min(2, width - line.length)))}${line}`;
  return left.flatMap((l, i) => {
    const lines = wrap(texts[i] ?? '', room, max, max === undefined);
    const first = lines[0] ?? '';
    return first.length <= room ? [`${l.padEnd(indent)}${first}`.trimEnd(), ...lines.slice(1).map(under)] : [l.trimEnd(), ...lines.map(under)];
  });
}

/** The API counters of a summary, whether set with setApi or through `calls` directly. */
export function apiCounters(s: SummaryJson): { calls: [string, number][]; total: number; retries: number; throttled: number; rateLimitWaitMs: number; retryWaitMs: number } {
  const source = s.api?.calls ?? s.calls;
  const calls = Object.entries(source)
    .filter(([k, v]) => !NOT_A_CALL.has(k) && v > 0)
    .sort(([, a], [, b]) => b - a);
  return {
    calls,
    total: calls.reduce((a, [, v]) => a + v, 0),
    retries: s.api?.retries ?? s.calls.retries ?? 0,
    throttled: s.api?.throttled ?? s.calls.throttled ?? 0,
    // Wall-clock time, not the sum over concurrent requests (which can exceed the run's length).
    rateLimitWaitMs: s.api?.rateLimitWallMs ?? s.api?.rateLimitWaitMs ?? 0,
    retryWaitMs: s.api?.retryWallMs ?? s.api?.retryWaitMs ?? 0,
  };
}

/** Rows lined up in columns; `align` says, per column, left ('l') or right ('r'). */
function table(rows: readonly (readonly string[])[], align: string): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows.map((row) => `  ${row.map((cell, i) => (align[i] === 'r' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ')}`);
}

/** The summary as a short table for standard error, no line wider than `width` (see terminalWidth). */
export function renderSummary(s: SummaryJson, width = DEFAULT_WIDTH): string {
  const lines: string[] = [];
  lines.push(`esprov ${s.command}: ${formatCount(s.rows)} ${s.rows === 1 ? 'row' : 'rows'} in ${formatDuration(s.seconds)}, exit code ${s.exitCode}`);

  const statuses = ordered(s.statuses, STATUS_ORDER);
  const actions = ordered(s.actions, ACTION_ORDER);
  const grid: string[][] = [['status', 'rows', '', 'action', 'rows']];
  for (let i = 0; i < Math.max(statuses.length, actions.length); i++) {
    const st = statuses[i];
    const ac = actions[i];
    grid.push([st?.[0] ?? '', st === undefined ? '' : formatCount(st[1]), '', ac?.[0] ?? '', ac === undefined ? '' : formatCount(ac[1])]);
  }
  if (statuses.length === 0 && actions.length === 0) grid.push(['no rows', '', '', '', '']);
  lines.push(...table(grid, 'lr lr').map((l) => l.trimEnd()));

  if (s.topErrors.length > 0) {
    lines.push('');
    const shown = s.topErrors.slice(0, TOP_ERRORS);
    const left = table([['error code', 'rows', 'first row'], ...shown.map((e) => [e.code, formatCount(e.count), formatCount(e.sampleRow)])], 'lrr');
    lines.push(...withText(left, ['message', ...shown.map((e) => e.sampleMessage)], width, MESSAGE_LINES));
    const rest = s.topErrors.slice(TOP_ERRORS);
    if (rest.length > 0) {
      const more = `… and ${rest.length} more code(s) on ${formatCount(rest.reduce((n, e) => n + e.count, 0))} row(s): every code is in --summary-json and the result file`;
      lines.push(...withText([' '], [more], width));
    }
  }

  lines.push('');
  const api = apiCounters(s);
  const facts: string[][] = [];
  if (api.total > 0 || s.api !== undefined) {
    const kinds = api.calls.map(([k, v]) => `${k} ${formatCount(v)}`).join(', ');
    facts.push(['calls', `${formatCount(api.total)}${kinds === '' ? '' : ` (${kinds})`}`]);
    const waits: string[] = [];
    if (api.throttled > 0) waits.push(`${formatCount(api.throttled)} answered 429`);
    if (api.retryWaitMs > 0) waits.push(`${formatDuration(api.retryWaitMs / 1000)} backing off`);
    if (api.rateLimitWaitMs > 0) waits.push(`${formatDuration(api.rateLimitWaitMs / 1000)} waiting for the rate limit`);
    if (api.retries > 0 || waits.length > 0) facts.push(['retries', `${formatCount(api.retries)}${waits.length > 0 ? ` (${waits.join(', ')})` : ''}`]);
  }
  facts.push(['time', formatDuration(s.seconds)]);
  facts.push(['result', s.output]);
  if (s.errorsOutput !== undefined) facts.push(['to fix', s.errorsOutput]);
  if (s.runId !== undefined) facts.push(['run id', s.runId]);
  lines.push(
    ...withText(
      table(
        facts.map(([name]) => [name ?? '']),
        'l',
      ),
      facts.map(([, value]) => value ?? ''),
      width,
    ),
  );
  return `${lines.join('\n')}\n`;
}

export async function writeSummaryJson(path: string, s: SummaryJson): Promise<void> {
  await writeFile(path, `${JSON.stringify(s, null, 2)}\n`);
}
