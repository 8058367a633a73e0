// Rows that hold no endpoint (SPEC §3): a row empty in every column esprov reads, or a footer
// ("Total: 3", "Generated on 2026-11-30 by …") that an export appends. Such rows are SKIPPED, not
// INVALID, so a clean nightly export does not exit 1 forever. Conservative on purpose: a row with
// more than two filled cells, or whose first text is not one of the footer forms below, is never a
// footer, and stays a row to check.

import { problem, type Problem } from './codes.js';

const FOOTER_FORMS = [
  // "Total: 3", "Totals", "Grand total = 12", "Row count: 40", "Sum 7", "Total: 3 endpoints"
  /^(grand\s+)?(totals?|sum|((row|record|line|item|endpoint)s?\s+)?count)(\s*[:=]\s*.*|\s+\d[\d,.]*|)$/i,
  // "Generated on 2026-11-30", "Exported by Teams admin", "Printed at 10:02"
  /^(generated|exported|printed|created|extracted)\s+(on|by|at|from|with)\b/i,
  // "End of report", "*** end of export ***"
  /^[*=\-#\s]*end\s+of\s+(the\s+)?(report|file|list|export|data)\b/i,
  // "Note: the Suite column is new", "Notes: …"
  /^notes?\s*:/i,
  // "Page 1 of 3"
  /^page\s+\d+(\s+of\s+\d+)?$/i,
  // "3 rows", "40 records total", "12 endpoints."
  /^\d[\d,]*\s+(rows|records|endpoints|lines|entries)(\s+total)?\.?$/i,
];

/** Why a row is skipped, or undefined for a row that holds (or may hold) an endpoint. */
export function skipReason(cells: readonly string[], fieldOf: readonly (string | undefined)[], line: number): Problem | undefined {
  let filled = 0;
  let first = '';
  let second = '';
  let mapped = false;
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i]!.trim();
    if (text === '') continue;
    filled++;
    if (filled === 1) first = text;
    else if (filled === 2) second = text;
    if (fieldOf[i] !== undefined) mapped = true;
    if (mapped && filled > 2) return undefined;
  }
  if (!mapped) return problem('ROW_EMPTY', { line });
  if (filled > 2) return undefined;
  const text = filled === 2 ? `${first} ${second}` : first;
  if (!FOOTER_FORMS.some((form) => form.test(first) || form.test(text))) return undefined;
  return problem('ROW_FOOTER', { line, text: text.length > 60 ? `${text.slice(0, 57)}…` : text });
}
