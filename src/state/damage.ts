// A state store that cannot be used is named, with what to do, instead of SQLite's bare words
// ("file is not a database", "database disk image is malformed", "database or disk is full").
// A store emptied to 0 bytes is refused, never taken for a new one: it would mean resending all.

import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../exit-codes.js';

const RESTORE = (path: string): string => `Restore ${path} from a backup (with its -wal file, if it had one), or rebuild it from the account with esprov import-state --state ${path}.`;

/** The one-line refusal for a SQLite error of the state store, or undefined when it is not one. */
export function stateError(path: string, err: unknown): UsageError | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  if (code === 'SQLITE_FULL') {
    return new UsageError('STATE_DISK_FULL', `The disk holding the state store ${path} is full: free some space and run again (nothing is lost; what was committed stays).`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new UsageError('STATE_DAMAGED', `The state store ${path} is damaged (${(err as Error).message}): nothing was sent. ${RESTORE(path)}`);
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_IOERR')) {
    return new UsageError('STATE_UNREADABLE', `The state store ${path} cannot be opened or written (${(err as Error).message}): check the path and its permissions (--state).`);
  }
  return undefined;
}

/** Refuses a store file that exists but holds nothing (0 bytes, and no write-ahead log with content). */
export function refuseEmptied(path: string): void {
  if (!existsSync(path) || statSync(path).size > 0) return;
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) return;
  throw new UsageError(
    'STATE_EMPTY',
    `The state store ${path} is empty (0 bytes): it was emptied or truncated, and esprov will not take it for a new store, which would send everything again. ${RESTORE(path)} To start afresh on purpose, delete the file.`,
  );
}
