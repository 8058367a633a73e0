// Every record of the file is a row with a result (SPEC §3, §5): a line of delimiters alone (an empty
// row as Excel writes it) is a row esprov SKIPS, not one it drops; only a line with no text at all is
// not a record.

import { describe, expect, it } from 'vitest';
import { readDelimited } from '../src/input/csv.js';

async function linesOf(text: string): Promise<number[]> {
  const table = await readDelimited(
    (async function* () {
      yield Buffer.from(text, 'utf8');
    })(),
    ',',
  );
  const lines: number[] = [];
  for await (const batch of table.records) for (const item of batch) lines.push(item.line);
  return lines;
}

describe('which lines are records', () => {
  it('keeps a line of delimiters alone (an empty spreadsheet row) as a record, whatever the line ending', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['Identifier,CallerName,CallbackNumber', 'A1,Desk,9195550101', ',,', '  ,  ,', 'A2,Desk,9195550102', ''].join(eol);
      expect(await linesOf(text)).toEqual([2, 3, 4, 5]);
    }
  });

  it('does not make a record of a line with no text at all', async () => {
    expect(await linesOf('Identifier,CallerName\nA1,Desk\n\n   \nA2,Desk\n\n')).toEqual([2, 5]);
  });
});
