import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkersReport } from '../../src-shared/console-records';
import type { Job } from '../../src-shared/job';
import type { Problem } from '../../src-shared/problem';
import { JobStatusClient, WORKER_LOST_ERROR, type AttemptRun } from '../../src-shared/node/status-store';
import { eventually, testConsoleEnv } from '../support/console';
import { StandaloneWorker } from '../support/standalone-worker';
import { useConsoleFixture } from '../support/job-api';
import { CANCEL_WAIT_MS } from '../../src-main/jobs/running-cancel';

/**
 * `POST /api/v1/jobs/<id>/cancel` on a running job. Kind B runs on a real worker; the races
 * (a handler that finishes regardless, one still stopping after the wait) are played by the test
 * as the worker of an email job (no email worker runs here), through the status store's verbs.
 */
// No email worker: the test plays the worker of an email job.
const fixture = useConsoleFixture({ JOBDECK_WORKERS: 'A=1,B=1,C=0' });
const { submit, jobOf } = fixture;
let status: JobStatusClient;
beforeAll(() => {
  status = new JobStatusClient(fixture.redis, fixture.names, { terminalTtlSeconds: 60, streamMaxLength: 1000 });
});
const cancel = async (id: string) => {
  const answer = await fetch(`${fixture.app.url}/api/v1/jobs/${id}/cancel`, { method: 'POST' });
  return { status: answer.status, body: (await answer.json()) as unknown };
};

/** Messages a queue holds that a consumer took and has not acked (rabbitmqctl: amqplib cannot tell). */
async function unacked(queue: string): Promise<number> {
  const { stdout } = await promisify(execFile)('rabbitmqctl', ['-q', 'list_queues', 'name', 'messages_unacknowledged', '--no-table-headers']);
  const row = stdout.split('\n').map((line) => line.trim().split(/\s+/)).find(([name]) => name === queue);
  return Number(row?.[1] ?? 0);
}

/** The test as the worker of a QUEUED email job: its attempt 1 started, IN PROGRESS. */
async function startedByTest(): Promise<{ job: Job; run: AttemptRun }> {
  const job = await submit('email', { subject: 'held by the test' });
  const run: AttemptRun = { worker: 'test/1', seed: { id: job.id, kind: job.kind, type: job.type, payload: job.payload, created_at: job.created_at } };
  const token = randomUUID();
  const started = await status.startAttempt(run, { attempt: 1, redelivered: false, token });
  expect(started.job!.status).toBe('IN PROGRESS');
  run.holder = { token, attempt: 1 };
  return { job, run };
}

describe('cancel of a running job', () => {
  it('stops kind B\'s long task: CANCELLED at once, its message acked and not run again, no callback POSTed', async () => {
    const job = await submit('callback', { callback_url: `${fixture.receiver.url}/never`, duration_ms: 60_000 });
    await eventually(() => jobOf(job.id), (seen) => seen.status === 'IN PROGRESS', 15_000, 'the job to run');
    const asked = Date.now();
    const answer = await cancel(job.id);
    const tookMs = Date.now() - asked;
    // Stopped within the answer's wait (200) — or, on a machine too loaded to stop it that fast,
    // still stopping (202) and CANCELLED moments later; never longer than the wait.
    expect([200, 202]).toContain(answer.status);
    expect(tookMs).toBeLessThan(CANCEL_WAIT_MS + 500);
    const ended = answer.status === 200 ? (answer.body as Job) : await eventually(() => jobOf(job.id), (seen) => seen.status === 'CANCELLED', 10_000, 'the job to end CANCELLED');
    expect(ended).toMatchObject({ id: job.id, status: 'CANCELLED', error: expect.stringMatching(/cancelled by an operator while attempt 1 ran/) });

    await eventually(() => unacked(fixture.names.queue('callback')), (count) => count === 0, 10_000, 'the message to be acked');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await jobOf(job.id);
    expect(after.status).toBe('CANCELLED');
    expect(after.transitions.filter((t) => t.status === 'STARTED')).toHaveLength(1);
    expect(after.attempts).toBe(1);
    expect(fixture.receiver.received).toHaveLength(0);
    const logs = await (await fetch(`${fixture.app.url}/api/v1/jobs/${job.id}/logs`)).text();
    expect(logs).toMatch(/"attempt 1 ended: long task stopped at step 1 of 60: cancelled by an operator"/);
  });

  it('reaches a worker that missed the message: it sees the mark on its next progress write', async () => {
    const job = await submit('callback', { callback_url: `${fixture.receiver.url}/never`, duration_ms: 60_000 });
    const running = await eventually(() => jobOf(job.id), (seen) => seen.status === 'IN PROGRESS', 15_000, 'the job to run');
    // Marked, but told on a channel no worker listens to.
    const unheard = new JobStatusClient(fixture.redis, { ...fixture.names, cancelChannel: `${fixture.names.namespace}:nobody` }, { terminalTtlSeconds: 60, streamMaxLength: 1000 });
    expect((await unheard.requestCancel(running)).outcome).toBe('ok');
    // Kind B writes its progress every second.
    const cancelled = await eventually(() => jobOf(job.id), (seen) => seen.status === 'CANCELLED', 5_000, 'the job to end CANCELLED');
    expect(cancelled.attempts).toBe(1);
    expect(fixture.receiver.received).toHaveLength(0);
  });

  it('ends DONE when the handler finishes regardless, the refused cancel in its timeline, and answers 409', async () => {
    const { job, run } = await startedByTest();
    const subscriber = fixture.redis.duplicate();
    const told = new Promise<string>((resolve) => subscriber.on('message', (_channel: string, id: string) => resolve(id)));
    await subscriber.subscribe(fixture.names.cancelChannel);
    try {
      const answer = cancel(job.id);
      expect(await told).toBe(job.id);
      await status.finish(run, { result: { finished: true } });
      const { status: code, body } = await answer;
      expect(code).toBe(409);
      expect(body as Problem).toMatchObject({ type: 'urn:jobdeck:problem:cancel-refused', detail: expect.stringMatching(/DONE/) });
    } finally {
      subscriber.disconnect();
    }
    const done = await jobOf(job.id);
    expect(done.status).toBe('DONE');
    expect(done.transitions.at(-1)).toMatchObject({ status: 'DONE', note: expect.stringMatching(/^cancel requested at .* refused: the handler finished/) });
  });

  it('answers 202 while the handler is still stopping; the worker learns it from its next status write', async () => {
    const { job, run } = await startedByTest();
    const answer = await cancel(job.id);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ cancel: 'requested', job: { id: job.id, status: 'IN PROGRESS' } });
    const progress = await status.progress(run, 50);
    expect(progress.cancelRequested).toBe(true);
    const cancelled = await status.cancelledRunning(run);
    expect(cancelled.job!.status).toBe('CANCELLED');
    expect(cancelled.cancelRequested).toBe(false);
    expect(await fixture.redis.hexists(fixture.names.jobKey(job.id), 'cancel_requested')).toBe(0);
  });

  it('ends a cancelled attempt that failed on its own CANCELLED, not RETRYING', async () => {
    const { job, run } = await startedByTest();
    expect((await status.requestCancel(job)).outcome).toBe('ok');
    const failed = await status.retryLater(run, 'boom', new Date(Date.now() + 60_000).toISOString());
    expect(failed.job!).toMatchObject({ status: 'CANCELLED', next_attempt_at: null, attempt_errors: [{ attempt: 1, error: 'boom' }] });
  });
});

