import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { JobStatusClient } from '../../src-shared/node/status-store';
import { namesFor } from '../../src-shared/topology';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES } from '../support/namespace';
import { StandaloneWorker } from '../support/standalone-worker';

/**
 * Issue 10 #11 and #12 against a real console and a worker: a password in a callback URL shows
 * nowhere a worker prints or stores (job error, result, log, dead-letter header), and failures no
 * retry can cure (a port fetch refuses, a malformed URL, a message without a field its handler
 * needs) end the job FAILED at once, never RETRYING.
 */
let app: TestConsole;
let worker: StandaloneWorker;
let receiver: Server;
let receiverPort: number;
const authorizations: (string | undefined)[] = [];
let connection: amqp.ChannelModel;
let channel: amqp.ConfirmChannel;
let redis: Redis;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      authorizations.push(request.headers.authorization);
      response.writeHead(request.url === '/fail' ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0', JOBDECK_RETRY_BASE_MS: '100', JOBDECK_RETRY_MAX_MS: '200' }, false);
  worker = new StandaloneWorker('callback,email', {
    AMQP_URL: TEST_SERVICES.amqpUrl,
    REDIS_URL: TEST_SERVICES.redisUrl,
    DATABASE_URL: TEST_SERVICES.databaseUrl,
    JOBDECK_NAMESPACE: app.namespace,
    JOBDECK_RETRY_BASE_MS: '100',
    JOBDECK_RETRY_MAX_MS: '200',
  });
  await worker.line(/consuming/);
  connection = await amqp.connect(TEST_SERVICES.amqpUrl);
  channel = await connection.createConfirmChannel();
  redis = new Redis(TEST_SERVICES.redisUrl);
});
afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  redis?.disconnect();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await app?.dispose();
});

const names = () => namesFor(app.namespace);

async function submit(kind: string, payload: Record<string, unknown>, maxAttempts = 3): Promise<Job> {
  const response = await fetch(`${app.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind, payload, max_attempts: maxAttempts }),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as Job;
}

async function ended(id: string): Promise<Job> {
  return eventually(
    async () => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job,
    (job) => job.status === 'DONE' || job.status === 'FAILED',
    15_000,
    `job ${id} to end`,
  );
}

/** The dead-lettered message of a job, taken from its kind's dead-letter queue. */
/** The job's dead letter as the console drained it from `kind`'s dead-letter queue (README "Dead letters"). */
async function deadLetter(kind: 'callback' | 'email', id: string): Promise<{ headers: Record<string, unknown>; body: string }> {
  return eventually(async () => {
    const page = (await (await fetch(`${app.url}/api/v1/dead-letters?kind=${kind}&q=id:${id}`)).json()) as { items: { job_id: string; headers: Record<string, unknown>; body: string }[] };
    return page.items.find((letter) => letter.job_id === id);
  }, 10_000, `the dead letter of ${id}`);
}

/** Publishes a job message as an outside AMQP client would. */
async function publishRaw(kind: 'callback' | 'email', body: Record<string, unknown>): Promise<void> {
  channel.publish(names().exchange, kind, Buffer.from(JSON.stringify(body)), { persistent: true });
  await channel.waitForConfirms();
}

describe('credentials in a callback URL', () => {
  it('are sent as Basic authentication and kept out of the result; the payload keeps what the client sent', async () => {
    const job = await submit('callback', { callback_url: `http://hook-user:s3cret-pw@127.0.0.1:${receiverPort}/ok`, duration_ms: 0 });
    const done = await ended(job.id);
    expect(done.status).toBe('DONE');
    expect(authorizations).toContain(`Basic ${Buffer.from('hook-user:s3cret-pw').toString('base64')}`);
    expect(JSON.stringify(done.result)).not.toContain('s3cret-pw');
    expect(done.result).toMatchObject({ callback_url: `http://hook-user:***@127.0.0.1:${receiverPort}/ok` });
    expect((done.payload as { callback_url: string }).callback_url).toContain('s3cret-pw');
  });

  it('never appear in the job error, the worker log or the dead-letter header', async () => {
    const job = await submit('callback', { callback_url: `http://hook-user:s3cret-pw@127.0.0.1:${receiverPort}/fail`, duration_ms: 0 }, 1);
    const failed = await ended(job.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe(`callback to http://hook-user:***@127.0.0.1:${receiverPort}/fail answered HTTP 500`);
    expect(JSON.stringify(failed.attempt_errors)).not.toContain('s3cret-pw');
    const dead = await deadLetter('callback', job.id);
    expect(String(dead.headers['x-jobdeck-error'])).toBe(failed.error);
    await worker.line(new RegExp(`job ${job.id}: failed for good`));
    expect(worker.lines.join('\n')).not.toContain('s3cret-pw');
  });
});

describe('failures no retry can cure', () => {
  it('fails a callback to a port fetch refuses at once', async () => {
    const job = await submit('callback', { callback_url: 'http://127.0.0.1:6000/hook', duration_ms: 0 });
    const failed = await ended(job.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, error: 'callback to http://127.0.0.1:6000/hook failed: bad port' });
    expect(failed.transitions.map((t) => t.status)).not.toContain('RETRYING');
  });

  it('fails a job whose message carries a malformed callback URL at once', async () => {
    const id = randomUUID();
    await publishRaw('callback', {
      v: 1, uuid: id, type: 'B', kind: 'callback', created_at: new Date().toISOString(), attempt: 1, max_attempts: 3,
      extra_data: { callback_url: 'http://exa mple/hook', duration_ms: 0 },
    });
    const failed = await ended(id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, error: 'callback URL http://exa mple/hook is not a valid URL' });
  });

  it('dead-letters a message without a recipient, with the reason, and fails its job', async () => {
    const id = randomUUID();
    const status = new JobStatusClient(redis, names(), { terminalTtlSeconds: 60, streamMaxLength: 1000 });
    const created_at = new Date().toISOString();
    await status.create({ id, kind: 'email', type: 'C', payload: { email_address: 'ops@example.com', subject: 'no one' }, created_at }, undefined);
    await publishRaw('email', { v: 1, uuid: id, type: 'C', kind: 'email', created_at, attempt: 1, extra_data: { subject: 'no one' } });
    const dead = await deadLetter('email', id);
    expect(dead.headers['x-jobdeck-error']).toBe('not a job: extra_data.email_address must name a recipient');
    const failed = await ended(id);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'not a job: extra_data.email_address must name a recipient' });
  });
});
