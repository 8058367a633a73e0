// Flags (and later a config file) → one validated, frozen Config.

import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes.js';
import { expandOutName, newStamp, type RunStamp } from './output/out-name.js';
import type { Profile } from './rules/types.js';

export interface CommonOptions {
  readonly api?: string;
  readonly out?: string;
  /** A mapping file's path, or (from a config file) the mapping itself. */
  readonly mapping?: string | Readonly<Record<string, string>>;
  readonly errorsOut?: string;
  readonly sheet?: string;
  readonly bom?: boolean;
  readonly summaryJson?: string;
  readonly quiet?: boolean;
}

export interface InputConfig {
  readonly input: string;
  readonly profile: Profile;
  readonly out: string;
  readonly mapping: Readonly<Record<string, string>>;
  readonly sheet: string | undefined;
  readonly bom: boolean;
  readonly summaryJson: string | undefined;
  readonly quiet: boolean;
  readonly errorsOut: string | undefined;
  /** The run's id and start: in the summary, and in the file names that ask for {runId} or {date}. */
  readonly runId: string;
  readonly startedAt: number;
}

/** A mapping file's JSON: an object of "customer header": "CanonicalField" strings. */
const isMapping = (json: unknown): json is Record<string, string> => typeof json === 'object' && json !== null && !Array.isArray(json) && Object.values(json).every((v) => typeof v === 'string');

export function parseProfile(api: string | undefined): Profile {
  const name = api?.trim().toLowerCase();
  if (name === 'dlr' || name === 'unified') return name;
  if (api === undefined) throw new UsageError('API_REQUIRED', 'Say which API to use: --api dlr (US and Canada, XML) or --api unified (rest of world, JSON).');
  throw new UsageError('API_INVALID', `--api ${api} is not a profile: use dlr or unified.`);
}

/**
 * `<input>.result.csv` beside the input (SPEC §2), `<input>.check.csv` for check, so a check never
 * overwrites a run's result; standard input writes `stdin.result.csv` / `stdin.check.csv`.
 */
export function defaultOut(input: string, command: 'check' | 'run' = 'run'): string {
  const suffix = command === 'check' ? 'check' : 'result';
  if (input === '-') return `stdin.${suffix}.csv`;
  return `${input.replace(/\.(csv|tsv|txt|xlsx|xlsm)$/i, '')}.${suffix}.csv`;
}

