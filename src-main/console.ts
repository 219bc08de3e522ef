import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { ConnectionSettings } from '../src-shared/console-records';
import type { JobKind } from '../src-shared/kinds';
import { redactText, redactUrl } from '../src-shared/redact';
import { retryLadder } from '../src-shared/retry-policy';
import { JobStatusClient } from '../src-shared/status-store';
import { namesFor, type Names } from '../src-shared/topology';
import { buildApi } from './api/server';
import { JobPublisher } from './broker/job-publisher';
import { QueueInspector } from './broker/queue-inspector';
import type { ConsoleConfig } from './config';
import { openDatabase } from './database/database';
import { migrate } from './database/migrations';
import { checkHealth, type HealthReport, type WorkerHealth } from './health';
import { HistoryRecorder } from './history/history-recorder';
import { JobHistory } from './history/job-history';
import { recordByteBudget } from './inbox/client-byte-budget';
import { WebhookInbox } from './inbox/webhook-inbox';
import { MAX_INBOX_BODY_BYTES } from './api/record-routes';
import { Admission } from './jobs/admission';
import { IdempotencyStore } from './jobs/idempotency';
import { JobService } from './jobs/job-service';
import { MailSink } from './mailbox/mail-sink';
import { MailboxStore } from './mailbox/mailbox-store';
import { EventRelay } from './relay/event-relay';
import { EventOutlets } from './event-outlets';
import type { BatchService } from './batches/batch-service';
import type { DeliveryDispatcher } from './webhooks/delivery-dispatcher';
import type { WebhookStore } from './webhooks/webhook-store';
import { WorkerSupervisor, type WorkerEntry } from './supervisor/worker-supervisor';

export interface ConsoleOptions {
  config: ConsoleConfig;
  /** How to start worker processes; null starts none (they run elsewhere). */
  workerEntry: WorkerEntry | null;
  /** The built console page, served at `/`. */
  rendererDir?: string;
  log?: (line: string) => void;
}

/** A running console: its address and the services the Electron shell reaches over IPC. */
export interface RunningConsole {
  url: string;
  port: number;
  smtpUrl: string;
  jobs: JobService;
  relay: EventRelay;
  supervisor: WorkerSupervisor | null;
  /** The health report (what `GET /api/v1/health` answers). */
  health: () => Promise<HealthReport>;
  queues: QueueInspector;
  settings: () => ConnectionSettings;
  mailbox: MailboxStore;
  inbox: WebhookInbox;
  /** Batches (fan-out, fan-in), as `/api/v1/batches` uses them. */
  batches: BatchService;
  /** Webhook subscriptions and their deliveries, as `/api/v1/subscriptions` uses them. */
  webhooks: { store: WebhookStore; dispatcher: DeliveryDispatcher };
  /** Stops every part in reverse order; calling it again does nothing. */
  close(): Promise<void>;
}

/** A start-up failure, said in one line that names the setting to change. */
export class StartupError extends Error {
  override name = 'StartupError';
}

const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Longest the API waits for one Redis command: a Redis that went silent (no reset to notice)
 * gets a 503 within this, not a hung request. The blocking readers get their own, longer one.
 */
const REDIS_COMMAND_TIMEOUT_MS = 1_500;
const REDIS_BLOCKING_COMMAND_TIMEOUT_MS = 10_000;
const PRUNE_EVERY_MS = 60 * 60_000;
/** Longest a start waits for its workers before it goes on, saying so; health says `starting` until they are ready. */
const WORKERS_READY_WAIT_MS = 20_000;

/** What has been started, to be stopped in reverse order. */
class Closers {
  private readonly stack: (() => unknown)[] = [];

  add(close: () => unknown): void {
    this.stack.push(close);
  }

  async closeAll(): Promise<void> {
    while (this.stack.length) await Promise.resolve(this.stack.pop()!()).catch(() => undefined);
  }
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const text = e.code && !e.message?.includes(e.code) ? `${e.code}: ${e.message}` : String(e.message ?? error);
  return redactText(text);
}

