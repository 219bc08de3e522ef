// `npm run namespace:drop` against the real services: a throwaway namespace declared the way
// the console declares it (topology, Redis keys, schema) goes entirely, and a namespace whose
// name merely starts the same way stays.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';
import { DEFAULT_RETRY_POLICY, retryLadder } from '../../src-shared/retry-policy';
import { declareTopology, namesFor } from '../../src-shared/topology';
import { TEST_SERVICES, dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';

/** The built-in kinds: the book's three. */
const JOB_KINDS = builtinKindRegistry().names;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LADDER = retryLadder(DEFAULT_RETRY_POLICY);

interface Run {
  code: number | null;
  output: string;
}

/** Runs the script as `npm run namespace:drop` does, typing `input` on its stdin. */
function dropScript(args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/namespace-drop.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, AMQP_URL: TEST_SERVICES.amqpUrl, REDIS_URL: TEST_SERVICES.redisUrl, DATABASE_URL: TEST_SERVICES.databaseUrl },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}

let connection: amqp.ChannelModel;
let redis: Redis;
let database: pg.Client;

/** Declares what a console of `namespace` makes: topology with a queued message, keys, schema. */
async function createNamespace(namespace: string): Promise<void> {
  const names = namesFor(namespace);
  const channel = await connection.createConfirmChannel();
  await declareTopology(channel, names, JOB_KINDS, LADDER);
  await channel.assertExchange(names.eventsExchange, 'topic', { durable: true });
  channel.publish(names.exchange, 'log', Buffer.from('{}'), { persistent: true });
  await channel.waitForConfirms();
  await channel.close();
  await redis.hset(names.jobKey('one'), 'status', 'QUEUED');
  await redis.xadd(names.eventStream, '*', 'event', '{}');
  await redis.set(names.idempotencyKey('k'), 'x');
  await database.query(`CREATE SCHEMA ${pg.escapeIdentifier(names.schema)}`);
  await database.query(`CREATE TABLE ${pg.escapeIdentifier(names.schema)}.jobs (id uuid PRIMARY KEY)`);
}

/** Which parts of the namespace exist now. */
async function whatExists(namespace: string): Promise<{ queues: string[]; exchanges: string[]; keys: number; schema: boolean }> {
  const names = namesFor(namespace);
  const candidates = JOB_KINDS.flatMap((kind) => [names.queue(kind), names.deadQueue(kind), ...LADDER.map((ms) => names.retryQueue(kind, ms))]);
  const exists = async (check: (channel: amqp.Channel) => Promise<unknown>): Promise<boolean> => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await check(channel);
      await channel.close();
      return true;
    } catch {
      return false;
    }
  };
  const queues: string[] = [];
  for (const name of candidates) if (await exists((c) => c.checkQueue(name))) queues.push(name);
  const exchanges: string[] = [];
  for (const name of [names.exchange, names.eventsExchange]) if (await exists((c) => c.checkExchange(name))) exchanges.push(name);
  const keys = (await redis.keys(`${namespace}:*`)).length;
  const { rowCount } = await database.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [names.schema]);
  return { queues, exchanges, keys, schema: rowCount === 1 };
}

const FULL = { queues: JOB_KINDS.length * (2 + LADDER.length), exchanges: 2, keys: 3, schema: true };

describe('npm run namespace:drop', () => {
  const made: string[] = [];

  beforeAll(async () => {
    connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    redis = new Redis(TEST_SERVICES.redisUrl);
    database = new pg.Client(testDatabaseConfig());
    await database.connect();
  });

  afterEach(async () => {
    for (const namespace of made.splice(0)) await dropNamespace(namespace);
  });

  afterAll(async () => {
    await connection.close();
    redis.disconnect();
    await database.end();
  });

  async function throwaway(): Promise<string> {
    const namespace = uniqueNamespace('jdt_drop');
    made.push(namespace, `${namespace}_keep`);
    await createNamespace(namespace);
    await createNamespace(`${namespace}_keep`);
    const before = await whatExists(namespace);
    expect({ ...before, queues: before.queues.length, exchanges: before.exchanges.length }).toEqual(FULL);
    return namespace;
  }

  it('removes queues, exchanges, keys and schema once the name is typed again, and nothing else', async () => {
    const namespace = await throwaway();
    const run = await dropScript([namespace], `${namespace}\n`);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`RabbitMQ queue ${namespace}.jobs.log (1 messages)`);
    expect(run.output).toContain(`RabbitMQ queue ${namespace}.jobs.email.retry.${LADDER.at(-1)}ms`);
    expect(run.output).toContain(`RabbitMQ exchange ${namespace}.events`);
    expect(run.output).toContain(`Redis keys ${namespace}:* (3)`);
    expect(run.output).toContain(`PostgreSQL schema "${namespace}" (1 tables)`);
    expect(run.output).toContain(`namespace ${namespace} removed:`);
    expect(await whatExists(namespace)).toEqual({ queues: [], exchanges: [], keys: 0, schema: false });
    const kept = await whatExists(`${namespace}_keep`);
    expect({ ...kept, queues: kept.queues.length, exchanges: kept.exchanges.length }).toEqual(FULL);
  });

  it('removes nothing when the name typed again differs or stdin ends', async () => {
    const namespace = await throwaway();
    for (const input of ['jobdeck\n', '']) {
      const run = await dropScript([namespace], input);
      expect(run.code).toBe(1);
      expect(run.output).toContain('the name did not match; nothing removed');
    }
    const after = await whatExists(namespace);
    expect({ ...after, queues: after.queues.length, exchanges: after.exchanges.length }).toEqual(FULL);
  });

  it('asks nothing with --yes, and says so when there is nothing left', async () => {
    const namespace = await throwaway();
    const run = await dropScript([namespace, '--yes']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('Type the namespace again');
    expect((await whatExists(namespace)).keys).toBe(0);
    const again = await dropScript([namespace, '--yes']);
    expect(again.output).toContain(`namespace ${namespace}: nothing to remove`);
  });

  it('refuses a namespace a consumer is using, and a name that is no namespace', async () => {
    const namespace = await throwaway();
    const channel = await connection.createChannel();
    await channel.consume(namesFor(namespace).queue('email'), () => undefined);
    const busy = await dropScript([namespace, '--yes']);
    await channel.close();
    expect(busy.code).toBe(1);
    expect(busy.output).toContain(`${namespace}.jobs.email has 1 consumer(s)`);
    expect((await whatExists(namespace)).schema).toBe(true);

    const bad = await dropScript(['Jobdeck.jobs', '--yes']);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('"Jobdeck.jobs" is not a namespace: a namespace is lowercase letters');
  });
});
