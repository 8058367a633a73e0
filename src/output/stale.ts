// A run killed outright leaves its temporary files beside the result: `<out>.<pid>.tmp` (the result
// being written) and `<out>.<pid>.rows.tmp` (rows waiting on disk: names, numbers, addresses). The
// next run on the same result removes those whose process is gone.

import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../pid.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes the temporary files of dead processes beside each of these outputs; returns the removed paths. */
export function removeStaleTemps(outputs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const output of outputs) {
    const folder = dirname(output);
    const pattern = new RegExp(`^${escapeRegExp(basename(output))}\\.(\\d+)\\.(rows\\.)?tmp$`);
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = pattern.exec(name);
      if (m === null || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
      rmSync(join(folder, name), { force: true });
      removed.push(join(folder, name));
    }
  }
  return removed;
}
