import { describe, expect, it } from 'vitest';
import type { ResyncEvent, StreamEvent } from '../../../src-shared/events';
import { EventFeed, type FeedSink } from '../../../src-main/relay/event-feed';
import type { EventRelay } from '../../../src-main/relay/event-relay';

const event = (id: string, job_id = 'j'): StreamEvent =>
  ({ id, type: 'job', job_id, kind: 'log', status: 'QUEUED', version: 1, job: {} }) as unknown as StreamEvent;

/** A relay holding a fixed stream in memory, with live events pushed by the test. */
function memoryRelay(stored: StreamEvent[], gone = false) {
  const listeners = new Set<(e: StreamEvent) => void>();
  const relay = {
    latestId: stored.at(-1)?.id ?? '0-0',
    subscribeAll: (listener: (e: StreamEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    checkResume: async (afterId: string): Promise<ResyncEvent | null> =>
      gone ? { type: 'resync', last_event_id: afterId, oldest_id: null, resume_after: '0-0', reason: 'unknown-id' } : null,
    async *replay(afterId: string) {
      for (const e of stored) if (e.id > afterId) yield e;
    },
    push: (e: StreamEvent) => listeners.forEach((l) => l(e)),
    listenerCount: () => listeners.size,
  };
  return relay;
}

function recordingSink(bufferedBytes: () => number) {
  const seen: string[] = [];
  const sink: FeedSink & { seen: string[]; overflowed: number; resyncs: ResyncEvent[] } = {
    seen,
    overflowed: 0,
    resyncs: [],
    event: (e) => seen.push(e.id),
    resync: (r) => sink.resyncs.push(r),
    buffered: bufferedBytes,
    drained: async () => undefined,
    overflow: () => sink.overflowed++,
  };
  return sink;
}

describe('EventFeed', () => {
  it('replays, then goes live, each event once and in order, live events during the replay queued', async () => {
    const relay = memoryRelay([event('1-1'), event('1-2'), event('1-3')]);
    const sink = recordingSink(() => 0);
    const feed = new EventFeed(relay as unknown as EventRelay, sink, {});
    const started = feed.start('1-1');
    relay.push(event('1-3'));
    relay.push(event('1-4'));
    await started;
    relay.push(event('1-5'));
    expect(sink.seen).toEqual(['1-2', '1-3', '1-4', '1-5']);
  });

  it('sends resync when the ID is gone, then everything the stream holds, then live events', async () => {
    const relay = memoryRelay([event('5-0')], true);
    const sink = recordingSink(() => 0);
    await new EventFeed(relay as unknown as EventRelay, sink, {}).start('1-0');
    relay.push(event('4-0'));
    relay.push(event('6-0'));
    expect(sink.resyncs).toHaveLength(1);
    expect(sink.seen).toEqual(['5-0', '6-0']);
  });

  it('disconnects a client whose unread bytes pass the cap, and stops holding its events', async () => {
    const relay = memoryRelay([]);
    let buffered = 0;
    const sink = recordingSink(() => buffered);
    await new EventFeed(relay as unknown as EventRelay, sink, {}, { maxBufferedBytes: 100, maxPendingEvents: 10 }).start(undefined);
    relay.push(event('1-1'));
    buffered = 101;
    relay.push(event('1-2'));
    relay.push(event('1-3'));
    expect(sink.seen).toEqual(['1-1']);
    expect(sink.overflowed).toBe(1);
    expect(relay.listenerCount()).toBe(0);
  });

  it('disconnects a client whose replay falls more than the cap of live events behind', async () => {
    const relay = memoryRelay([event('1-1'), event('1-2')]);
    const sink = recordingSink(() => 0);
    const feed = new EventFeed(relay as unknown as EventRelay, sink, {}, { maxBufferedBytes: 100, maxPendingEvents: 2 });
    const started = feed.start('0-0');
    for (let i = 3; i < 7; i++) relay.push(event(`1-${i}`));
    await started;
    expect(sink.overflowed).toBe(1);
    expect(relay.listenerCount()).toBe(0);
  });
});
