// The config file and --errors-out through the real CLI.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

describe('esprov.config.json', () => {
  it('supplies the profile and mapping, flags win over it, and a credential in it is refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'export.csv'), 'Device,Name,Phone,No,Street,Town,Province,Postcode\nRDUhq00000000001,Reception,9195552101,900,Main Campus Dr,Raleigh,NC,27606\n');
    writeFileSync(
      join(dir, 'esprov.config.json'),
      JSON.stringify({ api: 'dlr', mapping: { Device: 'Identifier', No: 'HouseNumber', Town: 'City', Postcode: 'Zip', Street: 'StreetName', Phone: 'CallbackNumber' }, out: 'from-config.csv' }),
    );
    const viaFile = await runCli(['check', 'export.csv'], { cwd: dir });
    expect(viaFile.code).toBe(0);
    expect(readResult(join(dir, 'from-config.csv'))[0]?.result_status).toBe('VALID');
    const flagWins = await runCli(['check', 'export.csv', '--out', 'from-flag.csv'], { cwd: dir });
    expect(flagWins.code).toBe(0);
    expect(readResult(join(dir, 'from-flag.csv'))).toHaveLength(1);
    const unified = await runCli(['check', 'export.csv', '--api', 'unified'], { cwd: dir });
    expect(unified.code).toBe(2); // the mapping names dlr fields
    writeFileSync(join(dir, 'esprov.config.json'), JSON.stringify({ api: 'dlr', password: 'do-not-echo-me' }));
    const refused = await runCli(['check', 'export.csv'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('credentials are read from the environment only');
    expect(refused.stderr).not.toContain('do-not-echo-me');
  });
});

describe('a refused run with a config file', () => {
  it("writes its --summary-json with the config file's state store and result file, as the run would have used them", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'esprov.config.json'), JSON.stringify({ api: 'dlr', state: 'stores/nightly.db', out: 'nightly-result.csv' }));
    const r = await runCli(['run', 'missing.csv', '--sandbox', '--summary-json', 'summary.json'], { cwd: dir });
    expect(r.code).toBe(2);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { state?: string; output?: string; error?: { code?: string } };
    expect(summary.error?.code).toBe('INPUT_NOT_FOUND');
    expect(summary.state).toBe(join(dir, 'stores/nightly.db'));
    expect(summary.output).toMatch(/(^|\/)nightly-result\.csv$/);
  });
});

describe('--errors-out', () => {
  it('writes only the rows that need a person; fixed and fed back in, they pass', async () => {
    const dir = tempDir();
    const fix = join(dir, 'fix.csv');
    const run = await runCli(['check', join(ROOT, 'samples/dlr-offices.csv'), '--api', 'dlr', '--out', join(dir, 'all.csv'), '--errors-out', fix]);
    expect(run.code).toBe(1);
    const rows = readResult(fix);
    expect(rows).toHaveLength(11);
    expect(rows.every((r) => r.result_status === 'INVALID')).toBe(true);
    // Fix the 9-digit callback number and feed the file back in.
    const text = readFileSync(fix, 'utf8').replace('303555240', '3035552409');
    mkdirSync(join(dir, 'again'));
    writeFileSync(join(dir, 'again', 'fixed.csv'), text);
    await runCli(['check', join(dir, 'again', 'fixed.csv'), '--api', 'dlr', '--out', join(dir, 'again', 'result.csv')]);
    const again = readResult(join(dir, 'again', 'result.csv'));
    expect(again.find((r) => r['Endpoint ID'] === 'DENtech00000000003')?.result_status).toBe('VALID');
    expect(Object.keys(again[0]!).filter((k) => k === 'result_status')).toHaveLength(1); // old result columns dropped
  });
});
