// The spreadsheet result, opened again with exceljs: every cell text, frozen and filterable header,
// result headers highlighted, status cells coloured, sensible widths, and the 'Summary' sheet.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ResultRow, RowStatus } from '../src/output/result.js';
import { Summary } from '../src/output/summary.js';
import { openResultWriter } from '../src/output/writer.js';
import { columnWidths } from '../src/output/xlsx-writer.js';
import { tempDir } from './helpers/cli.js';

const HEADER = ['Identifier', 'CallerName', 'CallbackNumber', 'Zip', 'Note'];

function row(line: number, status: RowStatus, cells: string[], extra: Partial<ResultRow> = {}): ResultRow {
  return {
    line,
    cells,
    action: status === 'INVALID' ? 'NONE' : 'ADD',
    status,
    errorCode: '',
    errorMessage: '',
    warnings: '',
    changes: '',
    addressRef: '',
    orderId: '',
    stdAddress: '',
    ...extra,
  };
}

const ROWS: ResultRow[] = [
  row(2, 'SUCCESS', ['BOSoffice000000001', 'Boston', '+16175552201', '02134', '=HYPERLINK("x")'], { addressRef: 'Loc1', orderId: 'ord-1', stdAddress: '100 SUMMER ST, BOSTON, MA 02110, US' }),
  row(3, 'UNCHANGED', ['BOSoffice000000002', 'Boston 2', '6175552202', '00501', '1.50']),
  row(4, 'DELETED', ['BOSoffice000000003', '', '', '', '']),
  row(5, 'REJECTED', ['BOSoffice000000004', 'Nowhere', '6175552204', '02134', 'TRUE'], { errorCode: '12110', errorMessage: 'The address is not valid: correct the street and run again.' }),
  row(6, 'INVALID', ['x', 'Bad', '123', '2134', '2024-01-02'], { errorCode: 'IDENTIFIER_INVALID', errorMessage: 'Identifier "x" must be 10 to 30 letters or digits.' }),
  row(7, 'FAILED', ['BOSoffice000000006', 'F', '6175552206', '02134', '1e5'], { errorCode: 'ORDER_FAILED', errorMessage: 'The order failed.' }),
  row(8, 'PENDING', ['BOSoffice000000007', 'P', '6175552207', '02134', ''], { orderId: 'ord-2' }),
];

async function written(summary: boolean): Promise<{ wb: ExcelJS.Workbook; dir: string; path: string }> {
  const dir = tempDir();
  const path = join(dir, 'result.xlsx');
  const writer = await openResultWriter(path, HEADER, 'dlr');
  await writer.write(ROWS.slice(0, 3));
  await writer.write(ROWS.slice(3));
  if (summary) {
    const s = new Summary(() => 0);
    for (const r of ROWS) s.add(r.status, r.action, r.errorCode, r.line, r.errorMessage);
    s.runId = 'run-42';
    s.setApi({ calls: { geocode: 4, orderPost: 2, orderGet: 6 }, retries: 1, throttled: 1, rateLimitWaitMs: 1500, retryWaitMs: 1000 });
    await writer.commit(s.toJson('run', 'export.csv', path, 1));
  } else {
    await writer.commit();
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return { wb, dir, path };
}

const argb = (cell: ExcelJS.Cell): string | undefined => (cell.fill?.type === 'pattern' && cell.fill.pattern === 'solid' ? cell.fill.fgColor?.argb : undefined);

describe('xlsx result: the Results sheet', () => {
  it('stores every cell as text, exactly as written', async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    expect(wb.worksheets[0]?.name).toBe('Results');
    const values = ROWS.map((_, i) => ws.getRow(i + 2).getCell(3).value);
    expect(values).toEqual(['+16175552201', '6175552202', null, '6175552204', '123', '6175552206', '6175552207']);
    expect(ws.getRow(2).getCell(4).value).toBe('02134');
    expect(ws.getRow(3).getCell(4).value).toBe('00501');
    // Things Excel would otherwise turn into a number, a boolean or a date stay text.
    expect([3, 5, 6, 7].map((r) => ws.getRow(r).getCell(5).value)).toEqual(['1.50', 'TRUE', '2024-01-02', '1e5']);
    expect(ws.getRow(2).getCell(5).value).toBe(`'=HYPERLINK("x")`);
    ws.eachRow((r) =>
      r.eachCell((cell) => {
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.numFmt).toBe('@');
      }),
    );
    expect(ws.getRow(1).values).toEqual([
      undefined,
      ...HEADER,
      'result_row',
      'result_action',
      'result_status',
      'result_error_code',
      'result_error_message',
      'result_warnings',
      'result_changes',
      'result_location_id',
      'result_order_id',
      'result_std_address',
    ]);
    expect(ws.getRow(5).getCell(9).value).toBe('12110');
  });

  it("freezes the header, filters it, and highlights the result columns' header", async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:O1');
    const header = ws.getRow(1);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(argb(header.getCell(1))).toBeUndefined();
    for (let c = 6; c <= 15; c++) {
      expect(header.getCell(c).font?.bold).toBe(true);
      expect(argb(header.getCell(c))).toBe('FFDDEBF7');
    }
  });

  it('colours the status: green when done, red when it needs a person, amber when pending', async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    const statusCell = (r: number): ExcelJS.Cell => ws.getRow(r).getCell(8);
    const fills = ROWS.map((r, i) => [r.status, argb(statusCell(i + 2))]);
    expect(fills).toEqual([
      ['SUCCESS', 'FFC6EFCE'],
      ['UNCHANGED', 'FFC6EFCE'],
      ['DELETED', 'FFC6EFCE'],
      ['REJECTED', 'FFFFC7CE'],
      ['INVALID', 'FFFFC7CE'],
      ['FAILED', 'FFFFC7CE'],
      ['PENDING', 'FFFFEB9C'],
    ]);
    expect(statusCell(2).font?.color?.argb).toBe('FF006100');
    expect(statusCell(5).font?.color?.argb).toBe('FF9C0006');
    // Only the status cell is coloured.
    expect(argb(ws.getRow(5).getCell(9))).toBeUndefined();
  });

  it('sizes columns from the header and the first rows, within bounds', async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    expect(ws.getColumn(1).width).toBe('BOSoffice000000001'.length + 2);
    expect(ws.getColumn(4).width).toBe(8);
    expect(ws.getColumn(15).width).toBe('100 SUMMER ST, BOSTON, MA 02110, US'.length + 2);
    expect(columnWidths(['result_error_message', 'Note'], [['x'.repeat(500), 'a\nb'.repeat(3)]])).toEqual([90, 8]);
  });

  it('leaves no temporary file behind', async () => {
    const { dir } = await written(true);
    expect(readdirSync(dir)).toEqual(['result.xlsx']);
  });
});

