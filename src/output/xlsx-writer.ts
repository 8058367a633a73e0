// The result as a spreadsheet, streamed with exceljs: every cell is text (a ZIP or phone number
// is never turned into a number), the header is frozen and filterable.

import { rename, rm } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import type { Profile } from '../rules/types.js';
import { neutralizeFormula } from './cells.js';
import type { ResultRow } from './result.js';

const STATUS_FILL: Record<string, string> = {
  SUCCESS: 'FFC6EFCE', VALID: 'FFC6EFCE', UNCHANGED: 'FFE2EFDA', DELETED: 'FFE2EFDA',
  INVALID: 'FFFFC7CE', REJECTED: 'FFFFC7CE', FAILED: 'FFFFC7CE', PENDING: 'FFFFEB9C',
};

export class XlsxResultWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;
  private readonly statusColumn: number;

  /** exceljs is loaded only when a spreadsheet is written. */
  static async open(path: string, tmp: string, columns: string[], line: (r: ResultRow) => string[], profile: Profile): Promise<XlsxResultWriter> {
    const { default: Excel } = await import('exceljs');
    return new XlsxResultWriter(Excel, path, tmp, columns, line, profile);
  }

  private constructor(
    Excel: typeof ExcelJS,
    private readonly path: string,
    private readonly tmp: string,
    columns: string[],
    private readonly line: (r: ResultRow) => string[],
    profile: Profile,
  ) {
    void profile;
    this.workbook = new Excel.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    this.sheet = this.workbook.addWorksheet('Results', { views: [{ state: 'frozen', ySplit: 1 }] });
    this.sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    this.statusColumn = columns.indexOf('result_status') + 1;
    const headerRow = this.sheet.addRow(columns);
    headerRow.font = { bold: true };
    const firstResult = columns.indexOf('result_row') + 1;
    for (let c = firstResult; c <= columns.length; c++) {
      headerRow.getCell(c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    }
    headerRow.commit();
  }

  async write(rows: readonly ResultRow[]): Promise<void> {
    for (const row of rows) this.writeRow(row);
  }

  private writeRow(row: ResultRow): void {
    const values = this.line(row).map(neutralizeFormula);
    const r = this.sheet.addRow(values);
    // Text format keeps "02134" and "+31798080101" exactly as written.
    r.eachCell((cell) => { cell.numFmt = '@'; });
    const fill = STATUS_FILL[row.status];
    if (fill !== undefined && this.statusColumn > 0) {
      r.getCell(this.statusColumn).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    }
    r.commit();
  }

  async commit(): Promise<void> {
    this.sheet.commit();
    await this.workbook.commit();
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    await rm(this.tmp, { force: true });
  }
}
