import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { toFieldErrors } from '../../src-shared/problem';
import {
  WS_CLOSE_TOKEN_REVOKED,
  WS_CLOSE_TOO_SLOW,
  eventsQuerySchemaOf,
  wsClientMessageSchemaOf,
  type WsClientMessage,
  type WsServerMessage,
} from '../../src-shared/event-schemas';
import type { KindNames } from '../../src-shared/kinds';
import type { ResyncEvent, StreamEvent } from '../../src-shared/events';
import { EventFeed, type FeedLimits } from '../relay/event-feed';
import type { EventRelay } from '../relay/event-relay';
import { eventJson } from '../relay/parsed-entries';
import { parseInput, problem, sendProblem } from './problems';
import { openSseResponse } from './sse-response';
import { within } from '../lifecycle/within';
import { watchAccess } from '../access/stream-access';

const HEARTBEAT_MS = 15_000;
const CLOSE_GRACE_MS = 2_000;
/** WebSocket close code "going away": the console is stopping. */
const WS_CLOSE_GOING_AWAY = 1001;
/** How long a stopping console waits for its WebSocket clients to answer the close. */
const SHUTDOWN_CLOSE_GRACE_MS = 1_000;

const UPGRADE_REQUIRED = problem(426, 'GET /api/v1/ws is a WebSocket: connect with a WebSocket client', 'upgrade-required', [
  { field: 'upgrade', rule: 'required', message: 'upgrade must be websocket (with connection: upgrade)' },
]);

/** A plain GET (no upgrade) gets a problem that says what to send, not the plugin's empty 404. */
async function requireUpgrade(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.ws) await sendProblem(reply.header('upgrade', 'websocket'), UPGRADE_REQUIRED);
}

function sseFrame(event: StreamEvent): string {
  return `id: ${event.id}\nevent: ${event.type ?? 'job'}\ndata: ${eventJson(event)}\n\n`;
}

function resyncFrame(resync: ResyncEvent): string {
  // The resync's own `id` moves the client's Last-Event-ID to where live events resume.
  return `id: ${resync.resume_after}\nevent: resync\ndata: ${JSON.stringify(resync)}\n\n`;
}

/** What a feed's query and a WebSocket client's messages are checked with: the registry's kinds. */
interface FeedSchemas {
  query: ReturnType<typeof eventsQuerySchemaOf>;
  clientMessage: ReturnType<typeof wsClientMessageSchemaOf>;
}

/** The feed's query: filters, and the ID to resume after (the `Last-Event-ID` header wins). */
function feedQuery(schemas: FeedSchemas, query: unknown, lastEventId: string | string[] | undefined) {
  return parseInput(schemas.query, {
    ...(query as Record<string, string>),
    ...(typeof lastEventId === 'string' && lastEventId ? { last_event_id: lastEventId } : {}),
  });
}

/**
 * `GET /api/v1/events` (Server-Sent Events) and `GET /api/v1/ws` (WebSocket): every event,
 * filtered by job, kind and status; `Last-Event-ID` / `last_event_id` first replays what the
 * client missed, or sends a resync event when the stream no longer holds that ID.
 */
export function eventRoutes(relay: EventRelay, kinds: KindNames, limits?: FeedLimits) {
  const schemas: FeedSchemas = { query: eventsQuerySchemaOf(kinds), clientMessage: wsClientMessageSchemaOf(kinds) };
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(websocket, { options: { maxPayload: 64 * 1024 }, preClose: closeClientsGoingAway });
    app.get('/api/v1/events', (request, reply) => streamSse(schemas, request, reply, relay, limits));
    app.get('/api/v1/ws', { websocket: true, preHandler: requireUpgrade }, (socket, request) =>
      serveWebSocket(schemas, socket, request, relay, limits),
    );
  };
}

async function streamSse(schemas: FeedSchemas, request: FastifyRequest, reply: FastifyReply, relay: EventRelay, limits?: FeedLimits): Promise<void> {
  const { last_event_id: afterId, ...filter } = feedQuery(schemas, request.query, request.headers['last-event-id']);
  const out = openSseResponse(reply);
  out.write('retry: 1000\n\n');
  const feed = new EventFeed(relay, sseSink(out), filter, limits);
  const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
  request.raw.on('close', () => {
    clearInterval(heartbeat);
    feed.close();
  });
  out.on('close', () => feed.close());
  await feed.start(afterId).catch(() => {
    // Better a reconnect (and a replay from the last ID the client saw) than a silent gap.
    feed.close();
    out.end();
  });
}

