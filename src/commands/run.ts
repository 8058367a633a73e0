// esprov run: the whole pipeline against the API (or the in-process sandbox), then the result file.

import { randomUUID } from 'node:crypto';
import { AuthError, createApi } from '../api/index.js';
import type { RunConfig } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { mapColumns } from '../input/headers.js';
import { openInput } from '../input/open.js';
import { createLogger } from '../output/log.js';
import { createProgress, type ProgressStream } from '../output/progress.js';
import { Summary, renderSummary, writeSummaryJson } from '../output/summary.js';
import { openResultWriter } from '../output/writer.js';
import type { RunContext, RunRow } from '../pipeline/context.js';
import { planMissing } from '../pipeline/missing.js';
import { provision, readAndPlan } from '../pipeline/run.js';
import { StateStore } from '../state/store.js';
import { target } from './target.js';

export async function runCommand(config: RunConfig, stderr: ProgressStream = process.stderr): Promise<number> {
  const table = await openInput(config.input, config.sheet === undefined ? {} : { sheet: config.sheet });
  const columns = mapColumns(table.header, config.profile, config.mapping);
  const where = await target(config);
  const runId = randomUUID();
  const log = createLogger({ logFile: config.logFile, verbose: config.verbose, runId, stderr });
  const api = createApi({ profile: config.profile, ...(where.baseUrl ? { baseUrl: where.baseUrl } : {}), accountId: where.account, auth: where.auth, ...(config.rate !== undefined ? { rate: config.rate } : {}), logger: log, connections: Math.max(16, config.concurrency * 2) });
  const store = new StateStore(config.state);
  const progress = createProgress({ stream: stderr, quiet: config.quiet });
  const note = (message: string): void => progress.note(message);
  const ctx: RunContext = {
    settings: {
      profile: config.profile, account: where.account, concurrency: config.concurrency, chunkSize: config.chunkSize,
      pollTimeoutMs: config.pollTimeoutMs, retryRejected: config.retryRejected, dryRun: config.dryRun,
      deleteMissing: config.deleteMissing, maxDelete: config.maxDelete, force: config.force, pruneLocations: config.pruneLocations,
    },
    store, api, runId, logger: log, note, progress,
  };
  const summary = new Summary();
  let rows: RunRow[] = [];
  try {
    store.acquireLock(runId);
    store.startRun({
      runId, account: where.account, profile: config.profile, command: 'run', input: config.input, output: config.out,
      options: { mapping: config.mapping, sheet: config.sheet, chunkSize: config.chunkSize, bom: config.bom },
    });
    rows = await readAndPlan(ctx, table, columns);
    if (config.deleteMissing) rows.push(...planMissing(ctx, rows, columns, table.header.length));
    await provision(ctx, rows);
  } catch (err) {
    progress.done();
    store.finishRun(runId, 'failed', {});
    store.releaseLock(runId);
    store.close();
    await api.close();
    await where.close();
    if (err instanceof AuthError) {
      stderr.write(`esprov: the API refused the credentials (${err.message}); nothing more was sent. Check BW_USERNAME/BW_PASSWORD, BW_TOKEN or BW_CLIENT_ID/BW_CLIENT_SECRET and the account id. [AUTH_FAILED]\n`);
      return EXIT.USAGE;
    }
    throw err;
  }
  progress.done();
  const writer = await openResultWriter(config.out, table.header, config.profile, {
    bom: config.bom, ...(config.errorsOut !== undefined ? { errorsOut: config.errorsOut } : {}),
  });
  let json;
  try {
    await writer.write(rows.map((r) => {
      summary.add(r.out.status, r.out.action, r.out.errorCode, r.line, r.out.errorMessage);
      const { todo: _todo, ...out } = r.out;
      return { line: r.line, cells: r.cells, ...out, warnings: out.warnings.join(' ') };
    }));
    const failed = summary.count('INVALID') + summary.count('REJECTED') + summary.count('FAILED');
    // A dry run's PENDING rows are the plan, not unfinished work.
    const exitCode = failed > 0 ? EXIT.ROWS_FAILED : summary.count('PENDING') > 0 && !config.dryRun ? EXIT.PENDING : EXIT.OK;
    summary.setApi(api.stats());
    summary.runId = runId;
    if (config.errorsOut !== undefined) summary.errorsOutput = config.errorsOut;
    json = summary.toJson(config.dryRun ? 'run --dry-run' : 'run', config.input, config.out, exitCode);
    await writer.commit(json);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  store.finishRun(runId, json.exitCode === EXIT.PENDING ? 'pending' : 'finished', Object.fromEntries(Object.entries(json.statuses)));
  store.releaseLock(runId);
  store.close();
  await api.close();
  await where.close();
  log.flush?.();
  if (!config.quiet) stderr.write(renderSummary(json));
  if (config.summaryJson !== undefined) await writeSummaryJson(config.summaryJson, json);
  return json.exitCode;
}
