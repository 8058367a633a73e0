// Logs: pino JSON lines to a file (--log-file), and with --verbose a readable line per event on
// the terminal. Every line carries the run id; credentials are redacted.

import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { checkWritable } from './writable.js';

const REDACT = ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.clientSecret', '*.client_secret', '*.access_token'];
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'runId']);

/** One JSON log line as a person reads it: "12:01:02 debug api call method=POST route=/accounts/:accountId/geocodeRequest status=200". */
export function readableLine(json: string): string {
  try {
    const o = JSON.parse(json) as Record<string, unknown>;
    const time = new Date(Number(o.time)).toISOString().slice(11, 19);
    const fields = Object.entries(o)
      .filter(([k]) => !SKIP.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return `${time} ${LEVELS[Number(o.level)] ?? o.level} ${String(o.msg ?? '')} ${fields.join(' ')}`.trimEnd();
  } catch {
    return json.trimEnd();
  }
}

/** The log file of each logger, to close it when its command ends. */
const FILES = new WeakMap<Logger, ReturnType<typeof pino.destination>>();

/**
 * Writes out what a command logged and closes its log file: the file is whole when the command
 * returns (a test, or a caller in the same process, reads it at once), not only at process exit.
 */
export async function closeLog(logger: Logger): Promise<void> {
  const file = FILES.get(logger);
  if (file === undefined || (file as unknown as { destroyed?: boolean }).destroyed === true) return;
  await new Promise<void>((resolve) => {
    file.once('close', () => resolve());
    file.once('error', () => resolve());
    file.end();
  });
}

export function createLogger(options: { logFile?: string | undefined; verbose?: boolean; runId: string; stderr: NodeJS.WritableStream }): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.logFile !== undefined) {
    const path = options.logFile;
    checkWritable([{ flag: '--log-file', path, mkdir: true }]);
    const file = pino.destination({ dest: path, sync: false, mkdir: true });
    // A log that stops being writable mid-run (a full disk) must not stop the run: one warning, then no log.
    let warned = false;
    file.on('error', (err: Error) => {
      if (!warned) options.stderr.write(`esprov: warning: the log file ${path} cannot be written (${err.message}); the run goes on without it.\n`);
      warned = true;
    });
    streams.push({ level: 'debug', stream: file });
  }
  if (options.verbose) {
    const readable = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line !== '') options.stderr.write(`${readableLine(line)}\n`);
        done();
      },
    });
    streams.push({ level: 'debug', stream: readable });
  }
  if (streams.length === 0) return pino({ level: 'silent' });
  const logger = pino({ level: 'debug', redact: REDACT, base: { runId: options.runId } }, pino.multistream(streams));
  const file = streams[0]?.stream;
  if (options.logFile !== undefined && file !== undefined) FILES.set(logger, file as ReturnType<typeof pino.destination>);
  return logger;
}
