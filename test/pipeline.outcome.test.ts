// Stages return outcomes, made by small constructors, and one function joins a planned row and its
// outcome into the result row: an order's member result gives the same outcome whichever stage
// reads it, and a row no stage settled is PENDING with what to do.

import { describe, expect, it } from 'vitest';
import type { MemberResult } from '../src/orders/engine.js';
import type { RunRow } from '../src/pipeline/context.js';
import { done, outcomeOf, resultRow, settled, type Addressed, type Outcome } from '../src/pipeline/outcome.js';
import { dlrRow } from './helpers/rows.js';

const at: Addressed = { warnings: ['ABBREVIATED: x'], addressRef: 'LOC1', stdAddress: '900 MAIN CAMPUS DR' };

const toSend: RunRow = { line: 7, cells: ['c'], plan: { kind: 'send', row: dlrRow(), action: 'UPDATE', changes: ['CallerName: "a" → "b"'], warnings: ['W'] } };

describe('outcomes', () => {
  it.each<[MemberResult, 'SUCCESS' | 'DELETED', Partial<Outcome>]>([
    [{ member: 'm', result: 'done', orderId: 'O1' }, 'SUCCESS', { status: 'SUCCESS', errorCode: '', orderId: 'O1' }],
    [{ member: 'm', result: 'done', orderId: 'O1' }, 'DELETED', { status: 'DELETED', errorCode: '', orderId: 'O1' }],
    [{ member: 'm', result: 'refused', orderId: 'O1', code: '8014', message: 'bad callback' }, 'SUCCESS', { status: 'REJECTED', errorCode: '8014', errorMessage: 'bad callback', orderId: 'O1' }],
    [{ member: 'm', result: 'retry', orderId: 'O1', code: 'ORDER_FAILED', message: 'failed' }, 'SUCCESS', { status: 'FAILED', errorCode: 'ORDER_FAILED', orderId: 'O1' }],
    [{ member: 'm', result: 'pending', orderId: 'O1', code: 'AMBIGUOUS_WRITE', message: 'no answer' }, 'SUCCESS', { status: 'PENDING', errorCode: 'AMBIGUOUS_WRITE', errorMessage: 'no answer' }],
    [
      { member: 'm', result: 'pending', orderId: 'O1', code: '', message: '' },
      'SUCCESS',
      { status: 'PENDING', errorCode: 'ORDER_PENDING', errorMessage: 'Order O1 had not finished when esprov stopped following it: run esprov reconcile to finish it.' },
    ],
    [
      { member: 'm', result: 'not-sent', orderId: '', code: 'HTTP_ERROR', message: 'refused' },
      'DELETED',
      { status: 'FAILED', errorCode: 'HTTP_ERROR', errorMessage: 'The delete order could not be sent: refused', orderId: '' },
    ],
  ])('an order member %j settles as %s', (result, end, expected) => {
    const o = settled(at, result, end, end === 'DELETED' ? 'delete' : 'endpoint');
    expect(o).toMatchObject({ ...expected, warnings: at.warnings, addressRef: 'LOC1', stdAddress: '900 MAIN CAMPUS DR' });
  });

  it('leaves a row to send that no stage settled PENDING, saying what to do, with its address as planned', () => {
    const o = outcomeOf(toSend, new Map());
    expect(o).toMatchObject({ status: 'PENDING', errorCode: 'ORDER_PENDING', warnings: ['W'], addressRef: '', orderId: '' });
    expect(o.errorMessage).toMatch(/^Not sent: .*esprov reconcile/);
    expect(o.stdAddress).toMatch(/^900 MAIN CAMPUS DR/);
  });

  it('joins a planned row and its outcome into the result row: the action and changes from the plan, the rest from the outcome', () => {
    const outcome = done('SUCCESS', at, 'O9');
    expect(resultRow(toSend, outcomeOf(toSend, new Map([[toSend, outcome]])))).toEqual({
      line: 7,
      cells: ['c'],
      action: 'UPDATE',
      status: 'SUCCESS',
      errorCode: '',
      errorMessage: '',
      warnings: 'ABBREVIATED: x',
      changes: 'CallerName: "a" → "b"',
      addressRef: 'LOC1',
      orderId: 'O9',
      stdAddress: '900 MAIN CAMPUS DR',
    });
    const missing: RunRow = { line: 0, cells: [], plan: { kind: 'missing', key: 'k', addressRef: 'L2', stdAddress: 'S', warnings: [] } };
    expect(resultRow(missing, done('DELETED', at, 'O2'))).toMatchObject({ action: 'DELETE', changes: '', status: 'DELETED' });
    const final: RunRow = { line: 3, cells: [], plan: { kind: 'final', key: 'k', action: 'ADD', outcome: done('SUCCESS', at, 'O3') } };
    expect(resultRow(final, outcomeOf(final, new Map([[final, done('UNCHANGED', at, 'other')]])))).toMatchObject({ action: 'ADD', status: 'SUCCESS', orderId: 'O3' });
  });
});
