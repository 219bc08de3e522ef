import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../api/problems';

/** Feeds that stay open for as long as their client wants: a swap does not wait for them. */
const STREAM_ROUTES = new Set(['/api/v1/events', '/api/v1/ws', '/api/v1/operations/:id/events']);
/** The requests that restart the core themselves: a swap waiting for them would wait its whole drain. */
const RESTARTING_ROUTES = new Set(['/api/v1/connections/:id/activate', '/api/v1/connections/:id/unlock']);
const RETRY_AFTER_S = 1;
const DRAIN_POLL_MS = 10;

/**
 * The API's door while the core behind it is swapped: shut, every new request is answered 503
 * with `Retry-After: 1`, and the requests already inside can be waited for, so none of them
 * meets a core that is closing.
 */
export class RequestGate {
  private shutWith: string | null = null;
  /** The routes under this path still let in while shut (none when null). */
  private openUnder: string | null = null;
  private readonly inside = new Set<FastifyRequest>();

  /** Adds the gate to the API's request hooks, after those already there (the host guard). */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => this.enter(request, reply));
    app.addHook('onResponse', async (request) => void this.inside.delete(request));
    app.addHook('onRequestAbort', async (request) => void this.inside.delete(request));
  }

  /** Refuses new requests, saying why, until {@link open}; but those under `openUnder`. */
  shut(why: string, openUnder: string | null = null): void {
    this.shutWith = why;
    this.openUnder = openUnder;
  }

  open(): void {
    this.shutWith = this.openUnder = null;
  }

  /** Waits until no request is inside, or `ms` passed; returns how many are still inside. */
  async drained(ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    while (this.inside.size > 0 && Date.now() < deadline) await sleep(DRAIN_POLL_MS);
    return this.inside.size;
  }

  /** An answered request (the reply, which ends the hooks) or one let in. */
  private enter(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    const route = request.routeOptions.url ?? '';
    if (this.shutWith !== null && !(this.openUnder !== null && route.startsWith(this.openUnder))) {
      return sendProblem(reply.header('retry-after', String(RETRY_AFTER_S)), problem(503, this.shutWith, 'restarting'));
    }
    if (!STREAM_ROUTES.has(route) && !RESTARTING_ROUTES.has(route)) this.inside.add(request);
    return undefined;
  }
}
