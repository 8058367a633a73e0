// esprov run: the whole pipeline against the API (or the in-process sandbox), then the result file.

import { setMaxListeners } from 'node:events';
import { AuthError } from '../api/errors.js';
import type { Api, ApiStats } from '../api/index.js';
import type { RunConfig } from '../config.js';
import { EXIT, UsageError, authFailed } from '../exit-codes.js';
import { columnNotes, keyColumn, mapColumns, unusedColumns } from '../input/headers.js';
import { openInput } from '../input/open.js';
import { closeLog, createLogger } from '../output/log.js';
import { createProgress, type ProgressStream } from '../output/progress.js';
import { fitNote, Summary, renderSummary, terminalWidth, writeSummaryJson } from '../output/summary.js';
import { checkWritable, outputsOf } from '../output/writable.js';
import { openResultWriter, type ResultWriter } from '../output/writer.js';
import { removeStaleTemps } from '../output/stale.js';
import type { RunContext } from '../pipeline/context.js';
import { provision, readAndPlan } from '../pipeline/run.js';
import { ResultFlow, RowSpill } from '../pipeline/spill.js';
import { limitHeapGrowth } from '../heap.js';
import type { StateStore } from '../state/store.js';
import { openStore } from './open-store.js';
import { target } from './target.js';

/** The stats of a run that made no call. */
const NO_CALLS: ApiStats = {
  calls: {},
  totalCalls: 0,
  retries: 0,
  throttled: 0,
  outcomes: {},
  rateLimitWaitMs: 0,
  retryWaitMs: 0,
  rateLimitWallMs: 0,
  retryWallMs: 0,
  ambiguousWrites: 0,
  tokenFetches: 0,
};

