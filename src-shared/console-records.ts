/**
 * What the console's operator views read besides jobs: worker processes, health, the mail
 * sink's messages and the webhook inbox's requests. Wire shapes of the v1 routes that serve them.
 */
import { z } from 'zod';
import { jobKindSchema, timeSchema } from './job';

/** Most processes of one kind the console will run; a larger `count` is refused. */
export const MAX_WORKERS_PER_KIND = 16;

/**
 * A worker process's state. `crash-loop`: it keeps dying soon after it starts and is being
 * restarted with a growing delay; `stopped`: an operator stopped it and it stays down;
 * `reconnecting`: a worker started by hand lost the broker and is connecting again.
 */
export const workerProcessStateSchema = z.enum(['starting', 'ready', 'reconnecting', 'stopping', 'exited', 'crash-loop', 'stopped']);
export type WorkerProcessState = z.infer<typeof workerProcessStateSchema>;

/**
 * Where a worker runs: a slot of this console; spawned by another console sharing the
 * namespace; or started by hand (`npm run worker`), on this machine or another.
 */
export const workerPlaceSchema = z.enum(['this-console', 'other-console', 'standalone']);
export type WorkerPlace = z.infer<typeof workerPlaceSchema>;

const count = z.number().int().min(0);

/**
 * One worker that consumes the namespace: a slot of this console (from its own figures), or
 * another worker (from the heartbeat it writes). Counts are since the process started.
 */
export const workerProcessInfoSchema = z.object({
  /**
   * The worker's one name, `<host>/<pid>`: the `worker` of the timelines of the jobs it ran.
   * Null while a slot of this console has no process.
   */
  name: z.string().nullable(),
  /** This console's slot (`<kind>-<n>`), stable across restarts, to restart or stop; null for workers it does not run. */
  slot: z.string().nullable(),
  runs: workerPlaceSchema,
  /** The machine it runs on. */
  host: z.string(),
  /** The kinds it consumes. */
  kinds: z.array(jobKindSchema),
  /** Null while no process runs in the slot. */
  pid: z.number().int().nullable(),
  state: workerProcessStateSchema,
  /** ID of the job in hand, if any (the newest when it holds several). */
  current_job: z.string().nullable(),
  /** Jobs this process finished DONE. */
  processed: count,
  /** Jobs that ended FAILED in this process (their last attempt failed): once per job, not per attempt. */
  failed: count,
  /** Failed attempts this process handed to a retry (the job goes on). */
  retried: count,
  /** RFC 3339 UTC time the process started (the last one, for a slot with none running). */
  started_at: timeSchema,
  /** Milliseconds since `started_at`; 0 when no process runs. */
  uptime_ms: z.number().min(0),
  /** Resident set size the process last reported, in bytes; null before its first report and while none runs. */
  memory_rss_bytes: count.nullable(),
  /** Restarts of this console's slot since it last ran stably; null for workers it does not run. */
  restarts: count.nullable(),
});
export type WorkerProcessInfo = z.infer<typeof workerProcessInfoSchema>;

/** `GET /api/v1/workers`. */
export const workersReportSchema = z.object({
  /** This console's slots first, then every other worker whose heartbeat is live. */
  workers: z.array(workerProcessInfoSchema),
  /** Processes wanted per kind (what scaling set). */
  counts: z.record(jobKindSchema, count),
  /** Largest `count` a kind may be scaled to. */
  max_per_kind: count,
  /** False when this console runs no workers (they run elsewhere): scaling is refused. */
  supervised: z.boolean(),
  /**
   * True when the other workers' heartbeats could not be read (Redis unreachable): only this
   * console's own workers are listed.
   */
  elsewhere_unknown: z.boolean(),
});
export type WorkersReport = z.infer<typeof workersReportSchema>;

export const dependencyStateSchema = z.object({
  up: z.boolean(),
  /** Why it is down, passwords masked; null when up. */
  error: z.string().nullable(),
});
export type DependencyState = z.infer<typeof dependencyStateSchema>;

export const dependencyNameSchema = z.enum(['rabbitmq', 'redis', 'postgresql', 'smtp']);
export type DependencyName = z.infer<typeof dependencyNameSchema>;

/** Worker processes of one kind: how many the console runs, and how many are consuming. */
export const workerHealthSchema = z.object({ configured: count, ready: count });
export type WorkerHealth = z.infer<typeof workerHealthSchema>;

/** `GET /api/v1/health`, answered 200 when `ok` and 503 otherwise. */
export const healthSummarySchema = z.object({
  /**
   * Started and every dependency up. Workers count only until they are first ready: after that
   * they are reported, not judged, since a kind may run elsewhere.
   */
  ok: z.boolean(),
  /** `starting` until the console's own workers are first ready; then `ok`, or `unavailable` while a dependency is down. */
  status: z.enum(['starting', 'ok', 'unavailable']),
  dependencies: z.record(dependencyNameSchema, dependencyStateSchema),
  workers: z.record(jobKindSchema, workerHealthSchema),
});
export type HealthSummary = z.infer<typeof healthSummarySchema>;

