import type { FastifyInstance } from 'fastify';
import { listJobsQuerySchema, submitJobSchema } from '../../src-shared/schemas';
import { IDEMPOTENCY_HEADER, readIdempotencyKey, type IdempotencyStore } from '../jobs/idempotency';
import type { JobService } from '../jobs/job-service';
import { parseInput, problem, sendProblem } from './problems';

/** The v1 job resource: submit, read one, list newest first. */
export function jobRoutes(jobs: JobService, idempotency?: IdempotencyStore) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/jobs', async (request, reply) => {
      const key = readIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
      const body = parseInput(submitJobSchema, request.body ?? undefined);
      const submit = async () => ({ statusCode: 202, body: await jobs.submit(body.kind, body.payload) });
      const { answer, replayed } =
        key && idempotency ? await idempotency.run(key, request.body, submit) : { answer: await submit(), replayed: false };
      const job = answer.body as { id: string };
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(answer.statusCode).header('location', `/api/v1/jobs/${job.id}`).send(job);
    });

    app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', async (request, reply) => {
      const job = await jobs.get(request.params.id);
      if (!job) return sendProblem(reply, problem(404, `no job with id ${request.params.id}`, 'unknown-job'));
      return job;
    });

    app.get('/api/v1/jobs', async (request) => {
      const query = parseInput(listJobsQuerySchema, request.query);
      return jobs.list(query);
    });
  };
}
