// esprov's command line: parses flags into a Config and calls one function per command. It takes
// its world (arguments, environment, streams) as parameters: src/cli.ts gives it the process's,
// and tests run it in-process with their own.

import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { checkCommand, columnsCommand } from './commands/check.js';
import type { ExportOptions } from './commands/export.js';
import type { ImportOptions } from './commands/import-state.js';
import type { StatusOptions } from './commands/status.js';
import { loadConfigFile, mergeOptions } from './config-file.js';
import { accountConfig, defaultOut, defaultState, inputConfig, runConfig, type AccountOptions, type CommonOptions, type RunOptions } from './config.js';
import { EXIT } from './exit-codes.js';
import { limitHeapGrowth } from './heap.js';
import { newStamp, tryExpandOutName, type RunStamp } from './output/out-name.js';
import { refusalLine, refusalOf, writeRefusalSummary } from './output/refusal.js';

/** What a command line reads and writes besides files: the process's, or a test's own. */
export interface Io {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
}

export const processIo = (): Io => ({ env: process.env, stdout: process.stdout, stderr: process.stderr });

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function inputOptions(cmd: Command, defaultOutText: string): Command {
  return cmd
    .addOption(new Option('--api <profile>', 'dlr (US/CA, XML) or unified (rest of world, JSON)').choices(PROFILES).argParser(profileArg))
    .option('--out <file>', `result file, .csv or .xlsx; {date} and {runId} in the name become the run's start date and id (default: ${defaultOutText})`)
    .option('--mapping <file>', 'JSON map of customer header → canonical field')
    .option('--sheet <name>', 'worksheet of an .xlsx input (default: the first)')
    .option('--no-bom', 'write the CSV result without a byte-order mark')
    .option('--summary-json <file>', 'also write the summary as JSON (on every exit; an exit 2 with its error); {date} and {runId} as in --out')
    .option('--errors-out <file>', 'also write only the rows that need a person (.csv or .xlsx), to fix and feed back in; {date} and {runId} as in --out')
    .option('--config <file>', 'settings file (default: esprov.config.json in the current folder, if present); flags win over it')
    .option('-q, --quiet', 'print nothing but errors');
}

/** The flags of a command that reads an account (import-state, export). */
function accountOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api <profile>', 'dlr (US/CA, XML) or unified (rest of world, JSON)').choices(PROFILES).argParser(profileArg))
    .option('--account <id>', 'account id (default: env BW_ACCOUNT_ID)')
    .option('--base-url <url>', "API root (default: the profile's production URL)")
    .option('--sandbox', 'use the local simulator (the data esprov run --sandbox left there)')
    .option('--state <file>', 'SQLite state store (default: .esprov/state.db; .esprov/sandbox-state.db with --sandbox)')
    .option('--concurrency <n>', 'parallel reads', '8')
    .option('--rate <n>', 'most requests per second (default 5; none with --sandbox)')
    .option('--log-file <file>', 'write JSON logs (debug level, credentials redacted) to this file')
    .option('-v, --verbose', 'print each API call as a readable log line on standard error')
    .option('--config <file>', 'settings file (default: esprov.config.json in the current folder, if present); flags win over it')
    .option('-q, --quiet', 'print nothing but errors');
}

/** Options from the command line over those of the config file; commander's defaults do not override the file. */
async function withConfigFile<T extends object>(options: T & { config?: string }, cmd: Command): Promise<T> {
  const loaded = await loadConfigFile(options.config, process.cwd());
  if (loaded === undefined) return options;
  return mergeOptions(loaded.values, options as Record<string, unknown>, { isDefault: (key) => cmd.getOptionValueSource(key) === 'default' }) as T;
}

/** The state store a command would have used: run's, or the one check reads when there is one. */
function stateOf(command: 'check' | 'run', options: CommonOptions & { state?: string; sandbox?: boolean }): string | undefined {
  if (command === 'run' || options.state !== undefined) return options.state ?? defaultState(options.sandbox === true);
  return existsSync(defaultState(false)) ? defaultState(false) : undefined;
}

/**
 * Runs check or run under one RunStamp (its id and start: {runId} and {date} in the output names),
 * with the options of the command line over those of the config file; when it stops with an error,
 * its --summary-json (from either) says so before the error reaches main. A summary name with a
 * placeholder esprov does not know is not written (the refusal says why).
 */
