// Through the real CLI: unit columns reach the API as AddressLine2 (three callers on one street
// address but different floors and suites are three locations), unused columns are named, and
// rows that hold no endpoint are SKIPPED without failing the run.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const ACCOUNT = '6301';
const MESSY = join(ROOT, 'samples/dlr-messy-export.csv');

describe('unit columns, unused columns and skipped rows through the CLI', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const run = (input: string, out: string, ...flags: string[]) =>
    runCli(['run', input, '--api', 'dlr', '--account', ACCOUNT, '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'state.db'), '--rate', '0', '--out', out, ...flags], { env: ENV });

  it('provisions each floor and suite as its own location, names the unused columns, skips the empty row and the total line', async () => {
    const out = join(dir, 'messy.result.csv');
    const summary = join(dir, 'messy.summary.json');
    const r = await run(MESSY, out, '--summary-json', summary);
    expect(r.code).toBe(1); // the one bad callback
    expect(r.stderr).toContain('AddressLine2 is made of "Suite", "Floor", joined in this order.');
    expect(r.stderr).toContain('"Department", "Cost Center", "Last Modified"');
    expect(JSON.parse(readFileSync(summary, 'utf8')).unusedColumns).toEqual(['Department', 'Cost Center', 'Last Modified']);
    const rows = readResult(out);
    const input = readFileSync(MESSY, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l !== ''); // a line of commas alone is an empty row: SKIPPED, with its result row
    expect(rows).toHaveLength(input.length - 1);
    const byId = new Map(rows.map((row) => [row['Endpoint ID'], row]));
    const floor12 = byId.get('RDUhq12FloorDesk01')!;
    const suite1200 = byId.get('RDUhq12FloorDesk02')!;
    const twelfth = byId.get('RDUhq12FloorLab003')!;
    const lobby = byId.get('RDUhqLobbyPhone004')!;
    for (const row of [floor12, suite1200, twelfth, lobby]) expect(row.result_status).toBe('SUCCESS');
    expect(floor12.result_std_address).toContain('FL 12');
    expect(suite1200.result_std_address).toContain('STE 1200');
    expect(twelfth.result_std_address).toContain('12TH FL');
    // Four doors at one street address: four locations, and the API holds each endpoint on its own.
    const locations = new Set([floor12, suite1200, twelfth, lobby].map((row) => row.result_location_id));
    expect(locations.size).toBe(4);
    const aeuis = sandbox.ledger().accounts[ACCOUNT]!.dlr.aeuis;
    expect(new Set(['RDUhq12FloorDesk01', 'RDUhq12FloorDesk02', 'RDUhq12FloorLab003', 'RDUhqLobbyPhone004'].map((id) => aeuis[id]!.locationId)).size).toBe(4);
    const skipped = rows.filter((row) => row.result_status === 'SKIPPED');
    expect(skipped.map((row) => row.result_error_code)).toEqual(['ROW_EMPTY', 'ROW_EMPTY', 'ROW_FOOTER']);
    expect(skipped[2]!.result_error_message).toContain('"Total: 9"');
  });

  it('a clean export with a total line exits 0 for check and run', async () => {
    const header = readFileSync(MESSY, 'utf8').split('\r\n')[0]!;
    const clean = join(dir, 'clean.csv');
    writeFileSync(
      clean,
      [
        header,
        'CLEANhq000000001,Desk One,9195552201,900,Main Campus,Drive,300,,Raleigh,NC,27606,US,,,',
        'CLEANhq000000002,Desk Two,9195552202,900,Main Campus,Drive,,4,Raleigh,NC,27606,US,,,',
        'Total: 2,,,,,,,,,,,,,,',
        '',
      ].join('\n'),
    );
    const checked = await runCli(['check', clean, '--api', 'dlr', '--out', join(dir, 'clean.check.csv')]);
    expect(checked.code).toBe(0);
    expect(readResult(join(dir, 'clean.check.csv')).map((row) => row.result_status)).toEqual(['VALID', 'VALID', 'SKIPPED']);
    const ran = await run(clean, join(dir, 'clean.result.csv'));
    expect(ran.code).toBe(0);
    expect(readResult(join(dir, 'clean.result.csv')).map((row) => row.result_status)).toEqual(['SUCCESS', 'SUCCESS', 'SKIPPED']);
  });

  it('esprov check --columns prints which column feeds which field and checks nothing', async () => {
    const r = await runCli(['check', MESSY, '--api', 'dlr', '--columns', '--out', join(dir, 'never.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"Suite" → AddressLine2');
    expect(r.stdout).toContain('"Display Name" → CallerName');
    expect(r.stdout).toContain('"Cost Center" → not used');
    expect(() => readFileSync(join(dir, 'never.csv'))).toThrow();
  });
});
