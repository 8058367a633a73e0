// `esprov sandbox`: run the simulator in the foreground until SIGINT / SIGTERM.

import { resolveCredentials } from './auth.js';
import { FAULT_PROFILES, type FaultProfileName } from './faults.js';
import { DEMO_ACCOUNT_ID, startSandbox } from './index.js';

export interface SandboxCommandOptions {
  port?: number;
  faults?: string;
  latencyMs?: number;
  seed?: number;
  dataFile?: string;
}

export async function runSandboxCommand(opts: SandboxCommandOptions): Promise<void> {
  const faults = opts.faults ?? 'none';
  if (!(faults in FAULT_PROFILES)) {
    throw new Error(`unknown fault profile "${faults}"; use one of ${Object.keys(FAULT_PROFILES).join(', ')}`);
  }
  const sandbox = await startSandbox({
    ...(opts.port === undefined ? {} : { port: opts.port }),
    faults: faults as FaultProfileName,
    ...(opts.latencyMs === undefined ? {} : { latencyMs: opts.latencyMs }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.dataFile === undefined ? {} : { dataFile: opts.dataFile }),
  });
  const credentials = resolveCredentials(undefined);
  const env = process.env;
  const fromEnv = [env.BW_USERNAME, env.BW_PASSWORD, env.BW_TOKEN, env.BW_CLIENT_ID].some((value) => value !== undefined);
  const lines = [
    `esprov sandbox listening on ${sandbox.url}`,
    `  dlr base URL:     ${sandbox.url}/api`,
    `  unified base URL: ${sandbox.url}/api/v2 (add region=ROW)`,
    `  account:          any id, e.g. ${DEMO_ACCOUNT_ID}`,
    fromEnv
      ? '  credentials:      those of this environment (BW_USERNAME / BW_PASSWORD / BW_TOKEN / BW_CLIENT_ID + BW_CLIENT_SECRET)'
      : `  credentials:      BW_USERNAME=${credentials.username} BW_PASSWORD=${credentials.password} (or BW_TOKEN=${credentials.token})`,
    `  faults:           ${faults}${opts.dataFile === undefined ? '' : `; data file ${opts.dataFile}`}`,
    `  ledger:           ${sandbox.url}/_sandbox/ledger`,
  ];
  process.stdout.write(lines.join('\n') + '\n');

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void sandbox.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
