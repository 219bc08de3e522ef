import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import type { KindFlow } from '../../src-shared/flow';
import type { QueuesReport } from '../../src-shared/console-records';
import { startConsole, type RunningConsole } from '../../src-main/console';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES } from '../support/namespace';
import { StandaloneWorker } from '../support/standalone-worker';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Pause, rate and concurrency limits per kind, as two workers started by hand (as on other
 * machines) follow them: the state lives in Redis, not in the console that set it.
 */
let app: TestConsole;
let restarted: RunningConsole | null = null;
const workers: StandaloneWorker[] = [];
const receiver = new WebhookReceiver();
const url = (): string => (restarted ?? app).url;

beforeAll(async () => {
  await receiver.start();
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0' }, false);
  for (let i = 0; i < 2; i++) {
    workers.push(
      new StandaloneWorker('callback', {
        AMQP_URL: TEST_SERVICES.amqpUrl,
        REDIS_URL: TEST_SERVICES.redisUrl,
        DATABASE_URL: TEST_SERVICES.databaseUrl,
        JOBDECK_NAMESPACE: app.namespace,
      }),
    );
  }
  await Promise.all(workers.map((worker) => worker.line(/consuming/, 30_000)));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await restarted?.close();
  await app?.dispose();
  await receiver.close();
});

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function flowOf(method: string, path: string, body?: unknown): Promise<KindFlow> {
  const answer = await send(method, path, body);
  expect(answer.status).toBe(200);
  return (await answer.json()) as KindFlow;
}

async function submit(count: number, durationMs: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    // Not the console's inbox: its port changes when it restarts.
    const payload = { duration_ms: durationMs, callback_url: `${receiver.url}/done` };
    const answer = await send('POST', '/api/v1/jobs', { kind: 'B', payload });
    expect(answer.status).toBe(202);
    ids.push(((await answer.json()) as Job).id);
  }
  return ids;
}

const jobOf = async (id: string): Promise<Job> => (await (await send('GET', `/api/v1/jobs/${id}`)).json()) as Job;

async function allDone(ids: string[], timeoutMs = 30_000): Promise<Job[]> {
  return eventually(() => Promise.all(ids.map(jobOf)), (jobs) => jobs.every((job) => job.status === 'DONE'), timeoutMs, 'every job DONE');
}

const callbackQueue = async () => ((await (await send('GET', '/api/v1/queues')).json()) as QueuesReport).queues.find((q) => q.kind === 'callback')!;

describe('bad input', () => {
  it.each([
    [{ rate_per_s: 0 }, 'rate_per_s', 'min'],
    [{ rate_per_s: -3 }, 'rate_per_s', 'min'],
    [{ rate_per_s: 20_000 }, 'rate_per_s', 'max'],
    [{ rate_per_s: '5' }, 'rate_per_s', 'type'],
    [{ concurrency: 1.5 }, 'concurrency', 'type'],
    [{ concurrency: 0 }, 'concurrency', 'min'],
    [{ burst: 3 }, 'burst', 'unknown'],
  ])('PUT limits %j is a 400 naming %s', async (body, field, rule) => {
    const answer = await send('PUT', '/api/v1/kinds/callback/limits', body);
    expect(answer.status).toBe(400);
    const problem = (await answer.json()) as { errors: { field: string; rule: string }[] };
    expect(problem.errors).toEqual([expect.objectContaining({ field, rule })]);
    // Nothing half-written.
    expect(await flowOf('GET', '/api/v1/kinds/callback/limits')).toMatchObject({ rate_per_s: null, concurrency: null });
  });

  it('an unknown kind is a 400 naming kind', async () => {
    for (const [method, path] of [['POST', '/api/v1/kinds/resize/pause'], ['POST', '/api/v1/kinds/Z/resume'], ['GET', '/api/v1/kinds/nope/limits']] as const) {
      const answer = await send(method, path);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('kind');
    }
  });
});

