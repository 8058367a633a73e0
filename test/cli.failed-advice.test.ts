// Issue 15, through the real CLI: a FAILED row's advice follows its cause. A loopback proxy in front
// of the sandbox answers every geocode with a passing fault (503, until the retries run out) or a
// setup refusal (a 400 for the request as a whole); everything else goes to the sandbox.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';

const CREDS = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const REFUSED = '<GeocodeRequestResponse><ResponseStatus><ErrorCode>12999</ErrorCode><Description>Geocoding is not enabled for this account</Description></ResponseStatus></GeocodeRequestResponse>';

describe('a FAILED row says what to do about its cause', () => {
  let sandbox: Sandbox;
  let proxy: Server;
  let geocode: 'busy' | 'refused' = 'busy';
  const dir = tempDir();
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3 });
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url?.endsWith('/geocodeRequest')) {
          res.writeHead(geocode === 'busy' ? 503 : 400, { 'content-type': 'application/xml' });
          res.end(geocode === 'busy' ? '' : REFUSED);
          return;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        fetch(`${sandbox.url}${req.url}`, { method: req.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) })
          .then(async (answer) => {
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/xml' });
            res.end(Buffer.from(await answer.arrayBuffer()));
          })
          .catch(() => res.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    await sandbox.close();
  });

  const run = async (account: string) => {
    const out = join(dir, `${account}.csv`);
    const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api`;
    const r = await runCli(
      ['run', 'samples/dlr-bandwidth-template.csv', '--api', 'dlr', '--account', account, '--base-url', base, '--state', join(dir, `${account}.db`), '--rate', '0', '--out', out],
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