async function step<T>(what: string, setting: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StartupError(`${what} failed (${reason(error)}); check ${setting}`);
  }
}

/** A host as it goes into a URL: IPv6 literals in brackets, wildcard addresses as loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // Concurrent requests' status writes share round trips (one pipeline per event-loop tick).
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let lastError: Error | null = null;
  redis.on('error', (error: Error) => (lastError = error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw lastError ?? error;
  }
  return redis;
}

/**
 * A connection of its own, named for the server's client list. A duplicate does not inherit the
 * error listener: without one, every reconnect attempt during an outage is printed as unhandled.
 */
function quietDuplicate(redis: Redis, name: string): Redis {
  const duplicate = redis.duplicate({ connectionName: name, commandTimeout: REDIS_BLOCKING_COMMAND_TIMEOUT_MS });
  duplicate.on('error', () => undefined);
  return duplicate;
}

interface Stores {
  pool: pg.Pool;
  redis: Redis;
  status: JobStatusClient;
  history: JobHistory;
  mailbox: MailboxStore;
  inbox: WebhookInbox;
}

async function openStores(config: ConsoleConfig, names: Names, closers: Closers, log: (line: string) => void): Promise<Stores> {
  const pool = await step(`PostgreSQL at ${redactUrl(config.databaseUrl)}`, 'DATABASE_URL', async () => {
    const opened = await openDatabase({ url: config.databaseUrl, applicationName: names.connectionName('api') });
    closers.add(() => opened.end());
    await migrate(opened, names.schema);
    return opened;
  });
  const redis = await step(`Redis at ${redactUrl(config.redisUrl)}`, 'REDIS_URL', () =>
    connectRedis(config.redisUrl, names.connectionName('api')),
  );
  closers.add(() => redis.quit());
  const limits = {
    terminalTtlSeconds: config.statusTtlSeconds,
    streamMaxLength: config.eventStreamMaxLength,
    defaultMaxAttempts: config.retry.maxAttempts,
  };
  const trimFailed = (what: string) => (error: Error) => log(`trimming the ${what} to its quota failed: ${error.message}`);
  const mailbox = new MailboxStore(pool, names.schema, config.mailboxQuota, trimFailed('mailbox'));
  const inbox = new WebhookInbox(pool, names.schema, config.inboxQuota, trimFailed('inbox'));
  closers.add(() => Promise.all([mailbox.close(), inbox.close()]));
  return { pool, redis, status: new JobStatusClient(redis, names, limits), history: new JobHistory(pool, names.schema), mailbox, inbox };
}

/** The embedded mail sink, unless SMTP_URL names another server; returns where mail goes. */
async function startMail(config: ConsoleConfig, mailbox: MailboxStore, closers: Closers, log: (line: string) => void) {
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl);
    const port = Number(url.port || (url.protocol === 'smtps:' ? 465 : 25));
    return { url: config.smtpUrl, host: url.hostname, port };
  }
  const { maxMessageBytes, bytesPerSecond } = config.mailboxQuota;
  const budget = recordByteBudget(bytesPerSecond, maxMessageBytes);
  const sink = new MailSink({ host: config.smtpSinkHost, port: config.smtpSinkPort, store: mailbox, maxMessageBytes, budget, onLog: log });
  const port = await step(
    `The mail sink on ${config.smtpSinkHost}:${config.smtpSinkPort}`,
    'JOBDECK_SMTP_SINK_PORT (or SMTP_URL to use another mail server)',
    () => sink.listen(),
  );
  closers.add(() => sink.close());
  return { url: `smtp://${config.smtpSinkHost}:${port}`, host: config.smtpSinkHost, port };
}

