// The .xlsx result as the support view, through the real CLI against the sandbox: the row's key,
// status, code and message first and frozen, for the result and --errors-out alike; CSV keeps its
// order; and the sheet feeds back in as it is (headers are read by name): every row it provisioned
// is UNCHANGED, no call is made, and the key column is not doubled.

import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';

const CREDS = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const FRONT = ['result_status', 'result_error_code', 'result_error_message'];
const SAMPLE_HEADER = 'Endpoint ID,Caller Name,Callback Number,Language,Location ID,House Number,Pre Dir,Street,Street Suffix,Address Line 2,City,State,Zip,Country,Notes'.split(',');

async function sheetOf(path: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb.worksheets[0]!;
}

const headerOf = (ws: ExcelJS.Worksheet): string[] => (ws.getRow(1).values as string[]).slice(1);

/** Rows as objects keyed by header. */
function rowsOf(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const header = headerOf(ws);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((r, n) => {
    if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, r.getCell(i + 1).value])));
  });
  return rows;
}

const countBy = (values: unknown[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
};

describe('the .xlsx result is the support view', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const run = (input: string, out: string, ...flags: string[]) =>
    runCli(['run', input, '--api', 'dlr', '--account', '4401', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'state.db'), '--rate', '0', '--out', out, ...flags], { env: CREDS });
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('puts Endpoint ID, status, code and message first, frozen, in the result and in --errors-out; the CSV keeps its order', async () => {
    const result = await run('samples/dlr-offices.csv', join(dir, 'result.xlsx'), '--errors-out', join(dir, 'to-fix.xlsx'));
    expect(result.code).toBe(1);
    for (const file of ['result.xlsx', 'to-fix.xlsx']) {
      const ws = await sheetOf(join(dir, file));
      const header = headerOf(ws);
      expect(header.slice(0, 4)).toEqual(['Endpoint ID', ...FRONT]);
      // The other input columns follow in their order, each once.
      expect(header.filter((h) => !h.startsWith('result_'))).toEqual(['Endpoint ID', ...SAMPLE_HEADER.filter((h) => h !== 'Endpoint ID')]);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 4, ySplit: 1 });
      const rows = rowsOf(ws);
      expect(rows.every((r) => typeof r.result_row === 'number')).toBe(true);
    }
    const toFix = rowsOf(await sheetOf(join(dir, 'to-fix.xlsx')));
    expect(countBy(toFix.map((r) => r.result_status))).toEqual({ INVALID: 11, REJECTED: 2 });
    expect(headerOf(await sheetOf(join(dir, 'to-fix.xlsx'))).at(-1)).toBe('result_row');

    const csv = await run('samples/dlr-offices.csv', join(dir, 'result.csv'));
    expect(csv.code).toBe(1);
    expect(Object.keys(readResult(join(dir, 'result.csv'))[0]!).slice(0, SAMPLE_HEADER.length + 3)).toEqual([...SAMPLE_HEADER, 'result_row', 'result_action', 'result_status']);
  });

  it('fed back in as it is, provisions nothing again: no call, the same rows, provisioned ones UNCHANGED, the key column once', async () => {
    const before = sandbox.ledger().accounts['4401']!;
    const again = await run(join(dir, 'result.xlsx'), join(dir, 'again.xlsx'));
    expect(again.stderr).not.toContain('HEADER_');
    expect(again.code).toBe(1);
    const after = sandbox.ledger().accounts['4401']!;
    expect(after.writeCalls).toBe(before.writeCalls);
    expect(after.dlr.calls).toEqual(before.dlr.calls);
    const ws = await sheetOf(join(dir, 'again.xlsx'));
    const header = headerOf(ws);
    expect(header.filter((h) => h === 'Endpoint ID')).toHaveLength(1);
    expect(header).toEqual(headerOf(await sheetOf(join(dir, 'result.xlsx'))));
    const rows = rowsOf(ws);
    // What was provisioned is UNCHANGED, line 30 too (the first of a duplicate Identifier, as provisioned);
    // only its duplicate on line 31 stays refused (pipeline/duplicates.ts).
    expect(countBy(rows.map((r) => r.result_status))).toEqual({ UNCHANGED: 37, INVALID: 11, REJECTED: 2 });
    expect(rows.filter((r) => r.result_error_code === 'IDENTIFIER_DUPLICATE').map((r) => r.result_row)).toEqual([31]);
    // The same rows, in the same order, with the input's line numbers.
    const first = rowsOf(await sheetOf(join(dir, 'result.xlsx')));
    expect(rows.map((r) => [r['Endpoint ID'], r.result_row])).toEqual(first.map((r) => [r['Endpoint ID'], r.result_row]));
  });

  it('unified: the phone number column comes first (check, offline)', async () => {
    const out = join(dir, 'europe.check.xlsx');
    const check = await runCli(['check', 'samples/unified-europe.csv', '--api', 'unified', '--out', out]);
    expect([0, 1]).toContain(check.code);
    expect(headerOf(await sheetOf(out)).slice(0, 4)).toEqual(['Phone Number', ...FRONT]);
  });
});
