// The spreadsheet result, opened again with exceljs: the support view (the row's key, status, code
// and message first, frozen with the header), every input cell text and result_row a number,
// filterable header, result headers highlighted, status cells coloured, messages wrapped, sensible
// widths, and the 'Summary' sheet.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ResultRow, RowStatus } from '../src/output/result.js';
import { Summary } from '../src/output/summary.js';
import { openResultWriter } from '../src/output/writer.js';
import { columnWidths, wrappedLines } from '../src/output/xlsx-writer.js';
import { tempDir } from './helpers/cli.js';

// The key column (an alias of Identifier) is not the first: the support view moves it there.
const HEADER = ['CallerName', 'Endpoint ID', 'CallbackNumber', 'Zip', 'Note'];
/** The Results sheet's columns: key, status, code, message, the other input columns, the other result columns. */
const COLUMNS = [
  'Endpoint ID',
  'result_status',
  'result_error_code',
  'result_error_message',
  'CallerName',
  'CallbackNumber',
  'Zip',
  'Note',
  'result_row',
  'result_action',
  'result_warnings',
  'result_changes',
  'result_location_id',
  'result_order_id',
  'result_std_address',
];
/** The column number of a header. */
const col = (name: string): number => COLUMNS.indexOf(name) + 1;

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
  row(2, 'SUCCESS', ['Boston', 'BOSoffice000000001', '+16175552201', '02134', '=HYPERLINK("x")'], { addressRef: 'Loc1', orderId: 'ord-1', stdAddress: '100 SUMMER ST, BOSTON, MA 02110, US' }),
  row(3, 'UNCHANGED', ['Boston 2', 'BOSoffice000000002', '6175552202', '00501', '1.50']),
  row(4, 'DELETED', ['', 'BOSoffice000000003', '', '', '']),
  row(5, 'REJECTED', ['Nowhere', 'BOSoffice000000004', '6175552204', '02134', 'TRUE'], {
    errorCode: '12110',
    errorMessage: 'The address is not valid: correct the street and run again.',
    warnings: 'ABBREVIATED: StreetSuffix abbreviated: "Plaza" → "PLZ". ABBREVIATED: AddressLine2 abbreviated: "Floor 22" → "FL 22".',
  }),
  row(6, 'INVALID', ['Bad', 'x', '123', '2134', '2024-01-02'], { errorCode: 'IDENTIFIER_INVALID', errorMessage: 'Identifier "x" must be 10 to 30 letters or digits.' }),
  row(7, 'FAILED', ['F', 'BOSoffice000000006', '6175552206', '02134', '1e5'], { errorCode: 'ORDER_FAILED', errorMessage: 'The order failed.' }),
  row(8, 'PENDING', ['P', 'BOSoffice000000007', '6175552207', '02134', ''], { orderId: 'ord-2' }),
];

