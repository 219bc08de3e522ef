import { describe, expect, it, vi } from 'vitest';
import type { JobEvent } from '../../../src-shared/events';
import { createEventBatcher } from '../../../src-renderer/store/event-batcher';
import { advance, eventOf, makeJob, manualSchedule } from './fixtures';

function setup() {
  const schedule = manualSchedule();
  const flushes: JobEvent[][] = [];
  const batcher = createEventBatcher({ flush: (events) => flushes.push(events), intervalMs: 100, schedule });
  return { schedule, flushes, batcher };
}

describe('createEventBatcher', () => {
  it('hands a burst on once, after the interval', () => {
    const { schedule, flushes, batcher } = setup();
    for (let index = 0; index < 500; index += 1) batcher.push(eventOf(makeJob({ createdSecond: index }), 1));

    schedule.advance(99);
    expect(flushes).toHaveLength(0);
    schedule.advance(1);

    expect(flushes).toHaveLength(1);
    expect(flushes[0]).toHaveLength(500);
    expect(schedule.pending()).toBe(0);
  });

  it('hands on every event in the order it came, several of one job included', () => {
    const { schedule, flushes, batcher } = setup();
    const queued = makeJob({ createdSecond: 1 });
    const started = advance(queued, 'STARTED', 10);
    const done = advance(started, 'DONE', 20, 100);

    batcher.push(eventOf(queued, 1));
    batcher.push(eventOf(started, 2));
    batcher.push(eventOf(done, 3));
    schedule.advance(100);

    expect(flushes).toEqual([[eventOf(queued, 1), eventOf(started, 2), eventOf(done, 3)]]);
  });

  it('starts a new interval for events after a flush, and stays quiet when idle', () => {
    const { schedule, flushes, batcher } = setup();
    batcher.push(eventOf(makeJob({ createdSecond: 1 }), 1));
    schedule.advance(100);
    schedule.advance(1_000);
    batcher.push(eventOf(makeJob({ createdSecond: 2 }), 1));
    schedule.advance(50);
    expect(flushes).toHaveLength(1);
    schedule.advance(50);

    expect(flushes.map((events) => events.map((event) => event.job_id))).toEqual([['job-00001'], ['job-00002']]);
  });

  it('logs a flush that throws, applies the rest of its batch one by one, and keeps going', () => {
    const schedule = manualSchedule();
    const applied: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const batcher = createEventBatcher({
      flush: (events) => {
        if (events.some((event) => event.job_id === 'job-00002')) throw new Error('cannot apply');
        applied.push(...events.map((event) => event.job_id));
      },
      intervalMs: 100,
      schedule,
    });

    for (const second of [1, 2, 3]) batcher.push(eventOf(makeJob({ createdSecond: second })));
    expect(() => schedule.advance(100)).not.toThrow();
    batcher.push(eventOf(makeJob({ createdSecond: 4 })));
    schedule.advance(100);

    expect(applied).toEqual(['job-00001', 'job-00003', 'job-00004']);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });

  it('drops pending events and ignores new ones once closed', () => {
    const { schedule, flushes, batcher } = setup();
    batcher.push(eventOf(makeJob({ createdSecond: 1 }), 1));
    batcher.close();
    batcher.close();
    batcher.push(eventOf(makeJob({ createdSecond: 2 }), 1));
    schedule.advance(1_000);

    expect(flushes).toHaveLength(0);
    expect(schedule.pending()).toBe(0);
  });
});
