// Counts for the end of a run: per status and action, the most frequent error codes with a sample
// row each, calls made, time taken. Printed to standard error and, on request, written as JSON.

import { writeFile } from 'node:fs/promises';
import type { ResultAction, RowStatus } from './result.js';

export interface SummaryJson {
  readonly command: string;
  readonly input: string;
  readonly output: string;
  readonly rows: number;
  readonly statuses: Record<string, number>;
  readonly actions: Record<string, number>;
  readonly topErrors: { code: string; count: number; sampleRow: number; sampleMessage: string }[];
  readonly calls: Record<string, number>;
  readonly seconds: number;
  readonly exitCode: number;
}

export class Summary {
  private readonly statuses = new Map<string, number>();
  private readonly actions = new Map<string, number>();
  private readonly errors = new Map<string, { count: number; sampleRow: number; sampleMessage: string }>();
  private readonly started = Date.now();
  rows = 0;
  calls: Record<string, number> = {};

  add(status: RowStatus, action: ResultAction, errorCode: string, line: number, message: string): void {
    this.rows++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    this.actions.set(action, (this.actions.get(action) ?? 0) + 1);
    if (errorCode !== '') {
      const e = this.errors.get(errorCode);
      if (e === undefined) this.errors.set(errorCode, { count: 1, sampleRow: line, sampleMessage: message });
      else e.count++;
    }
  }

  count(status: RowStatus): number {
    return this.statuses.get(status) ?? 0;
  }

  toJson(command: string, input: string, output: string, exitCode: number): SummaryJson {
    return {
      command,
      input,
      output,
      rows: this.rows,
      statuses: Object.fromEntries(this.statuses),
      actions: Object.fromEntries(this.actions),
      topErrors: [...this.errors.entries()]
        .map(([code, e]) => ({ code, ...e }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
        .slice(0, 10),
      calls: this.calls,
      seconds: Math.round((Date.now() - this.started) / 100) / 10,
      exitCode,
    };
  }
}

export function renderSummary(s: SummaryJson): string {
  const lines: string[] = [];
  const statuses = Object.entries(s.statuses).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`esprov ${s.command}: ${s.rows} rows in ${s.seconds}s — ${statuses || 'no rows'}`);
  const actions = Object.entries(s.actions).filter(([k]) => k !== 'NONE').map(([k, v]) => `${k} ${v}`).join(', ');
  if (actions !== '') lines.push(`  actions: ${actions}`);
  if (s.topErrors.length > 0) {
    lines.push('  top errors:');
    for (const e of s.topErrors) lines.push(`    ${e.code.padEnd(28)} ${String(e.count).padStart(7)}  e.g. row ${e.sampleRow}: ${e.sampleMessage}`);
  }
  const calls = Object.entries(s.calls).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ');
  if (calls !== '') lines.push(`  calls: ${calls}`);
  lines.push(`  result: ${s.output}`);
  return `${lines.join('\n')}\n`;
}

export async function writeSummaryJson(path: string, s: SummaryJson): Promise<void> {
  await writeFile(path, `${JSON.stringify(s, null, 2)}\n`);
}
