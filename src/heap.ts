// Peak memory (#13, #14). Between full collections V8 lets its heap grow to up to four times what is
// live. `esprov run` holds the rows that wait on the API (a 100,000-row migration: some 70 MB live)
// and so peaked at 500 MB and more of RSS; `import-state` holds one page of an account but makes
// much garbage (parsed answers) and peaked near 240 MB at 100,000 endpoints. Their heap grows by a
// quarter between full collections instead (a few more of them, each short): the migration peaks
// near 250 MB, the import near 160 MB. Commands that stream (check) keep node's default: they hold
// little, and more collections would only cost time (check: 1.00× → 1.19× a bare csv pass); so
// does a nightly `run` with nothing to send, which limits its heap only once a row waits on the API.
// A --heap-growing-percent given to node itself is kept.

import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;

/** For the rest of the process: the heap grows by HEAP_GROWING_PERCENT between full collections. */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
