// The one settle every path uses: an answer gives each member exactly one outcome, the same
// whichever path reads it, and an order that failed as a whole never keeps a row refused.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DlrItemError, DlrOrderStatus } from '../src/api/index.js';
import { applyOutcomes } from '../src/orders/engine.js';
import { currentAttempt, orderKey } from '../src/orders/keys.js';
import { dlrAnswer, settle, unifiedAnswer } from '../src/orders/settle.js';
import { StateStore } from '../src/state/store.js';

const DLR_STATUSES: DlrOrderStatus[] = ['COMPLETE', 'ADJUSTED_COMPLETE', 'PARTIAL', 'ADJUSTED_PARTIAL', 'FAILED'];
const ids = fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z0-9]{9}$/), { minLength: 1, maxLength: 8 });

describe('settle', () => {
  it('a dlr order that failed as a whole, with no reason for an item, retries it (never refuses it)', () => {
    const answer = dlrAnswer({ final: true, rawStatus: 'FAILED', status: 'FAILED', errors: [] }, 'identifiers');
    expect(settle({ orderId: 'o1', members: ['A', 'B'] }, answer)).toEqual([
      { member: 'A', result: 'retry', code: 'ORDER_FAILED', message: 'Order o1 failed (it ended FAILED without a reason per item); it is sent again on the next run.' },
      { member: 'B', result: 'retry', code: 'ORDER_FAILED', message: 'Order o1 failed (it ended FAILED without a reason per item); it is sent again on the next run.' },
    ]);
  });

  it('a dlr PARTIAL refuses the items its errors name and made the others', () => {
    const errors: DlrItemError[] = [{ kind: 'aeui', code: '8014', description: 'Invalid callback.', identifiers: ['B'], locationIds: [] }];
    const answer = dlrAnswer({ final: true, rawStatus: 'PARTIAL', status: 'PARTIAL', errors }, 'identifiers');
    expect(settle({ orderId: 'o2', members: ['A', 'B'] }, answer)).toEqual([
      { member: 'A', result: 'done' },
      { member: 'B', result: 'refused', code: '8014', message: 'Invalid callback.' },
    ]);
  });

  it('a unified order: SUCCESS made, ERROR refused, COMPLETED made the unnamed, otherwise an unnamed item is retried', () => {
    const endpoints = [
      { id: '+31', status: 'SUCCESS' as const, rawStatus: 'SUCCESS' },
      { id: '+32', status: 'ERROR' as const, rawStatus: 'ERROR', error: 'Number not on account', errorCode: '13006' },
    ];
    const partial = unifiedAnswer({ final: true, rawStatus: 'PARTIAL', status: 'PARTIAL', endpoints });
    expect(settle({ orderId: 'u1', members: ['+31', '+32', '+33'] }, partial).map((o) => o.result)).toEqual(['done', 'refused', 'retry']);
    const completed = unifiedAnswer({ final: true, rawStatus: 'COMPLETED', status: 'COMPLETED', endpoints: [] });
    expect(settle({ orderId: 'u2', members: ['+33'] }, completed)).toEqual([{ member: '+33', result: 'done' }]);
  });

  it("gives every member one outcome, refuses exactly the members an error names, and never says done for a failed order's unnamed member", () => {
    fc.assert(
      fc.property(ids, fc.constantFrom(...DLR_STATUSES), fc.array(fc.nat(), { maxLength: 4 }), (members, status, picks) => {
        const refused = new Set(picks.map((p) => members[p % members.length]!));
        const errors: DlrItemError[] = [...refused].map((id) => ({ kind: 'aeui', code: '8003', description: 'Duplicate', identifiers: [id], locationIds: [] }));
        const answer = dlrAnswer({ final: true, rawStatus: status, status, errors }, 'identifiers');
        const outcomes = settle({ orderId: 'o', members }, answer);
        expect(outcomes.map((o) => o.member)).toEqual(members);
        for (const o of outcomes) {
          expect(o.result === 'refused').toBe(refused.has(o.member));
          if (status === 'FAILED' && !refused.has(o.member)) expect(o.result).toBe('retry');
          if (status !== 'FAILED' && !refused.has(o.member)) expect(o.result).toBe('done');
        }
        // One answer, one outcome: settling it again (another path reading it) gives the same.
        expect(settle({ orderId: 'o', members }, answer)).toEqual(outcomes);
      }),
    );
  });
});