async function reporting<T extends CommonOptions & { state?: string; sandbox?: boolean; config?: string }>(
  command: 'check' | 'run',
  input: string,
  options: T,
  cmd: Command,
  body: (merged: T, stamp: RunStamp) => Promise<number>,
): Promise<number> {
  const stamp = newStamp();
  // A config file that cannot be read leaves the command line's own options to report with.
  let merged = options;
  try {
    merged = await withConfigFile(options, cmd);
    return await body(merged, stamp);
  } catch (err) {
    const summaryJson = merged.summaryJson === undefined ? undefined : tryExpandOutName(merged.summaryJson, stamp);
    if (summaryJson !== undefined) {
      const output = merged.out === undefined ? defaultOut(input, command) : (tryExpandOutName(merged.out, stamp) ?? merged.out);
      await writeRefusalSummary(summaryJson, command, input, output, refusalOf(err), { ...stamp, state: stateOf(command, merged) });
    }
    throw err;
  }
}

const PROFILES = ['dlr', 'unified'];

/** `--api DLR` or `--api Unified` mean what they say: a profile name in any case. */
function profileArg(value: string): string {
  const profile = value.trim().toLowerCase();
  if (!PROFILES.includes(profile)) throw new InvalidArgumentError(`Allowed choices are ${PROFILES.join(', ')}.`);
  return profile;
}