async function written(summary: boolean): Promise<{ wb: ExcelJS.Workbook; dir: string; path: string }> {
  const dir = tempDir();
  const path = join(dir, 'result.xlsx');
  const writer = await openResultWriter(path, HEADER, 'dlr', { key: HEADER.indexOf('Endpoint ID') });
  await writer.write(ROWS.slice(0, 3));
  await writer.write(ROWS.slice(3));
  if (summary) {
    const s = new Summary(() => 0);
    for (const r of ROWS) s.add(r.status, r.action, r.errorCode, r.line, r.errorMessage);
    s.runId = 'run-42';
    s.state = '.esprov/state.db';
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
  it("puts the row's key, status, code and message first, then the other input columns, then the other result columns", async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    expect(wb.worksheets[0]?.name).toBe('Results');
    expect(ws.getRow(1).values).toEqual([undefined, ...COLUMNS]);
    expect(ws.getRow(5).getCell(1).value).toBe('BOSoffice000000004');
    expect(ws.getRow(5).getCell(2).value).toBe('REJECTED');
    expect(ws.getRow(5).getCell(3).value).toBe('12110');
    expect(ws.getRow(5).getCell(4).value).toBe('The address is not valid: correct the street and run again.');
    expect(ws.getRow(5).getCell(col('CallerName')).value).toBe('Nowhere');
  });

  it('stores every input cell as text, exactly as written, and result_row as a number', async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    const values = ROWS.map((_, i) => ws.getRow(i + 2).getCell(col('CallbackNumber')).value);
    expect(values).toEqual(['+16175552201', '6175552202', null, '6175552204', '123', '6175552206', '6175552207']);
    expect(ws.getRow(2).getCell(col('Zip')).value).toBe('02134');
    expect(ws.getRow(3).getCell(col('Zip')).value).toBe('00501');
    // Things Excel would otherwise turn into a number, a boolean or a date stay text.
    expect([3, 5, 6, 7].map((r) => ws.getRow(r).getCell(col('Note')).value)).toEqual(['1.50', 'TRUE', '2024-01-02', '1e5']);
    expect(ws.getRow(2).getCell(col('Note')).value).toBe(`'=HYPERLINK("x")`);
    const rowNumbers: unknown[] = [];
    ws.eachRow((r, n) =>
      r.eachCell((cell, c) => {
        if (n > 1 && c === col('result_row')) {
          // A number sorts 2 before 10; the text "10" sorted before "2".
          expect(cell.type).toBe(ExcelJS.ValueType.Number);
          rowNumbers.push(cell.value);
          return;
        }
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.numFmt).toBe('@');
      }),
    );
    expect(rowNumbers).toEqual([2, 3, 4, 5, 6, 7, 8]);
    // Centred, not flush against result_action's text.
    expect(ws.getRow(2).getCell(col('result_row')).alignment).toMatchObject({ horizontal: 'center' });
  });

  it("freezes the header and the first four columns, filters the header, and highlights the result columns' header", async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 4 });
    expect(ws.autoFilter).toBe('A1:O1');
    const header = ws.getRow(1);
    for (let c = 1; c <= 15; c++) {
      expect(header.getCell(c).font?.bold).toBe(true);
      expect(argb(header.getCell(c))).toBe(String(header.getCell(c).value).startsWith('result_') ? 'FFDDEBF7' : undefined);
    }
    expect(argb(header.getCell(1))).toBeUndefined();
    expect(argb(header.getCell(2))).toBe('FFDDEBF7');
  });

  it('colours the status: green when done, red when it needs a person, amber when pending', async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    const statusCell = (r: number): ExcelJS.Cell => ws.getRow(r).getCell(col('result_status'));
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
    expect(argb(ws.getRow(5).getCell(col('result_error_code')))).toBeUndefined();
  });

  it('wraps the message, warnings and changes in columns of a readable width', async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    for (const name of ['result_error_message', 'result_warnings', 'result_changes']) {
      expect(ws.getRow(5).getCell(col(name)).alignment).toMatchObject({ wrapText: true });
      expect(ws.getColumn(col(name)).width).toBeLessThanOrEqual(70);
    }
    expect(ws.getRow(5).getCell(col('Note')).alignment?.wrapText).toBeFalsy();
    // The first rows written had no message or warning: the columns are still wide enough to read one.
    expect(ws.getColumn(col('result_error_message')).width).toBe(30);
    expect(ws.getColumn(col('result_warnings')).width).toBe(30);
    // Neither Excel nor LibreOffice fits a row to its wrapped text on opening: a row with a text
    // longer than a line says its height (its longest text's), and its other cells read from the top.
    expect(wrappedLines(ROWS[3]!.errorMessage, 30)).toBe(3);
    expect(wrappedLines(ROWS[3]!.warnings, 30)).toBe(5);
    expect(ws.getRow(5).height).toBe(5 * 15);
    expect(ws.getRow(5).getCell(1).alignment).toMatchObject({ vertical: 'top' });
    expect(ws.getRow(2).height).toBeUndefined();
    expect(columnWidths(['result_error_message', 'result_warnings', 'Note'], [['x'.repeat(500), 'y'.repeat(500), 'a\nb'.repeat(3)]])).toEqual([45, 70, 8]);
    expect(columnWidths(['result_error_message', 'result_changes'], [['', '']])).toEqual([30, 30]);
  });

  it('counts the lines a text wraps to, at spaces, a word wider than the column broken inside', () => {
    expect(wrappedLines('', 10)).toBe(1);
    expect(wrappedLines('aaaa bbbb', 10)).toBe(1);
    expect(wrappedLines('aaaa bbbbb', 10)).toBe(2);
    expect(wrappedLines('a\nb\r\nc', 10)).toBe(3);
    expect(wrappedLines('x'.repeat(25), 10)).toBe(3);
    expect(wrappedLines('ab ' + 'x'.repeat(25), 10)).toBe(4);
  });

  it('names the font of every styled cell, so that no viewer falls back to a serif face', async () => {
    const { wb } = await written(true);
    for (const ws of wb.worksheets) {
      ws.eachRow((r) =>
        r.eachCell((cell) => {
          if (cell.font !== undefined) expect(cell.font.name).toBe('Calibri');
        }),
      );
    }
    expect(wb.getWorksheet('Results')!.getRow(2).getCell(col('result_status')).font?.name).toBe('Calibri');
  });

  it('sizes columns from the header and the first rows, within bounds', async () => {
    const { wb } = await written(true);
    const ws = wb.getWorksheet('Results')!;
    expect(ws.getColumn(1).width).toBe('BOSoffice000000001'.length + 2);
    expect(ws.getColumn(col('Zip')).width).toBe(8);
    expect(ws.getColumn(col('result_std_address')).width).toBe('100 SUMMER ST, BOSTON, MA 02110, US'.length + 2);
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
      // Which run this is, first: two nights' files cannot be confused.
      ['Run id', 'run-42'],
      ['Input', resolve('export.csv')],
      ['Started', '1970-01-01T00:00:00.000Z'],
      ['State store', resolve('.esprov/state.db')],
      ['Result file', path],
      ['Rows', 7],
      ['Exit code', 1],
      ['Finished', '1970-01-01T00:00:00.000Z'],
      ['Time taken', '0s'],
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
    let firstRow: ExcelJS.Cell | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === 'IDENTIFIER_INVALID') firstRow = r.getCell(3);
    });
    expect([firstRow?.value, firstRow?.alignment?.horizontal]).toEqual([6, 'center']);
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
