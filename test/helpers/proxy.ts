// A loopback proxy in front of the sandbox, for answers the sandbox never gives: `answer` may answer
// a request itself (a fault, a refusal); `rewrite` may change the sandbox's answer on its way back.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SandboxProxy {
  readonly url: string;
  close(): Promise<void>;
}

export interface ProxyOptions {
  readonly answer?: (method: string, url: string) => { status: number; body: string; type: string } | undefined;
  readonly rewrite?: (method: string, url: string, body: string) => string;
}

export async function startProxy(target: string, options: ProxyOptions): Promise<SandboxProxy> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const own = options.answer?.(method, url);
      if (own !== undefined) {
        res.writeHead(own.status, { 'content-type': own.type });
        res.end(own.body);
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) })
        .then(async (answer) => {
          const text = await answer.text();
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
          res.end(options.rewrite ? options.rewrite(method, url, text) : text);
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