async function readMapping(path: string | Readonly<Record<string, string>> | undefined): Promise<Record<string, string>> {
  if (path === undefined) return {};
  if (typeof path === 'object') return { ...path };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError('MAPPING_UNREADABLE', `The mapping file ${path} cannot be read.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError('MAPPING_INVALID', `The mapping file ${path} is not valid JSON (${(err as Error).message}).`);
  }
  if (!isMapping(json)) {
    throw new UsageError('MAPPING_INVALID', `The mapping file ${path} must be a JSON object of "customer header": "CanonicalField" pairs.`);
  }
  return { ...json };
}

/** The state store a run uses when --state does not say. */
export const defaultState = (sandbox: boolean): string => (sandbox ? '.esprov/sandbox-state.db' : '.esprov/state.db');

/** `stamp`: the command's run id and start, which {runId} and {date} in the output names stand for. */
export async function inputConfig(input: string, o: CommonOptions, command: 'check' | 'run' = 'run', stamp: RunStamp = newStamp()): Promise<InputConfig> {
  const out = o.out === undefined ? defaultOut(input, command) : expandOutName('--out', o.out, stamp);
  if (!/\.(csv|xlsx)$/i.test(out)) throw new UsageError('OUT_INVALID', `--out ${out}: the result file must end in .csv or .xlsx.`);
  return Object.freeze({
    input,
    profile: parseProfile(o.api),
    out,
    mapping: await readMapping(o.mapping),
    sheet: o.sheet,
    bom: o.bom ?? true,
    summaryJson: o.summaryJson === undefined ? undefined : expandOutName('--summary-json', o.summaryJson, stamp),
    quiet: o.quiet ?? false,
    errorsOut: o.errorsOut === undefined ? undefined : expandOutName('--errors-out', o.errorsOut, stamp),
    runId: stamp.runId,
    startedAt: stamp.startedAt,
  });
}

export interface RunOptions extends CommonOptions {
  readonly account?: string;
  readonly baseUrl?: string;
  readonly sandbox?: boolean;
  readonly state?: string;
  // Strings from flags; numbers from a config file.
  readonly concurrency?: string | number;
  readonly rate?: string | number;
  readonly chunkSize?: string | number;
  readonly pollTimeout?: string;
  readonly requestTimeout?: string;
  readonly retryRejected?: boolean;
  readonly logFile?: string;
  readonly verbose?: boolean;
  readonly dryRun?: boolean;
  readonly deleteMissing?: boolean;
  readonly maxDelete?: string | number;
  readonly force?: boolean;
  readonly pruneLocations?: boolean;
}

export interface RunConfig extends InputConfig, AccountConfig {
  readonly chunkSize: number;
  readonly pollTimeoutMs: number;
  /** The longest one request may live (the transport's deadline); "not found" after a crash is trusted only past it. */
  readonly requestTimeoutMs: number;
  readonly retryRejected: boolean;
  readonly dryRun: boolean;
  readonly deleteMissing: boolean;
  readonly maxDelete: { readonly count: number } | { readonly fraction: number };
  readonly force: boolean;
  readonly pruneLocations: boolean;
}

/** "10%" → a fraction of the known endpoints; "250" → a count. */
export function parseMaxDelete(text: string): { count: number } | { fraction: number } {
  const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
  if (m === null || (m[2] === '%' && Number(m[1]) > 100) || (m[2] === '' && !Number.isInteger(Number(m[1])))) {
    throw new UsageError('FLAG_INVALID', `--max-delete ${text} must be a percentage such as 10% or a whole number of endpoints.`);
  }
  return m[2] === '%' ? { fraction: Number(m[1]) / 100 } : { count: Number(m[1]) };
}

/** "10m", "90s", "1h", "500ms" or a number of seconds → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) throw new UsageError('DURATION_INVALID', `${flag} ${text} is not a duration: use e.g. 90s, 10m or 1h.`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(n * unit);
}

function positiveInt(text: string | number | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError('FLAG_INVALID', `${flag} ${text} must be a whole number from 1 to ${max}.`);
  return n;
}

/** The flags every command that talks to an account shares. */
export interface AccountOptions {
  readonly api?: string;
  readonly account?: string;
  readonly baseUrl?: string;
  readonly sandbox?: boolean;
  readonly state?: string;
  readonly concurrency?: string | number;
  readonly rate?: string | number;
  readonly logFile?: string;
  readonly verbose?: boolean;
  readonly quiet?: boolean;
}

export interface AccountConfig {
  readonly profile: Profile;
  readonly account: string | undefined;
  readonly baseUrl: string | undefined;
  readonly sandbox: boolean;
  readonly state: string;
  readonly concurrency: number;
  /** Requests per second over all stages; undefined = unlimited. */
  readonly rate: number | undefined;
  readonly logFile: string | undefined;
  readonly verbose: boolean;
  readonly quiet: boolean;
  /** Where the credentials are read (BW_USERNAME …): the process's environment, or a test's own. Never logged. */
  readonly env: NodeJS.ProcessEnv;
}

/** `stamp`: the command's run id and start, for {date} and {runId} in --log-file (as in --out). */
export function accountConfig(o: AccountOptions, env: NodeJS.ProcessEnv = process.env, stamp?: RunStamp): AccountConfig {
  const profile = parseProfile(o.api);
  const sandbox = o.sandbox ?? false;
  let rate: number | undefined = sandbox ? undefined : 5;
  if (o.rate !== undefined) {
    const n = Number(o.rate);
    if (!Number.isFinite(n) || n < 0) throw new UsageError('FLAG_INVALID', `--rate ${o.rate} must be a number of requests per second (0 for no limit).`);
    rate = n === 0 ? undefined : n;
  }
  const account = o.account ?? env.BW_ACCOUNT_ID;
  if (!sandbox && (account === undefined || account === '')) {
    throw new UsageError('ACCOUNT_REQUIRED', 'Say which account to use: --account ID or the environment variable BW_ACCOUNT_ID.');
  }
  return {
    profile,
    account,
    baseUrl: o.baseUrl,
    sandbox,
    // A rehearsal in the sandbox keeps its own state, apart from production's.
    state: o.state ?? defaultState(sandbox),
    concurrency: positiveInt(o.concurrency, '--concurrency', 8, 256),
    rate,
    logFile: o.logFile === undefined || stamp === undefined ? o.logFile : expandOutName('--log-file', o.logFile, stamp),
    verbose: o.verbose ?? false,
    quiet: o.quiet ?? false,
    env,
  };
}

export async function runConfig(input: string, o: RunOptions, env: NodeJS.ProcessEnv = process.env, stamp?: RunStamp): Promise<RunConfig> {
  const base = await inputConfig(input, o, 'run', stamp);
  const where = accountConfig(o, env, { runId: base.runId, startedAt: base.startedAt });
  return Object.freeze({
    ...base,
    ...where,
    chunkSize: positiveInt(o.chunkSize, '--chunk-size', 100, 5000),
    pollTimeoutMs: parseDuration(o.pollTimeout ?? '10m', '--poll-timeout'),
    requestTimeoutMs: parseDuration(o.requestTimeout ?? '60s', '--request-timeout'),
    retryRejected: o.retryRejected ?? false,
    dryRun: o.dryRun ?? false,
    deleteMissing: o.deleteMissing ?? false,
    maxDelete: parseMaxDelete(String(o.maxDelete ?? '10%')),
    force: o.force ?? false,
    pruneLocations: o.pruneLocations ?? false,
  });
}
