// The result as a spreadsheet, streamed with exceljs: every cell is text (a ZIP or phone number
// is never turned into a number) but result_row, a number that sorts 2 before 10; the header and
// the layout's first columns are frozen, the header filterable with the result columns
// highlighted, each status cell coloured, messages wrapped, columns as wide as their first rows
// need; a second sheet 'Summary' holds the run's summary.

import type ExcelJS from 'exceljs';
import { CELL_FONT, neutralizeFormula } from './cells.js';
import { RESULT_COLUMNS, type ResultRow } from './result.js';
import { addSummarySheet } from './summary-sheet.js';
import { Summary, type SummaryJson } from './summary.js';
import { TempFile } from './temp-file.js';

export interface StatusStyle {
  readonly fill: string;
  readonly font: string;
}

const GOOD: StatusStyle = { fill: 'FFC6EFCE', font: 'FF006100' };
const BAD: StatusStyle = { fill: 'FFFFC7CE', font: 'FF9C0006' };
const WAITING: StatusStyle = { fill: 'FFFFEB9C', font: 'FF9C5700' };

/** Excel's own Good / Bad / Neutral colours. */
export const STATUS_STYLE: Readonly<Record<string, StatusStyle>> = {
  SUCCESS: GOOD,
  VALID: GOOD,
  UNCHANGED: GOOD,
  DELETED: GOOD,
  INVALID: BAD,
  REJECTED: BAD,
  FAILED: BAD,
  PENDING: WAITING,
  PLANNED: WAITING,
};

const RESULT_HEADER_FILL = 'FFDDEBF7';
/** Rows looked at to size the columns (the file is streamed, so only the first ones are known). */
const WIDTH_SAMPLE = 500;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/**
 * The message is frozen with the key, status and code: together they leave room to scroll on a
 * laptop. Warnings and changes, further right, are wide enough to keep most rows to two lines.
 */
const WIDE_COLUMNS: Readonly<Record<string, number>> = { result_error_message: 45, result_warnings: 70, result_changes: 70, result_std_address: 70 };
/** Sentences, wrapped in their column's width rather than cut off at its edge. */
const WRAPPED = new Set(['result_error_message', 'result_warnings', 'result_changes']);
/** A wrapped column is never narrower: the first rows may be short, and a long text later would be a sliver. */
const MIN_WRAPPED_WIDTH = 30;
/** Points per line of the default font (Excel's default row height). */
const LINE_HEIGHT = 15;
/**
 * The most lines a row grows to; a longer text shows whole in the cell's editor. Rows are given
 * the height of their longest wrapped text: neither Excel nor LibreOffice fits a row when it opens
 * a file, and LibreOffice draws wrapped text that does not fit over the rows below.
 */
const MAX_LINES = 8;

export interface XlsxSheetLayout {
  /** The sheet's name, e.g. 'Results'. */
  readonly name: string;
  readonly columns: readonly string[];
  /** The cells of one row, in column order. */
  readonly line: (r: ResultRow) => string[];
  /** How many columns stay in view while scrolling right (the support view's key, status, code, message). */
  readonly frozen?: number;
}

/** Column widths in characters from the header and the first rows, within sensible bounds. */
export function columnWidths(columns: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return columns.map((name, i) => {
    let widest = name.length;
    for (const row of rows) {
      for (const part of (row[i] ?? '').split(/\r?\n/)) widest = Math.max(widest, part.length);
    }
    return Math.max(WRAPPED.has(name) ? MIN_WRAPPED_WIDTH : MIN_WIDTH, Math.min(WIDE_COLUMNS[name] ?? MAX_WIDTH, widest + 2));
  });
}

/**
 * How many lines `text` takes wrapped at spaces in a column `width` characters wide. A little
 * generous: Excel's width unit is a digit, and most letters are narrower.
 */
export function wrappedLines(text: string, width: number): number {
  const room = Math.max(1, width - 1);
  let lines = 0;
  for (const paragraph of text.split(/\r?\n/)) {
    lines++;
    let used = -1;
    for (const word of paragraph.split(' ')) {
      if (used >= 0 && used + 1 + word.length > room) {
        lines++;
        used = -1;
      }
      used += 1 + word.length;
      // A word wider than the column breaks inside it.
      for (; used > room; used -= room) lines++;
    }
  }
  return lines;
}

