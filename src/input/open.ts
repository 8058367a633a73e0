// Opens an input by its name: .xlsx through exceljs, anything else (or "-" for standard input) as
// delimited text.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { readDelimited } from './csv.js';
import { InputError } from './errors.js';
import type { InputTable } from './records.js';
import { readXlsx } from './xlsx.js';

export interface OpenOptions {
  readonly sheet?: string;
  readonly stdin?: AsyncIterable<Uint8Array>;
}

export async function openInput(path: string, options: OpenOptions = {}): Promise<InputTable> {
  if (path === '-') return readDelimited(options.stdin ?? process.stdin, ',', 'Standard input');
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError('INPUT_UNREADABLE', `${path} is not a file.`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? new InputError('INPUT_NOT_FOUND', `${path} does not exist.`) : new InputError('INPUT_UNREADABLE', `${path} cannot be read (${code ?? 'error'}).`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.xls') {
    throw new InputError('INPUT_FORMAT', `${path} is an old Excel .xls file: save it as .xlsx or CSV and run again.`);
  }
  if (ext === '.xlsx' || ext === '.xlsm') {
    try {
      return await readXlsx(path, options.sheet);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError('INPUT_UNREADABLE', `${path} is not a readable .xlsx workbook: ${(err as Error).message}`);
    }
  }
  // 64 KiB chunks: their text stays below V8's large-object size, so it dies young with the rows
  // read from it (256 KiB chunks lived until a full GC: 25 MB more peak memory at a million rows).
  return readDelimited(createReadStream(path, { highWaterMark: 64 * 1024 }), ext === '.tsv' ? '\t' : ',', path);
}
