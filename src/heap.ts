// Peak memory (#13). Between full collections V8 lets its heap grow to up to four times what is
// live; a 100,000-row migration holds some 70 MB live (its rows wait on the API) and so peaked at
// 500 MB and more of RSS. esprov is a batch command with a steady live set: its heap grows by a
// quarter between full collections instead (a few more of them, each short), and the same run
// peaks near 250 MB. A --heap-growing-percent given to node itself is kept.

import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;

if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
