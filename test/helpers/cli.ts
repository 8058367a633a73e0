// Runs the real CLI (the build in dist/), in this process where it can, and reads its result files.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { rememberTempDir } from './temp.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The unit tier starts no process: a test that spawns the CLI belongs to the e2e tier (E2E in vitest.config.ts). */
export function assertE2eTier(): void {
  if (process.env.ESPROV_TEST_TIER === 'unit') throw new Error('this test spawns the CLI: list its file in E2E (vitest.config.ts), the e2e tier');
}

export interface CliOptions {
  readonly input?: string | Buffer;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Run it as its own process even where it could run in this one (what only a process shows). */
  readonly spawn?: boolean;
}

/**
 * Runs the CLI of dist/ on `args`: in this process (src/main.ts `main` with its own environment and
 * streams: the same command line, without starting node and loading every module again) when it
 * reads no standard input, runs in the repository and sets no TZ or COLUMNS; as a child process
 * otherwise, or with `spawn` (what only another process shows: its pid, its lock on a store).
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  assertE2eTier();
  const here = options.cwd === undefined || resolve(options.cwd) === ROOT;
  // The time zone and the terminal's width are the process's own.
  const processOnly = options.env !== undefined && ('TZ' in options.env || 'COLUMNS' in options.env);
  if (options.spawn !== true && !processOnly && options.input === undefined && !args.includes('-') && here && process.cwd() === ROOT) return runInProcess(args, options.env);
  return spawnCli(args, options);
}

async function runInProcess(args: string[], env: NodeJS.ProcessEnv | undefined): Promise<CliRun> {
  const { main } = (await import(join(ROOT, 'dist/main.js'))) as typeof import('../../src/main.js');
  let stdout = '';
  let stderr = '';
  const stream = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await main([process.execPath, CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdout: stream((t) => {
      stdout += t;
    }),
    stderr: stream((t) => {
      stderr += t;
    }),
  });
  return { code, stdout, stderr };
}

function spawnCli(args: string[], options: CliOptions): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary folder, removed when the test file ends. */
export function tempDir(): string {
  return rememberTempDir(mkdtempSync(join(tmpdir(), 'esprov-test-')));
}

/** A CSV result file as objects keyed by column name (BOM stripped). */
export function readResult(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

export const fixture = (...parts: string[]): string => join(ROOT, 'fixtures', ...parts);
