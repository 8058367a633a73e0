// esprov check through the real CLI: every encoding, delimiter and broken-record fixture, xlsx,
// standard input, exit codes, and one result row per input record, in order.

import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fixture, readResult, runCli, tempDir } from './helpers/cli.js';

async function check(input: string, ...flags: string[]): Promise<{ code: number; stderr: string; rows: Record<string, string>[]; out: string }> {
  const out = join(tempDir(), 'result.csv');
  const run = await runCli(['check', input, '--api', 'dlr', '--out', out, ...flags]);
  return { code: run.code, stderr: run.stderr, rows: existsSync(out) ? readResult(out) : [], out };
}

describe('esprov check: encodings and delimiters', () => {
  it.each([
    ['utf8-bom-comma.csv', 'UTF-8, comma'],
    ['utf8-semicolon.csv', 'UTF-8, semicolon'],
    ['utf16le-bom-tab.txt', 'UTF-16LE, tab'],
    ['cp1252-semicolon.csv', 'WINDOWS-1252, semicolon'],
    ['pipe.txt', 'UTF-8, pipe'],
    ['tab.tsv', 'UTF-8, tab'],
  ])('%s is read as %s', async (name, described) => {
    const { code, stderr, rows } = await check(fixture('input', name));
    expect(stderr).toContain(described);
    expect(code).toBe(0);
    expect(rows.map((r) => r.result_status)).toEqual(['VALID', 'VALID', 'VALID']);
    expect(rows[0]?.CallerName).toBe('Café Montréal');
    expect(rows[0]?.result_std_address).toBe('1000 DE LA GAUCHETIÈRE ST, BUREAU 2100, MONTRÉAL, QC H3B 4W5, CA');
    expect(rows[1]?.CallerName).toBe('Reception, Main');
    expect(rows[2]?.CallerName).toBe('Lab "Blue" Phone');
    expect(rows.map((r) => r.result_row)).toEqual(['2', '3', '4']);
  });

  it('keeps quoted commas, quotes and line breaks, and numbers rows by their first line', async () => {
    const { rows } = await check(fixture('input', 'quoted-multiline-crlf.csv'));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.CallerName).toBe('Reception, "Main"');
    expect(rows[0]?.AddressLine2).toBe('Suite 500\r\nback entrance');
    expect(rows[0]?.result_std_address).toContain('STE 500 BACK ENTRANCE');
    expect(rows.map((r) => r.result_row)).toEqual(['2', '4']);
  });

  it("reads Bandwidth's own DLR template as it is", async () => {
    const { code, rows } = await check(fixture('input', 'bandwidth-dlr-template.csv'));
    expect(code).toBe(0);
    expect(rows[0]?.result_location_id).toBe('CorpOffice5thFloor');
    expect(rows[0]?.result_std_address).toBe('900 MAIN CAMPUS DR, STE 500, RALEIGH, NC 27606, US');
    expect(rows[1]?.result_std_address).toBe('904 E ANSUN ST, MARSHALLTOWN, IA 50158-3522, US');
  });
});

