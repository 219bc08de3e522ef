import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { JOB_KINDS, parseKind, type JobKind } from '../src-shared/kinds';
import { redactText, redactUrl } from '../src-shared/redact';
import { ConfigError, readEnv, retryPolicyFrom, sharedEnvShape } from '../src-shared/settings';
import { databaseConnection } from '../src-shared/node/database-url';
import { JobStatusClient } from '../src-shared/node/status-store';
import { namesFor } from '../src-shared/topology';

import type { JobHandler } from './handlers/handler';
import { CallbackHandler } from './handlers/callback-handler';
import { EmailHandler } from './handlers/email-handler';
import { LogHandler } from './handlers/log-handler';
import { WorkerProcess } from './worker-process';
import { isMainToWorkerMessage, type WorkerToMainMessage } from '../src-shared/worker-protocol';

/** How long jobs in hand may run on after SIGTERM before they are given back to the queue. */
const SHUTDOWN_GRACE_MS = 8_000;
const EXIT_CONNECTION_LOST = 75;
const REDIS_RETRY_MAX_MS = 2_000;

/** Redis answers retrying cannot cure: the credentials or the database refused. */
const INCURABLE_REDIS = /WRONGPASS|NOAUTH|invalid password|invalid username-password|ERR AUTH|DB index is out of range/i;

/**
 * Logs the Redis connection's state changes, one line each (not every retry); calls `fatal` for
 * what retrying cannot cure.
 */
function watchRedis(redis: Redis, shownUrl: string, log: (line: string) => void, fatal: (reason: string) => void): void {
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  redis.on('ready', () => {
    if (state === 'down') log(`Redis at ${shownUrl} connected again`);
    state = 'up';
  });
  redis.on('error', (error: Error) => {
    const reason = redactText(error.message);
    if (INCURABLE_REDIS.test(reason)) {
      fatal(`Redis at ${shownUrl} refused this worker (${reason}); check REDIS_URL`);
      return;
    }
    if (state === 'down') return;
    state = 'down';
    log(`Redis at ${shownUrl} unreachable (${reason}); retrying every ${REDIS_RETRY_MAX_MS / 1000} s at the most, jobs wait`);
  });
}

function parseKinds(text: string): JobKind[] {
  const kinds = text.split(',').map((k) => parseKind(k.trim()));
  if (kinds.some((k) => !k)) {
    throw new ConfigError(`--kind ${text}: must be kinds by name or letter (${JOB_KINDS.join(', ')} or A, B, C), comma separated`);
  }
  return [...new Set(kinds as JobKind[])];
}

