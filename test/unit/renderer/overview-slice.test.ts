import { describe, expect, it } from 'vitest';
import type { HealthSummary } from '../../../src-shared/console-records';
import { setupStore } from './store-fixture';

describe('overview slice', () => {
  it('says when the health was last checked, answered or not', async () => {
    let now = 1_000;
    const { bridge, store } = setupStore([], { now: () => now });
    const health = { ok: true } as HealthSummary;
    bridge.getHealth.mockResolvedValueOnce(health).mockRejectedValueOnce(new Error('No answer'));

    await store.getState().loadHealth();
    expect(store.getState().health).toEqual({ status: 'loaded', data: health, error: null, at: 1_000 });
    now = 6_000;
    await store.getState().loadHealth();
    expect(store.getState().health).toEqual({ status: 'failed', data: health, error: 'No answer', at: 6_000 });
  });
});
