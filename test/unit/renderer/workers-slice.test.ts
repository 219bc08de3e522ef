import { describe, expect, it } from 'vitest';
import type { WorkersReport } from '../../../src-shared/console-records';
import { problem, setupStore } from './store-fixture';

describe('workers slice', () => {
  const report: WorkersReport = {
    workers: [
      {
        name: 'host/42',
        slot: 'log-1',
        runs: 'this-console',
        host: 'host',
        kinds: ['log'],
        pid: 42,
        state: 'ready',
        current_job: null,
        processed: 3,
        failed: 0,
        retried: 0,
        started_at: '2025-01-01T00:00:00.000Z',
        uptime_ms: 1000,
        memory_rss_bytes: 50_000_000,
        restarts: 0,
      },
    ],
    counts: { log: 1, callback: 0, email: 0 },
    max_per_kind: 16,
    supervised: true,
    elsewhere_unknown: false,
  };

  it('loads the list, and keeps it with an error when a later load fails', async () => {
    const { store, bridge } = setupStore();
    bridge.listWorkers.mockResolvedValueOnce(report);
    await store.getState().loadWorkers();
    bridge.listWorkers.mockRejectedValueOnce(new Error('No answer to GET /api/v1/workers'));
    await store.getState().loadWorkers();
    expect(store.getState().workers.data).toBe(report);
    expect(store.getState().workers.error).toContain('No answer');
  });

  it('takes the report a scale answers, and keeps a refusal naming the field', async () => {
    const { store, bridge } = setupStore();
    const scaled = { ...report, counts: { ...report.counts, email: 2 } };
    bridge.scaleWorkers.mockResolvedValueOnce({ ok: true, report: scaled });
    expect(await store.getState().scaleWorkers('email', 2)).toBe(true);
    expect(bridge.scaleWorkers).toHaveBeenCalledWith('email', 2);
    expect(store.getState().workers.data).toBe(scaled);

    const refusal = { ...problem(400, 'the request is not valid'), errors: [{ field: 'count', rule: 'max', message: 'count must be at most 16' }] };
    bridge.scaleWorkers.mockResolvedValueOnce({ ok: false, problem: refusal });
    expect(await store.getState().scaleWorkers('email', 17)).toBe(false);
    expect(store.getState().workerAction).toEqual({ target: 'email', pending: false, problem: refusal, answer: null });
    expect(store.getState().workers.data).toBe(scaled);
  });
});
