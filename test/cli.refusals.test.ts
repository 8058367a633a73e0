// Every refusal through the real CLI against the sandbox: exit 2, one line with its code and no
// stack trace, no temporary file left, --summary-json replaced by one that names the error, nothing
// sent, and no run left 'running' in the state store.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { StateStore } from '../src/state/store.js';
import { ROOT, readResult, runCli, tempDir, type CliRun } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const [header, ...records] = parse(readFileSync(join(ROOT, 'samples/dlr-bandwidth-template.csv')), { bom: true }) as string[][];

/** A refusal as the user meets it: exit 2, one line ending in its code, no stack trace. */
function expectRefusal(r: CliRun, code: string): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^esprov: .* \\[${code}\\]$`));
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|Unhandled/);
}

describe('refusals', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const state = join(dir, 'state.db');
  const input = (name: string, rows: string[][]): string => {
    const path = join(dir, name);
    writeFileSync(path, stringify([header!, ...rows]));
    return path;
  };
  const run = (file: string, ...flags: string[]) => runIn(false, file, ...flags);
  // Another process's run (a lock is held per process).
  const runIn = (spawn: boolean, file: string, ...flags: string[]) =>
    runCli(['run', file, '--api', 'dlr', '--account', '7001', '--base-url', `${sandbox.url}/api`, '--state', state, '--rate', '0', '-q', ...flags], { env: ENV, spawn });
  const writes = () => sandbox.ledger().accounts['7001']?.writeCalls ?? 0;
  const geocodes = () => Object.keys(sandbox.ledger().accounts['7001']?.dlr.geocodes ?? {}).length;
  const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
  const runningRuns = async () => {
    const status = await runCli(['status', '--state', state]);
    expect(status.code).toBe(0);
    return status.stdout.split('\n').filter((l) => l.includes(': running'));
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3 });
    const first = await run(input('all.csv', records), '--out', join(dir, 'first.csv'));
    expect(first.code).toBe(0);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  describe.each(['csv', 'xlsx'])('with a .%s result and --errors-out', (ext) => {
    const outputs = () => {
      const summary = join(dir, `summary-${ext}.json`);
      writeFileSync(summary, '{"exitCode": 0, "note": "yesterday"}\n');
      return { summary, flags: ['--out', join(dir, `refused.${ext}`), '--errors-out', join(dir, `fix.${ext}`), '--summary-json', summary] };
    };
    const expectSummary = (path: string, code: string) => {
      const json = JSON.parse(readFileSync(path, 'utf8')) as { exitCode: number; error?: { code: string; message: string } };
      expect(json.exitCode).toBe(2);
      expect(json.error?.code).toBe(code);
      expect(json.error?.message).toMatch(/nothing was sent/);
    };

    it('--max-delete refuses with its own line, leaves no temporary file and no running run', async () => {
      const before = writes();
      const { summary, flags } = outputs();
      const r = await run(input(`truncated-${ext}.csv`, records.slice(0, 1)), '--delete-missing', ...flags);
      expectRefusal(r, 'MAX_DELETE_EXCEEDED');
      expect(r.stderr).toContain('over the limit of 10%');
      expect(leftovers()).toEqual([]);
      expect(readdirSync(dir)).not.toContain(`refused.${ext}`);
      expectSummary(summary, 'MAX_DELETE_EXCEEDED');
      expect(writes()).toBe(before);
      expect(await runningRuns()).toEqual([]);
    });

    it('--delete-missing with unreadable lines refuses the same way (DELETE_UNSAFE)', async () => {
      const before = writes();
      const { summary, flags } = outputs();
      const path = input(`broken-${ext}.csv`, records);
      const lines = readFileSync(path, 'utf8').split('\n');
      lines[1] = lines[1]!.replace(',', ',"'); // a stray quote: the line cannot be read
      writeFileSync(path, lines.join('\n'));
      const r = await run(path, '--delete-missing', '--force', ...flags);
      expectRefusal(r, 'DELETE_UNSAFE');
      expect(leftovers()).toEqual([]);
      expectSummary(summary, 'DELETE_UNSAFE');
      expect(writes()).toBe(before);
      expect(await runningRuns()).toEqual([]);
    });

    it('a state store another run holds refuses the run the same way (STATE_LOCKED)', async () => {
      const before = writes();
      const { summary, flags } = outputs();
      const holder = new StateStore(state);
      holder.acquireLock('another-run'); // held by this (live) test process
      try {
        const r = await runIn(
          true,
          input(
            `locked-${ext}.csv`,
            records.map((row) => [`${row[0]}L`, ...row.slice(1)]),
          ),
          ...flags,
        );
        expectRefusal(r, 'STATE_LOCKED');
        expect(leftovers()).toEqual([]);
        const json = JSON.parse(readFileSync(summary, 'utf8')) as { exitCode: number; error?: { code: string } };
        expect([json.exitCode, json.error?.code]).toEqual([2, 'STATE_LOCKED']);
      } finally {
        holder.releaseLock('another-run');
        holder.close();
      }
      expect(writes()).toBe(before);
      expect(await runningRuns()).toEqual([]);
    });
  });

  it.each([
    ['--out', (f: string) => join(f, 'x.csv'), 'is not a folder'],
    ['--errors-out', (f: string) => join(f, 'fix.csv'), 'is not a folder'],
    ['--summary-json', (_f: string) => join(dir, 'no-such-folder', 's.json'), 'does not exist'],
    ['--log-file', (f: string) => join(f, 'run.log'), 'is not a folder'],
  ])('%s that cannot be written refuses the run before anything is sent', async (flag, pathUnder, why) => {
    const file = input(
      `new-${flag.slice(2)}.csv`,
      records.map((r) => [`${r[0]}X`, ...r.slice(1)]),
    );
    const before = { writes: writes(), geocodes: geocodes() };
    const path = pathUnder(file); // under a regular file (ENOTDIR, which blocks root too) or a missing folder
    const others = flag === '--out' ? [] : ['--out', join(dir, `ok-${flag.slice(2)}.csv`)];
    const r = await run(file, ...others, flag, path);
    expectRefusal(r, 'OUTPUT_UNWRITABLE');
    expect(r.stderr).toContain(`${flag} ${path}`);
    expect(r.stderr).toContain(why);
    expect({ writes: writes(), geocodes: geocodes() }).toEqual(before);
    expect(leftovers()).toEqual([]);
    expect(await runningRuns()).toEqual([]);
  });

  it('check refuses an --out it cannot write, and writes its --summary-json with the error', async () => {
    const summary = join(dir, 'check-summary.json');
    const file = input('check.csv', records);
    const r = await runCli(['check', file, '--api', 'dlr', '--out', join(file, 'r.csv'), '--summary-json', summary]);
    expectRefusal(r, 'OUTPUT_UNWRITABLE');
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { command: string; exitCode: number; error: { code: string } };
    expect([json.command, json.exitCode, json.error.code]).toEqual(['check', 2, 'OUTPUT_UNWRITABLE']);
  });

  it.each([
    ['a flag commander refuses', ['--api', 'nope'], 'USAGE_INVALID'],
    ['a flag value esprov refuses', ['--api', 'dlr', '--max-delete', 'lots'], 'FLAG_INVALID'],
  ])("%s is one line and still replaces yesterday's --summary-json", async (_, flags, code) => {
    const summary = join(dir, 'flags-summary.json');
    writeFileSync(summary, '{"exitCode": 0}\n');
    const r = await runCli(['run', input('flags.csv', records), ...flags, '--sandbox', '--summary-json', summary]);
    expectRefusal(r, code);
    const json = JSON.parse(readFileSync(summary, 'utf8')) as { command: string; exitCode: number; error: { code: string } };
    expect([json.command, json.exitCode, json.error.code]).toEqual(['run', 2, code]);
  });

  it('reconcile after refusals finishes the last run that was not refused', async () => {
    const r = await runCli(['reconcile', '--api', 'dlr', '--account', '7001', '--base-url', `${sandbox.url}/api`, '--state', state, '-q'], { env: ENV });
    expect(r.code).toBe(0);
    expect(readResult(join(dir, 'first.csv')).map((row) => row.result_status)).toEqual(records.map(() => 'UNCHANGED'));
  });

  it('a --state that is not a state store is one line naming it, for run and status', async () => {
    const file = input('not-a-store.csv', records);
    for (const args of [['run', file, '--api', 'dlr', '--sandbox', '--out', join(dir, 'nas.csv'), '-q'], ['status']]) {
      const r = await runCli([...args, '--state', file], { env: ENV, timeoutMs: 30_000 });
      // Another kind of file is "not a database" to SQLite: named, with what to do.
      expectRefusal(r, 'STATE_DAMAGED');
      expect(r.stderr).toContain(`The state store ${file} is damaged`);
    }
    expect(leftovers()).toEqual([]);
  });

  it('a state store that cannot be opened is one line with a code, and the sandbox does not keep the process alive', async () => {
    const file = input('state.csv', records);
    const r = await runCli(['run', file, '--api', 'dlr', '--sandbox', '--state', join(file, 'x.db'), '--out', join(dir, 'state-out.csv'), '-q'], { env: ENV, timeoutMs: 30_000 });
    expectRefusal(r, 'FILE_ERROR');
    expect(r.stderr).toContain(file);
  });
});
