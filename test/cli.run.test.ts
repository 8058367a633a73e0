// esprov run through the real CLI against the sandbox over loopback: statuses per row, and the
// sandbox's ledger proving what was (and was not) sent.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';
import { CREDS, runAgainst } from './helpers/run-against.js';

/** Status by Identifier or phone number, of the first row that has it. */
const statusOf = (rows: Record<string, string>[]) => Object.fromEntries(rows.map((r) => [r['Endpoint ID'] ?? r['Phone Number'] ?? '', r.result_status]).reverse());

describe('esprov run, dlr, against the sandbox', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('provisions the mixed sample: each row the status it should have', async () => {
    const run = await runAgainst(sandbox, 'dlr', 'samples/dlr-offices.csv', dir, '1001', '--chunk-size', '5');
    expect(run.code).toBe(1);
    const rows = run.rows;
    expect(rows).toHaveLength(50);
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.result_status!] = (counts[r.result_status!] ?? 0) + 1;
    expect(counts).toEqual({ SUCCESS: 37, INVALID: 11, REJECTED: 2 });
    const byId = statusOf(rows);
    expect(byId.AUSdomain000000003).toBe('REJECTED'); // 555-01XX: the API refuses the callback (8014)
    expect(rows.find((r) => r['Endpoint ID'] === 'AUSdomain000000003')?.result_error_code).toBe('8014');
    expect(rows.find((r) => r['Endpoint ID'] === 'YHZport0000000001')?.result_error_code).toBe('12110'); // not a valid address
    const ansun = rows.find((r) => r['Endpoint ID'] === 'MSHplant0000000001')!;
    expect(ansun.result_std_address).toBe('904 E ANSON ST, MARSHALLTOWN, IA 50158-3522, US');
    expect(ansun.result_warnings).toContain('Address adjusted by the API');
    expect(rows.filter((r) => r.result_status === 'SUCCESS').every((r) => r.result_location_id !== '' && r.result_order_id !== '')).toBe(true);

    const ledger = sandbox.ledger().accounts['1001']!.dlr;
    expect(Math.max(...Object.values(ledger.geocodes))).toBe(1); // each distinct address validated once
    expect(Object.keys(ledger.geocodes)).toHaveLength(22);
    expect(Math.max(...Object.values(ledger.identifierSubmissions))).toBe(1); // no Identifier in two add orders
    expect(Math.max(...Object.values(ledger.locationIdSubmissions))).toBe(1);
    expect(ledger.duplicateCustomerOrderIds).toEqual({});
    expect(ledger.largestOrder).toBeLessThanOrEqual(5);
    expect(Object.keys(ledger.aeuis)).toHaveLength(37);
  });

  it('a second run of the same file makes no write call and no geocode', async () => {
    const before = sandbox.ledger().accounts['1001']!;
    const run = await runAgainst(sandbox, 'dlr', 'samples/dlr-offices.csv', dir, '1001', '--chunk-size', '5');
    const after = sandbox.ledger().accounts['1001']!;
    expect(after.writeCalls).toBe(before.writeCalls);
    expect(after.dlr.calls).toEqual(before.dlr.calls);
    const counts: Record<string, number> = {};
    for (const r of run.rows) counts[r.result_status!] = (counts[r.result_status!] ?? 0) + 1;
    expect(counts).toEqual({ UNCHANGED: 37, INVALID: 11, REJECTED: 2 });
    expect(run.rows.filter((r) => r.result_status === 'REJECTED').map((r) => r.result_action)).toEqual(['NONE', 'NONE']);
  });

  it('logs every call with the run id, to a file and readably with --verbose', async () => {
    const d = tempDir();
    const run = await runAgainst(sandbox, 'dlr', 'samples/dlr-bandwidth-template.csv', d, '1003', '--verbose', '--log-file', join(d, 'run.log'), '--summary-json', join(d, 'summary.json'));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\d\d:\d\d:\d\d debug api call .*method=POST route=\/accounts\/:accountId\/geocodeRequest .*status=(200|409)/);
    const runId = (JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')) as { runId: string }).runId;
    const lines = readFileSync(join(d, 'run.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { runId: string });
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => l.runId === runId)).toBe(true);
  });

  it('stops at once with exit 2 when the credentials are refused, without failing rows one by one', async () => {
    const out = join(dir, 'auth.csv');
    const run = await runCli(['run', 'samples/dlr-offices.csv', '--api', 'dlr', '--account', '1002', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'auth.db'), '--out', out], {
      env: { ...CREDS, BW_PASSWORD: 'wrong-secret-value' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('AUTH_FAILED');
    expect(run.stderr).not.toContain('wrong-secret-value');
    expect(sandbox.ledger().accounts['1002']?.writeCalls ?? 0).toBe(0);
  });
});

