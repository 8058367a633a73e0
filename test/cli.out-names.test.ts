// Two nights' files cannot be confused: --out, --errors-out, --summary-json and --log-file take {date} (the
// run's local start date) and {runId}; the summary JSON and the Summary sheet name the run id, the
// input file (absolute), the start time and the state store, for run, check and a refusal alike.
// Through the real CLI (run --sandbox: the simulator in the CLI's process, on loopback).

import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers/cli.js';

const SAMPLE = 'samples/dlr-bandwidth-template.csv';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Json {
  command: string;
  exitCode: number;
  runId: string;
  input: string;
  inputPath: string;
  output: string;
  errorsOutput?: string;
  startedAt: string;
  state?: string;
  error?: { code: string; message: string };
}

const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

// A zone whose date differs from UTC's at this hour, so that a UTC date in the name would show.
const ZONE = new Date().getUTCHours() < 12 ? 'Etc/GMT+12' : 'Etc/GMT-14';
const dateIn = (iso: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

async function summarySheet(path: string): Promise<Record<string, unknown>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const facts: Record<string, unknown> = {};
  wb.getWorksheet('Summary')!.eachRow((r) => {
    facts[String(r.getCell(1).value)] = r.getCell(2).value;
  });
  return facts;
}

describe('{date} and {runId} in the names of the files a command writes', () => {
  const dir = tempDir();
  const state = join(dir, 'state.db');

  it('run: the result, the rows to fix and the summary are named by the local start date and the run id, which the summary names too', async () => {
    const r = await runCli(
      [
        'run',
        SAMPLE,
        '--api',
        'dlr',
        '--sandbox',
        '--state',
        state,
        '-q',
        '--out',
        join(dir, '{date}-{runId}.xlsx'),
        '--errors-out',
        join(dir, '{date}-{runId}.fix.csv'),
        '--summary-json',
        join(dir, 'run-{runId}.json'),
        '--log-file',
        join(dir, 'logs', '{date}-{runId}.log'),
      ],
      { env: { TZ: ZONE } },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summaries = readdirSync(dir).filter((f) => f.startsWith('run-'));
    expect(summaries).toHaveLength(1);
    const runId = summaries[0]!.slice('run-'.length, -'.json'.length);
    expect(runId).toMatch(UUID);
    const json = readJson(join(dir, summaries[0]!));
    const date = dateIn(json.startedAt);
    expect(json).toMatchObject({ command: 'run', runId, input: SAMPLE, inputPath: resolve(ROOT, SAMPLE), state: resolve(state) });
    expect(json.output).toBe(join(dir, `${date}-${runId}.xlsx`));
    expect(json.errorsOutput).toBe(join(dir, `${date}-${runId}.fix.csv`));
    expect(readdirSync(dir).filter((f) => f.includes('{') || f.includes('}'))).toEqual([]);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining([`${date}-${runId}.xlsx`, `${date}-${runId}.fix.csv`]));
    // A nightly log file per night, its lines carrying the same run id.
    expect(readdirSync(join(dir, 'logs'))).toEqual([`${date}-${runId}.log`]);
    const logLines = readFileSync(join(dir, 'logs', `${date}-${runId}.log`), 'utf8')
      .trim()
      .split('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.every((l) => (JSON.parse(l) as { runId?: string }).runId === runId)).toBe(true);

    expect(await summarySheet(json.output)).toMatchObject({ 'Run id': runId, Input: resolve(ROOT, SAMPLE), Started: json.startedAt, 'State store': resolve(state) });
  });

  it('check: the same names, and the summary names the run id, input, start and the store it read', async () => {
    const r = await runCli(['check', SAMPLE, '--api', 'dlr', '-q', '--state', state, '--out', join(dir, 'check-{date}.xlsx'), '--summary-json', join(dir, 'check-{runId}.json')], {
      env: { TZ: ZONE },
    });
    expect(r.code).toBe(0);
    const name = readdirSync(dir).find((f) => f.startsWith('check-') && f.endsWith('.json'))!;
    const json = readJson(join(dir, name));
    expect(name).toBe(`check-${json.runId}.json`);
    expect(json.runId).toMatch(UUID);
    expect(json).toMatchObject({ command: 'check', inputPath: resolve(ROOT, SAMPLE), state: resolve(state) });
    expect(json.output).toBe(join(dir, `check-${dateIn(json.startedAt)}.xlsx`));
    expect(await summarySheet(json.output)).toMatchObject({ 'Run id': json.runId, Input: resolve(ROOT, SAMPLE), Started: json.startedAt, 'State store': resolve(state) });
  });

  it('a placeholder esprov does not know is refused in one line, nothing written under that name; the refusal summary names the run', async () => {
    const d = tempDir();
    const r = await runCli(['run', SAMPLE, '--api', 'dlr', '--sandbox', '--state', join(d, 'state.db'), '--out', join(d, '{nightly}.xlsx'), '--summary-json', join(d, 'refused-{runId}.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `esprov: --out ${join(d, '{nightly}.xlsx')}: {nightly} is not a placeholder esprov knows; use {date} (the run's start date, YYYY-MM-DD) or {runId} (the run id), or leave the braces out. Nothing was sent. [OUT_INVALID]`,
    ]);
    const names = readdirSync(d);
    expect(names.filter((f) => f.includes('{'))).toEqual([]);
    const summary = names.find((f) => f.startsWith('refused-'))!;
    const json = readJson(join(d, summary));
    expect(summary).toBe(`refused-${json.runId}.json`);
    expect(json).toMatchObject({ command: 'run', exitCode: 2, error: { code: 'OUT_INVALID' }, inputPath: resolve(ROOT, SAMPLE), state: resolve(d, 'state.db') });
    expect(json.runId).toMatch(UUID);
    expect(Number.isNaN(Date.parse(json.startedAt))).toBe(false);

    // In --summary-json itself: refused the same way, and no summary under a literal name.
    const s = await runCli(['check', SAMPLE, '--api', 'dlr', '--out', join(d, 'c.csv'), '--summary-json', join(d, 'summary-{when}.json')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('--summary-json');
    expect(s.stderr).toContain('{when} is not a placeholder esprov knows');
    expect(readdirSync(d).filter((f) => f.includes('{') || f === 'c.csv')).toEqual([]);
  });

  it('--help says so for check and run', async () => {
    for (const command of ['check', 'run']) {
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      // One line per flag, however commander wraps them.
      const text = help.stdout.replace(/\s+/g, ' ');
      expect(text).toContain("--out <file> result file, .csv or .xlsx; {date} and {runId} in the name become the run's start date and id");
      expect(text).toMatch(/--errors-out <file> [^-]*\{date\} and \{runId\} as in --out/);
      expect(text).toMatch(/--summary-json <file> [^-]*\{date\} and \{runId\} as in --out/);
    }
  });

  it('the writability check sees the expanded name', async () => {
    const d = tempDir();
    const r = await runCli(['check', SAMPLE, '--api', 'dlr', '--out', join(d, 'missing', '{runId}.csv'), '--summary-json', join(d, 's.json')]);
    expect(r.code).toBe(2);
    const json = readJson(join(d, 's.json'));
    expect(json.error?.code).toBe('OUTPUT_UNWRITABLE');
    expect(r.stderr).toContain(`--out ${join(d, 'missing', `${json.runId}.csv`)}:`);
    expect(json.output).toBe(join(d, 'missing', `${json.runId}.csv`));
  });
});
