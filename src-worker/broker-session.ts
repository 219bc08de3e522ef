import amqp from 'amqplib';
import { withHeartbeat } from '../src-shared/node/amqp-heartbeat';
import { coalesceFrameWrites } from '../src-shared/node/amqp-write-coalescing';
import type { JobKind } from '../src-shared/kinds';
import { declareTopology, type Names } from '../src-shared/topology';
import type { KindGate } from './kind-gate';

const CONNECT_TIMEOUT_MS = 5_000;

/** One connection to the broker and what runs on it; its jobs stop when it is lost. */
export interface Session {
  connection: amqp.ChannelModel;
  channel: amqp.Channel;
  publishChannel: amqp.ConfirmChannel;
  /** The consumer tag of each kind consumed now; a kind the gate holds has none. */
  consumers: Map<JobKind, string>;
  /** Set once the worker stops taking messages for good: the gate opens no consumer after it. */
  draining: boolean;
  /** Aborted when the session is lost or the worker stops: the broker has given its jobs back. */
  abort: AbortController;
}

/** What a session connects to and consumes. */
export interface SessionSettings {
  amqpUrl: string;
  names: Names;
  kinds: readonly JobKind[];
  prefetch: number;
  prefetchByKind?: Partial<Record<JobKind, number>>;
  /** The retry ladder's rungs, whose queues the topology declares. */
  ladder: number[];
  /** Which kinds to take messages of now; every kind when left out. */
  gate?: KindGate;
}

/** Hands one delivery of the session to the worker. */
export type OnDelivery = (session: Session, message: amqp.ConsumeMessage) => void;

/**
 * Connects, declares the topology and consumes the kinds' queues. Any loss afterwards (the
 * connection, a channel, or the broker cancelling a consumer) aborts the session, closes it and
 * calls `onLost` once.
 */
export async function openSession(settings: SessionSettings, onDelivery: OnDelivery, onLost: (reason: string) => void): Promise<Session> {
  const { names, kinds } = settings;
  const connection = await amqp.connect(withHeartbeat(settings.amqpUrl), {
    timeout: CONNECT_TIMEOUT_MS,
    noDelay: true, // acks go out at once, not held back by Nagle's algorithm
    clientProperties: { connection_name: names.connectionName(`worker:${kinds.join('+')}:${process.pid}`) },
  });
  coalesceFrameWrites(connection);
  const abort = new AbortController();
  // The broker has already put the lost session's unacked jobs back for another worker: they
  // stop here now, or their effects would happen twice.
  let lostOnce = false;
  const lost = (what: string) => (): void => {
    if (lostOnce) return;
    lostOnce = true;
    abort.abort();
    void connection.close().catch(() => undefined);
    onLost(what);
  };
  connection.on('error', () => undefined);
  connection.on('close', lost('RabbitMQ connection closed'));
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    channel.on('close', lost('RabbitMQ channel closed'));
    await declareTopology(channel, names, kinds, settings.ladder);
    const publishChannel = await connection.createConfirmChannel();
    publishChannel.on('error', () => undefined);
    publishChannel.on('close', lost('RabbitMQ publishing channel closed'));
    const session: Session = { connection, channel, publishChannel, consumers: new Map(), draining: false, abort };
    await followGate(session, settings, onDelivery, lost);
    return session;
  } catch (error) {
    lostOnce = true;
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Consumes the kinds the gate lets through, and from then on follows it: a kind it holds stops
 * (its consumer cancelled), a kind it releases consumes again, one change after the other.
 */
async function followGate(
  session: Session,
  settings: SessionSettings,
  onDelivery: OnDelivery,
  lost: (what: string) => () => void,
): Promise<void> {
  const { gate } = settings;
  let changes = Promise.resolve();
  const apply = (kind: JobKind, open: boolean): Promise<void> =>
    open ? consumeKind(session, settings, kind, onDelivery, lost) : stopConsuming(session, kind);
  const unsubscribe = gate?.subscribe((kind, open) => {
    if (!settings.kinds.includes(kind) || session.abort.signal.aborted) return;
    changes = changes.then(() => apply(kind, open)).catch(() => undefined);
  });
  if (unsubscribe) session.abort.signal.addEventListener('abort', unsubscribe, { once: true });
  for (const kind of settings.kinds) {
    if (gate && !gate.isOpen(kind)) continue;
    await consumeKind(session, settings, kind, onDelivery, lost);
  }
}

async function consumeKind(
  session: Session,
  settings: SessionSettings,
  kind: JobKind,
  onDelivery: OnDelivery,
  lost: (what: string) => () => void,
): Promise<void> {
  if (session.consumers.has(kind) || session.draining || session.abort.signal.aborted) return;
  const { channel } = session;
  const queue = settings.names.queue(kind);
  // Per consumer (RabbitMQ's basic.qos without global): it applies to the consume below.
  await channel.prefetch(settings.prefetchByKind?.[kind] ?? settings.prefetch);
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (message) onDelivery(session, message);
    else lost(`RabbitMQ cancelled the consumer of ${queue}`)();
  });
  session.consumers.set(kind, consumerTag);
}

/** Stops taking `kind`'s messages (a cancel of our own: the broker does not call the consumer with null). */
async function stopConsuming(session: Session, kind: JobKind): Promise<void> {
  const tag = session.consumers.get(kind);
  if (tag === undefined) return;
  session.consumers.delete(kind);
  await session.channel.cancel(tag).catch(() => undefined);
}

/** Stops taking messages; the ones in hand stay unacked and run on. */
export async function cancelConsumers(session: Session | null): Promise<void> {
  if (!session) return;
  session.draining = true;
  for (const kind of [...session.consumers.keys()]) await stopConsuming(session, kind);
}

/** Closes the session's channels, then its connection. */
export async function closeSession(session: Session | null): Promise<void> {
  // Closing the channel first makes the broker take its last acks: a connection closed right
  // after an ack can lose it, and the job would be delivered again.
  await session?.channel.close().catch(() => undefined);
  await session?.publishChannel.close().catch(() => undefined);
  await session?.connection.close().catch(() => undefined);
}

/** Connection failures retrying cannot cure: a URL that is not AMQP, credentials or vhost refused. */
export function isIncurableAmqpError(error: Error): boolean {
  return /Expected amqps?: as the protocol|ACCESS[-_]REFUSED|NOT[-_]ALLOWED/i.test(error.message);
}

/** Acks and nacks on a channel that closed meanwhile throw; the broker requeues those itself. */
export function settle(send: () => void): void {
  try {
    send();
  } catch {
    // The channel is gone: its unacked messages return to the queue without our help.
  }
}
