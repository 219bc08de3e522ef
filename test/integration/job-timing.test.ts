import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRead, JobTiming } from '../../src-shared/job-timing';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';

/** A callback receiver: `/fail/<n>` answers 500 to a job's first n POSTs, then 200. */
async function startReceiver(): Promise<{ url: string; server: Server }> {
  const seen = new Map<string, number>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id']);
      const earlier = seen.get(id) ?? 0;
      seen.set(id, earlier + 1);
      const failFirst = /^\/fail\/(\d+)$/.exec(request.url ?? '/');
      response.writeHead(failFirst && earlier < Number(failFirst[1]) ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const t = (iso: string | null): number => Date.parse(iso!);

/** What every timing must hold: contiguous pieces that add up, in order, inside the job's life. */
function expectConsistent(timing: JobTiming, job: JobRead): void {
  expect(timing.created_at).toBe(job.created_at);
  expect(timing.scheduled_ms + timing.queue_wait_ms + timing.run_ms + timing.retry_wait_ms).toBe(timing.total_ms);
  expect(timing.run_ms).toBe(timing.attempts.reduce((sum, a) => sum + a.duration_ms, 0));
  expect(timing.attempts).toHaveLength(job.attempts);
  expect(timing.queue_wait!.from).toBe(job.created_at);
  expect(timing.queue_wait!.to).toBe(timing.attempts[0]!.started_at);
  for (const [index, attempt] of timing.attempts.entries()) {
    expect(attempt.attempt).toBe(index + 1);
    expect(t(attempt.ended_at) - t(attempt.started_at)).toBe(attempt.duration_ms);
    for (const effect of attempt.effects) {
      expect(t(effect.from)).toBeGreaterThanOrEqual(t(attempt.started_at));
      expect(t(effect.to)).toBeLessThanOrEqual(t(attempt.ended_at));
    }
    if (attempt.effect_ms !== null) expect(attempt.effect_ms).toBeLessThanOrEqual(attempt.duration_ms);
  }
  const done = job.transitions.find((transition) => transition.status === 'DONE')!;
  expect(timing.ended_at).toBe(done.at);
  expect(timing.attempts.at(-1)!.ended_at).toBe(done.at);
}

let app: TestConsole;
let receiver: { url: string; server: Server };
const readJob = async (id: string, base = app.url): Promise<JobRead> => (await (await fetch(`${base}/api/v1/jobs/${id}`)).json()) as JobRead;
const submit = async (body: unknown, base = app.url): Promise<JobRead> => {
  const answer = await fetch(`${base}/api/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(answer.status).toBe(202);
  return (await answer.json()) as JobRead;
};
const doneJob = (id: string, base = app.url) => eventually(() => readJob(id, base), (job) => job.status === 'DONE', 20_000, `job ${id} DONE`);

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=1,C=0', JOBDECK_MAX_ATTEMPTS: '3', JOBDECK_RETRY_BASE_MS: '1000', JOBDECK_RETRY_MAX_MS: '1000' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
});
afterAll(async () => {
  await app?.dispose();
  receiver?.server.close();
});

describe('GET /api/v1/jobs/<id> timing', () => {
  it('times a kind A job: queue wait, one attempt with the insert inside it, and the webhook its DONE caused', async () => {
    const subscribed = await fetch(`${app.url}/api/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${app.url}/api/v1/inbox/timing`, events: { kinds: ['log'], statuses: ['DONE'] } }),
    });
    expect(subscribed.status).toBe(201);
    const { id } = await submit({ kind: 'log', payload: { client_time: 1767225600 } });
    await doneJob(id);
    const job = await eventually(() => readJob(id), (read) => read.timing.deliveries?.[0]?.outcome === 'delivered', 15_000, 'the delivery of job.DONE');
    const { timing } = job;
    expectConsistent(timing, job);
    expect(timing.attempts).toMatchObject([{ attempt: 1, outcome: 'done', error: null, worker: job.transitions.at(-1)!.worker }]);
    expect(timing.effect_ms).toEqual(expect.any(Number));
    expect(timing.attempts[0]!.effects).toHaveLength(1);
    expect(timing.retry_waits).toEqual([]);
    const [delivery] = timing.deliveries!;
    expect(timing.deliveries).toHaveLength(1);
    expect(delivery).toMatchObject({ type: 'webhook', event_type: 'job.DONE', attempts: 1, outcome: 'delivered' });
    // The DONE event caused it: recorded after the job ended, sent after it was recorded.
    expect(t(delivery!.created_at)).toBeGreaterThanOrEqual(t(timing.ended_at));
    expect(t(delivery!.started_at)).toBeGreaterThanOrEqual(t(delivery!.created_at));
    expect(t(delivery!.ended_at) - t(delivery!.started_at)).toBe(delivery!.ms);
    expect(timing.notes).toEqual([]);
  });

  it('times a kind B job that failed once: both attempts, their POSTs, and the backoff between them', async () => {
    const { id } = await submit({ kind: 'callback', payload: { callback_url: `${receiver.url}/fail/1`, duration_ms: 0 } });
    const waiting = await eventually(() => readJob(id), (read) => read.status === 'RETRYING', 15_000, 'RETRYING');
    const open = waiting.timing.retry_waits;
    expect(open).toMatchObject([{ after_attempt: 1, by: 'backoff', to: null, due_at: waiting.next_attempt_at }]);
    const job = await doneJob(id);
    const { timing } = job;
    expectConsistent(timing, job);
    expect(timing.attempts.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, 'failed', expect.stringMatching(/answered HTTP 500$/)],
      [2, 'done', null],
    ]);
    // Both POSTs were reported as the effect, each inside its attempt.
    expect(timing.attempts.map((a) => a.effects.length)).toEqual([1, 1]);
    const [wait] = timing.retry_waits;
    expect(timing.retry_waits).toHaveLength(1);
    const failure = job.attempt_errors[0]!;
    expect(wait!.from).toBe(failure.at);
    expect(wait!.from).toBe(timing.attempts[0]!.ended_at);
    expect(wait!.to).toBe(timing.attempts[1]!.started_at);
    // The broker hands the job back at next_attempt_at: the wait is that long, give or take the hand-over.
    const planned = t(waiting.next_attempt_at) - t(failure.at);
    expect(planned).toBeGreaterThan(500);
    expect(wait!.ms).toBeGreaterThanOrEqual(planned - 50);
    expect(wait!.ms).toBeLessThan(planned + 1_500);
  });

  it("puts a batch's on_complete callback on the child that completed the batch, and only on it", async () => {
    const answer = await fetch(`${app.url}/api/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jobs: [{ kind: 'log', payload: { client_time: 1767225600 } }, { kind: 'callback', payload: { callback_url: `${receiver.url}/ok`, duration_ms: 300 } }],
        on_complete: { callback_url: `${app.url}/api/v1/inbox/batch-done` },
      }),
    });
    expect(answer.status).toBe(202);
    const { job_ids: [first, last] } = (await answer.json()) as { job_ids: string[] };
    await doneJob(first!);
    const completer = await eventually(() => readJob(last!), (read) => read.timing.deliveries?.[0]?.outcome === 'delivered', 20_000, 'the fan-in delivery');
    const fanIn = completer.timing.deliveries!;
    expect(fanIn).toMatchObject([{ type: 'batch', event_type: 'batch.COMPLETED', outcome: 'delivered' }]);
    expect(t(fanIn[0]!.created_at)).toBeGreaterThanOrEqual(t(completer.timing.ended_at));
    // The first child ended before the batch completed (its own job.DONE webhook, if any, is a webhook).
    expect((await readJob(first!)).timing.deliveries!.filter((delivery) => delivery.type === 'batch')).toEqual([]);
  });

  it('answers the job read within a second while PostgreSQL stalls: timing without deliveries, and says so', async () => {
    const database = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_SERVICES.databaseUrl).port || 5432) });
    await database.listen();
    const stalling = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=1,C=0', DATABASE_URL: database.urlFor(TEST_SERVICES.databaseUrl) });
    try {
      expect(await stalling.supervisor!.whenReady(30_000)).toBe(true);
      const { id } = await submit({ kind: 'callback', payload: { callback_url: `${receiver.url}/ok`, duration_ms: 0 } }, stalling.url);
      await doneJob(id, stalling.url);
      database.stall();
      const started = Date.now();
      const job = await readJob(id, stalling.url);
      const took = Date.now() - started;
      expect(took).toBeLessThan(1_000);
      expect(job.status).toBe('DONE');
      expect(job.timing.deliveries).toBeNull();
      expect(job.timing.notes).toContain('deliveries unknown: PostgreSQL did not answer in time');
      expect(job.timing.attempts).toMatchObject([{ outcome: 'done' }]);
    } finally {
      database.heal();
      await stalling.dispose();
      await database.close();
    }
  });
});
