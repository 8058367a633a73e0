// Issue 15 (SPEC §5): a support person filters result_warnings by code. Through the real CLI against
// the sandbox: every warning of every row starts with a warning code of the one code table, so
// "ZIP_ZERO_RESTORED" rows can be picked out of the "ABBREVIATED" noise.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODES } from '../src/rules/codes.js';
import { startSandbox, DEMO_CREDENTIALS, type Sandbox } from '../src/sandbox/index.js';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';
import { startProxy } from './helpers/proxy.js';

const CREDS = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const WARNING_CODES = Object.entries(CODES)
  .filter(([, e]) => e.severity === 'warning')
  .map(([code]) => code);
/** Splits a result_warnings cell before each warning code; the first piece must be empty (the cell starts with a code). */
const SPLIT = new RegExp(`(?:^| )(?=(?:${WARNING_CODES.join('|')}): )`);
const codesOf = (cell: string): string[] => (cell === '' ? [] : cell.split(SPLIT).map((w) => w.slice(0, w.indexOf(': '))));
/** The rows whose warnings include `code`: what a spreadsheet filter "contains CODE:" gives. */
const withWarning = (rows: Record<string, string>[], code: string) => rows.filter((r) => codesOf(r.result_warnings ?? '').includes(code));

describe('result_warnings filtered by code', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const run = async (input: string, ...flags: string[]) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    const r = await runCli(['run', input, '--api', 'dlr', '--account', '1501', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'state.db'), '--rate', '0', '--out', out, ...flags], {
      env: CREDS,
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return readResult(out);
  };

  it('every warning starts with a warning code; the codes pick out their rows', async () => {
    const rows = await run('samples/dlr-offices.csv');
    const warned = rows.filter((r) => r.result_warnings !== '');
    expect(warned.length).toBeGreaterThan(10);
    for (const r of warned) {
      const codes = codesOf(r.result_warnings!);
      expect(
        codes.every((c) => WARNING_CODES.includes(c)),
        r.result_warnings,
      ).toBe(true);
    }
    expect(withWarning(rows, 'ZIP_ZERO_RESTORED').map((r) => r['Endpoint ID'])).toEqual(['BOSoffice000000001']);
    expect(withWarning(rows, 'ADDRESS_ADJUSTED').map((r) => r['Endpoint ID'])).toContain('MSHplant0000000001');
    expect(withWarning(rows, 'ABBREVIATED').length).toBeGreaterThan(withWarning(rows, 'ZIP_ZERO_RESTORED').length);
  });

  it('a rerun marks the kept refusals REJECTED_KEPT, and --delete-missing the deleted endpoints DELETED_MISSING', async () => {
    const rows = await run('samples/dlr-offices.csv');
    expect(withWarning(rows, 'REJECTED_KEPT').map((r) => r.result_status)).toEqual(['REJECTED', 'REJECTED']);
    const lines = readFileSync(join(ROOT, 'samples/dlr-offices.csv'), 'utf8').trimEnd().split('\n');
    const shorter = join(dir, 'shorter.csv');
    writeFileSync(shorter, `${lines.filter((l) => !l.startsWith('RDUhq5thFloorDesk02,')).join('\n')}\n`);
    const after = await run(shorter, '--delete-missing', '--force');
    expect(withWarning(after, 'DELETED_MISSING').map((r) => [r['Endpoint ID'], r.result_status])).toEqual([['RDUhq5thFloorDesk02', 'DELETED']]);
  });
});

describe('a unified address the API did not validate', () => {
  it('warns ADDRESS_UNVALIDATED on its rows (the sandbox validates all: a proxy says UNVALIDATED)', async () => {
    const sandbox = await startSandbox({ seed: 8 });
    const proxy = await startProxy(sandbox.url, {
      rewrite: (method, url, body) => (method === 'POST' && url.includes('/addresses') ? body.replace('"validationStatus":"VALID"', '"validationStatus":"UNVALIDATED"') : body),
    });
    try {
      const dir = tempDir();
      const out = join(dir, 'unified.csv');
      const r = await runCli(
        ['run', 'samples/unified-europe.csv', '--api', 'unified', '--account', '1502', '--base-url', `${proxy.url}/api/v2`, '--state', join(dir, 'state.db'), '--rate', '0', '--out', out],
        { env: CREDS },
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const rows = readResult(out);
      const unvalidated = withWarning(rows, 'ADDRESS_UNVALIDATED');
      expect(unvalidated.length).toBeGreaterThan(0);
      expect(unvalidated.filter((row) => row.result_status === 'SUCCESS').length).toBeGreaterThan(0);
      for (const row of rows.filter((x) => x.result_warnings !== '')) expect(codesOf(row.result_warnings!).every((c) => WARNING_CODES.includes(c))).toBe(true);
    } finally {
      await proxy.close();
      await sandbox.close();
    }
  });
});
