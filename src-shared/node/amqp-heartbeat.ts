/**
 * Seconds between AMQP heartbeats that every Jobdeck connection asks for, unless its URL names
 * its own (`?heartbeat=n`). RabbitMQ's default of 60 s lets a partitioned worker keep its
 * prefetched jobs for up to two minutes; at 10 s the broker gives them to another worker within
 * about 20–30 s (two missed heartbeats).
 */
export const AMQP_HEARTBEAT_S = 10;

/** The URL with `heartbeat=AMQP_HEARTBEAT_S` added when it names no heartbeat of its own. */
export function withHeartbeat(url: string): string {
  if (/[?&]heartbeat=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}heartbeat=${AMQP_HEARTBEAT_S}`;
}
