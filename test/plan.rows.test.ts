// Planning is pure: a checked row and what the store knows give the planned row as plain data —
// final (with its outcome), to send, or to delete — without a store, a file or a call.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS_UNKNOWN } from '../src/rules/changes.js';
import { problem } from '../src/rules/codes.js';
import { normalizeDlr } from '../src/rules/dlr.js';
import { DLR_VALUES, dlrRow } from './helpers/rows.js';
import type { DlrRow } from '../src/rules/types.js';
import { contentHash, planInput, type Planned, type StoreView } from '../src/pipeline/plan.js';
import type { CheckedRow } from '../src/pipeline/read.js';
import type { EndpointRecord } from '../src/state/store.js';

const checkedOf = (row: DlrRow | undefined, extra: Partial<CheckedRow> = {}): CheckedRow => ({ line: 2, cells: ['a'], ...(row ? { row } : {}), errors: [], warnings: [], ...extra });

const known = (row: DlrRow, over: Partial<EndpointRecord> = {}): EndpointRecord => ({
  account: '9900778',
  profile: 'dlr',
  endpointKey: row.identifier,
  contentHash: contentHash(row),
  addressRef: 'LOC1',
  status: 'provisioned',
  orderId: 'ORD1',
  runId: 'run-1',
  errorCode: '',
  errorMessage: '',
  stdText: '900 MAIN CAMPUS DR, RALEIGH, NC 27606, US',
  ...over,
});

/** A store that knows nothing beyond the endpoint record: no sent fields, orders finished, runs finished. */
const view = (over: Partial<StoreView> = {}): StoreView => ({
  changed: () => undefined,
  sameAsImported: () => false,
  orderOpen: () => false,
  unfinished: () => false,
  ...over,
});

const plan = (row: DlrRow | undefined, k: EndpointRecord | undefined, v: StoreView = view(), retryRejected = false, extra: Partial<CheckedRow> = {}): Planned =>
  planInput({ checked: checkedOf(row, extra), refusal: undefined, warnings: [], row, known: k }, v, retryRejected);

const summary = (p: Planned) =>
  p.kind === 'final'
    ? { kind: p.kind, action: p.action, status: p.outcome.status, code: p.outcome.errorCode, orderId: p.outcome.orderId }
    : p.kind === 'send'
      ? { kind: p.kind, action: p.action, changes: p.changes }
      : { kind: p.kind, key: p.key };

