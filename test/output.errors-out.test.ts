// --errors-out: only the rows that need a person (INVALID, REJECTED, FAILED), in input order, their
// original columns verbatim then row, status, code and message; fixed and fed back in, they check.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ResultRow, RowStatus } from '../src/output/result.js';
import { ERRORS_OUT_COLUMNS, openResultWriter } from '../src/output/writer.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';

const HEADER = ['Identifier', 'CallerName', 'CallbackNumber', 'HouseNumber', 'StreetName', 'City', 'StateCode', 'Zip'];
const INPUT = [
  HEADER.join(','),
  'RDUhq00000000001,Reception,9195552101,900,Main Campus Dr,Raleigh,NC,27606',
  'RDUhq00000000002,"Lab, ""Blue""",12345,900,Main Campus Dr,Raleigh,NC,27606',
  'RDUhq00000000003,Lobby,9195552103,900,Main Campus Dr,Raleigh,NC,27606',
  'RDUhq00000000004,Dock,9195552104,900,Main Campus Dr,Raleigh,NC,2760',
].join('\r\n');

/** A result file's rows back as ResultRows (what the run hands the writer). */
function asResultRows(rows: Record<string, string>[], header: readonly string[]): ResultRow[] {
  return rows.map((r) => ({
    line: Number(r.result_row),
    cells: header.map((h) => r[h] ?? ''),
    action: r.result_action as ResultRow['action'],
    status: r.result_status as RowStatus,
    errorCode: r.result_error_code ?? '',
    errorMessage: r.result_error_message ?? '',
    warnings: r.result_warnings ?? '',
    changes: r.result_changes ?? '',
    addressRef: r.result_location_id ?? '',
    orderId: r.result_order_id ?? '',
    stdAddress: r.result_std_address ?? '',
  }));
}

/** Checks INPUT with the real CLI and returns its rows as the writer would get them. */
async function checkedInput(dir: string): Promise<ResultRow[]> {
  const input = join(dir, 'export.csv');
  writeFileSync(input, INPUT);
  const run = await runCli(['check', input, '--api', 'dlr', '--out', join(dir, 'checked.csv')]);
  expect(run.code).toBe(1);
  return asResultRows(readResult(join(dir, 'checked.csv')), HEADER);
}

function synthetic(line: number, status: RowStatus): ResultRow {
  return {
    line,
    cells: [`ID${line}`, 'Name', '9195552101', '1', 'Main', 'Raleigh', 'NC', '27606'],
    action: 'ADD',
    status,
    errorCode: status === 'SUCCESS' || status === 'PENDING' ? '' : `CODE_${status}`,
    errorMessage: `message ${line}`,
    warnings: 'w',
    changes: '',
    addressRef: 'L',
    orderId: 'O',
    stdAddress: 'S',
  };
}