function databasePool(url: string, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    ...databaseConnection(url, process.env.PGUSER || userInfo().username),
    application_name: applicationName,
    max: 4,
    connectionTimeoutMillis: 5_000,
    // A database gone silent (no reset) fails the attempt rather than hold the job for ever.
    query_timeout: 10_000,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** How often a spawned worker tells the console its memory. */
const STATS_EVERY_MS = 5_000;

/** Reports memory now and every few seconds; the timer never keeps the process alive. */
function reportStats(report: (message: WorkerToMainMessage) => void): void {
  if (!process.send) return;
  const send = (): void => report({ type: 'stats', rssBytes: process.memoryUsage().rss });
  send();
  setInterval(send, STATS_EVERY_MS).unref();
}

/**
 * A worker process. Spawned by the console (`--kind log`), or started by hand on any machine
 * that reaches the same RabbitMQ, Redis, PostgreSQL and mail server:
 * `node out/main/worker.js --kind A,B,C` with AMQP_URL, REDIS_URL, DATABASE_URL, SMTP_URL set.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { kind: { type: 'string', default: 'A,B,C' } } });
  const kinds = parseKinds(values.kind!);
  const env = readEnv(sharedEnvShape, process.env);
  const names = namesFor(env.JOBDECK_NAMESPACE);
  const role = `worker:${kinds.join('+')}:${process.pid}`;
  const report = (message: WorkerToMainMessage): void => {
    if (process.send) process.send(message);
  };
  const log = (line: string): void => console.error(`[worker ${process.pid}] ${line}`);

  // A status write waits for Redis to come back rather than fail: failing the write after the
  // effect would requeue the job and do the effect again. The job's message stays unacked
  // meanwhile, so nothing is lost if the worker stops; the console answers for status reads.
  const redis = new Redis(env.REDIS_URL, {
    connectionName: names.connectionName(role),
    maxRetriesPerRequest: null,
    // The status writes of the jobs in hand share round trips (one pipeline per event-loop tick).
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 200, REDIS_RETRY_MAX_MS),
  });
  const status = new JobStatusClient(redis, names, {
    terminalTtlSeconds: env.JOBDECK_STATUS_TTL_S,
    streamMaxLength: env.JOBDECK_EVENT_STREAM_MAX,
    defaultMaxAttempts: env.JOBDECK_MAX_ATTEMPTS,
  });
  const pool = kinds.includes('log') ? databasePool(env.DATABASE_URL, names.connectionName(role)) : null;
  const handlers: Partial<Record<JobKind, JobHandler>> = {};
  if (pool) handlers.log = new LogHandler(pool, names.schema);
  if (kinds.includes('callback')) handlers.callback = new CallbackHandler();
  if (kinds.includes('email')) handlers.email = new EmailHandler(env.SMTP_URL ?? 'smtp://127.0.0.1:2525');

  let worker: WorkerProcess | null = null;
  // Stopping is asked for more than once (a Ctrl-C reaches this process and its console, which
  // then sends `shutdown`): every later ask waits for the first one.
  let stopped: Promise<never> | null = null;
  const stop = (code: number): Promise<never> =>
    (stopped ??= (async () => {
      const inHand = worker?.jobsInHand ?? 0;
      if (inHand > 0) log(`stopping: finishing ${inHand} job${inHand === 1 ? '' : 's'} in hand (up to ${SHUTDOWN_GRACE_MS / 1000} s)`);
      await worker?.close(SHUTDOWN_GRACE_MS);
      await Promise.all(Object.values(handlers).map((h) => h.close?.()));
      await pool?.end().catch(() => undefined);
      redis.disconnect();
      process.exit(code);
    })());
  watchRedis(redis, redactUrl(env.REDIS_URL), log, (reason) => {
    console.error(`[worker ${process.pid}] ${reason}`);
    report({ type: 'fatal', message: reason });
    void stop(1);
  });

  worker = new WorkerProcess({
    amqpUrl: env.AMQP_URL,
    names,
    kinds,
    prefetch: env.JOBDECK_WORKER_PREFETCH,
    prefetchByKind: { log: env.JOBDECK_LOG_PREFETCH },
    status,
    handlers,
    retry: retryPolicyFrom(env),
    report,
    // Run by hand, a worker reconnects by itself; spawned, it exits and its console restarts it
    // (with backoff, and shows the restarts).
    reconnect: !process.send,
    onConnectionLost: (reason, curable) => {
      console.error(`[worker ${process.pid}] ${reason}; ${curable ? 'exiting to be restarted' : 'exiting'}`);
      void stop(curable ? EXIT_CONNECTION_LOST : 1);
    },
    log,
  });
  // Ctrl-C in a terminal reaches every process of its group: a worker takes it as SIGTERM.
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('message', (message) => {
    if (isMainToWorkerMessage(message) && message.type === 'shutdown') void stop(0);
  });
  process.on('disconnect', () => void stop(0));
  await redis.ping();
  await worker.start().catch((error: Error) => {
    throw new Error(`RabbitMQ at ${redactUrl(env.AMQP_URL)} failed (${error.message}); check AMQP_URL`);
  });
  if (stopped) return; // told to stop while it waited for the broker
  for (const kind of kinds) report({ type: 'ready', kind, pid: process.pid });
  reportStats(report);
  if (!process.send) log(`consuming ${kinds.map(names.queue).join(', ')}`);
}

main().catch((error: Error) => {
  const message = error instanceof ConfigError ? error.message : redactText(`could not start: ${error.message}`);
  console.error(`[worker ${process.pid}] ${message}`);
  if (process.send) process.send({ type: 'fatal', message } satisfies WorkerToMainMessage);
  process.exit(1);
});
