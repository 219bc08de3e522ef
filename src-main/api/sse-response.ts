import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

/** Takes the reply over from Fastify and opens it as a Server-Sent Events stream (no caching, no proxy buffering). */
export function openSseResponse(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return out;
}
