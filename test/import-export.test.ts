// import-state and export through the real CLI against the sandbox: an account provisioned by
// other means (or by esprov with another state store) is adopted, so the next run sends only what
// differs; the export is an esprov input that check accepts and that a run finds unchanged.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, customerOrderId, type Api, type DlrOrder } from '../src/api/index.js';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { StateStore } from '../src/state/store.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';
import { until } from './helpers/until.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const basic = { kind: 'basic' as const, username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password };

describe('import-state and export', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const api = (profile: 'dlr' | 'unified', account: string): Api => createApi({ profile, baseUrl: `${sandbox.url}${profile === 'dlr' ? '/api' : '/api/v2'}`, accountId: account, auth: basic });
  const target = (profile: 'dlr' | 'unified', account: string, state: string) => [
    '--api',
    profile,
    '--account',
    account,
    '--base-url',
    `${sandbox.url}${profile === 'dlr' ? '/api' : '/api/v2'}`,
    '--state',
    join(dir, state),
    '--rate',
    '0',
  ];
  const run = async (input: string, profile: 'dlr' | 'unified', account: string, state: string) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    const r = await runCli(['run', input, ...target(profile, account, state), '--out', out], { env: ENV });
    return { ...r, rows: r.code === 2 ? [] : readResult(out) };
  };
  const importState = (profile: 'dlr' | 'unified', account: string, state: string, ...flags: string[]) => runCli(['import-state', ...target(profile, account, state), ...flags], { env: ENV });
  const calls = (account: string, profile: 'dlr' | 'unified') => ({ ...sandbox.ledger().accounts[account]![profile].calls });
  const delta = (account: string, profile: 'dlr' | 'unified', before: Record<string, number>) => {
    const after = sandbox.ledger().accounts[account]![profile].calls;
    return Object.fromEntries(
      Object.keys(after)
        .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)])
        .filter(([, v]) => v !== 0),
    );
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  describe('an account provisioned by other means (dlr)', () => {
    const ACCOUNT = '7101';
    const input = join(dir, 'customer.csv');

    beforeAll(async () => {
      // Provisioned by hand through the API: the account's own LocationId, the geocoder's standardized address.
      const client = api('dlr', ACCOUNT);
      const location = {
        locationId: 'RaleighHQ5',
        houseNumber: '900',
        streetName: 'MAIN CAMPUS',
        streetSuffix: 'DR',
        addressLine2: 'STE 500',
        city: 'RALEIGH',
        stateCode: 'NC',
        zip: '27606',
        plusFour: '1234',
        country: 'US',
      };
      const loc = await client.dlr!.createLocationOrder([location], customerOrderId('loc', [location]));
      await until<DlrOrder>(
        () => client.dlr!.getOrder(loc.orderId),
        (o) => o.final,
      );
      const aeuis = [
        { identifier: 'HandMade00000001', callbackNumber: '9194561201', callerName: 'Front Desk', preferredLanguage: 'en', locationId: 'RaleighHQ5' },
        { identifier: 'HandMade00000002', callbackNumber: '9194561202', callerName: 'Lab', preferredLanguage: 'fr', locationId: 'RaleighHQ5' },
      ];
      const ep = await client.dlr!.createEndpointOrder(aeuis, customerOrderId('ep', aeuis));
      await until<DlrOrder>(
        () => client.dlr!.getOrder(ep.orderId),
        (o) => o.final,
      );
      await client.close();
      // The customer's export says the same as a person would write it: no LocationId, no ZIP+4, spelled out.
      writeFileSync(
        input,
        [
          'Identifier,CallerName,CallbackNumber,PreferredLanguage,HouseNumber,StreetName,StreetSuffix,AddressLine2,City,StateCode,Zip,Country',
          'HandMade00000001,Front Desk,(919) 456-1201,English,900,Main Campus,Drive,Suite 500,Raleigh,NC,27606,US',
          'HandMade00000002,Lab,919.456.1202,French,900,Main Campus,Drive,Suite 500,Raleigh,NC,27606,US',
          'NewDesk000000003,New Desk,919 456 1203,en,900,Main Campus,Drive,Suite 500,Raleigh,NC,27606,US',
        ].join('\n'),
      );
    });

    it("adopts the endpoints and the location: unchanged rows cost nothing, a new row joins the account's location", async () => {
      const imported = await importState('dlr', ACCOUNT, 'hand.db');
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/endpoints listed:\s+2/);
      expect(imported.stderr).toMatch(/adopted:\s+2/);
      expect(imported.stderr).toMatch(/locations adopted:\s+1/);

      const before = calls(ACCOUNT, 'dlr');
      const first = await run(input, 'dlr', ACCOUNT, 'hand.db');
      expect(first.code).toBe(0);
      expect(first.rows.map((r) => [r.result_status, r.result_action, r.result_location_id])).toEqual([
        ['UNCHANGED', 'NONE', 'RaleighHQ5'],
        ['UNCHANGED', 'NONE', 'RaleighHQ5'],
        ['SUCCESS', 'ADD', 'RaleighHQ5'],
      ]);
      // No geocode (the account's address stands for it), no location order: one endpoint order, followed.
      const sent = delta(ACCOUNT, 'dlr', before);
      expect(sent.geocode).toBeUndefined();
      expect(sent['order.post.location']).toBeUndefined();
      expect(sent['order.post.endpoint']).toBe(1);
      expect(sandbox.ledger().accounts[ACCOUNT]!.dlr.aeuis['NewDesk000000003']?.locationId).toBe('RaleighHQ5');
      expect(Object.keys(sandbox.ledger().accounts[ACCOUNT]!.dlr.locations)).toEqual(['RaleighHQ5']);
    });

    it("a changed caller name is an update of the adopted endpoint, on the account's location", async () => {
      const changed = join(dir, 'customer-changed.csv');
      writeFileSync(changed, readFileSync(input, 'utf8').replace('Front Desk', 'Front Desk (lobby)'));
      const second = await run(changed, 'dlr', ACCOUNT, 'hand.db');
      expect(second.rows.map((r) => r.result_status)).toEqual(['SUCCESS', 'UNCHANGED', 'UNCHANGED']);
      expect(second.rows[0]!.result_action).toBe('UPDATE');
      expect(sandbox.ledger().accounts[ACCOUNT]!.dlr.aeuis['HandMade00000001']).toMatchObject({ callerName: 'Front Desk (lobby)', locationId: 'RaleighHQ5' });
    });

    it('export writes what the account holds as an esprov input that check accepts and a run finds unchanged', async () => {
      const file = join(dir, 'hand-export.csv');
      const exported = await runCli(['export', ...target('dlr', ACCOUNT, 'hand.db'), '--out', file], { env: ENV });
      expect(exported.code).toBe(0);
      expect(exported.stderr).toContain('3 endpoints written');
      const rows = readResult(file);
      expect(rows.map((r) => r.Identifier).sort()).toEqual(['HandMade00000001', 'HandMade00000002', 'NewDesk000000003']);
      expect(rows.find((r) => r.Identifier === 'HandMade00000002')).toMatchObject({
        // The account does not report the language (the reference's GET aeuis/{acid} has none): left empty, not guessed.
        CallerName: 'Lab',
        CallbackNumber: '9194561202',
        PreferredLanguage: '',
        LocationId: 'RaleighHQ5',
        HouseNumber: '900',
        StreetName: 'MAIN CAMPUS',
        StreetSuffix: 'DR',
        AddressLine2: 'STE 500',
        City: 'RALEIGH',
        StateCode: 'NC',
        Zip: '27606',
        PlusFour: '1234',
        Country: 'US',
      });
      expect(readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(readFileSync(file, 'utf8')).not.toContain(DEMO_CREDENTIALS.password);

      const checked = await runCli(['check', file, '--api', 'dlr', '--out', join(dir, 'hand-export.checked.csv')]);
      expect(checked.code).toBe(0);

      // On a fresh state store: adopt, then the export itself is all UNCHANGED, with no call at all.
      expect((await importState('dlr', ACCOUNT, 'fresh.db')).code).toBe(0);
      const before = calls(ACCOUNT, 'dlr');
      const again = await run(file, 'dlr', ACCOUNT, 'fresh.db');
      expect(again.code).toBe(0);
      expect(again.rows.map((r) => r.result_status)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
      expect(delta(ACCOUNT, 'dlr', before)).toEqual({});
    });

    it('export names its file and log by {date} and {runId}, as a run does: a nightly export keeps one file a night', async () => {
      const nightly = join(dir, 'nightly');
      const exported = await runCli(['export', ...target('dlr', ACCOUNT, 'hand.db'), '--out', join(nightly, 'export-{date}.csv'), '--log-file', join(nightly, 'export-{runId}.log')], { env: ENV });
      expect(exported.code).toBe(0);
      const names = readdirSync(nightly).sort();
      expect(names).toHaveLength(2);
      const [csv, log] = [names.find((n) => n.endsWith('.csv'))!, names.find((n) => n.endsWith('.log'))!];
      expect(csv).toMatch(/^export-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(readResult(join(nightly, csv))).toHaveLength(3);
      // The log's name carries the id its lines carry.
      const runId = log.slice('export-'.length, -'.log'.length);
      const lines = readFileSync(join(nightly, log), 'utf8').trim().split('\n');
      expect(lines.every((l) => (JSON.parse(l) as { runId?: string }).runId === runId)).toBe(true);
      // Any other placeholder is refused, nothing written.
      const refused = await runCli(['export', ...target('dlr', ACCOUNT, 'hand.db'), '--out', join(nightly, 'export-{night}.csv')], { env: ENV });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('[OUT_INVALID]');
      expect(readdirSync(nightly)).toHaveLength(2);
    });

    it('an endpoint deleted by other means is marked deleted, and the next run adds it again', async () => {
      const client = api('dlr', ACCOUNT);
      const del = await client.dlr!.deleteEndpoints(['HandMade00000002'], customerOrderId('del-ep', ['HandMade00000002']));
      await until<DlrOrder>(
        () => client.dlr!.getOrder(del.orderId),
        (o) => o.final,
      );
      await client.close();
      expect(sandbox.ledger().accounts[ACCOUNT]!.dlr.aeuis['HandMade00000002']).toBeUndefined();

      // 1 of the 3 known is over 10%: refused as run --delete-missing would be, the store untouched
      const refused = await importState('dlr', ACCOUNT, 'hand.db');
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/import-state would mark 1 of the 3 endpoints .* deleted .*--max-delete or pass --force.*\[MAX_DELETE_EXCEEDED\]/);
      const store = new StateStore(join(dir, 'hand.db'));
      expect(store.getEndpoint(ACCOUNT, 'dlr', 'HandMade00000002')?.status).toBe('provisioned');
      store.close();
      const imported = await importState('dlr', ACCOUNT, 'hand.db', '--force');
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/marked deleted:\s+1/);
      const rerun = await run(input, 'dlr', ACCOUNT, 'hand.db');
      expect(rerun.rows[1]).toMatchObject({ result_status: 'SUCCESS', result_action: 'ADD', result_location_id: 'RaleighHQ5' });
      expect(sandbox.ledger().accounts[ACCOUNT]!.dlr.aeuis['HandMade00000002']).toBeTruthy();
    });
  });

  it('dlr: an account esprov provisioned with another state store is adopted; its SUCCESS rows are UNCHANGED', async () => {
    const ACCOUNT = '7102';
    const sample = join(dir, 'dlr-offices.csv');
    writeFileSync(sample, readFileSync(new URL('../samples/dlr-offices.csv', import.meta.url)));
    const first = await run(sample, 'dlr', ACCOUNT, 'lost.db');
    expect(first.code).toBe(1);
    const imported = await importState('dlr', ACCOUNT, 'found.db');
    expect(imported.code).toBe(0);
    const success = first.rows.filter((r) => r.result_status === 'SUCCESS').length;
    expect(imported.stderr).toMatch(new RegExp(`adopted:\\s+${success}\\b`));

    const before = calls(ACCOUNT, 'dlr');
    const again = await run(sample, 'dlr', ACCOUNT, 'found.db');
    const changed = again.rows.filter((r, i) => first.rows[i]!.result_status === 'SUCCESS' && r.result_status !== 'UNCHANGED');
    // One row asks for a ZIP+4 the shared location was not given (two rows, one address, two PlusFours): it alone is resent.
    expect(changed.map((r) => [r['Endpoint ID'], r.result_action])).toEqual([['RDUhq5thFloorDesk03', 'UPDATE']]);
    const sent = delta(ACCOUNT, 'dlr', before);
    expect(sent['order.post.location']).toBeUndefined();

    // Its export passes check; ids esprov derived from addresses the geocoder adjusted are left
    // empty, and the adopted store binds those rows to the account's locations again: all UNCHANGED.
    const file = join(dir, 'offices-export.csv');
    expect((await runCli(['export', ...target('dlr', ACCOUNT, 'found.db'), '--out', file], { env: ENV })).code).toBe(0);
    expect((await runCli(['check', file, '--api', 'dlr', '--out', join(dir, 'offices-export.checked.csv')])).code).toBe(0);
    expect((await importState('dlr', ACCOUNT, 'export-check.db')).code).toBe(0);
    const beforeExport = calls(ACCOUNT, 'dlr');
    const exportRun = await run(file, 'dlr', ACCOUNT, 'export-check.db');
    expect(exportRun.rows.map((r) => r.result_status).filter((s) => s !== 'UNCHANGED')).toEqual([]);
    expect(delta(ACCOUNT, 'dlr', beforeExport)).toEqual({});
  });

  it('unified: an account is adopted (its SUCCESS rows UNCHANGED, with the same address IDs) and exported', async () => {
    const ACCOUNT = '7201';
    const sample = join(dir, 'unified-europe.csv');
    writeFileSync(sample, readFileSync(new URL('../samples/unified-europe.csv', import.meta.url)));
    const first = await run(sample, 'unified', ACCOUNT, 'u-lost.db');
    expect(first.code).toBe(1);
    const imported = await importState('unified', ACCOUNT, 'u-found.db');
    expect(imported.code).toBe(0);
    const success = first.rows.filter((r) => r.result_status === 'SUCCESS');
    expect(imported.stderr).toMatch(new RegExp(`adopted:\\s+${success.length}\\b`));

    const before = calls(ACCOUNT, 'unified');
    const again = await run(sample, 'unified', ACCOUNT, 'u-found.db');
    first.rows.forEach((r, i) => {
      if (r.result_status === 'SUCCESS') expect([i, again.rows[i]!.result_status, again.rows[i]!.result_address_id]).toEqual([i, 'UNCHANGED', r.result_address_id]);
    });
    // Addresses are adopted through the endpoints that use them: only the rows the API refused
    // (whose addresses no endpoint uses) may create theirs again; each of those is sent once more.
    const sent = delta(ACCOUNT, 'unified', before);
    const refused = first.rows.filter((r) => r.result_status === 'REJECTED').length;
    expect(sent['address.post'] ?? 0).toBeLessThanOrEqual(refused);
    expect(again.rows.filter((r) => r.result_action === 'ADD').length).toBe(refused);

    const file = join(dir, 'unified-export.csv');
    const exported = await runCli(['export', ...target('unified', ACCOUNT, 'u-found.db'), '--out', file], { env: ENV });
    expect(exported.code).toBe(0);
    const rows = readResult(file);
    expect(rows).toHaveLength(Object.keys(sandbox.ledger().accounts[ACCOUNT]!.unified.endpoints).length);
    expect(Object.keys(rows[0]!)).toEqual([
      'PhoneNumber',
      'CallerName',
      'Lang',
      'Country',
      'AddressLine1',
      'AddressLine2',
      'City',
      'PostalCode',
      'CompanyName',
      'CustomerType',
      'FriendlyName',
      'Service',
    ]);
    const checked = await runCli(['check', file, '--api', 'unified', '--out', join(dir, 'unified-export.checked.csv')]);
    expect(checked.code).toBe(0);
    const exportRun = await run(file, 'unified', ACCOUNT, 'u-found.db');
    expect(exportRun.rows.every((r) => r.result_status === 'UNCHANGED')).toBe(true);
  });

  it('says which flag is missing', async () => {
    const noAccount = await runCli(['import-state', '--api', 'dlr', '--state', join(dir, 'x.db')], { env: { ...ENV, BW_ACCOUNT_ID: '' } });
    expect(noAccount.code).toBe(2);
    expect(noAccount.stderr).toContain('--account');
    const noApi = await runCli(['export', '--account', '1', '--state', join(dir, 'x.db')], { env: ENV });
    expect(noApi.code).toBe(2);
    expect(noApi.stderr).toContain('--api');
  });
});
