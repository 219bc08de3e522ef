import type { JobKind } from './kinds';

/**
 * Every name Jobdeck gives a shared resource, derived from one namespace so that several
 * consoles and test runs can share a broker, a Redis and a database without touching each other.
 */
export interface Names {
  namespace: string;
  /** Direct exchange jobs are published to, routed by kind. */
  exchange: string;
  /** Durable queue of one kind. */
  queue(kind: JobKind): string;
  /**
   * Delay queue of one kind where a failed job waits `delayMs` (its TTL) before the broker
   * dead-letters it back to the exchange, and so to the kind's queue.
   */
  retryQueue(kind: JobKind, delayMs: number): string;
  /** Dead-letter queue of one kind: the messages of jobs that failed for good; the console drains it into PostgreSQL (`dead_letters`). */
  deadQueue(kind: JobKind): string;
  /** Redis hash holding one job's status. */
  jobKey(id: string): string;
  /**
   * Redis keys of one job's log: the stream of its lines (`at`, `attempt`, `line`), apart from
   * the event stream, and the count of bytes it holds (its bound). They expire with the status.
   */
  jobLogKey(id: string, part: 'lines' | 'bytes'): string;
  /** Redis pub/sub channel on which the console tells the workers a running job was cancelled. */
  cancelChannel: string;
  /** Redis pub/sub channel on which a console's runner publishes a bulk operation's full state whenever it changes. */
  operationsChannel: string;
  /** Redis pub/sub channel on which the console evaluating the alert rules publishes each fire and resolve (an `AlertNotice`). */
  alertsChannel: string;
  /** Redis key of the lease one console holds while it evaluates the alert rules (its owner's ID, with a TTL it renews). */
  alertsLease: string;
  /** Redis sorted set of supervised workers' unexpected exits (score: when, member: `<supervisor>/<slot>/<when>/<random>`), for crash-loop rules. */
  workerExits: string;
  /**
   * Topic exchange every event is published to (durable, JSON body = the event, message ID =
   * the stream ID), routing key `<kind>.<status>` with spaces as `_`: see `routingKeyOf`.
   */
  eventsExchange: string;
  /** Redis keys of one batch: the children not yet terminal, and the fan-in claim. */
  batchKey(id: string, part: 'pending' | 'fan-in'): string;
  /** Redis key remembering one `Idempotency-Key` and its first answer. */
  idempotencyKey(key: string): string;
  /** Redis stream of every job event. */
  eventStream: string;
  /** Redis key of one worker's heartbeat (see `workerHeartbeatSchema`), by the worker's name. */
  workerKey(name: string): string;
  /** Redis set of the names of the workers that wrote a heartbeat (some may have expired since). */
  workersIndex: string;
  /** Redis set of every kind a console of the namespace has run with: a kind removed from the kinds file stays in it. */
  kindsIndex: string;
  /**
   * Redis key of the outbound settings the namespace's console runs with (JSON, see
   * `publishedOutboundSchema`): every worker, spawned or started by hand, obeys them too.
   */
  consoleOutbound: string;
  /** PostgreSQL schema of the history, the log records, the mailbox and the inbox. */
  schema: string;
  /** AMQP connection name shown by the broker (and used to find a test's own connections). */
  connectionName(role: string): string;
}

export const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export function namesFor(namespace: string): Names {
  return {
    namespace,
    exchange: `${namespace}.jobs`,
    queue: (kind) => `${namespace}.jobs.${kind}`,
    retryQueue: (kind, delayMs) => `${namespace}.jobs.${kind}.retry.${delayMs}ms`,
    deadQueue: (kind) => `${namespace}.jobs.${kind}.dead`,
    jobKey: (id) => `${namespace}:job:${id}`,
    jobLogKey: (id, part) => (part === 'lines' ? `${namespace}:log:${id}` : `${namespace}:log:${id}:bytes`),
    cancelChannel: `${namespace}:cancel`,
    operationsChannel: `${namespace}:operations`,
    alertsChannel: `${namespace}:alerts`,
    alertsLease: `${namespace}:alerts:lease`,
    workerExits: `${namespace}:worker-exits`,
    eventsExchange: `${namespace}.events`,
    batchKey: (id, part) => `${namespace}:batch:${id}:${part}`,
    idempotencyKey: (key) => `${namespace}:idem:${key}`,
    eventStream: `${namespace}:events`,
    workerKey: (name) => `${namespace}:worker:${name}`,
    workersIndex: `${namespace}:workers`,
    kindsIndex: `${namespace}:kinds`,
    consoleOutbound: `${namespace}:console:outbound`,
    schema: namespace,
    connectionName: (role) => `${namespace}:${role}`,
  };
}

/** The part of an AMQP channel that declares topology (structural, so this file stays pure). */
export interface TopologyChannel {
  assertExchange(name: string, type: string, options: { durable: boolean }): Promise<unknown>;
  assertQueue(name: string, options: { durable: boolean; arguments?: Record<string, unknown> }): Promise<unknown>;
  bindQueue(queue: string, exchange: string, routingKey: string): Promise<unknown>;
}

/**
 * Declares the exchange, the kinds' queues, their retry ladders (`ladderMs`, see
 * `retryLadder`) and dead-letter queues (idempotent): both the console, which publishes, and
 * every worker, which may start first on another machine, call it, with the same ladder.
 * A retry queue is named after its delay, so a changed ladder declares new queues rather than
 * clashing with the arguments of old ones.
 */
export async function declareTopology(
  channel: TopologyChannel,
  names: Names,
  kinds: readonly JobKind[],
  ladderMs: readonly number[],
): Promise<void> {
  await channel.assertExchange(names.exchange, 'direct', { durable: true });
  for (const kind of kinds) {
    await channel.assertQueue(names.queue(kind), { durable: true });
    await channel.bindQueue(names.queue(kind), names.exchange, kind);
    await channel.assertQueue(names.deadQueue(kind), { durable: true });
    for (const delayMs of ladderMs) {
      await channel.assertQueue(names.retryQueue(kind, delayMs), {
        durable: true,
        arguments: {
          'x-message-ttl': delayMs,
          'x-dead-letter-exchange': names.exchange,
          'x-dead-letter-routing-key': kind,
        },
      });
    }
  }
}
