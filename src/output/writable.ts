// Before anything is read from or sent to the API, each file a command will write (the result,
// --errors-out, --summary-json) is proven writable: a nightly job whose result folder is wrong
// must stop at once with a line naming the path, not after it provisioned everything.

import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../exit-codes.js';

export interface OutputFile {
  /** The flag that names it, e.g. `--out`. */
  readonly flag: string;
  readonly path: string;
  /** Create its folder when missing (the log file's, as pino would). */
  readonly mkdir?: boolean;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a folder (a file is in the way)',
  EEXIST: 'is not a folder (a file is in the way)',
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable by this user',
  EPERM: 'is not writable by this user',
  ENOSPC: 'is on a full disk',
  EDQUOT: 'is over the disk quota',
};

function refuse(file: OutputFile, why: string): never {
  throw new UsageError('OUTPUT_UNWRITABLE', `${file.flag} ${file.path}: ${why}; nothing was sent. Choose another path or fix the folder, then run again.`);
}

/** The files a check or run writes, by the flag that names them. */
export function outputsOf(c: { readonly out: string; readonly errorsOut: string | undefined; readonly summaryJson: string | undefined; readonly logFile?: string | undefined }): OutputFile[] {
  return [
    { flag: '--out', path: c.out },
    ...(c.logFile !== undefined ? [{ flag: '--log-file', path: c.logFile, mkdir: true }] : []),
    ...(c.errorsOut !== undefined ? [{ flag: '--errors-out', path: c.errorsOut }] : []),
    ...(c.summaryJson !== undefined ? [{ flag: '--summary-json', path: c.summaryJson }] : []),
  ];
}

/** Throws OUTPUT_UNWRITABLE for the first file that cannot be written, or two flags naming one file. */
export function checkWritable(files: readonly OutputFile[]): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const full = resolve(file.path);
    const other = seen.get(full);
    if (other !== undefined) refuse(file, `is also ${other}: name another file`);
    seen.set(full, file.flag);
    const folder = dirname(full);
    let isFolder: boolean;
    try {
      if (file.mkdir === true) mkdirSync(folder, { recursive: true });
      isFolder = statSync(folder).isDirectory();
    } catch (err) {
      refuse(file, `the folder ${dirname(file.path)} ${REASONS[(err as NodeJS.ErrnoException).code ?? ''] ?? 'cannot be read'}`);
    }
    if (!isFolder) refuse(file, `${dirname(file.path)} ${REASONS.ENOTDIR!}`);
    try {
      if (statSync(full).isDirectory()) refuse(file, 'is a folder, not a file');
    } catch (err) {
      if (err instanceof UsageError) throw err;
    }
    // The only sure test is to create a file there (root ignores permission bits, not read-only mounts).
    const probe = `${full}.${process.pid}.probe.tmp`;
    try {
      closeSync(openSync(probe, 'wx', 0o600));
      rmSync(probe, { force: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      refuse(file, `the folder ${dirname(file.path)} ${REASONS[code] ?? `cannot be written (${code || (err as Error).message})`}`);
    }
  }
}
