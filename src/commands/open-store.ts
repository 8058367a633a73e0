// The state store, opened for a command: a path that is not a store (a CSV given to --state, a
// damaged file, a folder in the way) is one line naming the path, not SQLite's bare message.

import { UsageError } from '../exit-codes.js';
import { StateStore } from '../state/store.js';

export function openStore(path: string): StateStore {
  try {
    return new StateStore(path);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).syscall !== undefined) throw err;
    throw new UsageError('STATE_UNREADABLE', `The state store ${path} cannot be opened (${(err as Error).message}): check --state names esprov's state file, or a new path for a new store.`);
  }
}