describe('esprov check: bad records', () => {
  it('turns each broken record into one INVALID row naming its line, and goes on', async () => {
    const { code, rows } = await check(fixture('input', 'broken-records.csv'));
    expect(code).toBe(1);
    expect(rows.map((r) => [r.result_row, r.result_status, r.result_error_code])).toEqual([
      ['2', 'VALID', ''],
      ['3', 'INVALID', 'RECORD_CELL_COUNT'],
      ['4', 'INVALID', 'RECORD_CELL_COUNT'],
      ['6', 'VALID', ''],
      ['7', 'INVALID', 'RECORD_UNPARSEABLE'],
    ]);
    expect(rows[1]?.result_error_message).toBe('Line 3 has 5 cells but the header has 11: check for a stray or missing comma.');
    expect(rows[4]?.result_error_message).toBe(
      'Line 7 could not be read (a quote opened on this line is never closed, so the rest of the file could not be read): fix the quoting on that line and run again.',
    );
  });

  it('splits lines a stray quote ran together back into one INVALID row each', async () => {
    const { rows } = await check(fixture('input', 'stray-quote.csv'));
    expect(rows.map((r) => [r.result_row, r.result_status, r.result_error_code])).toEqual([
      ['2', 'INVALID', 'RECORD_UNPARSEABLE'],
      ['3', 'INVALID', 'RECORD_UNPARSEABLE'],
      ['4', 'INVALID', 'RECORD_UNPARSEABLE'],
      ['5', 'VALID', ''],
    ]);
    expect(rows.map((r) => r.Identifier)).toEqual(['AAAAAAAAAA01', 'AAAAAAAAAA02', 'AAAAAAAAAA03', 'AAAAAAAAAA04']);
  });

  it('refuses a file without the columns it needs, with exit 2 and no stack trace', async () => {
    const { code, stderr, rows } = await check(fixture('input', 'missing-columns.csv'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/no column for CallbackNumber, City, StateCode, Zip, HouseNumber and StreetName \(or AddressLine1\)/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(rows).toEqual([]);
  });

  it('exit 2 for an empty or missing file, and for a missing --api', async () => {
    expect((await check(fixture('input', 'empty.csv'))).code).toBe(2);
    const missing = await check(fixture('input', 'no-such-file.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const noApi = await runCli(['check', fixture('input', 'pipe.txt')]);
    expect(noApi.code).toBe(2);
    expect(noApi.stderr).toContain('--api dlr');
  });

  it('reports a duplicate Identifier and a LocationId naming two addresses', async () => {
    const dir = tempDir();
    const input = join(dir, 'dups.csv');
    writeFileSync(
      input,
      [
        'Identifier,CallerName,CallbackNumber,LocationId,HouseNumber,StreetName,City,StateCode,Zip',
        'RDUhq00000000001,A,9195552101,LocA,900,Main Campus Dr,Raleigh,NC,27606',
        'RDUhq00000000001,B,9195552102,LocA,900,Main Campus Dr,Raleigh,NC,27606',
        'RDUhq00000000003,C,9195552103,LocA,901,Main Campus Dr,Raleigh,NC,27606',
        'RDUhq00000000004,D,9195552104,LocA,900,Main Campus Drive,Raleigh,NC,27606',
      ].join('\n'),
    );
    const { rows } = await check(input);
    expect(rows.map((r) => r.result_error_code)).toEqual(['', 'IDENTIFIER_DUPLICATE', 'LOCATION_ID_CONFLICT', '']);
    expect(rows[2]?.result_error_message).toBe('LocationId "LocA" names a different address on line 2: one LocationId is one address, correct one of them.');
  });
});

describe('esprov check: xlsx and standard input', () => {
  it('reads numeric cells as the text a person sees, from the sheet asked for', async () => {
    const dir = tempDir();
    const path = join(dir, 'export.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['not this one']);
    const ws = wb.addWorksheet('Endpoints');
    ws.addRow(['Identifier', 'CallerName', 'CallbackNumber', 'HouseNumber', 'StreetName', 'City', 'StateCode', 'Zip', 'Country']);
    const row = ws.addRow(['BOSoffice000000001', 'Boston', 6175552201, 100, 'Summer St', 'Boston', 'MA', 2110, 'US']);
    row.getCell(8).numFmt = '00000';
    ws.addRow(['RDUhq00000000001', 'Raleigh', 9195552101, 900, 'Main Campus Dr', 'Raleigh', 'NC', 27606, 'US']);
    await wb.xlsx.writeFile(path);
    const out = join(dir, 'out.csv');
    const run = await runCli(['check', path, '--api', 'dlr', '--sheet', 'Endpoints', '--out', out]);
    expect(run.code).toBe(0);
    const rows = readResult(out);
    expect(rows.map((r) => [r.CallbackNumber, r.Zip, r.result_status])).toEqual([
      ['6175552201', '02110', 'VALID'],
      ['9195552101', '27606', 'VALID'],
    ]);
    const wrongSheet = await runCli(['check', path, '--api', 'dlr', '--sheet', 'Nope', '--out', out]);
    expect(wrongSheet.code).toBe(2);
    expect(wrongSheet.stderr).toContain('its sheets are: Notes, Endpoints');
  });

  it('reads CSV from standard input with -', async () => {
    const out = join(tempDir(), 'stdin.csv');
    const run = await runCli(['check', '-', '--api', 'dlr', '--out', out], { input: readFileSync(fixture('input', 'utf8-semicolon.csv')) });
    expect(run.code).toBe(0);
    expect(readResult(out)).toHaveLength(3);
  });
});

describe('esprov check: result file', () => {
  it('neutralizes formulas but leaves phone numbers as they are', async () => {
    const out = join(tempDir(), 'unified.csv');
    const run = await runCli(['check', fixture('input', 'formula-injection-unified.csv'), '--api', 'unified', '--out', out]);
    expect(run.code).toBe(0);
    const rows = readResult(out);
    expect(rows.map((r) => [r.PhoneNumber, r.CallerName, r.CompanyName])).toEqual([
      ['+31798080101', `'=HYPERLINK("http://x")`, "'@SUM(A1)"],
      ['+442079460000', "'-cmd|calc", "'+ACME"],
    ]);
  });

  it('writes UTF-8 with a BOM by default, none with --no-bom, and leaves no temporary file', async () => {
    const dir = tempDir();
    const withBom = join(dir, 'a.csv');
    const without = join(dir, 'b.csv');
    await runCli(['check', fixture('input', 'pipe.txt'), '--api', 'dlr', '--out', withBom]);
    await runCli(['check', fixture('input', 'pipe.txt'), '--api', 'dlr', '--out', without, '--no-bom']);
    expect([...readFileSync(withBom).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readFileSync(without).subarray(0, 10).toString()).toBe('Identifier');
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv']);
  });

  it('writes an .xlsx result with every cell as text', async () => {
    const out = join(tempDir(), 'result.xlsx');
    const run = await runCli(['check', fixture('input', 'bandwidth-dlr-template.csv'), '--api', 'dlr', '--out', out]);
    expect(run.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('Results')!;
    // The support view: Identifier, status, code and message, then the other columns.
    const header = (ws.getRow(1).values as string[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['Identifier', 'result_status', 'result_error_code', 'result_error_message', 'CallerName']);
    expect(ws.getRow(2).getCell(header.indexOf('CallbackNumber') + 1).value).toBe('5555561234');
    expect(ws.getRow(2).getCell(header.indexOf('Zip') + 1).value).toBe('27606');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 4 });
  });

  it("defaults --out to <input>.check.csv beside the input, leaving a run's <input>.result.csv alone", async () => {
    const dir = tempDir();
    const input = join(dir, 'export.csv');
    writeFileSync(input, readFileSync(fixture('input', 'pipe.txt')));
    writeFileSync(join(dir, 'export.result.csv'), "the last run's result\n");
    const run = await runCli(['check', input, '--api', 'dlr']);
    expect(run.code).toBe(0);
    expect(readResult(join(dir, 'export.check.csv'))).toHaveLength(3);
    expect(readFileSync(join(dir, 'export.result.csv'), 'utf8')).toBe("the last run's result\n");
  });

  it('gives exactly one result row per input record, in order, over a generated file', async () => {
    const dir = tempDir();
    const input = join(dir, 'many.csv');
    const lines = ['Identifier,CallerName,CallbackNumber,HouseNumber,StreetName,City,StateCode,Zip'];
    const expected: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const id = `ID${String(i).padStart(10, '0')}`;
      // Every 7th row is broken in a different way; every row still gets exactly one result.
      if (i % 7 === 3) lines.push(`${id},Short,9195552101`);
      else if (i % 7 === 5) lines.push(`${id},Bad,123,900,Main,Raleigh,NC,27606`);
      else lines.push(`${id},"Name, ${i}",9195552101,${i + 1},Main Campus Dr,Raleigh,NC,27606`);
      expected.push(id);
    }
    writeFileSync(input, `${lines.join('\n')}\n`);
    const { rows } = await check(input);
    expect(rows.map((r) => r.Identifier)).toEqual(expected);
    expect(rows.map((r) => Number(r.result_row))).toEqual(expected.map((_, i) => i + 2));
  });
});

describe('esprov --help and --version', () => {
  it('prints help with examples and the version', async () => {
    const help = await runCli(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = await runCli(['frobnicate']);
    expect(bad.code).toBe(2);
  });
});
