import { z } from 'zod';
import type { KindDefinition } from './kind-definition';

/** Which runtime does a kind's jobs. */
export const HANDLER_TYPES = ['builtin', 'module', 'command', 'http'] as const;

/** One kind as `GET /api/v1/kinds` shows it: never a handler's secret, path or command line. */
export const kindInfoSchema = z.object({
  /** Lowercase letters, digits and `-`. */
  name: z.string(),
  /** The book's letter of a built-in kind (`A`, `B`, `C`); null for a user kind. */
  type: z.string().nullable(),
  description: z.string(),
  /** JSON Schema (draft 2020-12) of the payload: the kind's Submit form is built from it. */
  payload_schema: z.record(z.string(), z.unknown()),
  handler: z.enum(HANDLER_TYPES),
  /** The kind's own limit of attempts; null: the console's (`JOBDECK_MAX_ATTEMPTS`). */
  max_attempts: z.number().int().nullable(),
  /** Per attempt; null: the handler's own default. */
  timeout_ms: z.number().int().nullable(),
  /** Worker processes the kinds file asks for; null: the default (1), or `JOBDECK_WORKERS`. */
  workers: z.number().int().nullable(),
  /** Messages one worker of the kind holds at once; null: `JOBDECK_WORKER_PREFETCH`. */
  prefetch: z.number().int().nullable(),
});
export type KindInfo = z.infer<typeof kindInfoSchema>;

/** `GET /api/v1/kinds` answer: the built-in kinds first, then the kinds file's. */
export const kindsReportSchema = z.object({ kinds: z.array(kindInfoSchema) });
export type KindsReport = z.infer<typeof kindsReportSchema>;

/** `POST /api/v1/jobs/validate` answer: the payload as the job would get it (defaults resolved). */
export const validJobSchema = z.object({
  valid: z.literal(true),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

function handlerType(definition: KindDefinition): KindInfo['handler'] {
  return HANDLER_TYPES.find((type) => type in definition.handler) ?? 'builtin';
}

export function kindInfo(definition: KindDefinition): KindInfo {
  return {
    name: definition.name,
    type: definition.letter ?? null,
    description: definition.description,
    payload_schema: definition.payload_schema,
    handler: handlerType(definition),
    max_attempts: definition.max_attempts ?? null,
    timeout_ms: definition.timeout_ms ?? null,
    workers: definition.workers ?? null,
    prefetch: definition.prefetch ?? null,
  };
}