describe('pause and resume', () => {
  it('a worker started by hand stops taking the kind; a job submitted meanwhile stays QUEUED, across a console restart, and runs on resume', async () => {
    const paused = await flowOf('POST', '/api/v1/kinds/B/pause');
    expect(paused).toMatchObject({ kind: 'callback', paused: true, rate_per_s: null, concurrency: null });
    expect(Date.parse(paused.paused_at!)).toBeGreaterThan(Date.now() - 10_000);
    // Both workers cancel their consumers.
    await eventually(callbackQueue, (queue) => queue.consumers === 0, 10_000, 'no consumers');
    const [id] = await submit(1, 50);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await jobOf(id!)).status).toBe('QUEUED');
    expect(await callbackQueue()).toMatchObject({ paused: true, ready: 1 });

    await app.close();
    restarted = await startConsole({ config: app.config, workerEntry: null });
    expect(await flowOf('GET', '/api/v1/kinds/callback/limits')).toMatchObject({ paused: true, paused_at: paused.paused_at });
    expect((await jobOf(id!)).status).toBe('QUEUED');

    expect(await flowOf('POST', '/api/v1/kinds/callback/resume')).toMatchObject({ paused: false, paused_at: null });
    await allDone([id!]);
    expect((await callbackQueue()).consumers).toBe(2);
  }, 60_000);
});

describe('a pause while messages wait in hand', () => {
  it('gives the unstarted ones back to the queue (QUEUED, never STARTED) and lets the running one finish; resume runs them all', async () => {
    await flowOf('PUT', '/api/v1/kinds/callback/limits', { concurrency: 1 });
    const ids = await submit(6, 800);
    // One runs; the others wait in the workers' hands for the one slot.
    await eventually(() => Promise.all(ids.map(jobOf)), (jobs) => jobs.some((job) => job.status === 'IN PROGRESS'), 10_000, 'one job running');
    await flowOf('POST', '/api/v1/kinds/callback/pause');
    await eventually(callbackQueue, (queue) => queue.consumers === 0 && queue.ready >= 4, 10_000, 'the waiting messages back in the queue');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const held = await Promise.all(ids.map(jobOf));
    expect(held.filter((job) => job.status === 'DONE').length).toBeLessThanOrEqual(2);
    const waiting = held.filter((job) => job.status === 'QUEUED');
    expect(waiting.length).toBeGreaterThanOrEqual(4);
    for (const job of waiting) expect(job.transitions.map((t) => t.status)).toEqual(['QUEUED']);
    await flowOf('POST', '/api/v1/kinds/callback/resume');
    await flowOf('PUT', '/api/v1/kinds/callback/limits', {});
    await allDone(ids);
  }, 60_000);
});

/** Each job's run, from its last STARTED to DONE, in ms since the epoch. */
function runsOf(jobs: Job[]): { start: number; end: number }[] {
  return jobs.map((job) => {
    const start = job.transitions.filter((t) => t.status === 'STARTED').at(-1)!;
    const end = job.transitions.find((t) => t.status === 'DONE')!;
    return { start: Date.parse(start.at), end: Date.parse(end.at) };
  });
}

describe('limits across two workers', () => {
  it('concurrency 1: never two in flight at once', async () => {
    expect(await flowOf('PUT', '/api/v1/kinds/callback/limits', { concurrency: 1 })).toMatchObject({ concurrency: 1, rate_per_s: null });
    const jobs = await allDone(await submit(8, 300));
    const runs = runsOf(jobs).sort((a, b) => a.start - b.start);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    // Both workers ran some: the limit is the namespace's, not one worker's.
    const ranOn = new Set(jobs.map((job) => job.transitions.find((t) => t.status === 'DONE')!.worker));
    expect(ranOn.size).toBe(2);
  }, 60_000);

  it('5 per second: at most 5 STARTED in any second, none idle waiting', async () => {
    expect(await flowOf('PUT', '/api/v1/kinds/callback/limits', { rate_per_s: 5 })).toMatchObject({ rate_per_s: 5, concurrency: null });
    expect((await callbackQueue()).rate_per_s).toBe(5);
    const ids = await submit(20, 10);
    const starts = runsOf(await allDone(ids)).map((run) => run.start).sort((a, b) => a - b);
    // Sliding one-second windows: a start and every start within 1000 ms after it. Redis spaces the
    // reservations exactly 200 ms apart; the STARTED time is written a few ms later, so one more
    // may fall into a window by that jitter, never a burst.
    const most = Math.max(...starts.map((at) => starts.filter((other) => other >= at && other < at + 1_000).length));
    expect(most).toBeLessThanOrEqual(6);
    // Spaced, not stalled: 20 starts at 5/s take 3.8 s.
    const spanS = (starts.at(-1)! - starts[0]!) / 1000;
    expect((starts.length - 1) / spanS).toBeLessThanOrEqual(5 * 1.05);
    expect(spanS).toBeLessThan(5);
    expect(await flowOf('PUT', '/api/v1/kinds/callback/limits', {})).toMatchObject({ rate_per_s: null, concurrency: null });
  }, 60_000);
});
