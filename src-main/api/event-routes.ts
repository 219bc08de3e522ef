import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EVENT_ID_PATTERN, compareEventIds, type JobEvent } from '../../src-shared/events';
import { JOB_STATUSES } from '../../src-shared/statuses';
import { kindSchema } from '../../src-shared/schemas';
import type { EventRelay } from '../relay/event-relay';
import { parseInput } from './problems';

const HEARTBEAT_MS = 15_000;

const eventsQuerySchema = z.object({
  job_id: z.string().max(64).optional(),
  kind: kindSchema.optional(),
  status: z.enum(JOB_STATUSES).optional(),
  last_event_id: z.string().regex(EVENT_ID_PATTERN, 'must be an event ID such as 1700000000000-0').optional(),
});

type EventFilter = z.output<typeof eventsQuerySchema>;

function matches(filter: EventFilter, event: JobEvent): boolean {
  return (
    (!filter.job_id || filter.job_id === event.job_id) &&
    (!filter.kind || filter.kind === event.kind) &&
    (!filter.status || filter.status === event.status)
  );
}

function frame(event: JobEvent): string {
  return `id: ${event.id}\nevent: job\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * `GET /api/v1/events`: every job event as Server-Sent Events, filtered by job, kind and
 * status. `Last-Event-ID` (or `last_event_id`) first replays what the client missed.
 */
export function eventRoutes(relay: EventRelay) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: Record<string, string> }>('/api/v1/events', async (request, reply) => {
      const lastEventId = request.headers['last-event-id'];
      const filter = parseInput(eventsQuerySchema, {
        ...request.query,
        ...(typeof lastEventId === 'string' && lastEventId ? { last_event_id: lastEventId } : {}),
      });
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      out.write('retry: 1000\n\n');

      let sentUpTo = filter.last_event_id ?? '0-0';
      const send = (event: JobEvent): void => {
        if (compareEventIds(event.id, sentUpTo) <= 0) return;
        sentUpTo = event.id;
        if (matches(filter, event)) out.write(frame(event));
      };
      // Live events wait in a queue while the replay runs, so none is lost between the two.
      let pending: JobEvent[] | null = [];
      const unsubscribe = relay.subscribe((event) => (pending ? pending.push(event) : send(event)));
      const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const stop = (): void => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.raw.on('close', stop);
      try {
        if (filter.last_event_id) for await (const event of relay.replay(filter.last_event_id)) send(event);
      } catch {
        // Better a reconnect (and a replay from the last ID the client saw) than a silent gap.
        stop();
        out.end();
        return;
      }
      for (const event of pending) send(event);
      pending = null;
    });
  };
}
