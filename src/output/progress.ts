// What an operator sees while a run works: one line on standard error, redrawn in place, with the
// stage, count/total, rate and ETA, and what the run is waiting for (a 429 back-off, an order).
// Only on a terminal: a cron log or CI gets the plain `esprov: ...` notes and nothing else, and
// --quiet gets nothing. NO_COLOR (any value) or TERM=dumb turn colour off.

import { formatCount, formatDuration } from './summary.js';

export interface Progress {
  /** A new stage (e.g. "addresses", "orders"); `total` when the amount of work is known. */
  stage(name: string, total?: number): void;
  /** `n` more items of the current stage done (default 1); `part` names their kind ("location orders finished"). */
  tick(n?: number, part?: string): void;
  /** `n` more items (default 1) of kind `part` expected in the current stage: the stage then counts each kind done/expected. */
  expect(part: string, n?: number): void;
  /** What the run is waiting for (a 429 back-off, order polling); undefined when it no longer waits. */
  waiting(what: string | undefined): void;
  /** A message that stays: printed above the live line, or as a plain `esprov: ...` line. */
  note(message: string): void;
  /** Clears the live line; call before printing the summary. */
  done(): void;
}

export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressOptions {
  readonly stream: ProgressStream;
  readonly quiet: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** Fewest milliseconds between two redraws (at most ~10 a second). */
export const REDRAW_MS = 100;
/** Elapsed time and ETA move on even without ticks. */
const HEARTBEAT_MS = 1000;
/** The rate is measured over about this much recent time. */
const RATE_WINDOW_MS = 10_000;

const SGR = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  cyan: '\x1b[36m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  reset: '\x1b[0m',
} as const;
/** Back to the start of the line and erase it: a cursor movement, not a colour. */
const CLEAR_LINE = '\r\x1b[K';

export function createProgress(options: ProgressOptions): Progress {
  const env = options.env ?? process.env;
  if (options.quiet) return silentProgress;
  if (options.stream.isTTY !== true) return new PlainProgress(options.stream);
  const color = env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return new LiveProgress(options.stream, color, options.now ?? Date.now);
}

const silentProgress: Progress = {
  stage() {},
  tick() {},
  expect() {},
  waiting() {},
  note() {},
  done() {},
};

/** Not a terminal: only the notes, as `esprov: <message>` lines (what a log file wants). */
class PlainProgress implements Progress {
  constructor(private readonly stream: ProgressStream) {}
  stage(): void {}
  tick(): void {}
  expect(): void {}
  waiting(): void {}
  note(message: string): void {
    this.stream.write(`esprov: ${message}\n`);
  }
  done(): void {}
}

interface Sample {
  readonly at: number;
  readonly count: number;
}

/** Each kind of item of a stage: its label, how many are done and how many expected. */
export type StageParts = readonly (readonly [label: string, count: number, total: number])[];

/** Done/expected of each kind, for a stage that counts kinds: "location orders finished 13/13, endpoint orders finished 2/14". */
export const partsText = (parts: StageParts): string => parts.map(([label, count, total]) => `${label} ${formatCount(count)}/${formatCount(total)}`).join(', ');

/** Count/total (or each kind's), rate and ETA of the current stage, as text; pure, for tests and the live line. */
export function describeStage(s: { name: string; count: number; total: number | undefined; elapsedMs: number; ratePerSecond: number | undefined; waiting: string | undefined; parts?: StageParts }): {
  head: string;
  numbers: string;
  tail: string;
} {
  const parts: string[] = [];
  if (s.parts !== undefined && s.parts.length > 0) {
    parts.push(partsText(s.parts));
  } else if (s.total !== undefined && s.total > 0) {
    const pct = Math.min(100, Math.floor((s.count / s.total) * 100));
    parts.push(`${formatCount(s.count)}/${formatCount(s.total)}`, `${pct}%`);
  } else {
    parts.push(formatCount(s.count));
  }
  if (s.ratePerSecond !== undefined) {
    parts.push(`${s.ratePerSecond >= 10 ? Math.round(s.ratePerSecond) : Math.round(s.ratePerSecond * 10) / 10}/s`);
    if (s.total !== undefined && s.count < s.total && s.ratePerSecond > 0) {
      parts.push(`ETA ${formatDuration(Math.ceil((s.total - s.count) / s.ratePerSecond))}`);
    }
  }
  parts.push(`${formatDuration(Math.floor(s.elapsedMs / 1000))} elapsed`);
  return { head: s.name, numbers: parts.join('  '), tail: s.waiting === undefined ? '' : `waiting: ${s.waiting}` };
}

class LiveProgress implements Progress {
  private name: string | undefined;
  private total: number | undefined;
  private count = 0;
  /** Done and expected per kind, when the stage counts kinds (in the order they first appear). */
  private parts = new Map<string, { count: number; total: number }>();
  private stageStarted = 0;
  private samples: Sample[] = [];
  private waitingFor: string | undefined;
  private drawn = false;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private pending: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: ProgressStream,
    private readonly color: boolean,
    private readonly now: () => number,
  ) {}

  stage(name: string, total?: number): void {
    this.finishStage();
    this.name = name;
    this.total = total;
    this.count = 0;
    this.parts = new Map();
    this.stageStarted = this.now();
    this.samples = [{ at: this.stageStarted, count: 0 }];
    this.heartbeat ??= setInterval(() => this.draw(), HEARTBEAT_MS).unref();
    this.redraw();
  }

  tick(n = 1, part?: string): void {
    this.count += n;
    if (part !== undefined) this.part(part).count += n;
    this.redraw();
  }

  expect(part: string, n = 1): void {
    this.part(part).total += n;
    this.redraw();
  }

  private part(label: string): { count: number; total: number } {
    const known = this.parts.get(label);
    if (known !== undefined) return known;
    const p = { count: 0, total: 0 };
    this.parts.set(label, p);
    return p;
  }

  private partList(): StageParts {
    return [...this.parts].map(([label, p]) => [label, p.count, p.total] as const);
  }

  waiting(what: string | undefined): void {
    if (what === this.waitingFor) return;
    this.waitingFor = what;
    this.redraw();
  }

  note(message: string): void {
    this.clear();
    this.stream.write(`esprov: ${message}\n`);
    this.draw();
  }

  done(): void {
    this.finishStage();
    this.name = undefined;
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.clear();
  }

  /** The stage that ends leaves one line behind: what it did and how long it took. */
  private finishStage(): void {
    if (this.pending !== undefined) clearTimeout(this.pending);
    this.pending = undefined;
    if (this.name === undefined) return;
    this.clear();
    const elapsed = this.now() - this.stageStarted;
    const what = this.parts.size > 0 ? partsText(this.partList()) : this.total !== undefined ? `${formatCount(this.count)}/${formatCount(this.total)}` : formatCount(this.count);
    const rate = elapsed >= 1000 && this.count > 0 ? `, ${Math.round((this.count / elapsed) * 1000)}/s` : '';
    this.stream.write(`${this.paint('green', '✓')} ${this.name}${this.parts.size > 0 ? ':' : ''} ${what} in ${formatDuration(Math.round(elapsed / 100) / 10)}${rate}\n`);
    this.waitingFor = undefined;
  }

  /** Draws now if the last draw is old enough, else once when it is (never more than ~10/s). */
  private redraw(): void {
    const wait = this.lastDraw + REDRAW_MS - this.now();
    if (wait <= 0) {
      this.draw();
      return;
    }
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      this.draw();
    }, wait).unref();
  }

  private rate(at: number): number | undefined {
    while (this.samples.length > 1 && at - (this.samples[1]?.at ?? at) >= RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (last === undefined || at - last.at >= REDRAW_MS) this.samples.push({ at, count: this.count });
    if (first === undefined) return undefined;
    const span = at - first.at;
    // Under half a second is too short to say anything true.
    if (span < 500) return undefined;
    return ((this.count - first.count) / span) * 1000;
  }

  private draw(): void {
    if (this.name === undefined) return;
    const at = this.now();
    this.lastDraw = at;
    const d = describeStage({
      name: this.name,
      count: this.count,
      total: this.total,
      elapsedMs: at - this.stageStarted,
      ratePerSecond: this.rate(at),
      waiting: this.waitingFor,
      parts: this.partList(),
    });
    const columns = this.stream.columns ?? 0;
    const width = Math.max(20, (columns > 0 ? columns : 80) - 1);
    // Measured without colour codes; a line wider than the terminal would wrap and break \r.
    let plain = `${d.head}  ${d.numbers}${d.tail === '' ? '' : `  ${d.tail}`}`;
    let tail = d.tail;
    if (plain.length > width) {
      const room = width - (plain.length - tail.length);
      tail = room > 10 ? `${tail.slice(0, room - 1)}…` : '';
      plain = `${d.head}  ${d.numbers}${tail === '' ? '' : `  ${tail}`}`;
    }
    const line = plain.length > width ? plain.slice(0, width) : `${this.paint('cyan', d.head)}  ${d.numbers}${tail === '' ? '' : `  ${this.paint('yellow', tail)}`}`;
    this.stream.write(`${CLEAR_LINE}${line}`);
    this.drawn = true;
  }

  private clear(): void {
    if (!this.drawn) return;
    this.stream.write(CLEAR_LINE);
    this.drawn = false;
  }

  private paint(color: keyof typeof SGR, text: string): string {
    return this.color ? `${SGR[color]}${text}${SGR.reset}` : text;
  }
}
