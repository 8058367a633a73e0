// How far V8 lets the heap grow before a full collection. By default it grows the old generation to
// up to four times what is live on a machine with memory to spare. A run, an import or an export
// holds a steady working set (the rows waiting on the API, one page of an account) while its
// garbage is large (parsed answers, order bodies), so it held three to four times its live heap.
// Growing by at most a fifth over what is live keeps peak RSS near the working set (npm run bench:
// import-state of 100,000 endpoints 239 → 156 MB) for a little more collecting. `check` keeps the
// default: its live heap is small and it is held to CPU time (1.00× → 1.19× a bare pass with it).

import { setFlagsFromString } from 'node:v8';

/** From the next collection on, the heap grows at most 20% over what is live. */
export function holdHeapNearLive(): void {
  setFlagsFromString('--heap-growing-percent=20');
}
