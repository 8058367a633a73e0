import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeTable, codeTableMarkdown } from '../src/rules/code-table.js';
import { CODES, STOP_CODES } from '../src/rules/codes.js';
import { ROOT } from './helpers/cli.js';

/**
 * Upper-case words in src/ that are not codes esprov prints: environment variables, the APIs' order
 * statuses and element names, SQLite's and undici's error codes (read, then named in a sentence),
 * csv-parse's code (read, then put in our own words).
 */
const NOT_CODES = [/^BW_/, /^SQLITE_/, /^UND_ERR_/, /^EAI_AGAIN$/, /^(ADD|UPDATE|DELETE)_ENDPOINTS$/, /^ADJUSTED_(COMPLETE|PARTIAL)$/, /^IN_PROGRESS$/, /^NOT_SENT$/, /^CSV_QUOTE_NOT_CLOSED$/];

/** Every quoted UPPER_SNAKE string in src/ (the sandbox aside: it is the API's side), and the codes without an underscore. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'sandbox') walk(path);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"`]/g)) found.set(m[1]!, relative(ROOT, path));
        for (const m of text.matchAll(/code: '([A-Z][A-Z0-9]+)'/g)) found.set(m[1]!, relative(ROOT, path));
      }
    }
  };
  walk(join(ROOT, 'src'));
  for (const code of found.keys()) if (NOT_CODES.some((re) => re.test(code))) found.delete(code);
  return found;
}

describe('README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  it('lists every error code of the code table, with its meaning and what to do', () => {
    for (const [code, e] of Object.entries(CODES)) {
      expect(readme).toContain(`| \`${code}\` | ${e.severity} | ${e.meaning} | ${e.fix} |`);
    }
  });
  it('lists every code that stops a command (exit 2), with its meaning and what to do', () => {
    for (const [code, e] of Object.entries(STOP_CODES)) {
      expect(readme).toContain(`| \`${code}\` | exit 2 | ${e.meaning} | ${e.fix} |`);
    }
  });
  it('its code table is the one generated from src/rules/codes.ts, row for row (regenerate: npm run build && node scripts/readme-codes.mjs)', () => {
    const start = readme.indexOf('| code | kind | meaning | what to do |');
    expect(start).toBeGreaterThan(0);
    const end = readme.indexOf('\n\n', start);
    expect(readme.slice(start, end + 1)).toBe(codeTableMarkdown());
  });
  it('every code esprov can print is in the code table', () => {
    const table = new Set(codeTable().map((r) => r.code));
    const missing = [...codesInSource()].filter(([code]) => !table.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
    expect(table.size).toBe(codeTable().length); // one row per code
  });
  it('leads with the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