describe('cancel of a job whose worker died', () => {
  const scaleCallbackWorkers = async (count: number) => {
    const answer = await fetch(`${fixture.app.url}/api/v1/workers/callback`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count }) });
    expect(answer.status).toBe(202);
  };
  const standaloneWorker = async () => {
    const worker = new StandaloneWorker('B', { ...testConsoleEnv(fixture.app.namespace), JOBDECK_NAMESPACE: fixture.app.namespace });
    await worker.line(/consuming/);
    return worker;
  };

  it('does not run it again: the next worker finds the mark at its start and ends it CANCELLED', async () => {
    // The console's own kind B worker out of the way (gone, not merely told): this test kills its workers.
    await scaleCallbackWorkers(0);
    await eventually(
      async () => ((await (await fetch(`${fixture.app.url}/api/v1/workers`)).json()) as WorkersReport).workers.filter((w) => w.runs === 'this-console' && w.kinds.includes('callback') && w.state !== 'exited'),
      (left) => left.length === 0,
      15_000,
      "the console's kind B worker to exit",
    );
    const workers: StandaloneWorker[] = [];
    try {
      workers.push(await standaloneWorker());
      const job = await submit('callback', { callback_url: `${fixture.receiver.url}/never`, duration_ms: 60_000 });
      await eventually(() => jobOf(job.id), (seen) => seen.status === 'IN PROGRESS', 15_000, 'the job to run');
      await workers[0]!.stop('SIGKILL');
      const answer = await cancel(job.id);
      expect(answer.status).toBe(202);
      workers.push(await standaloneWorker());
      const cancelled = await eventually(() => jobOf(job.id), (seen) => seen.status === 'CANCELLED', 15_000, 'the job to end CANCELLED');
      expect(cancelled.error).toMatch(/cancelled by an operator while attempt 2 ran/);
      expect(cancelled.attempt_errors).toEqual([expect.objectContaining({ attempt: 1, error: WORKER_LOST_ERROR })]);
      const logs = await (await fetch(`${fixture.app.url}/api/v1/jobs/${job.id}/logs`)).text();
      expect(logs).toContain('"attempt":2,"line":"attempt 2 ended: cancelled by an operator"');
      expect(logs).not.toContain('"attempt":2,"line":"long task started');
      expect(fixture.receiver.received).toHaveLength(0);
    } finally {
      for (const worker of workers) await worker.stop('SIGKILL');
      await scaleCallbackWorkers(1);
    }
  });
});

describe('cancel of a job that is not running', () => {
  it('cancels a QUEUED job at once, answering the job as before', async () => {
    const job = await submit('email', { subject: 'waits' });
    const answer = await cancel(job.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: job.id, status: 'CANCELLED' });
    expect(answer.body).not.toHaveProperty('cancel');
  });

  it('refuses a finished job with 409, as before', async () => {
    const { job, run } = await startedByTest();
    await status.finish(run, { result: {} });
    const answer = await cancel(job.id);
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ type: 'urn:jobdeck:problem:job-status-conflict' });
  });
});
