// The listing import-state stages an account's endpoint list in: what it counts and marks deleted
// is the provisioned endpoints of that one account and profile the list does not hold, nothing else.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EndpointRecord, StateStore } from '../src/state/store.js';
import { tempDir } from './helpers/cli.js';

const endpoint = (account: string, profile: 'dlr' | 'unified', endpointKey: string, status: EndpointRecord['status']): EndpointRecord => ({
  account,
  profile,
  endpointKey,
  contentHash: 'h',
  addressRef: 'L1',
  status,
  orderId: 'o1',
  runId: 'r1',
  errorCode: '',
  errorMessage: '',
  stdText: '1 MAIN ST',
  source: 'run',
  fields: { CallerName: 'Desk' },
});

describe('account listing', () => {
  it('counts and marks deleted only the provisioned endpoints of the account and profile it does not list', () => {
    const store = new StateStore(join(tempDir(), 'listing.db'));
    for (const [account, profile, key, status] of [
      ['A', 'dlr', 'Listed0000001', 'provisioned'],
      ['A', 'dlr', 'Absent0000001', 'provisioned'],
      ['A', 'dlr', 'Absent0000002', 'rejected'],
      ['A', 'unified', 'Absent0000003', 'provisioned'],
      ['B', 'dlr', 'Absent0000004', 'provisioned'],
    ] as const) {
      store.putEndpoint(endpoint(account, profile, key, status));
    }
    const listing = store.listing();
    store.transaction(() => listing.add([{ key: 'Listed0000001', item: '{}' }]));
    store.transaction(() => listing.add([{ key: 'NewOne0000001', item: '{"n":1}' }]));
    expect(listing.size).toBe(2);
    expect([...listing.pages(1)]).toEqual([[{ key: 'Listed0000001', item: '{}' }], [{ key: 'NewOne0000001', item: '{"n":1}' }]]);
    expect(listing.countMissing('A', 'dlr')).toBe(1);

    expect(store.transaction(() => listing.markMissingDeleted('A', 'dlr'))).toBe(1);
    expect(store.getEndpoint('A', 'dlr', 'Absent0000001')).toMatchObject({ status: 'deleted', contentHash: '', orderId: '', addressRef: 'L1', source: 'run' });
    expect(store.endpointFields('A', 'dlr', 'Absent0000001')).toBeUndefined();
    expect(store.getEndpoint('A', 'dlr', 'Listed0000001')?.status).toBe('provisioned');
    expect(store.getEndpoint('A', 'dlr', 'Absent0000002')?.status).toBe('rejected');
    expect(store.getEndpoint('A', 'unified', 'Absent0000003')?.status).toBe('provisioned');
    expect(store.getEndpoint('B', 'dlr', 'Absent0000004')?.status).toBe('provisioned');

    // A new listing starts empty.
    expect(store.listing().size).toBe(0);
    store.close();
  });
});
