// The README's code table, generated from the one code table (codes.ts): every code esprov can
// print, its kind, what it means and what to do. scripts/readme-codes.mjs writes it into the
// README; test/readme.test.ts checks the two are the same.

import { CODES, ROW_CODES, STOP_CODES } from './codes.js';

export interface CodeRow {
  readonly code: string;
  /** error, warning, skip (a row's problem), status (a row's outcome) or exit 2 (stops the command). */
  readonly kind: string;
  readonly meaning: string;
  readonly fix: string;
}

export function codeTable(): CodeRow[] {
  return [
    ...Object.entries(CODES).map(([code, e]) => ({ code, kind: e.severity, meaning: e.meaning, fix: e.fix })),
    ...Object.entries(ROW_CODES).map(([code, e]) => ({ code, kind: 'status', ...e })),
    ...Object.entries(STOP_CODES).map(([code, e]) => ({ code, kind: 'exit 2', ...e })),
  ];
}

/** The table as Markdown, header included, one line per code, ending in a newline. */
export function codeTableMarkdown(): string {
  const rows = codeTable().map((r) => `| \`${r.code}\` | ${r.kind} | ${r.meaning} | ${r.fix} |`);
  return ['| code | kind | meaning | what to do |', '|---|---|---|---|', ...rows, ''].join('\n');
}
