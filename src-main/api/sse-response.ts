import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { watchAccess } from '../access/stream-access';

/**
 * Takes the reply over from Fastify and opens it as a Server-Sent Events stream (no caching, no
 * proxy buffering). The stream ends when the token it was opened with is revoked.
 */
export function openSseResponse(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const stopWatching = watchAccess(reply.request, (reason) => {
    if (!out.writableEnded) out.end(`: ${reason}\n\n`);
  });
  out.on('close', stopWatching);
  return out;
}
