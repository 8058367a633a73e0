// A duplicate key fed back from --errors-out, through the real CLI against the sandbox: the row
// stays refused, naming both lines of the original file, and the endpoint the first row
// provisioned is not touched (the ledger says so), until a run of the original file without the
// duplicate clears it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

describe('a duplicate fed back from --errors-out', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const run = async (input: string, profile: 'dlr' | 'unified', account: string, ...flags: string[]) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    const r = await runCli(
      [
        'run',
        input,
        '--api',
        profile,
        '--account',
        account,
        '--base-url',
        `${sandbox.url}${profile === 'dlr' ? '/api' : '/api/v2'}`,
        '--state',
        join(dir, `${account}.db`),
        '--rate',
        '0',
        '--out',
        out,
        ...flags,
      ],
      { env: ENV },
    );
    return { ...r, rows: r.code === 2 ? [] : readResult(out) };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 9 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("dlr: the duplicate Identifier stays refused naming both lines; the first row's endpoint does not move", async () => {
    const ACCOUNT = '8301';
    const input = join(dir, 'dup.csv');
    writeFileSync(
      input,
      [
        'Identifier,CallerName,CallbackNumber,HouseNumber,StreetName,StreetSuffix,City,StateCode,Zip,PlusFour,Country',
        'DupDesk000000001,Front Desk,9194561301,900,MAIN CAMPUS,DR,RALEIGH,NC,27606,1234,US',
        'Other00000000002,Lab,12345,900,MAIN CAMPUS,DR,RALEIGH,NC,27606,1234,US',
        'DupDesk000000001,Warehouse,9194561303,11501,ALTERRA,PKWY,AUSTIN,TX,78758,1111,US',
      ].join('\n'),
    );
    const errorsOut = join(dir, 'dup.to-fix.csv');
    const first = await run(input, 'dlr', ACCOUNT, '--errors-out', errorsOut);
    expect(first.rows.map((r) => [r.result_status, r.result_error_code])).toEqual([
      ['SUCCESS', ''],
      ['INVALID', 'CALLBACK_NOT_NANPA'],
      ['INVALID', 'IDENTIFIER_DUPLICATE'],
    ]);
    const endpoint = () => sandbox.ledger().accounts[ACCOUNT]!.dlr.aeuis.DupDesk000000001;
    const provisioned = { ...endpoint() };
    expect(provisioned).toMatchObject({ callerName: 'Front Desk' });

    // The support person fixes the unrelated row's callback number and feeds the file back.
    const text = readFileSync(errorsOut, 'utf8');
    writeFileSync(errorsOut, text.replace(',12345,', ',9194561302,'));
    const errorsAgain = join(dir, 'dup.to-fix-2.csv');
    const fed = await run(errorsOut, 'dlr', ACCOUNT, '--errors-out', errorsAgain);
    expect(fed.code).toBe(1);
    expect(fed.rows.map((r) => [r.Identifier, r.result_status, r.result_error_code])).toEqual([
      ['Other00000000002', 'SUCCESS', ''],
      ['DupDesk000000001', 'INVALID', 'IDENTIFIER_DUPLICATE'],
    ]);
    expect(fed.rows[1]!.result_error_message).toMatch(/lines 2 and 4 of dup\.csv\b/);
    expect(endpoint()).toEqual(provisioned);
    // Fed back once more, it is refused the same way.
    const again = await run(errorsAgain, 'dlr', ACCOUNT);
    expect(again.rows.map((r) => [r.result_status, r.result_error_code])).toEqual([['INVALID', 'IDENTIFIER_DUPLICATE']]);
    expect(again.rows[0]!.result_error_message).toMatch(/lines 2 and 4\b/);
    expect(endpoint()).toEqual(provisioned);

    // The person removes the first row from the original file: the key appears once, the duplicate is resolved.
    writeFileSync(
      input,
      readFileSync(input, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('DupDesk000000001,Front Desk'))
        .join('\n'),
    );
    const resolved = await run(input, 'dlr', ACCOUNT);
    expect(resolved.rows.map((r) => [r.Identifier, r.result_action, r.result_status])).toEqual([
      ['Other00000000002', 'NONE', 'INVALID'], // its own callback number is still wrong in this file
      ['DupDesk000000001', 'UPDATE', 'SUCCESS'],
    ]);
    expect(endpoint()).toMatchObject({ callerName: 'Warehouse' });
  });

  it('unified: the duplicate PhoneNumber stays refused naming both lines', async () => {
    const ACCOUNT = '8401';
    const input = join(dir, 'dup-unified.csv');
    writeFileSync(
      input,
      [
        'PhoneNumber,CallerName,Country,AddressLine1,City,PostalCode',
        '+31798080201,Reception,NLD,11 Plein v Verenigde Naties,Zoetermeer,2719EG',
        '+3179808,Broken,NLD,11 Plein v Verenigde Naties,Zoetermeer,2719EG',
        '+31 79 808 0201,Reception,NLD,Herengracht 182,Amsterdam,1016 BR',
      ].join('\n'),
    );
    const errorsOut = join(dir, 'dup-unified.to-fix.csv');
    const first = await run(input, 'unified', ACCOUNT, '--errors-out', errorsOut);
    expect(first.rows.map((r) => [r.result_status, r.result_error_code])).toEqual([
      ['SUCCESS', ''],
      ['INVALID', 'PHONE_INVALID'],
      ['INVALID', 'PHONE_DUPLICATE'],
    ]);
    const endpoint = () => sandbox.ledger().accounts[ACCOUNT]!.unified.endpoints['+31798080201'];
    const provisioned = JSON.stringify(endpoint());

    writeFileSync(errorsOut, readFileSync(errorsOut, 'utf8').replace('+3179808,', '+31798080202,'));
    const fed = await run(errorsOut, 'unified', ACCOUNT);
    expect(fed.rows.map((r) => [r.result_status, r.result_error_code])).toEqual([
      ['SUCCESS', ''],
      ['INVALID', 'PHONE_DUPLICATE'],
    ]);
    expect(fed.rows[1]!.result_error_message).toMatch(/lines 2 and 4 of dup-unified\.csv\b/);
    expect(JSON.stringify(endpoint())).toBe(provisioned);
  });
});
