// Issue 14, done-when: an account seeded in the sandbox by Bandwidth's official client, in the
// reference's shapes — identifiers of 8 and 9 characters, a LocationId of error 8023's wider form,
// endpoints made with an address and no LocationId (the guide's options 2 and 3, listed without a
// LocationId), and no PreferredLanguage in GET aeuis/{acid} — survives import-state → export →
// check → run through the real CLI: every row UNCHANGED, and not one call (the sandbox's ledger).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';
import { e911Order, officialClient } from './helpers/official.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const ACCOUNT = '7301';
const WIDE = 'campus-900_main.bldg5';
const street = (suite: string) => ({
  houseNumber: '900',
  streetName: 'MAIN CAMPUS',
  streetSuffix: 'DR',
  addressLine2: suite,
  city: 'RALEIGH',
  stateCode: 'NC',
  zip: '27606',
  country: 'US',
});
const endpoint = (identifier: string, callback: string, callerName: string, extra: Record<string, unknown> = {}) => ({
  pIDFLOEnabled: 'true',
  identifier,
  callbackNumber: callback,
  callerName,
  ...extra,
});

describe("an account in the reference's shapes survives import-state → export → check → run", () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const state = join(dir, 'state.db');
  const target = () => ['--api', 'dlr', '--account', ACCOUNT, '--base-url', `${sandbox.url}/api`, '--state', state, '--rate', '0'];
  const calls = () => ({ ...sandbox.ledger().accounts[ACCOUNT]!.dlr.calls });

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 14 });
    const client = officialClient(sandbox, ACCOUNT);
    const statuses = [
      await e911Order(client, { customerOrderId: 'seed-location', additionalAddresses: { address: [{ locationId: WIDE, ...street('STE 500') }] } }),
      // Option 1: by LocationId (a 9-character identifier, French).
      await e911Order(client, {
        customerOrderId: 'seed-by-id',
        alternateEndUserIdentifiers: { alternateEndUserIdentifier: [endpoint('DavidAcid', '8042105760', 'David', { preferredLanguage: 'fr', locationId: WIDE })] },
      }),
      // Option 2: the endpoint's own address, no LocationId (8 characters).
      await e911Order(client, {
        customerOrderId: 'seed-own-address',
        alternateEndUserIdentifiers: { alternateEndUserIdentifier: [endpoint('JohnAcid', '8042105618', 'John', { address: street('STE 100') })] },
      }),
      // Option 3: one address at the order level.
      await e911Order(client, {
        customerOrderId: 'seed-order-address',
        address: street('STE 200'),
        alternateEndUserIdentifiers: { alternateEndUserIdentifier: [endpoint('Desk0003', '8042105619', 'Desk')] },
      }),
    ];
    for (const s of statuses) expect(JSON.stringify(s)).toMatch(/"processingStatus":"(ADJUSTED_)?COMPLETE"/);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('adopts every endpoint and location, exports them, checks them with the store, and a run changes nothing', async () => {
    const imported = await runCli(['import-state', ...target()], { env: ENV });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/adopted:\s+3/);
    expect(imported.stderr).toMatch(/locations adopted:\s+3/);

    const file = join(dir, 'export.csv');
    const exported = await runCli(['export', ...target(), '--out', file], { env: ENV });
    expect(exported.code, exported.stderr).toBe(0);
    const rows = readResult(file);
    expect(rows.map((r) => [r.Identifier, r.LocationId, r.AddressLine2, r.Country])).toEqual([
      ['DavidAcid', WIDE, 'STE 500', 'US'],
      ['JohnAcid', '', 'STE 100', 'US'],
      ['Desk0003', '', 'STE 200', 'US'],
    ]);

    // The short identifiers and the wide LocationId pass because the store says the account holds them.
    const checked = await runCli(['check', file, '--api', 'dlr', '--state', state, '--out', join(dir, 'checked.csv')]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(
      readResult(join(dir, 'checked.csv'))
        .map((r) => r.result_warnings)
        .join(' '),
    ).toContain('Identifier "DavidAcid" is 9 characters, under the guide\'s 10: accepted because the account already holds it');
    // Without a store, they are new: the guide's form is required.
    const unknown = await runCli(['check', file, '--api', 'dlr', '--out', join(dir, 'unknown.csv')], { cwd: dir });
    expect(unknown.code).toBe(1);

    // The customer's file says what the account holds, with the language the account does not report.
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^(\uFEFF?Identifier.*)$/m, '$1')
        .replace('DavidAcid,David,8042105760,', 'DavidAcid,David,8042105760,fr'),
    );
    expect(readResult(file)[0]!.PreferredLanguage).toBe('fr');
    const before = calls();
    const out = join(dir, 'run.csv');
    const run = await runCli(['run', file, ...target(), '--out', out], { env: ENV });
    expect(run.code, run.stderr).toBe(0);
    expect(readResult(out).map((r) => [r.Identifier, r.result_status])).toEqual([
      ['DavidAcid', 'UNCHANGED'],
      ['JohnAcid', 'UNCHANGED'],
      ['Desk0003', 'UNCHANGED'],
    ]);
    expect(calls()).toEqual(before);
  });
});
