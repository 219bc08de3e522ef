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
  /** Redis hash holding one job's status. */
  jobKey(id: string): string;
  /** Redis key remembering one `Idempotency-Key` and its first answer. */
  idempotencyKey(key: string): string;
  /** Redis stream of every job event. */
  eventStream: string;
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
    jobKey: (id) => `${namespace}:job:${id}`,
    idempotencyKey: (key) => `${namespace}:idem:${key}`,
    eventStream: `${namespace}:events`,
    schema: namespace,
    connectionName: (role) => `${namespace}:${role}`,
  };
}

/** The part of an AMQP channel that declares topology (structural, so this file stays pure). */
export interface TopologyChannel {
  assertExchange(name: string, type: string, options: { durable: boolean }): Promise<unknown>;
  assertQueue(name: string, options: { durable: boolean }): Promise<unknown>;
  bindQueue(queue: string, exchange: string, routingKey: string): Promise<unknown>;
}

/**
 * Declares the exchange and the kinds' queues (idempotent): both the console, which publishes,
 * and every worker, which may start first on another machine, call it.
 */
export async function declareTopology(
  channel: TopologyChannel,
  names: Names,
  kinds: readonly JobKind[],
): Promise<void> {
  await channel.assertExchange(names.exchange, 'direct', { durable: true });
  for (const kind of kinds) {
    await channel.assertQueue(names.queue(kind), { durable: true });
    await channel.bindQueue(names.queue(kind), names.exchange, kind);
  }
}
