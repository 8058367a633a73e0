// Writes the result file to a temporary name and renames it when complete, so a crash never
// leaves half a result. CSV is UTF-8 with a BOM (Excel reads it right) unless --no-bom; .xlsx by
// extension.

import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { once } from 'node:events';
import type { Profile } from '../rules/types.js';
import { neutralizeFormula } from './cells.js';
import { resultCells, resultColumns, type ResultRow } from './result.js';
import { XlsxResultWriter } from './xlsx-writer.js';

export interface ResultWriter {
  /** Writes rows in the order given. */
  write(rows: readonly ResultRow[]): Promise<void>;
  /** Finishes the file and moves it into place. */
  commit(): Promise<void>;
  /** Removes the temporary file. */
  abort(): Promise<void>;
}

export interface WriterOptions {
  readonly bom?: boolean;
}

/** The input's own columns minus any earlier result columns (a result file fed back in). */
export function keptColumns(header: readonly string[], profile: Profile): number[] {
  const ours = new Set([...resultColumns('dlr'), ...resultColumns('unified')]);
  void profile;
  return header.map((_, i) => i).filter((i) => !ours.has(header[i] ?? ''));
}

export async function openResultWriter(
  path: string,
  header: readonly string[],
  profile: Profile,
  options: WriterOptions = {},
): Promise<ResultWriter> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const kept = keptColumns(header, profile);
  const columns = [...kept.map((i) => header[i] ?? ''), ...resultColumns(profile)];
  const line = (r: ResultRow): string[] => [...kept.map((i) => r.cells[i] ?? ''), ...resultCells(r)];
  if (extname(path).toLowerCase() === '.xlsx') {
    return XlsxResultWriter.open(path, tmp, columns, line, profile);
  }
  return new CsvResultWriter(path, tmp, columns, line, options.bom ?? true);
}

/** One CSV line (RFC 4180 quoting, CRLF), every cell neutralized against formulas. */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const text = neutralizeFormula(cells[i] ?? '');
    if (i > 0) line += ',';
    line += /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  return `${line}\r\n`;
}

class CsvResultWriter implements ResultWriter {
  private readonly file: WriteStream;

  constructor(
    private readonly path: string,
    private readonly tmp: string,
    columns: string[],
    private readonly line: (r: ResultRow) => string[],
    bom: boolean,
  ) {
    this.file = createWriteStream(tmp, { mode: 0o600 });
    this.file.write(`${bom ? '\ufeff' : ''}${csvLine(columns)}`);
  }

  async write(rows: readonly ResultRow[]): Promise<void> {
    let chunk = '';
    for (const row of rows) chunk += csvLine(this.line(row));
    if (!this.file.write(chunk)) await once(this.file, 'drain');
  }

  async commit(): Promise<void> {
    this.file.end();
    await once(this.file, 'close');
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    this.file.destroy();
    await rm(this.tmp, { force: true });
  }
}
