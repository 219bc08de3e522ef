import { describe, expect, it } from 'vitest';
import type { WorkerProcessInfo, WorkersReport } from '../../../src-shared/console-records';
import type { WorkerHeartbeat } from '../../../src-shared/worker-heartbeat';
import { withOtherWorkers } from '../../../src-main/supervisor/worker-roster';

const NOW = Date.parse('2026-01-01T00:01:00.000Z');

function beat(name: string, supervisor: string | null): WorkerHeartbeat {
  const [host, pid] = name.split('/');
  return {
    name,
    host: host!,
    pid: Number(pid),
    kinds: ['callback'],
    state: 'ready',
    started_at: '2026-01-01T00:00:00.000Z',
    memory_rss_bytes: 70_000_000,
    processed: 4,
    failed: 1,
    retried: 2,
    current_job: null,
    supervisor,
    slot: supervisor ? 'callback-1' : null,
  };
}

const ownSlot = { name: 'here/10', slot: 'log-1', runs: 'this-console', kinds: ['log'] } as WorkerProcessInfo;
const own: WorkersReport = { workers: [ownSlot], counts: { log: 1, callback: 0, email: 0 }, max_per_kind: 16, supervised: true, elsewhere_unknown: false };

describe('withOtherWorkers', () => {
  it('appends the workers of other consoles and those started by hand, after this console\'s slots', () => {
    const report = withOtherWorkers(own, [beat('there/30', 'other-console-id'), beat('there/20', null)], 'this-console-id', NOW);
    expect(report.workers.map((w) => [w.name, w.runs])).toEqual([
      ['here/10', 'this-console'],
      ['there/20', 'standalone'],
      ['there/30', 'other-console'],
    ]);
    expect(report.workers[1]).toMatchObject({ slot: null, host: 'there', pid: 20, uptime_ms: 60_000, processed: 4, failed: 1, retried: 2, restarts: null });
  });

  it("leaves out this console's own heartbeats, a killed process's lingering one too", () => {
    const report = withOtherWorkers(own, [beat('here/10', 'this-console-id'), beat('here/9', 'this-console-id')], 'this-console-id', NOW);
    expect(report.workers).toEqual([ownSlot]);
  });

  it('says when the heartbeats could not be read, listing its own slots only', () => {
    expect(withOtherWorkers(own, null, 'this-console-id', NOW)).toEqual({ ...own, elsewhere_unknown: true });
  });
});
