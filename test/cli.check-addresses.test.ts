// esprov check --validate-addresses through the real CLI (issue 14, SPEC §2): each distinct address
// asked once, refused ones REJECTED with the API's code, the standardized address in the result,
// the answers kept so the run after asks nothing; without the flag, check makes no call at all.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const CREDS = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const byKey = (rows: Record<string, string>[], column: string, key: string) => rows.find((r) => r[column] === key)!;

/** The ledger of the account a `--sandbox` command left in its data file beside the state store. */
async function savedLedger(state: string) {
  const sandbox = await startSandbox({ dataFile: state.replace(/\.db$/, '-sandbox.json') });
  try {
    return sandbox.ledger().accounts[DEMO_ACCOUNT_ID]!;
  } finally {
    await sandbox.close();
  }
}

describe('esprov check --validate-addresses, dlr, --sandbox', () => {
  it('rejects the address the geocoder refuses with its code, shows the standardized address, and the run after geocodes nothing', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.db');
    const out = join(dir, 'check.csv');
    const check = await runCli(['check', 'samples/dlr-offices.csv', '--api', 'dlr', '--validate-addresses', '--sandbox', '--state', state, '--out', out], { env: CREDS });
    expect(check.stderr).not.toMatch(/\n\s+at /);
    expect(check.code).toBe(1);
    const rows = readResult(out);
    const halifax = byKey(rows, 'Endpoint ID', 'YHZport0000000001');
    expect([halifax.result_status, halifax.result_error_code]).toEqual(['REJECTED', '12110']);
    expect(halifax.result_error_message).toMatch(/could not be validated/);
    const ansun = byKey(rows, 'Endpoint ID', 'MSHplant0000000001');
    expect(ansun.result_status).toBe('VALID');
    expect(ansun.result_std_address).toBe('904 E ANSON ST, MARSHALLTOWN, IA 50158-3522, US');
    expect(ansun.result_warnings).toContain('ADDRESS_ADJUSTED: Address adjusted by the API');
    expect(rows.filter((r) => r.result_status === 'INVALID')).toHaveLength(11);

    const afterCheck = await savedLedger(state);
    expect(Object.keys(afterCheck.dlr.geocodes).length).toBeGreaterThan(10);
    expect(Math.max(...Object.values(afterCheck.dlr.geocodes))).toBe(1); // each distinct address once
    expect(afterCheck.writeCalls).toBe(0); // a geocode creates nothing

    const runOut = join(dir, 'run.csv');
    const run = await runCli(['run', 'samples/dlr-offices.csv', '--api', 'dlr', '--sandbox', '--state', state, '--out', runOut], { env: CREDS });
    expect(run.code).toBe(1);
    const afterRun = await savedLedger(state);
    expect(afterRun.dlr.calls.geocode).toBe(afterCheck.dlr.calls.geocode); // zero geocodes in the run
    expect(sum(afterRun.dlr.geocodes)).toBe(sum(afterCheck.dlr.geocodes));
    const ran = readResult(runOut);
    expect(byKey(ran, 'Endpoint ID', 'YHZport0000000001').result_error_code).toBe('12110');
    expect(byKey(ran, 'Endpoint ID', 'MSHplant0000000001').result_std_address).toBe('904 E ANSON ST, MARSHALLTOWN, IA 50158-3522, US');
    expect(ran.filter((r) => r.result_status === 'SUCCESS')).toHaveLength(37);
  });
});

describe('esprov check --validate-addresses, from standard input', () => {
  it('reads the rows once, keeps them, and answers each as from a file', async () => {
    const dir = tempDir();
    const out = join(dir, 'check.csv');
    const check = await runCli(['check', '-', '--api', 'dlr', '--validate-addresses', '--sandbox', '--state', join(dir, 'state.db'), '--out', out], {
      env: CREDS,
      input: readFileSync(join(ROOT, 'samples/dlr-offices.csv')),
    });
    expect(check.code).toBe(1);
    const rows = readResult(out);
    expect(rows).toHaveLength(50);
    expect(byKey(rows, 'Endpoint ID', 'YHZport0000000001').result_error_code).toBe('12110');
    expect(byKey(rows, 'Endpoint ID', 'MSHplant0000000001').result_std_address).toBe('904 E ANSON ST, MARSHALLTOWN, IA 50158-3522, US');
  });
});

