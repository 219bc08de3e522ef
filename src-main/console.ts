import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { redactUrl } from '../src-shared/redact';
import { JobStatusClient } from '../src-shared/status-store';
import { namesFor } from '../src-shared/topology';
import { buildApi } from './api/server';
import { JobPublisher } from './broker/job-publisher';
import type { ConsoleConfig } from './config';
import { openDatabase } from './database/database';
import { migrate } from './database/migrations';
import { checkHealth } from './health';
import { HistoryRecorder } from './history/history-recorder';
import { JobHistory } from './history/job-history';
import { WebhookInbox } from './inbox/webhook-inbox';
import { JobService } from './jobs/job-service';
import { MailSink } from './mailbox/mail-sink';
import { MailboxStore } from './mailbox/mailbox-store';
import { EventRelay } from './relay/event-relay';
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
  close(): Promise<void>;
}

/** A start-up failure, said in one line that names the setting to change. */
export class StartupError extends Error {
  override name = 'StartupError';
}

const CONNECT_TIMEOUT_MS = 5_000;
const PRUNE_EVERY_MS = 60 * 60_000;

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code && !e.message?.includes(e.code) ? `${e.code}: ${e.message}` : String(e.message ?? error);
}

async function step<T>(what: string, setting: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StartupError(`${what} failed (${reason(error)}); check ${setting}`);
  }
}

async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: CONNECT_TIMEOUT_MS,
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
 * The composition root: builds every part from the config and starts them in order —
 * database, Redis, broker, history, relay, API, mail sink, workers — and stops them in reverse.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const names = namesFor(config.namespace);
  const closers: (() => Promise<unknown> | unknown)[] = [];
  const close = async (): Promise<void> => {
    while (closers.length) await Promise.resolve(closers.pop()!()).catch(() => undefined);
  };

  try {
    const pool: pg.Pool = await step(`PostgreSQL at ${redactUrl(config.databaseUrl)}`, 'DATABASE_URL', async () => {
      const opened = await openDatabase({ url: config.databaseUrl, applicationName: names.connectionName('api') });
      closers.push(() => opened.end());
      await migrate(opened, names.schema);
      return opened;
    });

    const redis = await step(`Redis at ${redactUrl(config.redisUrl)}`, 'REDIS_URL', () =>
      connectRedis(config.redisUrl, names.connectionName('api')),
    );
    closers.push(() => redis.quit());
    const limits = { terminalTtlSeconds: config.statusTtlSeconds, streamMaxLength: config.eventStreamMaxLength };
    const status = new JobStatusClient(redis, names, limits);

    const publisher = new JobPublisher({ url: config.amqpUrl, names, onLog: log });
    await step(`RabbitMQ at ${redactUrl(config.amqpUrl)}`, 'AMQP_URL', () => publisher.start());
    closers.push(() => publisher.close());

    const history = new JobHistory(pool, names.schema);
    const recorder = new HistoryRecorder({
      redis: redis.duplicate({ connectionName: names.connectionName('history') }),
      stream: names.eventStream,
      history,
      onLog: log,
    });
    await recorder.start();
    closers.push(() => recorder.close());

    const relay = new EventRelay({
      redis: redis.duplicate({ connectionName: names.connectionName('relay') }),
      reader: redis,
      stream: names.eventStream,
      onLog: log,
    });
    await relay.start();
    closers.push(() => relay.close());

    const mailbox = new MailboxStore(pool, names.schema);
    const inbox = new WebhookInbox(pool, names.schema);
    let port = config.port;
    const localHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    let smtp = { host: config.smtpSinkHost, port: config.smtpSinkPort };
    const jobs = new JobService({
      status,
      publisher,
      history,
      defaults: {
        callbackUrl: (id) => `http://${localHost}:${port}/api/v1/inbox/jobs/${id}`,
        recipient: config.defaultRecipient,
      },
    });

    const api = await buildApi({
      jobs,
      relay,
      mailbox,
      inbox,
      health: () => checkHealth({ publisher, redis, pool, smtp: () => smtp }),
      guard: { host: config.host, port: () => port, allowedHosts: config.allowedHosts },
      rendererDir: options.rendererDir,
      onLog: log,
    });
    await step(`Listening on ${config.host}:${config.port}`, 'JOBDECK_PORT or JOBDECK_HOST', async () => {
      await api.listen({ host: config.host, port: config.port });
    }).catch(async (error: StartupError) => {
      await api.close();
      if (error.message.includes('EADDRINUSE')) {
        throw new StartupError(
          `port ${config.port} on ${config.host} is already in use (another Jobdeck console?); set JOBDECK_PORT to a free port`,
        );
      }
      throw error;
    });
    closers.push(() => api.close());
    port = (api.server.address() as AddressInfo).port;

    if (config.smtpUrl) {
      const url = new URL(config.smtpUrl);
      smtp = { host: url.hostname, port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)) };
    } else {
      const sink = new MailSink({ host: config.smtpSinkHost, port: config.smtpSinkPort, store: mailbox, onLog: log });
      const sinkPort = await step(
        `The mail sink on ${config.smtpSinkHost}:${config.smtpSinkPort}`,
        'JOBDECK_SMTP_SINK_PORT (or SMTP_URL to use another mail server)',
        () => sink.listen(),
      );
      closers.push(() => sink.close());
      smtp = { host: config.smtpSinkHost, port: sinkPort };
    }
    const smtpUrl = config.smtpUrl ?? `smtp://${smtp.host}:${smtp.port}`;

    const prune = (): void => {
      void Promise.all([
        history.prune(config.historyRetentionDays),
        mailbox.prune(config.mailboxRetentionDays),
        inbox.prune(config.inboxRetentionDays),
      ]).catch((error: Error) => log(`pruning old records failed: ${error.message}`));
    };
    prune();
    const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
    pruneTimer.unref();
    closers.push(() => clearInterval(pruneTimer));

    let supervisor: WorkerSupervisor | null = null;
    if (options.workerEntry) {
      const started = new WorkerSupervisor({
        entry: options.workerEntry,
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
        },
      });
      started.start();
      closers.push(() => started.close());
      supervisor = started;
    }

    return { url: `http://${localHost}:${port}`, port, smtpUrl, jobs, relay, supervisor, close };
  } catch (error) {
    await close();
    throw error;
  }
}
