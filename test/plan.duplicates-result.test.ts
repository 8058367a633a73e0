// A whole result file fed back (not just --errors-out): of a duplicate pair, the row that
// provisioned the endpoint is UNCHANGED — it sends nothing and its endpoint is what the row says —
// and only the other row stays refused. It once came back INVALID too, telling support staff a
// provisioned endpoint was invalid.

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { tempDir } from './helpers/cli.js';
import { runAgainst } from './helpers/run-against.js';

describe('a full result with a duplicate pair, fed back', () => {
  let sandbox: Sandbox;
  const run = async (input: string, profile: 'dlr' | 'unified', account: string, dir: string) => {
    const r = await runAgainst(sandbox, profile, input, dir, account);
    expect(r.code, r.stderr).toBe(1);
    return r;
  };
  const writeCalls = (account: string) => sandbox.ledger().accounts[account]!.writeCalls;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 9 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it.each([
    [
      'dlr',
      '8501',
      [
        'Identifier,CallerName,CallbackNumber,HouseNumber,StreetName,StreetSuffix,City,StateCode,Zip,PlusFour,Country',
        'DupDesk000000001,Front Desk,9194561301,900,MAIN CAMPUS,DR,RALEIGH,NC,27606,1234,US',
        'DupDesk000000001,Warehouse,9194561303,11501,ALTERRA,PKWY,AUSTIN,TX,78758,1111,US',
      ],
      'IDENTIFIER_DUPLICATE',
    ],
    [
      'unified',
      '8502',
      [
        'PhoneNumber,CallerName,Country,AddressLine1,City,PostalCode',
        '+31798080201,Reception,NLD,11 Plein v Verenigde Naties,Zoetermeer,2719EG',
        '+31 79 808 0201,Reception,NLD,Herengracht 182,Amsterdam,1016 BR',
      ],
      'PHONE_DUPLICATE',
    ],
  ] as const)('%s: the provisioned row is UNCHANGED with no call, the other stays refused', async (profile, account, lines, code) => {
    const dir = tempDir();
    const input = join(dir, `${profile}.csv`);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const first = await run(input, profile, account, dir);
    expect(first.rows.map((r) => [r.result_status, r.result_error_code])).toEqual([
      ['SUCCESS', ''],
      ['INVALID', code],
    ]);
    const fedBack = join(dir, `${profile}.fed.csv`);
    copyFileSync(first.out, fedBack);
    const before = writeCalls(account);
    const fed = await run(fedBack, profile, account, dir);
    expect(fed.rows.map((r) => [r.result_status, r.result_error_code])).toEqual([
      ['UNCHANGED', ''],
      ['INVALID', code],
    ]);
    expect(writeCalls(account)).toBe(before);
  });
});
