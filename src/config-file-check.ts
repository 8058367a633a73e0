// The checks of esprov.config.json, loaded only when there is a file to check: zod is a tenth of a
// second of every command's start, and most commands have no config file.

import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigFileError } from './config-file.js';

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
