import type { FastifyInstance, FastifyReply } from 'fastify';
import { createProfileSchema, exportProfilesSchema, importProfilesSchema, patchProfileSchema } from '../../src-shared/profile-schemas';
import { ValidationError } from '../../src-shared/problem';
import { ProfilesFileError } from '../profiles/profile-file';
import { ProfileRefusal, type ProfileService } from '../profiles/profile-service';
import { WrongPassphraseError } from '../profiles/passphrase-seal';
import { parseInput, problem, sendProblem } from './problems';

/** The profile verbs the routes call. */
export type ConnectionProfiles = Pick<ProfileService, 'list' | 'get' | 'create' | 'update' | 'remove' | 'duplicate' | 'test' | 'activate' | 'unlock' | 'exportProfiles' | 'importProfiles'>;
type IdParams = { Params: { id: string } };

/** A profile verb's refusal as its problem; anything else goes on to the API's error handler. */
async function answer(reply: FastifyReply, work: () => unknown): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProfileRefusal) return sendProblem(reply, error.problem);
    if (error instanceof ProfilesFileError) return sendProblem(reply, problem(500, error.message, 'profiles-file'));
    if (error instanceof WrongPassphraseError) {
      throw new ValidationError([{ field: 'passphrase', rule: 'decrypt', message: `passphrase: ${error.message}` }]);
    }
    throw error;
  }
}

/** `/api/v1/connections`: the connection profiles (passwords never answered), their test, activation, unlock, export and import. */
export function connectionRoutes(profiles: ConnectionProfiles) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/connections', (_request, reply) => answer(reply, () => profiles.list()));
    app.post('/api/v1/connections', (request, reply) =>
      answer(reply, () => {
        const created = profiles.create(parseInput(createProfileSchema, request.body ?? undefined));
        return reply.code(201).header('location', `/api/v1/connections/${created.id}`).send(created);
      }),
    );
    // Before `/:id`: `export` and `import` are verbs, not ids.
    app.post('/api/v1/connections/export', (request, reply) =>
      answer(reply, async () => reply.header('cache-control', 'no-store').send(await profiles.exportProfiles(parseInput(exportProfilesSchema, request.body ?? {})))),
    );
    app.post('/api/v1/connections/import', (request, reply) =>
      answer(reply, async () => reply.code(201).send({ items: await profiles.importProfiles(parseInput(importProfilesSchema, request.body ?? undefined)) })),
    );
    app.get<IdParams>('/api/v1/connections/:id', (request, reply) => answer(reply, () => profiles.get(request.params.id)));
    app.patch<IdParams>('/api/v1/connections/:id', (request, reply) =>
      answer(reply, () => profiles.update(request.params.id, parseInput(patchProfileSchema, request.body ?? undefined))),
    );
    app.delete<IdParams>('/api/v1/connections/:id', (request, reply) =>
      answer(reply, () => {
        profiles.remove(request.params.id);
        return reply.code(204).send();
      }),
    );
    app.post<IdParams>('/api/v1/connections/:id/duplicate', (request, reply) =>
      answer(reply, () => {
        const copy = profiles.duplicate(request.params.id);
        return reply.code(201).header('location', `/api/v1/connections/${copy.id}`).send(copy);
      }),
    );
    app.post<IdParams>('/api/v1/connections/:id/test', (request, reply) => answer(reply, () => profiles.test(request.params.id)));
    app.post<IdParams>('/api/v1/connections/:id/activate', (request, reply) => answer(reply, () => profiles.activate(request.params.id)));
    app.post<IdParams>('/api/v1/connections/:id/unlock', (request, reply) => answer(reply, () => profiles.unlock(request.params.id)));
  };
}
