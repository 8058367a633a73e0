#!/usr/bin/env node
// The esprov command: src/main.ts with this process's arguments, environment and streams.

import { EXIT } from './exit-codes.js';
import { main } from './main.js';
import { refusalLine, refusalOf } from './output/refusal.js';

// An error no caller awaited (a stream's 'error' event) still reaches the user as one line and exit 2.
process.on('uncaughtException', (err) => {
  process.stderr.write(refusalLine(refusalOf(err)));
  process.exit(EXIT.USAGE);
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
