import { PermanentJobError } from './handlers/handler';

/**
 * Whether a failed attempt can never succeed, so the job fails at once instead of being retried:
 * a handler's {@link PermanentJobError}; PostgreSQL refusing the job's own data (SQLSTATE class
 * 22, data exception, e.g. a time out of range); an SMTP server's permanent rejection (5xx, e.g.
 * no such mailbox). Everything else (a service down, a timeout, a callback's non-2xx answer,
 * SMTP 4xx) is retried.
 */
export function isPermanentFailure(error: Error): boolean {
  if (error instanceof PermanentJobError) return true;
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode <= 599;
}
