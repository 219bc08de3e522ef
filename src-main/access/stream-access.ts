import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor';

/** How often an open stream checks that its token still identifies: a revocation ends it within this. */
export const STREAM_RECHECK_MS = 2_000;

/** The token each request was let in by, and how to identify it again. */
const admitted = new WeakMap<FastifyRequest, { token: string; actor: Actor; identify: (token: string) => Actor | null }>();

/** Remembers the token `request` was let in by as `actor`, for a stream it opens to check again. */
export function rememberToken(request: FastifyRequest, token: string, actor: Actor, identify: (token: string) => Actor | null): void {
  admitted.set(request, { token, actor, identify });
}

/**
 * Calls `onLost` once the token a stream (SSE, WebSocket) was opened with no longer stands for
 * the same actor: revoked through the API or the CLI, or the tokens file unreadable. Answers a
 * stop for when the stream closes. A request let in without a token (loopback) never loses access.
 */
export function watchAccess(request: FastifyRequest, onLost: (reason: string) => void): () => void {
  const held = admitted.get(request);
  if (!held) return () => undefined;
  const stillValid = (): boolean => {
    try {
      return held.identify(held.token)?.name === held.actor.name;
    } catch {
      return false;
    }
  };
  const timer = setInterval(() => {
    if (stillValid()) return;
    clearInterval(timer);
    onLost(`token "${held.actor.name}" is no longer valid (revoked)`);
  }, STREAM_RECHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
