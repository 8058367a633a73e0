// The 'Summary' sheet of a spreadsheet result: which run it was (id, input, start, state store),
// counts per status and action, the top errors with a sample row, calls and time — the same facts
// as the summary on stderr.

import type ExcelJS from 'exceljs';
import { CELL_FONT } from './cells.js';
import { apiCounters, formatDuration, type SummaryJson } from './summary.js';

const STATUS_ORDER = ['SUCCESS', 'UNCHANGED', 'DELETED', 'VALID', 'PLANNED', 'PENDING', 'REJECTED', 'FAILED', 'INVALID', 'SKIPPED'];
const ACTION_ORDER = ['ADD', 'UPDATE', 'DELETE', 'NONE'];

type Cell = string | number;

function ordered(counts: Readonly<Record<string, number>>, order: readonly string[]): [string, number][] {
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(counts).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export function addSummarySheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, s: SummaryJson, statusStyle: Readonly<Record<string, { fill: string; font: string }>>): void {
  const ws = workbook.addWorksheet('Summary');
  [36, 16, 12, 100].forEach((width, i) => {
    ws.getColumn(i + 1).width = width;
  });

  const add = (cells: Cell[], options: { bold?: boolean; heading?: boolean } = {}): ExcelJS.Row => {
    const row = ws.addRow(cells);
    row.eachCell((cell) => {
      // Codes and names stay text; counts are numbers a person can add up.
      if (typeof cell.value === 'string') cell.numFmt = '@';
    });
    if (options.bold === true || options.heading === true) row.font = { ...CELL_FONT, bold: true };
    if (options.heading === true) {
      row.eachCell((cell) => {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      });
    }
    return row;
  };

  if (s.command !== '') add([`esprov ${s.command}`], { bold: true });
  // Which run this is first, so that two nights' files cannot be confused.
  const facts: [string, Cell][] = [];
  if (s.runId !== undefined) facts.push(['Run id', s.runId]);
  const input = s.inputPath ?? s.input;
  if (input !== '') facts.push(['Input', input]);
  if (s.startedAt !== undefined && s.command !== '') facts.push(['Started', s.startedAt]);
  if (s.state !== undefined) facts.push(['State store', s.state]);
  if (s.output !== '') facts.push(['Result file', s.output]);
  if (s.errorsOutput !== undefined) facts.push(['Rows to fix', s.errorsOutput]);
  facts.push(['Rows', s.rows]);
  if (Number.isFinite(s.exitCode)) facts.push(['Exit code', s.exitCode]);
  if (s.finishedAt !== undefined && s.command !== '') facts.push(['Finished', s.finishedAt]);
  if (s.command !== '') facts.push(['Time taken', formatDuration(s.seconds)]);
  for (const [k, v] of facts) add([k, v]);

  add([]);
  add(['Status', 'Rows'], { heading: true });
  for (const [status, n] of ordered(s.statuses, STATUS_ORDER)) {
    const row = add([status, n]);
    const style = statusStyle[status];
    if (style !== undefined) {
      const cell = row.getCell(1);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: style.fill } };
      cell.font = { ...CELL_FONT, color: { argb: style.font } };
    }
  }

  add([]);
  add(['Action', 'Rows'], { heading: true });
  for (const [action, n] of ordered(s.actions, ACTION_ORDER)) add([action, n]);

  if (s.topErrors.length > 0) {
    add([]);
    add(['Error code', 'Rows', 'First row', 'Message (first row)'], { heading: true });
    for (const e of s.topErrors) {
      // Centred, so that the row number does not run into the message beside it.
      add([e.code, e.count, e.sampleRow, e.sampleMessage]).getCell(3).alignment = { horizontal: 'center' };
    }
  }

  const api = apiCounters(s);
  if (api.total > 0 || s.api !== undefined) {
    add([]);
    add(['Calls', 'Count'], { heading: true });
    for (const [kind, n] of api.calls) add([kind, n]);
    add(['total', api.total], { bold: true });
    add(['retries', api.retries]);
    add(['answered 429', api.throttled]);
    if (s.api !== undefined) {
      add(['seconds backing off', Math.round(api.retryWaitMs / 100) / 10]);
      add(['seconds waiting for the rate limit', Math.round(api.rateLimitWaitMs / 100) / 10]);
    }
  }
  ws.commit();
}
