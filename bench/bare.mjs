// The floor `check` is measured against: a bare csv-parse → csv-stringify pass over the same file
// with token per-row work (one status column), as a separate process like the CLI.
// Usage: node bench/bare.mjs <input.csv> <output.csv>

import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

const [input, output] = process.argv.slice(2);
let row = 0;
await pipeline(
  createReadStream(input, { highWaterMark: 64 * 1024 }),
  parse({ relax_column_count: true }),
  new Transform({
    objectMode: true,
    transform(record, _, done) {
      row++;
      record.push(String(row), record[0]?.length >= 10 ? 'VALID' : 'INVALID');
      done(null, record);
    },
  }),
  stringify(),
  createWriteStream(output),
);
