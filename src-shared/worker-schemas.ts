import { z } from 'zod';
import { MAX_WORKERS_PER_KIND } from './console-records';
import { kindSchema } from './schemas';

/** `PUT /api/v1/workers/:kind` path parameters. */
export const workerKindParamsSchema = z.strictObject({ kind: kindSchema });

/** `PUT /api/v1/workers/:kind` body: how many processes of the kind to run. */
export const scaleWorkersSchema = z.strictObject({
  count: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be at least 0' })
    .max(MAX_WORKERS_PER_KIND, { error: `must be at most ${MAX_WORKERS_PER_KIND}` }),
});

/** `POST /api/v1/workers/:id/restart|stop` path parameters. */
export const workerIdParamsSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+-\d{1,6}$/, { error: 'must be a worker ID such as log-1' }),
});