describe('planInput', () => {
  const row = dlrRow();
  const renamed = dlrRow({ CallerName: 'Renamed' });
  const deleteRow = dlrRow({ Action: 'DELETE' });

  it.each<[string, () => Planned, ReturnType<typeof summary>]>([
    ['a new endpoint is sent as an ADD', () => plan(row, undefined), { kind: 'send', action: 'ADD', changes: [] }],
    ['one deleted earlier is added again', () => plan(row, known(row, { status: 'deleted' })), { kind: 'send', action: 'ADD', changes: [] }],
    ['the same content provisioned is UNCHANGED', () => plan(row, known(row)), { kind: 'final', action: 'NONE', status: 'UNCHANGED', code: '', orderId: 'ORD1' }],
    [
      'the same content provisioned by a run that did not finish is that run’s SUCCESS',
      () => plan(row, known(row), view({ unfinished: (id) => id === 'run-1' })),
      { kind: 'final', action: 'ADD', status: 'SUCCESS', code: '', orderId: 'ORD1' },
    ],
    [
      'another content is an UPDATE naming its changes',
      () => plan(renamed, known(row), view({ changed: () => ['CallerName: "Conference" → "Renamed"'] })),
      { kind: 'send', action: 'UPDATE', changes: ['CallerName: "Conference" → "Renamed"'] },
    ],
    ['an UPDATE whose sent fields are not known says so', () => plan(renamed, known(row)), { kind: 'send', action: 'UPDATE', changes: [FIELDS_UNKNOWN] }],
    [
      'another hash but no field esprov sends changed is UNCHANGED',
      () => plan(renamed, known(row), view({ changed: () => [] })),
      { kind: 'final', action: 'NONE', status: 'UNCHANGED', code: '', orderId: 'ORD1' },
    ],
    [
      'an adopted endpoint the row matches but for what the account added is UNCHANGED',
      () => plan(renamed, known(row), view({ sameAsImported: () => true })),
      { kind: 'final', action: 'NONE', status: 'UNCHANGED', code: '', orderId: 'ORD1' },
    ],
    [
      'a refused row not changed keeps its REJECTED',
      () => plan(row, known(row, { status: 'rejected', errorCode: '8014', errorMessage: 'refused' })),
      { kind: 'final', action: 'NONE', status: 'REJECTED', code: '8014', orderId: 'ORD1' },
    ],
    ['a refused row is sent again with --retry-rejected', () => plan(row, known(row, { status: 'rejected' }), view(), true), { kind: 'send', action: 'ADD', changes: [] }],
    [
      'a row whose order is still open is in flight, PENDING',
      () => plan(row, known(row, { status: 'pending' }), view({ orderOpen: () => true })),
      { kind: 'final', action: 'ADD', status: 'PENDING', code: 'ORDER_PENDING', orderId: 'ORD1' },
    ],
    ['a row whose order ended without it is sent again', () => plan(row, known(row, { status: 'pending' })), { kind: 'send', action: 'ADD', changes: [] }],
    ['Action DELETE of a known endpoint is a delete', () => plan(deleteRow, known(row)), { kind: 'delete', key: row.identifier }],
    ['Action DELETE of one deleted already is UNCHANGED', () => plan(deleteRow, known(row, { status: 'deleted' })), { kind: 'final', action: 'NONE', status: 'UNCHANGED', code: '', orderId: 'ORD1' }],
    [
      'a row that is not valid is INVALID with its first code',
      () => plan(undefined, undefined, view(), false, { errors: [problem('FIELD_REQUIRED', { field: 'City' })] }),
      { kind: 'final', action: 'NONE', status: 'INVALID', code: 'FIELD_REQUIRED', orderId: '' },
    ],
    [
      'an empty row is SKIPPED',
      () => plan(undefined, undefined, view(), false, { skipped: problem('ROW_EMPTY', { line: 2 }) }),
      { kind: 'final', action: 'NONE', status: 'SKIPPED', code: 'ROW_EMPTY', orderId: '' },
    ],
  ])('%s', (_, make, expected) => {
    expect(summary(make())).toEqual(expected);
  });

  it('says what a kept REJECTED and an in-flight row show, with the store’s standardized address', () => {
    const kept = plan(row, known(row, { status: 'rejected', errorCode: '8014', errorMessage: 'refused' }));
    expect(kept.kind === 'final' && kept.outcome.warnings.join(' ')).toMatch(/^REJECTED_KEPT: /);
    const flying = plan(row, known(row, { status: 'pending' }), view({ orderOpen: () => true }));
    expect(flying.kind === 'final' && flying.outcome).toMatchObject({
      addressRef: 'LOC1',
      stdAddress: '900 MAIN CAMPUS DR, RALEIGH, NC 27606, US',
      errorMessage: expect.stringContaining('Order ORD1'),
    });
  });

  it('refuses a duplicate fed back from --errors-out with its problem', () => {
    const refusal = problem('FIELD_REQUIRED', { field: 'City' });
    const p = planInput({ checked: checkedOf(row), refusal, warnings: [], row: undefined, known: undefined }, view(), false);
    expect(summary(p)).toEqual({ kind: 'final', action: 'NONE', status: 'INVALID', code: 'FIELD_REQUIRED', orderId: '' });
  });

  const rows = fc
    .record({
      Identifier: fc.stringMatching(/^[A-Za-z0-9]{8,20}$/),
      CallerName: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
      HouseNumber: fc.stringMatching(/^[1-9][0-9]{0,4}$/),
      Action: fc.constantFrom('', 'ADD', 'DELETE'),
    })
    .map((r) => normalizeDlr({ ...DLR_VALUES, ...r }))
    .filter((r) => r.ok)
    .map((r) => (r as { row: DlrRow }).row);
  const records = (row: DlrRow) =>
    fc
      .option(
        fc.record({
          status: fc.constantFrom('provisioned', 'pending', 'rejected', 'deleted') as fc.Arbitrary<EndpointRecord['status']>,
          same: fc.boolean(),
          orderId: fc.constantFrom('', 'ORD9'),
        }),
        { nil: undefined },
      )
      .map((k) => (k === undefined ? undefined : known(row, { status: k.status, orderId: k.orderId, contentHash: k.same ? contentHash(row) : 'other' })));
  const views = fc
    .record({ changed: fc.option(fc.constantFrom([], ['CallerName: a → b']), { nil: undefined }), open: fc.boolean(), unfinished: fc.boolean(), imported: fc.boolean() })
    .map((v) => view({ changed: () => v.changed, orderOpen: () => v.open, unfinished: () => v.unfinished, sameAsImported: () => v.imported }));
  const cases = rows.chain((row) => fc.tuple(fc.constant(row), records(row), views, fc.boolean()));

  it('plans the same row against the same store the same way, every time', () => {
    fc.assert(
      fc.property(cases, ([row, k, v, retry]) => {
        expect(plan(row, k, v, retry)).toEqual(plan(row, k, v, retry));
      }),
    );
  });

  it('never sends a row whose content a provisioned endpoint holds', () => {
    fc.assert(
      fc.property(cases, ([row, k, v, retry]) => {
        const p = plan(row, k, v, retry);
        if (row.action !== 'DELETE' && k?.status === 'provisioned' && k.contentHash === contentHash(row)) {
          expect(p.kind).toBe('final');
          expect(p.kind === 'final' && ['UNCHANGED', 'SUCCESS']).toContain(p.kind === 'final' && p.outcome.status);
        }
        // A DELETE row is never sent, and an ADD never deleted.
        if (row.action === 'DELETE') expect(p.kind).not.toBe('send');
        else expect(p.kind).not.toBe('delete');
      }),
    );
  });
});
