import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Operation } from '../../src-shared/operation-schemas';
import type { OperationFollower } from '../operations/operation-feed';
import { openSseResponse } from './sse-response';

const HEARTBEAT_MS = 15_000;

function isTerminal(operation: Operation): boolean {
  return operation.status !== 'running';
}

/** Items settled so far: a state behind one already sent (pub/sub and the re-read may cross) is not sent. */
function progressOf(operation: Operation): number {
  return operation.changed + operation.skipped + operation.failed;
}

function operationFrame(operation: Operation): string {
  return `event: operation\ndata: ${JSON.stringify(operation)}\n\n`;
}

/**
 * `GET /api/v1/operations/:id/events`: the operation's state from PostgreSQL, then each state a
 * runner publishes, until a terminal one; heartbeats keep proxies from closing an idle stream.
 * It follows before it reads, so nothing published between the read and the follow is lost;
 * `unknown` answers when `read` finds no such operation.
 */
export async function streamOperation(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  read: () => Promise<Operation | null>,
  feed: OperationFollower,
  unknown: () => FastifyReply,
): Promise<unknown> {
  const early: Operation[] = [];
  let onState = (operation: Operation): void => void early.push(operation);
  let onClosed = (): void => undefined;
  const unfollow = feed.follow(id, (operation) => onState(operation), () => onClosed());
  let initial: Operation | null;
  try {
    await feed.ready();
    initial = await read();
  } catch (error) {
    unfollow();
    throw error;
  }
  if (!initial) {
    unfollow();
    return unknown();
  }
  const out = openSseResponse(reply);
  const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const close = (): void => {
    clearInterval(heartbeat);
    unfollow();
    if (!out.writableEnded) out.end();
  };
  const sink = operationSink(out, close);
  request.raw.on('close', close);
  out.on('close', close);
  onState = sink;
  onClosed = close;
  for (const operation of [initial, ...early]) sink(operation);
  return reply;
}

/** Writes each state not behind the last one sent, and ends the stream after a terminal one. */
function operationSink(out: ServerResponse, end: () => void): (operation: Operation) => void {
  let sent = -1;
  let ended = false;
  return (operation) => {
    if (ended || (progressOf(operation) < sent && !isTerminal(operation))) return;
    sent = progressOf(operation);
    out.write(operationFrame(operation));
    if (isTerminal(operation)) {
      ended = true;
      end();
    }
  };
}
