import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSandboxCommand } from '../../src/sandbox/command.js';
import { eventually } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('esprov sandbox (runSandboxCommand)', () => {
  it('prints its URL and the credentials to use, serves until SIGINT, then stops', async () => {
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    const running = runSandboxCommand({ faults: 'none', seed: 7 });
    const url = await eventually(async () => /esprov sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1]);
    expect(printed).toMatch(/9900000/);
    expect(printed).toMatch(/BW_USERNAME=\S+ BW_PASSWORD=\S+|BW_USERNAME \/ BW_PASSWORD/);
    const health = await request(`${url}/_sandbox/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    process.emit('SIGINT');
    await running;
    await expect(request(`${url}/_sandbox/health`)).rejects.toThrow();
  });

  it('refuses an unknown fault profile', async () => {
    await expect(runSandboxCommand({ faults: 'sometimes' })).rejects.toThrow(/unknown fault profile/);
  });
});
