import { connect } from 'node:net';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, StreamEvent } from '../../src-shared/events';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES } from '../support/namespace';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { WsClient, readSse } from '../support/event-clients';

let app: TestConsole;
let redis: Redis;
let stream: string;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
  redis = new Redis(TEST_SERVICES.redisUrl);
  stream = namesFor(app.namespace).eventStream;
});
afterAll(async () => {
  redis?.disconnect();
  await app?.dispose();
});

async function latestId(): Promise<string> {
  return (await redis.xrevrange(stream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
}

async function submitLogs(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${app.url}/job/database?client_time=1569177495`);
    ids.push(((await response.json()) as { uuid: string }).uuid);
  }
  return ids;
}

/** The stream's own record of the given jobs' events after `from`: what every client must see. */
async function streamIdsOf(jobs: Set<string>, from: string): Promise<string[]> {
  const entries = await redis.xrange(stream, `(${from}`, '+');
  return entries.filter(([, fields]) => jobs.has(JSON.parse(fields[3]!).id)).map(([id]) => id);
}

const jobEvents = (events: StreamEvent[], jobs: Set<string>) =>
  events.filter((e): e is JobEvent => e.type !== 'batch' && jobs.has(e.job_id));
const allDone = (events: StreamEvent[], jobs: Set<string>) =>
  jobEvents(events, jobs).filter((e) => e.status === 'DONE').length === jobs.size;

describe('resuming by event ID', () => {
  it('an SSE client that disconnects and resumes sees every event exactly once, in order', async () => {
    const from = await latestId();
    const first = new Set(await submitLogs(5));
    const before = await readSse(`${app.url}/api/v1/events?kind=log&last_event_id=${from}`, (seen) => seen.events.length >= 7);
    const second = await submitLogs(5);
    const jobs = new Set([...first, ...second]);
    const lastSeen = before.events.at(-1)!.id;
    const after = await readSse(`${app.url}/api/v1/events?kind=log`, (seen) => allDone([...before.events, ...seen.events], jobs), {
      'last-event-id': lastSeen,
    });
    const ids = [...before.events, ...after.events].filter((e) => e.type !== 'batch' && jobs.has(e.job_id)).map((e) => e.id);
    expect(after.resyncs).toEqual([]);
    expect(ids).toEqual(await streamIdsOf(jobs, from));
    const done = jobEvents(after.events, jobs).find((e) => e.status === 'DONE')!;
    expect(done).toMatchObject({ type: 'job', kind: 'log', attempt: 1, error: null });
    expect(done.result).toEqual(done.job.result);
    expect(Date.parse(done.at!)).not.toBeNaN();
  });

  it('a WebSocket client that disconnects and resumes sees every event exactly once, in order', async () => {
    const from = await latestId();
    const first = new Set(await submitLogs(5));
    const ws = new WsClient(`${app.url.replace('http', 'ws')}/api/v1/ws?kind=log&last_event_id=${from}`);
    await ws.until((seen) => seen.events.length >= 6);
    await ws.close();
    const before = ws.seen.events;
    const second = await submitLogs(5);
    const jobs = new Set([...first, ...second]);
    const again = new WsClient(`${app.url.replace('http', 'ws')}/api/v1/ws`);
    await again.opened;
    again.send({ type: 'subscribe', filter: { kind: 'log' }, last_event_id: before.at(-1)!.id });
    await again.until((seen) => allDone([...before, ...seen.events], jobs));
    await again.close();
    const ids = [...before, ...again.seen.events].filter((e) => e.type !== 'batch' && jobs.has(e.job_id)).map((e) => e.id);
    expect(ids).toEqual(await streamIdsOf(jobs, from));
    expect(again.messages[0]).toEqual({ type: 'subscribed', filter: { kind: 'log' } });
  });

  it('says resync for an ID older than the stream holds, then sends everything it holds', async () => {
    const oldest = (await redis.xrange(stream, '-', '+', 'COUNT', 3)).map(([id]) => id);
    const seen = await readSse(`${app.url}/api/v1/events`, (s) => s.events.length >= 3, { 'last-event-id': '1-0' });
    expect(seen.resyncs).toEqual([{ type: 'resync', last_event_id: '1-0', oldest_id: oldest[0], resume_after: '0-0', reason: 'trimmed' }]);
    expect(seen.events.map((e) => e.id)).toEqual(oldest);
  });

  it('says resync over SSE and WebSocket for an ID lost with the stream (a Redis restart)', async () => {
    const known = await latestId();
    await redis.del(stream);
    const ws = new WsClient(`${app.url.replace('http', 'ws')}/api/v1/ws?last_event_id=${known}`);
    await ws.until((seen) => seen.resyncs.length > 0);
    expect(ws.seen.resyncs[0]).toMatchObject({ last_event_id: known, oldest_id: null, reason: 'unknown-id' });
    const [job] = await submitLogs(1);
    await ws.until((seen) => seen.events.some((e) => e.type !== 'batch' && e.job_id === job && e.status === 'DONE'));
    await ws.close();
    const sse = await readSse(`${app.url}/api/v1/events?job_id=${job}`, (s) => s.resyncs.length > 0, { 'last-event-id': known });
    expect(sse.resyncs[0]!.last_event_id).toBe(known);
  });

  it('refuses a bad WebSocket message by field and rule', async () => {
    const ws = new WsClient(`${app.url.replace('http', 'ws')}/api/v1/ws`);
    await ws.opened;
    ws.send({ type: 'subscribe', filter: { status: 'SOON' } });
    await eventually(() => ws.messages, (messages) => messages.length > 0);
    expect(ws.messages[0]).toMatchObject({ type: 'error', errors: [{ field: 'filter.status', rule: 'enum' }] });
    await ws.close();
  });
});

describe('the events topic exchange', () => {
  it('delivers every event of a job to a queue bound by routing key', async () => {
    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    try {
      const channel = await connection.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, namesFor(app.namespace).eventsExchange, 'log.#');
      const received: { key: string; event: JobEvent }[] = [];
      await channel.consume(queue, (message) => {
        if (message) received.push({ key: message.fields.routingKey, event: JSON.parse(message.content.toString()) });
      }, { noAck: true });
      const [job] = await submitLogs(1);
      await eventually(() => received, (events) => events.some((r) => r.event.job_id === job && r.event.status === 'DONE'));
      const mine = received.filter((r) => r.event.job_id === job);
      expect(mine.map((r) => r.key)).toEqual(['log.QUEUED', 'log.STARTED', 'log.IN_PROGRESS', 'log.DONE']);
      expect(mine.map((r) => r.event.id)).toEqual(await streamIdsOf(new Set([job!]), '0-0'));
    } finally {
      await connection.close();
    }
  });
});

describe('a client that does not read', () => {
  it('is disconnected once it falls too far behind, while a reading client gets every event', async () => {
    const { port } = new URL(app.url);
    const before = app.relay.listenerCount;
    const slow = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write(`GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    slow.pause();
    await eventually(() => app.relay.listenerCount, (listeners) => listeners === before + 1);
    const from = await latestId();
    const count = 30_000;
    // The reading client follows only the DONE events (one in a hundred); the slow one follows all.
    const reading = readSse(`${app.url}/api/v1/events?job_id=flood&status=DONE&last_event_id=${from}`, (seen) => seen.events.length >= count / 100);
    const note = 'x'.repeat(1_000);
    for (let sent = 0; sent < count; sent += 2_000) {
      const pipeline = redis.pipeline();
      for (let i = sent + 1; i <= sent + 2_000; i++) {
        const job = { id: 'flood', kind: 'log', status: i % 100 === 0 ? 'DONE' : 'IN PROGRESS', note };
        pipeline.xadd(stream, '*', 'version', String(i), 'job', JSON.stringify(job));
      }
      await pipeline.exec();
    }
    const seen = await reading;
    // The slow client's feed was dropped (a paused socket does not see the reset, so ask the relay).
    await eventually(() => app.relay.listenerCount, (listeners) => listeners === before);
    expect(seen.events.map((e) => (e as JobEvent).version)).toEqual(Array.from({ length: count / 100 }, (_, i) => (i + 1) * 100));
    slow.destroy();
  });
});
