import { describe, expect, it, vi } from 'vitest';
import { createAccessGate, TOKEN_STORAGE_KEY, type AccessGateOptions } from '../../../src-renderer/bridge/access-gate';
import { createHttpBridge } from '../../../src-renderer/bridge/http-bridge';
import { FakeEventSource, manualSchedule } from './fixtures';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

/** The API's answer to `GET /api/v1/access`: only `good` is a token. */
const whoIs: AccessGateOptions['whoIs'] = async (token) =>
  token === 'jdk_good' ? { ok: true, report: { required: true, actor: { name: 'ops', role: 'write' } } } : { ok: false, detail: 'the token is not valid' };

const problem401 = () =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'bound beyond loopback' }), {
    status: 401,
    headers: { 'content-type': 'application/problem+json' },
  });

describe('access gate', () => {
  it('asks on a 401, refuses a token the API refuses, then sends the accepted one and keeps it for the session', async () => {
    const storage = memoryStorage();
    const gate = createAccessGate({ storage, whoIs });
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) =>
      (init?.headers as Record<string, string>).authorization === 'Bearer jdk_good' ? new Response('{"queues":[]}') : problem401(),
    );
    const bridge = createHttpBridge({ fetch: fetch as unknown as typeof globalThis.fetch, access: gate });

    const answer = bridge.listQueues();
    await vi.waitFor(() => expect(gate.snapshot()).toMatchObject({ asking: true, reason: 'bound beyond loopback' }));
    expect(await gate.submit('jdk_bad')).toBe(false);
    expect(gate.snapshot()).toMatchObject({ asking: true, refused: 'the token is not valid' });
    expect(await gate.submit(' jdk_good ')).toBe(true);

    expect(await answer).toEqual({ queues: [] });
    expect(gate.snapshot()).toMatchObject({ asking: false, actor: { name: 'ops', role: 'write' } });
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe('jdk_good');
    gate.forget();
    expect(storage.items.has(TOKEN_STORAGE_KEY)).toBe(false);
  });

  it('puts the token in the query of event streams, and reopens the feed at once when a token arrives', async () => {
    const gate = createAccessGate({ storage: memoryStorage(), whoIs });
    const schedule = manualSchedule();
    const sources: FakeEventSource[] = [];
    const bridge = createHttpBridge({
      baseUrl: 'http://console.test',
      access: gate,
      schedule,
      openEventSource: (url) => {
        const source = new FakeEventSource(url);
        sources.push(source);
        return source;
      },
    });
    bridge.onJobEvent(() => undefined);
    expect(sources[0]!.url).toBe('http://console.test/api/v1/events');
    sources[0]!.fail(2);
    expect(schedule.pending()).toBe(1);
    await gate.submit('jdk_good');
    expect(sources[1]!.url).toBe('http://console.test/api/v1/events?access_token=jdk_good');
    expect(schedule.pending()).toBe(0);
  });

  it("uses the window's launch token from the start, never asking", async () => {
    const gate = createAccessGate({ launchToken: async () => 'jdk_launch', whoIs });
    await gate.ready;
    expect(gate.token()).toBe('jdk_launch');
    expect(gate.snapshot().fromWindow).toBe(true);
    expect(gate.withToken('/api/v1/ws?kind=log')).toBe('/api/v1/ws?kind=log&access_token=jdk_launch');
  });
});
