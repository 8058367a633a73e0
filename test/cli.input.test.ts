// Inputs a customer really sends, through the real CLI: line endings mixed in one file, files that
// are not text at all, and workbooks written by other programs than Excel.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture, readResult, runCli, tempDir } from './helpers/cli.js';

async function check(input: string, ...flags: string[]): Promise<{ code: number; stderr: string; rows: Record<string, string>[] }> {
  const out = join(tempDir(), 'result.csv');
  const run = await runCli(['check', input, '--api', 'dlr', '--out', out, ...flags]);
  return { code: run.code, stderr: run.stderr, rows: existsSync(out) ? readResult(out) : [] };
}

/** The lines of a three-row fixture, without their line endings. */
const lines = readFileSync(fixture('input', 'utf8-semicolon.csv'), 'utf8')
  .split(/\r\n|\n|\r/)
  .filter((l) => l !== '');

describe('esprov check: line endings', () => {
  it.each([
    ['CRLF header, LF rows (rows appended to an Excel export)', `${lines[0]}\r\n${lines.slice(1).join('\n')}\n`],
    ['LF header, CRLF rows', `${lines[0]}\n${lines.slice(1).join('\r\n')}\r\n`],
    ['CR only', `${lines.join('\r')}\r`],
    ['every ending in turn', `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3]}`],
  ])('%s: every row is read, its cells without a stray CR', async (_, text) => {
    const input = join(tempDir(), 'mixed.csv');
    writeFileSync(input, text);
    const { code, rows } = await check(input);
    expect(rows.map((r) => [r.result_row, r.result_status, r.result_error_code])).toEqual([
      ['2', 'VALID', ''],
      ['3', 'VALID', ''],
      ['4', 'VALID', ''],
    ]);
    expect(rows.map((r) => r.Country)).toEqual(['CA', 'US', 'US']);
    expect(rows[2]?.CallerName).toBe('Lab "Blue" Phone');
    expect(code).toBe(0);
  });

  it('a stray quote in a file of mixed endings still names the lines it ran together', async () => {
    const input = join(tempDir(), 'stray.csv');
    const stray = readFileSync(fixture('input', 'stray-quote.csv'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    writeFileSync(input, `${stray[0]}\r\n${stray.slice(1).join('\n')}\n`);
    const { rows } = await check(input);
    expect(rows.map((r) => [r.result_row, r.result_status])).toEqual([
      ['2', 'INVALID'],
      ['3', 'INVALID'],
      ['4', 'INVALID'],
      ['5', 'VALID'],
    ]);
    expect(rows[0]?.result_error_message).toBe('Line 2 could not be read (a quote opened on line 2 runs lines 2 to 4 together): fix the quoting on that line and run again.');
  });
});

/** No control character but the line break that ends a message. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Deterministic bytes that look like nothing in particular (a hash chain). */
function noise(length: number): Buffer {
  const out: Buffer[] = [];
  let block = createHash('sha256').update('esprov').digest();
  for (let n = 0; n < length; n += block.length) {
    out.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(out).subarray(0, length);
}

describe('esprov check: an input that is not text', () => {
  const text = readFileSync(fixture('input', 'utf8-semicolon.csv'));
  it.each([
    ['gzip', () => gzipSync(text), 'is a gzip-compressed file: unpack it first'],
    [
      'xlsx renamed .csv',
      () => Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000'), Buffer.from('[Content_Types].xml'), noise(2000)]),
      'is an Excel workbook (a zip of .xlsx parts), not CSV text: name it .xlsx, or save it from Excel as CSV',
    ],
    ['zip', () => Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000'), Buffer.from('export/acme.csv'), noise(2000)]), 'is a zip archive: unpack it first'],
    ['PDF', () => Buffer.concat([Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'), noise(2000)]), 'is a PDF document, not a spreadsheet: export the data as CSV'],
    ['PNG', () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(2000)]), 'is a PNG image, not a spreadsheet'],
    ['JPEG', () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise(2000)]), 'is a JPEG image'],
    ['GIF', () => Buffer.concat([Buffer.from('GIF89a'), noise(2000)]), 'is a GIF image'],
    ['random bytes', () => noise(3000), 'is binary data, not text: save it as CSV (UTF-8) or .xlsx'],
  ])('%s: exit 2, one line saying what it is and what to do, none of its bytes', async (_, bytes, says) => {
    const input = join(tempDir(), 'export.csv');
    writeFileSync(input, bytes());
    const { code, stderr, rows } = await check(input);
    expect(code).toBe(2);
    expect(stderr).toContain(`${input} ${says}`);
    expect(stderr).toContain('[INPUT_FORMAT]');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(CONTROL);
    expect(rows).toEqual([]);
  });

  it('says so for standard input too', async () => {
    const run = await runCli(['check', '-', '--api', 'dlr', '--out', join(tempDir(), 'out.csv')], { input: gzipSync(text) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Standard input is a gzip-compressed file');
  });

  it.each([
    ['utf-16le', 'UTF-16LE'],
    ['utf-16be', 'UTF-16BE'],
  ] as const)('reads %s without a BOM by its zero bytes', async (encoding, described) => {
    const input = join(tempDir(), 'unicode.txt');
    const le = Buffer.from(text.toString('utf8'), 'utf16le');
    writeFileSync(input, encoding === 'utf-16le' ? le : le.swap16());
    const { code, stderr, rows } = await check(input);
    expect(stderr).toContain(`${described}, semicolon`);
    expect(rows.map((r) => r.result_status)).toEqual(['VALID', 'VALID', 'VALID']);
    expect(rows[0]?.CallerName).toBe('Café Montréal');
    expect(code).toBe(0);
  });

  it('shows a header cell without its control characters', async () => {
    const input = join(tempDir(), 'odd-header.csv');
    writeFileSync(input, 'Ident\u0007ifier,Caller\u001b[31mName,Phone\u0000\nx,y,z\n');
    const { code, stderr } = await check(input);
    expect(code).toBe(2);
    expect(stderr).toContain('[HEADER_MISSING_FIELD]');
    expect(stderr).toContain('its columns are: Ident\\x07ifier, Caller\\x1b[31mName, Phone\\x00)');
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

const HEADER = ['Identifier', 'CallerName', 'CallbackNumber', 'HouseNumber', 'StreetName', 'City', 'StateCode', 'Zip', 'Country'];
const ROW = ['RDUhq00000000001', 'Raleigh', '9195552101', '900', 'Main Campus Dr', 'Raleigh', 'NC', '27606', 'US'];

/** A worksheet part with inline strings (no shared strings needed). */
function sheetXml(rows: readonly (readonly string[])[]): string {
  const cell = (v: string, c: number, r: number) => `<c r="${String.fromCharCode(65 + c)}${r}" t="inlineStr"><is><t>${v}</t></is></c>`;
  const body = rows.map((row, r) => `<row r="${r + 1}">${row.map((v, c) => cell(v, c, r + 1)).join('')}</row>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

interface Writer {
  /** The order of the parts in the zip. */
  readonly order: readonly string[];
  /** How workbook.xml.rels names a worksheet part. */
  readonly target: (n: number) => string;
}

/** openpyxl (and pandas through it): worksheets first, workbook.xml near the end, absolute targets. */
const OPENPYXL: Writer = {
  order: [
    'docProps/app.xml',
    'xl/worksheets/sheet1.xml',
    'xl/worksheets/sheet2.xml',
    'xl/sharedStrings.xml',
    'xl/styles.xml',
    '_rels/.rels',
    'xl/workbook.xml',
    'xl/_rels/workbook.xml.rels',
    '[Content_Types].xml',
  ],
  target: (n) => `/xl/worksheets/sheet${n}.xml`,
};
/** LibreOffice: the workbook and its relationships first, relative targets. */
const LIBREOFFICE: Writer = {
  order: [
    '_rels/.rels',
    'docProps/app.xml',
    'xl/_rels/workbook.xml.rels',
    'xl/workbook.xml',
    'xl/styles.xml',
    'xl/worksheets/sheet1.xml',
    'xl/worksheets/sheet2.xml',
    'xl/sharedStrings.xml',
    '[Content_Types].xml',
  ],
  target: (n) => `worksheets/sheet${n}.xml`,
};
/** Relationships and shared strings before the workbook, and the second sheet's part before the first's. */
const SHUFFLED: Writer = {
  order: ['[Content_Types].xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/workbook.xml', '_rels/.rels'],
  target: (n) => `worksheets/sheet${n}.xml`,
};

/** A two-sheet workbook, Instructions then Endpoints, written with `writer`'s part order and targets. */
async function workbook(path: string, writer: Writer): Promise<void> {
  const { default: JSZip } = await import('jszip');
  const ns = 'http://schemas.openxmlformats.org/';
  const parts: Record<string, string> = {
    '[Content_Types].xml': `<?xml version="1.0"?><Types xmlns="${ns}package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="${ns}package/2006/relationships"><Relationship Id="rId1" Type="${ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'docProps/app.xml': `<?xml version="1.0"?><Properties xmlns="${ns}officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>`,
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${ns}spreadsheetml/2006/main" xmlns:r="${ns}officeDocument/2006/relationships"><sheets><sheet name="Instructions" sheetId="1" r:id="rId1"/><sheet name="Endpoints" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="${ns}package/2006/relationships"><Relationship Id="rId1" Type="${ns}officeDocument/2006/relationships/worksheet" Target="${writer.target(1)}"/><Relationship Id="rId2" Type="${ns}officeDocument/2006/relationships/worksheet" Target="${writer.target(2)}"/><Relationship Id="rId3" Type="${ns}officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId4" Type="${ns}officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/styles.xml': `<?xml version="1.0"?><styleSheet xmlns="${ns}spreadsheetml/2006/main"><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="${ns}spreadsheetml/2006/main" count="0" uniqueCount="0"/>`,
    'xl/worksheets/sheet1.xml': sheetXml([['Fill in the Endpoints sheet'], ['one row per phone']]),
    'xl/worksheets/sheet2.xml': sheetXml([HEADER, ROW]),
  };
  const zip = new JSZip();
  for (const name of writer.order) zip.file(name, parts[name]!);
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

describe('esprov check: workbooks from other writers', () => {
  it.each([
    ['openpyxl (pandas)', OPENPYXL],
    ['LibreOffice', LIBREOFFICE],
    ['a writer with its own part order', SHUFFLED],
  ])("%s: --sheet finds the sheet by the name the workbook gives it, and the first sheet is the workbook's first", async (_, writer) => {
    const path = join(tempDir(), 'export.xlsx');
    await workbook(path, writer);
    const endpoints = await check(path, '--sheet', 'Endpoints');
    expect(endpoints.stderr).toContain('xlsx, sheet "Endpoints"');
    expect(endpoints.rows.map((r) => [r.Identifier, r.result_row, r.result_status])).toEqual([['RDUhq00000000001', '2', 'VALID']]);
    expect(endpoints.code).toBe(0);
    const first = await check(path);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('[HEADER_MISSING_FIELD]');
    expect(first.stderr).toContain('its columns are: Fill in the Endpoints sheet)');
    const wrong = await check(path, '--sheet', 'Sheet1');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('The workbook has no sheet "Sheet1"; its sheets are: Instructions, Endpoints.');
  });

  it('exceljs: the same, from a workbook exceljs wrote', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const path = join(tempDir(), 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Instructions').addRow(['Fill in the Endpoints sheet']);
    const ws = wb.addWorksheet('Endpoints');
    ws.addRow(HEADER);
    ws.addRow(ROW);
    await wb.xlsx.writeFile(path);
    const endpoints = await check(path, '--sheet', 'Endpoints');
    expect(endpoints.rows.map((r) => [r.Identifier, r.result_status])).toEqual([['RDUhq00000000001', 'VALID']]);
    const wrong = await check(path, '--sheet', 'Nope');
    expect(wrong.stderr).toContain('its sheets are: Instructions, Endpoints.');
  });
});
