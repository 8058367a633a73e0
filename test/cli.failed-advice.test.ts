// Issue 15, through the real CLI: a FAILED row's advice follows its cause. A loopback proxy in front
// of the sandbox answers every geocode with a passing fault (503, until the retries run out) or a
// setup refusal (a 400 for the request as a whole); everything else goes to the sandbox.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';
import { startProxy, type SandboxProxy } from './helpers/proxy.js';

const CREDS = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const REFUSED = '<GeocodeRequestResponse><ResponseStatus><ErrorCode>12999</ErrorCode><Description>Geocoding is not enabled for this account</Description></ResponseStatus></GeocodeRequestResponse>';

describe('a FAILED row says what to do about its cause', () => {
  let sandbox: Sandbox;
  let proxy: SandboxProxy;
  let geocode: 'busy' | 'refused' = 'busy';
  const dir = tempDir();
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3 });
    proxy = await startProxy(sandbox.url, {
      answer: (_method, url) => (url.endsWith('/geocodeRequest') ? { status: geocode === 'busy' ? 503 : 400, body: geocode === 'busy' ? '' : REFUSED, type: 'application/xml' } : undefined),
    });
  });
  afterAll(async () => {
    await proxy.close();
    await sandbox.close();
  });

  const run = async (account: string) => {
    const out = join(dir, `${account}.csv`);
    const r = await runCli(
      ['run', 'samples/dlr-bandwidth-template.csv', '--api', 'dlr', '--account', account, '--base-url', `${proxy.url}/api`, '--state', join(dir, `${account}.db`), '--rate', '0', '--out', out],
      {
        env: CREDS,
      },
    );
    expect(r.code, r.stderr).toBe(1);
    const failed = readResult(out).filter((row) => row.result_status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    return failed;
  };

  it('a passing fault (503 until the retries ran out): run the same file again later', async () => {
    geocode = 'busy';
    for (const row of await run('1511')) {
      expect(row.result_error_code).toBe('RETRIES_EXHAUSTED');
      expect(row.result_error_message).toMatch(/status 503.*run the same file again later/);
    }
  }, 120_000);

  it('a 400 for the request as a whole: check what the API names, not run again later', async () => {
    geocode = 'refused';
    for (const row of await run('1512')) {
      expect(row.result_error_code).toBe('12999');
      expect(row.result_error_message).toMatch(/Geocoding is not enabled for this account.*check/);
      expect(row.result_error_message).not.toMatch(/again later/);
    }
  }, 60_000);
});