describe('xlsx result: the Summary sheet', () => {
  it('follows the rows with counts per status and action, top errors, calls and time', async () => {
    const { wb, path } = await written(true);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Results', 'Summary']);
    const ws = wb.getWorksheet('Summary')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ['esprov run'],
      ['Input', 'export.csv'],
      ['Result file', path],
      ['Rows', 7],
      ['Exit code', 1],
      ['Started', '1970-01-01T00:00:00.000Z'],
      ['Finished', '1970-01-01T00:00:00.000Z'],
      ['Time taken', '0s'],
      ['Run id', 'run-42'],
      ['Status', 'Rows'],
      ['SUCCESS', 1],
      ['UNCHANGED', 1],
      ['DELETED', 1],
      ['PENDING', 1],
      ['REJECTED', 1],
      ['FAILED', 1],
      ['INVALID', 1],
      ['Action', 'Rows'],
      ['ADD', 6],
      ['NONE', 1],
      ['Error code', 'Rows', 'First row', 'Message (first row)'],
      ['12110', 1, 5, 'The address is not valid: correct the street and run again.'],
      ['IDENTIFIER_INVALID', 1, 6, 'Identifier "x" must be 10 to 30 letters or digits.'],
      ['ORDER_FAILED', 1, 7, 'The order failed.'],
      ['Calls', 'Count'],
      ['orderGet', 6],
      ['geocode', 4],
      ['orderPost', 2],
      ['total', 12],
      ['retries', 1],
      ['answered 429', 1],
      ['seconds backing off', 1],
      ['seconds waiting for the rate limit', 1.5],
    ]);
    // The error code 12110 is text, the counts are numbers.
    let codeCell: ExcelJS.Cell | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === '12110') codeCell = r.getCell(1);
    });
    expect(codeCell?.type).toBe(ExcelJS.ValueType.String);
    let rejected: ExcelJS.Row | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === 'REJECTED') rejected = r;
    });
    expect(rejected?.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(argb(rejected!.getCell(1))).toBe('FFFFC7CE');
  });

  it('without a summary from the caller, still counts what was written', async () => {
    const { wb } = await written(false);
    const ws = wb.getWorksheet('Summary')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows.slice(0, 3)).toEqual([
      ['Result file', expect.stringMatching(/result\.xlsx$/)],
      ['Rows', 7],
      ['Status', 'Rows'],
    ]);
    expect(rows).toContainEqual(['IDENTIFIER_INVALID', 1, 6, 'Identifier "x" must be 10 to 30 letters or digits.']);
    expect(rows.flat()).not.toContain('Calls');
  });
});
