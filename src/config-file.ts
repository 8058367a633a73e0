// esprov.config.json: the flags a team wants to keep with a customer's job (profile, account, rate,
// mapping ...), read once and checked strictly. Credentials are refused: they come from the
// environment only (SPEC §2). Flags given on the command line win over the file.

import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
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

const DURATION = /^\d+(?:\.\d+)?(?:ms|s|m|h)?$/;
const MAX_DELETE = /^(?:\d+(?:\.\d+)?%|\d+)$/;

const nonEmpty = z.string().trim().min(1);

function isPlainHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** The value as the error shows it: short, and never a URL (it could carry a password). */
function showValue(key: string, value: unknown): string {
  if (key === 'baseUrl') return 'a value';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** Every key the file may hold, with what it must be (said the same way in the error). */
const KEYS = {
  api: { schema: z.enum(['dlr', 'unified']), rule: '"dlr" (US and Canada) or "unified" (rest of world)' },
  account: { schema: nonEmpty, rule: 'the account id as a string, e.g. "9900778"' },
  baseUrl: { schema: z.string().refine(isPlainHttpUrl), rule: 'an http:// or https:// URL, without a user name or password in it' },
  mapping: {
    schema: z.union([nonEmpty, z.record(z.string(), z.string())]),
    rule: 'an object of "customer header": "CanonicalField" pairs, or the path of a mapping JSON file relative to this file',
  },
  rate: { schema: z.number().finite().min(0), rule: 'a number of requests per second, 0 or more (0 for no limit)' },
  concurrency: { schema: z.number().int().min(1), rule: 'a whole number, 1 or more' },
  chunkSize: { schema: z.number().int().min(1), rule: 'a whole number, 1 or more' },
  pollTimeout: { schema: z.string().trim().regex(DURATION), rule: 'a duration such as "90s", "10m" or "1h"' },
  state: { schema: nonEmpty, rule: 'the path of the state store, e.g. ".esprov/state.db"' },
  out: { schema: nonEmpty, rule: 'the path of the result file, ending in .csv or .xlsx' },
  sheet: { schema: nonEmpty, rule: 'the name of a worksheet' },
  maxDelete: {
    schema: z.union([z.string().trim().regex(MAX_DELETE), z.number().int().min(0)]),
    rule: 'a percentage such as "10%" or a whole number of endpoints',
  },
  logFile: { schema: nonEmpty, rule: 'the path of a log file' },
} as const;

type Key = keyof typeof KEYS;
export const CONFIG_FILE_KEYS = Object.keys(KEYS) as Key[];

const ConfigFileSchema = z.strictObject({
  api: KEYS.api.schema.optional(),
  account: KEYS.account.schema.optional(),
  baseUrl: KEYS.baseUrl.schema.optional(),
  mapping: KEYS.mapping.schema.optional(),
  rate: KEYS.rate.schema.optional(),
  concurrency: KEYS.concurrency.schema.optional(),
  chunkSize: KEYS.chunkSize.schema.optional(),
  pollTimeout: KEYS.pollTimeout.schema.optional(),
  state: KEYS.state.schema.optional(),
  out: KEYS.out.schema.optional(),
  sheet: KEYS.sheet.schema.optional(),
  maxDelete: KEYS.maxDelete.schema.optional(),
  logFile: KEYS.logFile.schema.optional(),
});

/**
 * What a config file says. Paths (`mapping` when a string, `state`, `out`, `logFile`) are
 * absolute: resolved against the config file's own folder, so a job runs the same from anywhere.
 */
export type ConfigFileValues = Readonly<z.infer<typeof ConfigFileSchema>>;

const PATH_KEYS = ['mapping', 'state', 'out', 'logFile'] as const;

/** Keys that look like credentials, compared without case, spaces, `_`, `-` or `.`. */
const CREDENTIAL = /password|passwd|passphrase|^pass$|pwd|secret|token|credential|apikey|username|^user$|^login$|clientid|^auth|bearer|privatekey|cookie/;

const normalize = (key: string): string => key.toLowerCase().replace(/[\s_.-]/g, '');

/** The allowed key a misspelt one most likely meant (chunk_size, base-url, pollTimeOut ...). */
function suggestion(key: string): Key | undefined {
  const n = normalize(key);
  return CONFIG_FILE_KEYS.find((k) => normalize(k) === n || normalize(k) === n.replace(/s$/, ''));
}

function invalid(file: string, message: string, key?: string): ConfigFileError {
  return new ConfigFileError('CONFIG_FILE_INVALID', message, file, key);
}

/** Checks a parsed config file; `file` names it in errors, `base` is where its paths start. */
export function parseConfigFile(json: unknown, file: string, base: string = dirname(resolve(file))): ConfigFileValues {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid(file, `The config file ${file} must hold one JSON object of settings, e.g. {"api": "dlr", "rate": 5}.`);
  }
  // Credentials first, before any other complaint: never leave one sitting in a file.
  for (const key of Object.keys(json)) {
    if (CREDENTIAL.test(normalize(key))) {
      throw invalid(
        file,
        `The config file ${file} has the key "${key}", but credentials are read from the environment only (BW_USERNAME and BW_PASSWORD, BW_TOKEN, or BW_CLIENT_ID and BW_CLIENT_SECRET): remove it from the file.`,
        key,
      );
    }
  }
  for (const key of Object.keys(json)) {
    if (!(key in KEYS)) {
      const meant = suggestion(key);
      throw invalid(file, `The config file ${file} has an unknown key "${key}"${meant === undefined ? '' : ` (did you mean "${meant}"?)`}: the allowed keys are ${CONFIG_FILE_KEYS.join(', ')}.`, key);
    }
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const key = String(parsed.error.issues[0]?.path[0] ?? '') as Key;
    const rule = KEYS[key]?.rule ?? 'as documented';
    throw invalid(file, `The config file ${file} sets "${key}" to ${showValue(key, (json as Record<string, unknown>)[key])}, but it must be ${rule}: correct it or remove the key.`, key);
  }
  const values: Record<string, unknown> = { ...parsed.data };
  for (const key of PATH_KEYS) {
    const value = values[key];
    if (typeof value === 'string' && !isAbsolute(value)) values[key] = resolve(base, value);
  }
  return Object.freeze(values) as ConfigFileValues;
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
    throw invalid(shown, `The config file ${shown} is not valid JSON (${(err as Error).message}): fix its syntax.`);
  }
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
