import { describe, expect, it } from 'vitest';
import { computeJobTiming } from '../../../src-shared/job-timing';
import { timeBars } from '../../../src-renderer/views/jobs/time-bars';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const describeMs = (ms: number | null): string => (ms === null ? 'open' : `${ms} ms`);

describe('timeBars', () => {
  it('lays a retried job on one axis from created_at to its last bar, not to the read', () => {
    const timing = computeJobTiming({
      job: {
        created_at: at(0), status: 'DONE', next_attempt_at: null, run_at: null, attempts: 2,
        transitions: [
          { status: 'QUEUED', at: at(0), worker: 'api' },
          { status: 'STARTED', at: at(100), worker: 'w/1' },
          { status: 'RETRYING', at: at(400), worker: 'w/1' },
          { status: 'STARTED', at: at(1400), worker: 'w/1' },
          { status: 'DONE', at: at(1500), worker: 'w/1' },
        ],
        attempt_errors: [{ attempt: 1, at: at(400), error: 'HTTP 500' }],
      },
      logs: [{ attempt: 2, at: at(1490), line: 'POST answered 200 in 20 ms [effect_ms=20]' }],
      deliveries: [],
      now: T0 + 60_000,
    });
    const { bars, span } = timeBars(timing, describeMs);
    expect(span).toBe(1500);
    expect(bars.map((bar) => [bar.label, bar.from, bar.to])).toEqual([
      ['Queue wait', 0, 100],
      ['Attempt 1 · failed', 100, 400],
      ['Retry wait', 400, 1400],
      ['Attempt 2 · done', 1400, 1500],
    ]);
    expect(bars[3]!.inner).toEqual([{ from: 1470, to: 1490, ms: 20 }]);
    expect(bars[3]!.description).toBe('Attempt 2 · done: 100 ms, of which the effect 20 ms, on w/1');
  });

  it('shows a given-back run and its rerun, which share a number, as two bars with the outage wait between', () => {
    const timing = computeJobTiming({
      job: {
        created_at: at(0), status: 'DONE', next_attempt_at: null, run_at: null, attempts: 1,
        transitions: [
          { status: 'QUEUED', at: at(0), worker: 'api' },
          { status: 'STARTED', at: at(100), worker: 'w/1' },
          { status: 'QUEUED', at: at(200), worker: 'w/1', note: 'attempt 1 given back, not counted: PostgreSQL unreachable' },
          { status: 'STARTED', at: at(900), worker: 'w/2' },
          { status: 'DONE', at: at(1000), worker: 'w/2' },
        ],
        attempt_errors: [],
      },
      logs: [], deliveries: [], now: T0 + 60_000,
    });
    const { bars } = timeBars(timing, describeMs);
    expect(bars.map((bar) => [bar.label, bar.from, bar.to])).toEqual([
      ['Queue wait', 0, 100],
      ['Attempt 1 · given back, not counted', 100, 200],
      ['Outage wait', 200, 900],
      ['Attempt 1 · done', 900, 1000],
    ]);
    expect(new Set(bars.map((bar) => bar.key)).size).toBe(bars.length);
  });

  it('runs an open bar to as_of, and says it still goes on', () => {
    const timing = computeJobTiming({
      job: { created_at: at(0), status: 'QUEUED', next_attempt_at: null, run_at: null, attempts: 0, transitions: [{ status: 'QUEUED', at: at(0), worker: 'api' }], attempt_errors: [] },
      logs: [], deliveries: [], now: T0 + 2_000,
    });
    const { bars, span } = timeBars(timing, describeMs);
    expect(span).toBe(2000);
    expect(bars).toMatchObject([{ label: 'Queue wait', to: null, description: 'Queue wait: 2000 ms, still going' }]);
  });
});
