// Stages overlap (#13, SPEC §1): a dlr location order goes as soon as the addresses of its
// locations are geocoded, not after the last geocode of the run, and a unified endpoint order as
// soon as the addresses of its rows are created; chunks are cut in input order whatever order the
// answers come in, so every run forms the same orders.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox, type SandboxCall } from '../src/sandbox/index.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const ACCOUNT = '6301';
const UNIFIED_ACCOUNT = '6302';
const ROWS = 30;
const CHUNK = 5;

/** Row i: its own address (house number 101 + i), so every location has one row. */
const line = (i: number): string => `OVL${String(i).padStart(10, '0')},Desk ${i},303555${String(2000 + i)},en,${101 + i},Larimer,St,Denver,CO,80202,US`;

describe('dlr stages overlap', () => {
  let sandbox: Sandbox;
  const calls: SandboxCall[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3, latencyMs: 20, onCall: (c) => void ((c.account === ACCOUNT || c.account === UNIFIED_ACCOUNT) && calls.push(c)) });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('sends the first location order while addresses are still being geocoded, in chunks cut in input order', async () => {
    const dir = tempDir();
    const input = join(dir, 'export.csv');
    writeFileSync(
      input,
      `Identifier,CallerName,CallbackNumber,PreferredLanguage,HouseNumber,StreetName,StreetSuffix,City,StateCode,Zip,Country\n${Array.from({ length: ROWS }, (_, i) => line(i)).join('\n')}\n`,
    );
    const out = join(dir, 'result.csv');
    const r = await runCli(
      [
        'run',
        input,
        '--api',
        'dlr',
        '--account',
        ACCOUNT,
        '--base-url',
        `${sandbox.url}/api`,
        '--state',
        join(dir, 'state.db'),
        '--rate',
        '0',
        '--concurrency',
        '2',
        '--chunk-size',
        String(CHUNK),
        '--out',
        out,
      ],
      { env: ENV },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(0);
    expect(readResult(out).map((row) => row.result_status)).toEqual(Array(ROWS).fill('SUCCESS'));

    const geocodes = calls.flatMap((c, i) => (c.kind === 'dlr.geocode' ? [i] : []));
    const locationPosts = calls.flatMap((c, i) => (c.kind === 'dlr.order.post' && !c.body.includes('<AlternateEndUserIdentifiers>') ? [i] : []));
    expect(geocodes).toHaveLength(ROWS);
    expect(locationPosts).toHaveLength(ROWS / CHUNK);
    // The first location order went before the last geocode: the stages overlapped.
    expect(locationPosts[0]).toBeLessThan(geocodes.at(-1)!);
    // Each location order holds the next CHUNK locations of the input, in input order.
    locationPosts.forEach((at, n) => {
      const houses = [...calls[at]!.body.matchAll(/<HouseNumber>(\d+)<\/HouseNumber>/g)].map((m) => Number(m[1]));
      expect(houses).toEqual(Array.from({ length: CHUNK }, (_, k) => 101 + n * CHUNK + k));
    });
  });

  it('unified: sends the first endpoint order while addresses are still being created, in chunks cut in input order', async () => {
    const dir = tempDir();
    const input = join(dir, 'export.csv');
    const rows = Array.from({ length: ROWS }, (_, i) => `+317980802${String(10 + i)},Desk ${i},NLD,${1 + i} Plein v Verenigde Naties,Zoetermeer,2719EG`);
    writeFileSync(input, `PhoneNumber,CallerName,Country,AddressLine1,City,PostalCode\n${rows.join('\n')}\n`);
    const out = join(dir, 'result.csv');
    const from = calls.length;
    const r = await runCli(
      [
        'run',
        input,
        '--api',
        'unified',
        '--account',
        UNIFIED_ACCOUNT,
        '--base-url',
        `${sandbox.url}/api/v2`,
        '--state',
        join(dir, 'state.db'),
        '--rate',
        '0',
        '--concurrency',
        '2',
        '--chunk-size',
        String(CHUNK),
        '--out',
        out,
      ],
      { env: ENV },
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(0);
    expect(readResult(out).map((row) => row.result_status)).toEqual(Array(ROWS).fill('SUCCESS'));

    const mine = calls.slice(from);
    const addressPosts = mine.flatMap((c, i) => (c.kind === 'unified.address.post' ? [i] : []));
    const endpointPosts = mine.flatMap((c, i) => (c.kind === 'unified.endpoints.post' ? [i] : []));
    expect(addressPosts).toHaveLength(ROWS);
    expect(endpointPosts).toHaveLength(ROWS / CHUNK);
    // The first endpoint order went before the last address was created: the stages overlapped.
    expect(endpointPosts[0]).toBeLessThan(addressPosts.at(-1)!);
    // Each endpoint order holds the next CHUNK rows of the input, in input order.
    endpointPosts.forEach((at, n) => {
      const phones = [...mine[at]!.body.matchAll(/\+317980802(\d\d)/g)].map((m) => Number(m[1]) - 10);
      expect(phones).toEqual(Array.from({ length: CHUNK }, (_, k) => n * CHUNK + k));
    });
  });
});
