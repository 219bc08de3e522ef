import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Job } from '../../src-shared/job';
import type { Problem } from '../../src-shared/problem';
import { listJobsQuerySchema, submitJobSchema } from '../../src-shared/schemas';
import { BatchCompletedError } from '../batches/batch-service';
import { IDEMPOTENCY_HEADER, readIdempotencyKey, type IdempotencyStore } from '../jobs/idempotency';
import { JobStatusConflictError, UnknownJobError, type JobService } from '../jobs/job-service';
import { parseInput, problem, sendProblem } from './problems';

/** The v1 job resource: submit, read one, list newest first. */
export function jobRoutes(jobs: JobService, idempotency?: IdempotencyStore) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/jobs', async (request, reply) => {
      const key = readIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
      const body = parseInput(submitJobSchema, request.body ?? undefined);
      const submit = async () => ({ statusCode: 202, body: await jobs.submit(body.kind, body.payload, 'payload', { maxAttempts: body.max_attempts }) });
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

    app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/retry', async (request, reply) =>
      operatorAction(reply, () => jobs.retry(request.params.id)),
    );

    app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', async (request, reply) =>
      operatorAction(reply, () => jobs.cancel(request.params.id)),
    );
  };
}

/** The problem an operator's refused action answers: 404 if the job is unknown, 409 if its status forbids it. */
export function operatorActionProblem(error: unknown): Problem | undefined {
  if (error instanceof UnknownJobError) return problem(404, error.message, 'unknown-job');
  if (error instanceof JobStatusConflictError) return problem(409, error.message, 'job-status-conflict');
  if (error instanceof BatchCompletedError) return problem(409, error.message, 'batch-completed');
  return undefined;
}

/** Runs an operator's action on one job: 200 with the job, or the problem that refused it. */
async function operatorAction(reply: FastifyReply, action: () => Promise<Job>): Promise<FastifyReply> {
  try {
    return reply.send(await action());
  } catch (error) {
    const refused = operatorActionProblem(error);
    if (refused) return sendProblem(reply, refused);
    throw error;
  }
}
