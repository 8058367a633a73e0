// Updates that change nothing, through the real CLI against the sandbox: a row that differs from
// what was provisioned in no field esprov sends is UNCHANGED (no call, per the ledger), an UPDATE
// names what changed (result_changes), and "Address adjusted by the API" appears only when the
// API was asked in this run.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

describe('updates that change nothing', () => {
  let sandbox: Sandbox;
  const dir = tempDir();
  const target = (profile: 'dlr' | 'unified', account: string) => [
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
  ];
  const run = async (input: string, profile: 'dlr' | 'unified', account: string) => {
    const out = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    const r = await runCli(['run', input, ...target(profile, account), '--out', out], { env: ENV });
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

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 12 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('dlr: export, run it, run the original: all UNCHANGED with no call, no adjusted warning; a real change is named', async () => {
    const ACCOUNT = '8101';
    const sample = join(dir, 'dlr-offices.csv');
    writeFileSync(sample, readFileSync(join(ROOT, 'samples/dlr-offices.csv')));
    const first = await run(sample, 'dlr', ACCOUNT);
    expect(first.code).toBe(1); // the sample's INVALID and REJECTED rows
    // The geocoder adjusted these addresses (spelled-out suffixes, missing PlusFour): the warning is earned here.
    expect(first.rows.some((r) => (r.result_warnings ?? '').includes('Address adjusted by the API'))).toBe(true);
    const provisioned = first.rows.filter((r) => r.result_status === 'SUCCESS').length;

    const file = join(dir, 'dlr-export.csv');
    expect((await runCli(['export', ...target('dlr', ACCOUNT), '--out', file], { env: ENV })).code).toBe(0);
    const before = calls(ACCOUNT, 'dlr');
    const exported = await run(file, 'dlr', ACCOUNT);
    expect(exported.code).toBe(0);
    expect(exported.rows).toHaveLength(provisioned);
    expect(exported.rows.filter((r) => r.result_status !== 'UNCHANGED').map((r) => [r.Identifier, r.result_action, r.result_changes])).toEqual([]);
    expect(exported.rows.filter((r) => (r.result_warnings ?? '').includes('Address adjusted'))).toEqual([]);

    const original = await run(sample, 'dlr', ACCOUNT);
    expect(original.rows.filter((r) => r.result_action === 'UPDATE').map((r) => [r['Endpoint ID'], r.result_changes])).toEqual([]);
    first.rows.forEach((r, i) => {
      if (r.result_status === 'SUCCESS') expect([i, original.rows[i]!.result_status]).toEqual([i, 'UNCHANGED']);
    });
    expect(original.rows.filter((r) => (r.result_warnings ?? '').includes('Address adjusted'))).toEqual([]);
    expect(delta(ACCOUNT, 'dlr', before)).toEqual({});

    // A renamed desk and a moved lab: UPDATEs that say what changed, old → new.
    const changed = join(dir, 'dlr-changed.csv');
    writeFileSync(changed, readFileSync(sample, 'utf8').replace('RDUhq5thFloorConf01,5th Floor Conference,', 'RDUhq5thFloorConf01,Lobby,').replace('Floor 6 Room 12', 'Floor 7 Room 1'));
    const third = await run(changed, 'dlr', ACCOUNT);
    const by = Object.fromEntries(third.rows.map((r) => [r['Endpoint ID'], r]));
    expect(by.RDUhq5thFloorConf01).toMatchObject({ result_action: 'UPDATE', result_status: 'SUCCESS', result_changes: 'CallerName: "5th Floor Conference" → "Lobby"' });
    expect(by.RDUhq6thFloorLab001).toMatchObject({ result_action: 'UPDATE', result_status: 'SUCCESS' });
    expect(by.RDUhq6thFloorLab001!.result_changes).toContain('AddressLine2: "FL 6 RM 12" → "FL 7 RM 1"');
    expect(by.RDUhq6thFloorLab001!.result_changes).toMatch(/LocationId: "esp\w+" → "esp\w+"/);
    expect(third.rows.filter((r) => r.result_action === 'UPDATE')).toHaveLength(2);
    expect(third.rows.filter((r) => r.result_status === 'UNCHANGED').every((r) => r.result_changes === '')).toBe(true);
  });

  it('a store written by an older esprov (fields not known): unchanged rows by content hash teach it their fields; an UPDATE before that says the fields are not known', async () => {
    const ACCOUNT = '8102';
    const sample = join(dir, 'dlr-offices-old.csv');
    writeFileSync(sample, readFileSync(join(ROOT, 'samples/dlr-offices.csv')));
    expect((await run(sample, 'dlr', ACCOUNT)).code).toBe(1);
    const state = join(dir, `${ACCOUNT}.db`);
    const forget = () => {
      const db = new Database(state);
      db.prepare("UPDATE endpoints SET fields = ''").run();
      db.close();
    };
    const known = () => {
      const db = new Database(state, { readonly: true });
      const n = db.prepare("SELECT COUNT(*) FROM endpoints WHERE fields <> ''").pluck().get();
      db.close();
      return n;
    };
    forget();
    const before = calls(ACCOUNT, 'dlr');
    const again = await run(sample, 'dlr', ACCOUNT);
    expect(again.rows.filter((r) => r.result_action === 'UPDATE')).toEqual([]);
    expect(delta(ACCOUNT, 'dlr', before)).toEqual({});
    expect(known()).toBe(again.rows.filter((r) => r.result_status === 'UNCHANGED').length);

    const changed = join(dir, 'dlr-offices-old-changed.csv');
    writeFileSync(changed, readFileSync(sample, 'utf8').replace('RDUhq5thFloorConf01,5th Floor Conference,', 'RDUhq5thFloorConf01,Lobby,'));
    const third = await run(changed, 'dlr', ACCOUNT);
    expect(third.rows[0]).toMatchObject({ result_action: 'UPDATE', result_status: 'SUCCESS', result_changes: 'CallerName: "5th Floor Conference" → "Lobby"' });

    forget();
    const back = await run(sample, 'dlr', ACCOUNT);
    expect(back.rows[0]).toMatchObject({ result_action: 'UPDATE', result_status: 'SUCCESS' });
    expect(back.rows[0]!.result_changes).toContain('fields not known');
  });

  it('unified: export, run it, run the original: all UNCHANGED with no call; an address change is named', async () => {
    const ACCOUNT = '8201';
    const sample = join(dir, 'unified-europe.csv');
    writeFileSync(sample, readFileSync(join(ROOT, 'samples/unified-europe.csv')));
    const first = await run(sample, 'unified', ACCOUNT);
    expect(first.code).toBe(1);
    const file = join(dir, 'unified-export.csv');
    expect((await runCli(['export', ...target('unified', ACCOUNT), '--out', file], { env: ENV })).code).toBe(0);
    const before = calls(ACCOUNT, 'unified');
    const exported = await run(file, 'unified', ACCOUNT);
    expect(exported.code).toBe(0);
    expect(exported.rows.filter((r) => r.result_status !== 'UNCHANGED').map((r) => [r.PhoneNumber, r.result_changes])).toEqual([]);
    const original = await run(sample, 'unified', ACCOUNT);
    expect(original.rows.filter((r) => r.result_action === 'UPDATE')).toEqual([]);
    expect(delta(ACCOUNT, 'unified', before)).toEqual({});

    const moved = join(dir, 'unified-moved.csv');
    writeFileSync(moved, readFileSync(sample, 'utf8').replace('+31205550100,Amsterdam Office,en,NLD,Herengracht 182,', '+31205550100,Amsterdam Office,en,NLD,Herengracht 184,'));
    const third = await run(moved, 'unified', ACCOUNT);
    const row = third.rows.find((r) => r['Phone Number'] === '+31205550100')!;
    expect(row).toMatchObject({ result_action: 'UPDATE', result_status: 'SUCCESS' });
    expect(row.result_changes).toContain('AddressLine1: "Herengracht 182" → "Herengracht 184"');
  });
});
