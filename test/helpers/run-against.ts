// esprov run through the CLI against a sandbox: the result file and its rows beside the run (no rows on exit 2).

import { join } from 'node:path';
import { DEMO_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';
import { readResult, runCli } from './cli.js';

export const CREDS = { BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };

export function runAgainst(sandbox: Sandbox, api: 'dlr' | 'unified', input: string, dir: string, account: string, ...flags: string[]) {
  const out = join(dir, `${api}-${Math.random().toString(36).slice(2)}.csv`);
  const baseUrl = `${sandbox.url}${api === 'dlr' ? '/api' : '/api/v2'}`;
  return runCli(['run', input, '--api', api, '--account', account, '--base-url', baseUrl, '--state', join(dir, 'state.db'), '--rate', '0', '--request-timeout', '5s', '--out', out, ...flags], {
    env: CREDS,
  }).then((run) => ({ ...run, out, rows: run.code === 2 ? [] : readResult(out) }));
}
