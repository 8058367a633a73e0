// Writes the README's code table from src/rules/codes.ts (run after `npm run build`):
// node scripts/readme-codes.mjs. test/readme.test.ts fails when the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { codeTableMarkdown } from '../dist/rules/code-table.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = readme.indexOf('| code | kind | meaning | what to do |');
const end = readme.indexOf('\n\n', start);
if (start < 0 || end < 0) throw new Error('README.md has no code table to replace');
writeFileSync(path, readme.slice(0, start) + codeTableMarkdown() + readme.slice(end + 1));
