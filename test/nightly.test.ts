// The nightly sequence through the CLI against the sandbox: what each run sends is exactly what
// changed, deletes are bounded, a dry run sends nothing.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const ACCOUNT = '6001';
const sample: string[][] = parse(readFileSync(join(ROOT, 'samples/dlr-offices.csv')), { bom: true });
const [header, ...records] = sample as [string[], ...string[][]];
const col = (name: string) => header.indexOf(name);

describe('nightly sync', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const write = (name: string, rows: string[][]) => {
    const path = join(dir, name);
    writeFileSync(path, stringify([header, ...rows]));
    return path;
  };
  const run = async (input: string, ...flags: string[]) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    const r = await runCli(['run', input, '--api', 'dlr', '--account', ACCOUNT, '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'state.db'), '--rate', '0', '--out', out, ...flags], {
      env: ENV,
    });
    return { ...r, rows: r.code === 2 ? [] : readResult(out) };
  };
  const dlr = () => sandbox.ledger().accounts[ACCOUNT]!.dlr;
  const snapshot = () => ({ ...(sandbox.ledger().accounts[ACCOUNT]?.dlr.calls ?? {}) });
  const delta = (before: Record<string, number>) => {
    const after = dlr().calls;
    return Object.fromEntries(
      Object.keys(after)
        .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)])
        .filter(([, v]) => v !== 0),
    );
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 21 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('first run provisions, the same file again sends nothing', async () => {
    const input = write('night1.csv', records);
    const first = snapshot();
    expect((await run(input, '--chunk-size', '5')).code).toBe(1);
    // Open orders are followed by the list of changed orders: an order is read alone only when it did
    // not end COMPLETE (for its errors), and there are fewer list calls than orders.
    const made = delta(first);
    const { total, byStatus } = dlr().orders;
    expect(total - (byStatus.COMPLETE ?? 0)).toBeGreaterThan(0); // the sample's 8014 row: one PARTIAL order
    expect(made['order.get']).toBe(total - (byStatus.COMPLETE ?? 0));
    expect(made['order.list']).toBeGreaterThanOrEqual(1);
    expect(made['order.list']).toBeLessThan(made['order.post']!);
    const before = snapshot();
    const again = await run(input);
    expect(delta(before)).toEqual({});
    expect(again.rows.filter((r) => r.result_status === 'UNCHANGED')).toHaveLength(37);
  });

  it('a dry run plans without sending anything', async () => {
    const rows = records.map((r) => [...r]);
    rows[0]![col('Caller Name')] = 'Renamed in dry run';
    const before = snapshot();
    const dry = await run(write('dry.csv', rows), '--dry-run');
    expect(dry.code).toBe(1); // the sample's INVALID rows
    expect(delta(before)).toEqual({});
    const first = dry.rows[0]!;
    expect([first.result_action, first.result_status, first.result_error_code]).toEqual(['UPDATE', 'PLANNED', 'DRY_RUN']);
    expect(dry.rows.filter((r) => r.result_status === 'PENDING')).toEqual([]);
    const status = await runCli(['status', '--state', join(dir, 'state.db')]);
    expect(status.stdout).toMatch(/run --dry-run .*dry\.csv: finished \(dry run: nothing sent\) — PLANNED 1, UNCHANGED 36,/);
  });

  it('a dry run whose rows are all planned or unchanged exits 0', async () => {
    const rows = records.slice(0, 3).map((r) => [...r]);
    rows.push([...records[16]!.slice(0, 0), 'DRYseattle00000001', 'Dry Seattle Desk', '2065552593', ...records[16]!.slice(3)]);
    const before = snapshot();
    const dry = await run(write('dry-clean.csv', rows), '--dry-run');
    expect(dry.code).toBe(0);
    expect(delta(before)).toEqual({});
    expect(dry.rows.map((r) => r.result_status)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED', 'PLANNED']);
  });

  it('3 changed, 2 new and 4 missing rows with --delete-missing make exactly those calls', async () => {
    const rows = records.map((r) => [...r]);
    rows[0]![col('Caller Name')] = 'Conference 5F (renamed)'; // RDUhq5thFloorConf01: name changed
    rows[1]![col('Callback Number')] = '919 555 2199'; // RDUhq5thFloorDesk02: callback changed
    rows[3]![col('Address Line 2')] = 'Floor 7 Room 1'; // RDUhq6thFloorLab001: moved to a new address
    const missing = ['SEAwaterfront00001', 'SEAwaterfront00002', 'DENtech00000000001', 'DENtech00000000002'];
    const kept = rows.filter((r) => !missing.includes(r[col('Endpoint ID')]!));
    const base = rows[16]!; // a Seattle row: its address is known
    kept.push([...base.slice(0, 0), 'NEWseattle00000001', 'New Seattle Desk', '2065552591', ...base.slice(3)]);
    kept.push([...base.slice(0, 0), 'NEWseattle00000002', 'New Seattle Desk 2', '2065552592', ...base.slice(3)]);
    const before = snapshot();
    const night = await run(write('night2.csv', kept), '--delete-missing', '--max-delete', '5');
    expect(night.code).toBe(1);
    // One geocode (the new address), one location order, one endpoint order of 5, one delete order of 4.
    const calls = delta(before);
    expect({ ...calls, 'order.list': undefined }).toEqual({
      geocode: 1,
      'order.post': 3,
      'order.post.location': 1,
      'order.post.endpoint': 1,
      'order.post.endpointDelete': 1,
      'order.list': undefined,
    });
    expect(calls['order.list']).toBeGreaterThanOrEqual(3); // each stage's orders followed to their end by the list of changed orders
    expect(dlr().largestOrder).toBeGreaterThanOrEqual(5);
    expect(dlr().identifierSubmissions.RDUhq5thFloorConf01).toBe(2); // resent once, as an update
    const by = Object.fromEntries(night.rows.map((r) => [r['Endpoint ID'], r]));
    expect(by.RDUhq5thFloorConf01?.result_action).toBe('UPDATE');
    expect(by.RDUhq5thFloorDesk02?.result_action).toBe('UPDATE');
    expect(by.RDUhq6thFloorLab001?.result_action).toBe('UPDATE');
    expect(by.NEWseattle00000001?.result_action).toBe('ADD');
    expect(night.rows.filter((r) => r.result_status === 'SUCCESS')).toHaveLength(5);
    const deleted = night.rows.filter((r) => r.result_status === 'DELETED');
    expect(deleted.map((r) => r['Endpoint ID']).sort()).toEqual([...missing].sort());
    expect(night.rows.slice(-4).every((r) => r.result_status === 'DELETED' && r.result_row === '')).toBe(true); // after the input rows
    for (const id of missing) expect(dlr().aeuis[id]).toBeUndefined();
    expect(dlr().aeuis.RDUhq5thFloorConf01?.callerName).toBe('Conference 5F (renamed)');
  });

  it('--delete-missing refuses a file with lines it could not read', async () => {
    const before = snapshot();
    const lines = readFileSync(write('broken.csv', records), 'utf8').split('\n');
    lines[3] = lines[3]!.replace(',', ',"'); // a stray quote that runs lines together
    writeFileSync(join(dir, 'broken.csv'), lines.join('\n'));
    const r = await run(join(dir, 'broken.csv'), '--delete-missing', '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--delete-missing refused');
    expect(delta(before)).toEqual({});
  });

  it('a truncated export trips --max-delete and sends nothing', async () => {
    const before = snapshot();
    const truncated = await run(write('truncated.csv', records.slice(0, 20)), '--delete-missing');
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/would delete \d+ of the \d+ endpoints .* over the limit of 10% .*nothing was sent/);
    expect(delta(before)).toEqual({});
  });
});