/** Prunes the history, mailbox and inbox to their retention now and every hour. */
function startRetention(config: ConsoleConfig, stores: Stores, closers: Closers, log: (line: string) => void): void {
  const prune = (): void => {
    void Promise.all([
      stores.history.prune(config.historyRetentionDays),
      stores.mailbox.prune(config.mailboxRetentionDays),
      stores.inbox.prune(config.inboxRetentionDays),
    ]).catch((error: Error) => log(`pruning old records failed: ${error.message}`));
  };
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  closers.add(() => clearInterval(timer));
}

function startWorkers(config: ConsoleConfig, entry: WorkerEntry, smtpUrl: string, log: (line: string) => void) {
  const supervisor = new WorkerSupervisor({
    entry,
    counts: config.workers,
    onLog: log,
    env: {
      AMQP_URL: config.amqpUrl,
      REDIS_URL: config.redisUrl,
      DATABASE_URL: config.databaseUrl,
      SMTP_URL: smtpUrl,
      JOBDECK_NAMESPACE: config.namespace,
      JOBDECK_WORKER_PREFETCH: String(config.workerPrefetch),
      JOBDECK_STATUS_TTL_S: String(config.statusTtlSeconds),
      JOBDECK_EVENT_STREAM_MAX: String(config.eventStreamMaxLength),
      JOBDECK_MAX_ATTEMPTS: String(config.retry.maxAttempts),
      JOBDECK_RETRY_BASE_MS: String(config.retry.baseDelayMs),
      JOBDECK_RETRY_MAX_MS: String(config.retry.maxDelayMs),
    },
  });
  supervisor.start();
  return supervisor;
}

function workerHealth(config: ConsoleConfig, supervisor: WorkerSupervisor | null): Record<JobKind, WorkerHealth> {
  const running = supervisor?.snapshot() ?? [];
  const of = (kind: JobKind): WorkerHealth => ({
    configured: supervisor ? supervisor.report().counts[kind] : 0,
    ready: running.filter((w) => w.kind === kind && w.state === 'ready').length,
  });
  return { log: of('log'), callback: of('callback'), email: of('email') };
}

/** Whether every worker process this console runs has reported ready (or was stopped by an operator). */
function allWorkersReady(supervisor: WorkerSupervisor): boolean {
  return supervisor.snapshot().every((worker) => worker.state === 'ready' || worker.state === 'stopped');
}

/** The connections in use, every password masked. */
function connectionSettings(config: ConsoleConfig, apiUrl: string, sinkUrl: string): ConnectionSettings {
  return {
    api_url: apiUrl,
    amqp_url: redactUrl(config.amqpUrl),
    redis_url: redactUrl(config.redisUrl),
    database_url: redactUrl(config.databaseUrl),
    smtp_url: redactUrl(config.smtpUrl ?? sinkUrl),
    namespace: config.namespace,
  };
}

