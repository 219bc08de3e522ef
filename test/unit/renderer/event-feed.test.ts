import { describe, expect, it, vi } from 'vitest';
import type { BatchEvent, ResyncEvent } from '../../../src-shared/events';
import { createEventFeed } from '../../../src-renderer/bridge/event-feed';
import { eventOf, FakeEventSource, makeJob, manualSchedule } from './fixtures';

function setup() {
  const sources: FakeEventSource[] = [];
  const schedule = manualSchedule();
  const feed = createEventFeed({
    url: 'http://console.test/api/v1/events',
    open: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    schedule,
  });
  return { feed, sources, schedule };
}

const batchEvent: BatchEvent = {
  id: '1700000000500-0',
  type: 'batch',
  batch_id: 'b1',
  kind: 'batch',
  status: 'COMPLETED',
  at: '2026-01-01T00:00:00.000Z',
  counts: { DONE: 2 },
  job_ids: ['j1', 'j2'],
};

const resync: ResyncEvent = {
  type: 'resync',
  last_event_id: '1700000000000-0',
  oldest_id: '1700000000900-0',
  resume_after: '0-0',
  reason: 'trimmed',
};

describe('event feed: batch and resync events', () => {
  it('hands `event: batch` frames to batch listeners only, and drops malformed ones with a warning', () => {
    const { feed, sources } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const batches: BatchEvent[] = [];
    const jobs: unknown[] = [];
    feed.onBatchEvent((event) => batches.push(event));
    feed.onJobEvent((event) => jobs.push(event));

    sources[0]!.emit('batch', { ...batchEvent, batch_id: 7 });
    sources[0]!.emit('batch', 'not json');
    sources[0]!.emit('batch', batchEvent, batchEvent.id);

    expect(sources).toHaveLength(1);
    expect(batches).toEqual([batchEvent]);
    expect(jobs).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('opens the stream for a batch listener alone and closes it with the last listener', () => {
    const { feed, sources } = setup();
    const stopBatch = feed.onBatchEvent(() => undefined);
    const stopResync = feed.onResync(() => undefined);
    expect(sources).toHaveLength(1);
    stopBatch();
    expect(sources[0]!.closed).toBe(false);
    stopResync();
    expect(sources[0]!.closed).toBe(true);
  });

  it('resumes after a batch event by its ID', () => {
    const { feed, sources, schedule } = setup();
    feed.onBatchEvent(() => undefined);
    sources[0]!.emit('batch', batchEvent, batchEvent.id);

    sources[0]!.readyState = 2;
    sources[0]!.onerror?.(new Event('error'));
    schedule.advance(1_000);

    expect(sources[1]!.url).toBe(`http://console.test/api/v1/events?last_event_id=${batchEvent.id}`);
  });

  it('tells resync listeners, and no longer asks for the ID the stream lost', () => {
    const { feed, sources, schedule } = setup();
    const resyncs: ResyncEvent[] = [];
    feed.onResync((event) => resyncs.push(event));
    feed.onJobEvent(() => undefined);
    sources[0]!.emit('job', { ...eventOf(makeJob({ createdSecond: 1 })), id: resync.last_event_id });

    sources[0]!.emit('resync', resync, resync.resume_after);
    expect(resyncs).toEqual([resync]);
    sources[0]!.emit('job', { ...eventOf(makeJob({ createdSecond: 2 })), id: '1700000000950-0' });

    sources[0]!.readyState = 2;
    sources[0]!.onerror?.(new Event('error'));
    schedule.advance(1_000);

    expect(sources[1]!.url).toBe('http://console.test/api/v1/events?last_event_id=1700000000950-0');
  });

  it('after a resync with nothing after it, reopens from the stream start rather than the lost ID', () => {
    const { feed, sources, schedule } = setup();
    feed.onResync(() => undefined);
    feed.onJobEvent(() => undefined);
    sources[0]!.emit('job', { ...eventOf(makeJob({ createdSecond: 1 })), id: resync.last_event_id });
    sources[0]!.emit('resync', resync, resync.resume_after);

    sources[0]!.readyState = 2;
    sources[0]!.onerror?.(new Event('error'));
    schedule.advance(1_000);

    expect(sources[1]!.url).toBe('http://console.test/api/v1/events?last_event_id=0-0');
  });
});
