import { describe, expect, it, vi } from 'vitest';
import type { JobdeckBridge } from '../../../src-shared/bridge';
import { createBridge } from '../../../src-renderer/bridge';
import type { ConnectionState } from '../../../src-renderer/bridge/console-bridge';
import { createIpcBridge } from '../../../src-renderer/bridge/ipc-bridge';
import { makeJob } from './fixtures';

function preloadApi(): JobdeckBridge & { unsubscribe: () => void } {
  const unsubscribe = vi.fn();
  return {
    submitJob: vi.fn(async () => ({ ok: true as const, job: makeJob() })),
    getJob: vi.fn(async () => null),
    listJobs: vi.fn(async () => ({ items: [], next_cursor: null })),
    onJobEvent: vi.fn(() => unsubscribe),
    unsubscribe,
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
    const listener = () => undefined;
    bridge.onJobEvent(listener)();
    bridge.onConnectionChange((state) => states.push(state));

    expect(api.listJobs).toHaveBeenCalledWith({ limit: 50 });
    expect(api.getJob).toHaveBeenCalledWith('x');
    expect(api.submitJob).toHaveBeenCalledWith({ kind: 'email', payload: {} });
    expect(api.onJobEvent).toHaveBeenCalledWith(listener);
    expect(api.unsubscribe).toHaveBeenCalledTimes(1);
    expect(states).toEqual(['live']);
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
