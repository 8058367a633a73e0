// Runs the real CLI (the build in dist/) and reads its result files.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';

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

export function runCli(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  assertE2eTier();
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

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'esprov-test-'));
}

/** A CSV result file as objects keyed by column name (BOM stripped). */
export function readResult(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

export const fixture = (...parts: string[]): string => join(ROOT, 'fixtures', ...parts);