/**
 * The composition root: builds every part from the config and starts them in order — stores,
 * broker, API (the port is taken before anything shared is touched), history, relay, mail,
 * workers — and stops them in reverse.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const names = namesFor(config.namespace);
  const closers = new Closers();
  const close = (): Promise<void> => closers.closeAll();

  try {
    const stores = await openStores(config, names, closers, log);
    const publisher = new JobPublisher({ url: config.amqpUrl, names, retryLadderMs: retryLadder(config.retry), onLog: log });
    await step(`RabbitMQ at ${redactUrl(config.amqpUrl)}`, 'AMQP_URL', () => publisher.start());
    closers.add(() => publisher.close());

    let supervisor: WorkerSupervisor | null = null;
    let port = config.port;
    let smtp = { host: config.smtpSinkHost, port: config.smtpSinkPort };
    const host = urlHost(config.host);
    const jobs = new JobService({
      status: stores.status,
      publisher,
      history: stores.history,
      maxAttempts: config.retry.maxAttempts,
      admission: new Admission({ depths: publisher, maxQueued: config.maxQueuedPerKind }),
      defaults: {
        callbackUrl: (id) => `http://${host}:${port}/api/v1/inbox/jobs/${id}`,
        recipient: config.defaultRecipient,
      },
    });
    const relay = new EventRelay({
      redis: quietDuplicate(stores.redis, names.connectionName('relay')),
      reader: stores.redis,
      stream: names.eventStream,
      onLog: log,
    });
    const outlets = new EventOutlets({
      pool: stores.pool,
      redis: stores.redis,
      names,
      jobs,
      status: stores.status,
      amqpUrl: config.amqpUrl,
      streamMaxLength: config.eventStreamMaxLength,
      deliveryRetentionDays: config.inboxRetentionDays,
      log,
    });
    const settings = () => connectionSettings(config, `http://${host}:${port}`, `smtp://${smtp.host}:${smtp.port}`);
    const queues = new QueueInspector({ url: config.amqpUrl, names, status: stores.status, retryLadderMs: retryLadder(config.retry) });
    // Latched: once the workers were ready, a later crash is a worker's state, not the console's.
    let workersStarted = options.workerEntry === null;
    const health = () =>
      checkHealth({
        publisher,
        redis: stores.redis,
        pool: stores.pool,
        smtp: () => smtp,
        workers: () => workerHealth(config, supervisor),
        started: () => (workersStarted ||= supervisor !== null && allWorkersReady(supervisor)),
      });
    const api = await buildApi({
      jobs,
      relay,
      webhooks: outlets.webhooks,
      batches: outlets.batches,
      mailbox: stores.mailbox,
      inbox: stores.inbox,
      inboxBudget: recordByteBudget(config.inboxQuota.bytesPerSecond, MAX_INBOX_BODY_BYTES),
      idempotency: new IdempotencyStore(stores.redis, names.idempotencyKey),
      health,
      guard: { host: config.host, port: () => port, allowedHosts: config.allowedHosts },
      workers: () => supervisor,
      queues,
      settings,
      rendererDir: options.rendererDir,
      onLog: log,
      http: config.http,
    });
    try {
      await api.listen({ host: config.host, port: config.port });
    } catch (error) {
      await api.close();
      if ((error as { code?: string }).code === 'EADDRINUSE') {
        throw new StartupError(
          `port ${config.port} on ${config.host} is already in use (another Jobdeck console?); set JOBDECK_PORT to a free port`,
        );
      }
      throw new StartupError(`listening on ${config.host}:${config.port} failed (${reason(error)}); check JOBDECK_HOST`);
    }
    closers.add(() => api.close());
    port = (api.server.address() as AddressInfo).port;

    const recorder = new HistoryRecorder({
      redis: quietDuplicate(stores.redis, names.connectionName('history')),
      names,
      history: stores.history,
      readJob: (id) => stores.status.read(id),
      onLog: log,
    });
    await recorder.start();
    closers.add(() => recorder.close());
    await relay.start();
    closers.add(() => relay.close());
    closers.add(() => outlets.close());
    await step(`The events exchange on RabbitMQ at ${redactUrl(config.amqpUrl)}`, 'AMQP_URL', () => outlets.start());

    const mail = await startMail(config, stores.mailbox, closers, log);
    smtp = { host: mail.host, port: mail.port };
    startRetention(config, stores, closers, log);

    if (options.workerEntry) {
      const started = startWorkers(config, options.workerEntry, mail.url, log);
      closers.add(() => started.close());
      supervisor = started;
      // The address is printed once jobs can run: before it, a job would wait in QUEUED for a worker.
      if (!(await started.whenReady(WORKERS_READY_WAIT_MS))) {
        log(`the workers are not ready after ${WORKERS_READY_WAIT_MS / 1000} s; GET /api/v1/health answers "starting" until they are`);
      }
    }
    return {
      url: `http://${host}:${port}`,
      port,
      smtpUrl: mail.url,
      jobs,
      relay,
      supervisor,
      health,
      queues,
      settings,
      mailbox: stores.mailbox,
      inbox: stores.inbox,
      batches: outlets.batches,
      webhooks: outlets.webhooks,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
