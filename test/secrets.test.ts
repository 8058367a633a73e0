// Credentials never reach the logs, the result file, the state store or error text.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/sandbox/index.js';
import { runCli, tempDir } from './helpers/cli.js';

describe('secrets', () => {
  it('appear in no log, result, state file or message, whether the run succeeds or is refused', async () => {
    const password = 'S3cret-Pa55word-9f2c1e';
    const basic = Buffer.from(`ops-user:${password}`).toString('base64');
    const sandbox = await startSandbox({ credentials: { username: 'ops-user', password, token: 'tok-never-shown-77' } });
    try {
      const dir = tempDir();
      const base = ['--api', 'dlr', '--account', '5001', '--base-url', `${sandbox.url}/api`, '--state', join(dir, 'state.db'), '--log-file', join(dir, 'run.log'), '--rate', '0'];
      const ok = await runCli(['run', 'samples/dlr-offices.csv', ...base, '--out', join(dir, 'ok.csv')], {
        env: { BW_USERNAME: 'ops-user', BW_PASSWORD: password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' },
      });
      expect(ok.code).toBe(1);
      const refused = await runCli(['run', 'samples/dlr-offices.csv', ...base, '--out', join(dir, 'refused.csv'), '--state', join(dir, 'other.db')], {
        env: { BW_USERNAME: '', BW_PASSWORD: '', BW_TOKEN: 'tok-wrong-secret-55', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' },
      });
      expect(refused.code).toBe(2);
      // import-state and export read the account with the same credentials: into a store, a file, a log.
      const env = { BW_USERNAME: 'ops-user', BW_PASSWORD: password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
      const account = ['--api', 'dlr', '--account', '5001', '--base-url', `${sandbox.url}/api`, '--rate', '0', '--verbose'];
      const imported = await runCli(['import-state', ...account, '--state', join(dir, 'imported.db'), '--log-file', join(dir, 'import.log')], { env });
      expect(imported.code).toBe(0);
      const exported = await runCli(['export', ...account, '--state', join(dir, 'imported.db'), '--out', join(dir, 'export.csv'), '--log-file', join(dir, 'export.log')], { env });
      expect(exported.code).toBe(0);
      const refusedImport = await runCli(['import-state', ...account, '--state', join(dir, 'refused-import.db')], {
        env: { ...env, BW_USERNAME: '', BW_PASSWORD: '', BW_TOKEN: 'tok-wrong-secret-55' },
      });
      expect(refusedImport.code).toBe(2);
      expect(refusedImport.stderr).toContain('AUTH_FAILED');
      const texts = [ok.stdout, ok.stderr, refused.stdout, refused.stderr, imported.stderr, exported.stderr, refusedImport.stderr];
      for (const f of readdirSync(dir)) texts.push(readFileSync(join(dir, f)).toString('latin1'));
      expect(readFileSync(join(dir, 'run.log'), 'utf8')).toContain('"status"'); // the log has the calls
      expect(readFileSync(join(dir, 'import.log'), 'utf8')).toContain('aeuis');
      for (const t of texts) {
        expect(t).not.toContain(password);
        expect(t).not.toContain(basic);
        expect(t).not.toContain('tok-wrong-secret-55');
      }
    } finally {
      await sandbox.close();
    }
  });
});
