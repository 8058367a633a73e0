#!/usr/bin/env node
// esprov's command line: parses flags into a Config and calls one function per command.

import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { checkCommand } from './commands/check.js';
import { inputConfig, type CommonOptions } from './config.js';
import { EXIT, UsageError } from './exit-codes.js';
import { InputError } from './input/errors.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function inputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api <profile>', 'dlr (US/CA, XML) or unified (rest of world, JSON)').choices(['dlr', 'unified']))
    .option('--out <file>', 'result file, .csv or .xlsx (default: <input>.result.csv)')
    .option('--mapping <file>', 'JSON map of customer header → canonical field')
    .option('--sheet <name>', 'worksheet of an .xlsx input (default: the first)')
    .option('--no-bom', 'write the CSV result without a byte-order mark')
    .option('--summary-json <file>', 'also write the summary as JSON')
    .option('-q, --quiet', 'print nothing but errors');
}

export function buildProgram(): Command {
  const program = new Command('esprov')
    .description('Provision 911 / 112 caller records in bulk on Bandwidth\'s emergency-services APIs.')
    .version(version, '-V, --version')
    .showHelpAfterError()
    .exitOverride();

  inputOptions(program.command('check').argument('<input>', 'export to check: .csv, .tsv, .txt, .xlsx, or - for standard input'))
    .description('parse, normalize and validate every row, offline; write VALID / INVALID per row')
    .addHelpText('after', `
Examples:
  $ esprov check offices.csv --api dlr
  $ esprov check export.xlsx --api dlr --sheet Endpoints --out checked.xlsx
  $ cat export.csv | esprov check - --api unified --out checked.csv`)
    .action(async (input: string, options: CommonOptions) => {
      process.exitCode = await checkCommand(await inputConfig(input, options));
    });

  program.addHelpText('after', `
Exit codes: 0 all rows fine, 1 some row INVALID/REJECTED/FAILED, 2 usage/config/input/auth error, 3 rows PENDING.
Credentials come from the environment only: BW_USERNAME + BW_PASSWORD, BW_TOKEN, or BW_CLIENT_ID + BW_CLIENT_SECRET.`);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof UsageError || err instanceof InputError) {
      process.stderr.write(`esprov: ${err.message} [${err.code}]\n`);
      return EXIT.USAGE;
    }
    process.stderr.write(`esprov: unexpected error: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
