import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StartupError } from '../../src-main/console';
import type { StreamEvent } from '../../src-shared/events';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { readSse } from '../support/event-clients';
import { TEST_SERVICES } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * The core restarts in place: it closes its parts and opens them again on other connection
 * settings (here RabbitMQ and Redis through a proxy of this test, the same servers) while the API
 * keeps listening, with jobs submitted all along.
 */

let app: TestConsole;
const amqp = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_SERVICES.amqpUrl).port || 5672) });
const redis = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_SERVICES.redisUrl).port || 6379) });

beforeAll(async () => {
  await Promise.all([amqp.listen(), redis.listen()]);
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=1' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
});

afterAll(async () => {
  await app?.dispose();
  await Promise.all([amqp.close(), redis.close()]);
});

interface Answers {
  accepted: string[];
  /** 503s, each with its Retry-After header. */
  unavailable: (string | null)[];
  /** When the first and the last 503 came (ms since the epoch). */
  unavailableSpan: [number, number] | null;
  /** Any other answer, or a request that got no answer at all. */
  other: string[];
}

/** Submits kind A jobs over HTTP, `parallel` at a time, until `stop` resolves. */
async function submitUntil(stop: Promise<void>, parallel: number): Promise<Answers> {
  const answers: Answers = { accepted: [], unavailable: [], unavailableSpan: null, other: [] };
  let stopped = false;
  void stop.then(() => (stopped = true));
  const submitter = async (): Promise<void> => {
    while (!stopped) {
      try {
        const response = await fetch(`${app.url}/job/database?client_time=${Math.floor(Date.now() / 1000)}`);
        const body = await response.text();
        if (response.status === 200) answers.accepted.push((JSON.parse(body) as { uuid: string }).uuid);
        else if (response.status === 503) {
          answers.unavailable.push(response.headers.get('retry-after'));
          answers.unavailableSpan = [answers.unavailableSpan?.[0] ?? Date.now(), Date.now()];
        }
        else answers.other.push(`${response.status} ${body}`);
      } catch (error) {
        answers.other.push(`no answer: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, submitter));
  return answers;
}

async function statusOf(uuid: string): Promise<string> {
  const response = await fetch(`${app.url}/job/status?uuid=${uuid}`);
  return ((await response.json()) as { status: string }).status;
}

async function everyJobDone(uuids: string[]): Promise<void> {
  await eventually(
    () => Promise.all(uuids.map(statusOf)),
    (statuses) => statuses.every((status) => status === 'DONE'),
    60_000,
    `all ${uuids.length} accepted jobs DONE`,
  );
}

describe('restart in place', () => {
  it('moves onto other RabbitMQ and Redis URLs with jobs in flight: the API answers throughout, no job is lost', async () => {
    const listenersBefore = app.relay.listenerCount;
    let marker = '';
    const isMarkerDone = (e: StreamEvent): boolean => e.type !== 'batch' && e.job_id === marker && e.status === 'DONE';
    const feed = readSse(`${app.url}/api/v1/events`, (seen) => seen.events.some(isMarkerDone));
    await eventually(() => app.relay.listenerCount, (listeners) => listeners === listenersBefore + 1);
    let restarted!: () => void;
    const stop = new Promise<void>((resolve) => (restarted = resolve));
    const submitting = submitUntil(stop, 4);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const began = Date.now();
    await app.restart({ ...app.config, amqpUrl: amqp.urlFor(TEST_SERVICES.amqpUrl), redisUrl: redis.urlFor(TEST_SERVICES.redisUrl) });
    const restartMs = Date.now() - began;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    restarted();
    const answers = await submitting;

    const span = answers.unavailableSpan ? answers.unavailableSpan[1] - answers.unavailableSpan[0] : 0;
    console.log(`restart took ${restartMs} ms, 503 for ${span} ms; ${answers.accepted.length} jobs accepted, ${answers.unavailable.length} answered 503`);
    expect(answers.other).toEqual([]);
    expect(answers.unavailable.every((retryAfter) => retryAfter === '1')).toBe(true);
    expect(answers.accepted.length).toBeGreaterThan(20);
    await everyJobDone(answers.accepted);

    // The SSE client connected before the restart still gets the events of a job accepted after it.
    const response = await fetch(`${app.url}/job/database?client_time=${Math.floor(Date.now() / 1000)}`);
    marker = ((await response.json()) as { uuid: string }).uuid;
    expect((await feed).events.some(isMarkerDone)).toBe(true);

    const settings = (await (await fetch(`${app.url}/api/v1/settings`)).json()) as { redis_url: string; amqp_url: string };
    expect(settings.redis_url).toContain(`:${redis.port}`);
    expect(settings.amqp_url).toContain(`:${amqp.port}`);
  });

  it('runs on the new connections: cutting the Redis proxy takes Redis down in its health report, quietly', async () => {
    const printed = vi.spyOn(console, 'error');
    redis.cut();
    try {
      const report = await eventually(async () => {
        const response = await fetch(`${app.url}/api/v1/health`);
        const body = (await response.json()) as { dependencies: { redis: { up: boolean } } };
        return response.status === 503 && !body.dependencies.redis.up ? body : undefined;
      });
      expect(report.dependencies.redis.up).toBe(false);
      // Every connection, the stream readers' included, reconnects at least once while cut.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const unhandled = printed.mock.calls.filter((call) => String(call[0]).includes('Unhandled error event'));
      expect(unhandled).toEqual([]);
    } finally {
      printed.mockRestore();
      redis.heal();
    }
    await eventually(() => fetch(`${app.url}/api/v1/health`), (response) => response.status === 200, 20_000, 'health 200 again');
  });

  it('reopens the previous settings when the new ones fail, and throws why', async () => {
    const before = (await (await fetch(`${app.url}/api/v1/settings`)).json()) as { redis_url: string };
    const failed = app.restart({ ...app.config, redisUrl: 'redis://127.0.0.1:1' });
    await expect(failed).rejects.toThrow(StartupError);
    await expect(failed).rejects.toThrow(/REDIS_URL/);
    const after = (await (await fetch(`${app.url}/api/v1/settings`)).json()) as { redis_url: string };
    expect(after.redis_url).toBe(before.redis_url);
    const response = await fetch(`${app.url}/job/database?client_time=${Math.floor(Date.now() / 1000)}`);
    expect(response.status).toBe(200);
    await everyJobDone([((await response.json()) as { uuid: string }).uuid]);
  });
});
