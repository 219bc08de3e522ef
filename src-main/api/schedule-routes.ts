import type { FastifyInstance } from 'fastify';
import type { KindRegistry } from '../../src-shared/kind-registry';
import { createScheduleSchemaOf, patchScheduleSchemaOf } from '../../src-shared/schedule-schemas';
import { listQuerySchema } from '../../src-shared/subscription-schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import { UnknownScheduleError, type ScheduleService } from '../schedules/schedule-service';
import { parseInput } from './problems';

type ById = { Params: { id: string } };

/** An ID that is no UUID names no schedule: a 404 like an unknown one. */
function scheduleId(id: string): string {
  if (!UUID_PATTERN.test(id)) throw new UnknownScheduleError(id);
  return id;
}

/** Recurring schedules (README "Recurring schedules"): each run an ordinary job with its schedule_id. */
export function scheduleRoutes(schedules: ScheduleService, kinds: KindRegistry) {
  const createSchema = createScheduleSchemaOf(kinds);
  const patchSchema = patchScheduleSchemaOf(kinds);
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/schedules', async (request, reply) => {
      const created = await schedules.create(parseInput(createSchema, request.body ?? undefined));
      return reply.code(201).header('location', `/api/v1/schedules/${created.id}`).send(created);
    });

    app.get('/api/v1/schedules', async (request) => {
      const query = parseInput(listQuerySchema, request.query);
      return schedules.list(query.limit, query.cursor);
    });

    app.get<ById>('/api/v1/schedules/:id', async (request) => schedules.get(scheduleId(request.params.id)));

    app.patch<ById>('/api/v1/schedules/:id', async (request) => {
      const id = scheduleId(request.params.id);
      return schedules.patch(id, parseInput(patchSchema, request.body ?? undefined));
    });

    app.delete<ById>('/api/v1/schedules/:id', async (request, reply) => {
      await schedules.delete(scheduleId(request.params.id));
      return reply.code(204).send();
    });

    app.post<ById>('/api/v1/schedules/:id/pause', async (request) => schedules.setPaused(scheduleId(request.params.id), true));
    app.post<ById>('/api/v1/schedules/:id/resume', async (request) => schedules.setPaused(scheduleId(request.params.id), false));
    app.post<ById>('/api/v1/schedules/:id/trigger', async (request, reply) => reply.code(202).send(await schedules.trigger(scheduleId(request.params.id))));
  };
}