/** A message as the mailbox lists it (`GET /api/v1/mailbox`): no headers, no bodies. */
export const mailSummarySchema = z.object({
  id: z.string(),
  received_at: timeSchema,
  envelope_from: z.string().nullable(),
  envelope_to: z.array(z.string()),
  message_id: z.string().nullable(),
  subject: z.string().nullable(),
  /** Bytes of the raw message. */
  size: count,
  /** The first characters of the text body; null when it has none. */
  preview: z.string().nullable(),
});
export type MailSummary = z.infer<typeof mailSummarySchema>;

/** One message whole (`GET /api/v1/mailbox/<id>`). */
export const mailRecordSchema = mailSummarySchema.omit({ preview: true }).extend({
  headers: z.record(z.string(), z.string()),
  text_body: z.string().nullable(),
  /** Untrusted: shown only in a sandboxed frame with no scripts and no remote loads. */
  html_body: z.string().nullable(),
});
export type MailRecord = z.infer<typeof mailRecordSchema>;

/** A request as the webhook inbox lists it (`GET /api/v1/inbox`): no headers, no body. */
export const webhookSummarySchema = z.object({
  id: z.string(),
  received_at: timeSchema,
  method: z.string(),
  path: z.string(),
  content_type: z.string().nullable(),
  /** Bytes of the body received. */
  size: count,
  /** The first characters of the body; null when it is not text (stored as base64). */
  preview: z.string().nullable(),
});
export type WebhookSummary = z.infer<typeof webhookSummarySchema>;

/** One request whole (`GET /api/v1/inbox/items/<id>`). */
export const webhookRecordSchema = webhookSummarySchema.omit({ preview: true, size: true }).extend({
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())]).optional()),
  /** The body as text, or `base64:<bytes>` when it is not clean UTF-8. */
  body: z.string(),
  /** Bytes of the body received; null for requests recorded before sizes were kept. */
  size: count.nullable(),
});
export type WebhookRecord = z.infer<typeof webhookRecordSchema>;

/** `POST /api/v1/inbox/<any path>`: where the request was recorded. */
export const webhookReceiptSchema = webhookSummarySchema.pick({ id: true, received_at: true });
export type WebhookReceipt = z.infer<typeof webhookReceiptSchema>;

/** One work queue as `GET /api/v1/queues` reports it (RabbitMQ's management plugin is not used). */
export const queueInfoSchema = z.object({
  kind: jobKindSchema,
  /** The queue's name: `<ns>.jobs.<kind>`. */
  name: z.string(),
  /** Messages ready for delivery (the broker's count from a passive declare). */
  ready: count,
  /** Consumers attached (the broker's count from a passive declare). */
  consumers: count,
  /** Messages waiting in the kind's retry (delay) queues for their next attempt. */
  retrying: count,
  /** Messages in the kind's dead-letter queue (`<ns>.jobs.<kind>.dead`): jobs that failed for good. */
  dead: count,
  /** Paused by an operator (`POST /api/v1/kinds/:kind/pause`): its workers take no messages. */
  paused: z.boolean(),
  /** RFC 3339 UTC time it was paused; null when it is not. */
  paused_at: z.string().nullable(),
  /** Jobs started per second across its workers; null: no limit. */
  rate_per_s: z.number().nullable(),
  /** Jobs in flight across its workers; null: no limit. */
  concurrency: z.number().int().nullable(),
});
export type QueueInfo = z.infer<typeof queueInfoSchema>;

/**
 * A kind the namespace's consoles ran that the kinds file no longer names: its jobs stay readable,
 * new submits are refused, and its queue is left as it is (null counts: the queue is gone).
 */
export const removedKindSchema = z.object({
  kind: jobKindSchema,
  name: z.string(),
  ready: count.nullable(),
  dead: count.nullable(),
});
export type RemovedKind = z.infer<typeof removedKindSchema>;

/** `GET /api/v1/queues`. */
export const queuesReportSchema = z.object({ queues: z.array(queueInfoSchema), removed_kinds: z.array(removedKindSchema) });
export type QueuesReport = z.infer<typeof queuesReportSchema>;

/** `POST /api/v1/queues/:kind/purge`: how many jobs were taken off the queue and ended CANCELLED. */
export const purgeResultSchema = z.object({
  kind: jobKindSchema,
  /** Messages taken off the queue (each acked). */
  purged: count,
  /** Of those, jobs written CANCELLED (a job already finished elsewhere is left as it is). */
  cancelled: count,
});
export type PurgeResult = z.infer<typeof purgeResultSchema>;

/** `GET /api/v1/settings`: what the console is connected to, passwords masked. */
export const connectionSettingsSchema = z.object({
  api_url: z.string(),
  amqp_url: z.string(),
  redis_url: z.string(),
  database_url: z.string(),
  /** Where workers send mail: the embedded sink's URL unless SMTP_URL names another server. */
  smtp_url: z.string(),
  namespace: z.string(),
  /** The kinds file (`JOBDECK_KINDS`), absolute; null when only the built-in kinds run. */
  kinds_file: z.string().nullable(),
});
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;
