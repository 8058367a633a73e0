// esprov import-state: adopt what the account already holds into the state store, so the first
// nightly run on an account provisioned by other means sends only what differs.

import { AuthError } from '../api/errors.js';
import { accountConfig, parseMaxDelete, type AccountOptions } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { newStamp } from '../output/out-name.js';
import { createProgress, type ProgressStream } from '../output/progress.js';
import { importState } from '../pipeline/import.js';
import { connect } from '../profiles/calls.js';
import { profileOf } from '../profiles/index.js';
import { StateStore } from '../state/store.js';
import { openSession } from './target.js';

export interface ImportOptions extends AccountOptions {
  readonly full?: boolean;
  readonly maxDelete?: string | number;
  readonly force?: boolean;
}

const list = (items: readonly { key: string; message: string }[], max = 10): string =>
  items
    .slice(0, max)
    .map((p) => `\n    ${p.key}: ${p.message}`)
    .join('') + (items.length > max ? `\n    … and ${items.length - max} more` : '');

export async function importStateCommand(o: ImportOptions, stderr: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const stamp = newStamp();
  const config = accountConfig(o, env, stamp);
  const maxDelete = parseMaxDelete(String(o.maxDelete ?? '10%'));
  const { runId } = stamp;
  const session = await openSession(config, runId, stderr);
  const store = new StateStore(config.state);
  const progress = createProgress({ stream: stderr, quiet: config.quiet });
  const started = Date.now();
  let report;
  try {
    store.acquireLock(runId);
    store.startRun({ runId, account: session.account, profile: config.profile, command: 'import-state', input: `account ${session.account}`, output: config.state });
    try {
      report = await importState(
        store,
        connect(config.profile, session.api),
        { profile: config.profile, account: session.account, concurrency: config.concurrency, full: o.full ?? false, maxDelete, force: o.force ?? false },
        progress,
      );
    } catch (err) {
      store.finishRun(runId, 'failed', {});
      throw err;
    }
    store.finishRun(runId, 'finished', { listed: report.listed, adopted: report.adopted, kept: report.kept, markedDeleted: report.markedDeleted });
  } catch (err) {
    progress.done();
    if (err instanceof AuthError) {
      stderr.write(
        `esprov: the API refused the credentials (${err.message}); nothing was imported. Check BW_USERNAME/BW_PASSWORD, BW_TOKEN or BW_CLIENT_ID/BW_CLIENT_SECRET and the account id. [AUTH_FAILED]\n`,
      );
      return EXIT.USAGE;
    }
    throw err;
  } finally {
    store.releaseLock(runId);
    store.close();
    await session.close();
  }
  progress.done();
  const calls = session.api.stats();
  const what = profileOf(config.profile).poolWord;
  const lines = [
    `import-state: account ${session.account}, ${config.profile}, into ${config.state}`,
    `  endpoints listed:     ${report.listed}`,
    `  adopted:              ${report.adopted}`,
    `  already known:        ${report.kept} (provisioned by esprov; --full reads them again)`,
    `  ${what} adopted:${' '.repeat(Math.max(1, 13 - what.length))}${report.locations}`,
    `  marked deleted:       ${report.markedDeleted} (known to the store, no longer in the account: the next run adds them again)`,
  ];
  if (report.notUnderstood.length > 0) {
    lines.push(`  not accepted by esprov's rules: ${report.notUnderstood.length} (adopted by key; a row naming them is sent again)${list(report.notUnderstood)}`);
  }
  if (report.unreadable.length > 0) lines.push(`  unreadable, not adopted: ${report.unreadable.length} (run import-state again)${list(report.unreadable)}`);
  lines.push(`  calls: ${calls.totalCalls}, time ${((Date.now() - started) / 1000).toFixed(1)} s, run id ${runId}`);
  if (!config.quiet || report.unreadable.length > 0) stderr.write(`${lines.join('\n')}\n`);
  return report.unreadable.length > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
}
