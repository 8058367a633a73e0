// esprov run under the sandbox's chaos fault profile (429s, 5xx, answers lost after processing,
// slow orders): no failure stops the batch, and runs again finish the work, creating nothing twice.
// Its own file: its runs wait out Retry-After and slow orders, so it runs beside the others.

import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/sandbox/index.js';
import { tempDir } from './helpers/cli.js';
import { runAgainst } from './helpers/run-against.js';

describe('esprov run under the chaos profile', () => {
  it('under the chaos profile no failure stops the batch, and repeated runs finish the work creating nothing twice', async () => {
    const sandbox = await startSandbox({ faults: 'chaos', seed: 13 });
    try {
      const dir = tempDir();
      const seen: number[] = [];
      let rows: Record<string, string>[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const run = await runAgainst(sandbox, 'dlr', 'samples/dlr-offices.csv', dir, '2002', '--chunk-size', '4', '--poll-timeout', '20s');
        expect([1, 3]).toContain(run.code); // never 2: a failing call fails its rows, not the run
        expect(run.rows).toHaveLength(50);
        rows = run.rows;
        seen.push(rows.filter((r) => r.result_status === 'SUCCESS' || r.result_status === 'UNCHANGED').length);
        if (seen.at(-1) === 37) break;
      }
      expect(seen.at(-1)).toBe(37);
      for (const r of rows.filter((x) => x.result_status === 'FAILED' || x.result_status === 'PENDING')) expect(r.result_error_message).not.toBe('');
      const ledger = sandbox.ledger().accounts['2002']!;
      const twice = (m: Record<string, number>) => Object.entries(m).filter(([, n]) => n > 1);
      expect(twice(ledger.dlr.identifierSubmissions)).toEqual([]);
      expect(ledger.dlr.duplicateCustomerOrderIds).toEqual({});
      expect(ledger.faults.total).toBeGreaterThan(5);
    } finally {
      await sandbox.close();
    }
  });
});
