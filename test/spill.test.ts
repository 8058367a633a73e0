// Rows final at planning wait on disk and come back in input order, interleaved with the rows that
// waited on the API, then the rows with no input position.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunRow } from '../src/pipeline/context.js';
import type { Outcome } from '../src/pipeline/outcome.js';
import { type KeptRow, ResultFlow, RowSpill } from '../src/pipeline/spill.js';
import type { RowStatus } from '../src/output/result.js';
import type { ResultWriter } from '../src/output/writer.js';
import { Summary } from '../src/output/summary.js';
import { tempDir } from './helpers/cli.js';
import { dlrRow } from './helpers/rows.js';

const outcome = (status: RowStatus): Outcome => ({ status, errorCode: '', errorMessage: '', warnings: ['a', 'b'], addressRef: 'L', orderId: '', stdAddress: 'S' });
const cells = (cell: string) => [cell, 'x,"y"\n'];

/** A row final at planning: its outcome is its own. */
const final = (line: number, status: RowStatus, cell: string): RunRow => ({ line, cells: cells(cell), plan: { kind: 'final', key: '', action: 'NONE', outcome: outcome(status) } });

/** A row that waited on the API: its outcome comes from the stages. */
const sent = (line: number, cell: string): RunRow => ({ line, cells: cells(cell), plan: { kind: 'send', row: dlrRow(), action: 'UPDATE', changes: ['CallerName: "a" → "b"'], warnings: [] } });
const gone: RunRow = { line: 0, cells: cells('gone'), plan: { kind: 'missing', key: 'gone', addressRef: 'L', stdAddress: 'S', warnings: [] } };

describe('RowSpill', () => {
  it('merges spilled and kept rows back into input order, whatever the split', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 60 }), fc.string(), async (kept, text) => {
        const spill = new RowSpill(join(tempDir(), 'rows.tmp'));
        const waiting: KeptRow[] = [];
        const outcomes = new Map<RunRow, Outcome>([[gone, outcome('DELETED')]]);
        kept.forEach((k, i) => {
          if (!k) return spill.add(i, final(i + 2, 'UNCHANGED', `${text}${i}`));
          const r = { ...sent(i + 2, `${text}${i}`), index: i };
          waiting.push(r);
          outcomes.set(r, outcome('SUCCESS'));
        });
        const out = [];
        for await (const batch of spill.merged(waiting, [gone], outcomes, 7)) out.push(...batch);
        spill.remove();
        expect(out.map((r) => r.line)).toEqual([...kept.map((_, i) => i + 2), 0]);
        expect(out.map((r) => r.cells[0])).toEqual([...kept.map((_, i) => `${text}${i}`), 'gone']);
        expect(out.map((r) => `${r.action} ${r.status}`)).toEqual([...kept.map((k) => (k ? 'UPDATE SUCCESS' : 'NONE UNCHANGED')), 'DELETE DELETED']);
        expect(out.map((r) => r.changes)).toEqual([...kept.map((k) => (k ? 'CallerName: "a" → "b"' : '')), '']);
        expect(out.every((r) => r.cells[1] === 'x,"y"\n' && r.warnings === 'a b')).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('gives the rows that waited without their cells (parked) their cells back by input position', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('final', 'parked', 'kept'), { maxLength: 60 }), fc.string(), async (kinds, text) => {
        const spill = new RowSpill(join(tempDir(), 'rows.tmp'));
        const waiting: KeptRow[] = [];
        const outcomes = new Map<RunRow, Outcome>([[gone, outcome('DELETED')]]);
        kinds.forEach((kind, i) => {
          if (kind === 'final') return spill.add(i, final(i + 2, 'UNCHANGED', `${text}${i}`));
          const r = sent(i + 2, `${text}${i}`);
          const kept = kind === 'kept' ? { ...r, index: i } : { ...r, cells: spill.park(i, r.cells), index: i };
          if (kind === 'parked') expect(kept.cells).toEqual([]);
          waiting.push(kept);
          outcomes.set(kept, outcome('SUCCESS'));
        });
        const out = [];
        for await (const batch of spill.merged(waiting, [gone], outcomes, 7)) out.push(...batch);
        spill.remove();
        expect(out.map((r) => r.line)).toEqual([...kinds.map((_, i) => i + 2), 0]);
        expect(out.map((r) => r.status)).toEqual([...kinds.map((k) => (k === 'final' ? 'UNCHANGED' : 'SUCCESS')), 'DELETED']);
        expect(out.map((r) => r.cells[0])).toEqual([...kinds.map((_, i) => `${text}${i}`), 'gone']);
        expect(out.every((r) => r.cells.length === 2 && r.cells[1] === 'x,"y"\n' && r.warnings === 'a b')).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("tells once, at the first row that waits on the API, and not for rows final at planning (the run's heap limit)", async () => {
    const written: unknown[] = [];
    const writer = { write: async (rows: unknown[]) => void written.push(...rows) } as unknown as ResultWriter;
    let told = 0;
    const spill = new RowSpill(join(tempDir(), 'rows.tmp'));
    const flow = new ResultFlow(writer, spill, new Summary(), () => told++);
    flow.add(0, final(2, 'UNCHANGED', 'Desk'), false);
    await flow.flush();
    expect(written).toHaveLength(1);
    expect(told).toBe(0);
    flow.park(1, ['a']);
    flow.park(2, ['b']);
    expect(told).toBe(1);
    spill.remove();
  });

  it('is readable by its owner only, and gone once removed', () => {
    const path = join(tempDir(), 'rows.tmp');
    const spill = new RowSpill(path);
    spill.add(0, final(2, 'UNCHANGED', 'Desk'));
    spill.flush();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    spill.remove();
    expect(existsSync(path)).toBe(false);
  });
});
