// esprov reconcile: finish what the last run left PENDING and rewrite its result file. It is the
// last run again, on the same input and output: open orders are followed to their end first, and
// nothing already provisioned is sent again.

import { runConfig, type RunOptions } from '../config.js';
import { UsageError } from '../exit-codes.js';
import { StateStore } from '../state/store.js';
import { runCommand } from './run.js';

export async function reconcileCommand(options: RunOptions): Promise<number> {
  // The account and state file decide which run is "the last one".
  const probe = await runConfig('-', { ...options, out: 'probe.csv' });
  const account = probe.sandbox ? (probe.account ?? '9900000') : probe.account!;
  const store = new StateStore(probe.state);
  const last = store.lastRuns(account, probe.profile, 20).find((r) => r.command === 'run' && r.input !== '-');
  store.close();
  if (last === undefined) {
    throw new UsageError('NO_RUN', `The state store ${probe.state} has no earlier ${probe.profile} run for account ${account} to reconcile.`);
  }
  return runCommand(await runConfig(last.input, { ...options, out: options.out ?? last.output }));
}
