// Rows whose outcome is known at planning (UNCHANGED, INVALID, kept REJECTED ...) leave memory at
// once: they are appended to a spill file beside the result, and read back in order when the result
// is written, interleaved with the rows the run sent. A nightly rerun of 100k unchanged rows then
// holds none of them while it runs. The spill holds customer data: it is created readable by its
// owner only and removed when the result is written or the run fails.

import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ResultRow } from '../output/result.js';
import type { Summary } from '../output/summary.js';
import type { ResultWriter } from '../output/writer.js';
import type { RunRow } from './context.js';
import { outcomeOf, resultRow, type Outcome } from './outcome.js';

/** A row that waits on the API, with its position in the input for the merge with spilled rows. */
export type KeptRow = RunRow & { readonly index: number };

/** The outcomes the stages settled, by row. */
type Outcomes = ReadonlyMap<RunRow, Outcome>;

/** No outcomes: the rows final at planning carry their own. */
const NONE: Outcomes = new Map();

/** Where rows final at planning go: their input position, and whether an earlier row still waits on the API. */
export interface FinalRows {
  add(index: number, row: RunRow, earlierRowsWait: boolean): void;
  /** Keeps the cells of a row that waits on the API (needed only for the result); returns what the row keeps instead. */
  park(index: number, cells: readonly string[]): readonly string[];
  /** Called after each batch of input rows. */
  flush(): Promise<void>;
}

/**
 * The result file, filled as rows become final: rows before the first one that waits on the API
 * are written at once; those after it go to the spill and are merged back in order at the end.
 */
export class ResultFlow implements FinalRows {
  private direct: ResultRow[] = [];

  constructor(
    private readonly writer: ResultWriter,
    private readonly spill: RowSpill,
    private readonly summary: Summary,
    /** Called once, when the first row that waits on the API is kept. */
    private onFirstWait?: () => void,
  ) {}

  add(index: number, row: RunRow, earlierRowsWait: boolean): void {
    if (earlierRowsWait) {
      this.spill.add(index, row);
      return;
    }
    const r = resultRow(row, outcomeOf(row, NONE));
    this.summary.add(r.status, r.action, r.errorCode, r.line, r.errorMessage);
    this.direct.push(r);
  }

  park(index: number, cells: readonly string[]): readonly string[] {
    if (this.onFirstWait !== undefined) {
      this.onFirstWait();
      this.onFirstWait = undefined;
    }
    return this.spill.park(index, cells);
  }

  async flush(): Promise<void> {
    this.spill.flush();
    if (this.direct.length === 0) return;
    const rows = this.direct;
    this.direct = [];
    await this.writer.write(rows);
  }

  /** Writes the rest: the spilled rows merged with those that waited (settled with `outcomes`), then the rows with no input position. */
  async finish(kept: readonly KeptRow[], after: readonly RunRow[], outcomes: Outcomes): Promise<void> {
    await this.flush();
    for await (const batch of this.spill.merged(kept, after, outcomes)) {
      for (const r of batch) this.summary.add(r.status, r.action, r.errorCode, r.line, r.errorMessage);
      await this.writer.write(batch);
    }
  }

  remove(): void {
    this.spill.remove();
  }
}

/** The cells of a row kept in memory without them: the row as a waiting row sees it. */
export const PARKED: readonly string[] = Object.freeze([]);

/** The cells of a row that waits on the API, by its input position; its outcome comes from memory. */
type Parked = [index: number, cells: readonly string[]];

/** A result row, as written to and read from the spill: one JSON array per line. */
type Spilled = [
  index: number,
  line: number,
  cells: readonly string[],
  action: string,
  status: string,
  errorCode: string,
  errorMessage: string,
  warnings: string,
  addressRef: string,
  orderId: string,
  stdAddress: string,
  changes: string,
];

const fromSpilled = (s: Spilled): ResultRow => ({
  line: s[1],
  cells: s[2],
  action: s[3] as ResultRow['action'],
  status: s[4] as ResultRow['status'],
  errorCode: s[5],
  errorMessage: s[6],
  warnings: s[7],
  addressRef: s[8],
  orderId: s[9],
  stdAddress: s[10],
  changes: s[11],
});

export class RowSpill {
  private readonly fd: number;
  private buffer = '';
  private closed = false;
  count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  /** Appends a final row; `index` is its position in the input. */
  add(index: number, row: RunRow): void {
    const r = resultRow(row, outcomeOf(row, NONE));
    const item: Spilled = [index, r.line, r.cells, r.action, r.status, r.errorCode, r.errorMessage, r.warnings, r.addressRef, r.orderId, r.stdAddress, r.changes];
    this.append(item);
    this.count++;
  }

  /**
   * Writes the cells of a row that waits on the API (a 100k-row migration holds none of them
   * while it runs); `merged` gives them back to the row by its input position.
   */
  park(index: number, cells: readonly string[]): readonly string[] {
    const item: Parked = [index, cells];
    this.append(item);
    return PARKED;
  }

  private append(item: Spilled | Parked): void {
    this.buffer += `${JSON.stringify(item)}\n`;
    if (this.buffer.length > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer === '') return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  /**
   * Every row in input order: the spilled ones merged with `kept` (rows still in memory, each with
   * its input position, in input order; a parked row gets its cells back), then `after` (rows with
   * no input position), in batches; the rows in memory are settled with `outcomes`.
   */
  async *merged(kept: readonly KeptRow[], after: readonly RunRow[], outcomes: Outcomes, batch = 2000): AsyncGenerator<ResultRow[]> {
    this.flush();
    this.close();
    const toResult = (r: RunRow): ResultRow => resultRow(r, outcomeOf(r, outcomes));
    let out: ResultRow[] = [];
    let k = 0;
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const text of lines) {
      if (text === '') continue;
      const s = JSON.parse(text) as Spilled | Parked;
      while (k < kept.length && kept[k]!.index < s[0]) out.push(toResult(kept[k++]!));
      if (s.length === 2) {
        const waited = kept[k++];
        if (waited?.index !== s[0]) throw new Error(`spill: the cells of input row ${s[0]} have no row in memory`);
        out.push(resultRow({ line: waited.line, cells: s[1], plan: waited.plan }, outcomeOf(waited, outcomes)));
      } else out.push(fromSpilled(s));
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
    while (k < kept.length) out.push(toResult(kept[k++]!));
    for (const r of after) out.push(toResult(r));
    if (out.length > 0) yield out;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}
