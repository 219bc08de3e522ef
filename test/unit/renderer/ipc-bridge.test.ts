import { describe, expect, it, vi } from 'vitest';
import type { JobdeckBridge } from '../../../src-shared/bridge';
import type { BatchEvent, JobEvent, ResyncEvent } from '../../../src-shared/events';
import { createBridge } from '../../../src-renderer/bridge';
import type { ConnectionState } from '../../../src-renderer/store/connection-state';
import { createIpcBridge } from '../../../src-renderer/bridge/ipc-bridge';
import { eventOf, makeJob } from './fixtures';

function preloadApi(): JobdeckBridge & {
  unsubscribe: () => void;
  send: (message: unknown) => void;
  sendOn: (channel: 'batch' | 'resync', message: unknown) => void;
} {
  const unsubscribe = vi.fn();
  const listeners: ((event: JobEvent) => void)[] = [];
  const channelListeners = { batch: [] as ((message: never) => void)[], resync: [] as ((message: never) => void)[] };
  const notUsed = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    submitJob: vi.fn(async () => ({ ok: true as const, job: makeJob() })),
    getJob: vi.fn(async () => null),
    listJobs: vi.fn(async () => ({ items: [], next_cursor: null })),
    cancelJob: vi.fn(async () => ({ ok: true as const, job: makeJob() })),
    retryJob: vi.fn(async () => ({ ok: true as const, job: makeJob() })),
    listWorkers: vi.fn(async () => ({ workers: [], counts: { log: 0, callback: 0, email: 0 }, max_per_kind: 16, supervised: true })),
    scaleWorkers: vi.fn(async () => ({ ok: false as const, problem: { type: 'about:blank', title: 'x', status: 409, detail: '' } })),
    restartWorker: vi.fn(async () => ({ ok: false as const, problem: { type: 'about:blank', title: 'x', status: 404, detail: '' } })),
    stopWorker: vi.fn(async () => ({ ok: false as const, problem: { type: 'about:blank', title: 'x', status: 404, detail: '' } })),
    getHealth: vi.fn(async () => {
      throw new Error('not used');
    }),
    listMail: vi.fn(async () => ({ items: [], next_cursor: null })),
    getMail: vi.fn(async () => null),
    listWebhooks: vi.fn(async () => ({ items: [], next_cursor: null })),
    getWebhook: vi.fn(async () => null),
    listQueues: vi.fn(async () => ({ queues: [] })),
    getSettings: vi.fn(async () => {
      throw new Error('not used');
    }),
    purgeQueue: vi.fn(async () => ({ ok: true as const, result: { kind: 'log' as const, purged: 0, cancelled: 0 } })),
    onJobEvent: vi.fn((listener: (event: JobEvent) => void) => {
      listeners.push(listener);
      return unsubscribe;
    }),
    onBatchEvent: vi.fn((listener) => {
      channelListeners.batch.push(listener as (message: never) => void);
      return unsubscribe;
    }),
    onResync: vi.fn((listener) => {
      channelListeners.resync.push(listener as (message: never) => void);
      return unsubscribe;
    }),
    listBatches: vi.fn(async () => ({ items: [], next_cursor: null })),
    getBatch: vi.fn(async () => null),
    createBatch: vi.fn(notUsed),
    listSubscriptions: vi.fn(async () => ({ items: [], next_cursor: null })),
    createSubscription: vi.fn(notUsed),
    deleteSubscription: vi.fn(async () => ({ ok: true as const })),
    listDeliveries: vi.fn(async () => ({ items: [], next_cursor: null })),
    redeliver: vi.fn(notUsed),
    getApiDocument: vi.fn(notUsed),
    unsubscribe,
    /** What main would send over IPC: anything, as far as the page can tell. */
    send: (message) => listeners.forEach((listener) => listener(message as JobEvent)),
    sendOn: (channel, message) => channelListeners[channel].forEach((listener) => listener(message as never)),
  };
}

describe('ipc bridge', () => {
  it('passes each verb to the preload and reports the feed as live', async () => {
    const api = preloadApi();
    const bridge = createIpcBridge(api);
    const states: ConnectionState[] = [];

    await bridge.listJobs({ limit: 50 });
    await bridge.getJob('x');
    await bridge.submitJob({ kind: 'email', payload: {} });
    await bridge.getMail('7');
    await bridge.getWebhook('8');
    bridge.onJobEvent(() => undefined)();
    bridge.onConnectionChange((state) => states.push(state));

    expect(api.listJobs).toHaveBeenCalledWith({ limit: 50 });
    expect(api.getJob).toHaveBeenCalledWith('x');
    expect(api.getMail).toHaveBeenCalledWith('7');
    expect(api.getWebhook).toHaveBeenCalledWith('8');
    expect(api.submitJob).toHaveBeenCalledWith({ kind: 'email', payload: {} });
    expect(api.onJobEvent).toHaveBeenCalledTimes(1);
    expect(api.unsubscribe).toHaveBeenCalledTimes(1);
    expect(states).toEqual(['live']);
  });

  it('passes job events on and drops malformed ones with a warning', () => {
    const api = preloadApi();
    const received: JobEvent[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    createIpcBridge(api).onJobEvent((event) => received.push(event));
    const good = eventOf(makeJob({ createdSecond: 1 }));

    api.send(null);
    api.send({ ...good, job: { ...good.job, status: 'LOST' } });
    api.send({ ...good, job: { ...good.job, transitions: null } });
    api.send(good);

    expect(received).toEqual([good]);
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });
});

describe('ipc bridge: batch and resync events', () => {
  it('passes batch fan-ins and resyncs on their own subscriptions, dropping malformed ones', () => {
    const api = preloadApi();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bridge = createIpcBridge(api);
    const batches: BatchEvent[] = [];
    const resyncs: ResyncEvent[] = [];
    const stopBatches = bridge.onBatchEvent((event) => batches.push(event));
    bridge.onResync((event) => resyncs.push(event));
    const batch: BatchEvent = {
      id: '5-0',
      type: 'batch',
      batch_id: 'b1',
      kind: 'batch',
      status: 'COMPLETED',
      at: '2026-01-01T00:00:00.000Z',
      counts: { DONE: 1, FAILED: 1 },
      job_ids: ['j1', 'j2'],
    };
    const resync: ResyncEvent = { type: 'resync', last_event_id: '1-0', oldest_id: null, resume_after: '0-0', reason: 'unknown-id' };

    api.sendOn('batch', { ...batch, counts: null });
    api.sendOn('batch', batch);
    api.sendOn('resync', { type: 'resync' });
    api.sendOn('resync', resync);
    stopBatches();

    expect(batches).toEqual([batch]);
    expect(resyncs).toEqual([resync]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(api.unsubscribe).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});

describe('createBridge', () => {
  it('uses IPC when the preload set window.jobdeck, HTTP otherwise', async () => {
    const api = preloadApi();
    await createBridge({ jobdeck: api } as unknown as Window).listJobs({ limit: 1 });
    expect(api.listJobs).toHaveBeenCalledTimes(1);

    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('{"items":[],"next_cursor":null}'));
    try {
      await createBridge({} as Window).listJobs({ limit: 1 });
      expect(fetch).toHaveBeenCalledWith('/api/v1/jobs?limit=1', expect.anything());
    } finally {
      fetch.mockRestore();
    }
  });
});
