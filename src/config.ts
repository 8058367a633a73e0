// Flags (and later a config file) → one validated, frozen Config.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from './exit-codes.js';
import type { Profile } from './rules/types.js';

export interface CommonOptions {
  readonly api?: string;
  readonly out?: string;
  readonly mapping?: string;
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
}

const MappingSchema = z.record(z.string(), z.string());

export function parseProfile(api: string | undefined): Profile {
  if (api === 'dlr' || api === 'unified') return api;
  if (api === undefined) throw new UsageError('API_REQUIRED', 'Say which API to use: --api dlr (US and Canada, XML) or --api unified (rest of world, JSON).');
  throw new UsageError('API_INVALID', `--api ${api} is not a profile: use dlr or unified.`);
}

/** `<input>.result.csv` beside the input (SPEC §2); standard input writes `stdin.result.csv`. */
export function defaultOut(input: string): string {
  if (input === '-') return 'stdin.result.csv';
  return `${input.replace(/\.(csv|tsv|txt|xlsx|xlsm)$/i, '')}.result.csv`;
}

async function readMapping(path: string | undefined): Promise<Record<string, string>> {
  if (path === undefined) return {};
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
  const parsed = MappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError('MAPPING_INVALID', `The mapping file ${path} must be a JSON object of "customer header": "CanonicalField" pairs.`);
  }
  return parsed.data;
}

export async function inputConfig(input: string, o: CommonOptions): Promise<InputConfig> {
  const out = o.out ?? defaultOut(input);
  if (!/\.(csv|xlsx)$/i.test(out)) throw new UsageError('OUT_INVALID', `--out ${out}: the result file must end in .csv or .xlsx.`);
  return Object.freeze({
    input,
    profile: parseProfile(o.api),
    out,
    mapping: await readMapping(o.mapping),
    sheet: o.sheet,
    bom: o.bom ?? true,
    summaryJson: o.summaryJson,
    quiet: o.quiet ?? false,
  });
}
