// esprov.config.json: found by path or in the current folder, checked strictly, credentials
// refused, paths relative to the file, and flags on the command line winning over it.

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_KEYS, parseConfigFile } from '../src/config-file-check.js';
import { ConfigFileError, loadConfigFile, mergeOptions } from '../src/config-file.js';
import { UsageError } from '../src/exit-codes.js';
import { tempDir } from './helpers/cli.js';

function folderWith(name: string, content: unknown): string {
  const dir = tempDir();
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<ConfigFileError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigFileError);
  return err as ConfigFileError;
}

const invalid = (json: unknown): ConfigFileError => {
  try {
    parseConfigFile(json, 'job.json', '/jobs');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigFileError);
    return err as ConfigFileError;
  }
  throw new Error(`accepted ${JSON.stringify(json)}`);
};

describe('loadConfigFile: where the file comes from', () => {
  it('reads esprov.config.json from the current folder when no path is given', async () => {
    const dir = folderWith('esprov.config.json', { api: 'dlr', rate: 2 });
    expect(await loadConfigFile(undefined, dir)).toEqual({ path: join(dir, 'esprov.config.json'), values: { api: 'dlr', rate: 2 } });
  });

  it('is undefined when there is no path and no esprov.config.json', async () => {
    expect(await loadConfigFile(undefined, tempDir())).toBeUndefined();
  });

  it('reads the path given, relative to the current folder, and it must exist', async () => {
    const dir = folderWith('job.json', { api: 'unified' });
    expect((await loadConfigFile('job.json', dir))?.values).toEqual({ api: 'unified' });
    const err = await failure(loadConfigFile('nope.json', dir));
    expect(err.code).toBe('CONFIG_FILE_UNREADABLE');
    expect(err.message).toBe('The config file nope.json does not exist: check the path, or leave the option out to use esprov.config.json from the current folder.');
    expect(err).toBeInstanceOf(UsageError);
  });

  it('says a folder or a file it may not read cannot be read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'esprov.config.json'));
    const folder = await failure(loadConfigFile(undefined, dir));
    expect(folder.code).toBe('CONFIG_FILE_UNREADABLE');
    expect(folder.message).toContain('(it is a folder)');
    if (process.getuid?.() !== 0) {
      const locked = folderWith('locked.json', { api: 'dlr' });
      chmodSync(join(locked, 'locked.json'), 0o000);
      const denied = await failure(loadConfigFile('locked.json', locked));
      expect(denied.code).toBe('CONFIG_FILE_UNREADABLE');
      expect(denied.message).toContain('permission denied');
    }
  });

  it('refuses a file that is not JSON, or not an object, naming the file', async () => {
    const broken = await failure(loadConfigFile(undefined, folderWith('esprov.config.json', '{ "api": "dlr", }')));
    expect(broken.code).toBe('CONFIG_FILE_INVALID');
    expect(broken.message).toMatch(/^The config file esprov\.config\.json is not valid JSON \(.+\): fix its syntax\.$/);
    const array = await failure(loadConfigFile(undefined, folderWith('esprov.config.json', '["dlr"]')));
    expect(array.message).toBe('The config file esprov.config.json must hold one JSON object of settings, e.g. {"api": "dlr", "rate": 5}.');
  });

  it('reads a file saved with a byte-order mark', async () => {
    const dir = folderWith('esprov.config.json', '\ufeff{"api":"dlr"}');
    expect((await loadConfigFile(undefined, dir))?.values).toEqual({ api: 'dlr' });
  });

  it("resolves mapping, state, out and logFile against the config file's folder", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'jobs', 'acme.json'), JSON.stringify({ mapping: 'acme-map.json', state: 'state/acme.db', out: '/abs/out.xlsx', logFile: '../logs/acme.log', sheet: 'Sheet 1' }));
    const loaded = await loadConfigFile('jobs/acme.json', dir);
    expect(loaded?.values).toEqual({
      mapping: join(dir, 'jobs', 'acme-map.json'),
      state: join(dir, 'jobs', 'state', 'acme.db'),
      out: '/abs/out.xlsx',
      logFile: join(dir, 'logs', 'acme.log'),
      sheet: 'Sheet 1',
    });
  });
});