describe('order keys', () => {
  it('depend on the content and the attempt, not on the order of the items or the run', () => {
    fc.assert(
      fc.property(ids, fc.integer({ min: 1, max: 50 }), (members, attempt) => {
        const key = orderKey('ep', members, attempt);
        expect(key).toMatch(/^[A-Za-z0-9-]{1,40}$/);
        expect(orderKey('ep', [...members].reverse(), attempt)).toBe(key);
        expect(orderKey('ep', members, attempt + 1)).not.toBe(key);
        expect(orderKey('del-ep', members, attempt)).not.toBe(key);
      }),
    );
  });

  it('the current attempt is the first not known as final; an open attempt is finished, not resent', () => {
    const store = new Map<string, { final: boolean }>();
    const known = (key: string) => store.get(key);
    const first = currentAttempt('loc', ['L1', 'L2'], known);
    expect(first).toMatchObject({ attempt: 1, open: false });
    store.set(first.key, { final: false });
    expect(currentAttempt('loc', ['L1', 'L2'], known)).toEqual({ key: first.key, attempt: 1, open: true });
    store.set(first.key, { final: true });
    const second = currentAttempt('loc', ['L2', 'L1'], known);
    expect(second.attempt).toBe(2);
    expect(second.key).not.toBe(first.key);
  });
});

describe('applyOutcomes', () => {
  it("writes each member's own outcome, members with one outcome together, and touches no other endpoint", () => {
    const store = new StateStore(':memory:');
    const intent = (endpointKey: string) => ({
      account: 'a',
      profile: 'dlr',
      endpointKey,
      contentHash: `h-${endpointKey}`,
      addressRef: 'L1',
      status: 'pending' as const,
      orderId: 'o1',
      runId: 'r1',
      errorCode: '',
      errorMessage: '',
      stdText: '1 MAIN ST',
    });
    for (const key of ['A', 'B', 'C', 'D', 'E', 'OTHER']) store.putEndpoint(intent(key));
    const ctx = { settings: { account: 'a', profile: 'dlr' }, store, runId: 'r2' } as never;
    applyOutcomes(ctx, 'ep', 'o1', [
      { member: 'A', result: 'done' },
      { member: 'C', result: 'refused', code: '8003', message: 'Identifier already in use.' },
      { member: 'B', result: 'done' },
      { member: 'D', result: 'retry', code: 'ORDER_FAILED', message: 'The order failed.' },
      { member: 'E', result: 'refused', code: '8040', message: 'No such location.' },
    ]);
    const read = (key: string) => {
      const e = store.getEndpoint('a', 'dlr', key)!;
      return [e.status, e.orderId, e.runId, e.errorCode, e.errorMessage, e.contentHash];
    };
    expect(read('A')).toEqual(['provisioned', 'o1', 'r2', '', '', 'h-A']);
    expect(read('B')).toEqual(['provisioned', 'o1', 'r2', '', '', 'h-B']);
    expect(read('C')).toEqual(['rejected', 'o1', 'r2', '8003', 'Identifier already in use.', 'h-C']);
    expect(read('E')).toEqual(['rejected', 'o1', 'r2', '8040', 'No such location.', 'h-E']);
    // A member to be sent again keeps no order id.
    expect(read('D')).toEqual(['pending', '', 'r2', 'ORDER_FAILED', 'The order failed.', 'h-D']);
    expect(read('OTHER')).toEqual(['pending', 'o1', 'r1', '', '', 'h-OTHER']);
    store.close();
  });
});
