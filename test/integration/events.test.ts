import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src-shared/events';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES } from '../support/namespace';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
});
afterAll(async () => {
  await app?.dispose();
});

/** Reads Server-Sent Events until `until` says stop; returns the job events seen. */
async function readEvents(path: string, until: (events: JobEvent[]) => boolean, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  const response = await fetch(`${app.url}${path}`, { headers, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const events: JobEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data: '));
        const id = frame.split('\n').find((line) => line.startsWith('id: '));
        if (data) {
          const event = JSON.parse(data.slice(6)) as JobEvent;
          expect(id).toBe(`id: ${event.id}`);
          events.push(event);
        }
      }
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

async function submitLog(): Promise<string> {
  const response = await fetch(`${app.url}/job/database?client_time=1569177495`);
  return ((await response.json()) as { uuid: string }).uuid;
}

describe('GET /api/v1/events', () => {
  it('streams a job from QUEUED to DONE, filtered to that job', async () => {
    const other = await submitLog();
    const id = await submitLog();
    const events = await readEvents(
      `/api/v1/events?job_id=${id}&last_event_id=0-0`,
      (seen) => seen.some((e) => e.status === 'DONE'),
    );
    expect(events.every((e) => e.job_id === id && e.job_id !== other)).toBe(true);
    expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(['QUEUED', 'STARTED', 'IN PROGRESS', 'DONE']));
    const done = events.find((e) => e.status === 'DONE')!;
    expect(done.job).toMatchObject({ id, kind: 'log', type: 'A', status: 'DONE', progress: 100 });
    expect(done.version).toBe(Math.max(...events.map((e) => e.version)));
  });

  it('replays exactly what a client missed after Last-Event-ID, in order', async () => {
    const first = await submitLog();
    const live = await readEvents(`/api/v1/events?job_id=${first}&last_event_id=0-0`, (seen) =>
      seen.some((e) => e.status === 'DONE'),
    );
    const resumeFrom = live[0]!.id;
    const replayed = await readEvents(
      `/api/v1/events?job_id=${first}`,
      (seen) => seen.some((e) => e.status === 'DONE'),
      { 'last-event-id': resumeFrom },
    );
    expect(replayed.map((e) => e.id)).toEqual(live.slice(1).map((e) => e.id));
  });

  it('replays a backlog longer than one page, every event once and in order', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(TEST_SERVICES.redisUrl);
    const stream = namesFor(app.namespace).eventStream;
    const job = { id: 'bulk', kind: 'log', type: 'A', status: 'IN PROGRESS', progress: 0 };
    const pipeline = redis.pipeline();
    for (let i = 1; i <= 2_500; i++) {
      pipeline.xadd(stream, '*', 'version', String(i), 'job', JSON.stringify({ ...job, progress: i % 100 }));
    }
    const poison = { ...job, id: '5d2c9a70-0000-4000-8000-000000000000', created_at: 'not a time', updated_at: 'x' };
    pipeline.xadd(stream, '*', 'version', '1', 'job', JSON.stringify(poison));
    await pipeline.exec();
    redis.disconnect();
    const events = await readEvents('/api/v1/events?kind=log&last_event_id=0-0', (seen) => seen.filter((e) => e.job_id === 'bulk').length >= 2_500);
    events.splice(0, events.length, ...events.filter((e) => e.job_id === 'bulk'));
    expect(events).toHaveLength(2_500);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 2_500 }, (_, i) => i + 1));

    // Events the history cannot store (no UUID, a bad time) are skipped, not retried forever.
    const id = await submitLog();
    await eventually(
      async () => ((await (await fetch(`${app.url}/api/v1/jobs?limit=500`)).json()) as { items: { id: string }[] }).items,
      (items) => items.some((j) => j.id === id),
      15_000,
      'the history to record a job after the bulk events',
    );
  });
});
