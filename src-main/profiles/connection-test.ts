import amqp from 'amqplib';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { userInfo } from 'node:os';
import type { DependencyState } from '../../src-shared/console-records';
import { databaseConnection } from '../../src-shared/node/database-url';
import type { ConnectionProfile, ProfileTest } from '../../src-shared/profile-schemas';
import { redactText } from '../../src-shared/redact';
import { within } from '../lifecycle/within';

const TEST_TIMEOUT_MS = 5_000;

/** Tries one service: up, or its error (passwords masked); a service that does not answer in time is down. */
async function tryService(what: string, connectAndClose: () => Promise<unknown>): Promise<DependencyState> {
  const late = Symbol('late');
  try {
    if ((await within(connectAndClose(), TEST_TIMEOUT_MS, late)) === late) return { up: false, error: `${what} did not answer within ${TEST_TIMEOUT_MS / 1000} s` };
    return { up: true, error: null };
  } catch (error) {
    return { up: false, error: redactText(`${what}: ${(error as Error).message || String(error)}`) };
  }
}

async function tryRabbitMq(url: string): Promise<void> {
  const connection = await amqp.connect(url, { timeout: TEST_TIMEOUT_MS });
  await connection.close();
}

async function tryRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: TEST_TIMEOUT_MS, enableOfflineQueue: false });
  // ioredis rejects a failed connect with "Connection is closed."; the socket's own error says why.
  let cause: Error | null = null;
  redis.on('error', (error: Error) => (cause ??= error));
  try {
    await redis.connect().catch((error: unknown) => {
      throw cause ?? error;
    });
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function tryPostgres(url: string): Promise<void> {
  const client = new pg.Client({ ...databaseConnection(url, process.env.PGUSER || userInfo().username), connectionTimeoutMillis: TEST_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function trySmtp(url: string): Promise<void> {
  const transport = nodemailer.createTransport(url);
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
}

/**
 * Connects to each service of a profile, in parallel, and hangs up: each by name with its
 * error. A profile without SMTP URL sends through the console's embedded mail sink, which is up
 * while the console runs.
 */
export async function testProfile(profile: ConnectionProfile): Promise<ProfileTest> {
  const [rabbitmq, redis, postgresql, smtp] = await Promise.all([
    tryService('RabbitMQ', () => tryRabbitMq(profile.amqp_url)),
    tryService('Redis', () => tryRedis(profile.redis_url)),
    tryService('PostgreSQL', () => tryPostgres(profile.database_url)),
    profile.smtp_url === null ? Promise.resolve({ up: true, error: null }) : tryService('SMTP', () => trySmtp(profile.smtp_url!)),
  ]);
  const services = { rabbitmq, redis, postgresql, smtp };
  return { ok: Object.values(services).every((s) => s.up), services };
}
