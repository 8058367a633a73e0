import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, STOP_CODES } from '../src/rules/codes.js';
import { ROOT } from './helpers/cli.js';

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
  it('leads with the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
