// A wrong --base-url or --account through the real CLI: every command stops at the first call
// with exit 2 and one line naming them; nothing is read as an empty account, no row is FAILED,
// the state store and the account are left as they were (SPEC §4).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { StateStore } from '../src/state/store.js';
import { ROOT, runCli, tempDir } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const ROOTS = { dlr: '/api', unified: '/api/v2' } as const;
const SAMPLES = { dlr: 'samples/dlr-offices.csv', unified: 'samples/unified-europe.csv' } as const;
const ACCOUNTS = { dlr: '7301', unified: '7302' } as const;
type Profile = keyof typeof ROOTS;

describe('a wrong base URL or account is never read as data', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const args = (profile: Profile, baseUrl: string, account: string = ACCOUNTS[profile]) => [
    '--api',
    profile,
    '--account',
    account,
    '--base-url',
    baseUrl,
    '--state',
    join(dir, `${profile}.db`),
    '--rate',
    '0',
  ];
  const endpoints = (profile: Profile) => {
    const store = new StateStore(join(dir, `${profile}.db`));
    try {
      return store
        .listEndpoints(ACCOUNTS[profile], profile)
        .map((e) => `${e.endpointKey}:${e.status}:${e.contentHash}`)
        .sort();
    } finally {
      store.close();
    }
  };
  /** The sample with every caller name changed: each row has a call to make. */
  const changed = (profile: Profile): string => {
    const [header, ...rows] = parse(readFileSync(join(ROOT, SAMPLES[profile])), { bom: true }) as string[][];
    const name = header!.indexOf('Caller Name');
    const path = join(dir, `${profile}-changed.csv`);
    writeFileSync(path, stringify([header!, ...rows.map((r) => r.map((c, i) => (i === name ? `${c} B` : c)))]));
    return path;
  };
  const expectOneLine = (r: { code: number; stderr: string }, names: RegExp, code: string) => {
    expect(r.code, r.stderr).toBe(2);
    // progress notes aside (a run says how many addresses it has), one line says what is wrong
    const refusal = r.stderr.split('\n').filter((l) => l.includes(`[${code}]`));
    expect(refusal, r.stderr).toHaveLength(1);
    expect(refusal[0]).toMatch(names);
    expect(r.stderr).not.toMatch(/^\s+at |unexpected error/m);
  };

  beforeAll(async () => {
    // The credentials may use these accounts only: any other answers 403, as the real API does.
    sandbox = await startSandbox({ seed: 12, accounts: [ACCOUNTS.dlr, ACCOUNTS.unified] });
    for (const profile of ['dlr', 'unified'] as const) {
      const first = await runCli(['run', SAMPLES[profile], ...args(profile, `${sandbox.url}${ROOTS[profile]}`), '--out', join(dir, `${profile}-first.csv`)], { env: ENV });
      expect(first.code).toBeLessThanOrEqual(1);
      expect(endpoints(profile).filter((e) => e.includes(':provisioned:')).length).toBeGreaterThan(5);
    }
  }, 120_000);
  afterAll(async () => {
    await sandbox.close();
  });

  const wrong = (profile: Profile) => [
    { what: 'the base URL without its API root', baseUrl: sandbox.url, account: ACCOUNTS[profile], names: /--base-url .*--account/, code: 'API_MISCONFIGURED' },
    {
      what: "the other profile's root",
      baseUrl: `${sandbox.url}${ROOTS[profile === 'dlr' ? 'unified' : 'dlr']}`,
      account: ACCOUNTS[profile],
      names: /--base-url .*--account/,
      code: 'API_MISCONFIGURED',
    },
    { what: 'an account the credentials may not use', baseUrl: `${sandbox.url}${ROOTS[profile]}`, account: '7399', names: /--account/, code: 'AUTH_FAILED' },
  ];

  for (const profile of ['dlr', 'unified'] as const) {
    it(`${profile}: import-state stops at once and marks nothing deleted`, async () => {
      for (const w of wrong(profile)) {
        const storeBefore = endpoints(profile);
        const imported = await runCli(['import-state', ...args(profile, w.baseUrl, w.account)], { env: ENV });
        expectOneLine(imported, w.names, w.code);
        expect(endpoints(profile), `import-state, ${w.what}`).toEqual(storeBefore);
      }
    }, 60_000);

    it(`${profile}: export stops at once and writes no empty backup`, async () => {
      for (const w of wrong(profile)) {
        const out = join(dir, `${profile}-${w.code}-${w.account}-export.csv`);
        const exported = await runCli(['export', ...args(profile, w.baseUrl, w.account), '--out', out], { env: ENV });
        expectOneLine(exported, w.names, w.code);
        expect(existsSync(out), `export, ${w.what}`).toBe(false);
      }
    }, 60_000);

    it(`${profile}: run stops at the first call, no row FAILED, nothing sent`, async () => {
      const input = changed(profile);
      for (const w of wrong(profile)) {
        const storeBefore = endpoints(profile);
        const writesBefore = sandbox.ledger().accounts[ACCOUNTS[profile]]!.writeCalls;
        const result = join(dir, `${profile}-${w.code}-${w.account}-run.csv`);
        const run = await runCli(['run', input, ...args(profile, w.baseUrl, w.account), '--out', result], { env: ENV });
        expectOneLine(run, w.names, w.code);
        expect(run.stderr).not.toMatch(/run again later/);
        expect(existsSync(result), `run, ${w.what}: no result file with FAILED rows`).toBe(false);
        // The store may hold the endpoint order's intent (its items pending: the next run looks it
        // up before sending), as after a refused credential; nothing is lost, failed or deleted.
        const settled = (list: string[]) => list.map((e) => `${e.split(':')[0]}:${e.includes(':deleted:') ? 'deleted' : 'kept'}`);
        expect(settled(endpoints(profile)), `run, ${w.what}`).toEqual(settled(storeBefore));
        expect(sandbox.ledger().accounts[ACCOUNTS[profile]]!.writeCalls).toBe(writesBefore);
      }
    }, 60_000);
  }
});
