import { z } from 'zod';
import { recipientSchema } from './email-address';
import type { KindNames } from './kinds';
import { checkStartFields, delayMsSchema, runAtSchema } from './job-start';
import { JOB_STATUSES } from './statuses';

/** Kind B's long task: the book's 10 s by default, at most 15 min (below RabbitMQ's consumer timeout). */
export const CALLBACK_DEFAULT_DURATION_MS = 10_000;
export const CALLBACK_MAX_DURATION_MS = 15 * 60_000;
/** Latest Unix second that is still a four-digit year (9999-12-31T23:59:59Z). */
const MAX_UNIX_SECONDS = 253_402_300_799;
const FIRST_UTC_MS = Date.parse('0001-01-01T00:00:00Z');

const CLIENT_TIME_RULE = 'must be Unix seconds or an RFC 3339 time';
/** A date and time of day with no zone, e.g. `2026-01-01T10:00:00`: RFC 3339 needs the offset. */
const WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
/** The rule's message, saying what to add when only the offset is missing. */
const clientTimeMessage = (issue: { input?: unknown }): string =>
  typeof issue.input === 'string' && WITHOUT_OFFSET.test(issue.input.trim())
    ? `${CLIENT_TIME_RULE} with an offset: add an offset such as Z or +02:00`
    : CLIENT_TIME_RULE;
const unixSeconds = z.number().int().min(0).max(MAX_UNIX_SECONDS, { error: CLIENT_TIME_RULE });
/** Its UTC instant must be in years 0001–9999 too: `9999-12-31T23:59:59-14:00` is year 10000 in UTC, which the history cannot store. */
const rfc3339 = z.iso.datetime({ offset: true, error: clientTimeMessage }).refine(
  (value) => {
    const at = Date.parse(value);
    // Not a time at all: the format check above names that.
    return Number.isNaN(at) || (at >= FIRST_UTC_MS && at < (MAX_UNIX_SECONDS + 1) * 1000);
  },
  { error: 'must be a time in the years 0001 to 9999 in UTC', params: { rule: 'max' } },
);

/** `client_time` as Unix seconds or RFC 3339, normalised to RFC 3339 UTC with milliseconds. */
export const clientTimeSchema = z
  .union([unixSeconds, rfc3339], { error: clientTimeMessage })
  .transform((value) =>
    new Date(typeof value === 'number' ? value * 1000 : value).toISOString(),
  );

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2048);

/** Kind A (`log`): write a record stamped with the client's time to PostgreSQL. */
export const logPayloadSchema = z.strictObject({
  client_time: clientTimeSchema,
});

/** Kind B (`callback`): run a long task, then POST the result to `callback_url`. */
export const callbackPayloadSchema = z.strictObject({
  /** Where the result is POSTed; the embedded webhook inbox when omitted. */
  callback_url: httpUrl.optional(),
  /** How long the task runs. */
  duration_ms: z.number().int().min(0).max(CALLBACK_MAX_DURATION_MS).optional(),
  /** A Standard Webhooks secret (`whsec_…`): when given, the POST is signed with it. */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'must be whsec_ followed by base64 of 24 to 64 bytes').optional(),
});

/** Kind C (`email`): send a message over SMTP. */
export const emailPayloadSchema = z.strictObject({
  /** Recipient (see `recipientSchema`); the console's default recipient when omitted. */
  email_address: recipientSchema.optional(),
  subject: z.string().max(200).optional(),
  body: z.string().max(100_000).optional(),
});

/** Kind B's payload with the console's defaults filled in, as its worker receives it. */
export type CallbackResolvedPayload = {
  callback_url: string;
  duration_ms: number;
  secret?: string;
};

/** The built-in kinds' payloads after the console filled in their defaults. */
export type ResolvedPayloads = {
  log: { client_time: string };
  callback: CallbackResolvedPayload;
  email: { email_address: string; subject?: string; body?: string };
};

/** A payload after the console filled in its kind's defaults: what a worker receives. */
export type ResolvedPayload = Record<string, unknown>;

/** A job's `payload` in every answer and event: a `secret` field is never shown. */
export const shownPayloadSchema = z.record(z.string(), z.unknown());

