// A POST held in transit across a kill: the restarted run must not take "not found" for "never
// made" while the request could still arrive. A proxy between the CLI and the sandbox holds the
// first endpoint order POST; the CLI is killed while it is held; the restarted run finds the
// intent, does not find the order yet, waits out the request's lifetime (--request-timeout), finds
// the order the held POST made, and follows it: no identifier is sent twice.

import { spawn } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { CLI, ROOT, readResult, runCli, tempDir } from './helpers/cli.js';

const ENV = { ...process.env, NO_COLOR: '1', BW_USERNAME: DEMO_CREDENTIALS.username, BW_PASSWORD: DEMO_CREDENTIALS.password, BW_TOKEN: '', BW_CLIENT_ID: '', BW_CLIENT_SECRET: '' };
const HOLD_MS = 2_500;

const body = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
  });

describe('a POST held in transit across a kill', () => {
  let sandbox: Sandbox;
  let proxy: Server;
  let proxyUrl = '';
  let held: (() => void) | undefined;
  let holdNext = true;
  const landed: number[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 41 });
    const target = new URL(sandbox.url);
    proxy = createServer(async (req, res) => {
      const payload = await body(req);
      const forward = () => {
        const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', () => res.destroy());
        out.end(payload);
      };
      const isEndpointOrder = req.method === 'POST' && payload.includes('<AlternateEndUserIdentifiers>') && !payload.includes('DeleteTNSpecificE911Address');
      if (isEndpointOrder && holdNext) {
        holdNext = false;
        held?.();
        // Forwarded later, whatever became of the client that sent it.
        setTimeout(() => {
          landed.push(Date.now());
          forward();
        }, HOLD_MS);
        return;
      }
      forward();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await sandbox.close();
  });

  it('the restarted run waits out the request lifetime, finds the order, and sends nothing twice', async () => {
    const dir = tempDir();
    const args = [
      'run',
      'samples/dlr-offices.csv',
      '--api',
      'dlr',
      '--account',
      'held1',
      '--base-url',
      `${proxyUrl}/api`,
      '--state',
      join(dir, 'state.db'),
      '--out',
      join(dir, 'result.csv'),
      '--chunk-size',
      '50',
      '--rate',
      '0',
      '--request-timeout',
      '5s',
      '-q',
    ];
    // First run: killed while its endpoint order POST is held by the proxy.
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: ENV, stdio: 'ignore' });
      held = () => child.kill('SIGKILL');
      child.on('exit', () => resolve());
    });
    const killedAt = Date.now();
    expect(landed).toEqual([]); // the held POST has not reached the API yet
    const ledger = () => sandbox.ledger().accounts.held1!.dlr;
    expect(Object.keys(ledger().aeuis)).toHaveLength(0);
    // Restarted at once: the intent is there, the order not yet.
    const again = await runCli(args, { env: ENV });
    expect(again.code).toBe(1); // the sample's INVALID and REJECTED rows
    expect(landed).toHaveLength(1);
    expect(landed[0]! - killedAt).toBeGreaterThan(0);
    const twice = Object.entries(ledger().identifierSubmissions).filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(ledger().duplicateCustomerOrderIds).toEqual({});
    expect(Object.keys(ledger().aeuis)).toHaveLength(37);
    const rows = readResult(join(dir, 'result.csv'));
    expect(rows.filter((r) => r.result_status === 'PENDING')).toEqual([]);
    expect(rows.filter((r) => r.result_status === 'SUCCESS')).toHaveLength(37);
  });
});
