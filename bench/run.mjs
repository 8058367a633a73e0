// npm run bench: every benchmark of the project, each printing its figures and its target.

import { existsSync } from 'node:fs';
import { benchCheck } from './check.mjs';

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const results = {};

if (want('check')) results.check = await benchCheck();
for (const [name, file, fn] of [
  ['sandbox', './sandbox.mjs', 'benchSandbox'],
  ['api', './api.mjs', 'benchApi'],
  ['pipeline', './pipeline.mjs', 'benchPipeline'],
  ['overlap', './pipeline.mjs', 'benchOverlap'],
  ['rate', './pipeline.mjs', 'benchRate'],
  ['sync', './sync.mjs', 'benchSync'],
]) {
  if (!want(name) || !existsSync(new URL(file, import.meta.url))) continue;
  const mod = await import(file);
  results[name] = await mod[fn]();
}
console.log('\nbench done:', Object.keys(results).join(', '));
