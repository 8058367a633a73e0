// Stages overlap (#13, SPEC §1): a dlr location order goes as soon as the addresses of its
// locations are geocoded, not after the last geocode of the run, and a unified endpoint order as
// soon as the addresses of its rows are created; chunks are cut in input order whatever order the
// answers come in, so every run forms the same orders.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxCall } from '../src/sandbox/index.js';
import { tempDir } from './helpers/cli.js';
import { runAgainst } from './helpers/run-against.js';

const ACCOUNT = '6301';
const UNIFIED_ACCOUNT = '6302';
const ROWS = 30;
const CHUNK = 5;

/** Row i: its own address (house number 101 + i), so every location has one row. */
const line = (i: number): string => `OVL${String(i).padStart(10, '0')},Desk ${i},303555${String(2000 + i)},en,${101 + i},Larimer,St,Denver,CO,80202,US`;

describe('stages overlap', () => {
  let sandbox: Sandbox;
  const calls: SandboxCall[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3, latencyMs: 20, onCall: (c) => void ((c.account === ACCOUNT || c.account === UNIFIED_ACCOUNT) && calls.push(c)) });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  /** Runs `lines` under `header` with 2 calls at once and chunks of CHUNK: all SUCCESS; the sandbox calls the run made. */
  const run = async (api: 'dlr' | 'unified', account: string, header: string, lines: readonly string[]): Promise<SandboxCall[]> => {
    const dir = tempDir();
    const input = join(dir, 'export.csv');
    writeFileSync(input, `${header}\n${lines.join('\n')}\n`);
    const from = calls.length;
    const r = await runAgainst(sandbox, api, input, dir, account, '--concurrency', '2', '--chunk-size', String(CHUNK));
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.code).toBe(0);
    expect(r.rows.map((row) => row.result_status)).toEqual(Array(ROWS).fill('SUCCESS'));
    return calls.slice(from);
  };

  it('sends the first location order while addresses are still being geocoded, in chunks cut in input order', async () => {
    const made = await run(
      'dlr',
      ACCOUNT,
      'Identifier,CallerName,CallbackNumber,PreferredLanguage,HouseNumber,StreetName,StreetSuffix,City,StateCode,Zip,Country',
      Array.from({ length: ROWS }, (_, i) => line(i)),
    );
    const geocodes = made.flatMap((c, i) => (c.kind === 'dlr.geocode' ? [i] : []));
    const locationPosts = made.flatMap((c, i) => (c.kind === 'dlr.order.post' && !c.body.includes('<AlternateEndUserIdentifiers>') ? [i] : []));
    expect(geocodes).toHaveLength(ROWS);
    expect(locationPosts).toHaveLength(ROWS / CHUNK);
    // The first location order went before the last geocode: the stages overlapped.
    expect(locationPosts[0]).toBeLessThan(geocodes.at(-1)!);
    // Each location order holds the next CHUNK locations of the input, in input order.
    locationPosts.forEach((at, n) => {
      const houses = [...made[at]!.body.matchAll(/<HouseNumber>(\d+)<\/HouseNumber>/g)].map((m) => Number(m[1]));
      expect(houses).toEqual(Array.from({ length: CHUNK }, (_, k) => 101 + n * CHUNK + k));
    });
  });

  it('unified: sends the first endpoint order while addresses are still being created, in chunks cut in input order', async () => {
    const mine = await run(
      'unified',
      UNIFIED_ACCOUNT,
      'PhoneNumber,CallerName,Country,AddressLine1,City,PostalCode',
      Array.from({ length: ROWS }, (_, i) => `+317980802${String(10 + i)},Desk ${i},NLD,${1 + i} Plein v Verenigde Naties,Zoetermeer,2719EG`),
    );
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