describe('--errors-out', () => {
  it('holds only INVALID, REJECTED and FAILED rows, in order, original columns first', async () => {
    const dir = tempDir();
    const out = join(dir, 'result.csv');
    const errorsOut = join(dir, 'to-fix.csv');
    const statuses: RowStatus[] = ['SUCCESS', 'INVALID', 'UNCHANGED', 'REJECTED', 'PENDING', 'DELETED', 'FAILED', 'VALID', 'INVALID'];
    const writer = await openResultWriter(out, HEADER, 'dlr', { errorsOut });
    await writer.write(statuses.slice(0, 4).map((s, i) => synthetic(i + 2, s)));
    await writer.write(statuses.slice(4).map((s, i) => synthetic(i + 6, s)));
    await writer.commit();
    expect(readResult(out)).toHaveLength(statuses.length);
    const errors = readResult(errorsOut);
    expect(Object.keys(errors[0] ?? {})).toEqual([...HEADER, ...ERRORS_OUT_COLUMNS]);
    expect(errors.map((r) => [r.Identifier, r.result_row, r.result_status, r.result_error_code, r.result_error_message])).toEqual([
      ['ID3', '3', 'INVALID', 'CODE_INVALID', 'message 3'],
      ['ID5', '5', 'REJECTED', 'CODE_REJECTED', 'message 5'],
      ['ID8', '8', 'FAILED', 'CODE_FAILED', 'message 8'],
      ['ID10', '10', 'INVALID', 'CODE_INVALID', 'message 10'],
    ]);
    expect([...readFileSync(errorsOut).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readdirSync(dir).sort()).toEqual(['result.csv', 'to-fix.csv']);
  });

  it('is written even when no row needs attention, so an old one never lingers', async () => {
    const dir = tempDir();
    const errorsOut = join(dir, 'to-fix.csv');
    writeFileSync(errorsOut, 'stale\r\n');
    const writer = await openResultWriter(join(dir, 'result.csv'), HEADER, 'dlr', { errorsOut, bom: false });
    await writer.write([synthetic(2, 'SUCCESS')]);
    await writer.commit();
    expect(readFileSync(errorsOut, 'utf8')).toBe(`${[...HEADER, ...ERRORS_OUT_COLUMNS].join(',')}\r\n`);
  });

  it('leaves nothing behind on abort, and refuses to be the result file itself', async () => {
    const dir = tempDir();
    const writer = await openResultWriter(join(dir, 'result.xlsx'), HEADER, 'dlr', { errorsOut: join(dir, 'to-fix.csv') });
    await writer.write([synthetic(2, 'INVALID')]);
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
    await expect(openResultWriter(join(dir, 'same.csv'), HEADER, 'dlr', { errorsOut: join(dir, '.', 'same.csv') })).rejects.toMatchObject({ code: 'ERRORS_OUT_INVALID' });
  });

  it('CSV: a person fixes a cell, feeds the file back to esprov check, and the row is VALID', async () => {
    const dir = tempDir();
    const rows = await checkedInput(dir);
    expect(rows.map((r) => r.status)).toEqual(['VALID', 'INVALID', 'VALID', 'INVALID']);
    const errorsOut = join(dir, 'to-fix.csv');
    const writer = await openResultWriter(join(dir, 'result.csv'), HEADER, 'dlr', { errorsOut });
    await writer.write(rows);
    await writer.commit();
    const toFix = readResult(errorsOut);
    expect(toFix.map((r) => [r.Identifier, r.CallerName, r.result_row, r.result_status])).toEqual([
      ['RDUhq00000000002', 'Lab, "Blue"', '3', 'INVALID'],
      ['RDUhq00000000004', 'Dock', '5', 'INVALID'],
    ]);

    // The support person corrects the callback number of the first row only.
    const text = readFileSync(errorsOut, 'utf8');
    expect(text.split(',12345,')).toHaveLength(2);
    writeFileSync(errorsOut, text.replace(',12345,', ',9195552102,'));

    const rechecked = join(dir, 'rechecked.csv');
    const run = await runCli(['check', errorsOut, '--api', 'dlr', '--out', rechecked]);
    expect(run.code).toBe(1);
    const again = readResult(rechecked);
    // The old result columns are dropped on the way in: the original columns, then fresh results.
    expect(Object.keys(again[0] ?? {}).slice(0, HEADER.length + 1)).toEqual([...HEADER, 'result_row']);
    expect(Object.keys(again[0] ?? {}).filter((k) => k === 'result_status')).toHaveLength(1);
    expect(again.map((r) => [r.Identifier, r.CallerName, r.result_status])).toEqual([
      ['RDUhq00000000002', 'Lab, "Blue"', 'VALID'],
      ['RDUhq00000000004', 'Dock', 'INVALID'],
    ]);
  });

  it('xlsx: the same round trip through a spreadsheet', async () => {
    const dir = tempDir();
    const rows = await checkedInput(dir);
    const errorsOut = join(dir, 'to-fix.xlsx');
    const writer = await openResultWriter(join(dir, 'result.csv'), HEADER, 'dlr', { errorsOut, key: 0 });
    await writer.write(rows);
    await writer.commit();

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(errorsOut);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Rows to fix']);
    const ws = wb.worksheets[0]!;
    // The support view, as in the result: key, status, code and message first, frozen.
    const columns = ['Identifier', 'result_status', 'result_error_code', 'result_error_message', ...HEADER.slice(1), 'result_row'];
    expect(ws.getRow(1).values).toEqual([undefined, ...columns]);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 4, ySplit: 1 });
    expect(ws.rowCount).toBe(3);
    const zip = columns.indexOf('Zip') + 1;
    expect(ws.getRow(3).getCell(zip).value).toBe('2760');
    ws.getRow(3).getCell(zip).value = '27606';
    await wb.xlsx.writeFile(errorsOut);

    const rechecked = join(dir, 'rechecked.csv');
    const run = await runCli(['check', errorsOut, '--api', 'dlr', '--out', rechecked]);
    expect(run.code).toBe(1);
    expect(readResult(rechecked).map((r) => [r.Identifier, r.Zip, r.result_status])).toEqual([
      ['RDUhq00000000002', '27606', 'INVALID'],
      ['RDUhq00000000004', '27606', 'VALID'],
    ]);
  });
});
