import type { Redis } from 'ioredis';
import type pg from 'pg';
import { redactUrl } from '../../src-shared/redact';
import { JobStatusClient } from '../../src-shared/node/status-store';
import type { Names } from '../../src-shared/topology';
import type { ConsoleConfig } from '../config';
import { RedisConnections } from '../connections/redis';
import { openDatabase } from '../database/database';
import { migrate } from '../database/migrations';
import { JobHistory } from '../history/job-history';
import { JobLogs } from '../history/job-logs';
import { JobLogStore } from '../../src-shared/node/job-log-store';
import { WebhookInbox } from '../inbox/webhook-inbox';
import type { Closers } from '../lifecycle/closers';
import { MailboxStore } from '../mailbox/mailbox-store';
import { SavedViewStore } from '../saved-views/saved-view-store';
import { step } from './startup-error';

/** PostgreSQL and Redis, and the stores the console keeps in them. */
export interface Stores {
  pool: pg.Pool;
  redis: Redis;
  /** Where the stream readers get Redis connections of their own. */
  connections: RedisConnections;
  status: JobStatusClient;
  history: JobHistory;
  /** Jobs' log lines, in Redis and in the history. */
  logs: JobLogs;
  mailbox: MailboxStore;
  inbox: WebhookInbox;
  /** Named queries of the Jobs view. */
  savedViews: SavedViewStore;
}

export async function openStores(config: ConsoleConfig, names: Names, closers: Closers, log: (line: string) => void): Promise<Stores> {
  const pool = await step(`PostgreSQL at ${redactUrl(config.databaseUrl)}`, 'DATABASE_URL', async () => {
    const opened = await openDatabase({ url: config.databaseUrl, applicationName: names.connectionName('api') });
    closers.add('PostgreSQL pool', () => opened.end());
    await migrate(opened, names.schema, log);
    return opened;
  });
  const connections = new RedisConnections(config.redisUrl, names);
  const redis = await step(`Redis at ${redactUrl(config.redisUrl)}`, 'REDIS_URL', () => connections.open('api'));
  closers.add('Redis connection', () => redis.quit());
  const limits = {
    terminalTtlSeconds: config.statusTtlSeconds,
    streamMaxLength: config.eventStreamMaxLength,
    defaultMaxAttempts: config.retry.maxAttempts,
  };
  const trimFailed = (what: string) => (error: Error) => log(`trimming the ${what} to its quota failed: ${error.message}`);
  const mailbox = new MailboxStore(pool, names.schema, config.mailboxQuota, trimFailed('mailbox'));
  const inbox = new WebhookInbox(pool, names.schema, config.inboxQuota, trimFailed('inbox'));
  closers.add('mailbox and inbox', () => Promise.all([mailbox.close(), inbox.close()]));
  const status = new JobStatusClient(redis, names, limits);
  const logs = new JobLogs(pool, names.schema, new JobLogStore(redis, names));
  return { pool, redis, connections, status, history: new JobHistory(pool, names.schema), logs, mailbox, inbox, savedViews: new SavedViewStore(pool, names.schema) };
}