// Each test below has its own sandbox and folder: they run side by side.
describe.concurrent('esprov run under faults', () => {
  it('gives the same outcome under the flaky fault profile, and creates nothing twice', async () => {
    // The flaky profile faults a few calls in a hundred: a run of this sample can draw none, so the
    // run is made on a fresh sandbox with the next seed until one met a fault (each run is checked).
    let faults = 0;
    for (let seed = 11; seed < 16 && faults === 0; seed++) {
      const sandbox = await startSandbox({ faults: 'flaky', seed });
      try {
        const run = await runAgainst(sandbox, 'dlr', 'samples/dlr-offices.csv', tempDir(), '2001', '--chunk-size', '4');
        const counts: Record<string, number> = {};
        for (const r of run.rows) counts[r.result_status!] = (counts[r.result_status!] ?? 0) + 1;
        expect(counts).toEqual({ SUCCESS: 37, INVALID: 11, REJECTED: 2 });
        const ledger = sandbox.ledger().accounts['2001']!;
        expect(Math.max(...Object.values(ledger.dlr.identifierSubmissions))).toBe(1);
        expect(ledger.dlr.duplicateCustomerOrderIds).toEqual({});
        faults = sandbox.ledger().faults.total;
      } finally {
        await sandbox.close();
      }
    }
    expect(faults).toBeGreaterThan(0);
  });

  it('leaves rows PENDING (exit 3) when orders outlast --poll-timeout, and reconcile finishes them without resending', async () => {
    const sandbox = await startSandbox({ orderTiming: { processingAfterMs: 100, finalAfterMs: 2500 } });
    try {
      const dir = tempDir();
      const run = await runAgainst(sandbox, 'dlr', 'samples/dlr-bandwidth-template.csv', dir, '3001', '--poll-timeout', '300ms');
      expect(run.code).toBe(3);
      expect(run.rows.map((r) => r.result_status)).toEqual(['PENDING', 'PENDING']);
      expect(run.rows[0]?.result_error_message).toMatch(/esprov reconcile/);
      const out = join(dir, 'reconciled.csv');
      const reconcile = await runCli(['reconcile', '--api', 'dlr', '--account', '3001', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'state.db'), '--out', out, '--poll-timeout', '20s'], {
        env: CREDS,
      });
      expect(reconcile.code).toBe(0);
      const rows = readResult(out);
      expect(rows.map((r) => r.result_status)).toEqual(['SUCCESS', 'SUCCESS']);
      const ledger = sandbox.ledger().accounts['3001']!.dlr;
      expect(Math.max(...Object.values(ledger.identifierSubmissions))).toBe(1);
      expect(Math.max(...Object.values(ledger.locationIdSubmissions))).toBe(1);
      expect(ledger.duplicateCustomerOrderIds).toEqual({});
    } finally {
      await sandbox.close();
    }
  });
});

