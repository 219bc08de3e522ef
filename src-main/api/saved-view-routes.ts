import type { FastifyInstance } from 'fastify';
import { createSavedViewSchema } from '../../src-shared/saved-view-schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { SavedViewStore } from '../saved-views/saved-view-store';
import { parseInput, problem, sendProblem } from './problems';

/** Saved views of the Jobs view (named queries): list, create (a name is unique), delete. */
export function savedViewRoutes(store: SavedViewStore) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/saved-views', async () => ({ items: await store.list(), next_cursor: null }));

    app.post('/api/v1/saved-views', async (request, reply) => {
      const body = parseInput(createSavedViewSchema, request.body ?? undefined);
      const created = await store.create(body);
      if (!created) {
        const errors = [{ field: 'name', rule: 'unique', message: `name ${JSON.stringify(body.name)} is taken by another saved view` }];
        return sendProblem(reply, problem(409, `a saved view named ${JSON.stringify(body.name)} exists already`, 'saved-view-exists', errors));
      }
      return reply.code(201).header('location', `/api/v1/saved-views/${created.id}`).send(created);
    });

    app.delete<{ Params: { id: string } }>('/api/v1/saved-views/:id', async (request, reply) => {
      const { id } = request.params;
      const deleted = UUID_PATTERN.test(id) && (await store.delete(id));
      return deleted ? reply.code(204).send() : sendProblem(reply, problem(404, `no saved view with id ${id}`, 'unknown-saved-view'));
    });
  };
}