describe('parseConfigFile: what the file may say', () => {
  it('accepts every allowed key', () => {
    const all = {
      api: 'dlr',
      account: '9900778',
      baseUrl: 'https://dashboard.bandwidth.com/api',
      mapping: { 'Phone #': 'CallbackNumber' },
      rate: 0,
      concurrency: 16,
      chunkSize: 500,
      pollTimeout: '10m',
      state: '/s.db',
      out: '/o.csv',
      sheet: 'Endpoints',
      maxDelete: '10%',
      logFile: '/l.log',
    };
    expect(Object.keys(all).sort()).toEqual([...CONFIG_FILE_KEYS].sort());
    expect(parseConfigFile(all, 'job.json', '/jobs')).toEqual(all);
    expect(parseConfigFile({ maxDelete: 25, rate: 2.5, pollTimeout: '90s' }, 'job.json')).toEqual({ maxDelete: 25, rate: 2.5, pollTimeout: '90s' });
    expect(parseConfigFile({}, 'job.json')).toEqual({});
  });

  it('refuses an unknown key, naming it and listing the allowed ones', () => {
    const err = invalid({ api: 'dlr', colour: true });
    expect(err.code).toBe('CONFIG_FILE_INVALID');
    expect(err.key).toBe('colour');
    expect(err.message).toBe(
      'The config file job.json has an unknown key "colour": the allowed keys are api, account, baseUrl, mapping, rate, concurrency, chunkSize, pollTimeout, state, out, sheet, maxDelete, logFile.',
    );
  });

  it('suggests the key a misspelt one meant', () => {
    expect(invalid({ chunk_size: 10 }).message).toContain('unknown key "chunk_size" (did you mean "chunkSize"?)');
    expect(invalid({ 'base-url': 'https://x' }).message).toContain('(did you mean "baseUrl"?)');
  });

  it.each(['password', 'token', 'clientSecret', 'username', 'clientId', 'BW_PASSWORD', 'bw_token', 'client_secret', 'apiKey', 'user', 'auth', 'authorization', 'accessToken'])(
    'refuses the credential-looking key %s: credentials come from the environment only',
    (key) => {
      // Checked before anything else, so that the message is about the credential.
      const err = invalid({ unknownThing: 1, [key]: 'hunter2-secret-value' });
      expect(err.code).toBe('CONFIG_FILE_INVALID');
      expect(err.key).toBe(key);
      expect(err.message).toBe(
        `The config file job.json has the key "${key}", but credentials are read from the environment only (BW_USERNAME and BW_PASSWORD, BW_TOKEN, or BW_CLIENT_ID and BW_CLIENT_SECRET): remove it from the file.`,
      );
      expect(err.message).not.toContain('hunter2');
    },
  );

  it('leaves header names in a mapping alone, even ones that look like credentials', () => {
    expect(parseConfigFile({ mapping: { Username: 'CallerName', Token: 'Identifier' } }, 'job.json')).toEqual({ mapping: { Username: 'CallerName', Token: 'Identifier' } });
  });

  it.each([
    [{ api: 'DLR' }, 'api', '"DLR"', '"dlr" (US and Canada) or "unified" (rest of world)'],
    [{ account: 9900778 }, 'account', '9900778', 'the account id as a string, e.g. "9900778"'],
    [{ baseUrl: 'ftp://x' }, 'baseUrl', 'a value', 'an http:// or https:// URL, without a user name or password in it'],
    [{ mapping: { Zip: 5 } }, 'mapping', '{"Zip":5}', 'an object of "customer header": "CanonicalField" pairs, or the path of a mapping JSON file relative to this file'],
    [{ mapping: '' }, 'mapping', '""', 'an object of "customer header": "CanonicalField" pairs, or the path of a mapping JSON file relative to this file'],
    [{ rate: -1 }, 'rate', '-1', 'a number of requests per second, 0 or more (0 for no limit)'],
    [{ rate: '5' }, 'rate', '"5"', 'a number of requests per second, 0 or more (0 for no limit)'],
    [{ concurrency: 0 }, 'concurrency', '0', 'a whole number, 1 or more'],
    [{ chunkSize: 2.5 }, 'chunkSize', '2.5', 'a whole number, 1 or more'],
    [{ pollTimeout: 'ten minutes' }, 'pollTimeout', '"ten minutes"', 'a duration such as "90s", "10m" or "1h"'],
    [{ pollTimeout: 600 }, 'pollTimeout', '600', 'a duration such as "90s", "10m" or "1h"'],
    [{ state: '' }, 'state', '""', 'the path of the state store, e.g. ".esprov/state.db"'],
    [{ out: 3 }, 'out', '3', 'the path of the result file, ending in .csv or .xlsx'],
    [{ sheet: null }, 'sheet', 'null', 'the name of a worksheet'],
    [{ maxDelete: 'lots' }, 'maxDelete', '"lots"', 'a percentage such as "10%" or a whole number of endpoints'],
    [{ maxDelete: -3 }, 'maxDelete', '-3', 'a percentage such as "10%" or a whole number of endpoints'],
    [{ logFile: false }, 'logFile', 'false', 'the path of a log file'],
  ])('refuses %j, naming the key and what it must be', (json, key, value, rule) => {
    const err = invalid(json);
    expect(err.code).toBe('CONFIG_FILE_INVALID');
    expect(err.key).toBe(key);
    expect(err.message).toBe(`The config file job.json sets "${key}" to ${value}, but it must be ${rule}: correct it or remove the key.`);
  });

  it('never repeats a base URL in an error, nor accepts one with a password in it', () => {
    const err = invalid({ baseUrl: 'https://admin:s3cret@example.com/api' });
    expect(err.message).not.toContain('s3cret');
    expect(err.key).toBe('baseUrl');
  });
});

describe('mergeOptions: the command line wins', () => {
  const file = parseConfigFile({ api: 'dlr', rate: 2, chunkSize: 500, out: '/jobs/acme.result.xlsx', mapping: { Phone: 'CallbackNumber' } }, 'job.json');

  it("takes the file's value where no flag is given, the flag's where one is", () => {
    expect(mergeOptions(file, { api: 'unified', rate: undefined, quiet: true, concurrency: '16' })).toEqual({
      api: 'unified',
      rate: 2,
      chunkSize: 500,
      out: '/jobs/acme.result.xlsx',
      mapping: { Phone: 'CallbackNumber' },
      quiet: true,
      concurrency: '16',
    });
  });

  it("lets a flag that is only commander's default give way to the file", () => {
    const defaults = new Set(['chunkSize', 'pollTimeout']);
    expect(mergeOptions(file, { chunkSize: '100', pollTimeout: '10m', rate: '7' }, { isDefault: (k) => defaults.has(k) })).toMatchObject({
      chunkSize: 500,
      pollTimeout: '10m',
      rate: '7',
    });
  });

  it('is the flags alone without a file, and changes neither input', () => {
    const flags = { api: 'dlr', out: undefined };
    expect(mergeOptions(undefined, flags)).toEqual({ api: 'dlr' });
    const merged = mergeOptions(file, flags);
    merged.api = 'changed';
    expect(file.api).toBe('dlr');
    expect(flags).toEqual({ api: 'dlr', out: undefined });
  });
});
