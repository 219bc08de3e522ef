import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { promisify } from 'node:util';
import { databaseConnection } from '../../src-shared/node/database-url';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';
import { namesFor } from '../../src-shared/topology';

/** The built-in kinds: the book's three. */
const JOB_KINDS = builtinKindRegistry().names;

const run = promisify(execFile);

/** Service URLs the tests use: the environment's, or the machine's defaults. */
export const TEST_SERVICES = {
  amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/jobdeck',
};

/** Connection settings of the test database (the OS user when the URL names none, as the console does). */
export function testDatabaseConfig(): pg.ClientConfig {
  return databaseConnection(TEST_SERVICES.databaseUrl, process.env.PGUSER || userInfo().username);
}

/** A namespace no other test or console uses: `<prefix>_<random>`. */
export function uniqueNamespace(prefix = 'jdt'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** The broker's queues whose names start with `prefix` (local rabbitmqctl): retry and dead-letter queues. */
async function queuesNamed(prefix: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_queues', 'name', '--no-table-headers']);
  return stdout.split('\n').map((line) => line.trim()).filter((name) => name.startsWith(prefix));
}

/** Removes everything a namespace made: its queues and exchange, Redis keys and database schema. */
export async function dropNamespace(namespace: string): Promise<void> {
  const names = namesFor(namespace);
  const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
  try {
    const channel = await connection.createChannel();
    for (const kind of JOB_KINDS) await channel.deleteQueue(names.queue(kind));
    for (const queue of await queuesNamed(`${names.exchange}.`)) await channel.deleteQueue(queue);
    await channel.deleteExchange(names.exchange);
    await channel.deleteExchange(names.eventsExchange);
  } finally {
    await connection.close();
  }

  const redis = new Redis(TEST_SERVICES.redisUrl);
  try {
    await deleteKeys(redis, `${namespace}:*`);
  } finally {
    redis.disconnect();
  }

  const client = new pg.Client(testDatabaseConfig());
  await client.connect().catch(() => undefined);
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(names.schema)} CASCADE`);
  } catch {
    // The database may not exist when no console ever started against it.
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Deletes every Redis key matching `pattern` (SCAN, so a large namespace does not block Redis). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
