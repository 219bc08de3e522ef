import { z } from 'zod';
import type { BuiltinHandlerSpec, KindDefinition } from './kind-definition';
import { KindRegistry, type KindEntry } from './kind-registry';
import type { JobKind } from './kinds';
import { toFieldErrors } from './problem';
import {
  CALLBACK_DEFAULT_DURATION_MS,
  callbackPayloadSchema,
  emailPayloadSchema,
  logPayloadSchema,
  type ResolvedPayload,
  type ResolvedPayloads,
} from './schemas';

/**
 * The book's three kinds, the registry's first entries. They keep their zod rules and messages;
 * their `payload_schema` (OpenAPI, the generated form) is derived from those rules.
 */

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

const jsonSchemaOf = (schema: z.ZodType): Record<string, unknown> => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
};

function definition(name: BuiltinHandlerSpec['builtin'], letter: string, description: string, schema: z.ZodType): KindDefinition {
  return { name, letter, description, payload_schema: jsonSchemaOf(schema), handler: { builtin: name } };
}

/** A built-in entry: its zod schema checks submits, `resolve` fills in the console's defaults. */
function builtinEntry(
  definitionOf: KindDefinition,
  schema: z.ZodType,
  resolve: KindEntry['resolve'],
  messageError: KindEntry['messageError'],
  urlFields: readonly string[] = [],
): KindEntry {
  return {
    definition: definitionOf,
    urlFields,
    check(input, prefix) {
      const parsed = schema.safeParse(input ?? {});
      return parsed.success ? { payload: parsed.data as Record<string, unknown> } : { errors: toFieldErrors(parsed.error, input, prefix) };
    },
    resolve,
    messageError,
  };
}

const logEntry = builtinEntry(
  definition('log', 'A', 'Writes a record stamped with the client\'s time to PostgreSQL', logPayloadSchema),
  logPayloadSchema,
  (payload): ResolvedPayloads['log'] => ({ client_time: String(payload.client_time) }),
  (payload) =>
    isText(payload.client_time) && !Number.isNaN(Date.parse(payload.client_time)) ? null : 'extra_data.client_time must be an RFC 3339 time',
);

const callbackEntry = builtinEntry(
  definition('callback', 'B', 'Runs a long task, then POSTs the result to a callback URL', callbackPayloadSchema),
  callbackPayloadSchema,
  (payload, jobId, defaults): ResolvedPayloads['callback'] => ({
    callback_url: (payload.callback_url as string | undefined) ?? defaults.callbackUrl(jobId),
    duration_ms: (payload.duration_ms as number | undefined) ?? CALLBACK_DEFAULT_DURATION_MS,
    ...(typeof payload.secret === 'string' ? { secret: payload.secret } : {}),
  }),
  (payload) => {
    if (!isText(payload.callback_url)) return 'extra_data.callback_url must be an http or https URL';
    return typeof payload.duration_ms === 'number' && payload.duration_ms >= 0 ? null : 'extra_data.duration_ms must be a number of milliseconds';
  },
  ['callback_url'],
);

const emailEntry = builtinEntry(
  definition('email', 'C', 'Sends an email over SMTP', emailPayloadSchema),
  emailPayloadSchema,
  (payload, _jobId, defaults): ResolvedPayloads['email'] => ({
    ...payload,
    email_address: (payload.email_address as string | undefined) ?? defaults.recipient,
  }),
  (payload) => (isText(payload.email_address) ? null : 'extra_data.email_address must name a recipient'),
);

/** The built-in kinds' entries, in the book's order (A, B, C). */
export const BUILTIN_KINDS: readonly KindEntry[] = [logEntry, callbackEntry, emailEntry];

/** Kinds whose payload carries a signing `secret` that only the AMQP message to the worker holds. */
const SECRET_KINDS: ReadonlySet<JobKind> = new Set([callbackEntry.definition.name]);

/**
 * The payload as the job is shown (status, history, events, API): without kind B's signing
 * `secret`. Any other kind's payload is shown as it was given, a field named `secret` included.
 */
export function shownPayload(kind: JobKind, payload: ResolvedPayload): ResolvedPayload {
  if (!SECRET_KINDS.has(kind) || !('secret' in payload)) return payload;
  const shown = { ...payload };
  delete shown.secret;
  return shown;
}

const BUILTIN_LETTERS: ReadonlyMap<JobKind, string> = new Map(
  BUILTIN_KINDS.map(({ definition: d }) => [d.name, d.letter!]),
);

/** What a job's `type` shows: a built-in kind's letter, else the kind's own name. */
export function kindType(kind: JobKind): string {
  return BUILTIN_LETTERS.get(kind) ?? kind;
}

/** Whether a name is taken by a built-in kind (a kinds file may not reuse it). */
export function isBuiltinKind(name: string): boolean {
  return BUILTIN_LETTERS.has(name);
}

/** A registry of the built-in kinds alone: a console without a kinds file. */
export function builtinKindRegistry(): KindRegistry {
  return new KindRegistry(BUILTIN_KINDS);
}

/** The built-in kinds' names, in the book's order. */
export const BUILTIN_KIND_NAMES: readonly JobKind[] = BUILTIN_KINDS.map(({ definition }) => definition.name);
