/**
 * `npm run namespace:drop -- <name> [--yes]`: removes everything one Jobdeck namespace made —
 * its RabbitMQ queues (work, retry ladder, dead-letter) and exchanges (jobs, events), its Redis
 * keys (`<name>:*`) and its PostgreSQL schema — after asking for the name again (unless
 * `--yes`). It reads AMQP_URL, REDIS_URL, DATABASE_URL and the retry settings as the console
 * does, and refuses a namespace that a console or worker is consuming from.
 *
 * The broker cannot list queues over AMQP, so the retry queues removed are those of the retry
 * ladder the settings name and of the default ladder (a queue is named after its delay).
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig, type ConsoleConfig } from '../src-main/config';
import { databaseConnection } from '../src-shared/node/database-url';
import { builtinKindRegistry } from '../src-shared/builtin-kinds';
import type { JobKind } from '../src-shared/kinds';
import { redactText } from '../src-shared/redact';
import { DEFAULT_RETRY_POLICY, retryLadder } from '../src-shared/retry-policy';
import { NAMESPACE_PATTERN, namesFor, type Names } from '../src-shared/topology';
import { runIfEntryPoint } from './script-entry';

const SCAN_COUNT = 1000;
const CONNECT_TIMEOUT_MS = 5_000;

/** A problem the user can act on: printed without a stack, exit 1. */
export class DropError extends Error {}

/** One broker object of the namespace, as found. */
interface BrokerObject {
  type: 'queue' | 'exchange';
  name: string;
  messages?: number;
  consumers?: number;
}

/** What the namespace holds now. */
interface Inventory {
  broker: BrokerObject[];
  redisKeys: number;
  schema: { exists: boolean; tables: number };
}

/** The namespace's queues the topology declares for `kinds` (the console's registry), for the given retry ladders. */
export function namespaceQueues(
  names: Names,
  ladders: readonly (readonly number[])[],
  kinds: readonly JobKind[] = builtinKindRegistry().names,
): string[] {
  const delays = [...new Set(ladders.flat())].sort((a, b) => a - b);
  return kinds.flatMap((kind) => [
    names.queue(kind),
    ...delays.map((ms) => names.retryQueue(kind, ms)),
    names.deadQueue(kind),
  ]);
}

/** The namespace's exchanges: jobs (direct) and events (topic). */
export function namespaceExchanges(names: Names): string[] {
  return [names.exchange, names.eventsExchange];
}

/** The arguments: the namespace and whether `--yes` skips the question. */
export function parseArgs(argv: readonly string[]): { namespace: string; yes: boolean } {
  const yes = argv.includes('--yes');
  const rest = argv.filter((a) => a !== '--yes');
  if (rest.length !== 1 || rest[0]!.startsWith('-')) {
    throw new DropError('usage: npm run namespace:drop -- <namespace> [--yes]');
  }
  const namespace = rest[0]!;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new DropError(
      `"${namespace}" is not a namespace: a namespace is lowercase letters, digits and _, starting with a letter (at most 40)`,
    );
  }
  return { namespace, yes };
}

// ───────────────────────────── RabbitMQ ─────────────────────────────

/** Runs `use` on a fresh channel; a 404 (the object does not exist) resolves null. */
async function onChannel<T>(connection: amqp.ChannelModel, use: (channel: amqp.Channel) => Promise<T>): Promise<T | null> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    return await use(channel);
  } catch (error) {
    if ((error as { code?: number }).code === 404) return null;
    throw error;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function findBrokerObjects(connection: amqp.ChannelModel, names: Names, ladders: number[][], kinds: readonly JobKind[]): Promise<BrokerObject[]> {
  const found: BrokerObject[] = [];
  for (const name of namespaceQueues(names, ladders, kinds)) {
    const queue = await onChannel(connection, (channel) => channel.checkQueue(name));
    if (queue) found.push({ type: 'queue', name, messages: queue.messageCount, consumers: queue.consumerCount });
  }
  for (const name of namespaceExchanges(names)) {
    if (await onChannel(connection, (channel) => channel.checkExchange(name))) found.push({ type: 'exchange', name });
  }
  return found;
}

async function removeBrokerObjects(connection: amqp.ChannelModel, objects: BrokerObject[]): Promise<void> {
  await onChannel(connection, async (channel) => {
    for (const object of objects) {
      if (object.type === 'queue') await channel.deleteQueue(object.name);
      else await channel.deleteExchange(object.name);
    }
  });
}

// ───────────────────────────── Redis ─────────────────────────────

/** Visits the namespace's keys a page at a time (SCAN: a large namespace does not block Redis). */
async function forEachKeyPage(redis: Redis, namespace: string, visit: (keys: string[]) => Promise<void>): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', SCAN_COUNT);
    if (keys.length > 0) await visit(keys);
    cursor = next;
  } while (cursor !== '0');
}

async function countKeys(redis: Redis, namespace: string): Promise<number> {
  let count = 0;
  await forEachKeyPage(redis, namespace, async (keys) => void (count += keys.length));
  return count;
}

/** UNLINK every key of the namespace (freed in the background); returns how many went. */
async function removeKeys(redis: Redis, namespace: string): Promise<number> {
  let removed = 0;
  await forEachKeyPage(redis, namespace, async (keys) => void (removed += await redis.unlink(...keys)));
  return removed;
}

