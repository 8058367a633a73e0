// Issue 15: the console summary fits the terminal. Its message column wraps at word boundaries (a
// message too long for its lines is cut with "…"), and no line is wider than the terminal: 80
// columns when standard error is not a terminal or says no width, else the terminal's own.

import { describe, expect, it } from 'vitest';
import * as summary from '../src/output/summary.js';
import { Summary, renderSummary, type SummaryJson } from '../src/output/summary.js';
import { runCli, tempDir } from './helpers/cli.js';

const LONG = 'Identifier "MIA-brickell-03" contains characters other than letters and digits: use 10 to 30 letters and digits only, as the DLR guide asks, and never spaces.';

function json(): SummaryJson {
  const s = new Summary(() => 0);
  s.add('INVALID', 'NONE', 'POSTAL_CODE_PROVINCE_MISMATCH', 40, 'Postal code H3B 4W5 belongs to QC, not ON: correct the postal code or the province.');
  s.add('INVALID', 'NONE', 'IDENTIFIER_INVALID', 28, LONG);
  s.add('INVALID', 'NONE', 'FIELD_REQUIRED', 32, 'City is empty: it is required, fill it in.');
  s.runId = 'run-width';
  s.setApi({ calls: { geocode: 1200, locationOrderPost: 24, locationOrderGet: 80, endpointOrderPost: 25, endpointOrderGet: 90 }, retries: 3, throttled: 2, rateLimitWaitMs: 4100, retryWaitMs: 2000 });
  return s.toJson('run', 'in.csv', '/srv/esprov/exports/acme-corporation-nightly/2026-12-02/acme.result.csv', 1);
}

/** The message column's text of the error row of `code` and its continuation lines, joined again. */
function messageOf(text: string, code: string): string {
  const lines = text.split('\n');
  const header = lines.find((l) => l.includes('error code'))!;
  const at = header.indexOf('message');
  const first = lines.findIndex((l) => l.startsWith(`  ${code} `));
  const parts = [lines[first]!.slice(at)];
  for (let i = first + 1; i < lines.length && /^ +\S/.test(lines[i]!) && lines[i]!.slice(0, at).trim() === ''; i++) parts.push(lines[i]!.slice(at));
  return parts.join(' ');
}

describe('the console summary fits the width', () => {
  const words = new Set(LONG.split(' '));
  for (const width of [80, 120]) {
    it(`at ${width} columns: no line is wider, and the message wraps between words`, () => {
      const text = (renderSummary as (s: SummaryJson, width?: number) => string)(json(), width);
      const lines = text.split('\n');
      expect(lines.filter((l) => l.length > width)).toEqual([]);
      const message = messageOf(text, 'IDENTIFIER_INVALID');
      const shown = message.endsWith('…') ? message.slice(0, -1).trimEnd() : message;
      expect(LONG.startsWith(shown), message).toBe(true);
      // every word shown is whole: none was cut in the middle
      for (const w of shown.split(' ')) expect(words.has(w), `"${w}" in ${message}`).toBe(true);
      expect(messageOf(text, 'FIELD_REQUIRED')).toBe('City is empty: it is required, fill it in.');
      // the result path is never cut: what a person copies must be whole
      expect(
        lines
          .filter((l) => l.trim() !== '')
          .join(' ')
          .replace(/\s+/g, ' '),
      ).toContain('/srv/esprov/exports/acme-corporation-nightly/2026-12-02/acme.result.csv');
    });
  }

  it('shows more of a message at 120 columns than at 80', () => {
    const render = renderSummary as (s: SummaryJson, width?: number) => string;
    expect(messageOf(render(json(), 120), 'IDENTIFIER_INVALID').length).toBeGreaterThan(messageOf(render(json(), 80), 'IDENTIFIER_INVALID').length);
  });

  it("takes the terminal's width, else COLUMNS, else 80", () => {
    const widthOf = (summary as Record<string, unknown>).terminalWidth as ((s: { isTTY?: boolean; columns?: number }, env?: NodeJS.ProcessEnv) => number) | undefined;
    expect(widthOf).toBeTypeOf('function');
    expect(widthOf!({ isTTY: true, columns: 132 }, {})).toBe(132);
    expect(widthOf!({ isTTY: false }, { COLUMNS: '120' })).toBe(120);
    expect(widthOf!({ isTTY: false }, {})).toBe(80);
    expect(widthOf!({ isTTY: true, columns: 0 }, { COLUMNS: 'wide' })).toBe(80);
  });
});

describe('through the CLI', () => {
  for (const width of [80, 120]) {
    it(`esprov check at ${width} columns: the summary and the notes have no line wider`, async () => {
      const dir = tempDir();
      const r = await runCli(['check', 'samples/dlr-offices.csv', '--api', 'dlr', '--out', `${dir}/check.csv`], { env: width === 80 ? { COLUMNS: '' } : { COLUMNS: String(width) } });
      expect(r.code).toBe(1);
      const table = r.stderr.slice(r.stderr.indexOf('esprov check:'));
      expect(table).toContain('error code');
      expect(table.split('\n').filter((l) => l.length > width)).toEqual([]);
      if (width === 120) expect(table.split('\n').some((l) => l.length > 80)).toBe(true);
      // the notes before it too (the columns esprov does not read)
      expect(r.stderr).toContain('"Notes"');
      expect(r.stderr.split('\n').filter((l) => l.length > width)).toEqual([]);
    });
  }
});
