import { z } from 'zod';
import { toFieldErrors } from './problem';
import { redactText } from './redact';
import type { RetryPolicy } from './retry-policy';
import { NAMESPACE_PATTERN } from './topology';

/** A setting with a bad value; its message names the variable and the rule. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const urlWith = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/**
 * Settings the console and the workers both read from the environment, with their defaults.
 * A worker started by hand on another machine is configured with the same variables.
 */
export const sharedEnvShape = {
  AMQP_URL: urlWith(['amqp:', 'amqps:']).default('amqp://guest:guest@127.0.0.1:5672'),
  REDIS_URL: urlWith(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  DATABASE_URL: urlWith(['postgres:', 'postgresql:']).default('postgres://127.0.0.1:5432/jobdeck'),
  SMTP_URL: urlWith(['smtp:', 'smtps:']).optional(),
  JOBDECK_NAMESPACE: z
    .string()
    .regex(NAMESPACE_PATTERN, 'must be lowercase letters, digits and _, starting with a letter (at most 40)')
    .default('jobdeck'),
  /** The kinds file: the user's own job kinds, besides the built-in ones. */
  JOBDECK_KINDS: z.string().min(1).optional(),
  JOBDECK_WORKER_PREFETCH: z.coerce.number().int().min(1).max(1000).default(8),
  /** Kind A's prefetch per worker: short jobs whose records are committed in groups need a wide window. */
  JOBDECK_LOG_PREFETCH: z.coerce.number().int().min(1).max(1000).default(128),
  JOBDECK_STATUS_TTL_S: z.coerce.number().int().min(1).default(86_400),
  JOBDECK_EVENT_STREAM_MAX: z.coerce.number().int().min(100).default(100_000),
  JOBDECK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  JOBDECK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(86_400_000).default(1_000),
  JOBDECK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
  /** How long a job may wait out outages of its kind's own dependency before they count as failed attempts. */
  JOBDECK_UNAVAILABLE_MAX_WAIT_S: z.coerce.number().int().min(0).max(604_800).default(3_600),
  /** The address the console's API listens on; a worker reads it only for the outbound policy's default mode. */
  JOBDECK_HOST: z.string().min(1).default('127.0.0.1'),
  /** The outbound URL policy: `strict` or `off`; unset, strict when JOBDECK_HOST is beyond loopback. */
  JOBDECK_OUTBOUND_POLICY: z.enum(['strict', 'off']).optional(),
  /** Host names, addresses and CIDRs the strict outbound policy lets through, comma separated. */
  JOBDECK_OUTBOUND_ALLOW: z.string().default(''),
  /** The console's API address, whose webhook inbox the strict policy allows: set for the workers a console spawns. */
  JOBDECK_CONSOLE_URL: urlWith(['http:', 'https:']).optional(),
  /** The `read` token a worker's POSTs to the console's own inbox carry: set for the workers a console spawns. */
  JOBDECK_INBOX_TOKEN: z.string().min(1).optional(),
};

/** The retry policy the settings name (the console and its workers must agree on it). */
export function retryPolicyFrom(env: {
  JOBDECK_MAX_ATTEMPTS: number;
  JOBDECK_RETRY_BASE_MS: number;
  JOBDECK_RETRY_MAX_MS: number;
}): RetryPolicy {
  return { maxAttempts: env.JOBDECK_MAX_ATTEMPTS, baseDelayMs: env.JOBDECK_RETRY_BASE_MS, maxDelayMs: env.JOBDECK_RETRY_MAX_MS };
}

/** Reads the variables a schema names; a bad value throws a ConfigError naming the variable and rule. */
export function readEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined>,
): z.output<z.ZodObject<Shape>> {
  const present = Object.fromEntries(
    Object.keys(shape)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const parsed = z.object(shape).safeParse(present);
  if (!parsed.success) {
    const { field, message } = toFieldErrors(parsed.error, present)[0]!;
    const rule = message.slice(field.length + 1);
    throw new ConfigError(redactText(`${field}=${String(present[field])}: ${rule}`));
  }
  return parsed.data;
}
