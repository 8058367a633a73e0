// import-state at account scale, through the real CLI: the account is read page by page (the
// sandbox answers at most three elements a page), each page adopted as it arrives, and what the
// store knew as provisioned but the account no longer lists is found without holding the account.
// A refused import is decided from the endpoint list alone: nothing read one by one, nothing adopted.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, customerOrderId, type DlrOrder } from '../src/api/index.js';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { type EndpointRecord, StateStore } from '../src/state/store.js';
import { readResult, runCli, tempDir } from './helpers/cli.js';
import { until } from './helpers/until.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const PAGE = 3;

describe('import-state page by page', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const base = (profile: 'dlr' | 'unified') => `${sandbox.url}${profile === 'dlr' ? '/api' : '/api/v2'}`;
  const target = (profile: 'dlr' | 'unified', account: string, state: string) => ['--api', profile, '--account', account, '--base-url', base(profile), '--state', join(dir, state), '--rate', '0'];
  const importState = (profile: 'dlr' | 'unified', account: string, state: string, ...flags: string[]) => runCli(['import-state', ...target(profile, account, state), ...flags], { env: ENV });
  const run = async (input: string, profile: 'dlr' | 'unified', account: string, state: string) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    const r = await runCli(['run', input, ...target(profile, account, state), '--out', out], { env: ENV });
    return { ...r, rows: r.code === 2 ? [] : readResult(out) };
  };
  const calls = (account: string, profile: 'dlr' | 'unified') => ({ ...sandbox.ledger().accounts[account]![profile].calls });
  const delta = (account: string, profile: 'dlr' | 'unified', before: Record<string, number>) => {
    const after = sandbox.ledger().accounts[account]![profile].calls;
    return Object.fromEntries(
      Object.keys(after)
        .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)])
        .filter(([, v]) => v !== 0),
    );
  };
  const withStore = <T>(state: string, fn: (store: StateStore) => T): T => {
    const store = new StateStore(join(dir, state));
    try {
      return fn(store);
    } finally {
      store.close();
    }
  };
  /** An endpoint the store knows (as a run of esprov would have left it). */
  const known = (account: string, profile: 'dlr' | 'unified', endpointKey: string, status: EndpointRecord['status'] = 'provisioned'): EndpointRecord => ({
    account,
    profile,
    endpointKey,
    contentHash: 'c0ffee',
    addressRef: 'SomeLocation1',
    status,
    orderId: 'order-1',
    runId: 'run-1',
    errorCode: '',
    errorMessage: '',
    stdText: '1 SOME ST',
    source: 'run',
  });
  const statuses = (state: string, account: string, profile: 'dlr' | 'unified') => withStore(state, (s) => Object.fromEntries(s.listEndpoints(account, profile).map((e) => [e.endpointKey, e.status])));

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 14, maxPageSize: PAGE });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  describe('dlr: ten endpoints at three locations, three a page', () => {
    const ACCOUNT = '1401';
    const input = join(dir, 'desks.csv');
    const ids = Array.from({ length: 10 }, (_, i) => `PageDesk${String(i + 1).padStart(6, '0')}`);

    beforeAll(async () => {
      const lines = ids.map((id, i) => `${id},Desk ${i + 1},919456${String(1300 + i)},en,${900 + (i % 3)},Main Campus,Drive,Suite 500,Raleigh,NC,27606,US`);
      writeFileSync(input, ['Identifier,CallerName,CallbackNumber,PreferredLanguage,HouseNumber,StreetName,StreetSuffix,AddressLine2,City,StateCode,Zip,Country', ...lines].join('\n'));
      const seeded = await run(input, 'dlr', ACCOUNT, 'seed.db');
      expect(seeded.rows.map((r) => r.result_status)).toEqual(ids.map(() => 'SUCCESS'));
    });

    it('adopts every endpoint and location across the pages: the same export is then UNCHANGED with no call', async () => {
      const before = calls(ACCOUNT, 'dlr');
      const imported = await importState('dlr', ACCOUNT, 'pages.db');
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/endpoints listed:\s+10\n/);
      expect(imported.stderr).toMatch(/adopted:\s+10\n/);
      expect(imported.stderr).toMatch(/locations adopted:\s+3\n/);
      // Four pages of endpoints (3 + 3 + 3 + 1), one of locations, one GET each.
      expect(delta(ACCOUNT, 'dlr', before)).toEqual({ 'aeuis.list': 4, 'addresses.list': 1, 'aeuis.get': 10 });
      expect(statuses('pages.db', ACCOUNT, 'dlr')).toEqual(Object.fromEntries(ids.map((id) => [id, 'provisioned'])));

      const beforeRun = calls(ACCOUNT, 'dlr');
      const again = await run(input, 'dlr', ACCOUNT, 'pages.db');
      expect(again.rows.map((r) => r.result_status)).toEqual(ids.map(() => 'UNCHANGED'));
      expect(delta(ACCOUNT, 'dlr', beforeRun)).toEqual({});
    });

    it('marks deleted exactly the provisioned endpoints the account does not list, on any page', async () => {
      // Two the store knows as provisioned that the account never had, one it refused (not provisioned: left alone) ...
      withStore('pages.db', (s) => {
        for (const key of ['GoneDesk000001', 'GoneDesk000002']) s.putEndpoint(known(ACCOUNT, 'dlr', key));
        s.putEndpoint(known(ACCOUNT, 'dlr', 'RefusedDesk001', 'rejected'));
      });
      // ... and one deleted from the account by other means, from the middle of the second page.
      const client = createApi({ profile: 'dlr', baseUrl: base('dlr'), accountId: ACCOUNT, auth: { kind: 'basic', ...DEMO_CREDENTIALS } });
      const del = await client.dlr!.deleteEndpoints([ids[4]!], customerOrderId('del-ep', [ids[4]!]));
      await until<DlrOrder>(
        () => client.dlr!.getOrder(del.orderId),
        (o) => o.final,
      );
      await client.close();

      const imported = await importState('dlr', ACCOUNT, 'pages.db', '--max-delete', '3');
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/endpoints listed:\s+9\n/);
      expect(imported.stderr).toMatch(/marked deleted:\s+3 /);
      expect(statuses('pages.db', ACCOUNT, 'dlr')).toEqual({
        ...Object.fromEntries(ids.map((id) => [id, 'provisioned'])),
        [ids[4]!]: 'deleted',
        GoneDesk000001: 'deleted',
        GoneDesk000002: 'deleted',
        RefusedDesk001: 'rejected',
      });
    });

    it('a refused import is decided from the endpoint list alone: nothing read one by one, nothing adopted, the store as it was', async () => {
      // A store that knows ten other endpoints of the account as provisioned: the account lists none of them.
      const others = Array.from({ length: 10 }, (_, i) => `OtherDesk${String(i).padStart(5, '0')}`);
      withStore('refused.db', (s) => {
        for (const key of others) s.putEndpoint(known(ACCOUNT, 'dlr', key));
      });
      const snapshot = () => withStore('refused.db', (s) => ({ endpoints: s.listEndpoints(ACCOUNT, 'dlr'), locations: s.listLocations(ACCOUNT), addresses: s.listAddresses(ACCOUNT, 'dlr') }));
      const was = snapshot();
      const before = calls(ACCOUNT, 'dlr');

      const refused = await importState('dlr', ACCOUNT, 'refused.db');
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/^esprov: import-state would mark 10 of the 10 endpoints esprov knows for account 1401 deleted .*nothing was imported.*\[MAX_DELETE_EXCEEDED\]$/m);
      expect(delta(ACCOUNT, 'dlr', before)).toEqual({ 'aeuis.list': 3 });
      expect(snapshot()).toEqual(was);
      expect(was.endpoints).toHaveLength(10);
    });
  });

  it('unified: adopts every endpoint across the pages and marks deleted the one the account does not list (--force)', async () => {
    const ACCOUNT = '1402';
    const sample = join(dir, 'unified-europe.csv');
    writeFileSync(sample, readFileSync(new URL('../samples/unified-europe.csv', import.meta.url)));
    const first = await run(sample, 'unified', ACCOUNT, 'u-seed.db');
    const success = first.rows.filter((r) => r.result_status === 'SUCCESS').length;
    expect(success).toBeGreaterThan(2 * PAGE);
    withStore('u-pages.db', (s) => s.putEndpoint(known(ACCOUNT, 'unified', '+31205559999')));

    // 1 of 1 known is over 10%: refused without --force.
    expect((await importState('unified', ACCOUNT, 'u-pages.db')).code).toBe(2);
    const before = calls(ACCOUNT, 'unified');
    const imported = await importState('unified', ACCOUNT, 'u-pages.db', '--force');
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(new RegExp(`adopted:\\s+${success}\\n`));
    expect(imported.stderr).toMatch(/marked deleted:\s+1 /);
    expect(delta(ACCOUNT, 'unified', before)['endpoints.list']).toBe(Math.ceil(success / PAGE));
    const after = statuses('u-pages.db', ACCOUNT, 'unified');
    expect(after['+31205559999']).toBe('deleted');
    expect(Object.values(after).filter((s) => s === 'provisioned')).toHaveLength(success);

    const again = await run(sample, 'unified', ACCOUNT, 'u-pages.db');
    first.rows.forEach((r, i) => {
      if (r.result_status === 'SUCCESS') expect([i, again.rows[i]!.result_status]).toEqual([i, 'UNCHANGED']);
    });
  });
});
