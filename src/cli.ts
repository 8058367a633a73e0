#!/usr/bin/env node
// The esprov command: src/main.ts with this process's arguments, environment and streams.

import { EXIT } from './exit-codes.js';
import { main } from './main.js';
import { refusalLine, refusalOf } from './output/refusal.js';

// The reader of standard output went away (`esprov --help | head`): nothing more can be said there,
// so the command ends quietly, as a program killed by SIGPIPE would (exit 141), not with an error
// about a pipe the user closed on purpose.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.BROKEN_PIPE);
  throw err;
});

// An error no caller awaited (a stream's 'error' event) still reaches the user as one line and exit 2.
process.on('uncaughtException', (err) => {
  process.stderr.write(refusalLine(refusalOf(err)));
  process.exit(EXIT.USAGE);
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
