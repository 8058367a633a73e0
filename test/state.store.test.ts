import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/state/schema.js';
import { StateLockedError, StateStore } from '../src/state/store.js';
import { tempDir } from './helpers/cli.js';

describe('state store', () => {
  it('is created readable by its owner only, in WAL mode, at the newest schema', () => {
    const path = join(tempDir(), 'nested', 'state.db');
    const store = new StateStore(path);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it("settles an endpoint's outcome without touching what its intent wrote, and ignores an endpoint it does not hold", () => {
    const store = new StateStore(':memory:');
    const intent = {
      account: 'a',
      profile: 'dlr' as const,
      endpointKey: 'Desk000000001',
      contentHash: 'h1',
      addressRef: 'L1',
      status: 'pending' as const,
      orderId: 'o1',
      runId: 'r1',
      errorCode: '',
      errorMessage: '',
      stdText: '1 MAIN ST',
      fields: { CallerName: 'Desk 1' },
    };
    store.putEndpoint(intent);
    store.putEndpoint({ ...intent, endpointKey: 'Desk000000002' });
    store.putEndpoint({ ...intent, endpointKey: 'Desk000000003' });
    store.settleEndpoints('a', 'dlr', ['Desk000000001'], { status: 'rejected', orderId: 'o1', runId: 'r2', errorCode: '8040', errorMessage: 'no location' });
    store.settleEndpoints('a', 'dlr', ['Desk000000099', 'Desk000000003'], { status: 'provisioned', orderId: 'o1', runId: 'r2', errorCode: '', errorMessage: '' });
    // The keys named take the outcome, in one statement; the others keep theirs.
    expect(store.getEndpoint('a', 'dlr', 'Desk000000003')).toMatchObject({ status: 'provisioned', runId: 'r2', contentHash: 'h1' });
    expect(store.getEndpoint('a', 'dlr', 'Desk000000002')).toMatchObject({ status: 'pending', runId: 'r1' });
    expect(store.getEndpoint('a', 'dlr', 'Desk000000001')).toMatchObject({
      contentHash: 'h1',
      addressRef: 'L1',
      stdText: '1 MAIN ST',
      source: 'run',
      status: 'rejected',
      orderId: 'o1',
      runId: 'r2',
      errorCode: '8040',
      errorMessage: 'no location',
    });
    expect(store.endpointFields('a', 'dlr', 'Desk000000001')).toEqual({ CallerName: 'Desk 1' });
    expect(store.getEndpoint('a', 'dlr', 'Desk000000099')).toBeUndefined();
    store.close();
  });

  it("gives an order's id to the endpoints and locations it was sent for, in one statement, and to nothing else", () => {
    const store = new StateStore(':memory:');
    const endpoint = (endpointKey: string, account = 'a') => ({
      account,
      profile: 'dlr' as const,
      endpointKey,
      contentHash: `h-${endpointKey}`,
      addressRef: 'L1',
      status: 'pending' as const,
      orderId: '',
      runId: 'r1',
      errorCode: '',
      errorMessage: '',
      stdText: '1 MAIN ST',
      fields: { CallerName: endpointKey },
    });
    for (const key of ['E1', 'E2', 'E3']) store.putEndpoint(endpoint(key));
    store.putEndpoint(endpoint('E1', 'other'));
    const location = (locationId: string) => ({ account: 'a', locationId, addressKey: `k-${locationId}`, contentHash: 'lh', status: 'pending' as const, orderId: '', errorCode: '', errorMessage: '' });
    store.putLocation(location('L1'));
    store.putLocation(location('L2'));
    store.setEndpointsOrder('a', 'dlr', ['E1', 'E3', 'E9'], 'o7');
    store.setLocationsOrder('a', ['L2'], 'o8');
    const { fields: _, ...written } = endpoint('E1');
    expect(store.getEndpoint('a', 'dlr', 'E1')).toMatchObject({ ...written, orderId: 'o7' });
    expect(store.endpointFields('a', 'dlr', 'E1')).toEqual({ CallerName: 'E1' });
    expect(store.getEndpoint('a', 'dlr', 'E3')?.orderId).toBe('o7');
    expect(store.getEndpoint('a', 'dlr', 'E2')?.orderId).toBe('');
    expect(store.getEndpoint('other', 'dlr', 'E1')?.orderId).toBe('');
    expect(store.getEndpoint('a', 'dlr', 'E9')).toBeUndefined();
    expect(store.getLocation('a', 'L2')).toMatchObject({ orderId: 'o8', status: 'pending', addressKey: 'k-L2' });
    expect(store.getLocation('a', 'L1')?.orderId).toBe('');
    store.close();
  });

  it('migrates a version-1 store, keeping its data', () => {
    const path = join(tempDir(), 'v1.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare(
      "INSERT INTO runs (run_id, account, profile, command, input, output, started_at, status) VALUES ('r1', 'a', 'dlr', 'run', 'in.csv', 'out.csv', '2026-01-01T00:00:00Z', 'finished')",
    ).run();
    db.prepare(
      "INSERT INTO endpoints (account, profile, endpoint_key, content_hash, address_ref, status, updated_at) VALUES ('a', 'dlr', 'Desk000000001', 'h', 'L1', 'provisioned', '2026-01-01T00:00:00Z')",
    ).run();
    db.close();
    const store = new StateStore(path);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.lastRuns('a', 'dlr')[0]).toMatchObject({ runId: 'r1', input: 'in.csv', options: {} });
    // v3: what a run provisioned before import-state existed counts as esprov's own.
    expect(store.getEndpoint('a', 'dlr', 'Desk000000001')).toMatchObject({ contentHash: 'h', addressRef: 'L1', source: 'run' });
    // v4: what an older esprov provisioned has no recorded fields (compared by content hash, as then).
    expect(store.endpointFields('a', 'dlr', 'Desk000000001')).toBeUndefined();
    expect(store.duplicates('a', 'dlr').size).toBe(0);
    store.close();
  });

  it('keeps the fields esprov sent for as long as the content hash they describe', () => {
    const store = new StateStore(':memory:');
    const put = (contentHash: string, fields?: Record<string, string>) =>
      store.putEndpoint({
        account: 'a',
        profile: 'dlr',
        endpointKey: 'Desk000000001',
        contentHash,
        addressRef: 'L1',
        status: 'provisioned',
        orderId: 'o',
        runId: 'r',
        errorCode: '',
        errorMessage: '',
        stdText: '',
        ...(fields !== undefined ? { fields } : {}),
      });
    put('h1', { CallerName: 'Desk 1' });
    expect(store.endpointFields('a', 'dlr', 'Desk000000001')).toEqual({ CallerName: 'Desk 1' });
    put('h1'); // e.g. resume settling the same content
    expect(store.endpointFields('a', 'dlr', 'Desk000000001')).toEqual({ CallerName: 'Desk 1' });
    put('h2'); // other content, fields not given: no longer known
    expect(store.endpointFields('a', 'dlr', 'Desk000000001')).toBeUndefined();
    store.close();
  });

  it('keeps a duplicate key until it is cleared', () => {
    const store = new StateStore(':memory:');
    store.putDuplicate('a', 'dlr', { endpointKey: 'Desk000000001', input: 'x.csv', firstLine: 2, secondLine: 4 });
    expect([...store.duplicates('a', 'dlr').values()]).toEqual([{ endpointKey: 'Desk000000001', input: 'x.csv', firstLine: 2, secondLine: 4 }]);
    expect(store.duplicates('a', 'unified').size).toBe(0);
    store.clearDuplicate('a', 'dlr', 'Desk000000001');
    expect(store.duplicates('a', 'dlr').size).toBe(0);
    store.close();
  });

  it('knows which locations import-state adopted, one per address (the smallest id)', () => {
    const store = new StateStore(':memory:');
    const loc = (locationId: string, addressKey: string, source: 'run' | 'import', status: 'provisioned' | 'deleted' = 'provisioned') =>
      store.putLocation({ account: 'a', locationId, addressKey, contentHash: 'h', status, orderId: '', errorCode: '', errorMessage: '', source });
    loc('Zeta', 'k1', 'import');
    loc('Alpha', 'k1', 'import');
    loc('Mine', 'k2', 'run');
    loc('Gone', 'k3', 'import', 'deleted');
    loc('Unread', '', 'import');
    expect([...store.adoptedLocations('a')]).toEqual([['k1', 'Alpha']]);
    expect(store.getLocation('a', 'Mine')?.source).toBe('run');
    store.close();
  });

  it('refuses a second live run, takes over the lock of a dead one', () => {
    const path = join(tempDir(), 'lock.db');
    const a = new StateStore(path);
    a.acquireLock('run-a');
    // Same process: a re-entrant take-over is allowed; a live other pid is not.
    const db = new Database(path);
    db.prepare('UPDATE lock SET pid = ?').run(process.ppid);
    db.close();
    const b = new StateStore(path);
    expect(() => b.acquireLock('run-b')).toThrow(StateLockedError);
    const dead = new Database(path);
    dead.prepare('UPDATE lock SET pid = ?').run(2 ** 22 + 12345); // no such process
    dead.close();
    expect(() => b.acquireLock('run-b')).not.toThrow();
    a.close();
    b.close();
  });

  it('keeps an order intent, then its id and end', () => {
    const store = new StateStore(':memory:');
    store.putOrder({ account: 'a', profile: 'dlr', orderKey: 'esp-ep-1', orderId: '', kind: 'ep', members: ['X'], status: 'INTENT', final: false, runId: 'r' });
    expect(store.openOrders('a', 'dlr').map((o) => o.orderKey)).toEqual(['esp-ep-1']);
    store.updateOrder('a', 'dlr', 'esp-ep-1', 'oid-1', 'COMPLETE', true);
    expect(store.openOrders('a', 'dlr')).toEqual([]);
    expect(store.getOrderById('a', 'dlr', 'oid-1')?.final).toBe(true);
    store.close();
  });
});