function sseSink(out: ServerResponse) {
  return {
    event: (event: StreamEvent) => out.write(sseFrame(event)),
    resync: (resync: ResyncEvent) => out.write(resyncFrame(resync)),
    buffered: () => out.writableLength,
    drained: () =>
      new Promise<void>((resolve) => {
        if (out.writableLength === 0 || out.destroyed) return resolve();
        const done = (): void => {
          out.off('drain', done).off('close', done);
          resolve();
        };
        out.on('drain', done).on('close', done);
      }),
    overflow: () => out.destroy(),
  };
}

function serveWebSocket(schemas: FeedSchemas, socket: WebSocket, request: FastifyRequest, relay: EventRelay, limits?: FeedLimits): void {
  let query;
  try {
    query = feedQuery(schemas, request.query, request.headers['last-event-id']);
  } catch (error) {
    send(socket, { type: 'error', errors: (error as { errors?: [] }).errors ?? [] });
    socket.close(1008, 'invalid query');
    return;
  }
  const { last_event_id: afterId, ...filter } = query;
  let feed: EventFeed | null = null;
  const follow = (from: string | undefined, current: typeof filter): void => {
    feed?.close();
    feed = new EventFeed(relay, wsSink(socket), current, limits);
    feed.start(from).catch(() => socket.close(1011, 'event stream unavailable; resume by ID'));
  };
  // A bare URL waits for a subscribe message; a URL with a query (or Last-Event-ID) starts at once.
  const hasQuery = Object.keys(request.query as object).length > 0 || afterId !== undefined;
  if (hasQuery) follow(afterId, filter);
  const heartbeat = setInterval(() => socket.ping(), HEARTBEAT_MS);
  const stopWatching = watchAccess(request, (reason) => closeWithin(socket, WS_CLOSE_TOKEN_REVOKED, reason));
  socket.on('close', () => {
    clearInterval(heartbeat);
    stopWatching();
    feed?.close();
  });
  socket.on('message', (data) => {
    const message = parseClientMessage(schemas, socket, data);
    if (!message) return;
    if (message.type === 'unsubscribe') {
      feed?.close();
      feed = null;
      send(socket, { type: 'unsubscribed' });
      return;
    }
    const { filter: next, last_event_id: from } = message;
    send(socket, { type: 'subscribed', filter: next });
    if (from !== undefined || !feed) follow(from, next);
    else feed.setFilter(next);
  });
}

/** The client's message, or null after telling the client what was wrong with it. */
function parseClientMessage(schemas: FeedSchemas, socket: WebSocket, data: RawData): WsClientMessage | null {
  let message: unknown;
  try {
    message = JSON.parse(String(data));
  } catch {
    send(socket, { type: 'error', errors: [{ field: '(message)', rule: 'json', message: '(message) must be valid JSON' }] });
    return null;
  }
  const parsed = schemas.clientMessage.safeParse(message);
  if (!parsed.success) {
    send(socket, { type: 'error', errors: toFieldErrors(parsed.error, message) });
    return null;
  }
  return parsed.data;
}

/**
 * A stopping console closes its WebSocket clients with 1001 (going away) rather than no code
 * (1005), so they know to reconnect; one that does not answer within a second is cut off.
 */
async function closeClientsGoingAway(this: FastifyInstance): Promise<void> {
  const server = this.websocketServer;
  const closed = [...server.clients].map(
    (client) =>
      new Promise<void>((resolve) => {
        client.once('close', () => resolve());
        client.close(WS_CLOSE_GOING_AWAY, 'the console is stopping');
      }),
  );
  await within(Promise.all(closed), SHUTDOWN_CLOSE_GRACE_MS, null);
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function send(socket: WebSocket, message: WsServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function wsSink(socket: WebSocket) {
  return {
    event: (event: StreamEvent) => send(socket, { type: 'event', event }),
    resync: (resync: ResyncEvent) => send(socket, { type: 'resync', resync }),
    buffered: () => socket.bufferedAmount,
    drained: () =>
      new Promise<void>((resolve) => {
        const check = (): void => (socket.bufferedAmount === 0 || socket.readyState !== socket.OPEN ? resolve() : void setTimeout(check, 10));
        check();
      }),
    overflow: () => closeWithin(socket, WS_CLOSE_TOO_SLOW, 'too far behind; resume by ID'),
  };
}

/** Closes with `code`; the close frame may wait behind unread data, so a client that reads nothing is cut off. */
function closeWithin(socket: WebSocket, code: number, reason: string): void {
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}
