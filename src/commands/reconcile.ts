// esprov reconcile: finish what the last run left PENDING and rewrite its result file. It is the
// last run again, on the same input and output: open orders are followed to their end first, and
// nothing already provisioned is sent again.

import { runConfig, type RunOptions } from '../config.js';
import { UsageError } from '../exit-codes.js';
import type { ProgressStream } from '../output/progress.js';
import { StateStore } from '../state/store.js';
import { runCommand } from './run.js';

export async function reconcileCommand(options: RunOptions, env: NodeJS.ProcessEnv = process.env, stderr: ProgressStream = process.stderr): Promise<number> {
  // The account and state file decide which run is "the last one".
  const probe = await runConfig('-', { ...options, out: 'probe.csv' }, env);
  const account = probe.sandbox ? (probe.account ?? '9900000') : probe.account!;
  const store = new StateStore(probe.state);
  // A dry run sent nothing and a refused run stopped before sending: neither has anything to finish.
  const last = store.lastRuns(account, probe.profile, 20).find((r) => r.command === 'run' && r.status !== 'refused');
  store.close();
  if (last === undefined) {
    throw new UsageError('NO_RUN', `The state store ${probe.state} has no earlier ${probe.profile} run for account ${account} to reconcile.`);
  }
  if (last.input === '-') {
    throw new UsageError('RECONCILE_STDIN', 'The last run read standard input, which cannot be read again: run esprov run with the same export as a file to finish it.');
  }
  // The input is read as the last run read it: its mapping, worksheet and order size, unless given again here.
  const o = last.options as { mapping?: Record<string, string>; sheet?: string; chunkSize?: number; bom?: boolean };
  return runCommand(
    await runConfig(
      last.input,
      {
        ...(o.mapping !== undefined && Object.keys(o.mapping).length > 0 ? { mapping: o.mapping } : {}),
        ...(o.sheet !== undefined ? { sheet: o.sheet } : {}),
        ...(o.chunkSize !== undefined ? { chunkSize: o.chunkSize } : {}),
        ...(o.bom !== undefined ? { bom: o.bom } : {}),
        ...options,
        out: options.out ?? last.output,
      },
      env,
    ),
    stderr,
  );
}