export class XlsxResultWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;
  private readonly statusColumn: number;
  /** 0-based; the one cell written as a number. */
  private readonly rowColumn: number;
  /** 1-based. */
  private readonly wrapped: ReadonlySet<number>;
  private widths: number[] = [];
  private readonly file: TempFile;
  /** What was written, for a Summary sheet when the caller gives none. */
  private readonly tally = new Summary();
  private started = false;

  /** exceljs is loaded only when a spreadsheet is written. */
  static async open(path: string, tmp: string, layout: XlsxSheetLayout): Promise<XlsxResultWriter> {
    const { default: Excel } = await import('exceljs');
    return new XlsxResultWriter(Excel, path, tmp, layout);
  }

  private constructor(
    Excel: typeof ExcelJS,
    private readonly path: string,
    tmp: string,
    private readonly layout: XlsxSheetLayout,
  ) {
    this.file = new TempFile(tmp, path);
    this.workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: this.file.stream, useStyles: true, useSharedStrings: false });
    this.sheet = this.workbook.addWorksheet(layout.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: layout.frozen ?? 0, activeCell: 'A2' }] });
    this.sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: layout.columns.length } };
    this.statusColumn = layout.columns.indexOf('result_status') + 1;
    this.rowColumn = layout.columns.indexOf('result_row');
    this.wrapped = new Set(layout.columns.flatMap((name, i) => (WRAPPED.has(name) ? [i + 1] : [])));
  }

  /** Widths and the header go out before the first row, sized from the first rows. */
  private start(first: readonly string[][]): void {
    if (this.started) return;
    this.started = true;
    const { columns } = this.layout;
    this.widths = columnWidths(columns, first);
    this.widths.forEach((width, i) => {
      this.sheet.getColumn(i + 1).width = width;
    });
    const header = this.sheet.addRow([...columns]);
    header.font = { ...CELL_FONT, bold: true };
    header.eachCell((cell, c) => {
      cell.numFmt = '@';
      if (RESULT_COLUMNS.has(columns[c - 1] ?? '')) {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: RESULT_HEADER_FILL } };
      }
    });
    header.commit();
  }

  async write(rows: readonly ResultRow[]): Promise<void> {
    const lines = rows.map((row) => this.layout.line(row).map(neutralizeFormula));
    this.start(lines.slice(0, WIDTH_SAMPLE));
    for (let i = 0; i < rows.length; i++) this.writeRow(rows[i]!, lines[i] ?? []);
  }

  private writeRow(row: ResultRow, values: (string | number)[]): void {
    this.tally.add(row.status, row.action, row.errorCode, row.line, row.errorMessage);
    if (this.rowColumn >= 0 && row.line > 0) values[this.rowColumn] = row.line;
    let lines = 1;
    for (const c of this.wrapped) {
      const text = values[c - 1];
      if (typeof text === 'string' && text !== '') lines = Math.max(lines, wrappedLines(text, this.widths[c - 1] ?? MAX_WIDTH));
    }
    const r = this.sheet.addRow(values);
    if (lines > 1) r.height = LINE_HEIGHT * Math.min(lines, MAX_LINES);
    // Strings with the text format: "02134" and "+31798080101" stay exactly as written, even
    // after a person edits the cell. A row taller than one line reads from the top.
    r.eachCell({ includeEmpty: true }, (cell, c) => {
      if (typeof cell.value !== 'number') cell.numFmt = '@';
      if (this.wrapped.has(c)) cell.alignment = { wrapText: true, vertical: 'top' };
      // Centred: right-aligned against the next column's text, "2 ADD" read as one value.
      else if (c === this.rowColumn + 1) cell.alignment = { horizontal: 'center', vertical: lines > 1 ? 'top' : 'bottom' };
      else if (lines > 1) cell.alignment = { vertical: 'top' };
    });
    const style = STATUS_STYLE[row.status];
    if (style !== undefined && this.statusColumn > 0) {
      const cell = r.getCell(this.statusColumn);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: style.fill } };
      cell.font = { ...CELL_FONT, color: { argb: style.font } };
    }
    r.commit();
  }

  /**
   * Closes the temporary file. With `summary` (or, without one, the counts of what was written)
   * a second sheet 'Summary' follows the rows; `summary: false` leaves it out.
   */
  async finish(summary?: SummaryJson | false): Promise<void> {
    this.start([]);
    this.sheet.commit();
    if (summary !== false) addSummarySheet(this.workbook, summary ?? this.tally.toJson('', '', this.path, Number.NaN), STATUS_STYLE);
    await this.workbook.commit();
  }

  /** Moves the finished file into place. */
  publish(): Promise<void> {
    return this.file.publish();
  }

  async commit(summary?: SummaryJson): Promise<void> {
    await this.finish(summary);
    await this.publish();
  }

  abort(): Promise<void> {
    return this.file.discard();
  }
}
