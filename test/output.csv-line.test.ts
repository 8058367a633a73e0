// The CSV writer's line and the result_row cell, rebuilt for speed (#12): they must write exactly
// what the plain rules say, whatever the cells hold.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from '../src/output/cells.js';
import { lineText } from '../src/output/result.js';
import { csvLine } from '../src/output/writer.js';

/** RFC 4180 as written before: each cell neutralized, quoted when it holds a quote, comma or line break. */
const reference = (cells: readonly string[]): string =>
  `${cells
    .map((c) => neutralizeFormula(c))
    .map((t) => (/[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t))
    .join(',')}\r\n`;

describe('csvLine', () => {
  it('writes what the RFC 4180 rule says, for any cells', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', '=1+2', '+1 (919) 555-1234', '-x', 'a,b', 'say "hi"', 'l1\r\nl2', '→ STE 5'));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 12 }), (cells) => {
        expect(csvLine(cells)).toBe(reference(cells));
      }),
      { numRuns: 500 },
    );
  });

  it('quotes and neutralizes the cells that need it', () => {
    expect(csvLine(['EP1', 'Desk 1, Floor 2', '=cmd', 'say "hi"', ''])).toBe('EP1,"Desk 1, Floor 2",\'=cmd,"say ""hi""",\r\n');
    expect(csvLine([])).toBe('\r\n');
  });
});

describe('lineText', () => {
  it('is the line number in digits, empty for a row esprov added', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 0xffffffff }), (line) => lineText(line) === String(line)));
    expect(lineText(0)).toBe('');
    expect(lineText(1_000_001)).toBe('1000001');
  });
});
