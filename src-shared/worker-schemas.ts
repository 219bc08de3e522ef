import { z } from 'zod';
import { MAX_WORKERS_PER_KIND } from './console-records';
import type { KindNames } from './kinds';
import { kindSchemaOf } from './schemas';

/** `PUT /api/v1/workers/:kind` (and `POST /api/v1/queues/:kind/purge`) path parameters. */
export function workerKindParamsSchemaOf(kinds: KindNames) {
  return z.strictObject({ kind: kindSchemaOf(kinds) });
}

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
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}-\d{1,6}$/, { error: 'must be a worker ID such as log-1' }),
});