export async function runCommand(config: RunConfig, stderr: ProgressStream = process.stderr): Promise<number> {
  // Before anything is read from or sent to the account: a result that cannot be written refuses the run.
  checkWritable(outputsOf(config));
  // A run killed outright left its temporary files (rows with names, numbers, addresses): gone now.
  const stale = removeStaleTemps([config.out, ...(config.errorsOut !== undefined ? [config.errorsOut] : [])]);
  if (stale.length > 0 && !config.quiet) stderr.write(`removed ${stale.length} temporary file(s) a killed run left beside the result\n`);
  const table = await openInput(config.input, config.sheet === undefined ? {} : { sheet: config.sheet });
  const columns = mapColumns(table.header, config.profile, config.mapping);
  const where = await target(config);
  const runId = config.runId;
  const log = createLogger({ logFile: config.logFile, verbose: config.verbose, runId, stderr });
  let api: Api | undefined;
  const needApi = async (): Promise<void> => {
    if (api !== undefined) return;
    const { createApi } = await import('../api/index.js');
    api = createApi({
      profile: config.profile,
      ...(where.baseUrl ? { baseUrl: where.baseUrl } : {}),
      accountId: where.account,
      auth: where.auth,
      ...(config.rate !== undefined ? { rate: config.rate } : {}),
      logger: log,
      connections: Math.max(16, config.concurrency * 2),
      timeouts: { requestMs: config.requestTimeoutMs },
    });
    ctx.api = api;
  };
  let store: StateStore;
  try {
    store = openStore(config.state);
  } catch (err) {
    await where.close();
    throw err;
  }
  const progress = createProgress({ stream: stderr, quiet: config.quiet });
  const note = (message: string): void => progress.note(message);
  // SIGINT/SIGTERM (Ctrl-C, a cron timeout): the first one stops cleanly — nothing new is sent, calls
  // in flight end, the result and the summary are written; a second one ends the process at once.
  const stop = new AbortController();
  // Every order waiting between reads (and every call waiting on --rate) listens for the stop: a
  // run follows many at once, which is no leak, so node's warning past ten listeners is turned off.
  setMaxListeners(0, stop.signal);
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) process.exit(signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM);
    stop.abort(signal);
    stderr.write(`\nesprov: ${signal}: sending nothing new, finishing the calls in flight and writing the result (${signal} again to stop at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx: RunContext = {
    settings: {
      profile: config.profile,
      account: where.account,
      concurrency: config.concurrency,
      chunkSize: config.chunkSize,
      pollTimeoutMs: config.pollTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      retryRejected: config.retryRejected,
      dryRun: config.dryRun,
      deleteMissing: config.deleteMissing,
      maxDelete: config.maxDelete,
      force: config.force,
      pruneLocations: config.pruneLocations,
    },
    store,
    api: undefined as unknown as Api,
    needApi,
    runId,
    logger: log,
    note,
    progress,
    stop: stop.signal,
  };
  const summary = new Summary(Date.now, config.startedAt);
  summary.runId = runId;
  summary.state = config.state;
  summary.unusedColumns = unusedColumns(table.header, columns);
  if (!config.quiet) for (const line of columnNotes(table.header, columns)) stderr.write(`${fitNote(line, terminalWidth(stderr))}\n`);
  let writer: ResultWriter | undefined;
  let flow: ResultFlow | undefined;
  let json;
  try {
    store.acquireLock(runId);
    store.startRun({
      runId,
      account: where.account,
      profile: config.profile,
      command: config.dryRun ? 'run --dry-run' : 'run',
      input: config.input,
      output: config.out,
      // requestTimeoutMs: how long this run's requests may live, for a later run that finds its orders open.
      options: { mapping: config.mapping, sheet: config.sheet, chunkSize: config.chunkSize, bom: config.bom, requestTimeoutMs: config.requestTimeoutMs },
    });
    writer = await openResultWriter(config.out, table.header, config.profile, {
      bom: config.bom,
      key: keyColumn(columns, config.profile),
      ...(config.errorsOut !== undefined ? { errorsOut: config.errorsOut } : {}),
    });
    // Rows final at planning go straight to the result while no earlier row waits on the API, and
    // wait on disk after that: a nightly rerun holds none of them in memory.
    // The heap is held near what is live from the first row that waits on the API (src/heap.ts): a
    // migration keeps its rows; a nightly rerun with nothing to send keeps node's faster default.
    flow = new ResultFlow(writer, new RowSpill(`${config.out}.${process.pid}.rows.tmp`), summary, limitHeapGrowth);
    // Loaded on use: --delete-missing reads unified phone numbers with libphonenumber.
    const sync = config.deleteMissing ? await import('../pipeline/missing.js') : undefined;
    const named = sync !== undefined ? await sync.NamedInInput.of(columns, config.profile) : undefined;
    const kept = await readAndPlan(ctx, table, columns, { final: flow, ...(named !== undefined ? { named } : {}) });
    const missing = sync !== undefined && named !== undefined ? sync.planMissing(ctx, named, columns, table.header.length) : [];
    const outcomes = await provision(ctx, [...kept, ...missing]);
    progress.done();
    await flow.finish(kept, missing, outcomes);
    const failed = summary.count('INVALID') + summary.count('REJECTED') + summary.count('FAILED');
    // A dry run's PLANNED rows are neither failures nor unfinished work.
    const signal = stop.signal.aborted ? (stop.signal.reason as NodeJS.Signals) : undefined;
    const exitCode = signal === 'SIGINT' ? EXIT.SIGINT : signal === 'SIGTERM' ? EXIT.SIGTERM : failed > 0 ? EXIT.ROWS_FAILED : summary.count('PENDING') > 0 ? EXIT.PENDING : EXIT.OK;
    summary.setApi(api?.stats() ?? NO_CALLS);
    if (config.errorsOut !== undefined) summary.errorsOutput = config.errorsOut;
    json = summary.toJson(config.dryRun ? 'run --dry-run' : 'run', config.input, config.out, exitCode);
    await writer.commit(json);
    store.finishRun(runId, json.exitCode === EXIT.PENDING || signal !== undefined ? 'pending' : 'finished', Object.fromEntries(Object.entries(json.statuses)));
  } catch (err) {
    progress.done();
    await writer?.abort();
    // A refusal sent nothing: the store says so, and no run stays 'running'.
    store.finishRun(runId, err instanceof UsageError ? 'refused' : 'failed', {});
    if (err instanceof AuthError) {
      throw authFailed(err.message, 'nothing more was sent');
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    flow?.remove();
    store.releaseLock(runId);
    store.close();
    await api?.close();
    await where.close();
    await closeLog(log);
  }
  if (!config.quiet) stderr.write(renderSummary(json, terminalWidth(stderr)));
  if (config.summaryJson !== undefined) await writeSummaryJson(config.summaryJson, json);
  if (stop.signal.aborted) stderr.write(`esprov: stopped (${String(stop.signal.reason)}): run the same file again, or esprov reconcile, to finish; nothing is sent twice.\n`);
  return json.exitCode;
}
