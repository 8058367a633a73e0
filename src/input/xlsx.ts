// .xlsx → records, streaming with exceljs. Cells are read as the text a person sees in Excel: a
// ZIP formatted 00000 keeps its zeros, a phone number stays 9195551234 (not 9.19555E+09), a
// formula gives its result, a date its ISO day.

import type ExcelJS from 'exceljs';
import { InputError } from './errors.js';
import { shown } from './headers.js';
import { isBlank, type InputTable, type RecordItem } from './records.js';
import { workbookSheets, type SheetEntry } from './workbook.js';

type CellLike = { value: unknown; numFmt?: string; text?: string };

export function cellText(cell: CellLike | undefined): string {
  if (cell === undefined) return '';
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v, cell.numFmt);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: string; error?: string };
    if (o.richText !== undefined) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText({ value: o.result, ...(cell.numFmt ? { numFmt: cell.numFmt } : {}) });
    if (typeof o.text === 'string') return o.text; // hyperlink
    if (typeof o.error === 'string') return o.error;
  }
  return String(v);
}

function numberText(n: number, numFmt: string | undefined): string {
  if (Number.isInteger(n) && numFmt !== undefined && /^0+$/.test(numFmt)) return String(n).padStart(numFmt.length, '0');
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

/** The sheet asked for (by name, or else by case), or the workbook's first. */
function pickSheet(sheets: readonly SheetEntry[], sheetName: string | undefined): SheetEntry {
  if (sheets.length === 0) throw new InputError('INPUT_EMPTY', 'The workbook has no worksheet.');
  if (sheetName === undefined) return sheets[0]!;
  const exact = sheets.find((s) => s.name === sheetName);
  const byCase = sheets.filter((s) => s.name.toLowerCase() === sheetName.toLowerCase());
  const found = exact ?? (byCase.length === 1 ? byCase[0] : undefined);
  if (found === undefined) {
    throw new InputError('SHEET_NOT_FOUND', `The workbook has no sheet "${shown(sheetName)}"; its sheets are: ${sheets.map((s) => shown(s.name)).join(', ')}.`);
  }
  return found;
}

export async function readXlsx(path: string, sheetName: string | undefined): Promise<InputTable> {
  const chosen = pickSheet(await workbookSheets(path), sheetName);
  const name = shown(chosen.name);
  // exceljs reads only worksheet parts named xl/worksheets/sheetN.xml, and tells N in its 'entry' event.
  const partNo = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(chosen.part)?.[1];
  if (partNo === undefined) {
    throw new InputError('INPUT_FORMAT', `Sheet "${name}" is stored as ${shown(chosen.part)}, which esprov cannot read: open the workbook in Excel, save it again, and run again.`);
  }
  // Loaded only for .xlsx: it is large, and most inputs are CSV.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'emit',
  });
  // exceljs reads the workbook's own sheet list only to name sheets (names come from workbookSheets);
  // without this, a sheet part before xl/workbook.xml in the zip makes it read `model` of undefined.
  (reader as unknown as { model: unknown }).model = { sheets: [] };
  let entryNo: string | undefined;
  (reader as unknown as NodeJS.EventEmitter).on('entry', (entry: { type: string; id?: string }) => {
    if (entry.type === 'worksheet') entryNo = entry.id;
  });
  const sheets = reader[Symbol.asyncIterator]();
  let sheet: AsyncIterable<ExcelJS.Row> | undefined;
  for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
    const ws = next.value as unknown as AsyncIterable<ExcelJS.Row>;
    if (entryNo === partNo) {
      sheet = ws;
      break;
    }
    for await (const _ of ws) {
      /* skip the rows of the other sheets */
    }
  }
  if (sheet === undefined) throw new InputError('INPUT_FORMAT', `Sheet "${name}" (${shown(chosen.part)}) is missing from the workbook: open it in Excel, save it again, and run again.`);
  const rows = sheet[Symbol.asyncIterator]();
  const rowCells = (row: ExcelJS.Row): string[] => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c) as unknown as CellLike));
    return cells;
  };
  let header: string[] | undefined;
  for (let next = await rows.next(); !next.done; next = await rows.next()) {
    const cells = rowCells(next.value);
    if (!isBlank(cells)) {
      header = cells.map((h) => h.trim());
      break;
    }
  }
  if (header === undefined) throw new InputError('INPUT_EMPTY', `Sheet "${name}" has no header row.`);
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  const width = header.length;
  async function* records(): AsyncGenerator<RecordItem[]> {
    let batch: RecordItem[] = [];
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      const cells = rowCells(next.value);
      if (isBlank(cells)) continue;
      while (cells.length < width) cells.push('');
      batch.push({ line: next.value.number, cells: cells.slice(0, width) });
      if (batch.length >= 1024) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  return { header, records: records(), describe: () => `xlsx, sheet "${name}"` };
}