describe.concurrent('esprov run, unified, against the sandbox', () => {
  it('provisions the European sample: addresses once each, endpoints in orders', async () => {
    const sandbox = await startSandbox({ seed: 3 });
    try {
      const dir = tempDir();
      const run = await runAgainst(sandbox, 'unified', 'samples/unified-europe.csv', dir, '4001', '--chunk-size', '4');
      expect(run.code).toBe(1);
      const byPhone = statusOf(run.rows);
      expect(byPhone['+31798080101']).toBe('SUCCESS');
      expect(byPhone['+31205550110']).toBe('REJECTED'); // the NOWHERE address: validationStatus INVALID
      expect(byPhone['+31205550000']).toBe('REJECTED'); // the sandbox's not-enabled trigger
      expect(run.rows.filter((r) => r.result_status === 'SUCCESS')).toHaveLength(13);
      const ledger = sandbox.ledger().accounts['4001']!.unified;
      expect(Math.max(...Object.values(ledger.addressSubmissions))).toBe(1);
      expect(Math.max(...Object.values(ledger.phoneSubmissions))).toBe(1);
      expect(ledger.largestOrder).toBeLessThanOrEqual(4);
      const again = await runAgainst(sandbox, 'unified', 'samples/unified-europe.csv', dir, '4001', '--chunk-size', '4');
      expect(again.rows.filter((r) => r.result_status === 'UNCHANGED')).toHaveLength(13);
      expect(sandbox.ledger().accounts['4001']!.unified.calls).toEqual(ledger.calls);
    } finally {
      await sandbox.close();
    }
  });

  it('settles an endpoint order whose answer was lost by finding it in the order list, in the same run, never by sending it again', async () => {
    const sandbox = await startSandbox({ faults: { dropAfterProcessing: 1 }, seed: 4 });
    try {
      const dir = tempDir();
      const first = await runAgainst(sandbox, 'unified', 'samples/unified-europe.csv', dir, '4002');
      // The connection was dropped after the API had made the order: the fault hit an endpoints POST.
      expect(sandbox.ledger().accounts['4002']!.faults.byKind['unified.endpoints.post']).toBeGreaterThanOrEqual(1);
      // A dropped connection does not change the row's outcome: found through the order list in the run.
      expect(first.rows.find((r) => r['Phone Number'] === '+4930901820')?.result_status).toBe('SUCCESS');
      expect(first.rows.filter((r) => r.result_status === 'PENDING')).toEqual([]);
      const second = await runAgainst(sandbox, 'unified', 'samples/unified-europe.csv', dir, '4002');
      expect(second.rows.find((r) => r['Phone Number'] === '+4930901820')?.result_status).toBe('UNCHANGED');
      expect(second.rows.find((r) => r['Phone Number'] === '+31205550000')?.result_status).toBe('REJECTED');
      const ledger = sandbox.ledger().accounts['4002']!.unified;
      expect(Object.entries(ledger.phoneSubmissions).filter(([, n]) => n > 1)).toEqual([]);
      expect(Math.max(...Object.values(ledger.addressSubmissions))).toBe(1);
    } finally {
      await sandbox.close();
    }
  });

  it('moves an endpoint to a new address with PATCH, and says a caller-name change cannot be sent in place', async () => {
    const sandbox = await startSandbox({ seed: 8 });
    try {
      const dir = tempDir();
      await runAgainst(sandbox, 'unified', 'samples/unified-europe.csv', dir, '4003');
      const text = readFileSync(join(ROOT, 'samples/unified-europe.csv'), 'utf8')
        .replace('+33140205050,Paris Accueil', '+33140205050,Paris Reception')
        .replace('+34915550100,Madrid Recepcion,es,ESP,Calle de Alcala 45', '+34915550100,Madrid Recepcion,es,ESP,Calle de Alcala 47');
      const changed = join(dir, 'changed.csv');
      writeFileSync(changed, text);
      const run = await runAgainst(sandbox, 'unified', changed, dir, '4003');
      const paris = run.rows.find((r) => r['Phone Number'] === '+33140205050')!;
      expect([paris.result_status, paris.result_error_code]).toEqual(['REJECTED', 'UPDATE_UNSUPPORTED']);
      const madrid = run.rows.find((r) => r['Phone Number'] === '+34915550100')!;
      expect([madrid.result_action, madrid.result_status]).toEqual(['UPDATE', 'SUCCESS']);
      const ledger = sandbox.ledger().accounts['4003']!.unified;
      expect(ledger.endpoints['+34915550100']?.addressId).toBe(madrid.result_address_id);
      expect(ledger.endpoints['+33140205050']?.name).toBe('Paris Accueil');
    } finally {
      await sandbox.close();
    }
  });
});
