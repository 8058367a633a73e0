// A result is written to a temporary file beside it and renamed into place when complete. The
// temporary file holds customer rows, so it is readable by its owner only; the published file gets
// the mode any file the user writes gets (0666 less the umask), like the summary beside it.

import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';

export class TempFile {
  readonly stream: WriteStream;
  /** The first write error, reported by the next write or finish instead of crashing the process. */
  private failure: Error | undefined;

  /** Opens `tmp` at once (a path that cannot be written fails here, synchronously). */
  constructor(
    readonly tmp: string,
    readonly path: string,
  ) {
    this.stream = createWriteStream(tmp, { fd: openSync(tmp, 'w', 0o600) });
    this.stream.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Throws the write error the stream reported, if any. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Gives the finished file the user's default mode and moves it into place. */
  async publish(): Promise<void> {
    this.check();
    await chmod(this.tmp, 0o666 & ~process.umask());
    await rename(this.tmp, this.path);
  }

  /** Stops writing, waits for the file to close, and removes it. */
  async discard(): Promise<void> {
    if (!this.stream.closed) {
      const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
      this.stream.destroy();
      await closed;
    }
    await rm(this.tmp, { force: true });
  }
}
