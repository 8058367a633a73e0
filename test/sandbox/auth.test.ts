import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCredentials } from '../../src/sandbox/auth.js';
import { DEMO_CREDENTIALS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, dlrPath, sleep, unifiedPath, xml } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ tokenTtlSeconds: 1 });
});
afterAll(async () => {
  await sandbox.close();
});

const basic = (user: string, password: string): string => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

async function token(form: string, authorization?: string): Promise<{ status: number; json: any }> {
  const res = await request(`${sandbox.url}/api/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization === undefined ? {} : { authorization }) },
    body: form,
  });
  return { status: res.statusCode, json: await res.body.json() };
}

describe('authentication', () => {
  it('answers 401 with the DLR XML ResponseStatus when credentials are missing or wrong', async () => {
    for (const authorization of [undefined, basic('demo', 'wrong'), 'Bearer nope']) {
      const res = await request(sandbox.url + dlrPath('aeuis'), { headers: authorization === undefined ? {} : { authorization } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(xml(await res.body.text()).ResponseStatus.Description).toMatch(/credentials/);
    }
  });

  it('answers 401 with the unified error body (206401) when credentials are missing', async () => {
    const res = await request(sandbox.url + unifiedPath('addresses'));
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toEqual({
      errors: [{ type: 'authentication-credentials', description: 'Invalid or missing credentials.', code: 206401, source: { header: 'Authorization' } }],
    });
  });

  it('accepts Basic with the demo credentials and Bearer with the demo token', async () => {
    expect((await call(sandbox, 'GET', dlrPath('e911s'))).status).toBe(200);
    expect((await call(sandbox, 'GET', unifiedPath('addresses'), undefined, { authorization: `Bearer ${DEMO_CREDENTIALS.token}` })).status).toBe(200);
  });

  it('issues OAuth2 client-credentials tokens that work as Bearer until they expire', async () => {
    const issued = await token('grant_type=client_credentials', basic('demo', 'demo-password'));
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
    const bearer = { authorization: `Bearer ${issued.json.access_token as string}` };
    expect((await call(sandbox, 'GET', dlrPath('e911s'), undefined, bearer)).status).toBe(200);
    expect((await call(sandbox, 'GET', unifiedPath('orders'), undefined, bearer)).status).toBe(200);
    await sleep(1100);
    expect((await call(sandbox, 'GET', dlrPath('e911s'), undefined, bearer)).status).toBe(401);
  });

  it('accepts client id and secret in the form body too, and refuses wrong ones or another grant type', async () => {
    expect((await token('grant_type=client_credentials&client_id=demo&client_secret=demo-password')).status).toBe(200);
    const wrong = await token('grant_type=client_credentials', basic('demo', 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    expect((await token('grant_type=password', basic('demo', 'demo-password'))).json.error).toBe('unsupported_grant_type');
  });

  it('uses the credentials it is given, then BW_* from the environment, then the demo ones', async () => {
    expect(resolveCredentials(undefined, {})).toEqual(DEMO_CREDENTIALS);
    expect(resolveCredentials(undefined, { BW_USERNAME: 'u', BW_PASSWORD: 'p', BW_TOKEN: 't' })).toStrictEqual({ username: 'u', password: 'p', token: 't' });
    expect(resolveCredentials(undefined, { BW_CLIENT_ID: 'cid', BW_CLIENT_SECRET: 'cs' }).client).toEqual({ id: 'cid', secret: 'cs' });
    expect(resolveCredentials({ username: 'x' }, { BW_CLIENT_ID: 'cid', BW_CLIENT_SECRET: 'cs' }).client).toBeUndefined();
    const custom = await startSandbox({ credentials: { username: 'alice', password: 's3cret', token: 'tok' } });
    try {
      expect((await call(custom, 'GET', dlrPath('e911s'))).status).toBe(401);
      expect((await call(custom, 'GET', dlrPath('e911s'), undefined, { authorization: basic('alice', 's3cret') })).status).toBe(200);
      expect((await call(custom, 'GET', dlrPath('e911s'), undefined, { authorization: 'Bearer tok' })).status).toBe(200);
    } finally {
      await custom.close();
    }
  });

  it('refuses to listen on anything but loopback', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('region and unknown paths', () => {
  it('requires region=ROW on every unified call', async () => {
    const missing = await call(sandbox, 'GET', '/api/v2/accounts/9900000/emergency/addresses');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).errors[0]).toMatchObject({ type: 'bad-request', code: 205617, source: { parameter: 'region' } });
    const na = await call(sandbox, 'GET', '/api/v2/accounts/9900000/emergency/addresses?region=NA');
    expect(na.status).toBe(403);
    expect((await call(sandbox, 'GET', '/api/v2/accounts/9900000/emergency/addresses?region=EU')).status).toBe(400);
  });

  it("answers 404 and 405 in each API's own format", async () => {
    const dlrMissing = await call(sandbox, 'GET', dlrPath('nothing-here'));
    expect(dlrMissing.status).toBe(404);
    expect(xml(dlrMissing.text).ResponseStatus.Description).toBe('The resource does not exist');
    expect((await call(sandbox, 'DELETE', dlrPath('e911s'))).status).toBe(405);
    const unifiedMissing = await call(sandbox, 'GET', unifiedPath('nothing'));
    expect(JSON.parse(unifiedMissing.text).errors[0].code).toBe(50420);
    const unifiedMethod = await call(sandbox, 'PUT', unifiedPath('addresses'));
    expect(unifiedMethod.status).toBe(405);
    expect(JSON.parse(unifiedMethod.text).errors[0]).toMatchObject({ code: 205621, meta: { method: 'PUT' } });
  });

  it('outside the API roots a web server answers, not the API: an HTML 404 (a base URL without /api)', async () => {
    for (const path of ['/accounts/9900000/aeuis', '/v2/accounts/9900000/emergency/addresses?region=ROW']) {
      const missing = await call(sandbox, 'GET', path);
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toMatch(/text\/html/);
      expect(missing.text).toMatch(/^<!DOCTYPE html>/);
    }
  });

  it("given its accounts, answers any other account 403 in each API's format", async () => {
    const only = await startSandbox({ accounts: ['9900000'] });
    try {
      expect((await call(only, 'GET', dlrPath('aeuis'))).status).toBe(404); // known and empty
      const dlrOther = await call(only, 'GET', dlrPath('aeuis', '9900001'));
      expect(dlrOther.status).toBe(403);
      expect(xml(dlrOther.text).ResponseStatus.Description).toMatch(/no access to this account/);
      const unifiedOther = await call(only, 'GET', unifiedPath('addresses', '9900001'));
      expect(unifiedOther.status).toBe(403);
      expect(JSON.parse(unifiedOther.text).errors[0]).toMatchObject({ type: 'resource-permissions', code: 109107 });
    } finally {
      await only.close();
    }
  });
});