describe('esprov check --validate-addresses, unified and refusals, against a sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 14 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  const check = (dir: string, ...flags: string[]) => runCli(['check', 'samples/unified-europe.csv', '--api', 'unified', '--out', join(dir, 'check.csv'), '--rate', '0', ...flags], { env: CREDS });

  it('creates each address once, says so, rejects the invalid one, and the run after creates no address', async () => {
    const dir = tempDir();
    const account = '4141';
    const result = await check(dir, '--validate-addresses', '--state', join(dir, 'state.db'), '--account', account, '--base-url', `${sandbox.url}/api/v2`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unified: validating created \d+ address record\(s\) on account 4141 .*the run reuses them/);
    const rows = readResult(join(dir, 'check.csv'));
    const nowhere = byKey(rows, 'Phone Number', '+31205550110');
    expect([nowhere.result_status, nowhere.result_error_code]).toEqual(['REJECTED', 'ADDRESS_INVALID']);
    const berlin = byKey(rows, 'Phone Number', '+4930901820');
    expect(berlin.result_status).toBe('VALID');
    expect(berlin.result_address_id).toMatch(/^esp-/);
    const ledger = sandbox.ledger().accounts[account]!.unified;
    expect(berlin.result_std_address).toMatch(/Unter den Linden 77.*Berlin/i);
    expect(Object.keys(ledger.addresses)).toContain(berlin.result_address_id);
    expect(Math.max(...Object.values(ledger.addressSubmissions))).toBe(1);
    expect(ledger.calls['endpoints.post'] ?? 0).toBe(0); // only addresses: no endpoint is made by a check

    const runOut = join(dir, 'run.csv');
    const run = await runCli(
      ['run', 'samples/unified-europe.csv', '--api', 'unified', '--account', account, '--base-url', `${sandbox.url}/api/v2`, '--state', join(dir, 'state.db'), '--rate', '0', '--out', runOut],
      { env: CREDS },
    );
    expect(run.code).toBe(1);
    const after = sandbox.ledger().accounts[account]!.unified;
    expect(after.calls['address.post']).toBe(ledger.calls['address.post']); // zero address creations in the run
    expect(after.addressSubmissions).toEqual(ledger.addressSubmissions);
    const ran = readResult(runOut);
    expect(byKey(ran, 'Phone Number', '+31205550110').result_error_code).toBe('ADDRESS_INVALID');
    expect(byKey(ran, 'Phone Number', '+4930901820')).toMatchObject({ result_status: 'SUCCESS', result_address_id: berlin.result_address_id, result_std_address: berlin.result_std_address });
  });

  it('without --validate-addresses makes no call, even with an account and a base URL given', async () => {
    const dir = tempDir();
    const before = sandbox.ledger().calls;
    const result = await check(dir, '--account', '4142', '--base-url', `${sandbox.url}/api/v2`);
    expect(result.code).toBe(1); // the sample's INVALID rows
    expect(sandbox.ledger().calls).toEqual(before);
    expect(readResult(join(dir, 'check.csv')).every((r) => r.result_status !== 'REJECTED' && r.result_address_id === '')).toBe(true);
    const bogus = await check(tempDir(), '--account', '4142', '--base-url', 'https://esprov.invalid/api/v2');
    expect(bogus.code).toBe(1);
  });

  it('stops with exit 2 and one line on refused credentials or a base URL that is not the API', async () => {
    const refused = await runCli(
      ['check', 'samples/dlr-offices.csv', '--api', 'dlr', '--validate-addresses', '--account', '4143', '--base-url', `${sandbox.url}/api`, '--state', join(tempDir(), 's.db'), '--rate', '0'],
      { env: { ...CREDS, BW_PASSWORD: 'wrong' } },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^esprov: the API refused the credentials .*\[AUTH_FAILED\]$/m);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const misconfigured = await runCli(
      ['check', 'samples/dlr-offices.csv', '--api', 'dlr', '--validate-addresses', '--account', '4143', '--base-url', sandbox.url, '--state', join(tempDir(), 's.db'), '--rate', '0'],
      { env: CREDS },
    );
    expect(misconfigured.code).toBe(2);
    expect(misconfigured.stderr).toMatch(/--base-url .*\[API_MISCONFIGURED\]$/m);
    const state = join(tempDir(), 's.db');
    const noCredentials = await runCli(['check', 'samples/dlr-offices.csv', '--api', 'dlr', '--validate-addresses', '--account', '4143', '--base-url', `${sandbox.url}/api`, '--state', state], {
      env: { ...CREDS, BW_USERNAME: '', BW_PASSWORD: '' },
    });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toMatch(/^esprov: no credentials: .*\[CONFIG_MISSING_CREDENTIALS\]$/m);
    expect(existsSync(state)).toBe(false); // a check that cannot ask leaves no state store behind
  });
});