/** The command line; each command's exit code goes to `exit`. */
export function buildProgram(io: Io = processIo(), exit: (code: number) => void = () => undefined): Command {
  const program = new Command('esprov')
    .description("Provision 911 / 112 caller records in bulk on Bandwidth's emergency-services APIs.")
    .version(version, '-V, --version')
    // A usage error is one line like every other refusal; --help lists the flags.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(refusalLine({ code: 'USAGE_INVALID', message: usageMessage(text) })),
    })
    .exitOverride();

  inputOptions(program.command('check').argument('<input>', 'export to check: .csv, .tsv, .txt, .xlsx, or - for standard input'), '<input>.check.csv')
    .description('parse, normalize and validate every row, offline; write VALID / INVALID per row (--validate-addresses: also ask the API about each address)')
    .addHelpText(
      'after',
      `
--validate-addresses asks the API about each distinct address of the VALID rows, once, and keeps the
answers in the state store, so the run that follows asks nothing again; a refused address makes its
rows REJECTED with the API's code. dlr: geocodeRequest, which creates nothing. unified: the API
validates an address by creating it, so this creates the address records the run will reuse.

Examples:
  $ esprov check offices.csv --api dlr
  $ esprov check export.xlsx --api dlr --sheet Endpoints --out checked.xlsx
  $ cat export.csv | esprov check - --api unified --out checked.csv
  $ BW_ACCOUNT_ID=9900778 BW_USERNAME=... BW_PASSWORD=... esprov check migration.csv --api dlr --validate-addresses`,
    )
    .option('--columns', 'print which input column feeds which field, and stop')
    .option(
      '--state <file>',
      'state store to read what the account already holds, and to keep the answers of --validate-addresses (default: .esprov/state.db, if present; .esprov/sandbox-state.db with --validate-addresses --sandbox)',
    )
    .option('--validate-addresses', 'also validate each distinct address with the API (unified: creates the address records the run reuses)')
    .option('--account <id>', 'with --validate-addresses: account id (default: env BW_ACCOUNT_ID)')
    .option('--base-url <url>', "with --validate-addresses: API root (default: the profile's production URL)")
    .option('--sandbox', 'with --validate-addresses: validate against the local simulator (the account run --sandbox uses)')
    .option('--concurrency <n>', 'with --validate-addresses: parallel address validations', '8')
    .option('--rate <n>', 'with --validate-addresses: most requests per second (default 5; none with --sandbox)')
    .option('--log-file <file>', 'with --validate-addresses: write JSON logs (debug level, credentials redacted) to this file')
    .option('-v, --verbose', 'with --validate-addresses: print each API call as a readable log line on standard error')
    .action(async (input: string, options: CommonOptions & AccountOptions & { columns?: boolean; validateAddresses?: boolean }, cmd: Command) => {
      exit(
        await reporting('check', input, options, cmd, async (merged, stamp) => {
          const config = await inputConfig(input, merged, 'check', stamp);
          if (options.columns === true) return columnsCommand(config, io.stdout);
          // Without --validate-addresses, check makes no call: the account flags (or a config file's) are not used.
          const online = merged.validateAddresses === true ? accountConfig(merged, io.env, stamp) : undefined;
          return checkCommand(config, io.stderr, merged.state, online);
        }),
      );
    });

  inputOptions(program.command('run').argument('<input>', 'export to provision: .csv, .tsv, .txt, .xlsx, or - for standard input'), '<input>.result.csv')
    .description('check, validate addresses, provision endpoints in chunked orders, follow them, write results')
    .option('--account <id>', 'account id (default: env BW_ACCOUNT_ID)')
    .option('--base-url <url>', "API root (default: the profile's production URL)")
    .option('--sandbox', 'start the local simulator on loopback and run against it (demo credentials)')
    .option('--state <file>', 'SQLite state store (default: .esprov/state.db; .esprov/sandbox-state.db with --sandbox)')
    .option('--concurrency <n>', 'parallel address validations', '8')
    .option('--rate <n>', 'most requests per second, all stages together (default 5; none with --sandbox)')
    .option('--chunk-size <n>', 'most endpoints or locations per order', '100')
    .option('--poll-timeout <duration>', 'how long to follow orders before leaving rows PENDING', '10m')
    .option('--request-timeout <duration>', 'the longest one request may take; after a crash, an order not found is trusted as never made only once it is older than this', '60s')
    .option('--retry-rejected', 'send again rows the API refused that have not changed since')
    .option('--log-file <file>', 'write JSON logs (debug level, credentials redacted) to this file')
    .option('-v, --verbose', 'print each API call as a readable log line on standard error')
    .option('--dry-run', "check and plan against the state store; send nothing; the result shows each row's planned action")
    .option('--delete-missing', 'delete endpoints esprov provisioned that are absent from this input (nightly sync)')
    .option('--max-delete <n|n%>', 'refuse a run that would delete more endpoints than this, unless --force', '10%')
    .option('--force', 'allow deletes over --max-delete')
    .option('--prune-locations', 'after deletes, delete the locations (addresses) no endpoint uses any more')
    .addHelpText(
      'after',
      `
Examples:
  $ esprov run samples/dlr-offices.csv --api dlr --sandbox
  $ BW_ACCOUNT_ID=9900778 BW_USERNAME=... BW_PASSWORD=... esprov run export.csv --api dlr --out result.xlsx
  $ esprov run europe.csv --api unified --account 9900778 --concurrency 16 --chunk-size 500`,
    )
    .action(async (input: string, options: RunOptions, cmd: Command) => {
      // A run limits its heap's growth itself, once a row waits on the API (src/commands/run.ts).
      // Loaded on use: the API, the state store and logging are not needed by check.
      exit(
        await reporting('run', input, options, cmd, async (merged, stamp) => {
          const { runCommand } = await import('./commands/run.js');
          return runCommand(await runConfig(input, merged, io.env, stamp), io.stderr);
        }),
      );
    });

  program
    .command('reconcile')
    .description('finish the orders the last run left PENDING, and rewrite its result file')
    .addOption(new Option('--api <profile>', 'dlr or unified').choices(PROFILES).argParser(profileArg))
    .option('--account <id>', 'account id (default: env BW_ACCOUNT_ID)')
    .option('--base-url <url>', 'API root')
    .option('--sandbox', 'the last run was against the sandbox')
    .option('--state <file>', 'SQLite state store')
    .option('--poll-timeout <duration>', 'how long to follow orders', '10m')
    .option('--out <file>', "result file (default: the last run's)")
    .option('-q, --quiet', 'print nothing but errors')
    .option('--config <file>', 'settings file (default: esprov.config.json in the current folder, if present)')
    .action(async (options: RunOptions, cmd: Command) => {
      limitHeapGrowth();
      const { reconcileCommand } = await import('./commands/reconcile.js');
      exit(await reconcileCommand(await withConfigFile(options, cmd), io.env, io.stderr));
    });

  accountOptions(program.command('import-state'))
    .description('adopt what the account already holds into the state store, so the next run sends only what differs')
    .option('--full', 'read again the endpoints esprov itself provisioned (dlr: one GET per endpoint)')
    .option('--max-delete <n|n%>', 'refuse an import that would mark more of the known endpoints deleted than this, unless --force', '10%')
    .option('--force', 'allow marking more endpoints deleted than --max-delete')
    .addHelpText(
      'after',
      `
Examples:
  $ BW_ACCOUNT_ID=9900778 BW_USERNAME=... BW_PASSWORD=... esprov import-state --api dlr
  $ esprov import-state --api unified --account 9900778 --rate 20`,
    )
    .action(async (options: ImportOptions, cmd: Command) => {
      limitHeapGrowth();
      const { importStateCommand } = await import('./commands/import-state.js');
      exit(await importStateCommand(await withConfigFile(options, cmd), io.stderr, io.env));
    });

  accountOptions(program.command('export'))
    .description('write what the account holds as an esprov input file (CSV): a backup, or the start of a migration')
    .option('--out <file>', 'the file to write (.csv; default: export-<api>-<account>.csv)')
    .option('--no-bom', 'write the CSV without a byte-order mark')
    .addHelpText(
      'after',
      `
Examples:
  $ esprov export --api dlr --account 9900778 --out backup-2026-11-24.csv
  $ esprov export --api dlr --sandbox --out sandbox.csv`,
    )
    .action(async (options: ExportOptions, cmd: Command) => {
      limitHeapGrowth();
      const { exportCommand } = await import('./commands/export.js');
      exit(await exportCommand(await withConfigFile(options, cmd), io.stderr, io.env));
    });

  program
    .command('status')
    .description('what the state store knows: endpoints and locations by status, last runs, open orders')
    .option('--state <file>', 'SQLite state store (default: .esprov/state.db; .esprov/sandbox-state.db with --sandbox)')
    .option('--sandbox', 'the store of the runs made with --sandbox')
    .option('--account <id>', 'only this account')
    .addOption(new Option('--api <profile>', 'only this profile').choices(PROFILES).argParser(profileArg))
    .option('--json', 'print JSON')
    .action(async (options: StatusOptions & { sandbox?: boolean }) => {
      const { statusCommand } = await import('./commands/status.js');
      exit(statusCommand({ ...options, state: options.state ?? defaultState(options.sandbox === true) }, io.stdout));
    });

  program
    .command('sandbox')
    .description('run the local simulator of both APIs on loopback until stopped (Ctrl-C)')
    .option('--port <n>', 'port (default: any free port)')
    .option('--faults <profile>', 'none, flaky, slow or chaos', 'none')
    .option('--latency <ms>', 'mean added latency per request')
    .option('--seed <n>', 'seed of every random choice')
    .option('--data <file>', "keep the sandbox's data in this file across restarts")
    .action(async (o: { port?: string; faults?: string; latency?: string; seed?: string; data?: string }) => {
      const { runSandboxCommand } = await import('./sandbox/command.js');
      await runSandboxCommand({
        ...(o.port !== undefined ? { port: Number(o.port) } : {}),
        ...(o.faults !== undefined ? { faults: o.faults } : {}),
        ...(o.latency !== undefined ? { latencyMs: Number(o.latency) } : {}),
        ...(o.seed !== undefined ? { seed: Number(o.seed) } : {}),
        ...(o.data !== undefined ? { dataFile: o.data } : {}),
      });
    });

  program.addHelpText(
    'after',
    `
Exit codes: 0 all rows fine, 1 some row INVALID/REJECTED/FAILED, 2 usage/config/input/auth error, 3 rows PENDING.
Credentials come from the environment only: BW_USERNAME + BW_PASSWORD, BW_TOKEN, or BW_CLIENT_ID + BW_CLIENT_SECRET.`,
  );
  return program;
}

