// esprov export: what the account holds, written as esprov's own input (one row per endpoint), to
// keep as a backup, to start a migration from, or to hand a customer as their first export.

import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuthError } from '../api/errors.js';
import { accountConfig, type AccountOptions } from '../config.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { expandOutName, newStamp } from '../output/out-name.js';
import { createProgress, type ProgressStream } from '../output/progress.js';
import { csvLine } from '../output/writer.js';
import type { AccountContents, Fields } from '../pipeline/account.js';
import { connect } from '../profiles/calls.js';
import { profileOf } from '../profiles/index.js';
import { HOLDS_ALL } from '../rules/dlr.js';
import type { Profile } from '../rules/types.js';
import { StateStore } from '../state/store.js';
import { openSession } from './target.js';

export interface ExportOptions extends AccountOptions {
  readonly out?: string;
  readonly bom?: boolean;
}

/** The export's lines; a profile's optional columns (dlr: AddressLine1) only when some endpoint has them. */
export async function exportLines(profile: Profile, contents: AccountContents): Promise<{ columns: string[]; lines: string[]; notAccepted: number }> {
  const rules = profileOf(profile);
  const columns = rules.exportColumns.filter((c) => !rules.optionalExportColumns.includes(c) || contents.endpoints.some((e) => e.fields[c] !== undefined));
  // What the account lists it holds: its identifiers and LocationIds pass in the API's wider form.
  const normalize = await rules.normalizer(HOLDS_ALL);
  let notAccepted = 0;
  const lines = contents.endpoints.map((e) => {
    const fields = rules.exportedFields(e.fields);
    if (!normalize(fields).ok) notAccepted++;
    return csvLine(columns.map((c) => fields[c] ?? ''));
  });
  return { columns, lines: [csvLine(columns), ...lines], notAccepted };
}

/**
 * The fields the account does not report (dlr: an endpoint's PreferredLanguage; the reference's
 * AEUI detail has none). What esprov itself sent is in the state store: the export says it, so
 * running the export on the same store changes nothing (SPEC §4).
 */
function fillFromStore(state: string, account: string, profile: Profile, contents: AccountContents): void {
  const { unreportedFields: unreported, keyField } = profileOf(profile);
  const lacks = (fields: Fields): boolean => unreported.some((f) => (fields[f] ?? '') === '');
  if (unreported.length === 0 || !existsSync(state) || !contents.endpoints.some((e) => lacks(e.fields))) return;
  const store = new StateStore(state);
  try {
    for (const e of contents.endpoints) {
      const key = e.fields[keyField];
      if (!lacks(e.fields) || key === undefined) continue;
      const sent = store.endpointFields(account, profile, key);
      for (const f of unreported) if ((e.fields[f] ?? '') === '' && sent?.[f]) (e.fields as Record<string, string>)[f] = sent[f];
    }
  } finally {
    store.close();
  }
}

export async function exportCommand(o: ExportOptions, stderr: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // {date} and {runId} in --out and --log-file, as a run's: a nightly export keeps one file a night.
  const stamp = newStamp();
  const config = accountConfig(o, env, stamp);
  const named = o.out === undefined ? undefined : expandOutName('--out', o.out, stamp);
  if (named !== undefined && !/\.csv$/i.test(named)) throw new UsageError('OUT_INVALID', `--out ${o.out}: the export is written as CSV; name it .csv (Excel opens it).`);
  const session = await openSession(config, stamp.runId, stderr);
  const out = named ?? `export-${config.profile}-${session.account}.csv`;
  const progress = createProgress({ stream: stderr, quiet: config.quiet });
  let contents;
  try {
    contents = await connect(config.profile, session.api).readAccount({ concurrency: config.concurrency, progress });
  } catch (err) {
    progress.done();
    if (err instanceof AuthError) {
      stderr.write(
        `esprov: the API refused the credentials (${err.message}); nothing was exported. Check BW_USERNAME/BW_PASSWORD, BW_TOKEN or BW_CLIENT_ID/BW_CLIENT_SECRET and the account id. [AUTH_FAILED]\n`,
      );
      return EXIT.USAGE;
    }
    throw err;
  } finally {
    await session.close();
  }
  progress.done();
  fillFromStore(config.state, session.account, config.profile, contents);
  const { lines, notAccepted } = await exportLines(config.profile, contents);
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, `${o.bom === false ? '' : '\uFEFF'}${lines.join('')}`, { mode: 0o600 });
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const report = [`export: account ${session.account}, ${config.profile}: ${contents.endpoints.length} endpoints written to ${out}`];
  if (notAccepted > 0) report.push(`  ${notAccepted} of them do not pass esprov's checks as the account holds them: run esprov check ${out} --api ${config.profile} to see why.`);
  if (contents.unreadable.length > 0) {
    report.push(`  ${contents.unreadable.length} endpoints could not be read and are NOT in the file:`);
    for (const p of contents.unreadable.slice(0, 10)) report.push(`    ${p.key}: ${p.message}`);
    if (contents.unreadable.length > 10) report.push(`    … and ${contents.unreadable.length - 10} more`);
  }
  report.push(`  calls: ${session.api.stats().totalCalls}`);
  if (!config.quiet || contents.unreadable.length > 0) stderr.write(`${report.join('\n')}\n`);
  return contents.unreadable.length > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
}