/** A kind by name or a built-in kind's letter, resolved to its name; unknown ones are refused. */
export function kindSchemaOf(kinds: KindNames) {
  return z.string({ error: 'must be a string' }).transform((value, ctx) => {
    const kind = kinds.resolve(value);
    if (kind) return kind;
    ctx.addIssue({ code: 'custom', message: `is an unknown kind: must be one of ${kinds.describe()}`, params: { rule: 'enum' } });
    return z.NEVER;
  });
}

/** A job ID as `replay_of` takes it; whether the job exists (and is of the same kind) is checked on submit: 422 otherwise. */
const replayOfSchema = z
  .uuid({ error: 'must be a job ID (a UUID)' })
  .transform((id) => id.toLowerCase())
  .describe(
    'Runs again (with changes) the job of this ID: the new job records it as `replay_of`, and `GET /api/v1/jobs?q=replay_of:<id>` lists the replays. ' +
      'A job ID that is not a UUID is a 400; a job that does not exist or is of another kind is a 422 `replay-origin`, naming `replay_of`',
  );

/** The fields of a submitted job, before the check across them (zod cannot `omit` from a refined object). */
function submitJobFieldsOf(kinds: KindNames) {
  return z.strictObject({
    kind: kindSchemaOf(kinds),
    payload: z.record(z.string(), z.unknown()).default({}),
    /** Lowers the console's attempt limit for this job (at most `JOBDECK_MAX_ATTEMPTS`, checked on submit). */
    max_attempts: z.number().int().min(1).optional(),
    /** The job this one runs again with changes: the ID of an existing job of the same kind (checked on submit). */
    replay_of: replayOfSchema.optional(),
    /** Start no earlier than this RFC 3339 time (SCHEDULED until then); one in the past runs at once. Not with `delay_ms`. */
    run_at: runAtSchema.optional(),
    /** Start this many milliseconds from now (SCHEDULED until then; 0 runs at once). Not with `run_at`. */
    delay_ms: delayMsSchema.optional(),
  });
}

/** `POST /api/v1/jobs` body (and `POST /api/v1/jobs/validate`'s). */
export function submitJobSchemaOf(kinds: KindNames) {
  return submitJobFieldsOf(kinds).superRefine((body, ctx) => checkStartFields(body, ctx));
}

/** A batch's child: a submitted job without `replay_of`. */
export function batchChildJobSchemaOf(kinds: KindNames) {
  return submitJobFieldsOf(kinds)
    .omit({ replay_of: true })
    .superRefine((body, ctx) => checkStartFields(body, ctx));
}

/** Longest search a list or an export takes. */
const MAX_QUERY_CHARS = 2_000;

const searchSchema = z
  .string()
  .max(MAX_QUERY_CHARS)
  .optional()
  .describe(
    'Search (README "Search"): terms AND-ed by spaces, `OR` between two terms, `-` negates, `field:value` or a free word, ' +
      '"double quotes" for spaces, a comma for any of. Fields: kind, status, id (prefix), batch, error (substring), replay_of, schedule (ID prefixes), ' +
      'payload.<path> (`*` wildcard), created/updated/finished with > < >= <= and an RFC 3339 time or a date. ' +
      'Example: kind:callback status:FAILED error:ECONNREFUSED created:>2026-12-04T02:00Z',
  );

/**
 * `GET /api/v1/jobs` query. A `kind` the registry no longer has (removed from the kinds file)
 * is refused like any unknown one; its jobs stay listed without the filter.
 */
export function listJobsQuerySchemaOf(kinds: KindNames) {
  return z.strictObject({
    status: z.enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(', ')}` }).optional(),
    kind: kindSchemaOf(kinds).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
    /** A search in the language of src-shared/job-query.ts, e.g. `kind:callback error:ECONNREFUSED created:>2026-12-04T02:00Z`. */
    q: searchSchema,
  });
}

/** Query of `GET /api/v1/jobs/export`: what a search matches, whole, newest first. */
export const exportJobsQuerySchema = z.strictObject({
  q: searchSchema,
  format: z.enum(['csv', 'ndjson'], { error: 'must be one of "csv", "ndjson"' }).default('ndjson'),
});

/** Query of the book's `GET /job/database`: `client_time` in Unix seconds, as the book sends it. */
export const bookDatabaseQuerySchema = z.object({
  client_time: z
    .string()
    .regex(/^\d{1,12}$/, { error: 'must be a Unix time in whole seconds' }),
});
