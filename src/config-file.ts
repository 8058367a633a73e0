// esprov.config.json: the flags a team wants to keep with a customer's job (profile, account, rate,
// mapping ...), read once and checked strictly. Credentials are refused: they come from the
// environment only (SPEC §2). Flags given on the command line win over the file.

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ConfigFileValues } from './config-file-check.js';
import { UsageError } from './exit-codes.js';

export const CONFIG_FILE_NAME = 'esprov.config.json';

export type ConfigFileErrorCode = 'CONFIG_FILE_INVALID' | 'CONFIG_FILE_UNREADABLE';

/** A config file that cannot be read or is wrong: a usage error (exit 2) with a stable code. */
export class ConfigFileError extends UsageError {
  declare readonly code: ConfigFileErrorCode;

  constructor(
    code: ConfigFileErrorCode,
    message: string,
    /** The config file. */
    readonly file: string,
    /** The key at fault, when there is one. */
    readonly key?: string,
  ) {
    super(code, message);
  }
}

async function readText(path: string, shown: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw new ConfigFileError('CONFIG_FILE_UNREADABLE', `The config file ${shown} cannot be read (${why}): check the path and its permissions.`, shown);
  }
}

/**
 * The config file at `path` (it must exist), or else `esprov.config.json` in `cwd` when there is
 * one, or undefined. Throws ConfigFileError (CONFIG_FILE_UNREADABLE or CONFIG_FILE_INVALID).
 */
export async function loadConfigFile(path: string | undefined, cwd: string): Promise<{ path: string; values: ConfigFileValues } | undefined> {
  const given = path !== undefined;
  const shown = path ?? CONFIG_FILE_NAME;
  const full = given ? resolve(cwd, path) : join(cwd, CONFIG_FILE_NAME);
  const text = await readText(full, shown);
  if (text === undefined) {
    if (!given) return undefined;
    throw new ConfigFileError('CONFIG_FILE_UNREADABLE', `The config file ${shown} does not exist: check the path, or leave the option out to use ${CONFIG_FILE_NAME} from the current folder.`, shown);
  }
  let json: unknown;
  try {
    // Notepad saves UTF-8 with a BOM.
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (err) {
    throw new ConfigFileError('CONFIG_FILE_INVALID', `The config file ${shown} is not valid JSON (${(err as Error).message}): fix its syntax.`, shown);
  }
  const { parseConfigFile } = await import('./config-file-check.js');
  return { path: full, values: parseConfigFile(json, shown, dirname(full)) };
}

export interface MergeOptions {
  /**
   * Whether a flag's value is only its default (commander: `cmd.getOptionValueSource(key) ===
   * 'default'`): the file then wins over it.
   */
  readonly isDefault?: (key: string) => boolean;
}

/** The file's settings under the flags: a flag given on the command line wins; undefined ones don't count. */
export function mergeOptions(file: ConfigFileValues | undefined, flags: Record<string, unknown>, options: MergeOptions = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    if (merged[key] !== undefined && options.isDefault?.(key) === true) continue;
    merged[key] = value;
  }
  return merged;
}
