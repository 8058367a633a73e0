// The temporary folders the test file running now made (tempDir in test/helpers/cli.ts), removed
// after it (test/helpers/fresh-modules.ts): a whole run made some 200 of them, and they stayed.
// Kept on globalThis: each test file gets its own copy of the helper modules.

import { rmSync } from 'node:fs';

const KEY = Symbol.for('esprov.test.tempDirs');
const made = (): string[] => ((globalThis as Record<symbol, string[]>)[KEY] ??= []);

export function rememberTempDir(dir: string): string {
  made().push(dir);
  return dir;
}

/** Removes the folders made so far; one a process still holds open is left (best effort). */
export function removeTempDirs(): void {
  for (const dir of made().splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // left for the system's own clean-up of its temporary folder
    }
  }
}
