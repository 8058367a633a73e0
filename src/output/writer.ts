// Writes the result file to a temporary name and renames it when complete, so a crash never
// leaves half a result. CSV is UTF-8 with a BOM (Excel reads it right) unless --no-bom; .xlsx by
// extension. With --errors-out, a second file holds only the rows that need a person, their
// original columns first, so that it can be fixed and fed back in. A spreadsheet is the support
// view (SPEC §5): the row's key, status, code and message first, the other columns after them.

import { extname, resolve } from 'node:path';
import { once } from 'node:events';
import { UsageError } from '../exit-codes.js';
import type { Profile } from '../rules/types.js';
import { neutralizeFormula } from './cells.js';
import { NEEDS_ATTENTION, RESULT_COLUMNS, lineText, resultCells, resultColumns, type ResultRow } from './result.js';
import type { SummaryJson } from './summary.js';
import { TempFile } from './temp-file.js';
import { XlsxResultWriter, type XlsxSheetLayout } from './xlsx-writer.js';

export interface ResultWriter {
  /** Writes rows in the order given. */
  write(rows: readonly ResultRow[]): Promise<void>;
  /**
   * Finishes the file(s) and moves them into place. A spreadsheet result gets `summary` as its
   * 'Summary' sheet (without it, the counts of the rows written); CSV ignores it.
   */
  commit(summary?: SummaryJson): Promise<void>;
  /** Removes the temporary file(s). */
  abort(): Promise<void>;
}

export interface WriterOptions {
  readonly bom?: boolean;
  /** Also write the INVALID, REJECTED and FAILED rows here (.csv or .xlsx by extension). */
  readonly errorsOut?: string;
  /** The input column that holds the row's key (Identifier or PhoneNumber): first in a spreadsheet. */
  readonly key?: number;
}

/** The columns an errors-out file adds after the original ones. */
export const ERRORS_OUT_COLUMNS = ['result_row', 'result_status', 'result_error_code', 'result_error_message'] as const;

/** The input's own columns minus any earlier result columns (a result file fed back in). */
export function keptColumns(header: readonly string[], profile: Profile): number[] {
  void profile;
  return header.map((_, i) => i).filter((i) => !RESULT_COLUMNS.has(header[i] ?? ''));
}

/** The columns a support person reads first, after the row's key. */
const SUPPORT_FRONT = ['result_status', 'result_error_code', 'result_error_message'];

/**
 * The support view of a layout: the column at `key` (-1: none), then status, code and message,
 * frozen; the other columns follow in their order.
 */
export function supportView(layout: XlsxSheetLayout, key: number): XlsxSheetLayout {
  const front = [key, ...SUPPORT_FRONT.map((name) => layout.columns.indexOf(name))].filter((i) => i >= 0);
  const order = [...front, ...layout.columns.map((_, i) => i).filter((i) => !front.includes(i))];
  return {
    name: layout.name,
    columns: order.map((i) => layout.columns[i] ?? ''),
    line: (r) => {
      const cells = layout.line(r);
      return order.map((i) => cells[i] ?? '');
    },
    frozen: front.length,
  };
}

/** One file, finished in two steps so that two files can be moved into place together. */
interface FileWriter {
  write(rows: readonly ResultRow[]): Promise<void>;
  finish(summary?: SummaryJson | false): Promise<void>;
  publish(): Promise<void>;
  abort(): Promise<void>;
}

const isXlsx = (path: string): boolean => extname(path).toLowerCase() === '.xlsx';

/** `key`: the layout column of the row's key, which a spreadsheet shows first. */
async function openFile(path: string, layout: XlsxSheetLayout, bom: boolean, key: number): Promise<FileWriter> {
  const tmp = `${path}.${process.pid}.tmp`;
  if (isXlsx(path)) return XlsxResultWriter.open(path, tmp, supportView(layout, key));
  return new CsvResultWriter(path, tmp, layout, bom);
}