// ───────────────────────────── PostgreSQL ─────────────────────────────

const DATABASE_MISSING = '3D000';

async function findSchema(client: pg.Client | null, schema: string): Promise<Inventory['schema']> {
  if (!client) return { exists: false, tables: 0 };
  const { rows } = await client.query<{ tables: string }>(
    `SELECT count(t.table_name) AS tables FROM information_schema.schemata s
       LEFT JOIN information_schema.tables t ON t.table_schema = s.schema_name
      WHERE s.schema_name = $1 GROUP BY s.schema_name`,
    [schema],
  );
  return rows[0] ? { exists: true, tables: Number(rows[0].tables) } : { exists: false, tables: 0 };
}

/** A client on the configured database, or null when that database does not exist (nothing to drop). */
async function connectDatabase(url: string): Promise<pg.Client | null> {
  const client = new pg.Client({
    ...databaseConnection(url, process.env.PGUSER || userInfo().username),
    application_name: 'jobdeck:namespace-drop',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code === DATABASE_MISSING) return null;
    throw error;
  }
}

// ───────────────────────────── the run ─────────────────────────────

/** The three connections, each opened with a message naming the variable to check. */
interface Connections {
  amqp: amqp.ChannelModel;
  redis: Redis;
  database: pg.Client | null;
}

async function reach<T>(what: string, variable: string, url: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw new DropError(`cannot reach ${what} at ${redactText(url)} (${(error as Error).message}); check ${variable}`);
  }
}

async function connect(config: ConsoleConfig): Promise<Connections> {
  const broker = await reach('RabbitMQ', 'AMQP_URL', config.amqpUrl, () =>
    amqp.connect(config.amqpUrl, { timeout: CONNECT_TIMEOUT_MS, clientProperties: { connection_name: 'jobdeck:namespace-drop' } }),
  );
  const redis = new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  await reach('Redis', 'REDIS_URL', config.redisUrl, () => redis.connect());
  const database = await reach('PostgreSQL', 'DATABASE_URL', config.databaseUrl, () => connectDatabase(config.databaseUrl));
  return { amqp: broker, redis, database };
}

async function close(connections: Connections): Promise<void> {
  await connections.amqp.close().catch(() => undefined);
  connections.redis.disconnect();
  await connections.database?.end().catch(() => undefined);
}

async function takeInventory(connections: Connections, names: Names, ladders: number[][], kinds: readonly JobKind[]): Promise<Inventory> {
  return {
    broker: await findBrokerObjects(connections.amqp, names, ladders, kinds),
    redisKeys: await countKeys(connections.redis, names.namespace),
    schema: await findSchema(connections.database, names.schema),
  };
}

function describeInventory(inventory: Inventory, names: Names): string[] {
  const lines = inventory.broker.map((o) =>
    o.type === 'queue' ? `RabbitMQ queue ${o.name} (${o.messages} messages)` : `RabbitMQ exchange ${o.name}`,
  );
  if (inventory.redisKeys > 0) lines.push(`Redis keys ${names.namespace}:* (${inventory.redisKeys})`);
  if (inventory.schema.exists) lines.push(`PostgreSQL schema "${names.schema}" (${inventory.schema.tables} tables)`);
  return lines;
}

/** True when the user typed the namespace again. */
async function confirmed(namespace: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await Promise.race([
      prompt.question(`Type the namespace again to remove all of it: `),
      new Promise<null>((resolve) => prompt.once('close', () => resolve(null))),
    ]);
    return answer?.trim() === namespace;
  } finally {
    prompt.close();
  }
}

async function removeAll(connections: Connections, inventory: Inventory, names: Names): Promise<number> {
  await removeBrokerObjects(connections.amqp, inventory.broker);
  const keys = await removeKeys(connections.redis, names.namespace);
  if (inventory.schema.exists) {
    await connections.database!.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(names.schema)} CASCADE`);
  }
  return keys;
}

async function run(argv: readonly string[]): Promise<void> {
  const { namespace, yes } = parseArgs(argv);
  const config = loadConfig(process.env);
  const names = namesFor(namespace);
  const ladders = [retryLadder(config.retry), retryLadder(DEFAULT_RETRY_POLICY)];
  const connections = await connect(config);
  try {
    const inventory = await takeInventory(connections, names, ladders, config.kinds.names);
    const lines = describeInventory(inventory, names);
    if (lines.length === 0) {
      console.log(`namespace ${namespace}: nothing to remove`);
      return;
    }
    const busy = inventory.broker.filter((o) => (o.consumers ?? 0) > 0);
    if (busy.length > 0) {
      throw new DropError(
        `namespace ${namespace} is in use: ${busy.map((o) => `${o.name} has ${o.consumers} consumer(s)`).join(', ')}. ` +
          'Stop its consoles and workers first.',
      );
    }
    console.log(`namespace ${namespace} holds:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    if (!yes && !(await confirmed(namespace))) throw new DropError('the name did not match; nothing removed');
    const redisKeys = await removeAll(connections, inventory, names);
    const removed = describeInventory({ ...inventory, redisKeys }, names);
    console.log(`namespace ${namespace} removed:\n${removed.map((l) => `  ${l}`).join('\n')}`);
  } finally {
    await close(connections);
  }
}

runIfEntryPoint(import.meta.url, 'namespace:drop', run, (error) => error instanceof DropError || (error as Error).name === 'ConfigError');
