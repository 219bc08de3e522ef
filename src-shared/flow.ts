import { z } from 'zod';
import { jobKindSchema, timeSchema } from './job';
import type { JobKind } from './kinds';

/** Highest `rate_per_s` and `concurrency` a kind's limits take. */
export const MAX_RATE_PER_S = 10_000;
export const MAX_CONCURRENCY = 10_000;

/**
 * `PUT /api/v1/kinds/:kind/limits` body: jobs started per second and jobs in flight, across every
 * worker of the kind. A field left out or null is no limit (PUT replaces both).
 */
export const kindLimitsSchema = z.strictObject({
  rate_per_s: z
    .number({ error: 'must be a number or null' })
    .positive({ error: 'must be a positive number' })
    .max(MAX_RATE_PER_S, { error: `must be at most ${MAX_RATE_PER_S}` })
    .nullable()
    .default(null),
  concurrency: z
    .number({ error: 'must be a whole number or null' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_CONCURRENCY, { error: `must be at most ${MAX_CONCURRENCY}` })
    .nullable()
    .default(null),
});
export type KindLimits = z.infer<typeof kindLimitsSchema>;

/**
 * A kind's flow as every worker of it follows it: paused (its workers take no messages; submits
 * still queue) and its limits. Answered by the pause, resume and limits routes, and part of each
 * queue in `GET /api/v1/queues`.
 */
export const kindFlowSchema = z.object({
  kind: jobKindSchema,
  paused: z.boolean(),
  /** RFC 3339 UTC time it was paused; null when it is not. */
  paused_at: timeSchema.nullable(),
  /** Jobs started per second across its workers; null: no limit. */
  rate_per_s: z.number().nullable(),
  /** Jobs in flight across its workers; null: no limit. */
  concurrency: z.number().int().nullable(),
});
export type KindFlow = z.infer<typeof kindFlowSchema>;

/** `GET /api/v1/flow`: every kind's flow, read from Redis only (cheap to poll). */
export const flowReportSchema = z.object({ kinds: z.array(kindFlowSchema) });
export type FlowReport = z.infer<typeof flowReportSchema>;

/**
 * Where a namespace keeps the flow in Redis: one hash per kind (fields `paused_at`,
 * `rate_per_s`, `concurrency`; absent = not paused / no limit), the channel a change is told on
 * (message: the kind), the channel a freed concurrency slot is told on (message: the kind), and
 * each kind's concurrency leases (a sorted set, score = expiry in ms) and rate state (GCRA's
 * theoretical arrival time in ms).
 */
export interface FlowKeys {
  state(kind: JobKind): string;
  changes: string;
  freed: string;
  leases(kind: JobKind): string;
  rate(kind: JobKind): string;
}

export function flowKeysOf(namespace: string): FlowKeys {
  return {
    state: (kind) => `${namespace}:flow:${kind}`,
    changes: `${namespace}:flow`,
    freed: `${namespace}:flow:freed`,
    leases: (kind) => `${namespace}:flow:${kind}:leases`,
    rate: (kind) => `${namespace}:flow:${kind}:rate`,
  };
}

/** A kind's flow from its hash (HGETALL's answer; empty when nothing was ever set). */
export function flowFromHash(kind: JobKind, hash: Record<string, string>): KindFlow {
  const number = (text: string | undefined): number | null => {
    const value = text === undefined ? NaN : Number(text);
    return Number.isFinite(value) && value > 0 ? value : null;
  };
  const concurrency = number(hash.concurrency);
  return {
    kind,
    paused: Boolean(hash.paused_at),
    paused_at: hash.paused_at || null,
    rate_per_s: number(hash.rate_per_s),
    concurrency: concurrency === null ? null : Math.floor(concurrency),
  };
}

/** Whether a kind's starts wait on anything (a limit): a worker asks Redis before each start only then. */
export function isLimited(flow: Pick<KindFlow, 'rate_per_s' | 'concurrency'>): boolean {
  return flow.rate_per_s !== null || flow.concurrency !== null;
}