export async function openResultWriter(path: string, header: readonly string[], profile: Profile, options: WriterOptions = {}): Promise<ResultWriter> {
  const errorsOut = options.errorsOut;
  if (errorsOut !== undefined && resolve(errorsOut) === resolve(path)) {
    throw new UsageError('ERRORS_OUT_INVALID', `--errors-out ${errorsOut} is the result file itself: name another file.`);
  }
  const bom = options.bom ?? true;
  const kept = keptColumns(header, profile);
  const original = kept.map((i) => header[i] ?? '');
  const originalCells = (r: ResultRow): string[] => kept.map((i) => r.cells[i] ?? '');
  const key = kept.indexOf(options.key ?? -1);
  const main = await openFile(
    path,
    {
      name: 'Results',
      columns: [...original, ...resultColumns(profile)],
      line: (r) => [...originalCells(r), ...resultCells(r)],
    },
    bom,
    key,
  );
  if (errorsOut === undefined) return new SingleWriter(main);
  let errors: FileWriter;
  try {
    errors = await openFile(
      errorsOut,
      {
        name: 'Rows to fix',
        columns: [...original, ...ERRORS_OUT_COLUMNS],
        line: (r) => [...originalCells(r), lineText(r.line), r.status, r.errorCode, r.errorMessage],
      },
      bom,
      key,
    );
  } catch (err) {
    await main.abort();
    throw err;
  }
  return new WithErrorsWriter(main, errors);
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV line (RFC 4180 quoting, CRLF), every cell neutralized against formulas. Built by one
 * join: a flat string, where `+=` per cell made a tree of small strings to flatten again.
 */
export function csvLine(cells: readonly string[]): string {
  if (cells.length === 0) return '\r\n';
  const out = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const text = neutralizeFormula(cells[i] ?? '');
    out[i] = NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  out[cells.length - 1] += '\r\n';
  return out.join(',');
}

class SingleWriter implements ResultWriter {
  constructor(private readonly file: FileWriter) {}

  write(rows: readonly ResultRow[]): Promise<void> {
    return this.file.write(rows);
  }

  async commit(summary?: SummaryJson): Promise<void> {
    await this.file.finish(summary);
    await this.file.publish();
  }

  abort(): Promise<void> {
    return this.file.abort();
  }
}

/** The result file and the rows-to-fix file, moved into place only when both are complete. */
class WithErrorsWriter implements ResultWriter {
  constructor(
    private readonly main: FileWriter,
    private readonly errors: FileWriter,
  ) {}

  async write(rows: readonly ResultRow[]): Promise<void> {
    await this.main.write(rows);
    const attention = rows.filter((r) => NEEDS_ATTENTION.has(r.status));
    if (attention.length > 0) await this.errors.write(attention);
  }

  async commit(summary?: SummaryJson): Promise<void> {
    await this.main.finish(summary);
    // The rows-to-fix file is fed back in: its first sheet is all it needs.
    await this.errors.finish(false);
    await this.main.publish();
    await this.errors.publish();
  }

  async abort(): Promise<void> {
    await Promise.all([this.main.abort(), this.errors.abort()]);
  }
}

class CsvResultWriter implements FileWriter {
  private readonly file: TempFile;

  constructor(
    path: string,
    tmp: string,
    private readonly layout: XlsxSheetLayout,
    bom: boolean,
  ) {
    this.file = new TempFile(tmp, path);
    this.file.stream.write(`${bom ? '\ufeff' : ''}${csvLine(layout.columns)}`);
  }

  async write(rows: readonly ResultRow[]): Promise<void> {
    this.file.check();
    let chunk = '';
    for (const row of rows) chunk += csvLine(this.layout.line(row));
    if (!this.file.stream.write(chunk)) await once(this.file.stream, 'drain');
  }

  async finish(): Promise<void> {
    this.file.stream.end();
    await once(this.file.stream, 'close');
    this.file.check();
  }

  publish(): Promise<void> {
    return this.file.publish();
  }

  abort(): Promise<void> {
    return this.file.discard();
  }
}
