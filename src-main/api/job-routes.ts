import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Job } from '../../src-shared/job';
import { Readable } from 'node:stream';
import { exportJobsQuerySchema, listJobsQuerySchema, submitJobSchema } from '../../src-shared/schemas';
import { EXPORT_CONTENT_TYPES, exportFilename, exportJobs } from '../search/job-export';
import { searchOf } from '../search/search-input';
import type { IdempotencyStore } from '../jobs/idempotency';
import type { JobService } from '../jobs/job-service';
import { answerCreate } from './idempotent-create';
import { parseInput, problem, sendProblem } from './problems';

/** The v1 job resource: submit, read one, list or search newest first, export a search. */
export function jobRoutes(jobs: JobService, idempotency?: IdempotencyStore, exportPageRows?: number) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/jobs', async (request, reply) => {
      const body = parseInput(submitJobSchema, request.body ?? undefined);
      return answerCreate(request, reply, { scope: '', location: (id) => `/api/v1/jobs/${id}`, idempotency }, () =>
        jobs.submit(body.kind, body.payload, 'payload', { maxAttempts: body.max_attempts }),
      );
    });

    app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', async (request, reply) => {
      const job = await jobs.get(request.params.id);
      if (!job) return sendProblem(reply, problem(404, `no job with id ${request.params.id}`, 'unknown-job'));
      return job;
    });

    app.get('/api/v1/jobs', async (request) => {
      const { q, ...query } = parseInput(listJobsQuerySchema, request.query);
      return jobs.list({ ...query, search: searchOf(q) });
    });

    app.get('/api/v1/jobs/export', async (request, reply) => {
      const { q, format } = parseInput(exportJobsQuerySchema, request.query);
      const chunks = await exportJobs((query) => jobs.list(query), searchOf(q), format, exportPageRows);
      return reply
        .type(EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${exportFilename(format)}"`)
        .send(Readable.from(chunks));
    });

    app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/retry', async (request, reply) =>
      operatorAction(reply, () => jobs.retry(request.params.id)),
    );

    app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', async (request, reply) =>
      operatorAction(reply, () => jobs.cancel(request.params.id)),
    );
  };
}

/** Runs an operator's action on one job: 200 with the job; a refusal (404, 409) is the error handler's. */
async function operatorAction(reply: FastifyReply, action: () => Promise<Job>): Promise<FastifyReply> {
  return reply.send(await action());
}
