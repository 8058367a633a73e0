// The profile drivers (src/profiles): each API's rules give, for every row of the samples, the
// endpoint key, content hash, address text and address reference the code before them gave
// (profiles.rows.json was made by that code, commit 6e8da8b); and no step branches on the profile
// name again outside the few places where the name itself is what is decided.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapColumns } from '../src/input/headers.js';
import { openInput } from '../src/input/open.js';
import { checkRows } from '../src/pipeline/read.js';
import { profileOf, knownProfile } from '../src/profiles/index.js';
import { LANGUAGE_UNKNOWN } from '../src/profiles/dlr.js';
import { connect } from '../src/profiles/calls.js';
import type { Api } from '../src/api/index.js';
import type { NormalizedRow, Profile } from '../src/rules/types.js';

interface Expected {
  readonly file: string;
  readonly line: number;
  readonly key: string;
  readonly hash: string;
  readonly unknownLanguage: boolean | null;
  readonly address: string;
  readonly addressRef: string;
  readonly asksAddress: boolean;
}

const EXPECTED = JSON.parse(readFileSync(new URL('./profiles.rows.json', import.meta.url), 'utf8')) as Expected[];
const SAMPLES: ReadonlyArray<readonly [string, Profile]> = [
  ['samples/dlr-offices.csv', 'dlr'],
  ['samples/dlr-messy-export.csv', 'dlr'],
  ['samples/dlr-bandwidth-template.csv', 'dlr'],
  ['samples/unified-europe.csv', 'unified'],
];

async function rowsOf(file: string, profile: Profile): Promise<{ line: number; row: NormalizedRow }[]> {
  const table = await openInput(file);
  const out: { line: number; row: NormalizedRow }[] = [];
  for await (const batch of checkRows(table, mapColumns(table.header, profile), profile)) {
    for (const c of batch) if (c.row !== undefined) out.push({ line: c.line, row: c.row });
  }
  return out;
}

describe('profile rules', () => {
  it('give every sample row the key, hash, address and reference the code before them gave', async () => {
    const got: Expected[] = [];
    for (const [file, profile] of SAMPLES) {
      const rules = profileOf(profile);
      for (const { line, row } of await rowsOf(file, profile)) {
        const hash = rules.contentHash(row);
        got.push({
          file,
          line,
          key: rules.endpointKey(row),
          hash,
          unknownLanguage: profile === 'dlr' ? rules.sameContent(row, rules.contentHash({ ...row, preferredLanguage: LANGUAGE_UNKNOWN } as unknown as NormalizedRow)) : null,
          address: rules.formatAddress(row),
          addressRef: rules.addressRef(row),
          asksAddress: rules.asksAddress(row),
        });
      }
    }
    expect(got.length).toBeGreaterThan(50);
    expect(got).toEqual(EXPECTED);
  });

  it('tell a changed row from an unchanged one by its hash, in both profiles', async () => {
    for (const [file, profile] of SAMPLES) {
      const rules = profileOf(profile);
      const row = (await rowsOf(file, profile))[0]!.row;
      expect(rules.sameContent(row, rules.contentHash(row))).toBe(true);
      expect(rules.sameContent({ ...row, callerName: `${row.callerName} 2` }, rules.contentHash(row))).toBe(false);
    }
  });

  it('name the columns an input lacks, in the order the refusal lists them', () => {
    expect(profileOf('dlr').missingColumns(() => false)).toEqual(['Identifier', 'CallbackNumber', 'CallerName', 'City', 'StateCode', 'Zip', 'HouseNumber and StreetName (or AddressLine1)']);
    expect(profileOf('dlr').missingColumns((f) => f === 'Action')).toEqual(['Identifier']);
    expect(profileOf('unified').missingColumns(() => false)).toEqual(['PhoneNumber', 'CallerName', 'Country', 'AddressLine1', 'City', 'PostalCode']);
    expect(profileOf('unified').missingColumns((f) => f === 'AddressId')).toEqual(['PhoneNumber', 'CallerName', 'Country']);
  });

  it('know only the two profiles by name', () => {
    expect(knownProfile('dlr')?.name).toBe('dlr');
    expect(knownProfile('unified')?.name).toBe('unified');
    expect(knownProfile('toString')).toBeUndefined();
    expect(knownProfile('DLR')).toBeUndefined();
  });
});

describe('profile calls', () => {
  it('refuse, with one CONFIG_INVALID line, an API without the profile client', () => {
    const onlyUnified = { unified: {} } as unknown as Api;
    expect(() => connect('dlr', onlyUnified)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^the dlr steps need the dlr API client/) }));
    const onlyDlr = { dlr: {} } as unknown as Api;
    expect(() => connect('unified', onlyDlr)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(connect('dlr', onlyDlr).deleteKind).toBe('del-ep');
  });
});

/**
 * The places that may still test the profile's name: where the name is parsed (config.ts), where
 * the API layer makes the one client of it (api/index.ts), and the endpoint stages' type guards
 * (a row of the stage's own profile). Anything else asks src/profiles.
 */
const ALLOWED: Readonly<Record<string, number>> = {
  'src/config.ts': 1,
  'src/api/index.ts': 2,
  'src/pipeline/dlr.ts': 1,
  'src/pipeline/unified.ts': 1,
};
const BRANCH = /[!=]== '(dlr|unified)'/;

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (path !== join('src', 'sandbox') && path !== join('src', 'profiles')) yield* sources(path);
    } else if (name.endsWith('.ts')) yield path;
  }
}

describe('profile branches', () => {
  it('are left only where the profile name itself is decided', () => {
    const found: Record<string, number> = {};
    for (const file of sources('src')) {
      const n = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => BRANCH.test(l)).length;
      if (n > 0) found[file.split('\\').join('/')] = n;
    }
    expect(found).toEqual(ALLOWED);
  });

  it('have no unchecked client left outside src/profiles', () => {
    const unchecked = [...sources('src')].filter((f) => /api\.(dlr|unified)!/.test(readFileSync(f, 'utf8')));
    expect(unchecked).toEqual([]);
  });
});
