/** Which Host and Origin the API answers, on the app factory with the guard the console builds. */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { hostGuard } from '../../../src-main/api/host-guard';
import { loadConfig } from '../../../src-main/config';
import { apiForTests } from '../../support/api-app';

const PORT = 8000;
const { allowedHosts } = loadConfig({ JOBDECK_ALLOWED_HOSTS: '[fe80::1],[fd00::2]:8443,fd00::3,jobdeck.test' });
const emptyInbox = { list: async () => ({ items: [], next_cursor: null }) };
const app = apiForTests({ inbox: emptyInbox as never, guard: { host: '127.0.0.1', port: () => PORT, allowedHosts } });

async function statusWithHost(host: string, origin?: string): Promise<number> {
  return (await app().inject({ url: '/api/v1/inbox?limit=1', headers: { host, ...(origin ? { origin } : {}) } })).statusCode;
}

describe('host guard', () => {
  it('accepts allowed IPv6 hosts in brackets, with and without a port, and nothing else', async () => {
    const port = PORT;
    expect(await statusWithHost(`[::1]:${port}`)).toBe(200);
    expect(await statusWithHost(`[fe80::1]:${port}`)).toBe(200);
    expect(await statusWithHost(`[FE80::1]:${port}`)).toBe(200);
    expect(await statusWithHost(`[fd00::3]:${port}`)).toBe(200);
    expect(await statusWithHost('[fd00::2]:8443')).toBe(200);
    expect(await statusWithHost(`jobdeck.test:${port}`)).toBe(200);
    expect(await statusWithHost(`[fd00::2]:${port}`)).toBe(403);
    expect(await statusWithHost(`[fe80::1]:${port + 1}`)).toBe(403);
    expect(await statusWithHost(`evil.test:${port}`)).toBe(403);
    expect(await statusWithHost(`127.0.0.1:${port}`, `http://[fe80::1]:${port}`)).toBe(200);
    expect(await statusWithHost(`127.0.0.1:${port}`, 'http://evil.test')).toBe(403);
  });

  it('brackets an IPv6 listen address when it composes host:port', async () => {
    const api = Fastify();
    api.addHook('onRequest', hostGuard({ host: 'fd00::9', port: () => 8000, allowedHosts: ['[fd00::a]'] }));
    api.get('/', async () => 'ok');
    const statusFor = async (host: string) => (await api.inject({ url: '/', headers: { host } })).statusCode;
    expect(await statusFor('[fd00::9]:8000')).toBe(200);
    expect(await statusFor('fd00::9:8000')).toBe(403);
    expect(await statusFor('[fd00::a]:8000')).toBe(200);
    await api.close();
  });
});
