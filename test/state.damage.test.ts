// A state store that is empty, damaged or on a full disk stops the command with exit 2 and names
// the file and what to do; an emptied store is never taken for a new one (that would resend all).

import { closeSync, existsSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { stateError } from '../src/state/damage.js';
import { StateStore } from '../src/state/store.js';
import { runCli, tempDir } from './helpers/cli.js';

const ENV = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

describe('damaged state stores', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 33 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const run = (account: string, state: string, dir: string) =>
    runCli(['run', 'samples/dlr-bandwidth-template.csv', '--api', 'dlr', '--account', account, '--base-url', `${sandbox.url}/api`, '--state', state, '--rate', '0', '--out', join(dir, 'result.csv')], {
      env: ENV,
    });
  const calls = (account: string) => sandbox.ledger().accounts[account]?.dlr.calls ?? {};

  it('a store emptied to 0 bytes is refused, not taken for a new one: nothing is sent', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.db');
    expect((await run('dmg1', state, dir)).code).toBe(0);
    const before = { ...calls('dmg1') };
    // Emptied as a failed copy or a full disk leaves it: 0 bytes, the write-ahead log gone.
    truncateSync(state, 0);
    rmSync(`${state}-wal`, { force: true });
    const again = await run('dmg1', state, dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`The state store ${state} is empty (0 bytes)`);
    expect(again.stderr).toContain('[STATE_EMPTY]');
    expect(again.stderr).toContain('esprov import-state');
    expect(again.stderr).not.toMatch(/\n\s+at /);
    expect(calls('dmg1')).toEqual(before);
  });

  it('a file that is not a database, or a damaged one, is named with what to do', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.db');
    writeFileSync(state, 'this is not a SQLite file, it is a note someone saved over it\n'.repeat(100));
    const r = await run('dmg2', state, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`The state store ${state} is damaged`);
    expect(r.stderr).toContain('[STATE_DAMAGED]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(calls('dmg2')).toEqual({});
  });

  it("maps SQLite's codes to named refusals; a new store is created as before", () => {
    const dir = tempDir();
    const path = join(dir, 'new.db');
    new StateStore(path).close();
    expect(existsSync(path)).toBe(true);
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(stateError(path, full)).toMatchObject({ code: 'STATE_DISK_FULL' });
    expect(stateError(path, full)!.message).toContain(path);
    const malformed = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect(stateError(path, malformed)).toMatchObject({ code: 'STATE_DAMAGED' });
    expect(stateError(path, new Error('other'))).toBeUndefined();
    // A 0-byte file with an empty write-ahead log holds nothing either: refused.
    const fresh = join(dir, 'fresh.db');
    closeSync(openSync(fresh, 'a', 0o600));
    writeFileSync(`${fresh}-wal`, '');
    expect(() => new StateStore(fresh).close()).toThrow(/is empty \(0 bytes\)/);
  });
});
