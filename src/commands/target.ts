// Where a command's calls go: the configured API, or a sandbox started in this process on loopback.

import type { Logger } from 'pino';
import { authFromEnv, type AuthConfig } from '../api/auth.js';
import type { Api } from '../api/index.js';
import type { AccountConfig } from '../config.js';
import { closeLog, createLogger } from '../output/log.js';
import { profileOf } from '../profiles/index.js';

export interface Target {
  readonly baseUrl: string | undefined;
  readonly account: string;
  readonly auth: AuthConfig;
  close(): Promise<void>;
}

/** Where the run goes: the configured API, or a sandbox started here on loopback. */
export async function target(config: AccountConfig): Promise<Target> {
  if (!config.sandbox) {
    return { baseUrl: config.baseUrl, account: config.account!, auth: authFromEnv(config.env), close: async () => {} };
  }
  const { startSandbox, DEMO_CREDENTIALS, DEMO_ACCOUNT_ID } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ dataFile: config.state.replace(/\.db$/, '') + '-sandbox.json', credentials: DEMO_CREDENTIALS });
  return {
    baseUrl: `${sandbox.url}${profileOf(config.profile).sandboxRoot}`,
    account: config.account ?? DEMO_ACCOUNT_ID,
    auth: { kind: 'basic', username: DEMO_CREDENTIALS.username, password: DEMO_CREDENTIALS.password },
    close: () => sandbox.close(),
  };
}

export interface Session {
  readonly api: Api;
  readonly account: string;
  readonly logger: Logger;
  close(): Promise<void>;
}

/** The API client of a command that reads or writes an account, with its logger; close() ends both and the sandbox. */
export async function openSession(config: AccountConfig, runId: string, stderr: NodeJS.WritableStream): Promise<Session> {
  const where = await target(config);
  const logger = createLogger({ logFile: config.logFile, verbose: config.verbose, runId, stderr });
  const { createApi } = await import('../api/index.js');
  const api = createApi({
    profile: config.profile,
    ...(where.baseUrl ? { baseUrl: where.baseUrl } : {}),
    accountId: where.account,
    auth: where.auth,
    ...(config.rate !== undefined ? { rate: config.rate } : {}),
    logger,
    connections: Math.max(16, config.concurrency * 2),
  });
  return {
    api,
    account: where.account,
    logger,
    close: async () => {
      await api.close();
      await where.close();
      await closeLog(logger);
    },
  };
}
