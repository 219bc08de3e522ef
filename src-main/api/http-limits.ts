import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerOptions } from 'node:http';

/** How long a client may take to send a request, and how many connections the API holds. */
export interface HttpLimits {
  /** Seconds a client has to send a whole request, headers and body. */
  requestTimeoutSeconds: number;
  /** Open connections the API accepts at once (SSE and WebSocket included); more are closed as they arrive. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { requestTimeoutSeconds: 30, maxConnections: 1_000 };

/** Headers must arrive within this of a request's start (or within the request timeout, if shorter). */
const HEADERS_TIMEOUT_MS = 10_000;
/** A keep-alive connection with no request in flight is closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 10_000;
/**
 * How often Node holds open connections against the header and request timeouts; its default
 * (30 s) lets a slow client outlive its timeout by as much again.
 */
const TIMEOUT_CHECK_MS = 1_000;

/** How long a client has to send a request's headers. */
export function headersTimeoutMs(limits: HttpLimits): number {
  return Math.min(HEADERS_TIMEOUT_MS, limits.requestTimeoutSeconds * 1_000);
}

/**
 * Node's own limits on slow clients. The request timeout covers receiving a request (headers and
 * body), not answering it: an SSE stream, whose GET has arrived whole, and a WebSocket, which
 * leaves HTTP at its upgrade, are not cut by it.
 */
export function serverTimeouts(limits: HttpLimits): { requestTimeout: number; keepAliveTimeout: number; http: ServerOptions } {
  const requestTimeout = limits.requestTimeoutSeconds * 1_000;
  return {
    requestTimeout,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout: headersTimeoutMs(limits),
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, requestTimeout),
    },
  };
}

/** Connections past the limit are closed as they arrive. */
export function limitConnections(app: FastifyInstance, limits: HttpLimits): void {
  app.server.maxConnections = limits.maxConnections;
}

/**
 * An upgrade request answered over HTTP (refused by the guard, an unknown path) owns its socket:
 * Node stopped managing it at the upgrade, so nobody closes it unless this does. Without it each
 * refusal holds a socket in CLOSE-WAIT, and a console's close waits for it forever.
 */
export function closeUpgradeAnsweredOverHttp(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  // `upgrade` is set by Node's parser on a request it handed to the server's 'upgrade' listeners.
  if ((request.raw as { upgrade?: boolean }).upgrade === true) {
    const socket = request.raw.socket;
    reply.header('connection', 'close');
    reply.raw.once('finish', () => socket.end(() => socket.destroy()));
  }
  done();
}
