import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createApi, DEFAULT_BASE_URLS, type Api } from '../../src/api/index.js';
import { send, startServer } from './helpers.js';

const auth = { kind: 'bearer' as const, token: 't' };
const opened: Api[] = [];
afterEach(async () => {
  for (const api of opened.splice(0)) await api.close();
});

describe('createApi', () => {
  it('builds the client of the profile, on the documented default base URLs', () => {
    const dlr = createApi({ profile: 'dlr', accountId: '9900778', auth });
    const unified = createApi({ profile: 'unified', accountId: '9900778', auth });
    opened.push(dlr, unified);
    expect(dlr.dlr).toBeDefined();
    expect(dlr.unified).toBeUndefined();
    expect(unified.unified).toBeDefined();
    expect(DEFAULT_BASE_URLS).toEqual({ dlr: 'https://dashboard.bandwidth.com/api', unified: 'https://dashboard.bandwidth.com/api/v2' });
    expect(dlr.stats()).toMatchObject({ totalCalls: 0, retries: 0, throttled: 0, rateLimitWaitMs: 0 });
  });

  it('refuses plain http except on loopback, and other bad settings', () => {
    const bad = (config: Partial<Parameters<typeof createApi>[0]>) => () => createApi({ profile: 'dlr', accountId: '1', auth, ...config } as Parameters<typeof createApi>[0]);
    expect(bad({ baseUrl: 'http://dashboard.bandwidth.com/api' })).toThrow(expect.objectContaining({ code: 'CONFIG_INSECURE_URL' }));
    expect(bad({ auth: { kind: 'oauth2', clientId: 'c', clientSecret: 's', tokenUrl: 'http://auth.example/token' } })).toThrow(expect.objectContaining({ code: 'CONFIG_INSECURE_URL' }));
    expect(bad({ accountId: '' })).toThrow(ConfigError);
    expect(bad({ accountId: '../x' })).toThrow(ConfigError);
    expect(bad({ rate: -1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(bad({ profile: 'xml' as 'dlr' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    const local = createApi({ profile: 'unified', baseUrl: 'http://127.0.0.1:9/api/v2', accountId: '1', auth });
    opened.push(local);
    expect(local.unified).toBeDefined();
  });

  it('counts calls by kind and closes cleanly', async () => {
    const server = await startServer((_q, res) => send(res, 200, '<E911Orders><TotalCount>0</TotalCount></E911Orders>'));
    const api = createApi({ profile: 'dlr', baseUrl: `${server.url}/api`, accountId: '1', auth, rate: 100 });
    await api.dlr?.findOrdersByCustomerOrderId('x');
    await api.dlr?.findOrdersByCustomerOrderId('y');
    expect(api.stats()).toMatchObject({ calls: { orderList: 2 }, totalCalls: 2, outcomes: { '2xx': 2 } });
    expect(api.currentRate('order')).toBe(100);
    await api.close();
    await expect(api.dlr?.getOrder('z')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await server.close();
  });
});
