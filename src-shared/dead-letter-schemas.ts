import { z } from 'zod';
import { jobKindSchema, jobStatusSchema, timeSchema } from './job';
import { confirmSchema } from './mode-report';
import { MAX_OPERATION_IDS, checkOperationScope } from './operation-schemas';

/** What an operation over dead letters does to each: its job retried (an operator retry), or the dead letter dropped. */
export const DEAD_LETTER_ACTIONS = ['requeue', 'discard'] as const;
export type DeadLetterAction = (typeof DEAD_LETTER_ACTIONS)[number];

/**
 * The job search fields a dead-letter search takes (`GET /api/v1/dead-letters?q=`): `id` is the
 * job's ID, `created` the job's creation (from its message), `updated` and `finished` the time it
 * was dead-lettered; a free word looks in the error, the payload and the body. Any other field is a 400.
 */
export const DEAD_LETTER_QUERY_FIELDS = ['kind', 'id', 'error', 'payload.<path>', 'created', 'updated', 'finished'] as const;

/** `GET /api/v1/dead-letters`: newest first, of one kind (name or letter) or all, matching `q`. */
export const listDeadLettersQuerySchema = z.strictObject({
  kind: z.string().min(1).max(100).optional(),
  /** A search in the jobs search's language, over {@link DEAD_LETTER_QUERY_FIELDS}. */
  q: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListDeadLettersQuery = z.output<typeof listDeadLettersQuerySchema>;

const deadLetterIdSchema = z.uuid({ error: 'must be a dead letter ID (a UUID)' });

/**
 * `POST /api/v1/dead-letters/requeue` and `/discard`: named dead letters (`ids`) or those a
 * search matches (`query`, `""` for all). `dry_run` answers the counts and changes nothing;
 * otherwise `expected` (the dry run's `matched`) is required for a query, as for bulk operations.
 */
export const deadLetterActionSchema = z
  .strictObject({
    ids: z.array(deadLetterIdSchema).min(1).max(MAX_OPERATION_IDS, { error: `must hold at most ${MAX_OPERATION_IDS} IDs (use a query for more)` }).optional(),
    query: z.string().max(2000).optional(),
    dry_run: z.boolean().optional(),
    expected: z.number().int().min(0).optional(),
    /** A discard on a writable production profile: the profile's name (README "Production guardrails"). */
    confirm: confirmSchema,
  })
  .superRefine(checkOperationScope);
export type DeadLetterActionBody = z.output<typeof deadLetterActionSchema>;

/** One dead letter as the API shows it: never kind B's signing secret. */
export const deadLetterSchema = z.object({
  id: z.string(),
  /** The job's ID; null for a message that is not a job (no `uuid` in it). */
  job_id: z.string().nullable(),
  kind: jobKindSchema,
  /** The job's status in the history now (null when it has none): a FAILED one can be requeued. */
  job_status: jobStatusSchema.nullable(),
  /** `x-jobdeck-error`: why it was dead-lettered. */
  error: z.string().nullable(),
  /** `x-jobdeck-attempts`: the attempts made (null for a message that is not a job). */
  attempts: z.number().int().nullable(),
  /** When the worker dead-lettered it (the message's timestamp, to the second). */
  dead_at: timeSchema,
  /** The job's creation, from its message. */
  created_at: timeSchema.nullable(),
  /** The message's AMQP headers as they came. */
  headers: z.record(z.string(), z.unknown()),
  /** The job's payload (`extra_data`) without a signing secret; null when the body is not a job. */
  payload: z.record(z.string(), z.unknown()).nullable(),
  /** The body as it came (UTF-8 text; a kind B secret removed). */
  body: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** A dead letter of a dry run's sample and what the action would do to it. */
export const deadLetterSampleSchema = z.object({
  id: z.string(),
  job_id: z.string().nullable(),
  kind: jobKindSchema,
  /** Null when the action would act on it; else why it would be skipped. */
  skip: z.string().nullable(),
});

/** A dry run's answer over dead letters: nothing changed. */
export const deadLetterPreviewSchema = z.object({
  action: z.enum(DEAD_LETTER_ACTIONS),
  matched: z.number().int().min(0),
  would_change: z.number().int().min(0),
  would_skip: z.record(z.string(), z.number().int().min(0)),
  sample: z.array(deadLetterSampleSchema),
  margin: z.number().int().min(0),
});
export type DeadLetterPreview = z.infer<typeof deadLetterPreviewSchema>;