/** commander's "error: unknown option '--x'\n(Did you mean --y?)" as esprov says it: one line. */
function usageMessage(text: string): string {
  return `${text
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '')}: see esprov --help (or esprov <command> --help)`;
}

/** The --summary-json of a command line commander refused, when it names one. */
async function summaryOfBadFlags(argv: readonly string[], message: string): Promise<void> {
  const args = argv.slice(2);
  const command = args[0];
  if (command !== 'check' && command !== 'run') return;
  const at = args.findIndex((a) => a === '--summary-json' || a.startsWith('--summary-json='));
  const path = at < 0 ? undefined : args[at]!.includes('=') ? args[at]!.slice('--summary-json='.length) : args[at + 1];
  if (path === undefined || path.startsWith('-')) return;
  const input = args[1] !== undefined && !args[1].startsWith('--') ? args[1] : '';
  const stamp = newStamp();
  const expanded = tryExpandOutName(path, stamp);
  if (expanded !== undefined) await writeRefusalSummary(expanded, command, input, '', { code: 'USAGE_INVALID', message }, stamp);
}

/** Runs one command line (argv as process.argv gives it: node, script, args…); its exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.OK;
  try {
    await buildProgram(io, (c) => {
      code = c;
    }).parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      // commander printed the error; a bad flag still replaces the summary a monitor reads.
      await summaryOfBadFlags(argv, usageMessage(err.message));
      return EXIT.USAGE;
    }
    io.stderr.write(refusalLine(refusalOf(err)));
    return EXIT.USAGE;
  }
}
